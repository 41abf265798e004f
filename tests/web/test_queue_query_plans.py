"""Each queue view's query is answered from an index on PostgreSQL, so it stays as fast at a
million issues as at a thousand (issue 17; bench/queue_page.py measures it).

With 30,000 issues seeded as bench/queue_page.py seeds them (10 % open; tags; SLA clocks) and
the tables analysed, PostgreSQL's own plan for each view's page query must neither read the
issue table from end to end (a Seq Scan) nor sort more than a page's worth of rows that an
index could have handed over in order (a Sort over thousands of rows is what grows with the
table: "open printing, most urgent" did, before its index).

SQLite's plan (EXPLAIN QUERY PLAN, the statement as sent, its values bound) tells no row counts:
there each view but the searches and the SLA ones must be read from an index (no SCAN of the
table itself) without sorting the matching issues whole ("TEMP B-TREE FOR ORDER BY"; a
"RIGHT PART" sorts only issues reported in the same instant). SQLite plans so only with the
statistics ANALYZE gathers (without them it guesses that a status finds ten issues and sorts
every open one): `manage.py analyze` gathers them.
"""

import dataclasses
import importlib.util
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from issues_adapters.persistence import common_words, lookups, text_search
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.persistence.text_search import BROAD_SEARCH
from issues_adapters.web.views.staff import filters_from
from issues_service.queries import QueueFilters

pytestmark = pytest.mark.django_db

SEEDED = 30_000
SORTED_AT_MOST = 1_000  # rows a plan may sort: a page, or a small filtered set


def _bench():
    spec = importlib.util.spec_from_file_location(
        "queue_page_bench", Path(__file__).parents[2] / "bench" / "queue_page.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
VIEWS = {
    label: path.split("?", 1)[1] if "?" in path else ""
    for label, path in BENCH.PAGES.items()
    if path.startswith("/staff/") and not label.startswith(BENCH.NEXT_PAGE)  # each view's own
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The issues, committed once for the module (and removed after it)."""
    vendor = connection.vendor
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(BENCH._rows_sql(vendor, 0, SEEDED))
            for statement in BENCH._tags_and_clocks_sql(vendor, 0, SEEDED):
                cursor.execute(statement)
        call_command("analyze", stdout=io.StringIO())
        common_words.forget()  # the words most of these issues hold, as the searches see them
        yield
        common_words.forget()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sla_clock")
            cursor.execute("DELETE FROM issues_tag")
            cursor.execute("DELETE FROM issues_issue")


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def plan_problems(sql: str, params, *, searching: bool = False) -> list[str]:
    with connection.cursor() as cursor:
        if searching:
            # At this size reading 30,000 rows costs less than a search's trigram indexes, and
            # the planner rightly reads them; asked to avoid that, it must find an index that
            # serves the search, by its condition or its order (at 1,000,000 it takes one
            # unasked; bench/queue_page.py).
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params or None)
        (found,) = cursor.fetchone()
        if searching:
            cursor.execute("SET LOCAL enable_seqscan = on")
    plan = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
    problems = []
    for node in _nodes(plan):
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "issues_issue":
            problems.append("reads the whole issue table (Seq Scan on issues_issue)")
        if node["Node Type"] == "Sort" and node["Plan Rows"] > SORTED_AT_MOST:
            problems.append(f"sorts about {node['Plan Rows']:.0f} rows ({node['Sort Key']})")
    return problems


def as_filters(params: str | QueueFilters) -> QueueFilters:
    """The filters of a queue's query string, as alice's page asks for them."""
    if isinstance(params, QueueFilters):
        return params
    filters, _chosen = filters_from(QueryDict(params), "alice")
    return filters


def next_page(params: str) -> QueueFilters:
    """The filters of the view's second page, as its "next" link asks for it."""
    filters = as_filters(params)
    page = DjangoIssueQueries().queue(filters)
    if not page.next_cursor:
        pytest.skip("one page only")
    return dataclasses.replace(filters, cursor=page.next_cursor)


def page_queries(params: str | QueueFilters) -> list[tuple[str, tuple]]:
    """The statements that read a page of the queue (by next deadline: the clocks, then the
    issues without one), with their parameters inlined, as captured."""
    filters = as_filters(params)
    with CaptureQueriesContext(connection) as captured:
        DjangoIssueQueries().queue(filters)
    statements = [q["sql"] for q in captured if '"issues_issue"' in q["sql"]]
    assert statements
    return [(sql, ()) for sql in statements]


def on(vendor: str) -> None:
    if connection.vendor != vendor:
        pytest.skip(f"{vendor}'s plans (the CI runs the tests on both databases)")


def sent_by(run) -> list[tuple[str, list]]:
    """The statements `run()` sends, each with its values as bound."""
    sent = []

    def keep(execute, sql, values, many, context):
        sent.append((sql, values))
        return execute(sql, values, many, context)

    with connection.execute_wrapper(keep):
        run()
    return sent


def count_statement(params: str) -> tuple[str, list]:
    """The statement of the view's capped "all matching" count."""
    filters = as_filters(params)
    ((sql, values),) = sent_by(lambda: DjangoIssueQueries().count_matching(filters, 501))
    return sql, values


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_each_queue_view_is_read_from_an_index(seeded, view):
    on("postgresql")
    for sql, params in page_queries(VIEWS[view]):
        problems = plan_problems(sql, params, searching="q=" in VIEWS[view])
        assert not problems, f"{view}: {problems}\n{sql}"


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_each_queue_views_next_page_is_read_from_an_index(seeded, view):
    on("postgresql")
    for sql, params in page_queries(next_page(VIEWS[view])):
        problems = plan_problems(sql, params, searching="q=" in VIEWS[view])
        assert not problems, f"{view}: {problems}\n{sql}"


def test_the_check_can_fail(seeded):
    """Without the indexes by priority the open "most urgent first" view sorts every open
    issue."""
    on("postgresql")
    ((sql, params),) = page_queries("sort=-priority")
    assert not plan_problems(sql, params)
    with connection.cursor() as cursor:  # dropped inside the test's transaction: rolled back
        cursor.execute("DROP INDEX issue_open_urgent")
        cursor.execute("DROP INDEX issue_open_priority_newest")
        cursor.execute("DROP INDEX issue_priority_status")
    assert plan_problems(sql, params)


# The SLA views are sla.display's.
SQLITE_VIEWS = {
    label: params
    for label, params in VIEWS.items()
    if "q=" not in params and "view=breaching_soon" not in params and "view=overdue" not in params
}
SQLITE_SEARCHES = {label: params for label, params in VIEWS.items() if "q=" in params}


def sqlite_plans(params: str | QueueFilters) -> list[str]:
    """SQLite's plan of each statement that reads the page, with its values bound as sent."""
    filters = as_filters(params)
    plans = []
    for sql, values in sent_by(lambda: DjangoIssueQueries().queue(filters)):
        if '"issues_issue"' in sql:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", values)
                plans.append("\n".join(str(row[-1]) for row in cursor.fetchall()))
    assert plans
    return plans


def sqlite_problems(plan: str) -> list[str]:
    problems = []
    for line in plan.splitlines():
        if line.strip() == "SCAN issues_issue":
            problems.append("reads the whole issue table")
        if "TEMP B-TREE FOR ORDER BY" in line:
            problems.append("sorts every matching issue")
    return problems


@pytest.mark.parametrize("view", sorted(SQLITE_VIEWS))
def test_each_queue_view_is_read_in_order_from_an_index_on_sqlite(seeded, view):
    on("sqlite")
    for plan in sqlite_plans(SQLITE_VIEWS[view]):
        assert not sqlite_problems(plan), f"{view}:\n{plan}"


@pytest.mark.parametrize("view", sorted(SQLITE_VIEWS))
def test_each_queue_views_next_page_is_read_in_order_from_an_index_on_sqlite(seeded, view):
    """A page after the first is read from the same index, from the cursor on (queries._beyond:
    with only an OR SQLite read every row on either side of it into a list and sorted them)."""
    on("sqlite")
    for plan in sqlite_plans(next_page(SQLITE_VIEWS[view])):
        assert not sqlite_problems(plan), f"{view}:\n{plan}"


@pytest.mark.parametrize("view", sorted(SQLITE_SEARCHES))
def test_each_search_reads_the_words_index_or_a_page_in_order_on_sqlite(seeded, view):
    """A search counts the words index's first matches (text_search.walks), then either looks
    those issues up by number and sorts them (at most BROAD_SEARCH), or, when there are more,
    reads the view in order from an index, testing each issue: never the whole table, and
    never sorting what it read in order."""
    on("sqlite")
    filters = as_filters(SQLITE_SEARCHES[view])
    sent = sent_by(lambda: DjangoIssueQueries().queue(filters))
    counts = [values for sql, values in sent if sql.startswith("SELECT COUNT(*)")]
    assert all(values[-1] == BROAD_SEARCH + 1 for values in counts), sent
    plans = sqlite_plans(SQLITE_SEARCHES[view])
    text = QueryDict(SQLITE_SEARCHES[view])["q"]
    words = lookups.Words.of(text)
    if words.words and "@" not in text and not text_search.broad(words):
        # A few issues hold the words: they are read from the index, not found by reading
        # the view in order until it ends (as a search for one issue did before migration 0016).
        assert any("SCAN issue_words VIRTUAL TABLE" in plan for plan in plans), plans
    for plan in plans:
        problems = sqlite_problems(plan)
        if not any(line.strip().startswith("SCAN issues_issue") for line in plan.splitlines()):
            # Looked up by the few numbers the words index gave, or by the address: sorted.
            problems = [problem for problem in problems if problem != "sorts every matching issue"]
        assert not problems, f"{view}:\n{plan}"


def test_the_sqlite_check_can_fail(seeded):
    """With the open statuses bound, as Django binds `status__in`, SQLite cannot tell that the
    open issues' partial indexes hold them, and sorts every open issue."""
    on("sqlite")
    ((plan,),) = [sqlite_plans("view=unassigned")]
    assert not sqlite_problems(plan)
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM issues_issue WHERE assignee IS NULL "
            "AND status IN (%s, %s, %s, %s) ORDER BY reported_at DESC, id DESC LIMIT 26",
            ["reported", "triaged", "assigned", "waiting"],
        )
        bound = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert sqlite_problems(bound), bound


SLA_VIEWS = ["view=overdue", "view=breaching_soon", "view=overdue&sort=sla_due_at"]


def _plan_nodes(sql: str, params=()) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params or None)
        (found,) = cursor.fetchone()
    return list(_nodes((json.loads(found) if isinstance(found, str) else found)[0]["Plan"]))


@pytest.mark.parametrize("params", SLA_VIEWS)
def test_an_sla_view_reads_its_page_and_count_from_the_view_index_alone(seeded, params):
    """A page of an SLA view, and its capped "all matching" count, read only the clocks in the
    view (issue 14): searching the issues for them, or every clock past its warning, cost more
    as more issues ran late."""
    on("postgresql")
    filters, _chosen = filters_from(QueryDict(params), "alice")
    with CaptureQueriesContext(connection) as captured:
        DjangoIssueQueries().queue(filters)
        DjangoIssueQueries().count_matching(filters, 501)
    statements = [q["sql"] for q in captured]
    clocks = [sql for sql in statements if 'FROM "sla_clock"' in sql]
    assert len(clocks) == 2, statements  # the page's clocks, and the count
    for sql in statements:
        assert not plan_problems(sql, ()), sql
        assert "Seq Scan" not in [node["Node Type"] for node in _plan_nodes(sql)], sql
    for sql in clocks:
        indexes = {node["Index Name"] for node in _plan_nodes(sql) if "Index Name" in node}
        assert indexes and indexes <= {"sla_clock_view_due", "sla_clock_view_reported"}, sql


def _count_reads(params: str) -> set[str]:
    """The tables and indexes the plan of the view's capped "all matching" count reads."""
    sql, values = count_statement(params)
    if connection.vendor == "postgresql":
        nodes = _plan_nodes(sql, values)
        return {
            node[key] for node in nodes for key in ("Index Name", "Relation Name") if key in node
        }
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", values)
        return {word for row in cursor.fetchall() for word in str(row[-1]).split()}


def test_a_tags_open_issues_are_counted_from_their_tag_rows_alone(seeded):
    """The capped count of every open issue with a tag (a tag chosen in the default view)
    reads the open issues' tag rows and no issue: joined to the issues for their status, it
    cost more as the helpdesk grew (SQLite: 16 ms at 1,000,000; bench/queue_page.py)."""
    reads = _count_reads("tag=on-site")
    assert "tag_open_issue" in reads, reads
    assert "issues_issue" not in reads, reads


def test_a_tag_among_a_views_open_issues_reads_the_open_issues_only(seeded):
    """With other filters too ("Mine" and a tag), the count reads the open issues' tags:
    PostgreSQL from their tags index (migration 0017), reading no more issues than it counts;
    SQLite from the open issues' tag rows, looking up only those issues."""
    reads = _count_reads("view=mine&tag=on-site")
    if connection.vendor == "postgresql":
        assert "issue_open_tags" in reads and "issues_tag" not in reads, reads
    else:
        assert "tag_open_issue" in reads, reads


# A tag's count is the tests' above.
COUNTED_FROM_AN_INDEX = {
    label: params for label, params in SQLITE_VIEWS.items() if "tag=" not in params
}


@pytest.mark.parametrize("view", sorted(COUNTED_FROM_AN_INDEX))
def test_each_views_capped_count_reads_an_index_alone_on_sqlite(seeded, view):
    """The capped "all matching" count reads the index that finds the view's issues, not each
    issue's row (queries._matching; 0.75 against 0.2 ms at 1,000,000 issues; "mine, urgent",
    whose index holds no status, 1.7 against 0.3 ms)."""
    on("sqlite")
    sql, values = count_statement(COUNTED_FROM_AN_INDEX[view])
    with connection.cursor() as cursor:
        cursor.execute("SELECT rootpage FROM sqlite_master WHERE name = 'issues_issue'")
        (table,) = cursor.fetchone()
        cursor.execute(f"EXPLAIN {sql}", values)
        program = cursor.fetchall()
    # The program opens the table (EXPLAIN QUERY PLAN then says USING INDEX, not COVERING),
    # but seeks a row in it only when it reads one of the row's columns.
    on_table = {row[2] for row in program if row[1] == "OpenRead" and row[3] == table}
    reads = [row for row in program if row[1] == "Column" and row[2] in on_table]
    assert not reads, f"{view} reads issue rows: {reads}"
