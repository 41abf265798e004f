"""Who hears about what happened to an issue (docs/lifecycle.md), read off the event alone.

- the reporter gets a confirmation when they report, a mail on each public staff comment, and
  one on resolution, and one when staff wait for their answer; internal notes never reach them;
- the assignee gets a mail when somebody else assigns (or reassigns) the issue to them, and on
  comments by the reporter or a watcher, a burst in one mail (issues_domain.digest); picking
  an issue yourself tells nobody;
- when nobody has the issue, those comments reach whoever resolved it last (the resolution
  mail, and the mail of a merge into a resolved issue, invite an answer); an issue never
  resolved and unassigned tells nobody: the Unassigned queue shows it;
- the assignee hears when the reporter reopens their issue; when nobody has it, whoever
  resolved it last;
- on an SLA warning or breach, the assignee, or the staff of the issue's category when nobody
  has it;
- staff who chose it (/staff/settings/) hear of each new issue, of all or of chosen categories,
  and may turn off the assignee's mails above;
- watchers (issues_domain.issue.Issue.watchers) are copied on the new issue, each public
  staff comment, the question to the reporter and the resolution, never on internal notes;
- a merged duplicate's reporter and watchers are told their issue was merged, and where it
  continues (not that they are copied on the target, which the merge makes them);
- nobody is mailed about their own action.

Recipients come from the event as it was recorded, so a later change (a new assignee) never
redirects an earlier mail.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from issues_domain.events import (
    Event,
    IssueAssigned,
    IssueAwaitingReporter,
    IssueCommented,
    IssueMerged,
    IssueReassigned,
    IssueReopened,
    IssueReported,
    IssueResolved,
    SlaBreached,
    SlaWarned,
    WatcherAdded,
)
from issues_domain.lifecycle import Action
from issues_domain.values import Actor, Visibility


class RecipientRole(StrEnum):
    REPORTER = "reporter"
    ASSIGNEE = "assignee"
    STAFF = "staff"  # a staff member who chose to hear of it (/staff/settings/)
    CATEGORY_STAFF = "category_staff"
    WATCHER = "watcher"


@dataclass(frozen=True)
class Recipient:
    """The reporter by address, or a staff member by username (their address is looked up)."""

    role: RecipientRole
    email: str = ""
    name: str = ""
    username: str = ""

    @classmethod
    def reporter(cls, email: str, name: str = "") -> "Recipient":
        return cls(RecipientRole.REPORTER, email=email, name=name)

    @classmethod
    def staff(cls, username: str) -> "Recipient":
        return cls(RecipientRole.ASSIGNEE, username=username)

    @classmethod
    def subscriber(cls, username: str) -> "Recipient":
        return cls(RecipientRole.STAFF, username=username)

    @classmethod
    def category_staff(cls, category: str | None) -> "Recipient":
        """The staff who look after a category (or after untriaged issues, for None)."""
        return cls(RecipientRole.CATEGORY_STAFF, name=category or "")

    @classmethod
    def watcher(cls, email: str) -> "Recipient":
        return cls(RecipientRole.WATCHER, email=email)


def _acted_from(event: Event, email: str) -> bool:
    return bool(event.actor.email) and event.actor.email.casefold() == email.casefold()


def reporter_of_new_issue(event: IssueReported) -> Recipient:
    return Recipient.reporter(event.reporter_email, event.reporter_name)


def reporter_of_public_comment(event: IssueCommented) -> Recipient | None:
    if event.visibility != Visibility.PUBLIC or not event.actor.is_staff:
        return None
    if _acted_from(event, event.reporter_email):
        return None
    return Recipient.reporter(event.reporter_email)


def reporter_of_resolution(event: IssueResolved) -> Recipient | None:
    if _acted_from(event, event.reporter_email):
        return None
    return Recipient.reporter(event.reporter_email)


def reporter_awaited(event: IssueAwaitingReporter) -> Recipient | None:
    if _acted_from(event, event.reporter_email):
        return None
    return Recipient.reporter(event.reporter_email)


def new_assignee(event: IssueAssigned | IssueReassigned) -> Recipient | None:
    if event.actor.is_staff and event.actor.name == event.assignee:
        return None
    return Recipient.staff(event.assignee)


def staff_of_reporter_comment(
    event: IssueCommented, resolutions: Iterable[IssueResolved] = ()
) -> Recipient | None:
    """Who hears of a comment by the reporter or a watcher: the assignee; when nobody had the
    issue, the staff member who resolved it last before the comment (`resolutions`: the
    issue's IssueResolved events, any of them); else nobody."""
    return _assignee_or_last_resolver(event, resolutions)


def staff_of_reporter_reopen(
    event: IssueReopened, resolutions: Iterable[IssueResolved] = ()
) -> Recipient | None:
    """Who hears the reporter reopened the issue: the assignee; when nobody had it, the staff
    member of the resolution it reopens (the last before the reopen); else nobody."""
    return _assignee_or_last_resolver(event, resolutions)


def _assignee_or_last_resolver(
    event: IssueCommented | IssueReopened, resolutions: Iterable[IssueResolved]
) -> Recipient | None:
    if event.actor.is_staff:
        return None
    if event.assignee is not None:
        return Recipient.staff(event.assignee)
    earlier = [resolved for resolved in resolutions if resolved.version < event.version]
    last = max(earlier, key=lambda resolved: resolved.version, default=None)
    if last is None or not last.actor.is_staff:
        return None
    return Recipient.staff(last.actor.name)


def staff_of_sla_deadline(event: SlaWarned | SlaBreached) -> Recipient:
    """The assignee, or when nobody has the issue, the staff of its category."""
    if event.assignee:
        return Recipient.staff(event.assignee)
    return Recipient.category_staff(event.category)


# Watchers hear of public activity only, never of internal notes, and each through a link of
# their own (never the reporter's tracking link).


def watchers_of_new_issue(event: IssueReported) -> list[Recipient]:
    return [Recipient.watcher(email) for email in event.watchers]


def new_watcher(event: WatcherAdded) -> list[Recipient]:
    if event.merged_from is not None:  # a merge's follower: the merge's own mail tells them
        return []
    return [] if _acted_from(event, event.email) else [Recipient.watcher(event.email)]


def reporter_of_merged_duplicate(event: IssueMerged) -> Recipient | None:
    if _acted_from(event, event.reporter_email):
        return None
    return Recipient.reporter(event.reporter_email)


def watchers_of_merged_duplicate(event: IssueMerged) -> list[Recipient]:
    return [Recipient.watcher(email) for email in event.watchers if not _acted_from(event, email)]


def watchers_of_public_comment(event: IssueCommented) -> list[Recipient]:
    if event.visibility != Visibility.PUBLIC or not event.actor.is_staff:
        return []
    return [Recipient.watcher(email) for email in event.watchers if not _acted_from(event, email)]


def watchers_of_resolution(event: IssueResolved) -> list[Recipient]:
    return [Recipient.watcher(email) for email in event.watchers if not _acted_from(event, email)]


def watchers_awaited(event: IssueAwaitingReporter) -> list[Recipient]:
    """The question to the reporter is public: the watchers are copied on it."""
    return [Recipient.watcher(email) for email in event.watchers if not _acted_from(event, email)]


def foreseen(
    action: Action,
    actor: Actor,
    *,
    reporter_email: str,
    watchers: tuple[str, ...] = (),
    assignee: str | None = None,
    new_assignee_name: str | None = None,
) -> list[Recipient]:
    """Who an action would mail, asked before it is taken (the bulk actions' confirmation):
    the rules above, applied to the event the action would record."""
    unknown = uuid.UUID(int=0)
    common = {
        "event_id": unknown,
        "issue_id": unknown,
        "version": 0,
        "occurred_at": datetime.now(UTC),
        "actor": actor,
    }
    if action == Action.RESOLVE:
        resolved = IssueResolved(
            resolution="", reporter_email=reporter_email, watchers=watchers, **common
        )
        return _present(reporter_of_resolution(resolved)) + watchers_of_resolution(resolved)
    if action == Action.AWAIT_REPORTER:
        awaited = IssueAwaitingReporter(
            comment_id=unknown,
            comment="",
            reporter_email=reporter_email,
            attachments=(),
            watchers=watchers,
            **common,
        )
        return _present(reporter_awaited(awaited)) + watchers_awaited(awaited)
    if action == Action.ASSIGN and new_assignee_name and new_assignee_name != assignee:
        return _present(new_assignee(IssueAssigned(assignee=new_assignee_name, **common)))
    return []


def _present(recipient: Recipient | None) -> list[Recipient]:
    return [recipient] if recipient is not None else []
