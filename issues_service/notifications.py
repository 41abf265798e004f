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


__all__ = ["Notification", "Notifications", "Recipient", "RecipientRole"]


class Notifications(abc.ABC):
    @abc.abstractmethod
    def send(self, notification: Notification) -> None:
        """Send it, once per (handler, event_id); raise if it could not be sent now."""

    @abc.abstractmethod
    def told_about(self, handler: str, issue_id: uuid.UUID) -> set[uuid.UUID]:
        """The events that this handler's mail about the issue has told of so far."""
