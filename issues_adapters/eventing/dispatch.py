"""After commit: how a web process's new events reach their handlers.

HELPDESK_DELIVER_AFTER_COMMIT chooses:

- `thread` (the default): the positions go to this process's delivery thread (background.py),
  which delivers them in batches - or, with CELERY_BROKER_URL set, publishes them to the
  Celery workers, one task a batch. The request never waits for a handler.
- `inline`: the committing thread does the same before the request answers (tests, debugging).
- `none`: web processes only record events; the relay (`manage.py relay_events`, or Celery
  beat's sweep) delivers every one of them from the log. For many web processes, or when mail
  must never be sent from a web process.

Whatever the mode, nothing here has to succeed for no event to be lost: the events are in the
log, and the relay delivers what this did not.
"""

import logging

from django.conf import settings

from issues_adapters.eventing import deliveries
from issues_adapters.eventing.background import DeliveryWorker
from issues_service.messagebus import MessageBus

logger = logging.getLogger(__name__)

MODES = ("thread", "inline", "none")


def mode() -> str:
    chosen = settings.HELPDESK_DELIVER_AFTER_COMMIT
    if chosen not in MODES:
        raise ValueError(f"HELPDESK_DELIVER_AFTER_COMMIT must be one of {', '.join(MODES)}")
    return chosen


def scale_out() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def publish(positions: list[int]) -> None:
    """Scale-out: hand these events to the Celery workers, up to a batch a task (by the task's
    name, so a web process never imports the workers' code)."""
    from issues_adapters.eventing.celery_app import app

    batch = max(1, settings.HELPDESK_DELIVERY_BATCH)
    for start in range(0, len(positions), batch):
        app.send_task("eventing.deliver_events", args=[list(positions[start : start + batch])])


class Dispatcher:
    """What the unit of work calls once a transaction with events committed."""

    def __init__(self, bus: MessageBus):
        self.bus = bus
        self.worker = DeliveryWorker(
            self.deliver,
            batch_size=settings.HELPDESK_DELIVERY_BATCH,
            queue_size=settings.HELPDESK_DELIVERY_QUEUE,
            linger=settings.HELPDESK_DELIVERY_LINGER_SECONDS,
            backlog=settings.HELPDESK_DELIVERY_BACKLOG,
        )

    def deliver(self, positions: list[int]) -> None:
        """Deliver here (with a few quick tries), or hand to the workers in scale-out mode."""
        if scale_out():
            publish(positions)
        else:
            deliveries.deliver_positions(
                positions, bus=self.bus, quick_attempts=settings.HELPDESK_INLINE_ATTEMPTS
            )

    def after_commit(self, positions: list[int]) -> None:
        """Never raises, and never waits for a handler unless delivery is inline."""
        try:
            chosen = mode()
            if chosen == "thread":
                self.worker.submit(positions)
            elif chosen == "inline":
                self.deliver(positions)
        except Exception:
            logger.exception("Relaying events %s failed; the relay will deliver them", positions)
