"""Attachments and mail: inbound mail keeps its files (inline images too) with the issue or the
comment; public mail to the reporter carries the message's files, up to a total, the rest as
links; internal notes' files are never mailed."""

import uuid
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command

from issues_adapters.persistence.models import AttachmentRecord, IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.attachments.support import png_bytes, sha256, stored_bytes
from tests.events.test_inbound_mail import a_maildir
from tests.web.support import issue_in

pytestmark = pytest.mark.django_db


def a_mail_with_files(subject="Screen goes black", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = "Jane Doe <jane@example.org>"
    message["To"] = "helpdesk@localhost"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@mail.example.org>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("See the screenshot.")
    message.add_alternative("<p>See the <img src='cid:shot'> screenshot.</p>", subtype="html")
    message.get_payload()[1].add_related(png_bytes(), "image", "png", cid="<shot>")
    message.add_attachment(b"log line\n", maintype="text", subtype="plain", filename="vpn.log")
    return bytes(message)


def test_inbound_mail_keeps_its_attachments_and_inline_images(tmp_path):
    call_command("fetch_mail", a_maildir(tmp_path, a_mail_with_files()))

    issue = IssueRecord.objects.get()
    files = {f.filename: f for f in AttachmentRecord.objects.filter(issue=issue)}
    assert set(files) == {"vpn.log", "inline-1.png"}
    assert stored_bytes(files["vpn.log"].id) == b"log line\n"
    assert files["inline-1.png"].sha256 == sha256(png_bytes())
    assert files["inline-1.png"].content_type == "image/png"
    assert issue.description == "See the screenshot."


def test_a_mail_over_the_limits_is_set_aside_and_keeps_no_file(tmp_path, settings):
    from issues_adapters.eventing.models import InboundMessage
    from tests.attachments.support import stored_names

    settings.HELPDESK_ATTACHMENTS_MAX_FILE_BYTES = 5
    before = stored_names()

    call_command("fetch_mail", a_maildir(tmp_path, a_mail_with_files()))

    assert not IssueRecord.objects.exists()
    assert "the limit for one file" in InboundMessage.objects.get().error
    assert stored_names() == before


def _reply(issue_id, visibility, files, django_capture_on_commit_callbacks):
    from issues_adapters.attachments.uploads import store_file

    stored = tuple(
        store_file(__import__("io").BytesIO(data), name, len(data)) for name, data in files
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=issue_id,
                author=Actor.staff("alice"),
                body="Have a look.",
                visibility=visibility,
                attachments=stored,
            )
        )


def test_a_public_reply_mails_its_files_to_the_reporter(django_capture_on_commit_callbacks):
    issue_id = issue_in("assigned")

    _reply(issue_id, "public", [("fix.txt", b"do this")], django_capture_on_commit_callbacks)

    (sent,) = mail.outbox
    assert [(name, content) for name, content, _type in sent.attachments] == [
        ("fix.txt", "do this")
    ]


def test_files_past_the_mail_limit_are_links(django_capture_on_commit_callbacks, settings):
    settings.HELPDESK_MAIL_ATTACHMENTS_MAX_BYTES = 10
    issue_id = issue_in("assigned")

    _reply(
        issue_id,
        "public",
        [("small.txt", b"tiny"), ("large.bin", b"x" * 100)],
        django_capture_on_commit_callbacks,
    )

    (sent,) = mail.outbox
    assert [name for name, _c, _t in sent.attachments] == ["small.txt"]
    large = AttachmentRecord.objects.get(filename="large.bin")
    assert f"/attachments/{large.id}/" in sent.body and "large.bin" in sent.body


def test_an_internal_notes_file_is_never_mailed(django_capture_on_commit_callbacks):
    issue_id = issue_in("assigned")

    _reply(issue_id, "internal", [("secret.txt", b"x")], django_capture_on_commit_callbacks)

    assert all("secret.txt" not in str(m.attachments) for m in mail.outbox)
    assert all(m.to != ["fred@example.org"] for m in mail.outbox)
