"""The SLA timers among 100,000 open issues with clocks: one pass with nothing due, and flags
a second when many deadlines fall due together.

    .venv/bin/python bench/sla_timers.py                                  # SQLite, scratch file
    .venv/bin/python bench/sla_timers.py --database-url postgres://postgres@127.0.0.1:5432/NAME

The database given is migrated and EMPTIED first (use a database of your own). The clocks
read model gets `--clocks` rows written straight by SQL, their next timers spread over the
next 30 days (what matters is how the pass finds due rows, not how the rows came to be);
then `--due` real issues are reported through the bus (their clocks kept from their events)
and the pass runs at a moment when all of them are due. Targets (issue 14): a pass with
nothing due <= 50 ms; >= 1,000 breaches flagged a second.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--clocks", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--passes", type=int, default=50)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="issues_adapters.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
        CELERY_BROKER_URL="",
        HELPDESK_DELIVER_AFTER_COMMIT="none",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from issues_adapters.persistence.event_log import to_event
    from issues_adapters.persistence.models import RecordedEvent
    from issues_adapters.sla import clocks, timers
    from issues_adapters.sla.defaults import seed_policies
    from issues_adapters.sla.models import SlaClock
    from issues_adapters.wiring import message_bus
    from issues_domain import commands

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    seed_policies()
    now = timezone.now()
    print(f"{connection.vendor}: {args.clocks:,} clocks, {args.due:,} falling due together")

    started = time.perf_counter()
    batch = []
    for number in range(args.clocks):
        at = now + timedelta(days=1, minutes=number % (30 * 24 * 60))
        batch.append(
            SlaClock(
                issue_id=uuid.uuid4(),
                due_at=at,
                warn_at=at - timedelta(minutes=30),
                next_timer_at=at - timedelta(minutes=30),
                next_timer_kind="warning",
                next_timer_goal="resolution",
                next_timer_deadline="resolution:warning:14400",
            )
        )
        if len(batch) == 5000:
            SlaClock.objects.bulk_create(batch)
            batch = []
    SlaClock.objects.bulk_create(batch)
    print(f"  filled in {time.perf_counter() - started:.1f} s")

    bus = message_bus()
    took = []
    for _ in range(args.passes):
        began = time.perf_counter()
        done = timers.tick(bus, now=now)
        took.append(time.perf_counter() - began)
        assert done.acted == 0, done
    print(
        f"  a pass with nothing due: median {statistics.median(took) * 1000:.1f} ms, "
        f"max {max(took) * 1000:.1f} ms ({args.passes} passes)"
    )

    for number in range(args.due):
        bus.handle(
            commands.ReportIssue(
                reporter_name="Bench",
                reporter_email=f"bench{number}@example.org",
                description="Due together.",
                priority="urgent",
            )
        )
    rows = list(RecordedEvent.objects.order_by("position"))
    clocks.apply_all([to_event(row) for row in rows])
    seen = rows[-1].position
    # "Urgent" is round the clock: 30 minutes to respond, 4 hours to resolve. Five hours on,
    # each new issue has four deadlines due (two warnings, two breaches); the filler's are not.
    late = timezone.now() + timedelta(hours=5)
    flagged, began = 0, time.perf_counter()
    while True:
        done = timers.tick(bus, now=late, limit=500)
        flagged += done.fired
        if done.acted == 0:
            break
        # The relay's part: the clocks take in the flags, and move on to the next deadline.
        new = list(RecordedEvent.objects.filter(position__gt=seen).order_by("position"))
        clocks.apply_all([to_event(row) for row in new])
        seen = new[-1].position if new else seen
    elapsed = time.perf_counter() - began
    print(f"  {flagged:,} deadlines flagged in {elapsed:.2f} s: {flagged / elapsed:,.0f} a second")
    print("  (the clocks taking in those flags is counted in that time)")
    print(f"reproduce: .venv/bin/python bench/sla_timers.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
