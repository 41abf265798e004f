"""Rebuilding a read model from the event log while staff work.

1. New tables are made beside the live ones (`<table>__r<rebuild id>`), and the live model
   goes on answering and taking in events as before.
2. The log is read in commit order, a batch a short transaction (no lock that a reporter or
   the live delivery would wait for), only the event types the model takes in, and the
   model's `rebuilding` takes in each batch - into the new tables, or into memory to be
   written once at the end (reports.counts); the rebuild's row shows the progress. With each
   batch it notes the transactions still running: one of them may yet commit an event that
   falls before what was read.
3. Swap: in one transaction the live tables are locked against writes (PostgreSQL waits for
   the live deliveries in flight; SQLite has one writer anyway), the new tables take in every
   event committed since and every event of the transactions noted, and the tables are renamed
   - the new ones under the live names, the old ones dropped. An event that commits after the
   swap is delivered to the new tables by the live delivery, as any other.

Read models are built so that taking in an event twice or out of order changes nothing (the
"triple shuffle"), so the live model's delivery rows stay true for the new tables.

A rebuild whose worker died (its row says running, but it has not reported for
HELPDESK_REBUILD_STALE_SECONDS) is given up by the next `start()`, which drops its tables; the
live model never noticed.
"""

import contextlib
import gc
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Protocol

from django.apps.registry import Apps
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.state import ModelState
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from issues_adapters.eventing import outbox
from issues_adapters.eventing.models import Rebuild
from issues_adapters.persistence.event_codec import UndecodableEvent
from issues_adapters.persistence.event_log import EventRow, rows_after, to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_domain.events import ALL_EVENTS, Event

logger = logging.getLogger(__name__)

BATCH = 5000
Progress = Callable[[Rebuild], None]


class Building(Protocol):
    """A rebuild's work on new tables: the log's events, batch by batch, then the end."""

    def take(self, taken: list[Event]) -> None: ...

    def finish(self) -> None: ...


class ReadModel(Protocol):
    """A handler whose state is its own tables, and can be written into others.

    It may also have `handles` (the event types it takes in: the rebuild reads only those)
    and `rebuilding(tables) -> Building` (its own way to fill new tables from the whole log,
    say in memory and written once at the end); without it each batch goes to `apply_into`.
    Either way the swap's catch-up goes to `apply_into`."""

    name: str
    models: tuple[type[models.Model], ...]

    def apply_into(self, taken: list[Event], tables: dict) -> None: ...


class RebuildRefused(Exception):
    """Why a rebuild cannot start; `code` names it for the API."""

    code = "rebuild_refused"


class UnknownReadModel(RebuildRefused):
    code = "unknown_read_model"


class SendsMail(RebuildRefused):
    code = "handler_sends_mail"


class AlreadyRunning(RebuildRefused):
    code = "rebuild_already_running"


def _stale() -> timedelta:
    return timedelta(seconds=settings.HELPDESK_REBUILD_STALE_SECONDS)


def check(name: str, read_models: dict[str, ReadModel], mail_handlers: set[str]) -> ReadModel:
    if name in mail_handlers:
        raise SendsMail(
            _("%(name)s sends mail: replaying events never sends mail") % {"name": name}
        )
    if name not in read_models:
        known = ", ".join(sorted(read_models)) or "none"
        raise UnknownReadModel(
            _("No read model is called '%(name)s'; known: %(known)s")
            % {"name": name, "known": known}
        )
    return read_models[name]


def start(
    name: str,
    read_models: dict[str, ReadModel],
    mail_handlers: set[str],
    *,
    requested_by: str = "",
) -> Rebuild:
    """The rebuild's row, once it may start; refused (RebuildRefused) if it may not."""
    model = check(name, read_models, mail_handlers)
    running = Rebuild.objects.filter(handler=name, status=Rebuild.Status.RUNNING).first()
    if running is not None:
        if running.heartbeat_at > timezone.now() - _stale():
            raise AlreadyRunning(
                _(
                    "A rebuild of %(name)s is running (%(done)s of %(total)s events); "
                    "wait for it to finish"
                )
                % {
                    "name": name,
                    "done": number_format(running.events_done, force_grouping=True),
                    "total": number_format(running.events_total, force_grouping=True),
                }
            )
        _give_up(running, model, "its worker stopped reporting; started again")
    try:
        with transaction.atomic():
            return Rebuild.objects.create(
                handler=name,
                events_total=_events_of(model).count(),  # once, for the progress bar
                requested_by=requested_by,
            )
    except IntegrityError as error:  # another start won the race
        raise AlreadyRunning(
            _("A rebuild of %(name)s has just started") % {"name": name}
        ) from error


def _give_up(rebuild: Rebuild, model: ReadModel, why: str) -> None:
    _drop(_shadow_tables(model, rebuild.id).values())
    Rebuild.objects.filter(id=rebuild.id, status=Rebuild.Status.RUNNING).update(
        status=Rebuild.Status.FAILED, error=why, finished_at=timezone.now()
    )


def run(rebuild: Rebuild, model: ReadModel, *, progress: Progress | None = None) -> Rebuild:
    """Build, catch up and swap in; the row says how it went. Raises what made it fail."""
    shadow = _shadow_tables(model, rebuild.id)
    try:
        _drop(shadow.values())
        _create(model, shadow)
        building = _building(model, shadow)
        types = _types(model)
        mark, late = outbox.START, set()
        with _long_lived_objects_left_alone() as batch_lived_through:
            while True:
                rows, running = _read(mark, types)
                late |= running
                if not rows:
                    break
                building.take(_decoded(rows))
                batch_lived_through()
                rebuild.events_done += len(rows)
                rebuild.events_total = max(rebuild.events_total, rebuild.events_done)
                _report(rebuild)
                mark = outbox.Mark(rows[-1].transaction_id, rows[-1].position)
                if progress:
                    progress(rebuild)
            building.finish()
        _report(rebuild)
        _swap(model, shadow, mark, late, rebuild)
    except Exception as error:
        logger.exception("Rebuild of %s failed", rebuild.handler)
        _drop(shadow.values())
        Rebuild.objects.filter(id=rebuild.id).update(
            status=Rebuild.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:4000],
            finished_at=timezone.now(),
        )
        raise
    rebuild.refresh_from_db()
    return rebuild


class _TakingInBatches:
    """A read model's rebuild without a state of its own: each batch taken in as the live
    delivery would, into the new tables, in a short transaction."""

    def __init__(self, model: ReadModel, tables: dict):
        self.model, self.tables = model, tables

    def take(self, taken: list[Event]) -> None:
        with transaction.atomic():
            self.model.apply_into(taken, self.tables)

    def finish(self) -> None:
        pass


def _building(model: ReadModel, shadow: dict) -> Building:
    if hasattr(model, "rebuilding"):
        return model.rebuilding(shadow)
    return _TakingInBatches(model, shadow)


def _types(model: ReadModel) -> set[str] | None:
    """The names of the event types the model takes in (None: all), so that the log is read
    for those only."""
    handles = getattr(model, "handles", None)
    if handles is None or set(handles) >= set(ALL_EVENTS):
        return None
    return {event_type.__name__ for event_type in handles}


def _events_of(model: ReadModel):
    types = _types(model)
    events = RecordedEvent.objects.all()
    return events if types is None else events.filter(event_type__in=types)


def _report(rebuild: Rebuild) -> None:
    Rebuild.objects.filter(id=rebuild.id).update(
        events_done=rebuild.events_done,
        events_total=rebuild.events_total,
        heartbeat_at=timezone.now(),
    )


@contextlib.contextmanager
def _long_lived_objects_left_alone():
    """Python's collector of reference cycles walks every object that has lived long, over and
    over as more are made: a rebuild's state held in memory made it half of the time spent
    decoding events (bench/rebuild_floor.py). What has lived through a batch is moved out of
    its sight; objects in cycles that die meanwhile are collected at the end."""
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def _read(mark: outbox.Mark, types: set[str] | None) -> tuple[list[EventRow], set[int]]:
    """Up to BATCH committed events after the mark in commit order, and the ids of the
    transactions still running when they were read (as outbox.events_after reads them); with
    a bare cursor, of the model's types only."""
    read = (mark.transaction_id, mark.position)
    return outbox.with_running_transactions(
        lambda: rows_after(read, limit=BATCH, event_types=types)
    )


def _decoded(rows) -> list[Event]:
    """The events a batch holds; one this code cannot read is left out here (the live
    delivery parks it for staff to see, outbox.py)."""
    taken = []
    for row in rows:
        try:
            taken.append(to_event(row))
        except UndecodableEvent as error:
            logger.error("Rebuild leaves out event #%s: %s", row.position, error)
    return taken


def fill(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Insert the rows into a new table (of a rebuild), values as the driver takes them:
    COPY on PostgreSQL, multi-row INSERTs elsewhere; the rows may come one at a time."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        per_statement = max(1, 900 // len(columns))  # SQLite's limit of parameters
        values = "(" + ", ".join(["?"] * len(columns)) + ")"
        # The driver's own cursor: Django's rewrote each statement's 900 placeholders by a
        # regular expression, three quarters of the time of a rebuild's writes on SQLite.
        raw = connection.connection.cursor()
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, per_statement)):
            raw.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([values] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _swap(
    model: ReadModel, shadow: dict, mark: outbox.Mark, late: set[int], rebuild: Rebuild
) -> None:
    quote = connection.ops.quote_name
    live = {table: table._meta.db_table for table in model.models}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Writers wait (the live delivery in flight finishes first); readers go on.
            tables = ", ".join(quote(name) for name in live.values())
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        started = time.monotonic()
        caught_up = 0
        while rows := _read(mark, _types(model))[0]:
            model.apply_into(_decoded(rows), shadow)
            mark = outbox.Mark(rows[-1].transaction_id, rows[-1].position)
            caught_up += len(rows)
        position = 0  # events taken in twice change nothing: read models are built so
        while late and (rows := outbox.events_of(late, limit=BATCH, after_position=position)):
            model.apply_into(_decoded(rows), shadow)
            position = rows[-1].position
        with connection.cursor() as cursor:
            for table, name in live.items():
                retired = f"{name}__old{rebuild.id}"
                cursor.execute(f"ALTER TABLE {quote(name)} RENAME TO {quote(retired)}")
                cursor.execute(f"ALTER TABLE {quote(shadow[table])} RENAME TO {quote(name)}")
                cursor.execute(f"DROP TABLE {quote(retired)}")
        now = timezone.now()
        Rebuild.objects.filter(id=rebuild.id).update(
            status=Rebuild.Status.DONE,
            events_done=rebuild.events_done + caught_up,
            events_total=rebuild.events_done + caught_up,
            heartbeat_at=now,
            finished_at=now,
        )
    logger.info(
        "Rebuilt %s: %s events, %s caught up in the swap (%.3f s)",
        rebuild.handler,
        rebuild.events_done + caught_up,
        caught_up,
        time.monotonic() - started,
    )


def _shadow_tables(model: ReadModel, rebuild_id: int) -> dict:
    return {table: f"{table._meta.db_table}__r{rebuild_id}" for table in model.models}


def _create(model: ReadModel, shadow: dict) -> None:
    """New, empty tables like the live ones (columns, keys, indexes), under the new names."""
    with connection.schema_editor() as editor:
        for table, name in shadow.items():
            editor.create_model(_model_named(table, name))


def _model_named(model: type[models.Model], table: str) -> type[models.Model]:
    state = ModelState.from_model(model)
    state.name = f"{model.__name__}Rebuilt"
    state.options = {**state.options, "db_table": table}
    suffix = table.rsplit("__", 1)[-1]
    for option in ("indexes", "constraints"):
        renamed = []
        for item in state.options.get(option, []):
            item = item.clone()
            item.name = f"{item.name[:20]}_{suffix}"
            renamed.append(item)
        state.options[option] = renamed
    return state.render(Apps())


def _drop(tables) -> None:
    existing = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for name in tables:
            if name in existing:
                cursor.execute(f"DROP TABLE {quote(name)}")


def run_by_id(rebuild_id: int, read_models: dict[str, ReadModel]) -> Rebuild:
    rebuild = Rebuild.objects.get(id=rebuild_id)
    return run(rebuild, read_models[rebuild.handler])


def launch(rebuild: Rebuild, read_models: dict[str, ReadModel]) -> None:
    """Run a started rebuild in the background: on a Celery worker in scale-out mode, else on
    a thread of this process (if the process dies, the next start takes over)."""
    if settings.CELERY_BROKER_URL:
        from issues_adapters.eventing.celery_app import app

        app.send_task("eventing.rebuild", args=[rebuild.id])
        return

    def in_the_background():
        try:
            run_by_id(rebuild.id, read_models)
        except Exception:
            pass  # logged, and written on the rebuild's row, by run()
        finally:
            connection.close()

    threading.Thread(target=in_the_background, name=f"rebuild-{rebuild.id}", daemon=True).start()
