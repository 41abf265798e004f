"""Inbound mail: each message read starts a correlation of its own."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from issues_adapters.persistence.models import RecordedEvent
from tests.events.test_inbound_mail import a_maildir, a_message
from tests.support.logs import console_output

pytestmark = pytest.mark.django_db


def fetch_mail_logging(path: str) -> dict[str, str]:
    """Runs fetch_mail; the correlation id each message's Message-ID was logged with."""
    with console_output() as output:
        call_command("fetch_mail", path)
    found = re.findall(r"correlation_id=(\S+) Inbound message (\S+) from", output.getvalue())
    return {message_id: correlation_id for correlation_id, message_id in found}


def test_each_message_read_gets_a_new_id_of_its_own(tmp_path):
    path = a_maildir(
        tmp_path,
        a_message(message_id="<one@mail.example.org>"),
        a_message(message_id="<two@mail.example.org>", sender="bob@example.org"),
    )

    ids = fetch_mail_logging(path)

    assert set(ids) == {"one@mail.example.org", "two@mail.example.org"}
    assert "-" not in ids.values()
    assert ids["one@mail.example.org"] != ids["two@mail.example.org"]


def test_its_events_and_the_mail_they_cause_carry_the_messages_id(
    tmp_path, django_capture_on_commit_callbacks
):
    path = a_maildir(tmp_path, a_message(message_id="<three@mail.example.org>"))

    with django_capture_on_commit_callbacks(execute=True):
        ids = fetch_mail_logging(path)

    (event,) = RecordedEvent.objects.all()
    (confirmation,) = mail.outbox
    assert event.correlation_id == ids["three@mail.example.org"]
    assert confirmation.message()["X-Correlation-ID"] == ids["three@mail.example.org"]
