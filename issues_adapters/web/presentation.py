"""Turns read-side data into what the pages show: the timeline, labels, which forms to offer.

Which forms a page offers is presentation only: it mirrors the lifecycle table in
docs/lifecycle.md so that nobody is offered a button that cannot work, but the Issue aggregate
still decides, and a refused command is shown as such.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from issues_service.queries import AttachmentView, IssueSummary, RecordedEventView

OPEN_STATUSES = ("reported", "triaged", "assigned")

# status -> the staff actions offered on the issue page
STAFF_ACTIONS = {
    "reported": ("triage", "assign", "pick", "comment", "resolve"),
    "triaged": ("triage", "assign", "pick", "comment", "resolve"),
    "assigned": ("triage", "assign", "comment", "resolve"),
    "resolved": ("comment", "reopen", "close"),
    "closed": (),
}


def staff_actions(issue: IssueSummary) -> tuple[str, ...]:
    actions = STAFF_ACTIONS.get(issue.status, ())
    if issue.assignee:
        actions = tuple(a for a in actions if a != "pick")
    return actions


def reporter_can_comment(status: str) -> bool:
    return status != "closed"


def reporter_can_reopen(status: str) -> bool:
    return status == "resolved"


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # the event type, for styling
    title: str
    body: str
    actor: str
    actor_role: str
    at: datetime
    version: int
    internal: bool = False
    public_comment: bool = False
    attachments: tuple = ()  # of AttachmentView


def timeline(history: list[RecordedEventView], categories: dict[str, str]) -> list[TimelineEntry]:
    return [_entry(event, categories) for event in history]


def _entry(event: RecordedEventView, categories: dict[str, str]) -> TimelineEntry:
    data, kind = event.data, event.event_type
    body, internal, public_comment = "", False, False
    if kind == "IssueReported":
        title = "Reported"
        body = data.get("description", "")
    elif kind == "IssueTriaged":
        category = categories.get(data.get("category"), data.get("category"))
        title = f"Triaged: {category}, priority {data.get('priority')}"
    elif kind == "IssueAssigned":
        title = f"Assigned to {data.get('assignee')}"
    elif kind == "IssueReassigned":
        title = f"Reassigned from {data.get('previous_assignee')} to {data.get('assignee')}"
    elif kind == "IssuePicked":
        title = f"Picked by {data.get('engineer')}"
    elif kind == "IssueCommented":
        internal = data.get("visibility") == "internal"
        public_comment = not internal
        title = "Internal note (staff only)" if internal else "Public reply"
        if event.actor_role == "reporter":
            title = "Comment from the reporter"
        elif event.actor_role == "watcher":
            title = gettext("Comment from a watcher")
        body = data.get("body", "")
    elif kind == "IssueResolved":
        title = "Resolved"
        body = data.get("resolution", "")
    elif kind == "IssueReopened":
        title = f"Reopened (now {data.get('status')})"
        body = data.get("reason", "")
    elif kind == "IssueClosed":
        title = "Closed"
    elif kind == "WatcherAdded":
        title = gettext("Watcher added: %(email)s") % {"email": data.get("email")}
    elif kind == "WatcherRemoved":
        title = gettext("Watcher removed: %(email)s") % {"email": data.get("email")}
    else:
        title = kind
    visibility = "internal" if internal else "public"
    files = tuple(
        AttachmentView(
            id=uuid.UUID(str(item["id"])),
            comment_id=data.get("comment_id"),
            filename=item.get("filename", ""),
            content_type=item.get("content_type", ""),
            size=item.get("size", 0),
            sha256=item.get("sha256", ""),
            visibility=visibility,
        )
        for item in (data.get("attachments") or () if kind == "IssueCommented" else ())
    )
    return TimelineEntry(
        attachments=files,
        kind=kind,
        title=title,
        body=body,
        actor=event.actor_name,
        actor_role=event.actor_role,
        at=event.occurred_at,
        version=event.version,
        internal=internal,
        public_comment=public_comment,
    )
