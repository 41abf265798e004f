"""A real SMTP server (aiosmtpd) that refuses for a while: retried, parked, then sent once."""

import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from issues_adapters.eventing import deliveries, relay
from issues_adapters.eventing.models import Delivery, SentMail
from issues_adapters.wiring import message_bus
from tests.events.support import (
    MAILS_PER_DAY,
    a_day_at_the_helpdesk,
    all_positions,
    bus_without_delivery,
    make_staff,
)


class MailServer:
    """Accepts mail, or answers 451 (try again later) while `refusing` is set."""

    def __init__(self):
        self.refusing = False
        self.refuse_next = 0  # refuse this many mails, then accept
        self.refused = 0
        self.accepted: list = []
        self.connections: set = set()  # the client's (address, port): one per connection

    async def handle_DATA(self, server, session, envelope):
        self.connections.add(session.peer)
        if self.refusing or self.refuse_next:
            self.refuse_next = max(0, self.refuse_next - 1)
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.accepted.append(message_from_bytes(envelope.content))
        return "250 OK"

    @property
    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.accepted]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.HELPDESK_INLINE_ATTEMPTS = 2
    settings.HELPDESK_DELIVERY_MAX_ATTEMPTS = 4
    settings.HELPDESK_RETRY_BASE_SECONDS = 0
    # One delivery transaction for a whole day, however loaded the machine: the connection
    # counts below are per transaction's mail.
    settings.HELPDESK_DELIVERY_TRANSACTION_SECONDS = 60
    try:
        yield server
    finally:
        controller.stop()


@pytest.mark.django_db
def test_mail_refused_for_a_while_is_retried_parked_and_then_sent_exactly_once(
    mail_server, django_capture_on_commit_callbacks
):
    make_staff("alice", "bob")
    mail_server.refusing = True

    with django_capture_on_commit_callbacks(execute=True):
        issue_id = a_day_at_the_helpdesk(message_bus())  # reporting works with the server down

    mail_deliveries = Delivery.objects.filter(handler__startswith="mail.")
    tried_in_request = mail_server.refused
    for _ in range(4):
        relay.sweep(message_bus(), in_process=True, grace=timedelta(0))
    parked = list(mail_deliveries.filter(status="parked").values_list("attempts", "last_error"))

    assert issue_id is not None
    assert tried_in_request == MAILS_PER_DAY * 2  # two quick tries each, in the request
    assert mail_server.accepted == []
    assert len(parked) == MAILS_PER_DAY
    assert {attempts for attempts, _ in parked} == {4}
    assert all("451" in error for _, error in parked)
    assert not SentMail.objects.exists()

    mail_server.refusing = False
    call_command("retry_parked")
    call_command("retry_parked")
    call_command("relay_events", "--once", "--grace", "0")

    assert len(mail_server.accepted) == MAILS_PER_DAY
    assert len(set(mail_server.message_ids)) == MAILS_PER_DAY
    assert set(mail_server.message_ids) == set(
        SentMail.objects.values_list("message_id", flat=True)
    )
    assert not mail_deliveries.exclude(status="done").exists()
    assert all(message["Subject"].startswith("[HD-") for message in mail_server.accepted)
    assert all(message.is_multipart() for message in mail_server.accepted)


@pytest.mark.django_db
def test_the_mail_of_a_batch_of_events_shares_one_connection(mail_server):
    make_staff("alice", "bob")
    a_day_at_the_helpdesk(bus_without_delivery())

    deliveries.deliver_positions(all_positions(), bus=message_bus())

    assert len(mail_server.accepted) == MAILS_PER_DAY
    assert len(mail_server.connections) == 1


@pytest.mark.django_db
def test_after_a_refused_mail_the_rest_of_the_batch_goes_over_a_new_connection(mail_server):
    make_staff("alice", "bob")
    a_day_at_the_helpdesk(bus_without_delivery())
    mail_server.refuse_next = 1

    report = deliveries.deliver_positions(all_positions(), bus=message_bus())

    assert report.outcomes[deliveries.Outcome.RETRY_LATER] == 1
    assert len(mail_server.accepted) == MAILS_PER_DAY - 1
    assert len(mail_server.connections) == 2
    assert SentMail.objects.count() == MAILS_PER_DAY - 1
