"""Events: facts about an issue, named in the past tense. Immutable once recorded.

Every event carries the issue's version and status after the change, who acted, and when.
Events that lead to mail carry the recipients' addresses as they were at that moment, so a
later change (a new assignee, say) never redirects an earlier notification.

`correlation_id` (the request or inbound mail that started it all) and `causation_id` (the
command, or the event a process reacted to) are filled in when the event is recorded.
`schema_version` is the shape of the event's own data: a change to an event class raises it,
and an upcaster (issues_adapters.persistence.event_codec) reads every older shape into the
current class.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from issues_domain.attachments import Attachment
from issues_domain.values import Actor, IssueStatus, LinkKind, Priority, Visibility


@dataclass(frozen=True, kw_only=True)
class Event:
    event_id: uuid.UUID
    issue_id: uuid.UUID
    version: int
    occurred_at: datetime
    actor: Actor
    status: IssueStatus | None = None
    correlation_id: str | None = None
    causation_id: str | None = None

    schema_version: ClassVar[int] = 1


@dataclass(frozen=True, kw_only=True)
class IssueReported(Event):
    # 2: the reporter's language ("en" for the issues reported before it was kept).
    # 3: the issue's one-line subject, the files that came with the report, its watchers.
    schema_version: ClassVar[int] = 3

    reference: str
    reporter_name: str
    reporter_email: str
    description: str
    category: str | None
    priority: Priority | None
    language: str
    subject: str
    attachments: tuple[Attachment, ...]
    # Copied on the issue from the start (an inbound mail's Cc).
    watchers: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class IssueTriaged(Event):
    # 2: the status moved from the event's data to every event's envelope.
    schema_version: ClassVar[int] = 2

    category: str
    priority: Priority


@dataclass(frozen=True, kw_only=True)
class IssueAssigned(Event):
    """Somebody assigned the issue to a staff member who had nobody's issue before."""

    assignee: str


@dataclass(frozen=True, kw_only=True)
class IssueReassigned(Event):
    """The issue moved from one assignee to another."""

    assignee: str
    previous_assignee: str


@dataclass(frozen=True, kw_only=True)
class IssuePicked(Event):
    """A staff member took the issue for themselves."""

    engineer: str


@dataclass(frozen=True, kw_only=True)
class IssueCommented(Event):
    # 2: the files that came with the comment (they take its visibility).
    schema_version: ClassVar[int] = 2

    comment_id: uuid.UUID
    body: str
    visibility: Visibility
    reporter_email: str
    assignee: str | None
    attachments: tuple[Attachment, ...]
    watchers: tuple[str, ...]  # as they were: who hears of a public comment


@dataclass(frozen=True, kw_only=True)
class IssueResolved(Event):
    # 2: the watchers as they were, who hear of the resolution too.
    # 3: the files sent with the resolution (public), named by the message's id.
    schema_version: ClassVar[int] = 3

    resolution: str
    reporter_email: str
    watchers: tuple[str, ...]
    message_id: uuid.UUID | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, kw_only=True)
class IssueReopened(Event):
    # 2: the status moved from the event's data to every event's envelope.
    schema_version: ClassVar[int] = 2

    reason: str
    assignee: str | None


@dataclass(frozen=True, kw_only=True)
class IssueClosed(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class IssueAwaitingReporter(Event):
    """Staff asked the reporter something (the public comment) and wait for the answer."""

    # 2: the question's files (public, like it), and the watchers as they were.
    schema_version: ClassVar[int] = 2

    comment_id: uuid.UUID
    comment: str
    reporter_email: str
    attachments: tuple[Attachment, ...]
    watchers: tuple[str, ...]  # as they were: who is copied on the question


@dataclass(frozen=True, kw_only=True)
class IssueTagged(Event):
    """Tags were added to or removed from the issue; `tags` is every tag it has now."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class IssueMerged(Event):
    """The issue was a duplicate: closed, and its conversation continues on `into`."""

    # 2: the duplicate's watchers as they were, and the target's resolution if it was
    # resolved: who is told of the merge, and what they are told.
    schema_version: ClassVar[int] = 2

    into: uuid.UUID
    into_reference: str
    reporter_email: str
    watchers: tuple[str, ...] = ()
    into_resolution: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReporterAnswered(Event):
    """The reporter commented on an issue waiting for them: it went back to `returned_to`."""

    returned_to: IssueStatus


@dataclass(frozen=True, kw_only=True)
class DuplicateMergedIn(Event):
    """A duplicate was merged into this issue. Its reporter (named here) follows this one."""

    duplicate_id: uuid.UUID
    duplicate_reference: str
    reporter_name: str
    reporter_email: str


@dataclass(frozen=True, kw_only=True)
class IssuesLinked(Event):
    """This issue and `other` were linked; the other issue records the same, the other way."""

    other_id: uuid.UUID
    other_reference: str
    kind: LinkKind


@dataclass(frozen=True, kw_only=True)
class IssuesUnlinked(Event):
    other_id: uuid.UUID
    other_reference: str


@dataclass(frozen=True, kw_only=True)
class SlaTargeted(Event):
    """The SLA policy that applies to the issue, with its targets and calendar as they were
    then: a policy changed or deleted later leaves the issue's targets as recorded here."""

    policy: str
    first_response_seconds: int
    resolution_seconds: int
    calendar: dict


@dataclass(frozen=True, kw_only=True)
class SlaWarned(Event):
    """Most of a target's time is spent (HELPDESK_SLA_WARNING_RATIO); `deadline` names it."""

    goal: str
    deadline: str
    due_at: datetime
    assignee: str | None
    category: str | None
    reference: str


@dataclass(frozen=True, kw_only=True)
class SlaBreached(Event):
    """A target was missed; `deadline` names it."""

    goal: str
    deadline: str
    due_at: datetime
    assignee: str | None
    category: str | None
    reference: str


@dataclass(frozen=True, kw_only=True)
class SatisfactionRated(Event):
    """The reporter rated how the issue was handled; a later rating replaces this one, a
    reopen forgets it (one rating per resolution)."""

    score: int
    comment: str


@dataclass(frozen=True, kw_only=True)
class WatcherAdded(Event):
    # 2: `merged_from`, the duplicate whose follower a merge copied (its mail tells them).
    schema_version: ClassVar[int] = 2

    email: str
    merged_from: uuid.UUID | None = None


@dataclass(frozen=True, kw_only=True)
class WatcherRemoved(Event):
    email: str


ALL_EVENTS: tuple[type[Event], ...] = (
    IssueReported,
    IssueTriaged,
    IssueAssigned,
    IssueReassigned,
    IssuePicked,
    IssueCommented,
    IssueResolved,
    IssueReopened,
    IssueClosed,
    IssueAwaitingReporter,
    ReporterAnswered,
    IssueTagged,
    IssueMerged,
    DuplicateMergedIn,
    IssuesLinked,
    IssuesUnlinked,
    SlaTargeted,
    SlaWarned,
    SlaBreached,
    SatisfactionRated,
    WatcherAdded,
    WatcherRemoved,
)

# What the SLA timers record about an issue: a note on its clocks, not a change to the issue.
# They leave its `updated_at` (when someone last changed it) as it was, so a flag neither
# brings a neglected issue up in "recently updated" nor makes it look touched.
DEADLINE_FLAGS: tuple[type[Event], ...] = (SlaWarned, SlaBreached)
