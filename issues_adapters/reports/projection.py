"""The reports' read model kept from events: each batch of events changes each issue's facts,
and the counts move by the difference between what the issue counted before and after.

Writes take the tables' names, so that a rebuild (eventing/rebuilds.py) fills new tables while
these keep answering.
"""

from collections import Counter

import orjson
from django.db import connection, transaction

from issues_adapters.eventing.rebuilds import fill
from issues_adapters.reports import facts as reported
from issues_adapters.reports import histogram
from issues_adapters.reports.models import ReportCount, ReportDayPercentiles, ReportIssueFacts
from issues_domain import events

LIVE = {
    model: model._meta.db_table for model in (ReportIssueFacts, ReportCount, ReportDayPercentiles)
}
DURATIONS = (reported.FIRST_RESPONSE, reported.RESOLUTION_TIME)
_CHUNK = 500


def _load(text: str) -> dict[int, list]:
    return {int(version): fact for version, fact in orjson.loads(text).items()}


def _dump(issue_facts: dict[int, list]) -> str:
    """The facts as text, the same whoever writes them (a rebuild writes every issue's)."""
    return orjson.dumps(issue_facts, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SORT_KEYS).decode()


def facts_of(issue_ids, tables: dict = LIVE) -> dict:
    """The issues' facts (locked on PostgreSQL), by issue id."""
    quote = connection.ops.quote_name
    key = ReportIssueFacts._meta.pk
    ids = [key.get_db_prep_value(issue_id, connection) for issue_id in dict.fromkeys(issue_ids)]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    found = {}
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            cursor.execute(
                f"SELECT {quote('issue_id')}, {quote('facts')} "
                f"FROM {quote(tables[ReportIssueFacts])} "
                f"WHERE {quote('issue_id')} IN ({', '.join(['%s'] * len(chunk))}){lock}",
                chunk,
            )
            for stored_id, text in cursor.fetchall():
                found[key.to_python(stored_id)] = _load(text)
    return found


def _store(changed: dict, tables: dict) -> None:
    quote = connection.ops.quote_name
    key = ReportIssueFacts._meta.pk
    table, issue_id, facts = (
        quote(name) for name in (tables[ReportIssueFacts], "issue_id", "facts")
    )
    items = sorted(changed.items())  # in key order, as every writer: no lock-order deadlock
    with connection.cursor() as cursor:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            params = []
            for issue, issue_facts in chunk:
                params += [key.get_db_prep_value(issue, connection), _dump(issue_facts)]
            cursor.execute(
                f"INSERT INTO {table} ({issue_id}, {facts}) "
                f"VALUES {', '.join(['(%s, %s)'] * len(chunk))} "
                f"ON CONFLICT ({issue_id}) DO UPDATE SET {facts} = excluded.{facts}",
                params,
            )


def _add(deltas: Counter, tables: dict) -> None:
    quote = connection.ops.quote_name
    table = quote(tables[ReportCount])
    keys = [quote(name) for name in ("metric", "day", "grouping", "group", "bucket")]
    count = quote("count")
    items = sorted((key, delta) for key, delta in deltas.items() if delta)
    with connection.cursor() as cursor:
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            params = [value for key, delta in chunk for value in (*key, delta)]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(keys)}, {count}) "
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s, %s)'] * len(chunk))} "
                f"ON CONFLICT ({', '.join(keys)}) "
                f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}",
                params,
            )


def _refresh_percentiles(days: set, tables: dict) -> None:
    """Work out again the day percentiles of these (metric, day)s from their histogram rows.
    Their rows are locked first (upserted as they are), so a concurrent batch of the same day
    reads the histogram only after this one has committed: the last to write saw everything."""
    if not days:
        return
    quote = connection.ops.quote_name
    table, counts = quote(tables[ReportDayPercentiles]), quote(tables[ReportCount])
    metric, day, count = quote("metric"), quote("day"), quote("count")
    median, p90, bucket = quote("median_bucket"), quote("p90_bucket"), quote("bucket")
    keys = sorted(days)
    field = ReportCount._meta.get_field("day")
    with connection.cursor() as cursor:
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            pairs = [value for key in chunk for value in key]
            cursor.execute(
                f"INSERT INTO {table} ({metric}, {day}, {count}, {median}, {p90}) "
                f"VALUES {', '.join(['(%s, %s, 0, 0, 0)'] * len(chunk))} "
                f"ON CONFLICT ({metric}, {day}) DO UPDATE SET {count} = {table}.{count}",
                pairs,
            )
            cursor.execute(
                f"SELECT {metric}, {day}, {bucket}, {count} FROM {counts} "
                f"WHERE {quote('grouping')} = 'day' AND {count} <> 0 AND "
                f"({' OR '.join([f'({metric} = %s AND {day} = %s)'] * len(chunk))})",
                pairs,
            )
            found: dict = {key: [] for key in chunk}
            for name, on, index, n in cursor.fetchall():
                found[name, field.to_python(on)].append((index, n))
            gone = [value for key, buckets in found.items() if not buckets for value in key]
            if gone:
                cursor.execute(
                    f"DELETE FROM {table} WHERE "
                    + " OR ".join([f"({metric} = %s AND {day} = %s)"] * (len(gone) // 2)),
                    gone,
                )
            kept = [
                (
                    sum(n for _, n in buckets),
                    *histogram.percentile_buckets(buckets, (0.5, 0.9)),
                    *key,
                )
                for key, buckets in found.items()
                if buckets
            ]
            if kept:
                cursor.executemany(
                    f"UPDATE {table} SET {count} = %s, {median} = %s, {p90} = %s "
                    f"WHERE {metric} = %s AND {day} = %s",
                    kept,
                )


def apply_all(taken: list[events.Event], tables: dict = LIVE) -> None:
    if not taken:
        return
    with transaction.atomic(savepoint=False):
        known = facts_of((event.issue_id for event in taken), tables)
        before: dict = {}
        changed: dict = {}
        for event in taken:
            issue_facts = known.setdefault(event.issue_id, {})
            if event.version in issue_facts:
                continue  # taken in already
            if event.issue_id not in before:
                before[event.issue_id] = reported.rows(issue_facts)
            issue_facts[event.version] = reported.fact_of(event)
            changed[event.issue_id] = issue_facts
        deltas: Counter = Counter()
        for issue_id, issue_facts in changed.items():
            deltas.update(reported.rows(issue_facts))
            deltas.subtract(before[issue_id])
        if changed:
            _store(changed, tables)
            _add(deltas, tables)
            _refresh_percentiles(
                {
                    (metric, day)
                    for (metric, day, grouping, _, _), delta in deltas.items()
                    if delta and grouping == "day" and metric in DURATIONS
                },
                tables,
            )


def day_percentiles(counts: Counter) -> dict:
    """{(metric, day): (count, median bucket, p90 bucket)} of the durations' day rows."""
    buckets: dict = {}
    for (metric, day, grouping, _, bucket), count in counts.items():
        if count and grouping == "day" and metric in DURATIONS:
            buckets.setdefault((metric, day), []).append((bucket, count))
    return {
        key: (sum(n for _, n in found), *histogram.percentile_buckets(found, (0.5, 0.9)))
        for key, found in buckets.items()
    }


def _count_key(row: tuple) -> tuple:
    metric, day, grouping, group, bucket, _ = row
    return metric, grouping, day, group, bucket


class Rebuilding:
    """A rebuild's state (eventing/rebuilds.py): every issue's facts kept in memory while the
    log is read, then the counts and day percentiles worked out once an issue and written
    once, into the new tables (empty till then). Taking in each batch as the live delivery
    does read and wrote every issue's facts again, and worked out its counts twice a batch:
    five times slower (bench/rebuild_reports.py)."""

    def __init__(self, tables: dict):
        self.tables = tables
        self.facts: dict = {}
        self._values: dict = {}  # each text and clock note held once, however many share it

    def take(self, taken: list[events.Event]) -> None:
        known = self.facts
        for event in taken:
            issue_facts = known.get(event.issue_id)
            if issue_facts is None:
                issue_facts = known[event.issue_id] = {}
            if event.version not in issue_facts:  # else taken in already
                issue_facts[event.version] = self._shared(reported.fact_of(event))

    def _shared(self, fact: list) -> tuple:
        """The fact with its texts and its clock note (an SLA calendar, say) replaced by the
        first equal one taken in: a million events' facts took 1.4 GB, most of it copies
        of the same few values (bench/rebuild_reports.py). Facts are only read from here on."""
        values = self._values
        shared = []
        for value in fact:
            if type(value) is dict:
                value = values.setdefault(orjson.dumps(value), value)
            elif type(value) is str:
                value = values.setdefault(value, value)
            shared.append(value)
        return tuple(shared)

    def finish(self) -> None:
        by_groups: dict = {}  # (metric, day, bucket, Groups) -> count, of every issue
        for issue_facts in self.facts.values():
            found = reported.counted(issue_facts)
            if found:
                issue_groups = reported.groups(issue_facts)
                for (metric, day, index), count in found.items():
                    key = (metric, day, index, issue_groups)
                    by_groups[key] = by_groups.get(key, 0) + count
        counts = reported.spread(by_groups)
        key = ReportIssueFacts._meta.pk
        with transaction.atomic(savepoint=False):
            fill(
                self.tables[ReportIssueFacts],
                ("issue_id", "facts"),
                (  # one text at a time: the whole log's facts as text would double the memory
                    (key.get_db_prep_value(issue, connection), _dump(issue_facts))
                    for issue, issue_facts in self.facts.items()
                ),
            )
            fill(
                self.tables[ReportCount],
                ("metric", "day", "grouping", "group", "bucket", "count"),
                # In the order of the table's key, so its index grows at its end: a third
                # less time on SQLite, a sixth on PostgreSQL (bench/rebuild_reports.py).
                sorted(
                    (
                        (metric, day, grouping, group, bucket, count)
                        for (metric, day, grouping, group, bucket), count in counts.items()
                        if count
                    ),
                    key=_count_key,
                ),
            )
            fill(
                self.tables[ReportDayPercentiles],
                ("metric", "day", "count", "median_bucket", "p90_bucket"),
                [(*key, *found) for key, found in day_percentiles(counts).items()],
            )


class ReportCountsProjection:
    """The event handler that keeps the reports' counts; a rebuildable read model."""

    name = "reports.counts"
    handles = events.ALL_EVENTS
    models = (ReportIssueFacts, ReportCount, ReportDayPercentiles)

    def __call__(self, event: events.Event) -> None:
        apply_all([event])

    def handle_many(self, taken: list[events.Event]) -> None:
        apply_all(taken)

    def apply_into(self, taken: list[events.Event], tables: dict) -> None:
        apply_all(taken, tables)

    def rebuilding(self, tables: dict) -> Rebuilding:
        return Rebuilding(tables)


def event_handlers() -> dict[type[events.Event], list]:
    """For issues_adapters.wiring.event_handlers()."""
    projection = ReportCountsProjection()
    return {event_type: [projection] for event_type in projection.handles}
