"""Inbound mail: each new message opens an issue, or comments on the issue it answers.

A message answers an issue when its subject carries the issue's reference (HD-1042) or its
In-Reply-To / References name one of our Message-IDs. Only its reporter or a watcher may comment by
mail: a message from anybody else that answers an issue is set aside (recorded, with the reason,
for staff to see in the admin) rather than opening a surprise issue or putting words in the
reporter's mouth. An answer to a closed issue opens a new issue that follows it up (naming and
linking the closed one), and one to a merged duplicate goes on to the issue it continues as.
Mail that we sent ourselves, and automatic replies (Auto-Submitted, bounces),
are set aside too, so two robots never talk to each other forever.

Exactly one issue or comment per Message-ID: the `InboundMessage` row (unique Message-ID) is
inserted in the same transaction as the command's change. A second fetcher reading the same
message at the same moment waits on that unique key and then finds it taken; a message read
again later is skipped. The command's issue_id / comment_id are uuid5 of the Message-ID, so
even a retry that somehow got past the claim would name the same issue or comment.

One message that cannot be read or acted on is set aside with its error and never stops the rest.
"""

import email
import email.policy
import hashlib
import io
import logging
import mailbox
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from issues_adapters import languages
from issues_adapters.attachments.storage import configured_limits
from issues_adapters.attachments.uploads import discarded_unless_kept, store_file
from issues_adapters.eventing.mail_text import body_text, header_text
from issues_adapters.eventing.models import InboundMessage, SentMail
from issues_adapters.eventing.notifications import mail_domain
from issues_adapters.eventing.our_subjects import without_our_suffix
from issues_adapters.persistence.models import IssueRecord, RecordedEvent, WatcherRecord
from issues_adapters.tracing import correlation
from issues_domain.attachments import safe_filename
from issues_domain.commands import CommentOnIssue, LinkIssues, ReportIssue
from issues_domain.errors import DomainError, InvalidInput, IssueIsClosed
from issues_domain.subject import subject_from_mail
from issues_domain.values import (
    COMMENT_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    Actor,
    ActorRole,
    IssueStatus,
    clean_email,
)
from issues_service.messagebus import MessageBus

logger = logging.getLogger(__name__)

INBOUND_NAMESPACE = uuid.UUID("5b0c7a52-3f0e-4c5e-9b8e-0d6f1f6a2c11")
_REFERENCE = re.compile(r"\b(HD-\d+)\b", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_UUID = re.compile(r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
_FETCH_MAIL = Actor.system("inbound-mail")
_FORWARD = re.compile(r"^\s*(?:fwd?|wg)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Raw:
    source: str
    data: bytes


class SetAside(Exception):
    """The message is fine to keep but not for us to act on."""


def read_path(path: str) -> Iterator[Raw]:
    """Messages of a Maildir (a folder with cur/ new/ tmp/) or an mbox file."""
    location = Path(path)
    box = mailbox.Maildir(location, create=False) if location.is_dir() else mailbox.mbox(location)
    for key in box.iterkeys():
        try:
            yield Raw(f"{path}#{key}", box.get_bytes(key))
        except Exception as error:
            logger.warning("Could not read message %s from %s: %r", key, path, error)
            yield Raw(f"{path}#{key}", b"")


def read_imap() -> Iterator[tuple[Raw, object]]:
    """Unseen messages of the configured IMAP mailbox; yields (message, mark_seen callback)."""
    with _imap_connection() as imap:
        imap.login(settings.HELPDESK_IMAP_USER, settings.HELPDESK_IMAP_PASSWORD)
        imap.select(settings.HELPDESK_IMAP_MAILBOX)
        _, found = imap.uid("search", None, "UNSEEN")
        for uid in (found[0] or b"").split():
            _, parts = imap.uid("fetch", uid, "(BODY.PEEK[])")
            data = next((part[1] for part in parts if isinstance(part, tuple)), b"")
            yield (
                Raw(f"imap:{settings.HELPDESK_IMAP_MAILBOX}#{uid.decode()}", data),
                lambda uid=uid: imap.uid("store", uid, "+FLAGS", "(\\Seen)"),
            )


def _imap_connection():
    import imaplib
    import ssl

    host, port = settings.HELPDESK_IMAP_HOST, settings.HELPDESK_IMAP_PORT
    if not settings.HELPDESK_IMAP_SSL:
        return imaplib.IMAP4(host, port)
    # imaplib's own default checks no certificate: anyone in between could read the password.
    return imaplib.IMAP4_SSL(host, port, ssl_context=ssl.create_default_context())


def message_id_of(raw: Raw, message: EmailMessage | None) -> str:
    found = _MESSAGE_ID.search(str(message.get("Message-ID", ""))) if message else None
    if found:
        return found.group(1)[:240]
    # No Message-ID: the content itself is the identity (the same bytes twice are one message).
    return "sha256:" + hashlib.sha256(raw.data).hexdigest()


def _plain_body(message: EmailMessage) -> str:
    """What the sender wrote; a forward keeps the mail it forwards (that is its point)."""
    forward = bool(_FORWARD.match(_subject(message)))
    return body_text(message.get_body(preferencelist=("plain", "html")), whole=forward)


def _subject(message: EmailMessage) -> str:
    return header_text(str(message.get("Subject", "")))


def _continued(issue: IssueRecord | None) -> IssueRecord | None:
    """The issue an answer goes on to: a merged duplicate's is the issue it continues as."""
    for _ in range(10):  # a merge target may itself be merged later; the chain is short
        if issue is None or issue.merged_into is None:
            break
        issue = IssueRecord.objects.filter(id=issue.merged_into).first() or issue
    return issue


def _named_issue(message: EmailMessage) -> IssueRecord | None:
    references = " ".join(str(message.get(name, "")) for name in ("In-Reply-To", "References"))
    ours = [
        found for found in _MESSAGE_ID.findall(references) if found.endswith("@" + mail_domain())
    ]
    for message_id in ours:
        sent = SentMail.objects.filter(message_id=f"<{message_id}>").first()
        if sent:
            return IssueRecord.objects.filter(id=sent.issue_id).first()
        match = _UUID.match(message_id)
        if match:
            some_id = uuid.UUID(match.group(1))
            issue = IssueRecord.objects.filter(id=some_id).first()
            if issue is None:
                event = RecordedEvent.objects.filter(event_id=some_id).first()
                issue = event and IssueRecord.objects.filter(id=event.issue_id).first()
            if issue:
                return issue
    reference = _REFERENCE.search(_subject(message))
    if reference:
        return IssueRecord.objects.filter(reference=reference.group(1).upper()).first()
    return None


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    ours = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    return (
        auto != "no"
        or sender.lower() == ours
        or sender.lower().startswith(("mailer-daemon@", "postmaster@"))
        or str(message.get("Precedence", "")).lower() in {"bulk", "junk", "auto_reply"}
    )


def _act(bus: MessageBus, message: EmailMessage, message_id: str, row: InboundMessage) -> None:
    name, sender = getaddresses([str(message.get("From", ""))])[0]
    name = header_text(name)
    row.sender = sender[:254]
    if not sender:
        raise SetAside("the message has no sender address")
    if _is_automatic(message, sender):
        raise SetAside("an automatic message (or one we sent)")
    body = _plain_body(message)
    named = _named_issue(message)
    issue = _continued(named)
    # A merge made the duplicate's reporter and watchers the target's watchers: the target's
    # list alone says who may answer (staff may have taken somebody off it since).
    if issue is not None and not _may_answer(issue, sender):
        answered = named.reference
        if issue.id != named.id:
            answered += f" (merged into {issue.reference})"
        raise SetAside(f"answers {answered}, but {sender} is not its reporter or a watcher")
    attachments = _stored_files(message)
    with discarded_unless_kept(attachments):
        _report_or_comment(bus, message, message_id, row, name, sender, body, issue, attachments)


def _may_answer(issue: IssueRecord, sender: str) -> bool:
    return _same_address(issue.reporter_email, sender) or bool(_watcher_address(issue, sender))


def _watcher_address(issue: IssueRecord, sender: str) -> str | None:
    """The sender's address as the issue's watchers list has it, if they are on it."""
    watchers = WatcherRecord.objects.filter(issue=issue).values_list("email", flat=True)
    return next((watcher for watcher in watchers if _same_address(watcher, sender)), None)


def _same_address(one: str, other: str) -> bool:
    """One mailbox: mail clients write a Unicode domain (bücher.example) in punycode
    (xn--bcher-kva.example) or not, and the case of an address is no difference people see."""
    return _comparable(one) == _comparable(other)


def _comparable(address: str) -> str:
    local, at, domain = address.rpartition("@")
    return f"{local}{at}{'.'.join(map(_unicode_label, domain.split('.')))}".casefold()


def _unicode_label(label: str) -> str:
    if not label.lower().startswith("xn--"):
        return label
    try:
        return label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label  # not punycode after all: compared as written


def _copied(message: EmailMessage, sender: str) -> tuple[str, ...]:
    """The Cc addresses that can be watchers: plain addresses, not ours, not the sender."""
    ours = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].casefold(), sender.casefold()}
    kept = []
    for _name, address in getaddresses([str(value) for value in message.get_all("Cc", [])]):
        try:
            address = clean_email(address)
        except InvalidInput:
            continue
        if address.casefold() not in ours:
            ours.add(address.casefold())
            kept.append(address)
    return tuple(kept)


def _files_of(message: EmailMessage) -> list[tuple[str, bytes]]:
    """The message's attachments and inline images: every leaf part but the body shown."""
    body = message.get_body(preferencelist=("plain", "html"))
    found = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        filename = part.get_filename()
        if not filename and part.get_content_maintype() == "text":
            continue  # the other rendering of the body
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:
            continue
        subtype = part.get_content_subtype()
        found.append((filename or f"inline-{len(found) + 1}.{subtype}", data))
    return found


def _stored_files(message: EmailMessage) -> tuple:
    limits = configured_limits()
    files = _files_of(message)
    limits.check_count(len(files))
    total = 0
    for filename, data in files:
        name = safe_filename(filename)
        limits.check_not_empty(name, len(data))
        limits.check_file(name, len(data))
        total += len(data)
        limits.check_message(name, total)
    stored = []
    with discarded_unless_kept(stored):
        for filename, data in files:
            stored.append(store_file(io.BytesIO(data), safe_filename(filename), len(data)))
    return tuple(stored)


def _report_or_comment(bus, message, message_id, row, name, sender, body, issue, attachments):
    # The mail's language, when it says one we speak; else the issue's; else the default.
    language = languages.first_of_header(message.get("Content-Language")) or (
        issue.language if issue is not None else settings.LANGUAGE_CODE
    )
    comment = _within(body, COMMENT_MAX_LENGTH, language)
    if issue is not None:
        try:
            with transaction.atomic():
                _comment(bus, message_id, row, name, sender, comment, issue, attachments)
            return
        except IssueIsClosed:
            pass  # nothing more happens on a closed issue: the mail goes to its follow-up
        open_follow_up = _open_follow_up(issue, sender)
        if open_follow_up is not None:
            _comment(bus, message_id, row, name, sender, comment, open_follow_up, attachments)
            return
    subject = without_our_suffix(subject_from_mail(_subject(message)))
    description = body or subject
    if issue is not None:
        with translation.override(language):
            follow_up = gettext("Follow-up to %(reference)s") % {"reference": issue.reference}
        description = f"{follow_up}\n\n{description}"
    description = _within(description, DESCRIPTION_MAX_LENGTH, language)
    issue_id = bus.handle(
        ReportIssue(
            reporter_name=(name or sender.split("@")[0])[:200],
            reporter_email=sender,
            subject=subject,
            description=description,
            attachments=attachments,
            watchers=_copied(message, sender),
            language=language,
            issue_id=uuid.uuid5(INBOUND_NAMESPACE, message_id),
        )
    )
    if issue is not None:
        bus.handle(LinkIssues(issue_id=issue_id, other=issue.reference, actor=_FETCH_MAIL))
    row.status, row.issue_id = InboundMessage.Status.REPORTED, issue_id


def _open_follow_up(closed: IssueRecord, sender: str) -> IssueRecord | None:
    """The open issue the sender reported earlier as the closed one's follow-up (linked to it),
    so their next answer to the closed issue does not open another one."""
    linked = (
        IssueRecord.objects.filter(links__has_key=str(closed.id), merged_into__isnull=True)
        .exclude(status=IssueStatus.CLOSED)
        .order_by("-reported_at")
    )
    return next((issue for issue in linked if _same_address(issue.reporter_email, sender)), None)


def _within(text: str, limit: int, language: str) -> str:
    """The text, or when longer than the domain takes, its start with a note that it was cut:
    a long mail is still the sender's words, better shortened than set aside."""
    if len(text) <= limit:
        return text
    with translation.override(language):
        note = gettext("[…] (cut: the mail was longer than %(limit)s characters)") % {
            "limit": number_format(limit, force_grouping=True)
        }
    return f"{text[: limit - len(note) - 1].rstrip()}\n{note}"


def _comment(bus, message_id, row, name, sender, body, issue, attachments):
    comment_id = uuid.uuid5(INBOUND_NAMESPACE, message_id)
    from_reporter = _same_address(issue.reporter_email, sender)
    bus.handle(
        CommentOnIssue(
            issue_id=issue.id,
            author=Actor(ActorRole.REPORTER, issue.reporter_name, issue.reporter_email)
            if from_reporter
            else Actor.watcher(_watcher_address(issue, sender) or sender, name),
            body=body,
            visibility="public",
            comment_id=comment_id,
            attachments=attachments,
        )
    )
    row.status, row.issue_id, row.comment_id = (
        InboundMessage.Status.COMMENTED,
        issue.id,
        comment_id,
    )


def take_in(bus: MessageBus, raw: Raw) -> InboundMessage | None:
    """Act on one message; None when it was taken in before (by us or another fetcher).

    Each message is its own correlation: its log lines, its events and the mail they cause
    carry an id of its own."""
    with correlation():
        return _take_in(bus, raw)


def _take_in(bus: MessageBus, raw: Raw) -> InboundMessage | None:
    message = None
    error = ""
    try:
        message = email.message_from_bytes(raw.data, policy=email.policy.default)
        if not raw.data.strip():
            raise ValueError("empty or unreadable message")
    except Exception as parse_error:
        error = f"unreadable: {type(parse_error).__name__}: {parse_error}"
    message_id = message_id_of(raw, message if not error else None)
    logger.info("Inbound message %s from %s", message_id, raw.source)
    if InboundMessage.objects.filter(message_id=message_id).exists():
        return None
    subject = ""
    if message is not None and not error:
        try:
            subject = _subject(message)[:250]
        except Exception:
            subject = ""
    row = InboundMessage(message_id=message_id, source=raw.source[:300], subject=subject)
    try:
        with transaction.atomic():
            row.save(force_insert=True)  # the claim; a concurrent fetcher waits here, then fails
            if error:
                raise SetAside(error)
            try:
                with transaction.atomic():
                    _act(bus, message, message_id, row)
            except (SetAside, DomainError) as refused:
                raise SetAside(str(refused)) from refused
            except Exception as failure:
                raise SetAside(f"{type(failure).__name__}: {failure}") from failure
            row.save()
    except IntegrityError:
        return None
    except SetAside as reason:
        return _set_aside(row, str(reason))
    return row


def _set_aside(row: InboundMessage, reason: str) -> InboundMessage | None:
    row.pk = None
    row.status, row.error = InboundMessage.Status.SET_ASIDE, reason[:4000]
    row.issue_id = row.comment_id = None
    try:
        row.save(force_insert=True)
    except IntegrityError:
        return None
    logger.warning("Set aside inbound message %s: %s", row.message_id, reason)
    return row
