"""Events written by an older schema are read into today's classes; rows this code cannot read
say so (and are parked by the relay, see tests/events/test_no_event_skipped.py)."""

import importlib
import uuid
from datetime import UTC, datetime

import pytest
from django.apps import apps

from issues_adapters.persistence.event_codec import UndecodableEvent
from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_domain.events import IssueReopened, IssueReported, IssueResolved, IssueTriaged
from issues_domain.values import IssueStatus, Priority

AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
ISSUE = uuid.uuid4()


def row(event_type: str, version: int, data: dict, **columns) -> RecordedEvent:
    """A row as it stands in the log; schema-1 rows had no status, correlation or cause."""
    return RecordedEvent.objects.create(
        event_id=uuid.uuid4(),
        event_type=event_type,
        issue_id=ISSUE,
        issue_version=version,
        actor_role="staff",
        actor_name="alice",
        data={**data, "actor_email": ""},
        occurred_at=AT,
        **columns,
    )


@pytest.mark.django_db
def test_a_triage_of_schema_1_is_read_with_its_status_moved_into_the_envelope():
    old = row(
        "IssueTriaged",
        2,
        {"category": "network", "priority": "high", "status": "triaged"},
        schema_version=1,
    )

    event = to_event(old)

    assert isinstance(event, IssueTriaged)
    assert (event.status, event.category, event.priority) == (
        IssueStatus.TRIAGED,
        "network",
        Priority.HIGH,
    )
    assert (event.correlation_id, event.causation_id) == (None, None)


@pytest.mark.django_db
def test_a_reopen_of_schema_1_keeps_the_status_its_column_was_given_by_the_migration():
    old = row(
        "IssueReopened",
        5,
        {"reason": "Still smoking.", "status": "assigned", "assignee": "bob"},
        schema_version=1,
        status="assigned",
    )
    assert to_event(old).status == IssueStatus.ASSIGNED
    assert isinstance(to_event(old), IssueReopened)


@pytest.mark.django_db
def test_the_migration_gives_every_old_event_the_status_its_issue_was_left_in():
    migration = importlib.import_module(
        "issues_adapters.persistence.migrations.0005_event_envelope"
    )
    rows = [
        row("IssueReported", 1, {}),
        row("IssueCommented", 2, {}),
        row("IssueTriaged", 3, {"status": "triaged"}, schema_version=1),
        row("IssueCommented", 4, {}),
        row("IssueResolved", 5, {}),
        row("IssueReopened", 6, {"status": "assigned"}, schema_version=1),
        row("IssueClosed", 7, {}),
    ]

    migration.record_each_events_status(apps, schema_editor=None)

    statuses = [RecordedEvent.objects.get(position=event.position).status for event in rows]
    assert statuses == [
        "reported",
        "reported",
        "triaged",
        "triaged",
        "resolved",
        "assigned",
        "closed",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_type", "schema_version", "data", "reason"),
    [
        ("IssueEscalated", 1, {}, "unknown event type 'IssueEscalated'"),
        ("IssueClosed", 7, {}, "IssueClosed of schema 7 is newer than this code's 1"),
        ("IssueReported", 1, {"reference": "HD-1"}, "IssueReported: "),
        ("IssueTriaged", 2, {"category": "x", "priority": "sometimes"}, "IssueTriaged: "),
    ],
)
def test_a_row_this_code_cannot_read_says_why(event_type, schema_version, data, reason):
    unreadable = row(event_type, 1, data, schema_version=schema_version)
    with pytest.raises(UndecodableEvent, match=reason):
        to_event(unreadable)


@pytest.mark.django_db
def test_a_report_of_schema_1_is_read_as_made_in_english():
    old = row(
        "IssueReported",
        1,
        {
            "reference": "HD-1001",
            "reporter_name": "Fred",
            "reporter_email": "fred@example.org",
            "description": "Broken.",
            "category": None,
            "priority": None,
        },
        schema_version=1,
    )

    event = to_event(old)

    assert isinstance(event, IssueReported)
    assert (event.reference, event.language) == ("HD-1001", "en")


@pytest.mark.django_db
def test_a_resolution_of_schema_1_is_read_with_no_watchers_and_no_files():
    old = row(
        "IssueResolved",
        4,
        {"resolution": "Replaced the toner.", "reporter_email": "fred@example.org"},
        schema_version=1,
        status="resolved",
    )

    event = to_event(old)

    assert isinstance(event, IssueResolved)
    assert (event.resolution, event.watchers) == ("Replaced the toner.", ())
    assert (event.attachments, event.message_id) == ((), None)


@pytest.mark.django_db
def test_a_merge_of_schema_1_is_read_as_telling_its_reporter_only():
    old = row(
        "IssueMerged",
        3,
        {"into": str(uuid.uuid4()), "into_reference": "HD-1000", "reporter_email": "f@x.org"},
        schema_version=1,
    )
    added = row("WatcherAdded", 4, {"email": "f@x.org"}, schema_version=1)

    merged = to_event(old)

    assert (merged.watchers, merged.into_resolution) == ((), None)
    assert to_event(added).merged_from is None
