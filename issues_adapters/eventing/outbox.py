"""Reading the event log in commit order, and each handler's checkpoint in it.

Positions come from a sequence, so on PostgreSQL a transaction that took a lower position may
commit after one that took a higher one: "every position below N is in" is never known from
positions alone. Every event row therefore also holds the id of the transaction that wrote it
(`transaction_id`), and the log is read in (transaction id, position) order. PostgreSQL's
snapshot tells the oldest transaction still running (its xmin): every transaction with a lower
id has ended, and any transaction that commits later has an id at or above it. So the part of
the log below the xmin, in that order, is final - nothing can ever commit into it - and a
checkpoint that only moves through that part can never pass an event that has yet to appear.
Rolled-back transactions leave gaps in the positions and nothing in the log, so they stall
nothing. On SQLite writers commit one at a time, every transaction id is 0, and the order is
the positions'.

A handler's checkpoint only moves past events it has a `Delivery` row for (done, waiting for a
retry, or parked), so a checkpoint never skips an event; events after it that have no row are
found by `untracked()`, however many came after them. A transaction that stays open long holds
the checkpoints back (not the deliveries): the status panel shows it as lag.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, Max, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from issues_adapters.eventing.models import Checkpoint, Delivery
from issues_adapters.persistence.event_codec import EVENT_TYPES
from issues_adapters.persistence.event_log import EventRow, rows_of
from issues_adapters.persistence.models import RecordedEvent


@dataclass(frozen=True, order=True)
class Mark:
    """A place in the log, in commit order: the event at (transaction id, position)."""

    transaction_id: int = 0
    position: int = 0


START = Mark()


def mark_of(checkpoint: Checkpoint) -> Mark:
    return Mark(checkpoint.transaction_id, checkpoint.position)


def after(mark: Mark) -> RawSQL:
    """Events after the mark in commit order. A row comparison, because PostgreSQL walks the
    (transaction id, position) index from the mark on for it, where for the same condition
    spelt with OR it filters the index from its start: a rebuild of 1,000,000 events read
    every earlier event again for each batch."""
    table = connection.ops.quote_name(RecordedEvent._meta.db_table)
    if connection.vendor == "sqlite":
        # Every event's transaction id is 0 on SQLite (the column's default; its writers take
        # turns, so positions are in commit order). SQLite searched the index for the row
        # comparison by its first column only: each read walked the log from its start
        # (335 ms at position 900,000 of 1,026,783 events; 0.5 ms this way).
        return RawSQL(
            f'{table}."transaction_id" = %s AND {table}."position" > %s',
            [mark.transaction_id, mark.position],
            output_field=BooleanField(),
        )
    return RawSQL(
        f'({table}."transaction_id", {table}."position") > (%s, %s)',
        [mark.transaction_id, mark.position],
        output_field=BooleanField(),
    )


def below_frontier() -> Q:
    """The final part of the log: events of transactions that can no longer be running."""
    if connection.vendor != "postgresql":
        return Q()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
            "pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    # Our own transaction's events are final to us if nothing older runs (a test's, say).
    if own is not None and own == oldest_running:
        return Q(transaction_id__lte=own)
    return Q(transaction_id__lt=oldest_running)


COMMIT_ORDER = ("transaction_id", "position")


def head() -> int:
    """The highest position recorded (0 for an empty log)."""
    return RecordedEvent.objects.aggregate(top=Max("position"))["top"] or 0


def checkpoint(handler_name: str, *, sends_mail: bool = False) -> Checkpoint:
    """The handler's checkpoint; a handler seen for the first time starts at the beginning,
    except one that sends mail and joins a running helpdesk: it starts where the others are,
    so that it never mails about the past."""
    found = Checkpoint.objects.filter(handler=handler_name).first()
    if found is not None:
        return found
    start = START
    if sends_mail:
        others = Checkpoint.objects.order_by(*COMMIT_ORDER).values_list(*COMMIT_ORDER)[:1]
        start = Mark(*others[0]) if others else START
    found, _ = Checkpoint.objects.get_or_create(
        handler=handler_name,
        defaults={"transaction_id": start.transaction_id, "position": start.position},
    )
    return found


def untracked(
    handler_name: str, event_types: set[str], mark: Mark, *, grace: timedelta, limit: int
) -> list[int]:
    """Positions after the mark of events of these types the handler has no Delivery row for,
    recorded at least `grace` ago (younger ones are the after-commit delivery's), in commit
    order. Below the frontier or not: every event visible now is committed."""
    tracked = Delivery.objects.filter(handler=handler_name, position=OuterRef("position"))
    return list(
        RecordedEvent.objects.filter(after(mark), event_type__in=event_types)
        .filter(recorded_at__lte=timezone.now() - grace)
        .filter(~Exists(tracked))
        .order_by(*COMMIT_ORDER)
        .values_list("position", flat=True)[:limit]
    )


def advance(handler_name: str, event_types: set[str], *, limit: int = 10_000) -> bool:
    """Move the handler's checkpoint over the final events it has taken in: up to the first
    event of its types without a Delivery row, or the frontier, or `limit` events on. True if
    it went the whole `limit` (there may be more to pass).

    An event of a type this code does not know stops it too: newer code (a rolling deploy)
    may have a handler of this name that takes it, and must find it after the checkpoint."""
    current = checkpoint(handler_name)
    mark = new = mark_of(current)
    tracked = Delivery.objects.filter(handler=handler_name, position=OuterRef("position"))
    rows = (
        RecordedEvent.objects.filter(after(mark))
        .filter(below_frontier())
        .annotate(tracked=Exists(tracked))
        .order_by(*COMMIT_ORDER)
        .values_list("transaction_id", "position", "event_type", "tracked")[:limit]
    )
    passed = 0
    for transaction_id, position, event_type, is_tracked in rows:
        if (event_type in event_types or event_type not in EVENT_TYPES) and not is_tracked:
            break
        new = Mark(transaction_id, position)
        passed += 1
    if new != mark:
        # Only forward: a relay that read an older mark cannot move it back.
        Checkpoint.objects.filter(
            handler=handler_name, transaction_id=mark.transaction_id, position=mark.position
        ).update(transaction_id=new.transaction_id, position=new.position)
    return passed == limit


def events_after(mark: Mark, *, limit: int) -> tuple[list[EventRow], set[int]]:
    """Up to `limit` committed events after the mark in commit order, and the ids of the
    transactions still running when they were read, both as of one snapshot: an event those
    transactions commit later may fall before the mark, and is theirs (a rebuild reads them
    again by transaction id, rebuilds.py). Nothing else can: a transaction that starts later
    takes a higher id than every event read."""
    rows = RecordedEvent.objects.filter(after(mark)).order_by(*COMMIT_ORDER)[:limit]
    return with_running_transactions(lambda: rows_of(rows))


def with_running_transactions(
    read: Callable[[], list[EventRow]],
) -> tuple[list[EventRow], set[int]]:
    """What `read` finds, and the ids of the transactions still running, as of one snapshot
    (PostgreSQL; SQLite has one writer, so none run beside a read)."""
    if connection.vendor != "postgresql":
        return read(), set()
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            if not nested:  # a test's own transaction has its snapshot already
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_snapshot_xip(pg_current_snapshot())::text::bigint")
            running = {transaction_id for (transaction_id,) in cursor.fetchall()}
        return read(), running


def events_of(transaction_ids: set[int], *, limit: int, after_position: int = 0) -> list[EventRow]:
    """The events these transactions recorded, in position order from `after_position`."""
    return rows_of(
        RecordedEvent.objects.filter(
            transaction_id__in=transaction_ids, position__gt=after_position
        ).order_by("position")[:limit]
    )
