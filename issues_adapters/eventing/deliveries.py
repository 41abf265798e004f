"""Delivering events to their handlers, each (handler, event) pair at most once.

A `Delivery` row under a unique key (handler, position) is inserted if missing - the claim -
and locked in the transaction that runs the handler (FOR UPDATE SKIP LOCKED on PostgreSQL;
SQLite has one writer at a time anyway); the handler's own database writes happen in that
transaction and the row is marked done in it, so a duplicate or concurrent delivery does
nothing. Several events share one transaction (up to HELPDESK_DELIVERY_TRANSACTION_EVENTS, and
no new event is started once HELPDESK_DELIVERY_TRANSACTION_SECONDS are spent), so a batch needs
few write transactions and none holds SQLite's single write lock for long.

Handlers that send mail (`sends_mail`) never run inside a transaction, because a mail server
can take seconds to answer: the delivery transaction only marks their rows `sending`; after
its commit they run, and a short transaction writes how each went. While they send, the rows'
lease is renewed, so no other worker takes over a batch that is slow but alive; a row whose
worker died is handed back after HELPDESK_RELAY_LEASE_SECONDS (retries.release_stuck_sends).

An event this code cannot decode is parked for each of its handlers, with the reason, and the
other events go on. A handler that raises gets its row back as pending, with its next try after
a back-off, or parked after HELPDESK_DELIVERY_MAX_ATTEMPTS (retries.py). A handler that raises
NotYet (nothing to do before a time it names) gets its row back as pending, due then, with the
try not counted: the relay's retries take it up once it is due.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import tenacity
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from issues_adapters.eventing import retries
from issues_adapters.eventing.models import Checkpoint, Delivery
from issues_adapters.eventing.notifications import one_mail_connection
from issues_adapters.persistence.event_codec import UndecodableEvent
from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.plain_statements import insert_new
from issues_adapters.tracing import correlation
from issues_domain.events import Event
from issues_service.messagebus import EventHandler, MessageBus, NotYet

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    ALREADY_DONE = "already_done"
    BUSY = "busy"  # another worker holds it right now
    RETRY_LATER = "retry_later"
    NOT_YET = "not_yet"  # the handler named a time to be tried again at
    PARKED = "parked"


@dataclass
class Tally:
    """How the deliveries of one call went."""

    outcomes: dict[Outcome, int] = field(default_factory=lambda: defaultdict(int))
    retry_later: list[tuple[str, int]] = field(default_factory=list)
    not_yet: list[tuple[str, int]] = field(default_factory=list)

    def add(self, outcome: Outcome, handler: str, position: int) -> None:
        self.outcomes[outcome] += 1
        if outcome == Outcome.RETRY_LATER:
            self.retry_later.append((handler, position))
        elif outcome == Outcome.NOT_YET:
            self.not_yet.append((handler, position))

    def merge(self, other: "Tally") -> None:
        for outcome, count in other.outcomes.items():
            self.outcomes[outcome] += count
        self.retry_later.extend(other.retry_later)
        self.not_yet.extend(other.not_yet)

    @property
    def delivered(self) -> int:
        return self.outcomes[Outcome.DONE]

    def __str__(self) -> str:
        return ", ".join(f"{count} {outcome}" for outcome, count in self.outcomes.items()) or "0"


Work = tuple[list[EventHandler], RecordedEvent, Event]


def _try(
    handler: EventHandler,
    delivery: Delivery,
    event: Event,
    now: datetime,
    *,
    counted: bool = False,
    in_savepoint: bool = True,
) -> Outcome:
    """Run the handler (in a savepoint, or outside any transaction for one that sends mail)
    and set the outcome on its delivery row, for the caller to write."""
    if not counted:
        delivery.attempts += 1
        delivery.last_tried_at = now
    try:
        with correlation(event.correlation_id):
            if in_savepoint:
                with transaction.atomic():
                    handler(event)
            else:
                handler(event)
    except NotYet as not_yet:
        delivery.attempts -= 1
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = not_yet.due_at
        delivery.last_error = ""
        return Outcome.NOT_YET
    except Exception as error:
        logger.warning(
            "Handler %s failed on event #%s (attempt %s): %r",
            handler.name,
            delivery.position,
            delivery.attempts,
            error,
        )
        return _failed(delivery, f"{type(error).__name__}: {error}", now)
    delivery.status = Delivery.Status.DONE
    delivery.done_at = now
    delivery.next_attempt_at = None
    delivery.last_error = ""
    return Outcome.DONE


def _failed(delivery: Delivery, error: str, now: datetime) -> Outcome:
    delivery.last_error = error[:4000]
    if delivery.attempts >= settings.HELPDESK_DELIVERY_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.PARKED
        delivery.next_attempt_at = None
        return Outcome.PARKED
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = now + retries.backoff(delivery.attempts)
    return Outcome.RETRY_LATER


_TRIED_FIELDS = ["status", "attempts", "last_error", "last_tried_at", "next_attempt_at", "done_at"]


def deliver_events(work: list[Work], *, budget: float | None = None) -> list[dict[str, Outcome]]:
    """One try for each handler of each event, in order, in one transaction.

    The delivery rows are locked (skipping any another worker holds), and a handler's database
    writes commit together with its rows marked done. A handler that only writes to our
    database takes all its events of the transaction in one savepoint (through `handle_many`
    if it has one); if that fails, it is rolled back and tried again an event at a time, to find
    the one that fails. A handler that sends mail only has its rows marked `sending` here, and
    runs after the commit (`_send`). With a `budget` (seconds), no further event is started
    once it is spent; the outcomes of the events it got to are returned (at least one).
    """
    results: list[dict[str, Outcome]] = []
    started = time.monotonic()
    sending: list[tuple[EventHandler, Delivery, Event, dict]] = []
    with transaction.atomic():
        # Claimed in this same transaction: if we die before the commit, nothing is claimed.
        claim([(handler, row) for handlers, row, _ in work for handler in handlers])
        locked = {
            (delivery.handler, delivery.position): delivery
            for delivery in Delivery.objects.select_for_update(skip_locked=True).filter(
                position__in=[row.position for _, row, _ in work],
                handler__in={handler.name for handlers, _, _ in work for handler in handlers},
            )
        }
        now = timezone.now()
        tried: list[Delivery] = []
        in_bulk: dict[str, tuple[EventHandler, list[tuple[Delivery, Event, dict]]]] = {}
        for handlers, row, event in work:
            if results and budget is not None and time.monotonic() - started > budget:
                break
            outcomes: dict[str, Outcome] = {}
            for handler in handlers:
                delivery = locked.get((handler.name, row.position))
                if delivery is None:
                    outcomes[handler.name] = Outcome.BUSY
                elif delivery.status == Delivery.Status.DONE:
                    outcomes[handler.name] = Outcome.ALREADY_DONE
                elif delivery.status == Delivery.Status.PARKED:
                    outcomes[handler.name] = Outcome.PARKED
                elif delivery.status == Delivery.Status.SENDING:
                    outcomes[handler.name] = Outcome.BUSY  # another worker is sending it
                elif getattr(handler, "sends_mail", False):
                    delivery.status = Delivery.Status.SENDING
                    delivery.attempts += 1
                    delivery.last_tried_at = now
                    sending.append((handler, delivery, event, outcomes))
                    tried.append(delivery)
                else:
                    in_bulk.setdefault(handler.name, (handler, []))[1].append(
                        (delivery, event, outcomes)
                    )
                    tried.append(delivery)
            results.append(outcomes)
        for handler, taken in in_bulk.values():
            _try_all(handler, taken, now)
        _record_tries(tried, now)
    if sending:
        _send(sending)
    return results


class _Lease:
    """Keeps a batch's `sending` rows leased while their mail goes out: renewed once a third
    of the lease has passed, so a slow but live worker is never taken over."""

    def __init__(self, deliveries: list[Delivery]):
        self.ids = [delivery.id for delivery in deliveries]
        self.renewed = time.monotonic()
        self.every = retries.lease().total_seconds() / 3

    def renew_if_due(self) -> None:
        if time.monotonic() - self.renewed < self.every:
            return
        self.renewed = time.monotonic()
        Delivery.objects.filter(id__in=self.ids, status=Delivery.Status.SENDING).update(
            last_tried_at=timezone.now()
        )


def _send(sending: list[tuple[EventHandler, Delivery, Event, dict]]) -> None:
    """Run the claimed mail handlers, outside any transaction and over one connection to the
    mail server, renewing the batch's lease as they go; then record how each went.

    Each mail is recorded as sent (SentMail) as soon as the server took it, so a worker that
    takes the rows over after this one died sends only what was not recorded.
    """
    # Inside a caller's transaction (a test, an admin action), each in a savepoint as before.
    in_savepoint = transaction.get_connection().in_atomic_block
    lease = _Lease([delivery for _, delivery, _, _ in sending])
    with one_mail_connection():
        for handler, delivery, event, outcomes in sending:
            lease.renew_if_due()
            outcomes[handler.name] = _try(
                handler, delivery, event, timezone.now(), counted=True, in_savepoint=in_savepoint
            )
    with transaction.atomic():
        _record_tries([delivery for _, delivery, _, _ in sending], timezone.now(), claimed=True)


def _try_all(
    handler: EventHandler, taken: list[tuple[Delivery, Event, dict]], now: datetime
) -> None:
    """All of a handler's events in one savepoint; one savepoint each if that fails."""
    try:
        with transaction.atomic():
            handle_many = getattr(handler, "handle_many", None)
            if handle_many is not None:
                handle_many([event for _, event, _ in taken])
            else:
                for _, event, _ in taken:
                    handler(event)
    except Exception:
        for delivery, event, outcomes in taken:
            outcomes[handler.name] = _try(handler, delivery, event, now)
        return
    for delivery, _, outcomes in taken:
        delivery.attempts += 1
        delivery.last_tried_at = now
        delivery.status = Delivery.Status.DONE
        outcomes[handler.name] = Outcome.DONE


def _record_tries(tried: list[Delivery], now: datetime, *, claimed: bool = False) -> None:
    """Write the tries back: the deliveries done (nearly all of them) in one UPDATE, the rest
    one by one. (bulk_update's CASE per row and field cost more than the handlers did.)

    `claimed`: rows marked `sending` before their handler ran; each is written only if it
    still is (a sweep that took it over after the lease wins)."""
    rows = Delivery.objects.filter(status=Delivery.Status.SENDING) if claimed else Delivery.objects
    sending = [delivery.id for delivery in tried if delivery.status == Delivery.Status.SENDING]
    if sending:  # claimed for a mail handler: counted now, run after the commit
        Delivery.objects.filter(id__in=sending).update(
            status=Delivery.Status.SENDING, attempts=F("attempts") + 1, last_tried_at=now
        )
    done = [delivery.id for delivery in tried if delivery.status == Delivery.Status.DONE]
    if done:
        rows.filter(id__in=done).update(
            status=Delivery.Status.DONE,
            attempts=F("attempts") if claimed else F("attempts") + 1,
            last_error="",
            last_tried_at=now,
            next_attempt_at=None,
            done_at=now,
        )
    failed = [
        delivery
        for delivery in tried
        if delivery.status not in (Delivery.Status.DONE, Delivery.Status.SENDING)
    ]
    for delivery in failed:
        rows.filter(id=delivery.id).update(
            **{name: getattr(delivery, name) for name in _TRIED_FIELDS}
        )
    for delivery in failed:
        if delivery.last_error:  # not a handler that said "not yet"
            _note_error(delivery.handler, delivery.last_error, now)


def _note_error(handler_name: str, error: str, now: datetime) -> None:
    """The handler's last error, for the status panel."""
    Checkpoint.objects.filter(handler=handler_name).update(last_error=error, last_error_at=now)


def claim(pairs: list[tuple[EventHandler, RecordedEvent]]) -> None:
    """A Delivery row per (handler, event), due a lease from now; rows already there stay."""
    now = timezone.now()
    insert_new(
        Delivery,
        [
            {
                "handler": handler.name,
                "position": row.position,
                "event_id": row.event_id,
                "event_type": row.event_type,
                "status": Delivery.Status.PENDING,
                "attempts": 0,
                "last_error": "",
                "next_attempt_at": now + retries.lease(),
                "created_at": now,
            }
            for handler, row in pairs
        ],
    )


def park_undecodable(handlers: list[EventHandler], row: RecordedEvent, error: str) -> None:
    """The event cannot be read by this code: parked for each of its handlers, with why."""
    now = timezone.now()
    message = f"Cannot decode event #{row.position} ({row.event_type}): {error}"
    logger.error(message)
    with transaction.atomic():
        claim([(handler, row) for handler in handlers])
        Delivery.objects.filter(
            handler__in=[handler.name for handler in handlers],
            position=row.position,
            status=Delivery.Status.PENDING,
        ).update(
            status=Delivery.Status.PARKED,
            last_error=message[:4000],
            last_tried_at=now,
            next_attempt_at=None,
        )
        for handler in handlers:
            _note_error(handler.name, message, now)


def _handlers_of_type(bus: MessageBus, event_type: str) -> list[EventHandler]:
    return [
        handler
        for known, handlers in bus.event_handlers.items()
        if known.__name__ == event_type
        for handler in handlers
    ]


def work_for(
    bus: MessageBus, rows: Iterable[RecordedEvent], names: set[str] | None = None
) -> list[Work]:
    """Each event with the handlers it goes to (or those of them named); an event that cannot
    be decoded is parked for its handlers here and left out."""
    work = []
    for row in rows:
        try:
            event = to_event(row)
        except UndecodableEvent as error:
            handlers = [
                handler
                for handler in _handlers_of_type(bus, row.event_type)
                if names is None or handler.name in names
            ]
            park_undecodable(handlers or _every_handler(bus, names), row, str(error))
            continue
        handlers = [
            handler for handler in bus.handlers_for(event) if names is None or handler.name in names
        ]
        if handlers:
            work.append((handlers, row, event))
    return work


def _every_handler(bus: MessageBus, names: set[str] | None) -> list[EventHandler]:
    """For an event of a type nobody knows: every handler (named), so that staff see it."""
    unique = {
        handler.name: handler for handlers in bus.event_handlers.values() for handler in handlers
    }
    return [handler for name, handler in unique.items() if names is None or name in names]


def deliver_positions(
    positions: Iterable[int],
    *,
    bus: MessageBus,
    handler_names: Iterable[str] | None = None,
    quick_attempts: int = 1,
    tally: Tally | None = None,
) -> Tally:
    """Deliver these events to their handlers (or only to the named ones), in position order."""
    tally = tally or Tally()
    names = set(handler_names) if handler_names is not None else None
    rows = RecordedEvent.objects.filter(position__in=list(positions)).order_by("position")
    work = work_for(bus, rows, names)
    # Several events a transaction (fewer write transactions to queue for), each transaction
    # kept short by a time budget; a handler that failed gets its quick retries on its own.
    budget = settings.HELPDESK_DELIVERY_TRANSACTION_SECONDS
    batch = max(1, settings.HELPDESK_DELIVERY_TRANSACTION_EVENTS)
    done = 0
    while done < len(work):
        part = work[done : done + batch]
        try:
            results = deliver_events(part, budget=budget)
        except Exception:
            logger.exception(
                "Could not deliver events #%s-#%s", part[0][1].position, part[-1][1].position
            )
            results = [None] * len(part)
        done += len(results)
        for (handlers, row, event), outcomes in zip(part, results, strict=False):
            if outcomes is None:  # the transaction failed: one event at a time
                outcomes = _deliver_alone(handlers, row, event, quick_attempts)
            elif quick_attempts > 1:
                failed = [h for h in handlers if outcomes[h.name] == Outcome.RETRY_LATER]
                if failed:
                    outcomes |= _deliver_alone(failed, row, event, quick_attempts - 1, wait=True)
            for name, outcome in outcomes.items():
                tally.add(outcome, name, row.position)
    return tally


def _deliver_alone(
    handlers: list[EventHandler], row: RecordedEvent, event: Event, attempts: int, *, wait=False
) -> dict[str, Outcome]:
    """Up to `attempts` tries a few tens of milliseconds apart (a web request may wait)."""
    outcomes: dict[str, Outcome] = {}
    pending = list(handlers)

    def try_pending() -> list[EventHandler]:
        nonlocal pending
        outcomes.update(deliver_events([(pending, row, event)])[0])
        pending = [h for h in pending if outcomes[h.name] == Outcome.RETRY_LATER]
        return pending

    try:
        if wait:
            time.sleep(0.02)
        tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max(1, attempts)),
            wait=tenacity.wait_exponential(multiplier=0.02, max=0.2),
            retry=tenacity.retry_if_result(bool),
            retry_error_callback=lambda state: None,
        )(try_pending)
    except Exception:
        # The database itself failed; the relay finds these deliveries again.
        logger.exception("Could not deliver event #%s", row.position)
        return {handler.name: Outcome.RETRY_LATER for handler in handlers}
    return outcomes


def deliver_pairs(pairs: Iterable[tuple[str, int]], *, bus: MessageBus) -> Tally:
    """Deliver (handler name, position) pairs: retries, and deliveries a worker left undone."""
    tally = Tally()
    by_position: dict[int, set[str]] = defaultdict(set)
    for name, position in pairs:
        by_position[int(position)].add(name)
    for position, names in sorted(by_position.items()):
        deliver_positions([position], bus=bus, handler_names=names, tally=tally)
    return tally
