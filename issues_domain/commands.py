"""Commands: what somebody asks the helpdesk to do. Logic-free data, named in the imperative.

Every command has exactly one handler (issues_service.handlers). `expected_version`, when
given, is the version of the issue the caller was looking at; a different current version
refuses the command (the HTTP adapter fills it from `If-Match`).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from issues_domain.attachments import Attachment
from issues_domain.values import Actor, FollowUp


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
    # The reporter's language tag (their browser's, their mail's); none: English.
    language: str | None = None
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
class AwaitReporter(Command):
    """Ask the reporter something (a public comment) and wait for their answer."""

    issue_id: uuid.UUID
    comment: str
    actor: Actor
    attachments: tuple[Attachment, ...] = ()
    expected_version: int | None = None
    comment_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, kw_only=True)
class ReplyToIssue(Command):
    """The issue page's composer: a reply or a note, and what follows it in the same change."""

    issue_id: uuid.UUID
    author: Actor
    body: str
    visibility: str = "public"
    follow_up: FollowUp = FollowUp.NONE
    attachments: tuple[Attachment, ...] = ()
    expected_version: int | None = None
    comment_id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, kw_only=True)
class TagIssue(Command):
    issue_id: uuid.UUID
    actor: Actor
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class MergeIssue(Command):
    """Merge the duplicate `issue_id` into `into` (the other issue's id or reference)."""

    issue_id: uuid.UUID
    into: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class LinkIssues(Command):
    issue_id: uuid.UUID
    other: str  # the other issue's id or reference
    actor: Actor
    kind: str = "related"
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class UnlinkIssues(Command):
    issue_id: uuid.UUID
    other: str
    actor: Actor
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class FlagSlaWarning(Command):
    """Sent by the SLA process manager when most of a target's time is spent."""

    issue_id: uuid.UUID
    goal: str
    deadline: str
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class FlagSlaBreach(Command):
    """Sent by the SLA process manager when a target is missed."""

    issue_id: uuid.UUID
    goal: str
    deadline: str
    due_at: datetime


@dataclass(frozen=True, kw_only=True)
class RateSatisfaction(Command):
    """The reporter's rating of a resolved issue: 1 (poor) to 5 (great), and a comment."""

    issue_id: uuid.UUID
    score: int | str | None
    comment: str = ""


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
