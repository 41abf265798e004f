"""The lifecycle table: which commands each status allows, said once.

The Issue aggregate refuses what this table does not allow; pages, the API's views, the queue
counts and the bulk actions ask it (or `Issue.allowed_actions()`) instead of restating it.
"""

from enum import StrEnum

from issues_domain.values import IssueStatus


class Action(StrEnum):
    """A command on an existing issue, by the name pages and forms use for it (staff's, but
    RATE, which is the reporter's)."""

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
    # Sent by the SLA process manager (FlagSlaWarning / FlagSlaBreach), never offered to staff.
    FLAG_SLA = "flag_sla"
    # The reporter's rating of a resolution (RateSatisfaction), never offered to staff.
    RATE = "rate"
    WATCH = "watch"  # add or remove a watcher


# Actions that are not staff's to take - a process sends FLAG_SLA, the reporter RATE - so pages
# and bulk forms never offer them to staff.
NOT_OFFERED_TO_STAFF = frozenset({Action.FLAG_SLA, Action.RATE})


# Organising an issue: anything but closed may be tagged, merged or watched; links never hurt.
_ORGANISE = frozenset({Action.TAG, Action.MERGE, Action.LINK, Action.WATCH})
# An open issue's SLA deadlines may be flagged, `waiting` too: a deadline that passed before the
# wait paused the clocks was still missed (the clocks set no timer while they are paused).
_WORK = (
    frozenset({Action.TRIAGE, Action.ASSIGN, Action.COMMENT, Action.RESOLVE, Action.FLAG_SLA})
    | _ORGANISE
)

ALLOWED: dict[IssueStatus, frozenset[Action]] = {
    IssueStatus.REPORTED: _WORK | {Action.PICK},
    IssueStatus.TRIAGED: _WORK | {Action.PICK, Action.AWAIT_REPORTER},
    IssueStatus.ASSIGNED: _WORK | {Action.AWAIT_REPORTER},
    IssueStatus.WAITING: _WORK,
    IssueStatus.RESOLVED: frozenset({Action.COMMENT, Action.REOPEN, Action.CLOSE, Action.RATE})
    | _ORGANISE,
    # The reporter may still rate a closed issue's resolution (issues_domain.issue checks that
    # there was one).
    IssueStatus.CLOSED: frozenset({Action.LINK, Action.RATE}),
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


def actions_for_staff(status: IssueStatus | str, assignee: str | None) -> frozenset[Action]:
    """What staff may be offered for an issue: the allowed actions that are staff's to take."""
    return allowed_actions(status, assignee) - NOT_OFFERED_TO_STAFF


def is_open(status: IssueStatus | str) -> bool:
    return IssueStatus(status) in OPEN_STATUSES


def may_be_rated(status: IssueStatus | str) -> bool:
    """Whether an issue in this status may hold a rating: a rating is of a resolution, and
    lasts while the issue stays resolved or closed."""
    return Action.RATE in ALLOWED[IssueStatus(status)]
