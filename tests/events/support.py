"""Helpers for the event tests: staff users, a bus without after-commit delivery, mail counts."""

import uuid

from django.contrib.auth import get_user_model
from django.core import mail

from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_adapters.wiring import event_handlers
from issues_domain import commands
from issues_domain.values import Actor
from issues_service.bootstrap import bootstrap
from issues_service.messagebus import MessageBus

ALICE = Actor.staff("alice")
BOB = Actor.staff("bob")


def make_staff(*usernames: str) -> None:
    for username in usernames:
        get_user_model().objects.create_user(
            username=username, email=f"{username}@example.org", password="x", is_staff=True
        )


def bus_without_delivery(extra_handlers=None) -> MessageBus:
    """Commits record events but deliver nothing: like a process that died right after commit."""
    handlers = event_handlers()
    for event_type, more in (extra_handlers or {}).items():
        handlers[event_type] = [*handlers.get(event_type, []), *more]
    return bootstrap(
        unit_of_work=lambda: DjangoUnitOfWork(after_commit=None), event_handlers=handlers
    )


def a_day_at_the_helpdesk(bus: MessageBus, reporter: str = "fred@example.org") -> uuid.UUID:
    """Five commands, four mails: confirmation, assignment, public reply, resolution."""
    issue_id = bus.handle(
        commands.ReportIssue(
            reporter_name="Fred Bloggs", reporter_email=reporter, description="Printer on fire."
        )
    )
    bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    bus.handle(commands.CommentOnIssue(issue_id=issue_id, author=BOB, body="On my way."))
    bus.handle(
        commands.CommentOnIssue(
            issue_id=issue_id, author=BOB, body="Fred again.", visibility="internal"
        )
    )
    bus.handle(commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Put it out.", actor=BOB))
    return issue_id


MAILS_PER_DAY = 4
# Mail handlers' deliveries: IssueReported 3 (the reporter's confirmation, the staff's new-issue
# mail, the watchers'), IssueAssigned 1, IssueCommented 3 (twice), IssueResolved 2 (the
# reporter, the watchers) - whether or not the handler mails (an internal note mails nobody;
# nobody chose new-issue mail; nobody watches).
MAIL_DELIVERIES_PER_DAY = 12


def expected_deliveries(bus: MessageBus | None = None) -> int:
    """One per (recorded event, handler of that event), whatever handlers are wired."""
    from issues_adapters.persistence.event_log import to_event
    from issues_adapters.wiring import message_bus

    bus = bus or message_bus()
    return sum(len(bus.handlers_for(to_event(row))) for row in RecordedEvent.objects.all())


def all_positions() -> list[int]:
    return list(RecordedEvent.objects.order_by("position").values_list("position", flat=True))


def sent(outbox=None) -> list[tuple[str, str, str]]:
    """(Message-ID, recipient, subject) of every mail in Django's test outbox."""
    return sorted(
        (message.extra_headers["Message-ID"], message.to[0], message.subject)
        for message in (outbox if outbox is not None else mail.outbox)
    )
