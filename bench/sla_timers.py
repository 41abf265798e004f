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

Flags a second move with the machine's load; the CPU a flag (this process's, and on a local
PostgreSQL its backend's, read from /proc) is the steadier figure. `--workers N` runs N passes
at once, as a worker pool does (sharing the due set on PostgreSQL); `--queries` counts the
statements of the flagging, `--profile` profiles it (CPU time; BENCH_SORT=tottime to sort).
"""

import argparse
import collections
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import threading
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
    parser.add_argument(
        "--workers", type=int, default=1, help="timer passes at once, each on its own connection"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the flagging, top 40")
    parser.add_argument("--queries", action="store_true", help="count the flagging's queries")
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
    statements: collections.Counter = collections.Counter()

    def count(execute, sql, params, many, context):
        statements[re.sub(r"\"s\d+_x\d+\"", "s", sql.split(" WHERE ")[0])[:150]] += 1
        return execute(sql, params, many, context)

    if args.queries:
        connection.execute_wrappers.append(count)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    if profile:
        profile.enable()
    server = _server_cpu(connection)
    flagged, began, cpu = 0, time.perf_counter(), time.process_time()
    while True:
        done = _passes(args.workers, lambda: timers.tick(bus, now=late, limit=500))
        flagged += sum(each.fired for each in done)
        if not sum(each.acted for each in done):
            break
        # The relay's part: the clocks take in the flags, and move on to the next deadline.
        new = list(RecordedEvent.objects.filter(position__gt=seen).order_by("position"))
        clocks.apply_all([to_event(row) for row in new])
        seen = new[-1].position if new else seen
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    server = _server_cpu(connection) - server if server is not None else None
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
    for sql, times in statements.most_common():
        print(f"  {times:>7,}  {sql}")
    print(
        f"  {flagged:,} deadlines flagged by {args.workers} worker(s) in {elapsed:.2f} s: "
        f"{flagged / elapsed:,.0f} a second"
    )
    print(f"  CPU a flag: {cpu / flagged * 1000:.2f} ms in this process", end="")
    if server is not None and args.workers == 1:
        print(f" + {server / flagged * 1000:.2f} ms in the PostgreSQL backend", end="")
        cpu += server
    elif server is not None:
        print(" (its PostgreSQL backends' not counted with several workers)", end="")
    print(f"; on a core of its own: {flagged / cpu:,.0f} a second")
    print("  (the clocks taking in those flags is counted in that time)")
    print(f"reproduce: .venv/bin/python bench/sla_timers.py {' '.join(sys.argv[1:])}")


def _server_cpu(connection) -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used (local server only)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _passes(workers: int, one_pass) -> list:
    """`workers` timer passes at once (threads, each on its own database connection), like
    the worker pool's; each worker runs passes until it finds nothing left to act on."""
    if workers == 1:
        return [one_pass()]
    from django.db import connections

    results = [[] for _ in range(workers)]

    def work(mine: list) -> None:
        try:
            while True:
                done = one_pass()
                mine.append(done)
                if done.acted == 0:
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(mine,)) for mine in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [done for mine in results for done in mine]


if __name__ == "__main__":
    main()
