"""The dashboard page over a year, with the report rows of 1,000,000 issues, and
django-helpdesk 2.6.1's dashboard at 100,000 tickets in the same run, as a ratio.

    .venv/bin/python bench/dashboard.py                       # SQLite
    .venv/bin/python bench/dashboard.py --postgres            # scratch PostgreSQL databases
    .venv/bin/python bench/dashboard.py --tickets 10000 --seconds 5 --no-peer
    .venv/bin/python bench/dashboard.py --no-peer --database sqlite:///var/bench/dash.sqlite3

Ours: a scratch database gets bench/reports.py's rows (every metric, grouping and group a day
for three years, and the month rows) for --issues issues; then GET /staff/dashboard/ for the
last 365 days, each grouping:
1. in-process (Django's test client, one thread): median and max of --runs, the target
   <= 150 ms;
2. under gunicorn (2 workers x 4 threads) beside django-helpdesk's GET /helpdesk/dashboard/
   (installed from PyPI into var/bench/peer/venv and seeded with --tickets tickets by
   bench/versus_django_helpdesk.py's own functions), one client back to back for --seconds
   each: ms per page and server CPU per page, and the ratio.
"""

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]

import api_issues  # noqa: E402
import queue_page  # noqa: E402
import versus_django_helpdesk as versus  # noqa: E402

GROUPINGS = ("day", "category", "priority", "assignee")


def dashboard_path(group_by: str) -> str:
    end = date.today()
    start = end - timedelta(days=364)
    return f"/staff/dashboard/?from={start}&to={end}&group_by={group_by}"


def seed_ours(env: dict, issues: int) -> str:
    """Report rows as bench/reports.py seeds them (unless the database has them already:
    --database), and a staff session; returns its key."""
    import subprocess

    python = str(PROJECT / ".venv" / "bin" / "python")
    for command in (["migrate"], ["collectstatic"]):  # DEBUG off: the manifest storage
        subprocess.run(
            [python, "manage.py", *command, "--noinput", "-v0"], cwd=PROJECT, env=env, check=True
        )
    os.environ.update(env)
    import django

    django.setup()
    import reports  # bench/reports.py

    from issues_adapters.reports.models import ReportCount

    if ReportCount.objects.exists():
        print(f"ours: {ReportCount.objects.count():,} report rows, seeded before")
        return queue_page.staff_session()
    began = time.perf_counter()
    rows = reports.seed(1096, issues)
    print(
        f"ours: {rows:,} report rows for {issues:,} issues in {time.perf_counter() - began:.0f} s"
    )
    return queue_page.staff_session()


def in_process(runs: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench"))
    took = {}
    for group_by in GROUPINGS:
        path = dashboard_path(group_by)
        assert client.get(path).status_code == 200
        took[group_by] = ([], [])
        for _ in range(runs):
            began, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            took[group_by][0].append((time.perf_counter() - began) * 1000)
            took[group_by][1].append((time.process_time() - cpu) * 1000)
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=1_000_000)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-peer", action="store_true", help="ours only")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/postgres",
        help="scratch databases on this PostgreSQL server",
    )
    parser.add_argument("--database", help="ours: a database URL, seeded once and kept")
    args = parser.parse_args()

    if not args.no_peer:
        versus.peer_environment()
    (PROJECT / "var").mkdir(exist_ok=True)  # a fresh clone has none yet
    var = Path(tempfile.mkdtemp(prefix="bench-dashboard-", dir=PROJECT / "var"))
    peer_dir = var / "peer"
    versus.peer_project(peer_dir)
    scratch: list[str] = []
    if args.postgres:
        import psycopg

        ours_name, ours_url = queue_page.scratch_postgres(args.postgres)
        peer_name = f"bench_peer_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{peer_name}"')
        scratch = [ours_name, peer_name]
        peer_db = args.postgres.rsplit("/", 1)[0] + "/" + peer_name
    else:
        ours_url, peer_db = f"sqlite:///{var / 'ours.sqlite3'}", str(var / "peer.sqlite3")
    if args.database:
        if args.postgres:
            queue_page.drop_postgres(args.postgres, scratch.pop(0))
        ours_url = args.database
    ours_env = {
        **os.environ,
        "DATABASE_URL": ours_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    peer_env = {
        **os.environ,
        "PEER_DATABASE": peer_db,
        "DJANGO_SETTINGS_MODULE": "peer.settings",
        "PYTHONPATH": str(peer_dir),
    }
    servers = []
    vendor = "PostgreSQL" if ours_url.startswith("postgres") else "SQLite"
    try:
        session = seed_ours(ours_env, args.issues)
        took = in_process(args.runs)
        print(
            f"\nGET /staff/dashboard/, last 365 days, {args.issues:,} issues' report rows, "
            f"{vendor}, in-process ({args.runs} runs):"
        )
        database_cpu = "the database's too" if vendor == "SQLite" else "PostgreSQL's not counted"
        for group_by, (times, cpu) in took.items():
            print(
                f"  group_by={group_by:<9} median {statistics.median(times):6.1f} ms  "
                f"max {max(times):6.1f} ms  (target <= 150 ms); CPU of this process "
                f"{statistics.median(cpu):6.1f} ms ({database_cpu})"
            )
        from django.db import connections

        connections.close_all()
        if not args.no_peer:
            print(f"Seeding django-helpdesk with {args.tickets:,} tickets ...", flush=True)
            theirs = versus.seed_peer(peer_dir, peer_env, args.tickets)
            ours_port, peer_port = api_issues.free_port(), api_issues.free_port()
            ours_server = versus.start(
                [str(PROJECT / ".venv" / "bin" / "gunicorn"), "issues_adapters.wsgi:application"],
                PROJECT,
                ours_env,
                ours_port,
            )
            servers.append(ours_server)
            peer_server = versus.start(
                [str(versus.PEER / "venv" / "bin" / "gunicorn"), "peer.wsgi:application"],
                peer_dir,
                peer_env,
                peer_port,
            )
            servers.append(peer_server)
            sides = {
                "ours": (ours_port, ours_server.pid, dashboard_path("category"), session),
                "theirs": (peer_port, peer_server.pid, "/helpdesk/dashboard/", theirs["session"]),
            }
            found = {}
            for side, (port, pid, path, key) in sides.items():
                result = versus.measure(
                    port,
                    pid,
                    "GET",
                    path,
                    clients=1,
                    seconds=args.seconds,
                    headers={"Cookie": queue_page.staff_cookies(key)},
                )
                found[side] = result
                print(
                    f"  {side:<6} GET {path}: {1000 / max(result['rate'], 1e-9):7.1f} ms a page, "
                    f"server CPU {result['cpu_ms']:.1f} ms a page, {result['statuses']}",
                    flush=True,
                )
            ours_ms = 1000 / max(found["ours"]["rate"], 1e-9)
            their_ms = 1000 / max(found["theirs"]["rate"], 1e-9)
            print(
                f"\nDashboard under gunicorn, {vendor}: ours {ours_ms:.1f} ms a page "
                f"({args.issues:,} issues, a year by category), django-helpdesk "
                f"{versus.PEER_VERSION} {their_ms:.1f} ms ({args.tickets:,} tickets): "
                f"{their_ms / ours_ms:.1f}x faster; server CPU "
                f"{found['ours']['cpu_ms']:.1f} vs {found['theirs']['cpu_ms']:.1f} ms a page"
            )
    finally:
        for server in servers:
            api_issues.stop(server)
        for name in scratch:
            queue_page.drop_postgres(args.postgres, name)
        shutil.rmtree(var, ignore_errors=True)
    print("command: " + shlex.join([".venv/bin/python", "bench/dashboard.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
