"""The outbox relay: hands recorded events to their handlers, each (handler, event) once.

Recorded events are the outbox (persistence.RecordedEvent, written in the transaction of the
change). After a commit, `after_commit(positions)` hands the new events to the process's
delivery thread (background.py), so the web request never waits: the thread delivers them
in-process when CELERY_BROKER_URL is empty, with a few quick tries, or publishes them to the
Celery workers, one task per batch of commits, when it is set. With
HELPDESK_DELIVER_AFTER_COMMIT "inline" (tests) the committing thread does either itself. Anything
that did not get through - the process died after commit, the broker was down, a handler
failed - is found again by `sweep()`, which the `relay_events` command runs on start-up and
then in a loop (and Celery beat runs in workers).

Exactly once per (handler, event): a `Delivery` row under a unique key (handler, position) is
inserted if missing and locked in the transaction that runs the handler (FOR UPDATE SKIP LOCKED
on PostgreSQL; SQLite has one writer at a time anyway), the handler's own database writes
happen in that transaction, and the row is marked done in it, so a duplicate or concurrent
delivery does nothing. Several events share one such transaction (up to
HELPDESK_DELIVERY_TRANSACTION_EVENTS, and no new event is started once
HELPDESK_DELIVERY_TRANSACTION_SECONDS are spent), so a batch needs few write transactions and
none of them holds SQLite's single write lock for long; a handler that failed gets its quick
retries afterwards, in transactions of its own.

Handlers that send mail (`sends_mail`) are the exception, because a mail server can take
seconds to answer and no transaction may wait for it (on SQLite every other write would): the
delivery transaction only marks their rows `sending`; after its commit they run outside any
transaction, and a second short transaction writes how each went. No other worker touches a
`sending` row; one left behind by a worker that died is pending again after
HELPDESK_RELAY_LEASE_SECONDS (`release_stuck_sends`, in every sweep). Mail is also keyed by
event (see notifications.py), so a redelivered mail that was recorded is not sent again.

Positions come from a sequence, and on PostgreSQL a transaction that took a lower position may
commit after one that took a higher one, so there is no single "delivered up to" mark: the sweep
looks for events with no delivery row, over the last HELPDESK_RELAY_LOOKBACK positions (a range
scan of the primary key, anti-joined on the delivery key's index). A handler added later
therefore takes in the events of that window too: fine for a read model, and for a new mail
handler it means mail about recent events; lower HELPDESK_RELAY_LOOKBACK for the first run.

Failures: each try that raises counts an attempt and schedules the next with exponential
back-off; after HELPDESK_DELIVERY_MAX_ATTEMPTS the delivery is parked for staff to look at and
retry (`retry_parked`, the staff page, the admin). A failing handler never stops the others.
"""

import logging
import random
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

import tenacity
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from issues_adapters.eventing.models import Delivery
from issues_adapters.eventing.notifications import one_mail_connection
from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.plain_statements import insert_new
from issues_domain.events import Event
from issues_service.messagebus import EventHandler, MessageBus

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    ALREADY_DONE = "already_done"
    BUSY = "busy"  # another worker holds it right now
    RETRY_LATER = "retry_later"
    PARKED = "parked"


# -- configuration (settings, "events" section) ---------------------------------------------


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_setting("HELPDESK_DELIVERY_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """Exponential with jitter: base, 2 * base, 4 * base, ... capped, +-25 %."""
    base = float(_setting("HELPDESK_RETRY_BASE_SECONDS", 5.0))
    cap = float(_setting("HELPDESK_RETRY_MAX_SECONDS", 3600.0))
    seconds = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.75, 1.25))


def scale_out() -> bool:
    return bool(_setting("CELERY_BROKER_URL", ""))


def _bus() -> MessageBus:
    from issues_adapters.wiring import message_bus

    return message_bus()


# -- delivering one (handler, event) ---------------------------------------------------------


@dataclass
class Report:
    outcomes: dict[Outcome, int] = field(default_factory=lambda: defaultdict(int))
    retry_later: list[tuple[str, int]] = field(default_factory=list)

    def add(self, outcome: Outcome, handler: str, position: int) -> None:
        self.outcomes[outcome] += 1
        if outcome == Outcome.RETRY_LATER:
            self.retry_later.append((handler, position))

    @property
    def delivered(self) -> int:
        return self.outcomes[Outcome.DONE]

    def __str__(self) -> str:
        return ", ".join(f"{count} {outcome}" for outcome, count in self.outcomes.items()) or "0"


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
        if in_savepoint:
            with transaction.atomic():
                handler(event)
        else:
            handler(event)
    except Exception as error:
        logger.warning(
            "Handler %s failed on event #%s (attempt %s): %r",
            handler.name,
            delivery.position,
            delivery.attempts,
            error,
        )
        delivery.last_error = f"{type(error).__name__}: {error}"[:4000]
        if delivery.attempts >= max_attempts():
            delivery.status = Delivery.Status.PARKED
            delivery.next_attempt_at = None
            return Outcome.PARKED
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        return Outcome.RETRY_LATER
    delivery.status = Delivery.Status.DONE
    delivery.done_at = now
    delivery.next_attempt_at = None
    delivery.last_error = ""
    return Outcome.DONE


_TRIED_FIELDS = ["status", "attempts", "last_error", "last_tried_at", "next_attempt_at", "done_at"]


def deliver_event(
    handlers: list[EventHandler], row: RecordedEvent, event: Event
) -> dict[str, Outcome]:
    """One try for each handler of one event, in one transaction."""
    return deliver_events([(handlers, row, event)])[0]


def deliver_events(
    work: list[tuple[list[EventHandler], RecordedEvent, Event]],
    *,
    budget: float | None = None,
) -> list[dict[str, Outcome]]:
    """One try for each handler of each event, in position order, in one transaction.

    The delivery rows are locked (skipping any another worker holds), and a handler's database
    writes commit together with its rows marked done. A handler that only writes to our
    database takes all its events of the transaction in one savepoint (through `handle_many`
    if it has one); if that fails, it is rolled back and tried again an event at a time, to find
    the one that fails. A handler that sends mail only has its rows marked `sending` here, and
    runs after the commit (`_send`), an event at a time, so no mail that went out is redone.
    With a `budget` (seconds), no further event is started once it is spent, so the write
    transaction stays short; the outcomes of the events it got to are returned (at least one),
    the rest are left as they were.
    """
    results: list[dict[str, Outcome]] = []
    started = time.monotonic()
    sending: list[tuple[EventHandler, Delivery, Event, dict]] = []
    with transaction.atomic():
        # Claim by insert, in this same transaction: rows another worker holds or finished stay
        # as they are; if we die before the commit, nothing is claimed and the sweep finds the
        # events untracked after its grace period.
        _track(
            [(handler, row) for handlers, row, _ in work for handler in handlers],
            timezone.now() + _lease(),
        )
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
                    # Claimed now, sent after the commit: no transaction waits on a mail server.
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


def _send(sending: list[tuple[EventHandler, Delivery, Event, dict]]) -> None:
    """Run the claimed mail handlers, outside any transaction and over one connection to the
    mail server, then record how each went.

    The rows say `sending` meanwhile, so no other worker takes them; if this process dies
    before the outcome is written, the sweep hands them out again after the lease
    (`release_stuck_sends`), and a mail that did go out goes again with its Message-ID.
    """
    # Inside a caller's transaction (a test, an admin action), each in a savepoint as before.
    in_savepoint = transaction.get_connection().in_atomic_block
    with one_mail_connection():
        for handler, delivery, event, outcomes in sending:
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
    for delivery in tried:
        if delivery.status not in (Delivery.Status.DONE, Delivery.Status.SENDING):
            rows.filter(id=delivery.id).update(
                **{name: getattr(delivery, name) for name in _TRIED_FIELDS}
            )


def _deliver_with_quick_retries(
    handlers: list[EventHandler], row: RecordedEvent, event: Event, attempts: int
) -> dict[str, Outcome]:
    """Up to `attempts` tries a few tens of milliseconds apart (the web request waits)."""
    outcomes: dict[str, Outcome] = {}
    pending = list(handlers)

    def try_pending() -> list[EventHandler]:
        nonlocal pending
        outcomes.update(deliver_event(pending, row, event))
        pending = [h for h in pending if outcomes[h.name] == Outcome.RETRY_LATER]
        return pending

    tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max(1, attempts)),
        wait=tenacity.wait_exponential(multiplier=0.02, max=0.2),
        retry=tenacity.retry_if_result(bool),
        retry_error_callback=lambda state: None,
    )(try_pending)
    return outcomes


def _track(pairs: list[tuple[EventHandler, RecordedEvent]], not_before: datetime) -> None:
    """Claim by insert: one Delivery row per pair; rows that exist already are left alone."""
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
                "next_attempt_at": not_before,
                "created_at": now,
            }
            for handler, row in pairs
        ],
    )


def _lease() -> timedelta:
    """How long a delivery that was started is left alone before the sweep may take it."""
    return timedelta(seconds=float(_setting("HELPDESK_RELAY_LEASE_SECONDS", 60)))


def deliver_positions(
    positions: Iterable[int],
    *,
    bus: MessageBus | None = None,
    handler_names: Iterable[str] | None = None,
    quick_attempts: int = 1,
    report: Report | None = None,
) -> Report:
    """Deliver these events to their handlers (or only to the named ones), in position order."""
    bus = bus or _bus()
    report = report or Report()
    names = set(handler_names) if handler_names is not None else None
    rows = list(RecordedEvent.objects.filter(position__in=list(positions)).order_by("position"))
    work = []
    for row in rows:
        event = to_event(row)
        handlers = [
            handler for handler in bus.handlers_for(event) if names is None or handler.name in names
        ]
        if handlers:
            work.append((handlers, row, event))
    # Several events a transaction (fewer write transactions to queue for), each transaction
    # kept short by a time budget; a handler that failed gets its quick retries on its own.
    budget = float(_setting("HELPDESK_DELIVERY_TRANSACTION_SECONDS", 0.05))
    batch = max(1, int(_setting("HELPDESK_DELIVERY_TRANSACTION_EVENTS", 50)))
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
                report.add(outcome, name, row.position)
    return report


def _deliver_alone(
    handlers: list[EventHandler],
    row: RecordedEvent,
    event: Event,
    attempts: int,
    *,
    wait: bool = False,
) -> dict[str, Outcome]:
    try:
        if wait:
            time.sleep(0.02)
        return _deliver_with_quick_retries(handlers, row, event, attempts)
    except Exception:
        # The database itself failed; the sweep will find these deliveries again.
        logger.exception("Could not deliver event #%s", row.position)
        return {handler.name: Outcome.RETRY_LATER for handler in handlers}


def deliver_pairs(pairs: Iterable[tuple[str, int]], *, bus: MessageBus | None = None) -> Report:
    """Deliver (handler name, position) pairs: retries, and deliveries a worker left undone."""
    bus = bus or _bus()
    report = Report()
    by_position: dict[int, set[str]] = defaultdict(set)
    for name, position in pairs:
        by_position[int(position)].add(name)
    for position, names in sorted(by_position.items()):
        deliver_positions([position], bus=bus, handler_names=names, report=report)
    return report


# -- after commit --------------------------------------------------------------------------


def delivers_inline() -> bool:
    """Does the committing thread deliver (or, in scale-out mode, publish) its events itself
    before returning ("inline": tests, debugging), or hand them to this process's delivery
    thread ("thread", the default)?"""
    return _setting("HELPDESK_DELIVER_AFTER_COMMIT", "thread") == "inline"


def publish(positions: list[int]) -> None:
    """Scale-out: hand these events to the Celery workers, up to a batch a task."""
    from issues_adapters.eventing.tasks import deliver_events

    batch = max(1, int(_setting("HELPDESK_DELIVERY_BATCH", 100)))
    for start in range(0, len(positions), batch):
        deliver_events.delay(list(positions[start : start + batch]))


def after_commit(positions: list[int]) -> None:
    """Called by the unit of work once its transaction committed. Never raises, never waits
    for a handler unless delivery is inline.

    By default the positions go to this process's delivery thread, which delivers them in
    batches, or in scale-out mode publishes them to the workers in batches: a Celery publish
    costs about as much CPU as the request's own insert, so it is paid per batch, not per
    commit."""
    try:
        if not delivers_inline():
            from issues_adapters.eventing import background

            background.submit(positions)
        elif scale_out():
            publish(positions)
        else:
            deliver_positions(
                positions, quick_attempts=int(_setting("HELPDESK_INLINE_ATTEMPTS", 3))
            )
    except Exception:
        logger.exception("Relaying events %s failed; the relay sweep will deliver them", positions)


# -- the sweep: whatever a crash, a broker outage or a failure left behind ------------------


def handler_event_types(bus: MessageBus) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for event_type, handlers in bus.event_handlers.items():
        for handler in handlers:
            types[handler.name].add(event_type.__name__)
    return types


def find_untracked(
    bus: MessageBus, *, grace: timedelta, lookback: int | None = None, limit: int = 500
) -> list[int]:
    """Positions of events that some handler has no delivery row for."""
    lookback = (
        lookback if lookback is not None else int(_setting("HELPDESK_RELAY_LOOKBACK", 10_000))
    )
    top = RecordedEvent.objects.aggregate(top=Max("position"))["top"]
    if top is None:
        return []
    cutoff = timezone.now() - grace
    found: set[int] = set()
    for name, event_types in handler_event_types(bus).items():
        tracked = Delivery.objects.filter(handler=name, position=OuterRef("position"))
        found.update(
            RecordedEvent.objects.filter(
                position__gt=top - lookback, event_type__in=event_types, recorded_at__lte=cutoff
            )
            .filter(~Exists(tracked))
            .order_by("position")
            .values_list("position", flat=True)[:limit]
        )
    return sorted(found)[:limit]


def release_stuck_sends() -> int:
    """Mail deliveries left `sending` longer than the lease (the worker died mid-send) are
    pending again, due now; the mail may have gone out, and goes again with its Message-ID."""
    now = timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, last_tried_at__lt=now - _lease()
    ).update(status=Delivery.Status.PENDING, next_attempt_at=now)


def claim_due(*, slack: timedelta = timedelta(0), limit: int = 500) -> list[tuple[str, int]]:
    """Pending deliveries whose next try is due; their next try moves a lease ahead (a claim)."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now - slack)
        .order_by("next_attempt_at")
        .values_list("id", "handler", "position", "next_attempt_at")[:limit]
    )
    claimed = []
    for delivery_id, handler, position, next_attempt_at in due:
        # Only the sweeper whose update matched the old time gets it.
        if Delivery.objects.filter(
            id=delivery_id, status=Delivery.Status.PENDING, next_attempt_at=next_attempt_at
        ).update(next_attempt_at=now + _lease()):
            claimed.append((handler, position))
    return claimed


def sweep(
    *,
    bus: MessageBus | None = None,
    in_process: bool | None = None,
    grace: timedelta | None = None,
    limit: int = 500,
) -> Report:
    """One pass: deliver untracked events and due retries (or hand them to Celery)."""
    bus = bus or _bus()
    in_process = (not scale_out()) if in_process is None else in_process
    if grace is None:
        grace = timedelta(seconds=float(_setting("HELPDESK_RELAY_GRACE_SECONDS", 5)))
    report = Report()
    release_stuck_sends()
    untracked = find_untracked(bus, grace=grace, limit=limit)
    # In scale-out mode, let Celery's own retry go first; the sweep is for what it lost.
    due = claim_due(slack=timedelta(0) if in_process else _lease(), limit=limit)
    if in_process:
        deliver_positions(untracked, bus=bus, report=report)
        for outcome, count in deliver_pairs(due, bus=bus).outcomes.items():
            report.outcomes[outcome] += count
        return report
    from issues_adapters.eventing.tasks import deliver_events, deliver_pairs_task

    rows = list(RecordedEvent.objects.filter(position__in=untracked))
    _track(
        [(handler, row) for row in rows for handler in bus.handlers_for(to_event(row))],
        timezone.now() + _lease(),
    )
    for start in range(0, len(untracked), 100):
        deliver_events.delay(untracked[start : start + 100])
    for start in range(0, len(due), 100):
        deliver_pairs_task.delay([list(pair) for pair in due[start : start + 100]])
    report.outcomes[Outcome.BUSY] += len(untracked) + len(due)
    return report


# -- staff actions and replay --------------------------------------------------------------


def retry_parked(
    ids: Iterable[int] | None = None, *, in_process: bool = True, bus: MessageBus | None = None
) -> Report:
    """Give parked deliveries a fresh set of attempts, starting now."""
    parked = Delivery.objects.filter(status=Delivery.Status.PARKED)
    if ids is not None:
        parked = parked.filter(id__in=list(ids))
    pairs = list(parked.values_list("handler", "position"))
    parked.update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    if not in_process and scale_out():
        from issues_adapters.eventing.tasks import deliver_pairs_task

        deliver_pairs_task.delay([list(pair) for pair in pairs])
        report = Report()
        report.outcomes[Outcome.BUSY] += len(pairs)
        return report
    return deliver_pairs(pairs, bus=bus)


def replay(handler_names: Iterable[str], *, bus: MessageBus | None = None, batch: int = 500):
    """Deliver every recorded event again to these handlers, in order (rebuild a read model).

    Handlers that send mail are refused: replaying events never sends mail.
    """
    bus = bus or _bus()
    names = set(handler_names)
    for name in names:
        if getattr(bus.handler_named(name), "sends_mail", False):
            raise ValueError(f"{name} sends mail; replaying events never sends mail")
    Delivery.objects.filter(handler__in=names).delete()
    report = Report()
    last = 0
    while True:
        positions = list(
            RecordedEvent.objects.filter(position__gt=last)
            .order_by("position")
            .values_list("position", flat=True)[:batch]
        )
        if not positions:
            return report
        deliver_positions(positions, bus=bus, handler_names=names, report=report)
        last = positions[-1]
