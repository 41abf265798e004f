"""An issue as it was at a moment: its recorded events up to then, folded into the same view
the read side answers for the issue now (IssueDetail). Each event's envelope says the status
after it; its data says what else it changed.

A linked issue's status is the one it had at that moment too, when the caller gives
`history_of` (another issue's events); without it, a link's status is left empty.
"""

import uuid
from collections.abc import Callable
from datetime import datetime

from issues_domain.events import DEADLINE_FLAGS
from issues_service.queries import CommentView, IssueDetail, LinkView, RecordedEventView

_ASSIGNEE_OF = {
    "IssueAssigned": "assignee",
    "IssueReassigned": "assignee",
    "IssuePicked": "engineer",
    "IssueReopened": "assignee",
}

# Events that leave the issue's updated_at as it was (issues_domain.events.DEADLINE_FLAGS).
_FLAGS = {event_type.__name__ for event_type in DEADLINE_FLAGS}

HistoryOf = Callable[[uuid.UUID], list[RecordedEventView]]


def as_it_was(
    issue_id: uuid.UUID,
    history: list[RecordedEventView],
    moment: datetime,
    history_of: HistoryOf | None = None,
) -> IssueDetail | None:
    """None if the issue had not been reported by then."""
    taken = sorted((e for e in history if e.occurred_at <= moment), key=lambda e: e.version)
    if not taken or taken[0].event_type != "IssueReported":
        return None
    first, data = taken[0], taken[0].data
    state = {
        "reference": data.get("reference", ""),
        "reporter_name": data.get("reporter_name", ""),
        "reporter_email": data.get("reporter_email", ""),
        "subject": data.get("subject", ""),
        "description": data.get("description", ""),
        "category": data.get("category"),
        "priority": data.get("priority"),
        "language": data.get("language") or "en",  # schema 1 reports had none: English
        "assignee": None,
        "resolution": None,
        "status": first.status or "reported",
        "merged_into": None,
        "merged_into_reference": None,
    }
    comments: list[CommentView] = []
    tags: tuple[str, ...] = ()
    watchers: list[str] = list(data.get("watchers") or ())
    links: dict[uuid.UUID, tuple[str, str]] = {}  # other issue -> (reference, kind)
    for event in taken[1:]:
        data, kind = event.data, event.event_type
        if event.status:
            state["status"] = event.status
        if kind == "IssueTriaged":
            state["category"], state["priority"] = data.get("category"), data.get("priority")
        if kind in _ASSIGNEE_OF:
            state["assignee"] = data.get(_ASSIGNEE_OF[kind])
        if kind == "IssueResolved":
            state["resolution"] = data.get("resolution")
        elif kind == "IssueReopened":
            state["resolution"] = None
        elif kind == "IssueCommented":
            comments.append(_comment(event, data.get("body", ""), data.get("visibility")))
        elif kind == "IssueAwaitingReporter":  # the question is a public comment
            comments.append(_comment(event, data.get("comment", ""), "public"))
        elif kind == "ReporterAnswered":
            state["status"] = event.status or data.get("returned_to") or state["status"]
        elif kind == "IssueTagged":
            tags = tuple(data.get("tags") or ())
        elif kind == "IssueMerged":
            state["merged_into"] = uuid.UUID(str(data["into"]))
            state["merged_into_reference"] = data.get("into_reference")
        elif kind == "IssuesLinked":
            links[uuid.UUID(str(data["other_id"]))] = (
                data.get("other_reference", ""),
                data.get("kind", "related"),
            )
        elif kind == "IssuesUnlinked":
            links.pop(uuid.UUID(str(data["other_id"])), None)
        elif kind == "WatcherAdded":
            watchers.append(data.get("email", ""))
        elif kind == "WatcherRemoved":
            watchers = [w for w in watchers if w.casefold() != data.get("email", "").casefold()]
        # DuplicateMergedIn changes nothing shown here: the timeline lists it.
    return IssueDetail(
        id=issue_id,
        version=taken[-1].version,
        reported_at=first.occurred_at,
        updated_at=[e for e in taken if e.event_type not in _FLAGS][-1].occurred_at,
        comments=comments,
        tags=tags,
        watchers=watchers,
        links=[
            LinkView(
                issue_id=other,
                reference=reference,
                status=_status_at(other, moment, history_of),
                kind=link_kind,
            )
            for other, (reference, link_kind) in links.items()
        ],
        **state,
    )


def _comment(event: RecordedEventView, body: str, visibility: str | None) -> CommentView:
    return CommentView(
        id=uuid.UUID(str(event.data.get("comment_id"))),
        author_name=event.actor_name,
        author_role=event.actor_role,
        body=body,
        visibility=visibility or "public",
        created_at=event.occurred_at,
    )


def _status_at(issue_id: uuid.UUID, moment: datetime, history_of: HistoryOf | None) -> str:
    if history_of is None:
        return ""
    other = as_it_was(issue_id, history_of(issue_id), moment)
    return other.status if other else ""
