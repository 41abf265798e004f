"""Celery tasks: a batch of events per task (the commits a web process made within a few
milliseconds, see dispatch.py), never one per handler. Published by name.

A delivery that fails stays pending with its next attempt time; `deliver_pairs` then retries
just those (handler, event) pairs with Celery's own back-off. Deliveries that reach the last
attempt are parked instead, which ends the retries. A delivery whose handler said "not yet" is
handed to `deliver_pairs` at the time the handler named (the relay takes only what is overdue
by a lease in this mode).
"""

from django.conf import settings

from issues_adapters.accounts import housekeeping
from issues_adapters.eventing import deliveries, relay
from issues_adapters.eventing.celery_app import app
from issues_adapters.eventing.models import Delivery
from issues_adapters.wiring import message_bus


class DeliveriesToRetry(Exception):
    """Some deliveries of the task failed and wait for their next try."""


@app.task(name="eventing.deliver_events")
def deliver_events(positions: list[int]) -> str:
    tally = deliveries.deliver_positions(positions, bus=message_bus())
    if tally.retry_later:
        deliver_pairs.apply_async(
            args=[[list(pair) for pair in tally.retry_later]],
            countdown=settings.HELPDESK_RETRY_BASE_SECONDS,
        )
    _at_their_time(tally.not_yet)
    return str(tally)


def _at_their_time(pairs: list[tuple[str, int]]) -> None:
    for handler, position in pairs:
        due = (
            Delivery.objects.filter(
                handler=handler, position=position, status=Delivery.Status.PENDING
            )
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if due is not None:
            deliver_pairs.apply_async(args=[[[handler, position]]], eta=due)


@app.task(
    name="eventing.deliver_pairs",
    autoretry_for=(DeliveriesToRetry,),
    retry_backoff=max(1, int(settings.HELPDESK_RETRY_BASE_SECONDS)),
    retry_backoff_max=int(settings.HELPDESK_RETRY_MAX_SECONDS),
    retry_jitter=True,
    max_retries=None,
)
def deliver_pairs(pairs: list[list]) -> str:
    tally = deliveries.deliver_pairs(
        ((name, position) for name, position in pairs), bus=message_bus()
    )
    _at_their_time(tally.not_yet)
    if tally.retry_later:
        raise DeliveriesToRetry(str(tally))
    return str(tally)


@app.task(name="eventing.sweep")
def sweep() -> str:
    return str(relay.sweep(message_bus(), in_process=True).tally)


@app.task(name="sla.tick")
def sla_tick() -> str:
    """The SLA and auto-close timers (issues_adapters/sla/timers.py), from Celery beat."""
    from issues_adapters.sla import timers

    return str(timers.tick(message_bus()))


@app.task(name="eventing.rebuild")
def rebuild(rebuild_id: int) -> str:
    from issues_adapters.eventing import rebuilds
    from issues_adapters.wiring import read_models

    return str(rebuilds.run_by_id(rebuild_id, read_models()))


@app.task(name="housekeeping.clear_expired_sessions")
def clear_expired_sessions() -> str:
    return f"{housekeeping.clear_expired_sessions()} expired sessions cleared"
