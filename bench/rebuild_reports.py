"""Rebuilding the reports' read model (`manage.py rebuild reports.counts`) from a big log:
events per second, the target >= 20,000.

    .venv/bin/python bench/rebuild_reports.py                     # SQLite, 1,000,000 events
    .venv/bin/python bench/rebuild_reports.py --postgres          # a scratch PostgreSQL db
    .venv/bin/python bench/rebuild_reports.py --events 200000
    .venv/bin/python bench/rebuild_reports.py --database sqlite:///var/bench/rebuild.sqlite3

A scratch database (dropped afterwards) gets `--events` events by bulk insert into the event
log, spread over three years in log order: each issue is reported (one of 7 categories, 4
priorities), put under an SLA policy (office hours, so its clocks count business time),
assigned (one of 5), answered in public by staff, resolved, rated (a third of them) and closed;
a quarter stop at the answer. Their data is what the event codec writes for real events (with
`--database`, a database of your naming is seeded only if its log is empty, and kept for the
next run). Then the rebuild's own work runs in-process (eventing/rebuilds.py: new tables, the
log read in batches into them, the swap), timed whole.
"""

import argparse
import cProfile
import dataclasses
import os
import pstats
import resource
import shlex
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

import api_issues  # noqa: E402

CATEGORIES = ["hardware", "software", "network", "accounts", "email", "printing", "other"]
PRIORITIES = ["low", "normal", "high", "urgent"]
STAFF = ["alice", "bob", "carol", "dan", "erin"]


def templates() -> dict:
    """One real event of each kind, to copy with other ids, times and groups."""
    from issues_domain import events
    from issues_domain.business_hours import BusinessCalendar, calendar_to_data
    from issues_domain.values import Actor, IssueStatus, Priority, Visibility

    base = {
        "event_id": uuid.uuid4(),
        "issue_id": uuid.uuid4(),
        "version": 1,
        "occurred_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    staff, reporter = Actor.staff("alice"), Actor.staff("alice")
    return {
        "reported": events.IssueReported(
            **base,
            actor=reporter,
            status=IssueStatus.REPORTED,
            reference="HD-1",
            reporter_name="Fred",
            reporter_email="fred@example.org",
            description="The printer jams.",
            category="printing",
            priority=Priority.HIGH,
            language="en",
            subject="The printer jams",
            attachments=(),
            watchers=(),
        ),
        "targeted": events.SlaTargeted(
            **base,
            actor=staff,
            status=IssueStatus.REPORTED,
            policy="Standard",
            first_response_seconds=8 * 3600,
            resolution_seconds=40 * 3600,
            calendar=calendar_to_data(
                BusinessCalendar(
                    time_zone="Europe/Berlin",
                    working_days=frozenset(range(5)),
                    opens_at=clock_time(9),
                    closes_at=clock_time(17),
                )
            ),
        ),
        "assigned": events.IssueAssigned(
            **base, actor=staff, status=IssueStatus.ASSIGNED, assignee="alice"
        ),
        "answered": events.IssueCommented(
            **base,
            actor=staff,
            status=IssueStatus.ASSIGNED,
            comment_id=uuid.uuid4(),
            body="Looking into it.",
            visibility=Visibility.PUBLIC,
            reporter_email="fred@example.org",
            assignee="alice",
            attachments=(),
            watchers=(),
        ),
        "resolved": events.IssueResolved(
            **base,
            actor=staff,
            status=IssueStatus.RESOLVED,
            resolution="Fixed.",
            reporter_email="fred@example.org",
            watchers=(),
        ),
        "rated": events.SatisfactionRated(
            **base, actor=staff, status=IssueStatus.RESOLVED, score=4, comment=""
        ),
        "closed": events.IssueClosed(**base, actor=staff, status=IssueStatus.CLOSED),
    }


def backend_cpu() -> float:
    """Seconds of CPU the PostgreSQL backend of this connection has used (0 elsewhere)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(count: int) -> int:
    """About `count` events, bulk inserted; returns how many."""
    from django.utils import timezone

    from issues_adapters.persistence import event_codec
    from issues_adapters.persistence.models import RecordedEvent

    kinds = templates()
    issues = int(count / 5.6)
    start = datetime.now(UTC) - timedelta(days=1096)
    step = timedelta(days=1096) / max(issues, 1)
    now = timezone.now()
    batch: list = []
    made = 0

    def rows():
        for n in range(issues):
            issue_id = uuid.UUID(int=n + 1)
            at = start + step * n
            group = {
                "category": CATEGORIES[n % 7],
                "priority": PRIORITIES[n % 4],
                "assignee": STAFF[n % 5],
            }
            plan = [("reported", 0), ("targeted", 0), ("assigned", 1), ("answered", 2 + n % 30)]
            if n % 4:
                plan += [("resolved", 30 + n % 400)]
                plan += [("rated", 500)] if n % 3 == 0 else []
                plan += [("closed", 600)]
            for version, (kind, hours) in enumerate(plan, start=1):
                event = dataclasses.replace(
                    kinds[kind],
                    event_id=uuid.uuid4(),
                    issue_id=issue_id,
                    version=version,
                    occurred_at=at + timedelta(hours=hours, minutes=n % 60),
                    **{
                        name: value
                        for name, value in group.items()
                        if name in kinds[kind].__dataclass_fields__
                    },
                )
                yield RecordedEvent(
                    event_id=event.event_id,
                    event_type=type(event).__name__,
                    issue_id=issue_id,
                    issue_version=version,
                    status=event.status.value,
                    schema_version=type(event).schema_version,
                    actor_role=event.actor.role.value,
                    actor_name=event.actor.name,
                    data={**event_codec.encode(event), "actor_email": ""},
                    occurred_at=event.occurred_at,
                    recorded_at=now,
                )

    for row in rows():
        batch.append(row)
        if len(batch) == 5000:
            RecordedEvent.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    RecordedEvent.objects.bulk_create(batch)
    return made + len(batch)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        help="a scratch database on this PostgreSQL server",
    )
    parser.add_argument("--database", help="a database URL to seed once and keep")
    parser.add_argument("--profile", action="store_true", help="cProfile the reports' rebuild")
    parser.add_argument("--only", help="rebuild this read model only")
    args = parser.parse_args()
    if args.database:
        database_url, drop = args.database, lambda: None
    elif args.postgres:
        database_url, drop = api_issues.scratch_postgres(args.postgres)
    else:
        database_url, drop = api_issues.scratch_sqlite()
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
            "LOG_LEVEL": "ERROR",
            "CELERY_BROKER_URL": "",
            "DEBUG": "0",  # as in production: no query log
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    try:
        call_command("migrate", verbosity=0)
        from issues_adapters.persistence.models import RecordedEvent

        events = RecordedEvent.objects.count()
        if not events:
            began = time.perf_counter()
            events = seed(args.events)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(
                f"{connection.vendor}: seeded {events:,} events by bulk insert in "
                f"{time.perf_counter() - began:.0f} s"
            )
        from issues_adapters.eventing import rebuilds
        from issues_adapters.reports.models import ReportCount, ReportDayPercentiles
        from issues_adapters.wiring import mail_handler_names, read_models

        known = read_models()
        # The queue's counts, rebuilt from the same log in the same run: a yardstick for how
        # fast this machine reads and decodes the log just now.
        for name in (args.only,) if args.only else ("reports.counts", "web.queue_counts"):
            rebuild = rebuilds.start(name, known, mail_handler_names())
            profiler = cProfile.Profile() if args.profile else None
            began, cpu, server = time.perf_counter(), time.process_time(), backend_cpu()
            if profiler:
                profiler.enable()
            rebuilds.run(rebuild, known[name])
            if profiler:
                profiler.disable()
            took, cpu = time.perf_counter() - began, time.process_time() - cpu
            server = backend_cpu() - server
            print(
                f"rebuild {name}, in-process: {events / took:,.0f} events/s "
                f"({events:,} events in {took:.1f} s; CPU {cpu / events * 1e6:.1f} us an event"
                + (f" + PostgreSQL's {server / events * 1e6:.1f} us" if server else "")
                + ")"
                + (" (target >= 20,000)" if name == "reports.counts" else "")
            )
            if profiler:
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        print(
            f"reports: {ReportCount.objects.count():,} count rows, "
            f"{ReportDayPercentiles.objects.count():,} day percentile rows; this process's "
            f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
        )
    finally:
        connections.close_all()
        drop()
    print("command: " + shlex.join([".venv/bin/python", "bench/rebuild_reports.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
