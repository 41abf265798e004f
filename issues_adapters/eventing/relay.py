"""The relay: one pass that delivers whatever after-commit delivery did not.

For each handler it takes, from the handler's checkpoint on (outbox.py), the events that have
no delivery row yet - the process died after its commit, the broker was down, delivery is
`none`, the relay was stopped for a week - and delivers them; then it moves the checkpoint
over everything that is now tracked. It also hands back mail deliveries whose worker died
(`release_stuck_sends`) and delivers retries that are due.

`manage.py relay_events` runs passes in a loop (straight on while it finds full batches, so a
backlog is worked off at delivery speed), and Celery beat runs one in a worker every
HELPDESK_SWEEP_SECONDS. In scale-out mode a pass claims what it found and hands it to the
workers, a batch a task.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings

from issues_adapters.eventing import deliveries, dispatch, outbox, retries
from issues_adapters.eventing.deliveries import Outcome, Tally
from issues_adapters.persistence.models import RecordedEvent
from issues_service.messagebus import MessageBus


def handler_event_types(bus: MessageBus) -> dict[str, set[str]]:
    """Each handler's name, with the names of the event types it takes."""
    types: dict[str, set[str]] = defaultdict(set)
    for event_type, handlers in bus.event_handlers.items():
        for handler in handlers:
            types[handler.name].add(event_type.__name__)
    return types


def default_grace() -> timedelta:
    """Events younger than this are left to after-commit delivery, unless there is none."""
    if dispatch.mode() == "none":
        return timedelta(0)
    return timedelta(seconds=settings.HELPDESK_RELAY_GRACE_SECONDS)


@dataclass
class Pass:
    tally: Tally
    found: int  # events found without a delivery row
    full: bool  # a handler had more than a batch to take or to pass: go again straight away


def sweep(
    bus: MessageBus,
    *,
    in_process: bool | None = None,
    grace: timedelta | None = None,
    limit: int = 500,
) -> Pass:
    """One pass: untracked events from every checkpoint on, and due retries."""
    in_process = (not dispatch.scale_out()) if in_process is None else in_process
    grace = default_grace() if grace is None else grace
    tally = Tally()
    retries.release_stuck_sends()
    found: set[int] = set()
    full = False
    types = handler_event_types(bus)
    for name, event_types in types.items():
        handler = bus.handler_named(name)
        mark = outbox.mark_of(
            outbox.checkpoint(name, sends_mail=getattr(handler, "sends_mail", False))
        )
        untracked = outbox.untracked(name, event_types, mark, grace=grace, limit=limit)
        found.update(untracked)
        full = full or len(untracked) == limit
    positions = sorted(found)
    # In scale-out mode, Celery's own retry goes first; the relay is for what it lost.
    due = retries.claim_due(slack=timedelta(0) if in_process else retries.lease(), limit=limit)
    if in_process:
        deliveries.deliver_positions(positions, bus=bus, tally=tally)
        tally.merge(deliveries.deliver_pairs(due, bus=bus))
    else:
        _hand_to_workers(bus, positions, due, tally)
    for name, event_types in types.items():
        full = outbox.advance(name, event_types) or full
    return Pass(tally=tally, found=len(positions), full=full)


def _hand_to_workers(
    bus: MessageBus, positions: list[int], due: list[tuple[str, int]], tally: Tally
) -> None:
    from issues_adapters.eventing.celery_app import app

    rows = RecordedEvent.objects.filter(position__in=positions)
    # Claimed before they are published, so the checkpoints can move on meanwhile.
    deliveries.claim(
        [
            (handler, row)
            for handlers, row, _ in deliveries.work_for(bus, rows)
            for handler in handlers
        ]
    )
    dispatch.publish(positions)
    for start in range(0, len(due), 100):
        app.send_task(
            "eventing.deliver_pairs", args=[[list(pair) for pair in due[start : start + 100]]]
        )
    tally.outcomes[Outcome.BUSY] += len(positions) + len(due)


def retry_parked(bus: MessageBus, ids=None, *, in_process: bool = True) -> Tally:
    """Give parked deliveries (these, or all) a fresh set of attempts, starting now."""
    pairs = retries.unpark(ids)
    if not in_process and dispatch.scale_out():
        from issues_adapters.eventing.celery_app import app

        app.send_task("eventing.deliver_pairs", args=[[list(pair) for pair in pairs]])
        tally = Tally()
        tally.outcomes[Outcome.BUSY] += len(pairs)
        return tally
    return deliveries.deliver_pairs(pairs, bus=bus)
