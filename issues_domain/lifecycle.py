"""The lifecycle table: which commands each status allows, said once.

The Issue aggregate refuses what this table does not allow; pages, the API's views, the queue
counts and the bulk actions ask it (or `Issue.allowed_actions()`) instead of restating it.
"""

from enum import StrEnum

from issues_domain.values import IssueStatus


class Action(StrEnum):
    """A staff command on an existing issue, by the name pages and forms use for it."""

    TRIAGE = "triage"
    ASSIGN = "assign"
    PICK = "pick"
    COMMENT = "comment"
    AWAIT_REPORTER = "await_reporter"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    TAG = "tag"
    MERGE = "merge"
    LINK = "link"
    WATCH = "watch"  # add or remove a watcher


# Organising an issue: anything but closed may be tagged, merged or watched; links never hurt.
_ORGANISE = frozenset({Action.TAG, Action.MERGE, Action.LINK, Action.WATCH})
_WORK = frozenset({Action.TRIAGE, Action.ASSIGN, Action.COMMENT, Action.RESOLVE}) | _ORGANISE

ALLOWED: dict[IssueStatus, frozenset[Action]] = {
    IssueStatus.REPORTED: _WORK | {Action.PICK},
    IssueStatus.TRIAGED: _WORK | {Action.PICK, Action.AWAIT_REPORTER},
    IssueStatus.ASSIGNED: _WORK | {Action.AWAIT_REPORTER},
    IssueStatus.WAITING: _WORK,
    IssueStatus.RESOLVED: frozenset({Action.COMMENT, Action.REOPEN, Action.CLOSE}) | _ORGANISE,
    IssueStatus.CLOSED: frozenset({Action.LINK}),
}

# Statuses in which somebody still has work to do: the queue's "open" views and counts.
OPEN_STATUSES: tuple[IssueStatus, ...] = tuple(
    status for status in IssueStatus if Action.RESOLVE in ALLOWED[status]
)


def allowed_actions(status: IssueStatus | str, assignee: str | None) -> frozenset[Action]:
    """What may be done to an issue in this status, with this assignee (or nobody)."""
    allowed = ALLOWED[IssueStatus(status)]
    if assignee is not None:
        allowed = allowed - {Action.PICK}
    return allowed


def is_open(status: IssueStatus | str) -> bool:
    return IssueStatus(status) in OPEN_STATUSES
