"""Deliveries that failed or were left behind: back-off, due retries, stuck sends, parking.

Each try that raises counts an attempt and schedules the next with exponential back-off and
jitter; after HELPDESK_DELIVERY_MAX_ATTEMPTS the delivery is parked for staff to look at and
retry (`retry_parked`: the status panel, the parked-deliveries page, `manage.py retry_parked`).
"""

import random
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from issues_adapters.eventing.models import Delivery


def backoff(attempts: int) -> timedelta:
    """Exponential with jitter: base, 2 * base, 4 * base, ... capped, +-25 %."""
    base = settings.HELPDESK_RETRY_BASE_SECONDS
    seconds = min(settings.HELPDESK_RETRY_MAX_SECONDS, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.75, 1.25))


def lease() -> timedelta:
    """How long a delivery that was started is left to its worker before another may take it."""
    return timedelta(seconds=settings.HELPDESK_RELAY_LEASE_SECONDS)


def release_stuck_sends() -> int:
    """Mail deliveries whose lease ran out (the worker died mid-send; a live one renews it)
    are pending again, due now; a mail that went out and was recorded is not sent again."""
    now = timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, last_tried_at__lt=now - lease()
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
        # Only the relay whose update matched the old time gets it.
        if Delivery.objects.filter(
            id=delivery_id, status=Delivery.Status.PENDING, next_attempt_at=next_attempt_at
        ).update(next_attempt_at=now + lease()):
            claimed.append((handler, position))
    return claimed


def unpark(ids=None) -> list[tuple[str, int]]:
    """Parked deliveries (these, or all) get a fresh set of attempts, due now."""
    parked = Delivery.objects.filter(status=Delivery.Status.PARKED)
    if ids is not None:
        parked = parked.filter(id__in=list(ids))
    pairs = list(parked.values_list("handler", "position"))
    parked.update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())
    return pairs
