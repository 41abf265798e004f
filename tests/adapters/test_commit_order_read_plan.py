"""The relay reads the log after a mark from the commit-order index, from the mark on."""

import pytest
from django.db import connection

from issues_adapters.eventing import outbox
from issues_adapters.persistence.models import RecordedEvent

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan (PostgreSQL's differs)")
def test_sqlite_searches_the_commit_order_index_from_the_mark():
    rows = (
        RecordedEvent.objects.filter(outbox.after(outbox.Mark(0, 900)))
        .order_by(*outbox.COMMIT_ORDER)
        .values_list("position", flat=True)[:500]
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    # By the first column alone, each read walked the log from its start.
    assert "event_commit_order (transaction_id=? AND position>?)" in plan, plan
