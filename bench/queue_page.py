"""The staff queue under gunicorn at 1,000, 100,000 and 1,000,000 issues: every view, filter,
sort and search, its median time, its server CPU and how many issues it lists per page.

    .venv/bin/python bench/queue_page.py                      # PostgreSQL when reachable
    .venv/bin/python bench/queue_page.py --sizes 1000,100000 --requests 200
    .venv/bin/python bench/queue_page.py --sqlite             # SQLite file under var/bench/
    .venv/bin/python bench/queue_page.py --database-url postgres://postgres@127.0.0.1:5432/qb
        # keeps a database per size (qb_1000, qb_100000, ...) and reuses it on the next run
    BENCH_DATABASE_PREFIX=qp_ .venv/bin/python bench/queue_page.py   # scratch qp_queue_<pid>

It makes a scratch database (PostgreSQL: dropped afterwards), migrates it, and grows it to each
size in turn with issue rows written straight by SQL (a million commands would take hours and
measure the write side, not the page). The rows look like a helpdesk's: 80% closed, 10%
resolved, 10% open (a tenth of those waiting on the reporter), in seven categories, four
priorities and five assignees, spread over time; every 20th issue is tagged "vip", every 50th
"on-site"; each open issue has SLA clocks, a tenth of them overdue and a twentieth breaching
soon, the waiting ones paused. The read models (the side bar's counts, the SLA clocks) are
filled from those rows (in production they are kept from events). For each size it starts
gunicorn (production settings, DEBUG=0), signs a staff member in, and times sequential GETs
of each page after a warm-up, reading the CPU the workers (and on PostgreSQL the database's
backends) used meanwhile. With --database-url (a database per size) every size is served at
once and each page's GETs are timed in --turns batches, the sizes taking turns, so that a
change in the machine's speed reaches every size alike. The baseline is the anonymous login
page: Django, middleware and a template, without the queue's queries.

Targets (issue 17): every page at 1,000,000 within 1.5x of the same page at 1,000; the
default page at 5 ms of server CPU or less. On a shared machine the medians move by up to 2x;
the CPU per page is the steadier figure.
"""

import argparse
import html
import os
import re
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

PAGES = {
    "baseline: login page (no queue)": "/accounts/login/",
    "queue: all open (default)": "/staff/",
    # every view of the side bar
    "view: unassigned": "/staff/?view=unassigned",
    "view: mine": "/staff/?view=mine",
    "view: waiting on reporter": "/staff/?view=waiting",
    "view: resolved": "/staff/?view=resolved",
    "view: closed": "/staff/?view=closed",
    "view: everything": "/staff/?view=all",
    "view: breaching soon": "/staff/?view=breaching_soon",
    "view: overdue": "/staff/?view=overdue",
    # every filter
    "filter: category printing": "/staff/?category=printing",
    "filter: priority urgent": "/staff/?priority=urgent",
    "filter: priority not set": "/staff/?priority=none",
    "filter: category not set": "/staff/?category=none",
    "filter: assignee alice": "/staff/?assignee=alice",
    "filter: status triaged": "/staff/?status=triaged",
    "filter: tag on-site": "/staff/?tag=on-site",
    "filter: everything tagged vip": "/staff/?view=all&tag=vip",
    "filter: closed printing": "/staff/?view=closed&category=printing",
    "filter: mine, urgent": "/staff/?view=mine&priority=urgent",
    "filter: overdue, printing": "/staff/?view=overdue&category=printing",
    # every sort (of the default view, then of big views)
    "sort: oldest first": "/staff/?sort=reported_at",
    "sort: recently updated": "/staff/?sort=-updated_at",
    "sort: longest untouched": "/staff/?sort=updated_at",
    "sort: most urgent": "/staff/?sort=-priority",
    "sort: least urgent": "/staff/?sort=priority",
    "sort: reference": "/staff/?sort=reference",
    "sort: reference, highest first": "/staff/?sort=-reference",
    "sort: next deadline": "/staff/?sort=sla_due_at",
    "sort: overdue by next deadline": "/staff/?view=overdue&sort=sla_due_at",
    "sort: closed, oldest first": "/staff/?view=closed&sort=reported_at",
    "sort: everything, untouched": "/staff/?view=all&sort=updated_at",
    "sort: everything, by reference": "/staff/?view=all&sort=reference",
    "sort: open printing, most urgent": "/staff/?category=printing&sort=-priority",
    "sort: mine, most urgent": "/staff/?view=mine&sort=-priority",
    "sort: closed by next deadline": "/staff/?view=closed&sort=sla_due_at",
    "sort: next deadline, searched": "/staff/?sort=sla_due_at&q=printer",
    # search
    "search: reference HD-1500": "/staff/?view=all&q=HD-1500",
    "search: number 1500": "/staff/?view=all&q=1500",
    "search: email": "/staff/?view=all&q=person42%40example.org",
    "search: name": "/staff/?view=all&q=Person+42",
    "search: text, open": "/staff/?q=floor+7+jams",
    "search: text, everything": "/staff/?view=all&q=Issue+777:",
    "search: old issues only": "/staff/?view=all&q=Issue+55",
    # a page after the first: the page's "Next page" link, followed at each size
    "next page: everything": "/staff/?view=all",
    "next page: closed": "/staff/?view=closed",
    "next page: next deadline": "/staff/?sort=sla_due_at",
    "next page: search, everything": "/staff/?view=all&q=printer",
}
NEXT_PAGE = "next page: "
HEADLINE = "queue: all open (default)"
CATEGORIES = ["hardware", "software", "network", "accounts", "email", "printing", "other"]
PRIORITIES = ["low", "normal", "high", "urgent"]
STAFF = ["bench", "alice", "bob", "carol", "dan"]


# -- the database -----------------------------------------------------------------------------


def scratch_postgres(server_url: str) -> tuple[str, str]:
    import psycopg

    # BENCH_DATABASE_PREFIX: where several people share one server, each their own names.
    name = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'bench_')}queue_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, server_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows_sql(vendor: str, start: int, end: int) -> str:
    """INSERT ... SELECT of issues numbered start..end-1, deterministic pseudo-random columns."""
    r = "((g * 7919) % 100)"
    status = (
        f"CASE WHEN {r} < 80 THEN 'closed' WHEN {r} < 90 THEN 'resolved' "
        f"WHEN {r} < 94 THEN 'reported' WHEN {r} < 97 THEN 'triaged' "
        f"WHEN {r} < 99 THEN 'assigned' ELSE 'waiting' END"
    )
    reported = f"{r} >= 90 AND {r} < 94"
    cats = ", ".join(f"'{c}'" for c in CATEGORIES)
    names = ", ".join(f"'{s}'" for s in STAFF)
    if vendor == "postgresql":
        series = f"generate_series({start}::bigint, {end - 1}::bigint) AS t(g)"
        uid = "lpad(to_hex(g), 32, '0')::uuid"
        pick = "(ARRAY[{items}])[1 + ({m}) % {n}]"
        text = "'Issue ' || g || ': the printer on floor ' || (g % 9) || ' jams again'"
        ref, token = "'HD-' || (1000 + g)", "md5('token' || g)"
        email = "'person' || (g % 5000) || '@example.org'"
        when = "timestamp with time zone '2020-01-01' + g * interval '1 minute'"
        later = "timestamp with time zone '2020-01-01' + g * interval '1 minute' + interval '1 day'"
        prefix = ""
    else:
        series = "g"
        uid = "printf('%032x', g)"
        pick = "json_extract(json_array({items}), '$[' || (({m}) % {n}) || ']')"
        text = "'Issue ' || g || ': the printer on floor ' || (g % 9) || ' jams again'"
        ref, token = "'HD-' || (1000 + g)", "printf('%064x', g * 2654435761)"
        email = "'person' || (g % 5000) || '@example.org'"
        # Whole seconds, as Django writes them (no fraction): a cursor's value is compared
        # with these as text.
        when = "strftime('%Y-%m-%d %H:%M:%S', '2020-01-01', '+' || g || ' minutes')"
        later = "strftime('%Y-%m-%d %H:%M:%S', '2020-01-01', '+' || (g + 1440) || ' minutes')"
        prefix = (
            f"WITH RECURSIVE g(g) AS (SELECT {start} "
            f"UNION ALL SELECT g + 1 FROM g WHERE g < {end - 1}) "
        )
    category = f"CASE WHEN {reported} THEN NULL ELSE {pick.format(items=cats, m='g * 31', n=7)} END"
    priority_value = "((g / 100 + g * 13) % 4)"  # g / 100: spread over every status
    priority = (
        f"CASE WHEN {reported} THEN NULL ELSE "
        + pick.format(items=repr_list(PRIORITIES), m="g / 100 + g * 13", n=4)
        + " END"
    )
    rank = f"CASE WHEN {reported} THEN 0 ELSE 1 + {priority_value} END"
    somebody = pick.format(items=names, m="g / 3", n=5)
    assignee = f"CASE WHEN {r} < 97 AND {r} >= 90 THEN NULL ELSE {somebody} END"
    resolution = f"CASE WHEN {r} < 90 THEN 'Fixed.' ELSE NULL END"
    tags = f"({TAGS_JSON})::jsonb" if vendor == "postgresql" else TAGS_JSON
    return (
        f"{prefix}INSERT INTO issues_issue (id, number, reference, tracking_token, status, "
        "reporter_name, reporter_email, language, subject, description, category, priority, "
        "priority_rank, assignee, resolution, tags, links, version, reported_at, updated_at) "
        f"SELECT {uid}, 1000 + g, {ref}, {token}, {status}, 'Person ' || (g % 5000), {email}, "
        f"'en', 'Printer ' || (g % 9) || ' jams', {text}, {category}, {priority}, {rank}, "
        f"{assignee}, {resolution}, {tags}, '{{}}', 3, {when}, {later} FROM {series}"
    )


# Every 20th issue is tagged "vip", every 50th "on-site" (some both): the tag filter's rows.
# The status hangs on g % 100, so the other columns mix in g / 100 to spread over every status.
VIP, ON_SITE = "(g / 100 + g) % 20 = 0", "(g / 100 + g) % 50 = 7"
TAGS = {"vip": VIP, "on-site": ON_SITE}
TAGS_JSON = (
    f'CASE WHEN {VIP} AND {ON_SITE} THEN \'["on-site", "vip"]\' '
    f"WHEN {VIP} THEN '[\"vip\"]' WHEN {ON_SITE} THEN '[\"on-site\"]' ELSE '[]' END"
)


def _tags_and_clocks_sql(vendor: str, start: int, end: int) -> list[str]:
    """The tag rows of issues start..end-1, and the SLA clocks read model of the open ones:
    a tenth of the running clocks overdue, a twentieth within their warning time, the waiting
    issues' clocks paused (what sla/clocks.py would keep from the events)."""
    first, last = 1000 + start, 1000 + end - 1
    g = "(number - 1000)"
    tags = [
        f"INSERT INTO issues_tag (issue_id, tag, position, issue_open) "
        f"SELECT id, '{tag}', 0, status IN ('reported', 'triaged', 'assigned', 'waiting') "
        f"FROM issues_issue WHERE number BETWEEN {first} AND {last} "
        f"AND {condition.replace('g', g)}"
        for tag, condition in TAGS.items()
    ]
    hours = f"((({g} / 100 * 37 + {g} * 53) % 200) - 20)"  # -20..179 hours from now: 10% late
    if vendor == "postgresql":
        due = f"now() + {hours} * interval '1 hour'"
        warn = f"now() + ({hours} - 10) * interval '1 hour'"
    else:
        due = f"strftime('%Y-%m-%d %H:%M:%S', 'now', {hours} || ' hours')"
        warn = f"strftime('%Y-%m-%d %H:%M:%S', 'now', ({hours} - 10) || ' hours')"
    running = "status IN ('reported', 'triaged', 'assigned')"
    # The view the timers' flags put a running clock in (sla/clocks.py).
    view = (
        f"CASE WHEN {running} AND {hours} < 0 THEN 'overdue' "
        f"WHEN {running} AND {hours} < 10 THEN 'breaching_soon' END"
    )
    clocks = (
        "INSERT INTO sla_clock (issue_id, operations, policy, first_response_due, "
        'resolution_due, due_at, warn_at, paused, "view", reported_at) '
        f"SELECT id, '[]', 'Standard', NULL, CASE WHEN {running} THEN {due} END, "
        f"CASE WHEN {running} THEN {due} END, CASE WHEN {running} THEN {warn} END, "
        f"NOT ({running}), {view}, reported_at FROM issues_issue "
        f"WHERE number BETWEEN {first} AND {last} "
        "AND status IN ('reported', 'triaged', 'assigned', 'waiting')"
    )
    return [*tags, clocks]


def repr_list(items: list[str]) -> str:
    return ", ".join(f"'{i}'" for i in items)


def grow(vendor: str, start: int, end: int) -> float:
    from django.db import connection, transaction

    began = time.perf_counter()
    step = 200_000
    for low in range(start, end, step):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_rows_sql(vendor, low, min(end, low + step)))
            for statement in _tags_and_clocks_sql(vendor, low, min(end, low + step)):
                cursor.execute(statement)
    with connection.cursor() as cursor:
        # As autovacuum leaves a table in use: statistics, and the visibility map that lets
        # the SLA counts read their index alone.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - began


def fill_counts() -> None:
    """The side bar's counters, from the issue rows (what replaying the events would give)."""
    from django.db import connection, transaction

    open_ = "status IN ('reported', 'triaged', 'assigned', 'waiting')"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM web_queuecount")
        cursor.execute(
            "INSERT INTO web_queuecount (key, count) "
            f"SELECT 'open', COUNT(*) FROM issues_issue WHERE {open_} "
            f"UNION ALL SELECT 'unassigned', COUNT(*) FROM issues_issue WHERE {open_} "
            "AND assignee IS NULL "
            "UNION ALL SELECT 'status:' || status, COUNT(*) FROM issues_issue GROUP BY status "
            "UNION ALL SELECT 'assignee:' || assignee, COUNT(*) FROM issues_issue "
            f"WHERE {open_} AND assignee IS NOT NULL GROUP BY assignee "
            "UNION ALL SELECT 'category:' || category, COUNT(*) FROM issues_issue "
            f"WHERE {open_} AND category IS NOT NULL GROUP BY category "
            "UNION ALL SELECT 'category:none', COUNT(*) FROM issues_issue "
            f"WHERE {open_} AND category IS NULL "
            "UNION ALL SELECT 'priority:' || priority, COUNT(*) FROM issues_issue "
            f"WHERE {open_} AND priority IS NOT NULL GROUP BY priority "
            "UNION ALL SELECT 'priority:none', COUNT(*) FROM issues_issue "
            f"WHERE {open_} AND priority IS NULL "
            "UNION ALL SELECT 'tag:' || tag, COUNT(*) FROM issues_tag "
            f"JOIN issues_issue ON issues_issue.id = issues_tag.issue_id WHERE {open_} GROUP BY tag"
        )
        cursor.execute("DELETE FROM sla_view_count")
        cursor.execute(
            'INSERT INTO sla_view_count ("view", count) SELECT "view", COUNT(*) FROM sla_clock '
            'WHERE "view" IS NOT NULL GROUP BY "view"'
        )


# A signed-in browser sends the CSRF cookie it was given with its first page; without it,
# every page would make and set a new secret, which no browser asks for.
BROWSER_CSRF_COOKIE = f"csrftoken={secrets.token_hex(16)}"


def staff_cookies(session_key: str) -> str:
    """The Cookie header of a staff member's browser: the session and the CSRF cookie."""
    return f"sessionid={session_key}; {BROWSER_CSRF_COOKIE}"


def staff_session() -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    users = get_user_model()
    for name in STAFF:
        users.objects.get_or_create(username=name, defaults={"is_staff": True})
    user = users.objects.get(username="bench")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "issues_adapters.accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# -- gunicorn and timing ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [
        str(PROJECT / ".venv" / "bin" / "gunicorn"),
        "issues_adapters.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=PROJECT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def timed_gets(url: str, cookie: str, count: int, warmup: int) -> list[float]:
    times = []
    for n in range(warmup + count):
        request = urllib.request.Request(url, headers={"Cookie": staff_cookies(cookie)})
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.status != 200 or (b"/staff/" in url.encode() and b"queue" not in body):
                raise RuntimeError(f"{url}: unexpected answer {response.status}")
        if n >= warmup:
            times.append((time.perf_counter() - began) * 1000)
    return times


def following(url: str, cookie: str) -> str:
    """The page's "Next page" link, as a browser resolves it."""
    request = urllib.request.Request(url, headers={"Cookie": staff_cookies(cookie)})
    with urllib.request.urlopen(request, timeout=30) as response:
        found = re.search(rb'<a href="([^"]+)" rel="next">', response.read())
    if not found:
        raise RuntimeError(f"{url}: no next page")
    return urllib.parse.urljoin(url, html.unescape(found[1].decode()))


def issues_shown(url: str, cookie: str) -> int:
    """How many issues the page lists: a page showing 25 where the smaller size's shows 1
    renders more, whatever its queries cost."""
    request = urllib.request.Request(url, headers={"Cookie": staff_cookies(cookie)})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().count(b"<tr data-issue=")


def workers_cpu(server: subprocess.Popen) -> float:
    """Seconds of CPU the gunicorn workers (the master's children) have used so far."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu(server_url: str | None, database: str | None) -> dict[int, float]:
    """Seconds of CPU each of PostgreSQL's backends serving the bench database has used so far
    (the SQL's share of a page; on SQLite it runs inside the workers)."""
    if not database:
        return {}
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        pids = [
            pid
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )
        ]
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def spent_since(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=20)


def time_pages(servers: dict[int, tuple], pages: dict[str, str], args) -> dict:
    """Each page at each size served: after a warm-up, --requests GETs in --turns batches, the
    sizes taking turns batch by batch, so that every size meets the machine as it is then (its
    speed moved by up to 2x between sizes timed one after the other, minutes apart)."""
    turns = max(1, min(args.turns, args.requests)) if len(servers) > 1 else 1
    results: dict[int, dict] = {size: {} for size in servers}
    for label, path in pages.items():
        times: dict[int, list[float]] = {size: [] for size in servers}
        cpu = dict.fromkeys(servers, 0.0)
        sql = dict.fromkeys(servers, 0.0)
        shown, urls = {}, {}
        for size, (_server, port, cookie, _database) in servers.items():
            urls[size] = f"http://127.0.0.1:{port}{path}"
            if label.startswith(NEXT_PAGE):
                urls[size] = following(urls[size], cookie)
            timed_gets(urls[size], cookie, 0, args.warmup)
            shown[size] = issues_shown(urls[size], cookie)
        for turn in range(turns):
            count = args.requests // turns + (turn < args.requests % turns)
            for size, (server, _port, cookie, database) in servers.items():
                cpu_before, sql_before = workers_cpu(server), database_cpu(args.postgres, database)
                times[size] += timed_gets(urls[size], cookie, count, 0)
                cpu[size] += workers_cpu(server) - cpu_before
                sql[size] += spent_since(sql_before, database_cpu(args.postgres, database))
        for size in servers:
            results[size][label] = (
                statistics.median(times[size]),
                p99(times[size]),
                cpu[size] * 1000 / args.requests,
                sql[size] * 1000 / args.requests,
                shown[size],
            )
    return results


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def kept_database(url: str, size: int) -> str:
    """The URL of the database kept for `size` issues: the given one's name with the size."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path.with_name(f'{path.stem}_{size}{path.suffix}')}"
    import psycopg

    server, name = url.rsplit("/", 1)
    name = f"{name}_{size}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def use_database(url: str) -> None:
    """Point this process's connection at another database of the same server (or file)."""
    import dj_database_url
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = dj_database_url.parse(url)["NAME"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--requests", type=int, default=300, help="timed GETs per page")
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--turns",
        type=int,
        default=10,
        help="with --database-url, each page's GETs in this many batches, the sizes in turns",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="gunicorn's port (default, and with --database-url: free ones)",
    )
    parser.add_argument(
        "--only", action="append", default=[], help="time only pages whose label holds this"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file instead")
    parser.add_argument(
        "--database-url",
        help="keep a database per size, named after this one's with the size appended, and "
        "reuse it on the next run (migrated, not seeded again): seeding a million is slow",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    pages = {
        label: path
        for label, path in PAGES.items()
        if not args.only or label.startswith("baseline") or any(o in label for o in args.only)
    }

    (PROJECT / "var").mkdir(exist_ok=True)  # a fresh clone has none yet
    var = Path(tempfile.mkdtemp(prefix="bench-queue-", dir=PROJECT / "var"))
    scratch = None
    if args.database_url:
        urls = {size: kept_database(args.database_url, size) for size in sizes}
    else:
        if args.sqlite:
            database_url = f"sqlite:///{var / 'bench.sqlite3'}"
        else:
            scratch, database_url = scratch_postgres(args.postgres)
        urls = dict.fromkeys(sizes, database_url)
    env = {
        **os.environ,
        "DATABASE_URL": urls[sizes[0]],
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_VAR_DIR": str(var),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "CONN_MAX_AGE": "3600",  # one backend per worker for the whole run: its CPU is read
    }
    os.environ.update(env)
    python = str(PROJECT / ".venv" / "bin" / "python")
    static = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(static, cwd=PROJECT, env=env, check=True)
    for url in dict.fromkeys(urls.values()):
        migrate = [python, "manage.py", "migrate", "--noinput", "-v0"]
        subprocess.run(migrate, cwd=PROJECT, env={**env, "DATABASE_URL": url}, check=True)

    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    results: dict[int, dict[str, tuple[float, float, float, float, int]]] = {}
    try:
        with connection.cursor() as cursor:  # a kept database has some already
            cursor.execute("SELECT COUNT(*) FROM issues_issue")
            have = cursor.fetchone()[0]
        servers: dict[int, tuple] = {}
        try:
            for size in sizes:
                env["DATABASE_URL"] = urls[size]
                use_database(urls[size])
                if args.database_url:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT COUNT(*) FROM issues_issue")
                        (have,) = cursor.fetchone()
                seconds = grow(vendor, have, size) if have < size else 0.0
                have = size
                fill_counts()
                cookie = staff_session()
                database = connection.settings_dict["NAME"] if vendor == "postgresql" else None
                connection.close()
                print(f"{size:>9,} issues loaded ({seconds:.1f}s); timing...", flush=True)
                port = free_port() if args.database_url or not args.port else args.port
                servers[size] = (start_gunicorn(env, port, args.workers), port, cookie, database)
                if not args.database_url:  # one database grown in place: time it at this size
                    results.update(time_pages(servers, pages, args))
                    stop(servers.pop(size)[0])
            if args.database_url:  # a database each: every size served at once, timed in turns
                results.update(time_pages(servers, pages, args))
        finally:
            for server, *_ in servers.values():
                stop(server)
    finally:
        connection.close()
        if scratch:
            drop_postgres(args.postgres, scratch)
        shutil.rmtree(var, ignore_errors=True)  # its SQLite file, mail and uploads

    print()
    print(
        f"Queue page under gunicorn ({args.workers} sync workers, DEBUG=0, {vendor}), "
        f"{args.requests} sequential GETs per page after {args.warmup} warm-up"
        + (f", the sizes taking turns {args.turns} times" if args.database_url else "")
        + "; median ms, the ratio of each size's median to the first size's, the issues "
        "each page lists at each size, and the 99th percentile ms at each size (a mean CPU "
        "above the median's share comes from such slow requests)"
    )
    first, last = sizes[0], sizes[-1]
    header = f"{'page':<38}" + "".join(f"{f'{s:,}':>11}" for s in sizes)
    header += "".join(f"{f'x{s:,}':>11}" for s in sizes[1:]) + f"{'listed':>12}{'p99':>16}"
    print(header)
    worst = (0.0, "")
    for label in pages:
        line = f"{label:<38}" + "".join(f"{results[s][label][0]:>11.1f}" for s in sizes)
        for size in sizes[1:]:
            ratio = results[size][label][0] / results[first][label][0]
            line += f"{ratio:>10.2f}x"
            if size == last and not label.startswith("baseline"):
                worst = max(worst, (ratio, label))
        line += f"{'/'.join(str(results[s][label][4]) for s in sizes):>12}"
        print(line + f"{'/'.join(f'{results[s][label][1]:.1f}' for s in sizes):>16}")
    print(
        f"\nWorst page: {worst[1]} at {last:,} is {worst[0]:.2f}x its median at {first:,} "
        f"({'within' if worst[0] <= 1.5 else 'NOT within'} the 1.5x target)"
    )
    print(
        "\nServer CPU per page, ms: the gunicorn workers' user+system time over the timed GETs "
        "(on SQLite that includes the SQL), then PostgreSQL's backends' (steadier than the "
        "medians on a shared machine), and the ratio of their sum to the first size's"
    )
    header = f"{'page':<38}" + "".join(f"{f'app {s:,}':>13}" for s in sizes)
    if vendor == "postgresql":
        header += "".join(f"{f'sql {s:,}':>13}" for s in sizes)
    print(header + "".join(f"{f'x{s:,}':>11}" for s in sizes[1:]))
    worst_cpu = (0.0, "")
    for label in pages:
        line = f"{label:<38}" + "".join(f"{results[s][label][2]:>13.2f}" for s in sizes)
        if vendor == "postgresql":
            line += "".join(f"{results[s][label][3]:>13.2f}" for s in sizes)
        first_total = results[first][label][2] + results[first][label][3]
        for size in sizes[1:]:
            ratio = (results[size][label][2] + results[size][label][3]) / first_total
            line += f"{ratio:>10.2f}x"
            if size == last and not label.startswith("baseline"):
                worst_cpu = max(worst_cpu, (ratio, label))
        print(line)
    every = [results[s][lb][2] for s in sizes for lb in pages if not lb.startswith("baseline")]
    print(f"{'every queue page, app CPU median':<38}{statistics.median(every):>13.2f}")
    print(
        f"Worst page by CPU: {worst_cpu[1]} at {last:,} is {worst_cpu[0]:.2f}x its CPU at "
        f"{first:,} ({'within' if worst_cpu[0] <= 1.5 else 'NOT within'} the 1.5x target)"
    )
    print("command: " + shlex.join([".venv/bin/python", "bench/queue_page.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
