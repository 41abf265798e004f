"""Where a request to POST/GET /api/issues/ goes: SQL statements and time, in-process.

    .venv/bin/python bench/api_profile.py                 # SQLite scratch file under var/bench/
    .venv/bin/python bench/api_profile.py --postgres      # a scratch PostgreSQL database
    .venv/bin/python bench/api_profile.py --profile post  # + a pyinstrument profile (if installed)

Each request goes through the product's WSGI application (every middleware, DEBUG=0), called
directly with a WSGI environ as gunicorn would build it, on one thread. Printed per request
kind: the SQL statements of one request (after warm-up) and the mean wall and CPU time over --count
requests. Event delivery after commit happens as configured (HELPDESK_DELIVER_AFTER_COMMIT);
"inline" shows its cost inside the request.
"""

import argparse
import io
import json
import os
import sys
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.api_issues import REPORT, scratch_postgres, scratch_sqlite  # noqa: E402


def environ(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> dict:
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in (headers or {}).items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def use_production_settings(database_url: str, delivery: str | None) -> None:
    """This process's environment as production's (DEBUG off), on `database_url`, mail and
    throttles out of the way, events delivered as `delivery` says (None: the default)."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECRET_KEY="bench-only-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        HELPDESK_API_REPORT_RATE="100000000/second",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="issues_adapters.settings",
    )
    if delivery:
        os.environ["HELPDESK_DELIVER_AFTER_COMMIT"] = delivery
    os.environ.pop("CELERY_BROKER_URL", None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--profile", choices=["post", "post-key", "get"], default=None)
    parser.add_argument(
        "--delivery", default=None, help='HELPDESK_DELIVER_AFTER_COMMIT, or "none" (no delivery)'
    )
    args = parser.parse_args()

    database_url, drop = scratch_postgres(args.postgres) if args.postgres else scratch_sqlite()
    use_production_settings(database_url, args.delivery)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", "--noinput", verbosity=0)
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        user = get_user_model().objects.create_user("bench", password="x", is_staff=True)
        token = Token.objects.create(user=user).key
        from issues_adapters.wsgi import application

        if args.delivery == "none":  # the request's own cost: leave delivery to the relay
            from django.conf import settings

            settings.HELPDESK_DELIVER_AFTER_COMMIT = "none"

        body = json.dumps(REPORT).encode()
        kinds = {
            "post": lambda: environ("POST", "/api/issues/", body),
            "post-key": lambda: environ(
                "POST", "/api/issues/", body, {"Idempotency-Key": str(uuid.uuid4())}
            ),
            "get": lambda: environ(
                "GET", "/api/issues/", headers={"Authorization": f"Token {token}"}
            ),
        }

        def call(make) -> int:
            status = []
            chunks = application(make(), lambda s, h, exc_info=None: status.append(s))
            b"".join(chunks)
            getattr(chunks, "close", lambda: None)()
            return int(status[0].split()[0])

        for make in kinds.values():  # warm up, and 25+ issues for the page
            for _ in range(30):
                call(make)
        from issues_adapters.wiring import dispatcher

        dispatcher().worker.wait_until_idle(timeout=30)
        print(
            connection.vendor,
            "delivery:",
            os.environ.get("HELPDESK_DELIVER_AFTER_COMMIT", "default"),
        )
        for name, make in kinds.items():
            with CaptureQueriesContext(connection) as queries:
                code = call(make)
            print(f"\n{name}: HTTP {code}, {len(queries)} SQL statements")
            for query in queries.captured_queries:
                print("   ", query["sql"][:150])
            began, began_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.count):
                call(make)
            mean = (time.perf_counter() - began) / args.count * 1000
            cpu = (time.process_time() - began_cpu) / args.count * 1000
            print(f"  mean {mean:.2f} ms, CPU {cpu:.2f} ms over {args.count} requests")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(args.count):
                    call(kinds[args.profile])
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    print("Reproduce: " + " ".join([".venv/bin/python", "bench/api_profile.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
