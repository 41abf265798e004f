"""The side bar's live counts: a read model kept current from events, read in one query.

Counting a million-row table on every page view would make the queue slower as the helpdesk
grows; instead each event moves an issue between buckets and adjusts two or three counters.

The writes take the tables' names, so that a rebuild (eventing/rebuilds.py) can fill new
tables while these keep answering, and swap them in once they have caught up.
"""

import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat

from issues_adapters.persistence.kept_statements import Statement
from issues_adapters.persistence.models import NOT_SET
from issues_adapters.persistence.plain_statements import preparer
from issues_adapters.sla.display import SLA_VIEWS
from issues_adapters.sla.models import SlaViewCount
from issues_adapters.web.models import QueueCount, QueueIssueState
from issues_domain import events
from issues_domain.lifecycle import is_open


@dataclass(slots=True)
class State:
    """An issue's row of QueueIssueState while events move it (a model instance per issue
    cost a rebuild more than the counting did)."""

    issue_id: uuid.UUID
    status: str | None = None
    status_version: int = 0
    assignee: str | None = None
    assignee_version: int = 0
    category: str | None = None
    priority: str | None = None
    triage_version: int = 0
    tags: str | None = None
    tags_version: int = 0


def buckets(state: State) -> set[str]:
    if state.status is None:
        return set()
    found = {f"status:{state.status}"}
    if is_open(state.status):
        found.add("open")
        found.add("unassigned" if state.assignee is None else f"assignee:{state.assignee}")
        found.add(f"category:{state.category or NOT_SET}")
        found.add(f"priority:{state.priority or NOT_SET}")
        found.update(f"tag:{tag}" for tag in (state.tags or "").split())
    return found


def _take(state: State, event: events.Event) -> None:
    """Take from the event every fact it states that is newer than what the state holds."""
    version = event.version

    def status(value):
        if version > state.status_version:
            state.status, state.status_version = str(value), version

    def assignee(value):
        if version > state.assignee_version:
            state.assignee, state.assignee_version = value, version

    def triage(category, priority):
        if version > state.triage_version:
            state.category = category
            state.priority = str(priority) if priority else None
            state.triage_version = version

    def tags(value):
        if version > state.tags_version:
            state.tags, state.tags_version = " ".join(value) or None, version

    if event.status is not None:  # every event says the status it left the issue in
        status(event.status)
    if isinstance(event, events.IssueReported):
        assignee(None)
        triage(event.category, event.priority)
    elif isinstance(event, events.IssueTriaged):
        triage(event.category, event.priority)
    elif isinstance(event, events.IssueAssigned | events.IssueReassigned | events.IssueReopened):
        assignee(event.assignee)
    elif isinstance(event, events.IssuePicked):
        assignee(event.engineer)
    elif isinstance(event, events.IssueTagged):
        tags(event.tags)


LIVE = {QueueIssueState: QueueIssueState._meta.db_table, QueueCount: QueueCount._meta.db_table}


def _add_all(deltas: dict[str, int], tables: dict) -> None:
    """Move every counter in one statement: an upsert (SQLite >= 3.24 and PostgreSQL)."""
    if not deltas:
        return
    quote = connection.ops.quote_name
    table, key, count = quote(tables[QueueCount]), quote("key"), quote("count")
    values = ", ".join(["(%s, %s)"] * len(deltas))
    params = [item for pair in sorted(deltas.items()) for item in pair]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {count}) VALUES {values} "
            f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
            params,
        )


_STATE_FIELDS = (
    "status",
    "status_version",
    "assignee",
    "assignee_version",
    "category",
    "priority",
    "triage_version",
    "tags",
    "tags_version",
)


def _states_of(issue_ids, tables: dict) -> dict:
    """The issues' rows (locked on PostgreSQL), by issue id; plain SQL, one statement."""
    quote = connection.ops.quote_name
    table = quote(tables[QueueIssueState])
    key = QueueIssueState._meta.pk
    ids = [key.get_db_prep_value(issue_id, connection) for issue_id in dict.fromkeys(issue_ids)]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    if connection.vendor == "postgresql":  # one array, not a parameter per id (see _store_all)
        which, params = f"= ANY(%s::{key.db_type(connection)}[])", [ids]
    else:
        which, params = f"IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(key.column)}, {', '.join(quote(name) for name in _STATE_FIELDS)} "
            f"FROM {table} WHERE {quote(key.column)} {which}{lock}",
            params,
        )
        rows = cursor.fetchall()
    states = {}
    for stored_id, *facts in rows:
        issue_id = key.to_python(stored_id)
        states[issue_id] = State(issue_id, *facts)
    return states


def _store_all(states: list[State], tables: dict) -> None:
    """Insert or update these rows in one statement."""
    quote = connection.ops.quote_name
    names = ("issue_id", *_STATE_FIELDS)
    fields = [QueueIssueState._meta.get_field(name) for name in names]
    columns = [quote(field.column) for field in fields]
    updates = ", ".join(f"{column} = excluded.{column}" for column in columns[1:])
    values = [
        [prepare(getattr(state, name)) for state in states]
        for name, prepare in zip(names, map(preparer, fields), strict=True)
    ]
    if connection.vendor == "postgresql":
        # A column an array: a rebuild stores thousands of rows a statement, and psycopg's
        # client-side binding splits and quotes a statement of one parameter per value in
        # Python (bench/rebuild.py: 5,600 -> 7,800 events/s).
        rows = (
            "SELECT * FROM unnest("
            + ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
            + ")"
        )
        params = values
    else:
        row = f"({', '.join(['%s'] * len(columns))})"
        rows = f"VALUES {', '.join([row] * len(states))}"
        params = [value for state_values in zip(*values, strict=True) for value in state_values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(tables[QueueIssueState])} ({', '.join(columns)}) {rows} "
            f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}",
            params,
        )


def _facts(state: State) -> tuple:
    return (
        state.status,
        state.status_version,
        state.assignee,
        state.assignee_version,
        state.category,
        state.priority,
        state.triage_version,
        state.tags,
        state.tags_version,
    )


def apply_all(taken: list[events.Event], tables: dict = LIVE) -> None:
    """Take in these events, in this order: three statements however many there are."""
    if not taken:
        return
    # No savepoint of its own: the relay runs each handler in one already.
    with transaction.atomic(savepoint=False):
        states = _states_of((event.issue_id for event in taken), tables)
        changed: dict = {}
        deltas: dict[str, int] = {}
        for event in taken:
            state = states.get(event.issue_id)
            if state is None:
                state = states[event.issue_id] = State(event.issue_id)
            facts_before, before = _facts(state), buckets(state)
            _take(state, event)
            if _facts(state) == facts_before:
                continue  # an event taken in already, or one that changes nothing counted
            after = buckets(state)
            for key in before - after:
                deltas[key] = deltas.get(key, 0) - 1
            for key in after - before:
                deltas[key] = deltas.get(key, 0) + 1
            changed[event.issue_id] = state
        if changed:  # in key order, as every writer takes them: no lock-order deadlock
            _store_all([changed[issue_id] for issue_id in sorted(changed)], tables)
        _add_all({key: delta for key, delta in deltas.items() if delta}, tables)


def apply(event: events.Event) -> None:
    apply_all([event])


class QueueCountsProjection:
    """The event handler that keeps the counts; `name` is stable (deliveries are kept by it).

    A rebuildable read model: `models` are its tables, `apply_into` writes into others."""

    name = "web.queue_counts"
    handles = events.ALL_EVENTS
    models = (QueueIssueState, QueueCount)

    def __call__(self, event: events.Event) -> None:
        apply(event)

    def handle_many(self, taken: list[events.Event]) -> None:
        apply_all(taken)

    def apply_into(self, taken: list[events.Event], tables: dict) -> None:
        apply_all(taken, tables)


def event_handlers() -> dict[type[events.Event], list]:
    """For issues_adapters.wiring.event_handlers()."""
    projection = QueueCountsProjection()
    return {event_type: [projection] for event_type in projection.handles}


_SLA = "sla:"
# The queue page reads it on every request: compiled once (persistence/kept_statements.py).
# The SLA views' counts (kept by sla/clocks.py) come in the same statement: one round trip a
# page fewer (0.1-0.3 ms of the web process's CPU on PostgreSQL; README, "round trip").
_SIDEBAR = Statement(
    lambda mine: (
        QueueCount.objects.filter(
            Q(key__in=["open", "unassigned", "status:waiting", "status:resolved", "status:closed"])
            | Q(key=mine)
            | Q(key__startswith="category:")
            | Q(key__startswith="priority:")
            | Q(key__startswith="tag:")
        )
        .values("key", "count")
        .union(
            SlaViewCount.objects.annotate(key=Concat(Value(_SLA), "view")).values("key", "count"),
            all=True,
        )
    ),
    QueueCount._meta.get_field("key"),
)


def sidebar(username: str) -> dict:
    """Every count the side bar shows, the SLA views' too, in one query."""
    rows = {row["key"]: row["count"] for row in _SIDEBAR.rows(f"assignee:{username}")}
    return {
        "open": rows.get("open", 0),
        "unassigned": rows.get("unassigned", 0),
        "mine": rows.get(f"assignee:{username}", 0),
        "waiting": rows.get("status:waiting", 0),
        "resolved": rows.get("status:resolved", 0),
        "closed": rows.get("status:closed", 0),
        "all": rows.get("open", 0) + rows.get("status:resolved", 0) + rows.get("status:closed", 0),
        "category": {k.split(":", 1)[1]: v for k, v in rows.items() if k.startswith("category:")},
        "priority": {k.split(":", 1)[1]: v for k, v in rows.items() if k.startswith("priority:")},
        "tag": {
            k.split(":", 1)[1]: v for k, v in sorted(rows.items()) if k.startswith("tag:") and v
        },
        "sla": {view: rows.get(_SLA + view, 0) for view in SLA_VIEWS},
    }
