"""The rebuild's read of the log (a bare cursor, its own decoders) gives what the ORM's does."""

import pytest

from issues_adapters.persistence.event_log import rows_after, rows_of, to_event
from issues_adapters.persistence.models import RecordedEvent
from tests.events.support import make_staff
from tests.events.test_rebuild import report_some, staff_work


@pytest.fixture
def logged(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_staff("alice", "bob")
    staff_work(report_some(6), seed=2)


def in_commit_order():
    return rows_of(RecordedEvent.objects.order_by("transaction_id", "position"))


def test_the_rows_and_their_events_are_the_orm_s(logged):
    orm = in_commit_order()
    read, mark = [], (0, 0)
    while found := rows_after(mark, limit=4):
        read += found
        mark = (found[-1].transaction_id, found[-1].position)

    assert len(orm) > 6 and read == orm
    assert [to_event(row) for row in read] == [to_event(row) for row in orm]
    assert all(row.occurred_at.utcoffset().total_seconds() == 0 for row in read)


def test_only_the_types_asked_for_are_read(logged):
    types = {"IssueAssigned", "IssueResolved"}

    read = rows_after((0, 0), limit=1000, event_types=types)

    assert read == [row for row in in_commit_order() if row.event_type in types]
    assert {row.event_type for row in read} == types


def test_events_of_later_transactions_follow_in_commit_order(logged):
    positions = list(RecordedEvent.objects.order_by("position").values_list("position", flat=True))
    for n, position in enumerate(positions):  # later positions in earlier transactions
        RecordedEvent.objects.filter(position=position).update(transaction_id=10 - n % 3)
    orm = in_commit_order()

    read, mark = [], (0, 0)
    while found := rows_after(mark, limit=4):
        read += found
        mark = (found[-1].transaction_id, found[-1].position)

    assert read == orm
    assert [row.transaction_id for row in read] == sorted(row.transaction_id for row in orm)
