"""Turns read-side data into what the pages show: the timeline, labels, which forms to offer.

Which forms a page offers comes from the domain's lifecycle table (issues_domain.lifecycle), so
nobody is offered a button that cannot work; the Issue aggregate still decides, and a refused
command is shown as such.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from issues_adapters.sla.display import GOAL_LABELS
from issues_adapters.web.labels import priority_label, status_label
from issues_domain.lifecycle import ALLOWED, Action, actions_for_staff
from issues_domain.values import IssueStatus
from issues_service.queries import AttachmentView, IssueSummary, RecordedEventView

# The events whose message carries files (shown with the message in the timeline).
_WITH_FILES = ("IssueCommented", "IssueAwaitingReporter", "IssueResolved")

# The fields of a refused form that hold what somebody wrote, in the order they are shown.
_TEXT_FIELDS = ("body", "resolution", "reason", "comment")


def staff_actions(issue: IssueSummary) -> frozenset[Action]:
    return actions_for_staff(issue.status, issue.assignee)


def reporter_can_comment(status: str) -> bool:
    return Action.COMMENT in ALLOWED[IssueStatus(status)]


def reporter_can_reopen(status: str) -> bool:
    return Action.REOPEN in ALLOWED[IssueStatus(status)]


def reporter_can_rate(issue) -> bool:
    """A resolution to rate: the lifecycle allows it, and there was one (not just merged)."""
    return Action.RATE in ALLOWED[IssueStatus(issue.status)] and bool(issue.resolution)


@dataclass(frozen=True)
class ConversationEntry:
    """One message on the tracking page: a public comment, a resolution, or the reporter's
    reopen reason."""

    author_name: str
    author_role: str
    body: str
    created_at: datetime
    reopened: bool = False
    attachments: tuple = ()  # of AttachmentView: the comment's files
    resolved: bool = False


def conversation(comments, history: list[RecordedEventView]) -> list[ConversationEntry]:
    """The reporter's view: public comments, each resolution (kept after a reopen) and their
    own reasons for reopening, in order."""
    entries = [
        ConversationEntry(
            c.author_name, c.author_role, c.body, c.created_at, attachments=c.attachments
        )
        for c in comments
    ]
    for event in history:
        if event.event_type == "IssueReopened" and event.actor_role == "reporter":
            entries.append(_message(event, "reason", reopened=True))
        elif event.event_type == "IssueResolved":
            entries.append(
                _message(event, "resolution", attachments=files_of(event), resolved=True)
            )
    return sorted(entries, key=lambda entry: entry.created_at)


def _message(event: RecordedEventView, text: str, **kind) -> ConversationEntry:
    return ConversationEntry(
        event.actor_name, event.actor_role, event.data.get(text, ""), event.occurred_at, **kind
    )


def kept_text(data) -> str:
    """What somebody wrote into a form that can no longer be sent, so it is not lost."""
    return "\n\n".join(data.get(name) for name in _TEXT_FIELDS if data.get(name))


def _tagged(data: dict) -> str:
    added, removed = ", ".join(data.get("added", ())), ", ".join(data.get("removed", ()))
    if added and removed:
        return _("Tagged %(added)s; untagged %(removed)s") % {"added": added, "removed": removed}
    if added:
        return _("Tagged %(added)s") % {"added": added}
    return _("Untagged %(removed)s") % {"removed": removed}


# Tags, merges and links: what each event says on the timeline.
ORGANISING_TITLES = {
    "IssueTagged": lambda data, actor: _tagged(data),
    "IssueMerged": lambda data, actor: (
        _("Merged into %(reference)s as a duplicate (closed)")
        % {"reference": data.get("into_reference")}
    ),
    "DuplicateMergedIn": lambda data, actor: (
        _(
            "%(reference)s was merged into this issue by %(actor)s; its reporter %(email)s "
            "follows this one now"
        )
        % {
            "reference": data.get("duplicate_reference"),
            "actor": actor,
            "email": data.get("reporter_email"),
        }
    ),
    "IssuesLinked": lambda data, actor: (
        _("Linked to %(reference)s") % {"reference": data.get("other_reference")}
    ),
    "IssuesUnlinked": lambda data, actor: (
        _("Unlinked from %(reference)s") % {"reference": data.get("other_reference")}
    ),
}
# The organising entries whose title says who did it.
_NAMING_THE_ACTOR = {"DuplicateMergedIn"}


# What the SLA's events say on the timeline: the policy that applies, a deadline near or missed.
SLA_TITLES = {
    "SlaTargeted": lambda data: _("SLA policy %(policy)s applies") % {"policy": data.get("policy")},
    "SlaWarned": lambda data: _("SLA: %(goal)s due soon") % {"goal": _goal(data)},
    "SlaBreached": lambda data: _("SLA: %(goal)s overdue") % {"goal": _goal(data)},
}


def _goal(data: dict) -> str:
    return str(GOAL_LABELS.get(data.get("goal"), data.get("goal")))


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # the event type, for styling
    title: str
    body: str
    actor: str  # whom "by ..." names after the title; "" for none
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
    by = event.actor_name  # who the entry names after its title; "" where the title says who
    if kind == "IssueReported":
        title = _("Reported")
        body = data.get("description", "")
    elif kind == "IssueTriaged":
        category = categories.get(data.get("category"), data.get("category"))
        title = _("Triaged: %(category)s, priority %(priority)s") % {
            "category": category,
            "priority": priority_label(data.get("priority")),
        }
    elif kind == "IssueAssigned":
        title = _("Assigned to %(assignee)s") % {"assignee": data.get("assignee")}
    elif kind == "IssueReassigned":
        title = _("Reassigned from %(previous)s to %(assignee)s") % {
            "previous": data.get("previous_assignee"),
            "assignee": data.get("assignee"),
        }
    elif kind == "IssuePicked":
        title = _("Picked by %(engineer)s") % {"engineer": data.get("engineer")}
        by = ""
    elif kind == "IssueCommented":
        internal = data.get("visibility") == "internal"
        public_comment = not internal
        title = _("Internal note (staff only)") if internal else _("Public reply")
        if event.actor_role == "reporter":
            title, by = _("Comment from %(name)s (reporter)") % {"name": event.actor_name}, ""
        elif event.actor_role == "watcher":
            title, by = _("Comment from %(name)s (watcher)") % {"name": event.actor_name}, ""
        body = data.get("body", "")
    elif kind == "IssueResolved":
        title = _("Resolved")
        body = data.get("resolution", "")
    elif kind == "IssueReopened":
        status = {"status": status_label(event.status or data.get("status"))}
        title = _("Reopened (now %(status)s)") % status
        if event.actor_role == "reporter":
            title, by = _("Reopened by the reporter (now %(status)s)") % status, ""
        body = data.get("reason", "")
    elif kind == "IssueClosed":
        title = _("Closed")
    elif kind == "IssueAwaitingReporter":
        title = _("Public reply; waiting for the reporter's answer")
        body, public_comment = data.get("comment", ""), True
    elif kind in ORGANISING_TITLES:
        title = ORGANISING_TITLES[kind](data, event.actor_name)
        by = "" if kind in _NAMING_THE_ACTOR else by
    elif kind == "ReporterAnswered":
        title = _("The reporter answered (now %(status)s)") % {
            "status": status_label(data.get("returned_to"))
        }
        by = ""
    elif kind == "SatisfactionRated":
        title = _("Rated %(score)s of 5 by the reporter") % {"score": data.get("score")}
        body, by = data.get("comment", ""), ""
    elif kind == "WatcherAdded":
        title = _("Watcher added: %(email)s") % {"email": data.get("email")}
    elif kind == "WatcherRemoved":
        title = _("Watcher removed: %(email)s") % {"email": data.get("email")}
    elif kind in SLA_TITLES:
        title = SLA_TITLES[kind](data)
    else:
        title = kind
    if event.actor_role == "system" or kind in SLA_TITLES:
        by = ""  # the helpdesk's own doing (the SLA, timers, the mail relay): no person
    files = files_of(event, "internal" if internal else "public")
    return TimelineEntry(
        attachments=files,
        kind=kind,
        title=title,
        body=body,
        actor=by,
        actor_role=event.actor_role,
        at=event.occurred_at,
        version=event.version,
        internal=internal,
        public_comment=public_comment,
    )


def files_of(event: RecordedEventView, visibility: str = "public") -> tuple:
    """The files a message event carries (a comment, a question, a resolution), as views."""
    data = event.data
    if event.event_type not in _WITH_FILES:
        return ()
    return tuple(
        AttachmentView(
            id=uuid.UUID(str(item["id"])),
            comment_id=data.get("comment_id") or data.get("message_id"),
            filename=item.get("filename", ""),
            content_type=item.get("content_type", ""),
            size=item.get("size", 0),
            sha256=item.get("sha256", ""),
            visibility=visibility,
        )
        for item in data.get("attachments") or ()
    )


def resolution_files(history: list[RecordedEventView]) -> tuple:
    """The files sent with the issue's latest resolution (public, like the resolution)."""
    resolutions = [event for event in history if event.event_type == "IssueResolved"]
    return files_of(resolutions[-1]) if resolutions else ()


def change_phrase(actor: str, kind: str, data: dict) -> str:
    """One change in a sentence for the collision notice: "carol resolved it"; the SLA's own
    doing as the timeline says it ("SLA: First response overdue")."""
    if kind in SLA_TITLES:
        return SLA_TITLES[kind](data)
    if kind == "IssueCommented" and data.get("visibility") == "internal":
        kind = "InternalNote"
    phrase = {
        "IssueTriaged": _("%(actor)s triaged it"),
        "IssueAssigned": _("%(actor)s assigned it to %(assignee)s"),
        "IssueReassigned": _("%(actor)s reassigned it to %(assignee)s"),
        "IssuePicked": _("%(actor)s picked it"),
        "IssueCommented": _("%(actor)s replied"),
        "InternalNote": _("%(actor)s added an internal note"),
        "IssueResolved": _("%(actor)s resolved it"),
        "IssueReopened": _("%(actor)s reopened it"),
        "IssueClosed": _("%(actor)s closed it"),
        "IssueAwaitingReporter": _("%(actor)s asked the reporter and waits for the answer"),
        "ReporterAnswered": _("%(actor)s answered"),
        "SatisfactionRated": _("%(actor)s rated it"),
    }.get(kind, _("%(actor)s changed it"))
    return phrase % {"actor": actor, "assignee": data.get("assignee", "")}


def looking_text(names: list[str]) -> str:
    if not names:
        return ""
    return _("Also looking at this issue: %(names)s") % {"names": ", ".join(names)}
