"""Seeded issues with their events spread over days, as a real helpdesk's would be."""

import dataclasses
import zlib
from datetime import UTC, datetime, timedelta

from django.core.management import call_command

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_domain import commands

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def spread(event):
    """Each issue starts on one of 20 days; each later event of it comes hours later."""
    offset = zlib.crc32(event.issue_id.bytes) % 20
    at = START + timedelta(days=offset, hours=7 * (event.version - 1) + event.version % 3)
    return dataclasses.replace(event, occurred_at=at)


def seeded_events() -> list:
    """seed_demo's issues, some rated, their events in log order with spread-out times."""
    from issues_adapters.persistence.models import IssueRecord
    from issues_adapters.wiring import message_bus

    call_command("seed_demo")
    for number, record in enumerate(IssueRecord.objects.filter(status__in=["resolved", "closed"])):
        message_bus().handle(
            commands.RateSatisfaction(issue_id=record.id, score=1 + number % 5, comment="")
        )
        if number % 3 == 0:  # changed their mind: the later rating counts
            message_bus().handle(commands.RateSatisfaction(issue_id=record.id, score=5))
    return [spread(to_event(row)) for row in RecordedEvent.objects.order_by("position")]
