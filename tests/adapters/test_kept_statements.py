"""A statement compiled once gives, for each call's values, exactly the rows its QuerySet does."""

import threading
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from issues_adapters.persistence import kept_statements
from issues_adapters.persistence.kept_statements import Count, Statement
from issues_adapters.persistence.models import RecordedEvent

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 23, 23, 59, 58, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def record(issue_id, position_data) -> None:
    RecordedEvent.objects.create(
        event_id=uuid.uuid4(),
        event_type="IssueReported",
        issue_id=issue_id,
        issue_version=1,
        actor_role="reporter",
        actor_name="Fred",
        data=position_data,
        occurred_at=AT,
        recorded_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def events_of(issue_id):
    return (
        RecordedEvent.objects.filter(issue_id=issue_id)
        .order_by("position")
        .values("position", "event_id", "issue_id", "data", "occurred_at", "actor_name")
    )


EVENTS = Statement(events_of, RecordedEvent._meta.get_field("issue_id"))
NAMES = Statement(
    lambda issue_id: (
        RecordedEvent.objects.filter(issue_id=issue_id)
        .order_by("position")
        .values_list("actor_name", flat=True)
    ),
    RecordedEvent._meta.get_field("issue_id"),
    flat=True,
)


@pytest.fixture
def two_issues():
    first, second = uuid.uuid4(), uuid.uuid4()
    record(first, {"text": "a\u00e9\u2603", "nested": [1, None, True]})
    record(first, {"n": 2})
    record(second, {"n": 3})
    return first, second


def test_each_call_reads_its_own_values_rows_as_the_queryset_does(two_issues):
    first, second = two_issues
    for issue_id in (first, second, uuid.uuid4(), first):
        assert EVENTS.rows(issue_id) == list(events_of(issue_id))
    assert EVENTS.rows(first)[0]["occurred_at"] == AT  # converted, not the database's text
    assert EVENTS.rows(first)[0]["event_id"].__class__ is uuid.UUID


def test_a_flat_statement_gives_the_values(two_issues):
    first, _ = two_issues
    assert NAMES.rows(first) == ["Fred", "Fred"]


def test_it_compiles_once_a_connection_and_runs_one_statement_a_call(two_issues, monkeypatch):
    first, second = two_issues
    statement = Statement(events_of, RecordedEvent._meta.get_field("issue_id"))
    compiled = []
    compile_ = statement._compile
    monkeypatch.setattr(
        statement, "_compile", lambda *a: compiled.append(1) or compile_(*a), raising=True
    )
    with CaptureQueriesContext(connection) as queries:
        statement.rows(first)
        statement.rows(second)
    assert len(compiled) == 1
    assert len(queries) == 2


def test_switched_off_it_runs_the_queryset(two_issues, monkeypatch):
    first, _ = two_issues
    monkeypatch.setattr(kept_statements, "KEPT", False)
    assert EVENTS.rows(first) == list(events_of(first))


def test_a_value_it_cannot_tell_from_another_parameter_is_refused():
    statement = Statement(
        lambda name: RecordedEvent.objects.filter(actor_name=name, event_type=name).values(
            "position"
        ),
        RecordedEvent._meta.get_field("actor_name"),
    )
    with pytest.raises(ValueError, match="2 times"):
        statement.rows("Fred")


@pytest.mark.django_db(transaction=True)
def test_another_thread_compiles_for_its_own_connection(two_issues):
    first, _ = two_issues
    statement = Statement(events_of, RecordedEvent._meta.get_field("issue_id"))
    expected = statement.rows(first)
    main = connections["default"]
    seen = []

    def read():
        try:
            seen.append(statement.rows(first))
            mine = connections["default"]
            seen.append(mine is not main and statement._local.compiled[0] is mine)
        finally:
            connections.close_all()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert seen == [expected, True]
    assert statement._local.compiled[0] is main  # this thread's, as it was


def test_a_name_asked_for_twice_reads_as_the_queryset_reads_it(two_issues):
    first, _ = two_issues

    def twice(issue_id):
        return (
            RecordedEvent.objects.filter(issue_id=issue_id)
            .order_by("-position")
            .values("position", "actor_name", "position", "event_type")[:5]
        )

    statement = Statement(twice, RecordedEvent._meta.get_field("issue_id"))
    assert statement.rows(first) == list(twice(first))
    assert len(statement.rows(first)) == 2


def test_a_kept_count_counts_what_the_queryset_counts_now(two_issues):
    first, _ = two_issues
    built = []

    def fred_s_first_two():
        built.append(1)
        return RecordedEvent.objects.filter(actor_name="Fred")[:2]

    count = Count(fred_s_first_two)
    assert count.value() == 2
    RecordedEvent.objects.filter(issue_id=first).delete()
    with CaptureQueriesContext(connection) as queries:
        assert count.value() == 1  # the rows as they are now, not as first counted
        record(first, {})
        record(first, {})
        assert count.value() == 2  # still at most two
    assert [q["sql"] for q in queries if "COUNT" in q["sql"]] == [queries[0]["sql"]] * 2
    assert len(built) == 1  # built and compiled once


def test_a_kept_count_switched_off_runs_the_queryset(two_issues, monkeypatch):
    monkeypatch.setattr(kept_statements, "KEPT", False)
    built = []
    count = Count(lambda: built.append(1) or RecordedEvent.objects.all())
    assert [count.value(), count.value()] == [3, 3]
    assert len(built) == 2
