"""What the load tests of the reliability suite run against: a scratch PostgreSQL database,
the product under gunicorn (DEBUG=0, deploy/gunicorn.conf.py), a real SMTP server that refuses
or goes away, anonymous reporters with Idempotency-Keys, the relay, and the invariants.

Nothing here touches the test run's own database: each scenario gets a database of its own,
copied from a migrated template, and dropped afterwards.
"""

import collections
import http.client
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.support.services import POSTGRES_URL

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REPORT = {
    "reporter_name": "Fred Bloggs",
    "reporter_email": "fred@example.org",
    "category": "printing",
    "priority": "high",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the database ---------------------------------------------------------------------------


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(sql)


def database_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


STAFF_TOKEN = "reliability0staff0token0000000000000000000"[:40]


def create_template(env: dict) -> str:
    """A migrated database to copy each scenario's database from, with a staff member whose
    API token is STAFF_TOKEN; returns its name."""
    name = f"reliability_{os.getpid()}_template"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        env=env | {"DATABASE_URL": database_url(name)},
        cwd=PROJECT,
        check=True,
        timeout=300,
    )
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import get_user_model;"
        "from rest_framework.authtoken.models import Token;"
        "u = get_user_model().objects.create_user('alice', password='x', is_staff=True);"
        f"Token.objects.create(user=u, key={STAFF_TOKEN!r})"
    )
    subprocess.run(
        [str(BIN / "python"), "-c", script],
        env=env | {"DATABASE_URL": database_url(name)},
        cwd=PROJECT,
        check=True,
        timeout=120,
    )
    return name


def create_from(template: str, name: str) -> str:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(name)


def drop(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(url: str, sql: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


# -- the mail server ------------------------------------------------------------------------


class MailServer:
    """A real SMTP server on a free port: refuses every `refuse_every`-th message with 451,
    and can go down (connections refused) and come back on the same port."""

    def __init__(self, refuse_every: int = 0):
        self.refuse_every = refuse_every
        self.received = 0
        self.refused = 0
        self.accepted: list[str] = []  # Message-IDs, in the order accepted
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = None
        self.up = False
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received += 1
            if self.refuse_every and self.received % self.refuse_every == 0:
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            self.accepted.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 OK"

    def start(self) -> None:
        # A stopped controller's event loop is closed: each start has a controller of its own.
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.up = True

    def stop(self) -> None:
        if self.up:
            self.controller.stop()
            self.up = False


# -- the processes --------------------------------------------------------------------------


def product_env(url: str, mail: MailServer, var_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CELERY_", "HELPDESK_", "EMAIL_", "DATABASE_URL", "PYTEST"))
    }
    return env | {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "issues_adapters.settings",
        "DEBUG": "0",
        "SECRET_KEY": "reliability-only-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "HELPDESK_VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail.port),
        "EMAIL_TIMEOUT": "2",
        "HELPDESK_API_REPORT_RATE": "1000000/second",
        # Refused mail is retried at once and never parked within the test.
        "HELPDESK_RETRY_BASE_SECONDS": "0",
        "HELPDESK_DELIVERY_MAX_ATTEMPTS": "1000",
        # A delivery left `sending` by a killed worker is taken over soon.
        "HELPDESK_RELAY_LEASE_SECONDS": "5",
        "HELPDESK_DELIVERY_DRAIN_SECONDS": "5",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT),
    }


class Gunicorn:
    """The product as production serves it: deploy/gunicorn.conf.py, 2 workers x 4 threads."""

    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "/dev/null",
                "issues_adapters.wsgi",
            ],
            env=env,
            cwd=PROJECT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.workers = workers
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.output()}")
            if len(self.worker_pids()) == workers and self._answers():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.output()}")

    def _answers(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            connection.request("GET", "/health/")
            connection.getresponse().read()
            connection.close()
            return True
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                pids.append(int(entry.name))
        return sorted(pids)

    def output(self) -> str:
        return self.log.read_text()[-4000:] if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def relay_until_drained(env: dict, url: str, log: Path, timeout: float = 120.0) -> float:
    """`manage.py relay_events` (the loop) until every event is delivered; returns seconds."""
    began = time.monotonic()
    relay = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "relay_events", "--interval", "0.3", "--grace", "0"],
        env=env,
        cwd=PROJECT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        while time.monotonic() - began < timeout:
            if relay.poll() is not None:
                raise AssertionError(f"the relay exited {relay.returncode}: {log.read_text()}")
            if undelivered(url) == 0:
                return time.monotonic() - began
            time.sleep(0.3)
        raise AssertionError(f"not delivered after {timeout:g} s: {undelivered(url)} left")
    finally:
        relay.send_signal(signal.SIGTERM)
        try:
            relay.wait(timeout=30)
        except subprocess.TimeoutExpired:
            relay.kill()
            relay.wait()


def undelivered(url: str) -> int:
    """Deliveries not done, plus events some handler has no done delivery for (every event
    goes to the queue counts; every IssueReported to a mail handler)."""
    [(count,)] = query(
        url,
        "SELECT (SELECT count(*) FROM eventing_delivery WHERE status <> 'done')"
        " + (SELECT count(*) FROM issues_recorded_event e WHERE NOT EXISTS ("
        "    SELECT 1 FROM eventing_delivery d WHERE d.handler = 'web.queue_counts'"
        "    AND d.position = e.position AND d.status = 'done'))"
        " + (SELECT count(*) FROM issues_recorded_event e WHERE e.event_type = 'IssueReported'"
        "    AND NOT EXISTS (SELECT 1 FROM eventing_delivery d WHERE d.handler LIKE 'mail.%%'"
        "    AND d.position = e.position AND d.status = 'done'))",
    )
    return count


# -- the reporters --------------------------------------------------------------------------


@dataclass
class Answer:
    key: str
    status: int  # 0: the connection failed before an answer
    body: dict | list | None
    replayed: bool


@dataclass
class Load:
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    bodies: dict[str, bytes] = field(default_factory=dict)  # key -> the one body sent with it
    notes: list[tuple[str, Answer]] = field(default_factory=list)  # (issue id, answer)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    @property
    def statuses(self) -> collections.Counter:
        return collections.Counter(answer.status for answer in self.answers)


def _post(connection, body: bytes, key: str, path: str = "/api/issues/", headers=None):
    connection.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": key} | (headers or {}),
    )
    response = connection.getresponse()
    raw = response.read()
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    return response.status, parsed, response.getheader("Idempotent-Replayed") == "true", raw


class _Connection:
    """One keep-alive connection of a reporter, which retries a failed request with its key."""

    # gunicorn closes a keep-alive connection idle for 2 s (its default keepalive); a request
    # sent as it does fails without the server having seen it. Clients reconnect before that.
    IDLE_SECONDS = 1.0

    def __init__(self, port: int, load: Load):
        self.port, self.load = port, load
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.used = time.monotonic()

    def send(self, key: str) -> int:
        if time.monotonic() - self.used > self.IDLE_SECONDS:
            self.http.close()
            self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            return self._send(key)
        finally:
            self.used = time.monotonic()

    def _send(self, key: str) -> int:
        for _attempt in range(4):
            try:
                status, body, replayed, _raw = _post(self.http, self.load.bodies[key], key)
            except (OSError, http.client.HTTPException):
                self.http.close()
                self.http = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.load.record(Answer(key, 0, None, False))
                time.sleep(0.2)
                continue
            self.load.record(Answer(key, status, body, replayed))
            return status
        return 0

    def close(self) -> None:
        self.http.close()


def report_concurrently(
    port: int, *, clients: int, seconds: float, during=None, seed: int = 11
) -> Load:
    """`clients` anonymous reporters, each on a keep-alive connection, for `seconds`.

    Each report has a fresh Idempotency-Key. One in four is sent again with the same key once
    answered (a client retrying); one in eight is sent on two connections at the same moment
    (a retry racing the first try: one runs, the other gets 409 or the replay); one in eight
    turns re-sends a key another reporter used. A request whose connection fails is retried
    with its key, as a client should, up to three times. `during(elapsed)` is called about
    every 0.1 s.
    """
    load = Load()
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(clients + 3)
    sent_keys: list[str] = []

    def staff(index: int) -> None:
        """Internal notes (mailed to nobody) on the last few issues reported, by two staff
        clients at once, as the reporters go on: each issue's versions grow under concurrent
        writers."""
        rng = random.Random(seed * 1000 + index)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        auth = {"Authorization": f"Token {STAFF_TOKEN}"}
        start.wait()
        used = time.monotonic()
        while time.monotonic() < stop_at:
            answered = [a.body["id"] for a in load.answers[-10:] if a.status == 201]
            if not answered:
                time.sleep(0.05)
                continue
            issue_id = rng.choice(answered)
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            body = json.dumps({"body": f"Note {key}", "visibility": "internal"}).encode()
            path = f"/api/issues/{issue_id}/comments/"
            if time.monotonic() - used > _Connection.IDLE_SECONDS:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _attempt in range(4):
                try:
                    status, parsed, replayed, _raw = _post(connection, body, key, path, auth)
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    load.notes.append((issue_id, Answer(key, 0, None, False)))
                    time.sleep(0.2)
                    continue
                load.notes.append((issue_id, Answer(key, status, parsed, replayed)))
                break
            used = time.monotonic()
        connection.close()

    def client(index: int) -> None:
        rng = random.Random(seed * 100 + index)
        connection, twin = _Connection(port, load), _Connection(port, load)
        start.wait()
        while time.monotonic() < stop_at:
            if sent_keys and rng.random() < 0.125:
                connection.send(rng.choice(sent_keys))
                continue
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            report = REPORT | {"description": f"Reliability probe {key}: the printer is on fire."}
            with load.lock:
                load.bodies[key] = json.dumps(report).encode()
            if rng.random() < 0.125:
                racing = threading.Thread(target=twin.send, args=(key,))
                racing.start()
                connection.send(key)
                racing.join()
            else:
                connection.send(key)
            sent_keys.append(key)
            if rng.random() < 0.25:
                connection.send(key)
        connection.close()
        twin.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    threads += [threading.Thread(target=staff, args=(n,), daemon=True) for n in range(2)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    while any(thread.is_alive() for thread in threads):
        if during is not None:
            during(time.monotonic() - began)
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    return load


# -- the invariants -------------------------------------------------------------------------


def check_invariants(load: Load, url: str, mail: MailServer, *, doubled_allowed: int = 0) -> dict:
    """Every 2xx answer is one stored issue, one IssueReported event and one confirmation mail
    the SMTP server accepted (by Message-ID); nothing doubled, versions contiguous, no 5xx.
    Returns the figures."""
    server_errors = [a for a in load.answers if a.status >= 500]
    assert not server_errors, f"5xx answers: {server_errors[:5]}"
    unexpected = {a.status for a in load.answers} - {0, 201, 409}
    assert not unexpected, f"unexpected statuses {unexpected}: {load.statuses}"
    for answer in load.answers:
        if answer.status == 409:  # a retry that met its first try still running
            assert answer.body["code"] == "idempotency_key_in_use", answer

    issue_by_key: dict[str, set[str]] = collections.defaultdict(set)
    for answer in load.answers:
        if 200 <= answer.status < 300:
            issue_by_key[answer.key].add(answer.body["id"])
    one_issue_a_key = {key: ids for key, ids in issue_by_key.items() if len(ids) != 1}
    assert not one_issue_a_key, f"one key, several issues: {one_issue_a_key}"
    answered = {next(iter(ids)) for ids in issue_by_key.values()}
    assert len(answered) == len(issue_by_key), "two keys answered with the same issue"

    stored = {str(row[0]) for row in query(url, "SELECT id FROM issues_issue")}
    assert stored == answered, (
        f"{len(stored - answered)} stored but never answered 2xx, "
        f"{len(answered - stored)} answered 2xx but not stored"
    )
    reported = query(
        url,
        "SELECT issue_id, event_id FROM issues_recorded_event WHERE event_type = 'IssueReported'",
    )
    reported_issues = collections.Counter(str(issue_id) for issue_id, _ in reported)
    assert set(reported_issues) == stored
    assert max(reported_issues.values(), default=1) == 1, "an issue reported twice"

    note_errors = [(i, a) for i, a in load.notes if a.status >= 500]
    assert not note_errors, f"5xx answers to staff notes: {note_errors[:5]}"
    notes_answered: dict[str, set[str]] = collections.defaultdict(set)  # issue -> note keys
    for issue_id, answer in load.notes:
        assert answer.status in (0, 201, 409), (issue_id, answer)
        if answer.status == 201:
            notes_answered[issue_id].add(answer.key)
    notes_stored = collections.Counter(
        str(issue_id) for (issue_id,) in query(url, "SELECT issue_id FROM issues_comment")
    )
    notes_recorded = collections.Counter(
        str(issue_id)
        for (issue_id,) in query(
            url, "SELECT issue_id FROM issues_recorded_event WHERE event_type = 'IssueCommented'"
        )
    )
    answered_notes = collections.Counter({i: len(keys) for i, keys in notes_answered.items()})
    assert notes_stored == answered_notes == notes_recorded, "notes answered, stored, recorded"

    versions: dict[str, list[int]] = collections.defaultdict(list)
    for issue_id, version in query(
        url, "SELECT issue_id, issue_version FROM issues_recorded_event ORDER BY position"
    ):
        versions[str(issue_id)].append(version)
    for issue_id, version in query(url, "SELECT id, version FROM issues_issue"):
        assert versions[str(issue_id)] == list(range(1, version + 1)), (issue_id, versions)

    accepted = collections.Counter(mail.accepted)
    expected = {str(event_id) for _, event_id in reported}
    accepted_events = {message_id.strip("<>").split(".", 1)[0] for message_id in accepted}
    assert accepted_events == expected, (
        f"{len(expected - accepted_events)} confirmations never accepted, "
        f"{len(accepted_events - expected)} mails for no reported issue"
    )
    doubled = {message_id: n for message_id, n in accepted.items() if n > 1}
    assert len(doubled) <= doubled_allowed and all(n == 2 for n in doubled.values()), doubled
    recorded = {row[0] for row in query(url, "SELECT message_id FROM eventing_sentmail")}
    assert recorded == set(accepted)
    assert not query(url, "SELECT 1 FROM eventing_delivery WHERE status <> 'done'")
    return {
        "answers": len(load.answers),
        "statuses": dict(sorted(load.statuses.items())),
        "replayed": sum(a.replayed for a in load.answers),
        "issues": len(stored),
        "notes": sum(notes_stored.values()),
        "highest version": max((len(v) for v in versions.values()), default=0),
        "mails accepted": len(mail.accepted),
        "mails refused": mail.refused,
        "doubled": doubled,
    }
