"""The notifications adapter: renders templates/email/ and sends through Django's email backend.

Each mail is keyed by (handler, event_id) in `SentMail`, and its Message-ID is derived from
the event: `<event-uuid.role@domain>`, so mail clients thread and deduplicate it and our own
inbound reader recognises a reply. The issue's reference goes in the subject, and every mail
about an issue points to `<issue-uuid@domain>` in References, so one issue is one thread.

The crash window, and what we chose: the relay runs this outside any transaction (its
delivery row says `sending` meanwhile, so no other worker sends the same mail), so no database
lock waits on the mail server. The mail is sent, then recorded in `SentMail`; a redelivery
finds it there and sends nothing. If the process dies after the mail server accepted the mail
but before the record, the redelivery sends it again - with the same Message-ID, which clients
collapse into one. We prefer that (at least once, deduplicated by the receiver) to losing a
mail that carries the reporter's only tracking link. The window is one SMTP reply plus one
INSERT, and a dead worker's mail is sent again only once its lease has run out
(HELPDESK_RELAY_LEASE_SECONDS; README, "Mail goes out at least once").
"""

import hashlib
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from email.utils import formataddr
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.core.mail import get_connection as get_mail_connection
from django.db import connection
from django.db.models import Value
from django.db.models.functions import Upper
from django.db.models.lookups import Exact
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.encoding import punycode

from issues_adapters import languages
from issues_adapters.accounts.languages import language_of_staff
from issues_adapters.accounts.preferences import unsubscribe_token
from issues_adapters.eventing.models import SentMail
from issues_adapters.persistence.models import IssueRecord
from issues_adapters.persistence.plain_statements import insert_new
from issues_adapters.reports.ratings import signed
from issues_adapters.sla.display import flagged_deadline
from issues_domain.values import SATISFACTION_SCORES
from issues_service.notifications import (
    Notification,
    Notifications,
    Recipient,
    RecipientRole,
    StaffMail,
)

logger = logging.getLogger(__name__)


def mail_domain() -> str:
    configured = settings.HELPDESK_MAIL_DOMAIN
    if configured:
        return configured
    sender = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return sender.rsplit("@", 1)[-1] or "helpdesk.invalid"


def message_id_for(event_id: uuid.UUID, role: str) -> str:
    return f"<{event_id}.{role}@{mail_domain()}>"


def thread_id_for(issue_id: uuid.UUID) -> str:
    return f"<{issue_id}@{mail_domain()}>"


_TOKEN = "~token~"
_ISSUE_ID = uuid.UUID(int=0)


@lru_cache(maxsize=8)
def _path_template(name: str, placeholder, fallback: str, urlconf) -> str:
    try:
        return reverse(name, args=[placeholder])
    except NoReverseMatch:
        # The page's URL is not wired (a test's own urlconf); this is the path CONTRACT.md promises.
        return fallback


def _page_url(name: str, placeholder, fallback: str, value) -> str:
    """`reverse` once per urlconf and script prefix rather than for every mail."""
    template = _path_template(
        name, placeholder, fallback, (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    )
    return settings.HELPDESK_BASE_URL.rstrip("/") + template.replace(str(placeholder), str(value))


def tracking_url(token: str) -> str:
    return _page_url("track_issue", _TOKEN, f"/track/{_TOKEN}/", token)


def rating_urls(token: str) -> list[tuple[int, str]]:
    """The resolution mail's "How did we do?" links, one a score, each signed."""
    return [
        (score, _page_url("rate_link", _TOKEN, f"/rate/{_TOKEN}/", signed(token, score)))
        for score in SATISFACTION_SCORES
    ]


def watcher_url(issue_id: uuid.UUID, email: str) -> str:
    from issues_adapters.web.watcher_links import token_for

    return _page_url("watch_issue", _TOKEN, f"/watch/{_TOKEN}/", token_for(issue_id, email))


def staff_url(issue_id: uuid.UUID) -> str:
    return _page_url("staff_issue", _ISSUE_ID, f"/staff/issues/{_ISSUE_ID}/", issue_id)


def unsubscribe_url(username: str, mail: StaffMail) -> str:
    token = unsubscribe_token(username, mail)
    return _page_url("unsubscribe", _TOKEN, f"/unsubscribe/{_TOKEN}/", token)


def _message_role(recipient: Recipient) -> str:
    """The Message-ID's role part: a staff member who chose a mail gets one of their own."""
    if recipient.role == RecipientRole.STAFF:
        return f"staff-{hashlib.sha256(recipient.username.encode()).hexdigest()[:16]}"
    return recipient.role.value


class UnknownIssue(Exception):
    pass


class _SharedMailConnection:
    """One connection to the mail server for the mail sent within `one_mail_connection()`:
    opened at the first mail, closed at the end, dropped (and opened again at the next mail)
    after a mail the server refused, since the conversation may be broken."""

    def __init__(self):
        self.backend = get_mail_connection()
        self.opened = False

    def send(self, email: EmailMultiAlternatives) -> None:
        if not self.opened:
            self.backend.open()
            self.opened = True
        email.connection = self.backend
        try:
            email.send()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.opened:
            self.opened = False
            try:
                self.backend.close()
            except Exception:
                logger.warning("Closing the connection to the mail server failed", exc_info=True)


_shared_connection: ContextVar[_SharedMailConnection | None] = ContextVar(
    "shared_mail_connection", default=None
)


@contextmanager
def one_mail_connection() -> Iterator[None]:
    """Mail sent within the block shares one connection to the mail server rather than
    opening one each (an SMTP connection with TLS costs more than the mail sent over it)."""
    shared = _SharedMailConnection()
    token = _shared_connection.set(shared)
    try:
        yield
    finally:
        _shared_connection.reset(token)
        shared.close()


class DjangoEmailNotifications(Notifications):
    def send(self, notification: Notification) -> None:
        # Recorded only once sent, and outside any transaction (see the module's docstring).
        sent_already, issue = _sent_already_and_issue_facts(notification)
        if sent_already:
            return
        if issue is None:
            raise UnknownIssue(notification.issue_id)
        addresses = self._addresses(notification.to, issue)
        address = ", ".join(addresses)
        if not addresses:
            logger.info("No address for %s; %s not sent", notification.to, notification.template)
            return
        unsubscribe = (
            unsubscribe_url(notification.to.username, notification.unsubscribe)
            if notification.unsubscribe and notification.to.username
            else ""
        )
        # A watcher's mail links to their own page, never to the reporter's.
        page_url = (
            watcher_url(notification.issue_id, notification.to.email)
            if notification.to.role == RecipientRole.WATCHER
            else tracking_url(issue["tracking_token"])
        )
        context = {
            **notification.context,
            **_carried_and_linked(notification.context.get("attachments", ()), page_url),
            "reference": issue["reference"],
            "subject": issue["subject"],
            "tracking_url": page_url,
            "staff_url": staff_url(notification.issue_id),
            "recipient": notification.to,
            "unsubscribe_url": unsubscribe,
        }
        if notification.template == "resolution":
            context["rating_urls"] = rating_urls(issue["tracking_token"])
        if notification.template == "sla_deadline":
            context |= _deadline(notification)
        with translation.override(_language_for(notification.to, issue)):
            subject, text, html = (
                render_to_string(f"email/{notification.template}.{part}", context)
                for part in ("subject.txt", "txt", "html")
            )
        subject = " ".join(subject.split())
        message_id = message_id_for(notification.event_id, _message_role(notification.to))
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=addresses,
            headers={
                "Message-ID": message_id,
                "References": thread_id_for(notification.issue_id),
                "In-Reply-To": thread_id_for(notification.issue_id),
                "Auto-Submitted": "auto-generated",
            },
        )
        if notification.correlation_id:
            email.extra_headers["X-Correlation-ID"] = notification.correlation_id
        if unsubscribe:  # one click, no login (RFC 8058)
            email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        for attachment in context.get("attached", ()):
            email.attach(attachment["filename"], attachment["data"], attachment["content_type"])
        email.attach_alternative(html, "text/html")
        shared = _shared_connection.get()
        if shared is not None:
            shared.send(email)
        else:
            email.send()
        _record_sent(
            handler=notification.handler,
            event_id=notification.event_id,
            issue_id=notification.issue_id,
            message_id=message_id,
            recipient=address[:254],
            subject=subject[:250],
            tells_of=[str(event_id) for event_id in notification.tells_of],
        )

    def told_about(self, handler: str, issue_id: uuid.UUID) -> set[uuid.UUID]:
        told = set()
        for event_id, tells_of in SentMail.objects.filter(
            handler=handler, issue_id=issue_id
        ).values_list("event_id", "tells_of"):
            told.add(event_id)
            told.update(uuid.UUID(other) for other in tells_of)
        return told

    def _addresses(self, recipient: Recipient, issue: dict) -> list[str]:
        if recipient.role == RecipientRole.CATEGORY_STAFF:
            return [_mailbox("", email) for email in category_staff_addresses(recipient.name)]
        address = self._address(recipient, issue)
        return [address] if address else []

    def _address(self, recipient: Recipient, issue: dict) -> str:
        if recipient.username:
            user = (
                get_user_model()
                .objects.filter(username=recipient.username, is_active=True)
                .values("email", "first_name", "last_name")
                .first()
            )
            if not user or not user["email"]:
                return ""
            name = f"{user['first_name']} {user['last_name']}".strip()
            return _mailbox(name, user["email"])
        if recipient.role == RecipientRole.WATCHER:
            return _mailbox("", recipient.email)
        return _mailbox(recipient.name or issue["reporter_name"], recipient.email)


def _mailbox(name: str, email: str) -> str:
    """`Name <email>` with a Unicode domain in punycode, as Django's mail sends it:
    formataddr refuses an address outside ASCII, and the domain accepts Unicode domains. (Not
    Django's sanitize_address: it folds a long encoded name over lines, which a header refuses.)
    """
    local, _, domain = email.rpartition("@")
    address = f"{local}@{punycode(domain)}"
    return formataddr((name, address)) if name else address


def category_group(category: str) -> str:
    """The Django group whose staff hear about SLA deadlines of unassigned issues in a category
    (`sla-triage`: of issues with no category yet)."""
    return f"sla-{category}" if category else "sla-triage"


def category_staff_addresses(category: str) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(
            groups__name=category_group(category), is_active=True, is_staff=True, email__gt=""
        )
        .order_by("username")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(users))


def category_staff_language(category: str) -> str:
    """The language of one mail to a category's staff: the one they all chose, else the
    site's."""
    usernames = (
        get_user_model()
        .objects.filter(
            groups__name=category_group(category), is_active=True, is_staff=True, email__gt=""
        )
        .values_list("username", flat=True)
    )
    chosen = {language_of_staff(username) or settings.LANGUAGE_CODE for username in usernames}
    return chosen.pop() if len(chosen) == 1 else settings.LANGUAGE_CODE


_ISSUE_FACTS = ("reference", "tracking_token", "reporter_name", "language", "subject")


def _language_for(recipient: Recipient, issue: dict) -> str:
    """Staff read their chosen language; the reporter theirs; a watcher who reported an issue
    (as the reporter of a duplicate merged into this one does) the language of their latest
    report, any other watcher the reporter's."""
    if recipient.username:
        return language_of_staff(recipient.username) or settings.LANGUAGE_CODE
    if recipient.role == RecipientRole.CATEGORY_STAFF:
        return category_staff_language(recipient.name)
    if recipient.role == RecipientRole.WATCHER:
        return languages.spoken(language_reported_in(recipient.email) or issue["language"])
    return languages.spoken(issue["language"])


def language_reported_in(email: str) -> str | None:
    """The language of the latest issue this address reported, if it reported any."""
    return (
        IssueRecord.objects.filter(Exact(Upper("reporter_email"), Upper(Value(email))))
        .order_by("-reported_at")
        .values_list("language", flat=True)
        .first()
    )


def _deadline(notification: Notification) -> dict:
    """The deadline an SLA mail names: the clock's due time (the warning's event holds the
    moment of the warning), in the policy's calendar's time zone."""
    found = flagged_deadline(
        notification.issue_id, notification.event_id, notification.context["goal"]
    )
    return {"due_at": found.due_at or notification.context["due_at"], "time_zone": found.time_zone}


def _carried_and_linked(attachments, page_url: str) -> dict:
    """The message's files in the mail up to HELPDESK_MAIL_ATTACHMENTS_MAX_BYTES in all; the
    rest as links to the reporter's own page for them."""
    from issues_adapters.attachments.storage import attachment_storage

    room = settings.HELPDESK_MAIL_ATTACHMENTS_MAX_BYTES
    attached, linked = [], []
    for attachment in attachments:
        if attachment["size"] <= room:
            try:
                with attachment_storage().open(attachment["id"], "rb") as handle:
                    data = handle.read()
            except OSError:
                data = None
            if data is not None:
                room -= len(data)
                attached.append(attachment | {"data": data})
                continue
        url = page_url + f"attachments/{attachment['id']}/"
        linked.append(attachment | {"url": url})
    return {"attached": attached, "linked": linked}


def _sent_already_and_issue_facts(notification: Notification) -> tuple[bool, dict | None]:
    """Whether this mail went already, and what every mail about the issue needs: one plain
    statement, as this runs for every mail (on PostgreSQL, each round trip counts)."""
    quote = connection.ops.quote_name
    key = IssueRecord._meta.pk
    event_field = SentMail._meta.get_field("event_id")
    facts = ", ".join(f"issue.{quote(name)}" for name in _ISSUE_FACTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT 1 FROM {quote(SentMail._meta.db_table)} "
            f"WHERE {quote('handler')} = %s AND {quote(event_field.column)} = %s), "
            f"issue.{quote(key.column)}, {facts} "
            f"FROM (SELECT 1) AS one LEFT JOIN {quote(IssueRecord._meta.db_table)} AS issue "
            f"ON issue.{quote(key.column)} = %s",
            [
                notification.handler,
                event_field.get_db_prep_value(notification.event_id, connection),
                key.get_db_prep_value(notification.issue_id, connection),
            ],
        )
        sent, found, *values = cursor.fetchone()
    issue = dict(zip(_ISSUE_FACTS, values, strict=True)) if found is not None else None
    return sent is not None, issue


def _record_sent(**values) -> None:
    """Record the mail as sent (one statement; a row already there is left as it is)."""
    now = timezone.now()
    insert_new(SentMail, [values | {"claimed_at": now, "sent_at": now}])
