"""Rebuilding a read model: events a second into the new tables, reporting while it runs, and
the status panel's answer time over a big log.

    .venv/bin/python bench/rebuild.py                       # PostgreSQL, 1,000,000 events
    .venv/bin/python bench/rebuild.py --events 200000 --seconds 8

It makes a scratch PostgreSQL database (dropped afterwards) and seeds `--events` events by SQL,
five per issue (reported, triaged, assigned, resolved, closed), then:

1. the status panel (GET /api/projections/ in-process): median of 30 calls;
2. `manage.py rebuild web.queue_counts`'s work, in-process: events per second;
3. POST /api/issues/ under gunicorn (2 workers x 4 threads, 8 clients) for `--seconds`, once
   alone and once while a rebuild runs in another process: reports a second, and the ratio.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import api_issues  # noqa: E402  (the bench's own load and gunicorn helpers)

SEED = """
INSERT INTO issues_recorded_event (event_id, event_type, issue_id, issue_version, status,
    actor_role, actor_name, data, occurred_at, recorded_at, schema_version)
SELECT gen_random_uuid(), kind.event_type, issue.id, kind.version, kind.status,
       'staff', 'alice', kind.data, now(), now(), kind.schema_version
FROM (SELECT md5(n::text)::uuid AS id, n FROM generate_series(1, %(issues)s) AS n) AS issue
CROSS JOIN LATERAL (VALUES
    ('IssueReported', 1, 'reported', 1, jsonb_build_object('reference', 'HD-' || issue.n,
        'reporter_name', 'Fred', 'reporter_email', 'fred@example.org', 'description', 'Fire.',
        'category', NULL, 'priority', NULL, 'actor_email', '')),
    ('IssueTriaged', 2, 'triaged', 2, jsonb_build_object('category',
        (ARRAY['printing', 'network', 'email'])[1 + issue.n %% 3], 'priority', 'high',
        'actor_email', '')),
    ('IssueAssigned', 3, 'assigned', 1, jsonb_build_object('assignee',
        (ARRAY['alice', 'bob'])[1 + issue.n %% 2], 'actor_email', '')),
    ('IssueResolved', 4, 'resolved', 1, jsonb_build_object('resolution', 'Out.',
        'reporter_email', 'fred@example.org', 'actor_email', '')),
    ('IssueClosed', 5, 'closed', 1, jsonb_build_object('actor_email', ''))
) AS kind(event_type, version, status, schema_version, data)
WHERE kind.version <= CASE WHEN issue.n %% 4 = 0 THEN 2 ELSE 5 END
ORDER BY issue.n, kind.version
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    database_url, drop = api_issues.scratch_postgres(args.postgres)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "ERROR",
        "CELERY_BROKER_URL": "",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_API_REPORT_RATE": "1000000/minute",
    }
    os.environ.update(env)
    try:
        return run(args, env, database_url)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


def run(args, env: dict, database_url: str) -> int:
    import django

    token = api_issues.prepare(env)
    django.setup()
    from django.db import connection
    from rest_framework.test import APIClient

    from issues_adapters.eventing import rebuilds
    from issues_adapters.persistence.models import RecordedEvent
    from issues_adapters.wiring import mail_handler_names, read_models

    # Issues n % 4 == 0 stop at triage (2 events), the others go to closed (5): 4.25 a issue.
    issues = int(args.events / 4.25)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SEED, {"issues": issues})
        cursor.execute("ANALYZE")
    events = RecordedEvent.objects.count()
    print(f"PostgreSQL: seeded {events:,} events by SQL in {time.perf_counter() - began:.1f} s")

    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    client.get("/api/projections/")
    took = []
    for _ in range(30):
        began = time.perf_counter()
        assert client.get("/api/projections/").status_code == 200
        took.append((time.perf_counter() - began) * 1000)
    print(
        f"status panel (GET /api/projections/): median {statistics.median(took):.1f} ms, "
        f"max {max(took):.1f} ms at {events:,} events"
    )

    known = read_models()
    rebuild = rebuilds.start("web.queue_counts", known, mail_handler_names())
    began = time.perf_counter()
    rebuilds.run(rebuild, known["web.queue_counts"])
    took = time.perf_counter() - began
    print(
        f"rebuild web.queue_counts, in-process: {events / took:,.0f} events/s "
        f"({events:,} events in {took:.1f} s)"
    )

    port = api_issues.free_port()
    server = api_issues.start_gunicorn("issues_adapters.wsgi", env, port, 2, 4)
    try:
        api_issues.warm_up(port, "POST", "/api/issues/", body=api_issues.REPORT)
        alone = api_issues.load(
            port, "POST", "/api/issues/", clients=8, seconds=args.seconds, body=api_issues.REPORT
        )
        rebuilding = subprocess.Popen(
            [api_issues.PYTHON, "manage.py", "rebuild", "web.queue_counts"],
            env=env,
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)  # past its start-up, into the build
        during = {}
        loading = threading.Thread(
            target=lambda: during.update(
                api_issues.load(
                    port,
                    "POST",
                    "/api/issues/",
                    clients=8,
                    seconds=args.seconds,
                    body=api_issues.REPORT,
                )
            )
        )
        loading.start()
        loading.join()
        still_running = rebuilding.poll() is None
        rebuilding.wait(timeout=600)
    finally:
        api_issues.stop(server)
    ended = "ran the whole time" if still_running else "ended within the load"
    print(
        f"POST /api/issues/, 8 clients: {alone['rate']:,.0f}/s alone, {during['rate']:,.0f}/s "
        f"while a rebuild runs ({during['rate'] / alone['rate']:.2f}x; p99 {alone['p99']:.0f} -> "
        f"{during['p99']:.0f} ms; the rebuild {ended}; "
        f"statuses {during['statuses']})"
    )
    print(
        f"reproduce: .venv/bin/python bench/rebuild.py --events {args.events} "
        f"--seconds {args.seconds:g}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
