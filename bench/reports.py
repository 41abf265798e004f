"""Each report over pre-aggregated rows for 1,000,000 issues: median time per report, period
and grouping.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch> .venv/bin/python bench/reports.py
    DATABASE_URL=sqlite:///var/bench/reports.sqlite3 .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --days 1096 --issues 1000000 --runs 7

The database named by DATABASE_URL is migrated and its report tables EMPTIED and refilled:
give it a scratch database. The rows are what the reports read model
(issues_adapters/reports/) holds for a helpdesk of that many issues over three years, written
straight by SQL, not replayed from a million issues' events (that measures the rebuild, not the
reports): per day, the created, resolved and backlog counts of every group of every grouping
(day; 7 categories; 4 priorities and none; 5 assignees and nobody), the first-response and
resolution histograms (60 occupied buckets of each group each day), the ratings' 5 scores and
the SLA outcomes (met and breached, of each target);
then the month rows the projection keeps beside them.
The target: every report <= 50 ms for any period up to a year.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "issues_adapters.settings")

GROUPS = {
    "day": [""],
    "category": ["hardware", "software", "network", "accounts", "email", "printing", "other"],
    "priority": ["", "low", "normal", "high", "urgent"],
    "assignee": ["", "alice", "bob", "carol", "dan", "erin"],
}
DURATION_BUCKETS = range(50, 110)  # about 2 minutes to 4 months


def seed(days: int, issues: int) -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        return seed_sqlite(days, issues)
    per_day_group = max(1, issues // days)
    start = date.today() - timedelta(days=days - 1)
    groups = ", ".join(f"('{g}', '{v}')" for g, values in GROUPS.items() for v in values)
    table = "reports_reportcount"
    columns = 'metric, grouping, day, "group", bucket, count'
    h = "abs(hashtext(d::text || grp.v || b::text))"
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}, reports_reportissuefacts")
        days_sql = (
            f"generate_series(date '{start}', date '{start}' + {days - 1}, interval '1 day') d"
        )
        groups_sql = f"(VALUES {groups}) AS grp(g, v)"
        spread = {
            "created": f"1 + {h} % {max(2, per_day_group // 4)}",
            "resolved": f"1 + {h} % {max(2, per_day_group // 4)}",
            "open_delta": f"{h} % 11 - 5",
        }
        for metric, count in spread.items():
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT '{metric}', grp.g, d::date, grp.v, 0, "
                f"{count.replace('b::text', '0::text')} FROM {days_sql} CROSS JOIN {groups_sql}"
            )
        for metric, buckets in (
            ("first_response", DURATION_BUCKETS),
            ("resolution_time", DURATION_BUCKETS),
            ("rating", range(1, 6)),
            ("sla_met", range(2)),
            ("sla_breached", range(2)),
        ):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT '{metric}', grp.g, d::date, grp.v, b, "
                f"1 + {h} % 9 FROM {days_sql} CROSS JOIN {groups_sql} "
                f"CROSS JOIN generate_series({buckets.start}, {buckets.stop - 1}) b"
            )
        cursor.execute(  # the month rows the projection keeps beside the day rows
            f"INSERT INTO {table} ({columns}) SELECT metric, grouping || ':m', "
            f"date_trunc('month', day)::date, \"group\", bucket, SUM(count) FROM {table} "
            f"GROUP BY metric, grouping, date_trunc('month', day), \"group\", bucket"
        )
    return _percentiles(table)


def _percentiles(table: str) -> int:
    """The day percentiles the projection keeps beside the rows, by the migration's SQL."""
    import importlib

    from django.db import connection

    fill = importlib.import_module("issues_adapters.reports.migrations.0002_day_percentiles").FILL
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_reportdaypercentiles")
        cursor.execute(fill)
        # PostgreSQL's index-only scans need the visibility map autovacuum keeps in production.
        cursor.execute(f"{'VACUUM ' if connection.vendor == 'postgresql' else ''}ANALYZE {table}")
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]


def seed_sqlite(days: int, issues: int) -> int:
    """The same rows as seed() (other random counts of the same spread), by executemany."""
    import random

    from django.db import connection, transaction

    per_day_group = max(1, issues // days)
    start = date.today() - timedelta(days=days - 1)
    spread = max(2, per_day_group // 4)
    draw = random.Random(15)
    metrics = [
        ("created", [0], lambda: 1 + draw.randrange(spread)),
        ("resolved", [0], lambda: 1 + draw.randrange(spread)),
        ("open_delta", [0], lambda: draw.randrange(11) - 5),
        ("first_response", DURATION_BUCKETS, lambda: 1 + draw.randrange(9)),
        ("resolution_time", DURATION_BUCKETS, lambda: 1 + draw.randrange(9)),
        ("rating", range(1, 6), lambda: 1 + draw.randrange(9)),
        ("sla_met", range(2), lambda: 1 + draw.randrange(9)),
        ("sla_breached", range(2), lambda: 1 + draw.randrange(9)),
    ]
    table = "reports_reportcount"
    columns = 'metric, grouping, day, "group", bucket, count'

    def rows():
        for n in range(days):
            day = (start + timedelta(days=n)).isoformat()
            for grouping, values in GROUPS.items():
                for value in values:
                    for metric, buckets, count in metrics:
                        for index in buckets:
                            yield metric, grouping, day, value, index, count()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute("DELETE FROM reports_reportissuefacts")
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", rows()
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT metric, grouping || ':m', "
            f"strftime('%Y-%m-01', day), \"group\", bucket, SUM(count) FROM {table} "
            f"GROUP BY metric, grouping, strftime('%Y-%m-01', day), \"group\", bucket"
        )
    return _percentiles(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=1096)
    parser.add_argument("--issues", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the rows a previous run seeded, if any"
    )
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from issues_adapters.reports.period import Period
    from issues_adapters.reports.queries import REPORTS

    if connection.vendor not in ("postgresql", "sqlite"):
        sys.exit("Point DATABASE_URL at a scratch PostgreSQL or SQLite database.")
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    from issues_adapters.reports.models import ReportCount

    if options.reuse and ReportCount.objects.exists():
        rows = _percentiles("reports_reportcount")
    else:
        rows = seed(options.days, options.issues)
    print(
        f"{connection.vendor}: {rows:,} report rows for {options.issues:,} issues over "
        f"{options.days} days, seeded in {time.perf_counter() - began:.1f} s"
    )
    end = date.today()
    worst = 0.0
    print(f"{'report':16} {'period':>7} {'group_by':>9} {'median ms':>10} {'max ms':>8}")
    for name, report in REPORTS.items():
        for days in (365, 30):
            for group_by in GROUPS:
                period = Period(end - timedelta(days=days - 1), end, group_by)
                report(period)  # warm
                times = []
                for _ in range(options.runs):
                    began = time.perf_counter()
                    report(period)
                    times.append((time.perf_counter() - began) * 1000)
                worst = max(worst, statistics.median(times))
                print(
                    f"{name:16} {days:>5} d {group_by:>9} {statistics.median(times):>10.1f} "
                    f"{max(times):>8.1f}"
                )
    print(f"Slowest median: {worst:.1f} ms (target <= 50 ms)")
    print(
        f"Reproduce: DATABASE_URL=<scratch {connection.vendor} database> "
        ".venv/bin/python bench/reports.py " + " ".join(sys.argv[1:])
    )


if __name__ == "__main__":
    main()
