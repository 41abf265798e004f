"""fetch_mail: new mail opens issues, replies become comments, each Message-ID exactly once."""

import mailbox
import threading
import uuid
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections

from issues_adapters.eventing import inbound
from issues_adapters.eventing.models import InboundMessage, SentMail
from issues_adapters.persistence.models import CommentRecord, IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.support.services import require


def a_message(
    sender="Jane Doe <jane@example.org>",
    subject="The coffee machine is leaking",
    body="There is water everywhere.",
    message_id=None,
    **headers,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "helpdesk@localhost"
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<{uuid.uuid4()}@mail.example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return bytes(message)


def a_maildir(tmp_path, *messages: bytes) -> str:
    box = mailbox.Maildir(tmp_path / "inbox", create=True)
    for message in messages:
        box.add(message)
    return str(tmp_path / "inbox")


def reported_by_fred() -> IssueRecord:
    issue_id = message_bus().handle(
        commands.ReportIssue(
            reporter_name="Fred Bloggs", reporter_email="fred@example.org", description="Smoke."
        )
    )
    return IssueRecord.objects.get(id=issue_id)


@pytest.mark.django_db
def test_a_new_message_opens_an_issue_for_its_sender(tmp_path):
    path = a_maildir(tmp_path, a_message())

    call_command("fetch_mail", path)

    issue = IssueRecord.objects.get()
    assert (issue.reporter_name, issue.reporter_email) == ("Jane Doe", "jane@example.org")
    assert (issue.subject, issue.description) == (
        "The coffee machine is leaking",
        "There is water everywhere.",
    )
    assert InboundMessage.objects.get().status == "reported"


@pytest.mark.django_db
def test_the_same_message_read_twice_or_from_two_mailboxes_opens_one_issue(tmp_path):
    message = a_message(message_id="<once@mail.example.org>")
    path = a_maildir(tmp_path, message, message)
    mbox_path = tmp_path / "inbox.mbox"
    box = mailbox.mbox(mbox_path)
    box.add(message)
    box.flush()

    call_command("fetch_mail", path)
    call_command("fetch_mail", path, str(mbox_path))

    assert IssueRecord.objects.count() == 1
    assert IssueRecord.objects.get().id == uuid.uuid5(
        inbound.INBOUND_NAMESPACE, "once@mail.example.org"
    )


@pytest.mark.django_db
def test_a_reply_quoting_the_reference_becomes_the_reporters_public_comment(tmp_path):
    issue = reported_by_fred()
    reply = a_message(
        sender="Fred Bloggs <FRED@example.org>",
        subject=f"Re: [{issue.reference}] We have received your report",
        body="It is still smoking.\n\nOn Monday, the helpdesk wrote:\n> We have received",
    )

    call_command("fetch_mail", a_maildir(tmp_path, reply))

    comment = CommentRecord.objects.get(issue=issue)
    assert (comment.author_role, comment.visibility) == ("reporter", "public")
    assert comment.body == "It is still smoking."
    assert InboundMessage.objects.get().status == "commented"


@pytest.mark.django_db
def test_a_reply_to_one_of_our_message_ids_is_a_comment_even_without_the_reference(
    tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = reported_by_fred()
    our_message_id = SentMail.objects.get(issue_id=issue.id).message_id
    reply = a_message(
        sender="fred@example.org",
        subject="Re: thanks",
        body="Thanks!",
        In_Reply_To=our_message_id,
        References=our_message_id,
    )

    call_command("fetch_mail", a_maildir(tmp_path, reply))

    assert CommentRecord.objects.get(issue=issue).body == "Thanks!"
    assert len(mail.outbox) == 1  # our confirmation; nothing mailed back to the reporter


@pytest.mark.django_db
def test_somebody_else_answering_an_issue_is_set_aside(tmp_path):
    issue = reported_by_fred()
    stranger = a_message(sender="mallory@example.org", subject=f"Re: {issue.reference}")

    call_command("fetch_mail", a_maildir(tmp_path, stranger))

    set_aside = InboundMessage.objects.get()
    assert set_aside.status == "set_aside"
    assert "not its reporter" in set_aside.error
    assert not CommentRecord.objects.exists()
    assert IssueRecord.objects.count() == 1


@pytest.mark.django_db
def test_unreadable_and_automatic_messages_are_set_aside_and_never_block_the_rest(tmp_path):
    path = a_maildir(
        tmp_path,
        b"",
        a_message(sender="not an address", body="x"),
        a_message(sender="robot@example.org", Auto_Submitted="auto-replied"),
        a_message(sender="Bad <bad@example.org>", body="\x00\x01 control characters"),
        a_message(),
    )

    call_command("fetch_mail", path)
    call_command("fetch_mail", path)

    statuses = sorted(InboundMessage.objects.values_list("status", flat=True))
    assert statuses == ["reported", "reported", "set_aside", "set_aside", "set_aside"]
    assert all(InboundMessage.objects.filter(status="set_aside").values_list("error", flat=True))
    # Stray control characters are dropped (tests/events/test_inbound_mail_text.py), not refused.
    assert sorted(IssueRecord.objects.values_list("reporter_email", "description")) == [
        ("bad@example.org", "control characters"),
        ("jane@example.org", "There is water everywhere."),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_fetchers_at_once_on_postgresql_make_one_issue():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL; run with DATABASE_URL set")
    raws = [inbound.Raw(f"test#{n}", a_message(message_id=f"<m{n}@x.org>")) for n in range(20)]
    start = threading.Barrier(2)
    errors = []

    def fetch():
        try:
            start.wait()
            for raw in raws:
                inbound.take_in(message_bus(), raw)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert IssueRecord.objects.count() == 20
    assert InboundMessage.objects.filter(status="reported").count() == 20


@pytest.mark.django_db
def test_a_reply_by_mail_to_a_waiting_issue_returns_it_to_where_it_was(tmp_path):
    from issues_adapters.persistence.models import RecordedEvent
    from issues_domain.values import Actor

    issue = reported_by_fred()
    bus = message_bus()
    bus.handle(
        commands.TriageIssue(
            issue_id=issue.id, category="printing", priority="low", actor=Actor.staff("alice")
        )
    )
    bus.handle(
        commands.AwaitReporter(issue_id=issue.id, comment="Which?", actor=Actor.staff("alice"))
    )
    reply = a_message(
        sender="fred@example.org",
        subject=f"Re: [{issue.reference}] The helpdesk is waiting for your answer",
        body="The one by the door.",
    )

    call_command("fetch_mail", a_maildir(tmp_path, reply))

    issue.refresh_from_db()
    assert issue.status == "triaged"
    last = RecordedEvent.objects.filter(issue_id=issue.id).last()
    assert (last.event_type, last.status, last.data["returned_to"]) == (
        "ReporterAnswered",
        "triaged",
        "triaged",
    )
