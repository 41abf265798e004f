"""The notifications port: what the event handlers need to tell people about an issue.

A `Notification` says which mail, to whom and about what; the adapter renders it, finds the
addresses (a staff member's from the user table, by username) and sends it. The pair
(`handler`, `event_id`) names the mail: the adapter sends it at most once per pair and derives
the Message-ID from the event, so a redelivered event never mails twice.
"""

import abc
import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class RecipientRole(StrEnum):
    REPORTER = "reporter"
    ASSIGNEE = "assignee"


@dataclass(frozen=True)
class Recipient:
    """The reporter by address, or a staff member by username (their address is looked up)."""

    role: RecipientRole
    email: str = ""
    name: str = ""
    username: str = ""

    @classmethod
    def reporter(cls, email: str, name: str = "") -> "Recipient":
        return cls(RecipientRole.REPORTER, email=email, name=name)

    @classmethod
    def staff(cls, username: str) -> "Recipient":
        return cls(RecipientRole.ASSIGNEE, username=username)


@dataclass(frozen=True)
class Notification:
    handler: str
    event_id: uuid.UUID
    issue_id: uuid.UUID
    template: str
    to: Recipient
    context: dict = field(default_factory=dict)


class Notifications(abc.ABC):
    @abc.abstractmethod
    def send(self, notification: Notification) -> None:
        """Send it, once per (handler, event_id); raise if it could not be sent now."""
