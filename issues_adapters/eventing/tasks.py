"""Celery tasks: a batch of events per task (the commits a web process made within a few
milliseconds, see relay.after_commit), never one per handler.

A try that fails leaves the delivery pending with its next attempt time; the task then retries
itself for just those (handler, event) pairs, with Celery's countdown growing like the relay's
back-off. Deliveries that reach the last attempt are parked instead, which ends the retries.
"""

import logging

from issues_adapters.eventing import relay
from issues_adapters.eventing.celery_app import app
from issues_adapters.eventing.models import Delivery

logger = logging.getLogger(__name__)


def _retry_pending(task, report: relay.Report):
    if not report.retry_later:
        return
    attempts = max(
        Delivery.objects.filter(
            handler__in={name for name, _ in report.retry_later},
            position__in={position for _, position in report.retry_later},
        ).values_list("attempts", flat=True),
        default=1,
    )
    raise task.retry(
        args=[[list(pair) for pair in report.retry_later]],
        countdown=relay.backoff(attempts).total_seconds(),
        max_retries=None,
    )


@app.task(bind=True, name="eventing.deliver_events")
def deliver_events(self, positions: list[int]) -> str:
    report = relay.deliver_positions(positions)
    if report.retry_later:
        deliver_pairs_task.apply_async(
            args=[[list(pair) for pair in report.retry_later]],
            countdown=relay.backoff(1).total_seconds(),
        )
    return str(report)


@app.task(bind=True, name="eventing.deliver_pairs")
def deliver_pairs_task(self, pairs: list[list]) -> str:
    report = relay.deliver_pairs((name, position) for name, position in pairs)
    _retry_pending(self, report)
    return str(report)


@app.task(name="eventing.sweep")
def sweep() -> str:
    return str(relay.sweep(in_process=True))
