"""The SLA policies `seed_demo` (and so `make run`) starts with, unless there are some."""

from datetime import time

from django.conf import settings
from django.db import transaction

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord

HOURS = 60

# (name, priority, first response, resolution, calendar) in minutes of business time
POLICIES = [
    ("Standard", None, 8 * HOURS, 40 * HOURS, "Office hours"),
    ("Low", "low", 16 * HOURS, 80 * HOURS, "Office hours"),
    ("High", "high", 2 * HOURS, 16 * HOURS, "Office hours"),
    ("Urgent", "urgent", 30, 4 * HOURS, "Round the clock"),
]


def seed_policies() -> int:
    """Create the default calendars and policies if there are no policies; how many made."""
    if SlaPolicyRecord.objects.exists():
        return 0
    with transaction.atomic():
        calendars = {
            "Office hours": BusinessCalendarRecord.objects.get_or_create(
                name="Office hours",
                defaults={
                    "time_zone": settings.TIME_ZONE,
                    "working_days": [0, 1, 2, 3, 4],
                    "opens_at": time(9),
                    "closes_at": time(17),
                },
            )[0],
            "Round the clock": BusinessCalendarRecord.objects.get_or_create(
                name="Round the clock",
                defaults={"time_zone": settings.TIME_ZONE, "round_the_clock": True},
            )[0],
        }
        for name, priority, first_response, resolution, calendar in POLICIES:
            SlaPolicyRecord.objects.create(
                name=name,
                priority=priority,
                first_response_minutes=first_response,
                resolution_minutes=resolution,
                calendar=calendars[calendar],
            )
    return len(POLICIES)
