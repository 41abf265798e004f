"""Catch-up after downtime: events recorded while nothing delivered, then the relay.

    .venv/bin/python bench/catch_up.py                     # 100,000 events on PostgreSQL
    .venv/bin/python bench/catch_up.py --events 20000

It makes a scratch PostgreSQL database (dropped afterwards) and seeds, by SQL, issues and
their events as if web processes had recorded them and died before delivering (four or five
events an issue: reported, triaged, assigned, resolved, closed; the confirmation, assignment
and resolution mail go to the dummy mail backend, so the figures are the relay's own cost).
Then:

1. the normal rate: the first 5,000 events delivered by `deliveries.deliver_positions` in
   batches of 100, as a delivery thread does after commit;
2. catch-up: `relay.sweep` passes (as `manage.py relay_events` runs them) from the handlers'
   checkpoints until a pass finds nothing: events a second, and the ratio to 1.;
3. none skipped: every (event, handler of its type) pair has a done delivery row, and every
   checkpoint stands at the head.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import api_issues  # noqa: E402  (the scratch database helper)
from rebuild import SEED as SEED_EVENTS  # noqa: E402

SEED_ISSUES = """
INSERT INTO issues_issue (id, number, reference, tracking_token, status, reporter_name,
    reporter_email, description, priority_rank, version, reported_at, updated_at)
SELECT md5(n::text)::uuid, n, 'HD-' || n, md5('token' || n), 'closed', 'Fred',
       'fred@example.org', 'Fire.', 0, 5, now(), now()
FROM generate_series(1, %(issues)s) AS n
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    database_url, drop = api_issues.scratch_postgres(args.postgres)
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="issues_adapters.settings",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="ERROR",
        CELERY_BROKER_URL="",
    )
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


def run(args) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from issues_adapters.eventing import deliveries, relay
    from issues_adapters.eventing.models import Checkpoint, Delivery
    from issues_adapters.persistence.models import RecordedEvent
    from issues_adapters.wiring import message_bus

    call_command("migrate", verbosity=0)
    for username in ("alice", "bob"):
        get_user_model().objects.create_user(username, f"{username}@example.org", "x")
    issues = int(args.events / 4.25)
    with connection.cursor() as cursor:
        cursor.execute(SEED_ISSUES, {"issues": issues})
        cursor.execute(SEED_EVENTS, {"issues": issues})
        cursor.execute("ANALYZE")
    positions = list(RecordedEvent.objects.order_by("position").values_list("position", flat=True))
    events = len(positions)
    bus = message_bus()
    print(f"PostgreSQL: {events:,} events recorded, none delivered")

    first = positions[:5000]
    began = time.perf_counter()
    for start in range(0, len(first), 100):
        deliveries.deliver_positions(first[start : start + 100], bus=bus)
    normal = len(first) / (time.perf_counter() - began)
    print(f"normal rate (after-commit batches of 100): {normal:,.0f} events/s")

    began = time.perf_counter()
    passes, found = 0, 0
    while True:
        done = relay.sweep(bus, in_process=True, grace=timedelta(0))
        passes += 1
        found += done.found
        if not done.found and not done.full:
            break
    took = time.perf_counter() - began
    rate = found / took
    print(
        f"catch-up by the relay: {found:,} events in {took:.1f} s, {rate:,.0f} events/s "
        f"({rate / normal:.2f}x the normal rate, {passes} passes)"
    )

    handlers = relay.handler_event_types(bus)
    expected = sum(
        RecordedEvent.objects.filter(event_type__in=types).count() for types in handlers.values()
    )
    delivered = Delivery.objects.filter(status="done").count()
    marks = set(Checkpoint.objects.values_list("position", flat=True))
    print(
        f"none skipped: {delivered:,} of {expected:,} (event, handler) pairs delivered; "
        f"checkpoints at {sorted(marks)}, head {positions[-1]}"
    )
    print(f"reproduce: .venv/bin/python bench/catch_up.py --events {args.events}")
    return 0 if delivered == expected and marks == {positions[-1]} else 1


if __name__ == "__main__":
    sys.exit(main())
