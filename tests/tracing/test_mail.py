"""Events record which request or inbound mail caused them; their mail says it in
X-Correlation-ID."""

import uuid

import pytest
from django.core import mail
from django.test import Client

from issues_adapters.eventing.notifications import DjangoEmailNotifications
from issues_adapters.persistence.models import RecordedEvent
from issues_domain import commands
from issues_domain.audience import Recipient
from issues_service.notifications import Notification
from tests.events.support import bus_without_delivery

pytestmark = pytest.mark.django_db


def confirmation(correlation_id: str | None) -> Notification:
    issue_id = bus_without_delivery().handle(
        commands.ReportIssue(
            reporter_name="Fred Bloggs", reporter_email="fred@example.org", description="Smoke."
        )
    )
    return Notification(
        handler="mail.reporter.report_confirmation",
        event_id=uuid.uuid4(),
        issue_id=issue_id,
        template="report_confirmation",
        to=Recipient.reporter("fred@example.org", "Fred Bloggs"),
        correlation_id=correlation_id,
    )


def test_a_mail_carries_its_notifications_correlation_id():
    DjangoEmailNotifications().send(confirmation("req-5"))

    (sent,) = mail.outbox
    assert sent.message()["X-Correlation-ID"] == "req-5"


def test_a_mail_without_a_correlation_id_has_no_such_header():
    DjangoEmailNotifications().send(confirmation(None))

    (sent,) = mail.outbox
    assert "X-Correlation-ID" not in sent.message()


def test_the_events_a_request_records_and_their_mail_carry_its_id(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/issues/",
            {
                "reporter_name": "Fred",
                "reporter_email": "fred@example.org",
                "description": "Smoke.",
            },
            content_type="application/json",
            headers={"X-Request-ID": "req-6"},
        )

    assert response.status_code == 201
    (event,) = RecordedEvent.objects.all()
    assert event.correlation_id == "req-6"
    (sent,) = mail.outbox
    assert sent.message()["X-Correlation-ID"] == "req-6"
