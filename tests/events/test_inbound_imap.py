"""fetch_mail --imap against a real IMAP server (Dovecot): unseen mail is taken in once and
marked seen on the server; mail somebody has read already is left alone; over TLS, only a
server whose certificate checks out is given the password."""

import imaplib
import io
import ssl
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from issues_adapters.eventing.models import InboundMessage
from issues_adapters.persistence.models import CommentRecord, IssueRecord
from tests.events.test_inbound_mail import a_message, reported_by_fred
from tests.support.imap_server import dovecot, require_dovecot


@contextmanager
def reading(account):
    with override_settings(
        HELPDESK_IMAP_HOST=account.host,
        HELPDESK_IMAP_PORT=account.port,
        HELPDESK_IMAP_USER=account.user,
        HELPDESK_IMAP_PASSWORD=account.password,
        HELPDESK_IMAP_SSL=account.certificate is not None,
        HELPDESK_IMAP_MAILBOX="INBOX",
    ):
        yield account


@pytest.fixture
def imap_account():
    require_dovecot()
    with dovecot() as account, reading(account):
        yield account


@pytest.fixture
def imap_account_over_tls():
    require_dovecot()
    with dovecot(tls=True) as account, reading(account):
        yield account


def connected(account) -> imaplib.IMAP4:
    if account.certificate is None:
        return imaplib.IMAP4(account.host, account.port)
    trusting = ssl.create_default_context(cafile=str(account.certificate))
    return imaplib.IMAP4_SSL(account.host, account.port, ssl_context=trusting)


def deliver(account, message: bytes, flags: str | None = None) -> None:
    with connected(account) as imap:
        imap.login(account.user, account.password)
        status, _ = imap.append("INBOX", flags, None, message)
        assert status == "OK"


def unseen_on_the_server(account) -> list[bytes]:
    with connected(account) as imap:
        imap.login(account.user, account.password)
        imap.select("INBOX", readonly=True)
        _, found = imap.uid("search", None, "UNSEEN")
        return (found[0] or b"").split()


def fetch() -> str:
    out = io.StringIO()
    call_command("fetch_mail", "--imap", stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_unseen_mail_opens_issues_and_comments_and_is_marked_seen_on_the_server(imap_account):
    issue = reported_by_fred()
    deliver(imap_account, a_message())
    deliver(
        imap_account,
        a_message(
            sender="Fred Bloggs <fred@example.org>",
            subject=f"Re: [{issue.reference}] We have received your report",
            body="It is still smoking.",
        ),
    )

    summary = fetch()

    opened = IssueRecord.objects.exclude(id=issue.id).get()
    assert (opened.reporter_email, opened.subject, opened.description) == (
        "jane@example.org",
        "The coffee machine is leaking",
        "There is water everywhere.",
    )
    assert CommentRecord.objects.get(issue=issue).body == "It is still smoking."
    assert sorted(InboundMessage.objects.values_list("status", flat=True)) == [
        "commented",
        "reported",
    ]
    assert all(row.source.startswith("imap:INBOX#") for row in InboundMessage.objects.all())
    assert unseen_on_the_server(imap_account) == []
    assert summary == "0 skipped, 1 reported, 1 commented"


@pytest.mark.django_db
def test_a_second_fetch_takes_nothing_and_mail_read_already_is_left_alone(imap_account):
    deliver(imap_account, a_message(subject="Read by a colleague"), flags="(\\Seen)")
    deliver(imap_account, a_message())
    fetch()

    summary = fetch()

    assert IssueRecord.objects.get().subject == "The coffee machine is leaking"
    assert InboundMessage.objects.count() == 1
    assert summary == "0 skipped"


@pytest.mark.django_db
def test_over_tls_a_server_whose_certificate_is_trusted_is_read(imap_account_over_tls, monkeypatch):
    # As if the server's certificate were signed by a CA the system trusts.
    monkeypatch.setenv("SSL_CERT_FILE", str(imap_account_over_tls.certificate))
    deliver(imap_account_over_tls, a_message())

    summary = fetch()

    assert summary == "0 skipped, 1 reported"
    assert unseen_on_the_server(imap_account_over_tls) == []


@pytest.mark.django_db
def test_over_tls_a_server_with_a_certificate_nobody_vouches_for_gets_no_password(
    imap_account_over_tls,
):
    deliver(imap_account_over_tls, a_message())

    with pytest.raises(CommandError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch()

    assert not IssueRecord.objects.exists()
    assert len(unseen_on_the_server(imap_account_over_tls)) == 1
