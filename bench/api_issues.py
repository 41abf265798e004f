"""POST /api/issues/ and GET /api/issues/ under gunicorn, against a bare Django insert.

    .venv/bin/python bench/api_issues.py                    # SQLite file under var/bench/
    .venv/bin/python bench/api_issues.py --postgres         # a scratch PostgreSQL database
    .venv/bin/python bench/api_issues.py --seconds 5 --clients 8,32

Both servers run under gunicorn on 127.0.0.1, 2 workers x 4 threads (gthread), DEBUG=0, on
the same throwaway database; they are measured one after the other in the same run:

- bare insert: bench/api_bare_insert.py, a Django view without middleware or apps that parses
  the JSON body and inserts one row in a transaction: the limit for a write request;
- bare insert (startproject stack): the same view with the apps and middleware a fresh
  `django-admin startproject` has, which is what PERFORMANCE.md measured as "Django view
  inserting one row" (1,200-1,800 req/s on SQLite with persistent connections);
- bare insert (DRF view): the same insert as a DRF APIView whose serializer checks the
  report's five fields (PERFORMANCE.md: "DRF view inserting one row with validation"):
  what DRF alone costs, which the product's API must pay too;
- report: anonymous POST /api/issues/: validation, ReportIssue through the bus, the issue
  and its IssueReported event in one transaction, the response. Ways of delivering the event
  to its handlers after the commit: "product" (the default embedded mode: the positions go to
  the process's delivery thread, which delivers them in batches beside the requests; mail to
  the dummy backend), "handlers inline" (HELPDESK_DELIVER_AFTER_COMMIT=inline: the request
  runs them before it answers, as before), "none + relay" (HELPDESK_DELIVER_AFTER_COMMIT=none:
  the web processes only record, and a `relay_events --interval 0.2` process beside them
  delivers everything from the handlers' checkpoints), and "scale-out" (CELERY_BROKER_URL set: the
  delivery thread publishes the commits' events, one Celery task a batch, to a queue of its
  own that nobody consumes; only when Redis answers). "+ Idempotency-Key" is the product
  with a fresh key per request. For the lines that deliver in-process, "caught up" is how
  long after the load stopped every recorded event had all its deliveries done, and
  "events/s" the events fully delivered per second of load plus catch-up: the rate the whole
  pipeline sustains, not only the requests. "server CPU" is the CPU time the gunicorn
  processes used per request (the delivery thread's included);
- queue: GET /api/issues/ as staff by token, a page of 25 issues.

The load generator is this script: N client threads, each with one keep-alive HTTP
connection, sending requests back to back for the given time. It shares the machine's cores
with the servers, equally for every line. Throttle limits are raised through
HELPDESK_API_REPORT_RATE. The target: reporting through the API at >= 0.5x the bare insert.
"""

import argparse
import http.client
import json
import os
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
GUNICORN = str(PROJECT / ".venv" / "bin" / "gunicorn")
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
STARTPROJECT = "bare insert (startproject stack)"
DRF = "bare insert (DRF view)"
LIMITS = ("bare insert", STARTPROJECT, DRF)
REPORT = {
    "reporter_name": "Fred Bloggs",
    "reporter_email": "fred@example.org",
    "description": "The printer on the second floor is on fire.",
    "category": "printing",
    "priority": "high",
}


# -- the database ---------------------------------------------------------------------------


def scratch_sqlite() -> tuple[str, callable]:
    folder = PROJECT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"api-{os.getpid()}.sqlite3"

    def drop():
        for suffix in ("", "-wal", "-shm", "-writer.lock", "-writer.lock.wake"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"sqlite:///{path}", drop


def scratch_postgres(server_url: str) -> tuple[str, callable]:
    import psycopg

    name = f"bench_api_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server_url.rsplit("/", 1)[0] + "/" + name, drop


def prepare(env: dict) -> str:
    """Migrate, create the bare table, and a staff member's token; returns the token."""
    run = lambda *args: subprocess.run(args, env=env, cwd=PROJECT, check=True)  # noqa: E731
    run(PYTHON, "manage.py", "migrate", "--noinput", "-v", "0")
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from rest_framework.authtoken.models import Token;"
        "u = get_user_model().objects.create_user('bench', password='x', is_staff=True);"
        "print(Token.objects.create(user=u).key)"
    )
    token = subprocess.run(
        [PYTHON, "-c", script], env=env, cwd=PROJECT, check=True, capture_output=True, text=True
    ).stdout.strip()
    bare = env | {"DJANGO_SETTINGS_MODULE": "bench.api_bare_insert"}
    subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); import bench.api_bare_insert as b; b.create_table()",
        ],
        env=bare,
        cwd=PROJECT,
        check=True,
    )
    return token


def celery_queue(redis_url: str) -> dict:
    """Env for the scale-out line: a broker and a queue of our own; nobody consumes it (the
    workers' side is not measured here), and it is deleted afterwards."""
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception as error:
        print(f"No scale-out line: Redis at {redis_url} is not reachable ({error}).")
        return {}
    return {
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": f"bench-api-{os.getpid()}",
    }


def purge_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(queue, *client.keys(f"{queue}*"))


def undelivered(database_url: str, since: int = 0) -> tuple[int, int]:
    """(recorded events, deliveries of events after position `since` not done yet).

    Not done: a delivery row that is pending or parked, or an event that has no row yet for
    the queue counts (which takes in every event). Both are index lookups or one scan of the
    deliveries, so polling this stays cheap as the tables grow.
    """
    sql_all = "SELECT count(*) FROM issues_recorded_event"
    sql_open = (
        "SELECT (SELECT count(*) FROM eventing_delivery WHERE status <> 'done' AND position > %s)"
        " + (SELECT count(*) FROM issues_recorded_event e WHERE e.position > %s AND NOT EXISTS "
        "(SELECT 1 FROM eventing_delivery d WHERE d.handler = 'web.queue_counts' "
        "AND d.position = e.position AND d.status = 'done'))"
    )
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as conn:
            return (
                conn.execute(sql_all).fetchone()[0],
                conn.execute(sql_open.replace("%s", "?"), (since, since)).fetchone()[0],
            )
    import psycopg

    with psycopg.connect(database_url) as conn:
        return (
            conn.execute(sql_all).fetchone()[0],
            conn.execute(sql_open, (since, since)).fetchone()[0],
        )


def top_position(database_url: str) -> int:
    sql = "SELECT coalesce(max(position), 0) FROM issues_recorded_event"
    if database_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()[0]


def catch_up(database_url: str, since: int = 0, timeout: float = 300.0) -> float:
    """Seconds until every event after `since` is delivered (nan if not within the timeout)."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if undelivered(database_url, since)[1] == 0:
            return time.perf_counter() - began
        time.sleep(0.05)
    return float("nan")


# -- servers --------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children still running."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app: str, env: dict, port: int, workers: int, threads: int):
    server = subprocess.Popen(
        [
            GUNICORN,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=PROJECT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"gunicorn {app} did not start")


def stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


# -- load -----------------------------------------------------------------------------------


def load(port: int, method: str, path: str, *, clients: int, seconds: float, body=None,
         headers=None, fresh_key=False) -> dict:  # fmt: skip
    """`clients` threads, each on one keep-alive connection, for `seconds`; latencies in ms."""
    # bytes are sent as they are (a form post); anything else as JSON.
    payload = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    base = {"Content-Type": "application/json"} | (headers or {})
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    statuses: dict[int, int] = {}
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        mine = latencies[index]
        while time.perf_counter() < stop_at[0]:
            sent_headers = base | ({"Idempotency-Key": str(uuid.uuid4())} if fresh_key else {})
            began = time.perf_counter()
            try:
                connection.request(method, path, body=payload, headers=sent_headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            mine.append((time.perf_counter() - began) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 400 or status == 0:
                failures[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(latency for mine in latencies for latency in mine)
    return {
        "requests": len(every),
        "rate": (len(every) - sum(failures)) / elapsed,  # answered without an error
        "median": statistics.median(every) if every else float("nan"),
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] if every else float("nan"),
        "failures": sum(failures),
        "statuses": dict(sorted(statuses.items())),
    }


def warm_up(port: int, method: str, path: str, body=None, headers=None) -> None:
    load(port, method, path, clients=4, seconds=1.0, body=body, headers=headers)


# -- main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", nargs="?", const="postgres://postgres@127.0.0.1:5432/postgres",
                        help="use a scratch database on this PostgreSQL server")  # fmt: skip
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0",
                        help="broker for the scale-out line (skipped if unreachable)")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", default="",
                        help="only the lines whose names contain one of these words "
                             "(comma-separated; the bare inserts are always measured)")  # fmt: skip
    args = parser.parse_args()
    concurrency = [int(n) for n in args.clients.split(",")]

    database_url, drop = scratch_postgres(args.postgres) if args.postgres else scratch_sqlite()
    vendor = "PostgreSQL" if args.postgres else "SQLite (WAL)"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "HELPDESK_API_REPORT_RATE": "100000000/second",
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(PROJECT),
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    servers = []
    results: dict[tuple[str, int], dict] = {}
    scale_out = celery_queue(args.redis)
    try:
        token = prepare(env)
        auth = {"Authorization": f"Token {token}"}
        api = "issues_adapters.wsgi:application"
        bare = {"DJANGO_SETTINGS_MODULE": "bench.api_bare_insert"}
        inline = {"HELPDESK_DELIVER_AFTER_COMMIT": "inline"}
        recorded_only = {"HELPDESK_DELIVER_AFTER_COMMIT": "none"}
        stack = bare | {"BARE_INSERT_STACK": "startproject"}
        lines = [
            ("bare insert", "bench.api_bare_insert:application", "POST", "/insert/", REPORT,
             {}, False, bare),
            (STARTPROJECT, "bench.api_bare_insert:application", "POST", "/insert/", REPORT,
             {}, False, stack),
            (DRF, "bench.api_bare_insert:application", "POST", "/insert/", REPORT,
             {}, False, bare | {"BARE_INSERT_STACK": "drf"}),
            ("POST /api/issues/ (product)", api, "POST", "/api/issues/", REPORT, {}, False, {}),
            ("  + Idempotency-Key", api, "POST", "/api/issues/", REPORT, {}, True, {}),
            ("POST /api/issues/ (handlers inline)", api, "POST", "/api/issues/", REPORT, {},
             False, inline),
            ("POST /api/issues/ (none + relay)", api, "POST", "/api/issues/", REPORT, {}, False,
             recorded_only),
        ]  # fmt: skip
        if scale_out:
            lines += [
                ("POST /api/issues/ (scale-out)", api, "POST", "/api/issues/", REPORT, {},
                 False, scale_out),
                ]  # fmt: skip
        lines += [("GET /api/issues/ (25 a page)", api, "GET", "/api/issues/", None, auth, False,
                   {})]  # fmt: skip
        wanted = [word for word in args.only.split(",") if word]
        if wanted:
            lines = [line for line in lines if line[0] in LIMITS
                     or any(word in line[0] for word in wanted)]  # fmt: skip
        for name, app, method, path, body, headers, fresh_key, extra_env in lines:
            port = free_port()
            server = start_gunicorn(app, env | extra_env, port, args.workers, args.threads)
            servers.append(server)
            relay = None
            if extra_env is recorded_only:  # the web processes only record: a relay delivers
                relay = subprocess.Popen(
                    [PYTHON, "manage.py", "relay_events", "--interval", "0.2"],
                    env=env | extra_env, cwd=PROJECT, stdout=subprocess.DEVNULL,
                )  # fmt: skip
            delivers = app == api and method == "POST" and not extra_env.get("CELERY_BROKER_URL")
            try:
                warm_up(port, method, path, body, headers)
                for clients in concurrency:
                    if delivers:
                        catch_up(database_url)
                        mark = top_position(database_url)
                        events_before = undelivered(database_url)[0]
                    cpu_before = cpu_seconds(server.pid) + (cpu_seconds(relay.pid) if relay else 0)
                    results[(name, clients)] = result = load(
                        port, method, path, clients=clients, seconds=args.seconds, body=body,
                        headers=headers, fresh_key=fresh_key,
                    )  # fmt: skip
                    if delivers:
                        result["caught_up"] = catch_up(database_url, mark)
                        events = undelivered(database_url)[0] - events_before
                        result["events_rate"] = events / (args.seconds + result["caught_up"])
                    # The servers' CPU per request, delivery of the events included.
                    cpu_after = cpu_seconds(server.pid) + (cpu_seconds(relay.pid) if relay else 0)
                    result["cpu_ms"] = (cpu_after - cpu_before) / max(
                        1, result["requests"]) * 1000  # fmt: skip
            finally:
                stop(server)
                if relay is not None:
                    stop(relay)
    finally:
        for server in servers:
            if server.poll() is None:
                stop(server)
        drop()
        if scale_out:
            purge_queue(args.redis, scale_out["CELERY_TASK_DEFAULT_QUEUE"])

    print()
    print(
        f"API under gunicorn ({args.workers} workers x {args.threads} threads gthread, DEBUG=0, "
        f"{vendor}, {args.seconds:g} s a line, {os.cpu_count()} cores shared with the load)"
    )
    print(
        f"{'':38} {'clients':>7} {'req/s':>8} {'median ms':>10} {'p99 ms':>8} "
        f"{'server CPU':>10} {'caught up':>10} {'events/s':>9}  statuses"
    )
    for (name, clients), r in results.items():
        caught_up = f"{r['caught_up']:.1f} s" if "caught_up" in r else "-"
        events_rate = f"{r['events_rate']:.0f}" if "events_rate" in r else "-"
        print(
            f"{name:38} {clients:>7} {r['rate']:>8.0f} {r['median']:>10.1f} {r['p99']:>8.1f} "
            f"{r['cpu_ms']:>7.2f} ms {caught_up:>10} {events_rate:>9}  {r['statuses']}"
        )
    print()
    verdicts = []
    print(f"{'':38} {'clients':>7} " + " ".join(f"{'/ ' + limit:>33}" for limit in LIMITS))
    for (name, clients), result in results.items():
        if not name.startswith(("POST", "  +")):
            continue
        ratios = [result["rate"] / results[(limit, clients)]["rate"] for limit in LIMITS]
        verdicts.append(ratios[1] >= 0.5)
        print(f"{name.strip():38} {clients:>7} " + " ".join(f"{r:>32.2f}x" for r in ratios))
    print(
        "Target: reporting through the API at >= 0.50x the bare insert. Three limits are measured: "
        "the view alone (no middleware, no apps), the same view in a startproject's apps and "
        "middleware (PERFORMANCE.md's 'Django view inserting one row'; the exit status is "
        "this one's verdict), and as a DRF view with a serializer (the floor DRF itself sets)."
    )
    print()
    print("Reproduce: " + shlex.join([".venv/bin/python", "bench/api_issues.py", *sys.argv[1:]]))
    failed = any(r["failures"] for r in results.values())
    if failed:
        print("Some requests failed: see the statuses above.")
    return 0 if verdicts and any(verdicts) and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
