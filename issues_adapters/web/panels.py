"""What the issue page's tags, links and merge panels and its canned-reply picker show."""

from issues_adapters.canned_replies import store
from issues_domain.canned_replies import PlaceholderValues
from issues_domain.lifecycle import Action, allowed_actions
from issues_service.queries import IssueDetail

ACTIONS = ("tags", "link", "unlink", "merge")
_TYPED = ("add", "other", "into")


def typed_tags(text: str) -> tuple[str, ...]:
    """Tags as typed, separated by commas: a space inside one is the domain's to refuse."""
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def panels(request, issue: IssueDetail, refused: dict | None, replies: list) -> dict:
    """What the issue page's tags, links and merge panels and the canned-reply picker show."""
    kept = refused if refused and refused["action"] in ACTIONS else None
    values = PlaceholderValues.of(
        reporter_name=issue.reporter_name,
        reference=issue.reference,
        description=issue.description,
        agent_name=request.user.get_full_name() or request.user.get_username(),
        subject=getattr(issue, "subject", None),
    )
    allowed = allowed_actions(issue.status, issue.assignee)
    return {
        "organising": {
            "can_tag": Action.TAG in allowed,
            "can_merge": Action.MERGE in allowed,
            "action": kept["action"] if kept else "",
            "typed": {name: kept["data"].get(name, "") for name in _TYPED} if kept else {},
            "errors": [m for found in kept["errors"].values() for m in found] if kept else [],
        },
        "canned_replies": store.filled_for(values, replies),
    }
