"""Ports: what the domain needs from the world, as abstractions. Adapters implement them."""

import abc
import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from issues_domain.events import IssueCommented, IssueResolved
    from issues_domain.issue import Issue


class IssueLog(abc.ABC):
    """Where issues live."""

    @abc.abstractmethod
    def add(self, issue: "Issue") -> None: ...

    @abc.abstractmethod
    def get(self, issue_id: uuid.UUID) -> "Issue":
        """The issue, or IssueNotFound."""

    def get_without_timeline(self, issue_id: uuid.UUID) -> "Issue":
        """The issue's state without its comments, attachments and watchers, for a command
        that reads and changes none of them (the SLA flags); or IssueNotFound.

        An adapter may load it cheaper than `get`; this one loads it whole."""
        return self.get(issue_id)

    @abc.abstractmethod
    def find(self, id_or_reference: str) -> "Issue":
        """The issue with this id (as text) or reference (e.g. HD-1042), or IssueNotFound."""

    def get_pair(self, issue_id: uuid.UUID, other: str) -> tuple["Issue", "Issue"]:
        """The issue and the other (by id or reference), for a command that changes both.

        An adapter that locks rows takes both locks in one fixed order, so that two commands
        on the same pair, started from either end, never wait on each other."""
        return self.get(issue_id), self.find(other)

    @abc.abstractmethod
    def next_reference(self) -> str:
        """A short, unique, human-readable reference for a new issue, like HD-1042."""


class StaffDirectory(abc.ABC):
    """Who may be given an issue."""

    @abc.abstractmethod
    def is_active_staff(self, username: str) -> bool: ...


class CategoryCatalogue(abc.ABC):
    """The categories that admins keep."""

    @abc.abstractmethod
    def is_known(self, category: str) -> bool: ...


class IssueHistory(abc.ABC):
    """The events recorded about an issue, as they were recorded."""

    @abc.abstractmethod
    def comments_on(self, issue_id: uuid.UUID) -> list["IssueCommented"]:
        """Every comment on the issue so far, notes included, oldest first."""

    @abc.abstractmethod
    def resolutions_of(self, issue_id: uuid.UUID) -> list["IssueResolved"]:
        """Every time the issue was resolved so far, oldest first."""
