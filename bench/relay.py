"""Relay throughput: events (and (handler, event) deliveries) per second, in-process and
through Celery with two worker processes.

    .venv/bin/python bench/relay.py                 # PostgreSQL + Redis when reachable
    .venv/bin/python bench/relay.py --events 2000 --postgres postgres://postgres@127.0.0.1:5432/postgres

It makes a scratch database (dropped afterwards), records the events of `--events` commands
without delivering them (as if the web process died right after commit), then measures:

1. in-process: `deliveries.deliver_positions` in batches of 100, as the delivery thread does;
2. catch-up after downtime: the relay's passes (`relay.sweep`, as `relay_events` runs them)
   from the handlers' checkpoints until nothing is left, then a check that every (event,
   handler) pair was delivered and every checkpoint reached the head - none skipped;
3. Celery, two `--pool=solo` workers over Redis, one task per event (what after-commit sends
   when each command commits one event) and then one task per 100 events (what the relay sends).

Mail goes to Django's in-memory backend, so the figures are the relay's own cost plus
rendering the mail, not an SMTP server's. Between runs the tracking and sent-mail rows are
emptied so that each run delivers everything again.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))


def scratch_database(server_url: str) -> tuple[str, str]:
    import psycopg

    name = f"bench_relay_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--sqlite", action="store_true", help="in-process only, on SQLite")
    args = parser.parse_args()

    use_postgres = not args.sqlite and reachable("127.0.0.1", 5432)
    if use_postgres:
        db_name, database_url = scratch_database(args.postgres)
    else:
        database_url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="issues_adapters.settings",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",
        CELERY_BROKER_URL="",
    )
    workers: list[subprocess.Popen] = []
    try:
        run(args, database_url, use_postgres, workers)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=15)
        if use_postgres:
            from django.db import connections

            connections.close_all()
            drop_database(args.postgres, db_name)


def run(args, database_url: str, use_postgres: bool, workers: list) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from issues_adapters.eventing import deliveries, relay
    from issues_adapters.eventing.models import Checkpoint, Delivery, SentMail
    from issues_adapters.persistence.models import RecordedEvent
    from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
    from issues_adapters.wiring import event_handlers
    from issues_domain import commands
    from issues_domain.values import Actor
    from issues_service.bootstrap import bootstrap

    call_command("migrate", verbosity=0)
    for username in ("alice", "bob"):
        get_user_model().objects.create_user(
            username, f"{username}@example.org", "x", is_staff=True
        )
    bus = bootstrap(
        unit_of_work=lambda: DjangoUnitOfWork(after_commit=None), event_handlers=event_handlers()
    )
    alice, bob = Actor.staff("alice"), Actor.staff("bob")

    def record(count: int) -> None:
        for number in range(count // 5):
            issue_id = bus.handle(
                commands.ReportIssue(
                    reporter_name="Fred",
                    reporter_email=f"fred{number}@example.org",
                    description="Fire.",
                )
            )
            bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=alice))
            bus.handle(commands.CommentOnIssue(issue_id=issue_id, author=bob, body="On it."))
            bus.handle(
                commands.CommentOnIssue(
                    issue_id=issue_id, author=bob, body="x", visibility="internal"
                )
            )
            bus.handle(
                commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Out.", actor=bob)
            )

    started = time.perf_counter()
    record(args.events)
    recording = time.perf_counter() - started
    positions = list(RecordedEvent.objects.order_by("position").values_list("position", flat=True))
    events = len(positions)
    engine = "PostgreSQL" if use_postgres else "SQLite"
    print(f"{engine}: recorded {events} events ({events / recording:,.0f} commands/s, no delivery)")

    def reset():
        Delivery.objects.all().delete()
        SentMail.objects.all().delete()
        Checkpoint.objects.all().delete()

    started = time.perf_counter()
    for start in range(0, events, 100):
        deliveries.deliver_positions(positions[start : start + 100], bus=bus)
    took = time.perf_counter() - started
    delivered = Delivery.objects.filter(status="done").count()
    print(
        f"in-process:            {events / took:8,.0f} events/s  "
        f"{delivered / took:8,.0f} deliveries/s  ({delivered} deliveries in {took:.2f} s)"
    )

    reset()
    started = time.perf_counter()
    passes = 1
    while relay.sweep(bus, in_process=True, grace=timedelta(0)).full:
        passes += 1
    took = time.perf_counter() - started
    caught_up = Delivery.objects.filter(status="done").count()
    marks = set(Checkpoint.objects.values_list("position", flat=True))
    skipped = delivered - caught_up
    print(
        f"catch-up (relay):      {events / took:8,.0f} events/s  "
        f"{caught_up / took:8,.0f} deliveries/s  ({passes} passes, {took:.2f} s; "
        f"{skipped} skipped, checkpoints at {sorted(marks)} of head {positions[-1]})"
    )
    deliveries_count = delivered

    if not use_postgres or not reachable("127.0.0.1", 6379):
        print("Celery: skipped (needs PostgreSQL and Redis on 127.0.0.1)")
    else:
        from issues_adapters.eventing.celery_app import app
        from issues_adapters.eventing.tasks import deliver_events

        queue = f"bench-{uuid.uuid4().hex[:8]}"
        app.conf.update(broker_url=args.broker, task_default_queue=queue)
        env = {**os.environ, "CELERY_BROKER_URL": args.broker, "CELERY_TASK_DEFAULT_QUEUE": queue}
        for number in range(2):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "issues_adapters.eventing.celery_app",
                        "worker",
                        "--pool=solo",
                        f"--hostname=bench{number}-{queue}@%h",
                        f"--queues={queue}",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                        "--loglevel=ERROR",
                    ],
                    cwd=PROJECT,
                    env=env,
                )
            )

        def through_celery(batch: int) -> tuple[float, int]:
            reset()
            started = time.perf_counter()
            for start in range(0, events, batch):
                deliver_events.delay(positions[start : start + batch])
            expected = deliveries_count
            while Delivery.objects.filter(status="done").count() < expected:
                time.sleep(0.05)
            return time.perf_counter() - started, expected

        # Warm up: the workers start, connect, and import everything.
        reset()
        deliver_events.delay(positions[:10])
        while Delivery.objects.filter(status="done").count() < 10:
            time.sleep(0.1)
        for batch, label in ((1, "Celery, 1 event/task: "), (100, "Celery, 100/task:      ")):
            took, delivered = through_celery(batch)
            print(
                f"{label} {events / took:8,.0f} events/s  {delivered / took:8,.0f} deliveries/s  "
                f"({delivered} deliveries in {took:.2f} s, 2 workers)"
            )
    print(
        f"reproduce: .venv/bin/python bench/relay.py --events {args.events}"
        + (" --sqlite" if args.sqlite else "")
    )


if __name__ == "__main__":
    main()
