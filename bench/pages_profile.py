"""Where the public form report (POST /) and the staff issue page go: SQL statements and time.

    .venv/bin/python bench/pages_profile.py                    # SQLite scratch file under var/
    .venv/bin/python bench/pages_profile.py --postgres         # a scratch PostgreSQL database
    .venv/bin/python bench/pages_profile.py --profile issue    # + cProfile's top functions
    .venv/bin/python bench/pages_profile.py --profile issue --templates  # time per template
    .venv/bin/python bench/pages_profile.py --profile queue --pyinstrument  # a pyinstrument tree
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python bench/pages_profile.py \
        --callgrind --only issue,queue --count 20               # + instructions a request

Each request goes through the product's WSGI application (every middleware, DEBUG=0, the
production settings), called directly with a WSGI environ as gunicorn would build it, on one
thread. The issue page's issue has five public comments (--comments), as in
bench/versus_django_helpdesk.py;
"queue" is the staff queue's default page (/staff/, 25 open issues a page).
Printed per path: the SQL statements of one request (after warm-up) and the mean wall and CPU
time over --count requests. Event delivery runs as configured (a delivery thread after commit,
its CPU counted too, as the server's would be); --delivery none leaves it to the relay.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

from api_issues import scratch_sqlite  # noqa: E402
from api_profile import environ, use_production_settings  # noqa: E402

FORM = {
    "name": "Fred Bloggs",
    "email": "fred@example.org",
    "subject": "The printer jams",
    "description": "The printer on the second floor jams on every page.",
}


def template_times() -> dict:
    """Time spent in each template's render (inclusive of what it includes), by name."""
    from django.template import base

    spent: dict[str, list] = {}
    render = base.Template.render

    def timed(self, context):
        began = time.perf_counter()
        try:
            return render(self, context)
        finally:
            entry = spent.setdefault(self.origin.template_name, [0.0, 0])
            entry[0] += time.perf_counter() - began
            entry[1] += 1

    base.Template.render = timed
    return spent


def _callgrind(*arguments: str) -> None:
    command = ["callgrind_control", *arguments, str(os.getpid())]
    subprocess.run(command, check=True, capture_output=True)


def callgrind_instructions(label: str, request, count: int, settle) -> float:
    """Instructions one request takes, as callgrind counts them (repeatable on a busy machine,
    unlike time): the count over `count` requests less that of none, from callgrind's dumps."""
    totals = []
    for n in (0, count):
        _callgrind("--zero")
        _callgrind("--instr=on")
        for _ in range(n):
            request()
        settle()  # the delivery thread's work counts too
        _callgrind("--instr=off")
        _callgrind("--dump", f"{label}-{n}")
        dump = max(Path(".").glob(f"callgrind.out.{os.getpid()}*"), key=os.path.getmtime)
        totals.append(int(re.search(r"^totals: (\d+)", dump.read_text(), re.M).group(1)))
    return (totals[1] - totals[0]) / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--comments", type=int, default=5, help="on the issue page's issue")
    parser.add_argument("--profile", choices=["form", "reported", "issue", "queue"], default=None)
    parser.add_argument(
        "--templates", action="store_true", help="with --profile: time by template instead"
    )
    parser.add_argument(
        "--pyinstrument", action="store_true", help="with --profile: pyinstrument's tree"
    )
    parser.add_argument("--save", metavar="DIR", help="write each page's body to DIR")
    parser.add_argument("--delivery", default=None, help="HELPDESK_DELIVER_AFTER_COMMIT")
    parser.add_argument(
        "--broker",
        metavar="URL",
        help="CELERY_BROKER_URL, as production runs (compose.yaml): delivery publishes to it "
        "(nothing consumes: use a scratch Redis database, e.g. redis://127.0.0.1:6379/13)",
    )
    parser.add_argument(
        "--callgrind",
        action="store_true",
        help="also count instructions; run under valgrind --tool=callgrind --instr-atstart=no",
    )
    parser.add_argument(
        "--only", default="", help="comma-separated kinds to time (form,reported,issue,queue)"
    )
    args = parser.parse_args()

    if args.postgres:
        import psycopg
        import queue_page

        # BENCH_DATABASE_PREFIX: people benchmarking on one server each keep to their own names.
        name = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'bench_')}pages_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        database_url = args.postgres.rsplit("/", 1)[0] + "/" + name

        def drop(database=name):  # `name` is taken again below, by the loop over the paths
            queue_page.drop_postgres(args.postgres, database)
    else:
        database_url, drop = scratch_sqlite()
    use_production_settings(database_url, args.delivery)
    if args.broker:
        os.environ["CELERY_BROKER_URL"] = args.broker
    try:
        import django

        django.setup()
        import queue_page
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        queue_page.grow(connection.vendor, 0, args.issues)
        from issues_adapters.persistence.models import IssueNumber, IssueRecord
        from issues_adapters.wiring import dispatcher, message_bus
        from issues_adapters.wsgi import application
        from issues_domain import commands
        from issues_domain.values import Actor

        IssueNumber.objects.create(id=args.issues)
        if connection.vendor == "postgresql":
            table = IssueNumber._meta.db_table
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {args.issues})"
                )
        queue_page.fill_counts()
        session = queue_page.staff_session()
        issue_id = (
            IssueRecord.objects.filter(status="assigned")
            .order_by("number")
            .values_list("id", flat=True)[args.issues // 200]
        )
        for n in range(args.comments):
            message_bus().handle(
                commands.CommentOnIssue(
                    issue_id=issue_id,
                    author=Actor.staff("bench"),
                    body=f"Reply {n}.",
                    visibility="public",
                )
            )

        def call(env) -> tuple[int, list, bytes]:
            answer = []
            chunks = application(env, lambda s, h, exc_info=None: answer.append((s, h)))
            body = b"".join(chunks)
            getattr(chunks, "close", lambda: None)()
            status, headers = answer[0]
            return int(status.split()[0]), headers, body

        code, headers, page = call(environ("GET", "/"))
        assert code == 200, (code, headers, page[:500])
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        csrf = next(v.split(";")[0].strip() for k, v in headers if "csrftoken=" in v)
        form_body = urllib.parse.urlencode(FORM | {"csrfmiddlewaretoken": token}).encode()

        def form():
            env = environ("POST", "/", form_body, {"Cookie": csrf})
            env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            return env

        _, headers, _ = call(form())
        staff_cookies = queue_page.staff_cookies(session)
        reported_cookie = next(v.split(";")[0].strip() for k, v in headers if "reported_issue" in v)
        kinds = {
            "form": form,
            "reported": lambda: environ("GET", "/reported/", headers={"Cookie": reported_cookie}),
            "issue": lambda: environ(
                "GET", f"/staff/issues/{issue_id}/", headers={"Cookie": staff_cookies}
            ),
            "queue": lambda: environ("GET", "/staff/", headers={"Cookie": staff_cookies}),
        }
        for make in kinds.values():
            for _ in range(30):
                call(make())
        dispatcher().worker.wait_until_idle(timeout=30)
        print(
            connection.vendor,
            "delivery:",
            os.environ.get("HELPDESK_DELIVER_AFTER_COMMIT", "thread (the default)"),
            "broker:",
            os.environ.get("CELERY_BROKER_URL", "none"),
        )
        timed = [name for name in kinds if not args.only or name in args.only.split(",")]
        measured = {}
        for name, make in ((name, kinds[name]) for name in timed):
            with CaptureQueriesContext(connection) as queries:
                code, _, body = call(make())
            print(f"\n{name}: HTTP {code}, {len(body)} bytes, {len(queries)} SQL statements")
            if args.save:
                Path(args.save, f"{name}.html").write_bytes(body)
            for query in queries.captured_queries:
                print("   ", query["sql"][:150])
            dispatcher().worker.wait_until_idle(timeout=30)
            began, began_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.count):
                call(make())
            dispatcher().worker.wait_until_idle(timeout=60)
            mean = (time.perf_counter() - began) / args.count * 1000
            cpu = (time.process_time() - began_cpu) / args.count * 1000
            print(f"  mean {mean:.2f} ms, CPU {cpu:.2f} ms (process) over {args.count} requests")
            if args.callgrind:
                once = lambda make=make: call(make())  # noqa: E731
                settle = lambda: dispatcher().worker.wait_until_idle(timeout=60)  # noqa: E731
                instructions = callgrind_instructions(name, once, args.count, settle)
                print(f"  {instructions / 1e6:.2f} M instructions a request (callgrind)")
            measured[name] = (cpu, instructions if args.callgrind else None)
        # The queue page's speed tricks, each switched off in turn: a line each.
        from issues_adapters.web import queue_rows
        from issues_adapters.web.views import staff

        tricks = {
            "fragments rendered anew (views/staff.py's kept fragments off)": (
                staff,
                staff.KEPT_FRAGMENTS,
            ),
            "rows built anew (web/queue_rows.py's kept rows off)": (queue_rows, ("_row",)),
        }
        for label, (module, names) in tricks.items() if "queue" in timed else ():
            kept = {name: getattr(module, name) for name in names}
            for name, function in kept.items():
                setattr(module, name, function.__wrapped__)
            began, began_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.count):
                call(kinds["queue"]())
            mean = (time.perf_counter() - began) / args.count * 1000
            cpu = (time.process_time() - began_cpu) / args.count * 1000
            if args.callgrind:
                once = lambda: call(kinds["queue"]())  # noqa: E731
                settle = lambda: dispatcher().worker.wait_until_idle(timeout=60)  # noqa: E731
                anew = callgrind_instructions("queue-anew", once, args.count, settle)
            for name, function in kept.items():
                setattr(module, name, function)
            kept_cpu, kept_instructions = measured["queue"]
            print(f"\nqueue, {label}")
            print(f"  mean {mean:.2f} ms, CPU {cpu:.2f} ms (process) over {args.count} requests")
            print(f"  the trick's gain: CPU {cpu / kept_cpu:.2f}x")
            if args.callgrind:
                print(f"  {anew / 1e6:.2f} M instructions a request (callgrind)")
                print(f"  the trick's gain: {anew / kept_instructions:.2f}x instructions")
        # The issue page's statements compiled anew each request (persistence/kept_statements.py
        # off): its own line.
        from issues_adapters.persistence import kept_statements

        for name in [name for name in ("issue",) if name in timed]:
            kept_statements.KEPT = False
            began, began_cpu = time.perf_counter(), time.process_time()
            for _ in range(args.count):
                call(kinds[name]())
            mean = (time.perf_counter() - began) / args.count * 1000
            cpu = (time.process_time() - began_cpu) / args.count * 1000
            if args.callgrind:
                once = lambda name=name: call(kinds[name]())  # noqa: E731
                settle = lambda: dispatcher().worker.wait_until_idle(timeout=60)  # noqa: E731
                anew = callgrind_instructions(f"{name}-compiled", once, args.count, settle)
            kept_statements.KEPT = True
            kept_cpu, kept_instructions = measured[name]
            print(f"\n{name}, statements compiled anew (persistence/kept_statements.py off)")
            print(f"  mean {mean:.2f} ms, CPU {cpu:.2f} ms (process) over {args.count} requests")
            print(f"  the trick's gain: CPU {cpu / kept_cpu:.2f}x")
            if args.callgrind:
                print(f"  {anew / 1e6:.2f} M instructions a request (callgrind)")
                print(f"  the trick's gain: {anew / kept_instructions:.2f}x instructions")
        # The issue page's kept form HTML switched off, each on its own line (full runs only).
        from issues_adapters.web import form_html
        from issues_adapters.web.templatetags import form_fields

        def issue_without(module, attribute, stand_in, label):
            kept = getattr(module, attribute)
            setattr(module, attribute, stand_in)
            try:
                began, began_cpu = time.perf_counter(), time.process_time()
                for _ in range(args.count):
                    call(kinds["issue"]())
                mean = (time.perf_counter() - began) / args.count * 1000
                cpu = (time.process_time() - began_cpu) / args.count * 1000
            finally:
                setattr(module, attribute, kept)
            print(f"\nissue, {label}")
            print(f"  mean {mean:.2f} ms, CPU {cpu:.2f} ms (process) over {args.count} requests")

        if timed and not args.only:
            issue_without(
                form_fields,
                "_key",
                lambda field, as_group: None,
                "form fields rendered anew (templatetags/form_fields.py off)",
            )
            issue_without(
                form_html,
                "unbound_fields_html",
                lambda form_class, initial, **choices: form_html.fields_html(
                    form_class(initial=initial, **choices)
                ),
                "side-panel forms built and rendered anew (web/form_html.py off)",
            )
        if args.profile and args.templates:
            spent = template_times()
            for _ in range(args.count):
                call(kinds[args.profile]())
            for name, (seconds, renders) in sorted(spent.items(), key=lambda i: -i[1][0])[:30]:
                print(f"{seconds / args.count * 1000:8.3f} ms {renders / args.count:5.1f}x {name}")
        elif args.profile and args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002, use_timing_thread=True)
            with profiler:
                for _ in range(args.count):
                    call(kinds[args.profile]())
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        elif args.profile:
            # CPU time, not wall time: steadier on a shared machine.
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.count):
                call(kinds[args.profile]())
            profiler.disable()
            if args.save:
                profiler.dump_stats(Path(args.save, f"{args.profile}.prof"))
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(60)
            out.write("\n---- by own time\n")
            stats.sort_stats("tottime").print_stats(40)
            print(out.getvalue())
    finally:
        from django.db import connections

        connections.close_all()
        drop()
    print("Reproduce: " + " ".join([".venv/bin/python", "bench/pages_profile.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
