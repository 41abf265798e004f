"""A burst of reporter comments reaches the assignee in one mail, through the real relay.

The coalescing window is half a second here, on a stopped clock (time-machine) that each test
moves past the window, so a slow machine cannot split a burst or end a window early: the
handler compares the comment's own time with the clock, and the relay its due times.
"""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from issues_adapters.eventing import deliveries, relay
from issues_adapters.eventing.models import Checkpoint, Delivery, SentMail
from issues_adapters.persistence.models import RecordedEvent
from issues_domain import commands
from issues_domain.values import Actor, IssueReporter
from issues_service.messagebus import MessageBus
from tests.events.support import ALICE, BOB, all_positions, bus_without_delivery, make_staff

WINDOW = 0.5
HANDLER = "mail.assignee.reporter_comment"
FRED = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff")]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(db):
    make_staff("alice", "bob")


@pytest.fixture
def bus() -> MessageBus:
    with override_settings(HELPDESK_REPORTER_COMMENT_COALESCE_SECONDS=WINDOW):
        return bus_without_delivery()


@pytest.fixture
def issue_id(bus) -> uuid.UUID:
    """Fred's issue, assigned to Bob; its confirmation and Bob's assignment mail sent."""
    issue_id = bus.handle(
        commands.ReportIssue(
            reporter_name="Fred Bloggs", reporter_email="fred@example.org", description="Fire."
        )
    )
    bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    deliver_what_is_new(bus)
    mail.outbox.clear()
    return issue_id


def deliver_what_is_new(bus: MessageBus) -> None:
    """As after commit: every recorded event once, a reporter comment's mail left waiting."""
    deliveries.deliver_positions(all_positions(), bus=bus)


def comment(bus: MessageBus, issue_id: uuid.UUID, body: str, author=FRED, visibility="public"):
    bus.handle(
        commands.CommentOnIssue(issue_id=issue_id, author=author, body=body, visibility=visibility)
    )


def sweep_once_the_window_is_over(bus: MessageBus, clock) -> None:
    clock.shift(WINDOW + 0.1)
    relay.sweep(bus, in_process=True)


def to_bob() -> list:
    return [message for message in mail.outbox if message.to == ["bob@example.org"]]


def reporter_comment_ids(issue_id: uuid.UUID) -> list[uuid.UUID]:
    return [
        row.event_id
        for row in RecordedEvent.objects.filter(issue_id=issue_id, event_type="IssueCommented")
        if row.actor_role == "reporter"
    ]


def test_five_reporter_comments_within_the_window_are_one_mail_listing_them(bus, issue_id, clock):
    for number in range(1, 6):
        comment(bus, issue_id, f"Update number {number}.")
    deliver_what_is_new(bus)
    relay.sweep(bus, in_process=True)
    waiting = list(Delivery.objects.filter(handler=HANDLER).values_list("status", "attempts"))
    assert mail.outbox == []

    sweep_once_the_window_is_over(bus, clock)

    assert waiting == [("pending", 0)] * 5
    (message,) = to_bob()
    assert [number for number in range(1, 6) if f"Update number {number}." in message.body] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert "5 times" in message.subject
    first = reporter_comment_ids(issue_id)[0]
    assert message.extra_headers["Message-ID"].startswith(f"<{first}.assignee@")
    assert set(Delivery.objects.filter(handler=HANDLER).values_list("status", flat=True)) == {
        "done"
    }
    assert Checkpoint.objects.get(handler=HANDLER).last_error == ""


def test_bursts_further_apart_than_the_window_are_a_mail_each(bus, issue_id, clock):
    comment(bus, issue_id, "First burst, one.")
    comment(bus, issue_id, "First burst, two.")
    deliver_what_is_new(bus)
    sweep_once_the_window_is_over(bus, clock)
    comment(bus, issue_id, "Second burst, one.")
    comment(bus, issue_id, "Second burst, two.")
    deliver_what_is_new(bus)
    sweep_once_the_window_is_over(bus, clock)

    first, second = to_bob()
    assert ("First burst, two." in first.body, "Second burst" in first.body) == (True, False)
    assert ("First burst" in second.body, "Second burst, two." in second.body) == (False, True)
    comments = reporter_comment_ids(issue_id)
    assert sorted(SentMail.objects.filter(handler=HANDLER).values_list("event_id", flat=True)) == (
        sorted([comments[0], comments[2]])
    )


def test_redelivered_retried_and_lost_tracking_rows_never_double_the_mail(bus, issue_id, clock):
    for number in range(1, 4):
        comment(bus, issue_id, f"Update number {number}.")
    deliver_what_is_new(bus)
    sweep_once_the_window_is_over(bus, clock)

    deliver_what_is_new(bus)
    relay.retry_parked(bus)
    Delivery.objects.filter(handler=HANDLER).delete()
    deliver_what_is_new(bus)
    sweep_once_the_window_is_over(bus, clock)

    assert len(to_bob()) == 1
    assert SentMail.objects.filter(handler=HANDLER).count() == 1


def test_staff_comments_and_internal_notes_are_never_in_it(bus, issue_id, clock):
    comment(bus, issue_id, "It is smoking.")
    comment(bus, issue_id, "On my way.", author=BOB)
    comment(bus, issue_id, "Fred again.", author=ALICE, visibility="internal")
    comment(bus, issue_id, "Now it is burning.")
    deliver_what_is_new(bus)
    sweep_once_the_window_is_over(bus, clock)

    (message,) = to_bob()
    html, _ = message.alternatives[0]
    for text in (message.body, html):
        assert "It is smoking." in text and "Now it is burning." in text
        assert "On my way." not in text and "Fred again." not in text


def test_the_relay_sends_a_waiting_digest_once_it_is_due_and_not_before(bus, issue_id, clock):
    comment(bus, issue_id, "It is smoking.")
    deliver_what_is_new(bus)
    (waiting,) = Delivery.objects.filter(handler=HANDLER)

    relay.sweep(bus, in_process=True)
    before = list(mail.outbox)
    sweep_once_the_window_is_over(bus, clock)

    assert before == []
    assert len(to_bob()) == 1
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == ("done", 1)
