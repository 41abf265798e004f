"""On SQLite the open-issue views read the open issues' partial indexes: the status condition
is written out (persistence.lookups), since SQLite matches a partial index only to its own
literal condition and Django's bound `status IN (?, ...)` made it sort every open issue
(bench/queue_page.py --sqlite measures the difference; PostgreSQL's plans are checked in
test_queue_query_plans.py)."""

import pytest
from django.db import connection
from django.http import QueryDict

from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.web.views.staff import filters_from

pytestmark = pytest.mark.django_db

# "open, most urgent" alone is left out: without ANALYZE's statistics SQLite guesses that the
# status index finds few rows and sorts them, whatever the condition is written as.
OPEN_VIEWS = {
    "open printing, most urgent": (
        "view=open&category=printing&sort=-priority",
        "issue_open_category_urgent",
    ),
    "mine, most urgent": ("view=mine&sort=-priority", "issue_open_assignee_urgent"),
}


def plan_of(query_string: str) -> str:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plans; PostgreSQL's are in test_queue_query_plans.py")
    filters, _chosen = filters_from(QueryDict(query_string), "alice")
    sent = []  # the statements as executed, their parameters bound as they were

    def keep(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        DjangoIssueQueries().queue(filters)
    sql, params = next((sql, params) for sql, params in sent if "ORDER BY" in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.parametrize("view", OPEN_VIEWS)
def test_the_open_views_read_their_partial_index_in_order(view):
    query_string, index = OPEN_VIEWS[view]
    plan = plan_of(query_string)
    assert f"USING INDEX {index}" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
