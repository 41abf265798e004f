"""The hand-written INSERTs and UPDATEs store every value exactly as the ORM would."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from issues_adapters.api.models import IdempotencyRecord
from issues_adapters.eventing.models import Delivery
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.plain_statements import (
    insert,
    insert_each,
    insert_new,
    update,
    update_each,
)

pytestmark = pytest.mark.django_db

AT = datetime(2026, 11, 23, 23, 59, 58, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def raw_row(model, **where) -> tuple:
    """The row as the database holds it, every column, no conversion by Django."""
    table = connection.ops.quote_name(model._meta.db_table)
    ((column, value),) = where.items()
    field = model._meta.get_field(column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT * FROM {table} WHERE {connection.ops.quote_name(field.column)} = %s",
            [field.get_db_prep_value(value, connection)],
        )
        row = cursor.fetchone()
        names = [description[0] for description in cursor.description]
    return dict(zip(names, row, strict=True))


def an_event(**changes) -> dict:
    return {
        "event_id": uuid.uuid4(),
        "event_type": "IssueReported",
        "issue_id": uuid.uuid4(),
        "issue_version": 1,
        "actor_role": "reporter",
        "actor_name": "Fred Bloggs",
        "data": {"reference": "HD-1001", "text": "a\u00e9\u2603", "nested": [1, None, True]},
        "occurred_at": AT,
        "recorded_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    } | changes


def test_an_event_row_is_stored_as_the_orm_stores_it():
    by_orm, by_hand = an_event(), an_event()
    by_orm_row = RecordedEvent.objects.create(**by_orm)
    position = insert(RecordedEvent, by_hand, returning="position")

    orm = raw_row(RecordedEvent, position=by_orm_row.position)
    hand = raw_row(RecordedEvent, position=position)
    # Different by design: ids, and recorded_at (the ORM sets its own: auto_now_add).
    for column in ("event_id", "issue_id", "position", "recorded_at"):
        orm.pop(column), hand.pop(column)
    assert hand == orm
    stored = RecordedEvent.objects.get(position=position)
    assert (stored.event_id, stored.occurred_at, stored.recorded_at, stored.data) == (
        by_hand["event_id"],
        AT,
        by_hand["recorded_at"],
        by_hand["data"],
    )


def test_ids_given_as_text_and_naive_values_take_the_fields_own_way():
    event_id = uuid.uuid4()
    position = insert(
        RecordedEvent, an_event(event_id=str(event_id), issue_version="3"), returning="position"
    )
    stored = RecordedEvent.objects.get(position=position)
    assert (stored.event_id, stored.issue_version) == (event_id, 3)


def test_rows_already_there_are_left_as_they_are():
    event = RecordedEvent.objects.create(**an_event())
    row = {
        "handler": "web.queue_counts",
        "position": event.position,
        "event_id": event.event_id,
        "event_type": event.event_type,
        "status": "pending",
        "attempts": 0,
        "last_error": "",
        "next_attempt_at": AT,
        "created_at": AT,
    }
    insert_new(Delivery, [row])
    Delivery.objects.update(status="done")
    insert_new(Delivery, [row, row | {"handler": "mail.reporter.report_confirmation"}])

    assert sorted(Delivery.objects.values_list("handler", "status")) == [
        ("mail.reporter.report_confirmation", "pending"),
        ("web.queue_counts", "done"),
    ]
    assert Delivery.objects.get(handler="web.queue_counts").next_attempt_at == AT


def a_running_claim(**changes) -> IdempotencyRecord:
    return IdempotencyRecord.objects.create(
        **{
            "key": str(uuid.uuid4()),
            "caller": "anon:127.0.0.1",
            "fingerprint": "f" * 64,
            "claim": uuid.uuid4(),
            "state": IdempotencyRecord.RUNNING,
            "created_at": AT,
        }
        | changes
    )


def test_an_update_stores_what_the_orms_update_stores_and_counts_the_rows():
    by_orm, by_hand, untouched = a_running_claim(), a_running_claim(), a_running_claim()
    done = {
        "state": IdempotencyRecord.DONE,
        "response_status": 201,
        "response_body": {"id": "x", "text": "a\u00e9\u2603", "nested": [1, None, True]},
        "response_headers": {"ETag": '"1"'},
        "completed_at": AT,
    }

    IdempotencyRecord.objects.filter(pk=by_orm.pk).update(**done)
    updated = update(IdempotencyRecord, done, where={"id": by_hand.pk, "claim": by_hand.claim})

    assert updated == 1
    orm, hand = raw_row(IdempotencyRecord, id=by_orm.pk), raw_row(IdempotencyRecord, id=by_hand.pk)
    for column in ("id", "key", "claim"):
        orm.pop(column), hand.pop(column)
    assert hand == orm
    assert IdempotencyRecord.objects.get(pk=untouched.pk).state == IdempotencyRecord.RUNNING


def test_an_update_whose_conditions_match_nothing_changes_nothing():
    claim = a_running_claim()

    updated = update(
        IdempotencyRecord,
        {"state": IdempotencyRecord.DONE},
        where={"id": claim.pk, "claim": uuid.uuid4()},
    )

    assert updated == 0
    assert IdempotencyRecord.objects.get(pk=claim.pk).state == IdempotencyRecord.RUNNING


def test_rows_inserted_each_in_one_go_are_stored_as_one_insert_stores_them():
    one, each = an_event(), [an_event(), an_event(issue_version=2)]
    position = insert(RecordedEvent, one, returning="position")

    insert_each(RecordedEvent, each)

    stored = {row.event_id: row for row in RecordedEvent.objects.all()}
    assert set(stored) == {one["event_id"], *(event["event_id"] for event in each)}
    single = raw_row(RecordedEvent, position=position)
    for event in each:
        row = raw_row(RecordedEvent, event_id=event["event_id"])
        for column in ("event_id", "issue_id", "position", "issue_version"):
            row.pop(column), single.pop(column, None)
        assert row == single
    assert stored[each[1]["event_id"]].issue_version == 2


def test_updates_each_in_one_go_count_every_row_they_changed():
    first, second, stale = a_running_claim(), a_running_claim(), a_running_claim()
    done = {"state": IdempotencyRecord.DONE, "completed_at": AT}

    updated = update_each(
        IdempotencyRecord,
        [
            (done, {"id": first.pk, "claim": first.claim}),
            (done, {"id": second.pk, "claim": second.claim}),
            (done, {"id": stale.pk, "claim": uuid.uuid4()}),
        ],
    )

    assert updated == 2
    assert dict(IdempotencyRecord.objects.values_list("pk", "state")) == {
        first.pk: IdempotencyRecord.DONE,
        second.pk: IdempotencyRecord.DONE,
        stale.pk: IdempotencyRecord.RUNNING,
    }
