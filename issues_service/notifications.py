"""The notifications port: what the event handlers need to tell people about an issue.

A `Notification` says which mail, to whom and about what; the adapter renders it, finds the
addresses (a staff member's from the user table, by username) and sends it. The pair
(`handler`, `event_id`) names the mail: the adapter sends it at most once per pair and derives
the Message-ID from the event, so a redelivered event never mails twice. A mail that tells of
several events (a digest of reporter comments) is named after the first and lists them all in
`tells_of`; `told_about` answers which events a handler's mail about an issue told of so far.
"""

import abc
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from issues_domain.audience import Recipient, RecipientRole


@dataclass(frozen=True)
class Notification:
    handler: str
    event_id: uuid.UUID
    issue_id: uuid.UUID
    template: str
    to: Recipient
    context: dict = field(default_factory=dict)
    # The request or inbound mail that caused the event; the mail says it in X-Correlation-ID.
    correlation_id: str | None = None
    # Every event the mail tells of, when more than its own (a digest).
    tells_of: tuple[uuid.UUID, ...] = ()
    # The kind of staff mail it is, which its recipient may turn off with one click.
    unsubscribe: "StaffMail | None" = None


class StaffMail(StrEnum):
    """The mail a staff member chooses to get, or not, at /staff/settings/."""

    NEW_ISSUE = "new_issue"
    ASSIGNMENT = "assignment"
    REPORTER_REPLY = "reporter_reply"
    REOPEN = "reopen"


class StaffPreferences(abc.ABC):
    """Who among staff wants which mail."""

    @abc.abstractmethod
    def wants(self, username: str, mail: StaffMail) -> bool: ...

    @abc.abstractmethod
    def new_issue_subscribers(self, category: str | None) -> list[str]:
        """The usernames of staff who want a mail on each new issue of this category."""


class DefaultPreferences(StaffPreferences):
    """What nobody has chosen: the assignee's mails on, no mail on new issues."""

    def wants(self, username: str, mail: StaffMail) -> bool:
        return mail != StaffMail.NEW_ISSUE

    def new_issue_subscribers(self, category: str | None) -> list[str]:
        return []


__all__ = [
    "DefaultPreferences",
    "Notification",
    "Notifications",
    "Recipient",
    "RecipientRole",
    "StaffMail",
    "StaffPreferences",
]


class Notifications(abc.ABC):
    @abc.abstractmethod
    def send(self, notification: Notification) -> None:
        """Send it, once per (handler, event_id); raise if it could not be sent now."""

    @abc.abstractmethod
    def told_about(self, handler: str, issue_id: uuid.UUID) -> set[uuid.UUID]:
        """The events that this handler's mail about the issue has told of so far."""
