"""A process killed between commit and delivery loses nothing; a restart delivers each event once.

A real subprocess reports issues on the test database (PostgreSQL) and is SIGKILLed by its
after-commit hook, before it can deliver anything. `relay_events --once` then delivers.
(On SQLite the same is shown in-process in test_relay.py, committing without after-commit.)
"""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from issues_adapters.eventing.models import Delivery, SentMail
from issues_adapters.persistence.models import RecordedEvent
from tests.events.processes import run_python
from tests.events.support import expected_deliveries, sent
from tests.support.services import require

DIES_AFTER_COMMIT = """
import os, signal, django
django.setup()
from issues_adapters.wiring import dispatcher, message_bus
from issues_domain.commands import ReportIssue

def die(positions):
    print("committed", positions, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

dispatcher().after_commit = die
message_bus().handle(ReportIssue(
    reporter_name="Fred", reporter_email="fred{n}@example.org", description="Printer on fire."))
print("never printed", flush=True)
"""


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_after_commit_loses_nothing_and_a_restart_delivers_once():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess needs a database it can share; run with DATABASE_URL set")

    for n in range(3):
        died = run_python(DIES_AFTER_COMMIT.replace("{n}", str(n)))
        assert died.returncode == -9, died.stderr
        assert "committed" in died.stdout and "never printed" not in died.stdout

    assert RecordedEvent.objects.count() == 3
    assert not Delivery.objects.exists()
    assert not SentMail.objects.exists()

    call_command("relay_events", "--once", "--grace", "0")
    call_command("relay_events", "--once", "--grace", "0")

    assert sorted(message.to[0] for message in mail.outbox) == [
        f"Fred <fred{n}@example.org>" for n in range(3)
    ]
    assert len(set(sent())) == 3
    assert Delivery.objects.filter(status="done").count() == expected_deliveries()
