"""`manage.py relay_events` stopped with SIGTERM: the pass under way finishes, then it exits 0.

A real relay process on the test database (PostgreSQL), with a mail backend that takes a second
to send and says when it starts, so that the signal arrives in the middle of a pass.
"""

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail.backends.filebased import EmailBackend
from django.db import connection

from issues_adapters.eventing.models import Delivery, SentMail
from issues_domain.commands import ReportIssue
from tests.events.processes import PROJECT, environment
from tests.events.support import bus_without_delivery, expected_deliveries
from tests.support.services import require

pytestmark = pytest.mark.django_db(transaction=True)


class SlowBackend(EmailBackend):
    """Writes a marker when it starts sending, then takes a second over it."""

    def send_messages(self, email_messages):
        Path(os.environ["HELPDESK_TEST_SENDING_MARKER"]).touch()
        time.sleep(1)
        return super().send_messages(email_messages)


@pytest.fixture
def shared_database():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("the relay process needs a database it can share; run with DATABASE_URL set")


@pytest.fixture
def start_relay(tmp_path: Path):
    """Starts the relay; kills it after the test if the test left it running."""
    started = []

    def start() -> subprocess.Popen:
        started.append(_relay_process(tmp_path))
        return started[-1]

    yield start
    for relay in started:
        if relay.poll() is None:
            relay.kill()
            relay.communicate()


def _relay_process(tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "relay_events", "--grace", "0", "--interval", "60"],
        cwd=PROJECT,
        env=environment(
            EMAIL_BACKEND="tests.events.test_relay_shutdown.SlowBackend",
            EMAIL_FILE_PATH=str(tmp_path / "mail"),
            HELPDESK_TEST_SENDING_MARKER=str(tmp_path / "sending"),
            PYTHONUNBUFFERED="1",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def said(relay: subprocess.Popen, start: str) -> bool:
    """Whether the relay's next line, if one came within a moment, starts so."""
    readable, _, _ = select.select([relay.stdout], [], [], 0.1)
    return bool(readable) and relay.stdout.readline().startswith(start)


def stopped(relay: subprocess.Popen) -> tuple[int, float, str]:
    """SIGTERM; the exit code, the seconds it took and what it printed."""
    sent_at = time.monotonic()
    relay.send_signal(signal.SIGTERM)
    try:
        code = relay.wait(timeout=30)
    finally:
        if relay.poll() is None:
            relay.kill()
    out, err = relay.communicate()
    return code, time.monotonic() - sent_at, out + err


def test_sigterm_in_the_middle_of_a_pass_lets_it_finish_then_exits_0(
    shared_database, start_relay, tmp_path
):
    bus = bus_without_delivery()
    for n in range(3):
        bus.handle(
            ReportIssue(
                reporter_name="Fred", reporter_email=f"fred{n}@example.org", description="Fire."
            )
        )
    relay = start_relay()
    wait_for(lambda: (tmp_path / "sending").exists())

    code, _, output = stopped(relay)

    assert code == 0, output
    assert "Stopped: the last pass finished." in output
    sent = SentMail.objects.filter(sent_at__isnull=False).values_list("recipient", flat=True)
    assert sorted(sent) == [f"Fred <fred{n}@example.org>" for n in range(3)]
    assert Delivery.objects.filter(status="done").count() == expected_deliveries()


def test_sigterm_between_passes_exits_0_without_waiting_for_the_interval(
    shared_database, start_relay
):
    relay = start_relay()
    wait_for(lambda: said(relay, "Relaying every 60 s"))

    code, took, output = stopped(relay)

    assert code == 0, output
    assert took < 5
    assert "Stopped: the last pass finished." in output
