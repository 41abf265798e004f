"""Commands: what somebody asks the helpdesk to do. Logic-free data, named in the imperative.

Every command has exactly one handler (issues_service.handlers). `expected_version`, when
given, is the version of the issue the caller was looking at; a different current version
refuses the command (the HTTP adapter fills it from `If-Match`).
"""

import uuid
from dataclasses import dataclass, field

from issues_domain.attachments import Attachment
from issues_domain.values import Actor


@dataclass(frozen=True, kw_only=True)
class Command:
    # Each event the command raises names it as its cause (the events' `causation_id`).
    command_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, kw_only=True)
class ReportIssue(Command):
    reporter_name: str
    reporter_email: str
    description: str
    # None or blank: the description's first line stands in.
    subject: str | None = None
    category: str | None = None
    priority: str | None = None
    # Metadata of files already in storage (written first, so no event names a missing file).
    attachments: tuple[Attachment, ...] = ()
    # Addresses copied on the issue from the start (an inbound mail's Cc).
    watchers: tuple[str, ...] = ()
    # Chosen by the caller so that it knows the new issue's id without asking again.
    issue_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, kw_only=True)
class TriageIssue(Command):
    issue_id: uuid.UUID
    category: str
    priority: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class AssignIssue(Command):
    issue_id: uuid.UUID
    assignee: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class PickIssue(Command):
    issue_id: uuid.UUID
    engineer: str
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class CommentOnIssue(Command):
    issue_id: uuid.UUID
    author: Actor
    body: str
    visibility: str = "public"
    attachments: tuple[Attachment, ...] = ()
    expected_version: int | None = None
    comment_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, kw_only=True)
class MarkIssueAsResolved(Command):
    issue_id: uuid.UUID
    resolution: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReopenIssue(Command):
    issue_id: uuid.UUID
    reason: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class CloseIssue(Command):
    issue_id: uuid.UUID
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class AddWatcher(Command):
    issue_id: uuid.UUID
    email: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class RemoveWatcher(Command):
    issue_id: uuid.UUID
    email: str
    actor: Actor
    expected_version: int | None = None
