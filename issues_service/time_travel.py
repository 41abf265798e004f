"""An issue as it was at a moment: its recorded events up to then, folded into the same view
the read side answers for the issue now (IssueDetail). Each event's envelope says the status
after it; its data says what else it changed."""

import uuid
from datetime import datetime

from issues_service.queries import CommentView, IssueDetail, RecordedEventView

_ASSIGNEE_OF = {
    "IssueAssigned": "assignee",
    "IssueReassigned": "assignee",
    "IssuePicked": "engineer",
    "IssueReopened": "assignee",
}


def as_it_was(
    issue_id: uuid.UUID, history: list[RecordedEventView], moment: datetime
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
        "description": data.get("description", ""),
        "category": data.get("category"),
        "priority": data.get("priority"),
        "assignee": None,
        "resolution": None,
        "status": first.status or "reported",
    }
    comments = []
    for event in taken[1:]:
        data = event.data
        if event.status:
            state["status"] = event.status
        if event.event_type == "IssueTriaged":
            state["category"], state["priority"] = data.get("category"), data.get("priority")
        if event.event_type in _ASSIGNEE_OF:
            state["assignee"] = data.get(_ASSIGNEE_OF[event.event_type])
        if event.event_type == "IssueResolved":
            state["resolution"] = data.get("resolution")
        elif event.event_type == "IssueReopened":
            state["resolution"] = None
        elif event.event_type == "IssueCommented":
            comments.append(
                CommentView(
                    id=uuid.UUID(str(data.get("comment_id"))),
                    author_name=event.actor_name,
                    author_role=event.actor_role,
                    body=data.get("body", ""),
                    visibility=data.get("visibility", "public"),
                    created_at=event.occurred_at,
                )
            )
    return IssueDetail(
        id=issue_id,
        version=taken[-1].version,
        reported_at=first.occurred_at,
        updated_at=taken[-1].occurred_at,
        comments=comments,
        **state,
    )
