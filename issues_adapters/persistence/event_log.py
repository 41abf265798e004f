"""Appending events to the log, and reading them back as domain events."""

import uuid
from collections import namedtuple
from collections.abc import Collection
from datetime import datetime

import orjson
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from psycopg.types.datetime import TimestamptzLoader

from issues_adapters.persistence import event_codec
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.plain_statements import insert, insert_each
from issues_domain.events import Event, IssueCommented, IssueResolved
from issues_domain.ports import IssueHistory


def record_events(events: list[Event]) -> list[int]:
    """Append the events to the log, in the caller's transaction; returns their positions."""
    return [insert(RecordedEvent, _row(event), returning="position") for event in events]


def record_many(events: list[Event]) -> list[int]:
    """`record_events` for many events in one `executemany` (one pipeline on psycopg) and one
    read of their positions, in the order given."""
    if not events:
        return []
    insert_each(RecordedEvent, [_row(event) for event in events])
    ids = [event.event_id for event in events]
    found = dict(RecordedEvent.objects.filter(event_id__in=ids).values_list("event_id", "position"))
    return [found[event_id] for event_id in ids]


def _row(event: Event) -> dict:
    return {
        "event_id": event.event_id,
        "event_type": type(event).__name__,
        "issue_id": event.issue_id,
        "issue_version": event.version,
        "status": event.status.value if event.status else None,
        "correlation_id": event.correlation_id,
        "causation_id": event.causation_id,
        "schema_version": type(event).schema_version,
        "actor_role": event.actor.role.value,
        "actor_name": event.actor.name,
        "data": {**event_codec.encode(event), "actor_email": event.actor.email},
        "occurred_at": event.occurred_at,
        "recorded_at": timezone.now(),
    }


# What reading an event needs, without a model instance per row (a rebuild reads millions).
EventRow = namedtuple(
    "EventRow",
    [
        "transaction_id",
        "position",
        "event_id",
        "event_type",
        "issue_id",
        "issue_version",
        "status",
        "correlation_id",
        "causation_id",
        "schema_version",
        "actor_role",
        "actor_name",
        "data",
        "occurred_at",
    ],
)


def rows_of(events: QuerySet) -> list[EventRow]:
    return [EventRow(*values) for values in events.values_list(*EventRow._fields)]


def rows_after(
    mark: tuple[int, int], *, limit: int, event_types: Collection[str] | None = None
) -> list[EventRow]:
    """Up to `limit` events after (transaction id, position) in commit order, of these types
    (None: all), read with a bare cursor and cheaper decoders than the ORM's (orjson; the
    drivers' compiled date parsers): a rebuild reads the whole log, and this reads it in a
    third of the ORM's time (bench/rebuild_floor.py)."""
    quote = connection.ops.quote_name
    table = quote(RecordedEvent._meta.db_table)
    columns = ", ".join(quote(name) for name in EventRow._fields)
    if connection.vendor == "sqlite":  # as text: Django's converter parses it in Python
        columns = columns.replace(quote("occurred_at"), f"CAST({quote('occurred_at')} AS TEXT)")
    transaction_id, position = quote("transaction_id"), quote("position")
    if connection.vendor == "sqlite":
        # SQLite walks the index for a row comparison by its first column only: each batch
        # read the log again from its start (a 1,000,000-event rebuild, 16 us an event). Its
        # transaction ids are all 0, so the second part finds nothing, at once.
        parts = [
            (f"{transaction_id} = %s AND {position} > %s", [*mark]),
            (f"{transaction_id} > %s", [mark[0]]),
        ]
    else:
        parts = [(f"({transaction_id}, {position}) > (%s, %s)", [*mark])]
    of_types, types = "", []
    if event_types is not None:
        of_types = f" AND {quote('event_type')} IN ({', '.join(['%s'] * len(event_types))})"
        types = sorted(event_types)
    found: list = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg's own (compiled) loader: Django's, in Python, cost 3.7 us a row.
            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        for condition, params in parts:
            if len(found) >= limit:
                break
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {condition}{of_types} "
                f"ORDER BY {transaction_id}, {position} LIMIT {int(limit - len(found))}",
                params + types,
            )
            found += cursor.fetchall()
    issue_ids: dict = {}  # SQLite's are text: an issue's events share its id, read once
    return [_from_cursor(row, issue_ids) for row in found]


def _from_cursor(values: tuple, issue_ids: dict) -> EventRow:
    (
        transaction_id,
        position,
        event_id,
        event_type,
        issue_id,
        version,
        status,
        correlation,
        causation,
        schema,
        role,
        name,
        data,
        occurred_at,
    ) = values
    if type(issue_id) is str:  # SQLite keeps them as hex text
        event_id = uuid.UUID(event_id)
        issue_id = issue_ids.get(issue_id) or issue_ids.setdefault(issue_id, uuid.UUID(issue_id))
    if type(occurred_at) is str:  # SQLite's, naive UTC as Django writes them: parsed as UTC
        try:  # (a fifth of the time of .replace(tzinfo=UTC))
            occurred_at = datetime.fromisoformat(occurred_at + "+00:00")
        except ValueError:  # it has an offset of its own
            occurred_at = datetime.fromisoformat(occurred_at)
    return EventRow(
        transaction_id,
        position,
        event_id,
        event_type,
        issue_id,
        version,
        status,
        correlation,
        causation,
        schema,
        role,
        name,
        orjson.loads(data),
        occurred_at,
    )


def to_event(row: RecordedEvent | EventRow) -> Event:
    """The domain event a row holds, upcast from the schema it was written in."""
    return event_codec.decode(
        row.event_type,
        row.data,  # copied there; its actor_email is no field of the event's
        schema_version=row.schema_version,
        status=row.status,
        correlation_id=row.correlation_id,
        causation_id=row.causation_id,
        event_id=row.event_id,
        issue_id=row.issue_id,
        version=row.issue_version,
        occurred_at=row.occurred_at,
        actor_role=row.actor_role,
        actor_name=row.actor_name,
        actor_email=row.data.get("actor_email", ""),
    )


class DjangoIssueHistory(IssueHistory):
    def comments_on(self, issue_id) -> list[IssueCommented]:
        rows = RecordedEvent.objects.filter(issue_id=issue_id, event_type=IssueCommented.__name__)
        return [to_event(row) for row in rows_of(rows.order_by("position"))]

    def resolutions_of(self, issue_id) -> list[IssueResolved]:
        rows = RecordedEvent.objects.filter(issue_id=issue_id, event_type=IssueResolved.__name__)
        return [to_event(row) for row in rows_of(rows.order_by("position"))]
