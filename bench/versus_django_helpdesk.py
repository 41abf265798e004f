"""Side by side with django-helpdesk 2.6.1: the public form report, the issue page, the queue.

    .venv/bin/python bench/versus_django_helpdesk.py        # 100,000 issues, SQLite then PG
    .venv/bin/python bench/versus_django_helpdesk.py --databases sqlite --paths "form report"
    .venv/bin/python bench/versus_django_helpdesk.py --postgres       # PostgreSQL only
    .venv/bin/python bench/versus_django_helpdesk.py --issues 10000 --seconds 5 --runs 1

django-helpdesk is installed from PyPI into a throwaway virtual environment under
var/bench/peer/ (made once, kept for later runs), in a minimal project set up as its install
guide says (teams off, DEBUG off, mail to the dummy backend); on SQLite it gets the options
ours runs with (WAL, synchronous=NORMAL), without which its every write waits for the disk.
For each database (scratch ones, removed afterwards) both systems get the same number of issues
written straight by SQL (80% closed, 10% resolved, 10% open), and the issue measured gets five
comments through each product's own code. Both run under gunicorn as our README says (2
workers x 4 gthreads, persistent database connections), taking turns: for each path, each
run, ours then theirs, so both see the same machine. The load generator is
bench/api_issues.py's: N threads, each on a keep-alive connection, back to back for --seconds.

Paths (ours / theirs):
- form report: POST / with the CSRF token / POST /helpdesk/tickets/submit/ (anonymous);
  measured with it, the limit for a write: bench/api_bare_insert.py with a fresh
  startproject's apps and middleware inserting one row (PERFORMANCE.md's "Django view
  inserting one row"), on our database;
- issue page: GET /staff/issues/<id>/ / GET /helpdesk/tickets/<id>/ (signed-in staff);
- queue page: GET /staff/ / GET /helpdesk/tickets/ plus its list data (the page loads the
  rows with a second request, /helpdesk/datatables_ticket_list/<query>; both are timed).

"CPU" is the CPU time the gunicorn processes used per request (our delivery thread's
included). With --delivery relay ours runs as production may (docs: HELPDESK_DELIVER_AFTER_COMMIT
`none`): gunicorn records each report's events in its transaction and answers, and a
`manage.py relay_events` process beside it delivers them (the queue counts, the confirmation
mail rendered and handed to the dummy backend); its CPU a request, measured until it has
caught up, is printed after gunicorn's ("ours 2.4+2.1"). django-helpdesk renders and sends its
mail inside the request. The issue's targets: the form report and the issue page at >= 10x
django-helpdesk's rate.
"""

import argparse
import base64
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

import api_issues  # noqa: E402
import queue_page  # noqa: E402

PEER_VERSION = "2.6.1"
PEER = PROJECT / "var" / "bench" / "peer"
PEER_PYTHON = PEER / "venv" / "bin" / "python"
REPORT_FORM = {
    "name": "Fred Bloggs",
    "email": "fred@example.org",
    "subject": "The printer jams",
    "description": "The printer on the second floor jams on every page.",
}

PEER_SETTINGS = """
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.sites", "django.contrib.humanize", "rest_framework", "helpdesk",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "peer.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
_db = os.environ["PEER_DATABASE"]
if _db.startswith("postgres"):
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": _db.rsplit("/", 1)[1],
        "USER": "postgres", "HOST": "127.0.0.1", "PORT": 5432, "CONN_MAX_AGE": 600,
    }}
else:
    # The SQLite options ours runs with (WAL, no fsync a commit, writers queueing): the
    # default rollback journal would make its writes wait on the disk, not on its code.
    DATABASES = {"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": _db, "CONN_MAX_AGE": 600,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE", "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_ROOT = BASE_DIR / "media"
LOGIN_URL = "/helpdesk/login/"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
USE_TZ = True
HELPDESK_TEAMS_MODE_ENABLED = False
"""
PEER_URLS = """
from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("admin/", admin.site.urls), path("helpdesk/", include("helpdesk.urls"))]
"""
PEER_WSGI = """
import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer.settings")
application = get_wsgi_application()
"""
# Runs inside the peer's environment: tickets by SQL, five follow-ups on the measured one
# through its models, a staff session. Prints what the timing needs as JSON.
PEER_SEED = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from helpdesk.models import FollowUp, Queue, Ticket

count = int(sys.argv[1])
queue = Queue.objects.create(title="Support", slug="support", allow_public_submission=True)
staff = get_user_model().objects.create_user("bench", is_staff=True, is_superuser=True)
r = "((g * 7919) % 100)"
status = f"CASE WHEN {r} < 80 THEN 4 WHEN {r} < 90 THEN 3 ELSE 1 END"
if connection.vendor == "postgresql":
    series, prefix = "generate_series(1, %d) AS t(g)" % count, ""
    when = "timestamp with time zone '2020-01-01' + g * interval '1 minute'"
    key = "md5('k' || g)::uuid::text"
else:
    series = "g"
    prefix = "WITH RECURSIVE g(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM g WHERE g < %d) " % count
    when = "strftime('%Y-%m-%d %H:%M:%f', '2020-01-01', '+' || g || ' minutes')"
    key = "printf('%036x', g)"
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute(
        f"{prefix}INSERT INTO helpdesk_ticket (title, created, modified, submitter_email, status, "
        "on_hold, description, resolution, priority, queue_id, secret_key, assigned_to_id) "
        f"SELECT 'Issue ' || g || ': the printer jams', {when}, {when}, "
        f"'person' || (g % 5000) || '@example.org', {status}, false, "
        "'The printer on floor ' || (g % 9) || ' jams again', NULL, 1 + (g % 5), "
        f"{queue.id}, {key}, CASE WHEN g % 3 = 0 THEN {staff.id} ELSE NULL END FROM {series}"
    )
    cursor.execute("ANALYZE")
ticket = Ticket.objects.filter(status=1).order_by("id")[count // 20]
for n in range(5):
    FollowUp.objects.create(ticket=ticket, user=staff, title="Comment", comment=f"Reply {n}.")
session = SessionStore()
session[SESSION_KEY] = str(staff.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
session.create()
print(json.dumps({"session": session.session_key, "ticket": ticket.id, "queue": queue.id}))
"""


def peer_environment() -> None:
    """django-helpdesk in a virtual environment of its own, made once."""
    if PEER_PYTHON.exists():
        return
    PEER.mkdir(parents=True, exist_ok=True)
    print(f"Installing django-helpdesk {PEER_VERSION} into {PEER / 'venv'} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(PEER / "venv")], check=True)
    subprocess.run(
        [
            str(PEER_PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            f"django-helpdesk=={PEER_VERSION}",
            "gunicorn",
            "psycopg[binary]",
        ],
        check=True,
    )


def peer_project(directory: Path) -> None:
    (directory / "peer").mkdir(parents=True)
    (directory / "peer" / "__init__.py").write_text("")
    (directory / "peer" / "settings.py").write_text(PEER_SETTINGS)
    (directory / "peer" / "urls.py").write_text(PEER_URLS)
    (directory / "peer" / "wsgi.py").write_text(PEER_WSGI)
    (directory / "seed.py").write_text(PEER_SEED)


def seed_peer(directory: Path, env: dict, issues: int) -> dict:
    run = {"cwd": directory, "env": env, "check": True}
    manage = [str(PEER_PYTHON), "-m", "django"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], **run)
    answer = subprocess.run(
        [str(PEER_PYTHON), "seed.py", str(issues)], capture_output=True, text=True, **run
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


OURS_COUNT = "from issues_adapters.persistence.models import IssueRecord as M"
PEER_COUNT = "from helpdesk.models import Ticket as M"


def count_rows(python, cwd: Path, env: dict, model: str) -> int:
    script = f"import django; django.setup(); {model}; print(M.objects.count())"
    answer = subprocess.run(
        [str(python), "-c", script], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return int(answer.stdout.strip().splitlines()[-1])


def seed_ours(env: dict, issues: int) -> dict:
    """Migrate and seed our database in a process of its own (its settings are per database)."""
    python = str(PROJECT / ".venv" / "bin" / "python")
    run = {"cwd": PROJECT, "env": env, "check": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
    answer = subprocess.run(
        [python, __file__, "--seed-ours", str(issues)], capture_output=True, text=True, **run
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def _seed_ours_here(issues: int) -> None:
    import django

    django.setup()
    from django.db import connection

    from issues_adapters.persistence.models import IssueNumber, IssueRecord
    from issues_adapters.wiring import dispatcher, message_bus
    from issues_domain import commands
    from issues_domain.values import Actor

    queue_page.grow(connection.vendor, 0, issues)
    # The rows were written by SQL: move the reference counter past them.
    IssueNumber.objects.create(id=issues)
    if connection.vendor == "postgresql":
        table = IssueNumber._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {issues})")
    queue_page.fill_counts()
    session = queue_page.staff_session()
    issue_id = (
        IssueRecord.objects.filter(status="assigned")
        .order_by("number")
        .values_list("id", flat=True)[max(0, issues // 200)]
    )
    for n in range(5):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=issue_id,
                author=Actor.staff("bench"),
                body=f"Reply {n}.",
                visibility="public",
            )
        )
    dispatcher().worker.wait_until_idle(timeout=60)
    print(json.dumps({"session": session, "issue": str(issue_id)}))


def prepare_bare(env: dict) -> dict:
    """The limit: bench/api_bare_insert.py's view with a fresh startproject's apps and
    middleware (PERFORMANCE.md's "Django view inserting one row"), on our database."""
    bare = env | {
        "DJANGO_SETTINGS_MODULE": "bench.api_bare_insert",
        "BARE_INSERT_STACK": "startproject",
    }
    subprocess.run(
        [
            str(PROJECT / ".venv" / "bin" / "python"),
            "-c",
            "import django; django.setup(); import bench.api_bare_insert as b; b.create_table()",
        ],
        env=bare,
        cwd=PROJECT,
        check=True,
    )
    return bare


def start(command: list[str], cwd: Path, env: dict, port: int):
    server = subprocess.Popen(
        [
            *command,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server  # it answers, if only with a 404 or a redirect
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{command[-1]} did not start")


def csrf_form(port: int, path: str, fields: dict) -> tuple[bytes, dict]:
    """The form's body with a CSRF token, and the cookie that goes with it."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        html = response.read().decode()
        cookie = response.headers.get_all("Set-Cookie") or []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf_cookie = next(c.split(";")[0] for c in cookie if c.startswith("csrftoken="))
    body = urllib.parse.urlencode(fields | {"csrfmiddlewaretoken": token}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf_cookie}
    return body, headers


def datatables_query() -> str:
    query = {
        "filtering": {"status__in": [1, 2]},
        "sorting": "created",
        "search_string": "",
        "sortreverse": False,
    }
    return base64.urlsafe_b64encode(json.dumps(query).encode()).decode()


def measure(
    port: int,
    pid: int,
    method: str,
    path: str,
    *,
    clients: int,
    seconds: float,
    body=None,
    headers=None,
    relay_pid=None,
) -> dict:
    api_issues.warm_up(port, method, path, body=body, headers=headers)
    relay_cpu = caught_up_cpu(relay_pid) if relay_pid else 0.0  # the warm-up's events done
    cpu = api_issues.cpu_seconds(pid)
    result = api_issues.load(
        port, method, path, clients=clients, seconds=seconds, body=body, headers=headers
    )
    result["cpu_ms"] = (api_issues.cpu_seconds(pid) - cpu) * 1000 / max(1, result["requests"])
    if relay_pid:
        spent = caught_up_cpu(relay_pid) - relay_cpu
        result["relay_cpu_ms"] = spent * 1000 / max(1, result["requests"])
    return result


def caught_up_cpu(pid: int) -> float:
    """The relay's CPU seconds once it has caught up (no CPU for half a second), at most 60 s."""
    deadline, last = time.monotonic() + 60, api_issues.cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = api_issues.cpu_seconds(pid)
        if now - last < 0.01:
            return now
        last = now
    return last


PATHS = ("form report", "issue page", "queue page", "queue list data")
SYSTEMS = ("ours", "theirs", "bare")


def run_database(vendor: str, args, clients: list[int], paths: list[str]) -> dict:
    """Seed both systems on scratch databases of `vendor`, serve them, time each path; the
    runs of each cell as {(path, system, clients): [result, ...]}."""
    (PROJECT / "var").mkdir(exist_ok=True)  # a fresh clone has none yet
    var = Path(tempfile.mkdtemp(prefix="bench-versus-", dir=PROJECT / "var"))
    peer_dir = var / "peer"
    peer_project(peer_dir)
    scratch: list[str] = []
    if vendor == "postgresql":
        ours_name, ours_url = queue_page.scratch_postgres(args.postgres_url)
        import psycopg

        peer_name = f"bench_peer_{os.getpid()}"
        with psycopg.connect(args.postgres_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{peer_name}"')
        scratch = [ours_name, peer_name]
        peer_db = args.postgres_url.rsplit("/", 1)[0] + "/" + peer_name
    else:
        ours_url, peer_db = f"sqlite:///{var / 'ours.sqlite3'}", str(var / "peer.sqlite3")
    ours_env = {
        **os.environ,
        "DATABASE_URL": ours_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "HELPDESK_API_REPORT_RATE": "1000000/minute",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        **({"HELPDESK_DELIVER_AFTER_COMMIT": "none"} if args.delivery == "relay" else {}),
    }
    peer_env = {
        **os.environ,
        "PEER_DATABASE": peer_db,
        "DJANGO_SETTINGS_MODULE": "peer.settings",
        "PYTHONPATH": str(peer_dir),
    }
    results: dict[tuple[str, str, int], list[dict]] = {}
    servers = []
    try:
        print(f"{vendor}: seeding {args.issues:,} issues in each ...", flush=True)
        ours = seed_ours(ours_env, args.issues)
        theirs = seed_peer(peer_dir, peer_env, args.issues)
        bare_env = prepare_bare(ours_env)
        chosen = [int(port) for port in args.ports.split(",") if port] if args.ports else []
        ports = {
            system: chosen[n] if n < len(chosen) else api_issues.free_port()
            for n, system in enumerate(SYSTEMS)
        }
        relay = None
        if args.delivery == "relay":
            python = str(PROJECT / ".venv" / "bin" / "python")
            relay = subprocess.Popen(
                [python, "manage.py", "relay_events", "--interval", "0.2"],
                cwd=PROJECT,
                env=ours_env,
                stdout=subprocess.DEVNULL,
            )
            servers.append(relay)
        gunicorn = str(PROJECT / ".venv" / "bin" / "gunicorn")
        pids = {}
        for system, command, cwd, env in (
            ("ours", [gunicorn, "issues_adapters.wsgi:application"], PROJECT, ours_env),
            (
                "theirs",
                [str(PEER / "venv" / "bin" / "gunicorn"), "peer.wsgi:application"],
                peer_dir,
                peer_env,
            ),
            ("bare", [gunicorn, "bench.api_bare_insert:application"], PROJECT, bare_env),
        ):
            server = start(command, cwd, env, ports[system])
            servers.append(server)
            pids[system] = server.pid
        # Both as a signed-in browser sends them: the session and the CSRF cookie.
        ours_staff = {"Cookie": queue_page.staff_cookies(ours["session"])}
        peer_staff = {"Cookie": queue_page.staff_cookies(theirs["session"])}
        ours_form = csrf_form(ports["ours"], "/", REPORT_FORM)
        peer_form = csrf_form(
            ports["theirs"],
            "/helpdesk/tickets/submit/",
            {
                "queue": theirs["queue"],
                "title": REPORT_FORM["subject"],
                "body": REPORT_FORM["description"],
                "submitter_email": REPORT_FORM["email"],
                "priority": 3,
            },
        )
        bare_insert = ("POST", "/insert/", api_issues.REPORT, None)
        every = {
            "form report": {
                "ours": ("POST", "/", *ours_form),
                "theirs": ("POST", "/helpdesk/tickets/submit/", *peer_form),
                "bare": bare_insert,
            },
            "issue page": {
                "ours": ("GET", f"/staff/issues/{ours['issue']}/", None, ours_staff),
                "theirs": ("GET", f"/helpdesk/tickets/{theirs['ticket']}/", None, peer_staff),
            },
            "queue page": {
                "ours": ("GET", "/staff/", None, ours_staff),
                "theirs": ("GET", "/helpdesk/tickets/", None, peer_staff),
            },
            "queue list data": {
                "ours": ("GET", "/staff/", None, ours_staff),
                "theirs": (
                    "GET",
                    f"/helpdesk/datatables_ticket_list/{datatables_query()}",
                    None,
                    peer_staff,
                ),
            },
        }
        for label in paths:
            for count in clients:
                for run in range(args.runs):
                    for system, (method, path, body, headers) in every[label].items():
                        result = measure(
                            ports[system],
                            pids[system],
                            method,
                            path,
                            clients=count,
                            seconds=args.seconds,
                            body=body,
                            headers=headers,
                            relay_pid=relay.pid if relay and system == "ours" else None,
                        )
                        results.setdefault((label, system, count), []).append(result)
                        relayed = (
                            f" + {result['relay_cpu_ms']:.2f} in the relay"
                            if "relay_cpu_ms" in result
                            else ""
                        )
                        print(
                            f"  {vendor:<10} {label:<16} {system:<6} {count:>2} clients run "
                            f"{run + 1}: {result['rate']:7.1f} req/s  "
                            f"{result['cpu_ms']:5.2f} ms CPU{relayed}  {result['statuses']}",
                            flush=True,
                        )
        if "form report" in paths:
            # A redirect is not proof of a report: count the rows each form wrote.
            ours_rows = count_rows(
                PROJECT / ".venv" / "bin" / "python", PROJECT, ours_env, OURS_COUNT
            )
            their_rows = count_rows(PEER_PYTHON, peer_dir, peer_env, PEER_COUNT)
            print(
                f"  {vendor}: issues now {ours_rows:,} ours, {their_rows:,} theirs "
                f"(seeded {args.issues:,} each; the form reports' 302s should match)",
                flush=True,
            )
    finally:
        for server in servers:
            api_issues.stop(server)
        for name in scratch:
            queue_page.drop_postgres(args.postgres_url, name)
        shutil.rmtree(var, ignore_errors=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", default="1,4")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--paths", default=",".join(PATHS), help="comma-separated: " + ", ".join(PATHS)
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL only, on this server (the default server without a value)",
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--ports", help="ours,theirs,bare's HTTP ports (default: free ones)")
    parser.add_argument(
        "--delivery",
        choices=["thread", "relay"],
        default="thread",
        help="ours delivers in gunicorn (thread, the default) or in a relay_events process",
    )
    parser.add_argument("--seed-ours", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_ours is not None:
        _seed_ours_here(args.seed_ours)
        return 0
    if args.postgres:
        args.databases, args.postgres_url = "postgresql", args.postgres
    clients = [int(c) for c in args.clients.split(",")]
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(paths) - set(PATHS) | set(databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")

    peer_environment()
    results = {vendor: run_database(vendor, args, clients, paths) for vendor in databases}

    def median(vendor, label, system, count, key="rate"):
        runs = results[vendor].get((label, system, count))
        return statistics.median(r[key] for r in runs) if runs else float("nan")

    names = {"sqlite": "SQLite", "postgresql": "PG"}
    print(
        f"\nOurs against django-helpdesk {PEER_VERSION}, {args.issues:,} issues each, "
        f"gunicorn 2 workers x 4 threads, {args.runs} runs of {args.seconds:g} s a cell, "
        "median run; req/s, then server CPU ms a request"
    )
    head = f"{'path':<17}{'clients':>8}"
    for vendor in databases:
        head += f"{'ours ' + names[vendor]:>12}{'peer ' + names[vendor]:>12}{'ratio':>8}"
    for vendor in databases:
        head += f"{'CPU ours ' + names[vendor]:>17}{'CPU peer ' + names[vendor]:>17}"
    print(head + f"{'failures':>10}")
    for label in paths:
        for count in clients:
            line = f"{label:<17}{count:>8}"
            failures = 0
            for vendor in databases:
                ours, theirs = (median(vendor, label, s, count) for s in ("ours", "theirs"))
                line += f"{ours:>12.1f}{theirs:>12.1f}{ours / theirs:>7.1f}x"
                failures += sum(
                    r["failures"]
                    for system in SYSTEMS
                    for r in results[vendor].get((label, system, count), [])
                )
            for vendor in databases:
                cpu = f"{median(vendor, label, 'ours', count, 'cpu_ms'):.2f}"
                if args.delivery == "relay" and label == "form report":
                    cpu += f"+{median(vendor, label, 'ours', count, 'relay_cpu_ms'):.2f}"
                line += f"{cpu:>17}{median(vendor, label, 'theirs', count, 'cpu_ms'):>17.2f}"
            print(line + f"{failures:>10}")
    if "form report" in paths:
        print(
            "\nThe limit for a write (bench/api_bare_insert.py, startproject apps and middleware, "
            "one INSERT, no template), same run:"
        )
        for vendor in databases:
            for count in clients:
                bare = median(vendor, "form report", "bare", count)
                ours = median(vendor, "form report", "ours", count)
                theirs = median(vendor, "form report", "theirs", count)
                print(
                    f"  {names[vendor]:<7}{count:>2} clients: bare {bare:7.1f} req/s "
                    f"({median(vendor, 'form report', 'bare', count, 'cpu_ms'):.2f} ms CPU); "
                    f"ours/bare {ours / bare:.2f}, peer/bare {theirs / bare:.2f}, "
                    f"bare/peer {bare / theirs:.1f}x"
                )
    print(
        "command: "
        + shlex.join([".venv/bin/python", "bench/versus_django_helpdesk.py", *sys.argv[1:]])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
