"""SQLite's planner statistics, gathered again whenever the issues have grown by half.

SQLite keeps statistics only when asked (ANALYZE), and the queue's and the dashboard's plans
depend on them: without them the queue's open views sort every open issue, and the dashboard
over a year of 1,000,000 issues' report rows took 800 ms instead of 60
(tests/web/test_queue_query_plans.py, bench/dashboard.py). Gathering reads every index with the
write lock held (about 15 s at 1,000,000 issues), so it is done as the helpdesk grows - a
handful of times in its life - rather than on a timer. PostgreSQL's autovacuum gathers its own.
"""

from django.db import DatabaseError, connection

from issues_adapters.persistence.models import IssueRecord

GROWTH = 1.5  # gathered again once the issues are this many times those last counted
FEWEST = 1000  # below this any plan is quick; the first gathering waits for it


def issues_when_last_gathered() -> int | None:
    """The issue count the statistics were gathered at (None: never, or with no issues)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND stat IS NOT NULL LIMIT 1",
                [IssueRecord._meta.db_table],
            )
            found = cursor.fetchone()
    except DatabaseError:  # no sqlite_stat1 table: never gathered
        return None
    return int(found[0].split()[0]) if found else None


def gather_if_grown() -> bool:
    """ANALYZE on SQLite when the issue table has grown by GROWTH since the last time."""
    if connection.vendor != "sqlite":
        return False
    issues = IssueRecord.objects.count()
    last = issues_when_last_gathered()
    if issues < FEWEST or (last is not None and issues < last * GROWTH):
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True
