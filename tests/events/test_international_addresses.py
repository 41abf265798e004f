"""Mail to addresses with a Unicode domain (issues_domain/values.py accepts them on purpose)
goes out with the domain in punycode, and a display name outside ASCII is encoded, for the
reporter, staff and watchers alike."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from issues_adapters.eventing.models import Delivery
from issues_domain import commands
from issues_domain.values import Actor
from tests.events.support import bus_without_delivery


def delivered() -> list:
    """Relay what was committed, as `relay_events` does, and keep the mails it sent."""
    mail.outbox.clear()
    call_command("relay_events", "--once", "--grace", "0")
    call_command("relay_events", "--once", "--grace", "0")
    return list(mail.outbox)


def to_header(message) -> str:
    """The To header as it goes over the wire."""
    return str(message.message()["To"])


class When_a_reporter_with_a_unicode_domain_reports_through_the_api:
    pytestmark = pytest.mark.django_db

    def because_the_report_is_relayed(self):
        self.response = APIClient().post(
            "/api/issues/",
            {
                "reporter_name": "Jürgen Müller",
                "reporter_email": "jurgen@exämple.de",
                "description": "Der Drucker brennt.",
            },
            format="json",
        )
        self.sent = delivered()
        self.failed = list(Delivery.objects.exclude(status="done").values_list("status", flat=True))

    def it_should_accept_the_report(self):
        assert self.response.status_code == 201

    def it_should_deliver_everything(self):
        assert self.failed == []

    def it_should_send_the_confirmation_to_the_punycode_domain(self):
        (confirmation,) = self.sent
        assert "<jurgen@xn--exmple-cua.de>" in to_header(confirmation)
        assert confirmation.recipients() == [to_header(confirmation)]

    def it_should_encode_the_display_name(self):
        (confirmation,) = self.sent
        header = to_header(confirmation)
        assert header.isascii()
        assert header.startswith("=?utf-8?")


class When_a_reporter_with_a_long_name_outside_ascii_reports:
    pytestmark = pytest.mark.django_db

    def because_the_report_is_relayed(self):
        bus_without_delivery().handle(
            commands.ReportIssue(
                reporter_name=" ".join(["Jürgen-Größenwahn"] * 11),
                reporter_email="jurgen@exämple.de",
                description="Der Drucker brennt.",
            )
        )
        self.sent = delivered()

    def it_should_send_the_confirmation_with_the_name_on_one_header_line(self):
        (confirmation,) = self.sent
        header = to_header(confirmation)
        assert header.isascii() and "\n" not in header
        assert header.endswith("<jurgen@xn--exmple-cua.de>")


class When_staff_and_a_watcher_with_unicode_domains_are_mailed:
    pytestmark = pytest.mark.django_db

    def given_an_issue_watched_by_zoe(self):
        get_user_model().objects.create_user(
            username="jorg",
            email="jorg@bücher.example",
            first_name="Jörg",
            last_name="Bücher",
            password="x",
            is_staff=True,
        )
        self.bus = bus_without_delivery()
        self.issue_id = self.bus.handle(
            commands.ReportIssue(
                reporter_name="Fred", reporter_email="fred@example.org", description="Smoke."
            )
        )
        self.bus.handle(
            commands.AddWatcher(
                issue_id=self.issue_id, email="zoe@exämple.de", actor=Actor.staff("alice")
            )
        )
        delivered()

    def because_alice_assigns_it_to_jorg_who_replies(self):
        self.bus.handle(
            commands.AssignIssue(
                issue_id=self.issue_id, assignee="jorg", actor=Actor.staff("alice")
            )
        )
        self.bus.handle(
            commands.CommentOnIssue(
                issue_id=self.issue_id, author=Actor.staff("jorg"), body="On my way."
            )
        )
        self.sent = delivered()
        self.failed = list(Delivery.objects.exclude(status="done").values_list("status", flat=True))
        self.to = sorted(to_header(message) for message in self.sent)

    def it_should_deliver_everything(self):
        assert self.failed == []

    def it_should_mail_the_assignee_at_the_punycode_domain_with_the_name_encoded(self):
        (to_jorg,) = [to for to in self.to if "jorg@" in to]
        assert to_jorg.isascii() and to_jorg.startswith("=?utf-8?")
        assert to_jorg.endswith("<jorg@xn--bcher-kva.example>")

    def it_should_mail_the_reporter_and_the_watcher(self):
        assert "Fred <fred@example.org>" in self.to
        assert "zoe@xn--exmple-cua.de" in self.to
