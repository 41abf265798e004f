"""The read side: what the pages and the API ask, and the plain data they get back.

Queries never go through the IssueLog or return domain objects; an adapter answers them from
tables built for reading.
"""

import abc
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from issues_domain.attachments import INLINE_IMAGE_TYPES

QUEUE_ORDERINGS = {
    "-reported_at": "newest first",
    "reported_at": "oldest first",
    "-updated_at": "recently updated",
    "updated_at": "longest untouched",
    "-priority": "most urgent first",
    "priority": "least urgent first",
    "reference": "reference",
    "-reference": "reference, highest first",
    "sla_due_at": "next SLA deadline first",
}
DEFAULT_ORDERING = "-reported_at"


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    category: str | None = None
    priority: str | None = None  # a priority, or "none" for issues without one
    assignee: str | None = None  # a username, or "none" for unassigned issues
    q: str | None = None
    tag: str | None = None
    sla: str | None = None  # "overdue" or "breaching_soon"
    ordering: str = DEFAULT_ORDERING
    cursor: str | None = None
    page_size: int = 25


@dataclass(frozen=True)
class IssueSummary:
    id: uuid.UUID
    reference: str
    status: str
    reporter_name: str
    reporter_email: str
    subject: str
    description: str
    category: str | None
    priority: str | None
    assignee: str | None
    version: int
    reported_at: datetime
    updated_at: datetime
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkView:
    issue_id: uuid.UUID
    reference: str
    status: str
    kind: str


@dataclass(frozen=True)
class CommentView:
    id: uuid.UUID
    author_name: str
    author_role: str
    body: str
    visibility: str
    created_at: datetime
    attachments: tuple = ()  # of AttachmentView


@dataclass(frozen=True)
class AttachmentView:
    id: uuid.UUID
    comment_id: uuid.UUID | None  # None: it came with the report
    filename: str
    content_type: str
    size: int
    sha256: str
    visibility: str

    @property
    def is_image(self) -> bool:
        return self.content_type in INLINE_IMAGE_TYPES


@dataclass(frozen=True)
class IssueDetail(IssueSummary):
    resolution: str | None = None
    comments: list[CommentView] = field(default_factory=list)
    language: str = "en"  # the reporter's
    links: list[LinkView] = field(default_factory=list)
    merged_into: uuid.UUID | None = None
    merged_into_reference: str | None = None
    # The SLA clocks: {"policy", "first_response": {...}, "resolution": {...}}, each clock's
    # "state", "due_at", "target_minutes", "spent_minutes"; None when no policy applies.
    sla: dict | None = None
    attachments: list[AttachmentView] = field(default_factory=list)
    watchers: list[str] = field(default_factory=list)

    def attachments_of(self, comment_id: uuid.UUID | None) -> list[AttachmentView]:
        return [a for a in self.attachments if a.comment_id == comment_id]


# A merge target may be merged in turn later on. The domain refuses a cycle; the read side
# follows at most this many merges all the same, so a bad row never loops a page.
MERGES_FOLLOWED = 10


def continuation(
    issue: IssueDetail, issue_by_id: Callable[[uuid.UUID], IssueDetail | None]
) -> list[IssueDetail]:
    """The issues a merged duplicate went on to, merge after merge, in that order: the last
    is the one it continues as now. Empty for an issue that was not merged."""
    chain, seen = [], {issue.id}
    while issue.merged_into is not None and len(chain) < MERGES_FOLLOWED:
        if issue.merged_into in seen:
            break
        following = issue_by_id(issue.merged_into)
        if following is None:
            break
        chain.append(following)
        seen.add(following.id)
        issue = following
    return chain


@dataclass(frozen=True)
class RecordedEventView:
    position: int
    event_id: uuid.UUID
    event_type: str
    version: int
    occurred_at: datetime
    actor_name: str
    actor_role: str
    data: dict
    status: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    schema_version: int = 1


@dataclass(frozen=True)
class QueuePage:
    issues: list[IssueSummary]
    next_cursor: str | None
    previous_cursor: str | None


class IssueQueries(abc.ABC):
    @abc.abstractmethod
    def queue(self, filters: QueueFilters) -> QueuePage: ...

    @abc.abstractmethod
    def issue(
        self, issue_id: uuid.UUID, *, with_comments: bool = True, with_sla: bool = True
    ) -> IssueDetail | None:
        """One issue; without its comments (left empty) for a page that shows its history,
        without its `sla` (None) for one that reads the clocks from that history."""

    @abc.abstractmethod
    def issue_by_tracking_token(self, token: str) -> IssueDetail | None:
        """The reporter's view: only public comments, never internal notes."""

    @abc.abstractmethod
    def history(self, issue_id: uuid.UUID) -> list[RecordedEventView]: ...

    @abc.abstractmethod
    def summaries(self, issue_ids: list[uuid.UUID]) -> list[IssueSummary]:
        """These issues (those that exist), in the order asked."""

    @abc.abstractmethod
    def watchers_of(self, issue_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
        """Each of these issues' watchers (issues nobody watches are left out)."""

    @abc.abstractmethod
    def matching(self, filters: QueueFilters, at_most: int) -> list[IssueSummary]:
        """Every issue the filters match, across pages, in their order: at most `at_most`."""

    @abc.abstractmethod
    def count_matching(self, filters: QueueFilters, at_most: int) -> int | None:
        """How many issues the filters match, counted up to `at_most` (then `at_most`); None
        where they are not counted, as counting them would cost more as the helpdesk grows."""

    @abc.abstractmethod
    def attachment(self, attachment_id: uuid.UUID) -> "StoredAttachment | None":
        """One attachment with the facts that decide who may open it."""


@dataclass(frozen=True)
class StoredAttachment(AttachmentView):
    issue_id: uuid.UUID | None = None
    tracking_token: str = ""
