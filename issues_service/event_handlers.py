"""Event handlers that tell people what happened; who hears is the domain's rule
(issues_domain.audience), read off the event as it was recorded.

A handler's `name` is stable: deliveries and sent mail are tracked under it. These handlers have
`sends_mail = True`, so replaying old events (to rebuild a read model) never runs them.

Reporter comments reach the assignee (on an issue nobody has, whoever resolved it) a burst at
a time (issues_domain.digest): the delivery of a comment younger than the coalescing window
raises NotYet, and is tried again when the window is over.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from issues_domain import audience, digest
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
from issues_domain.ports import IssueHistory
from issues_domain.values import Actor, ActorRole
from issues_service.messagebus import EventHandler, NotYet
from issues_service.notifications import (
    DefaultPreferences,
    Notification,
    Notifications,
    Recipient,
    StaffMail,
    StaffPreferences,
)


def attachments_for_mail(attachments) -> list[dict]:
    """A public message's files, for the mail adapter to attach (or link, past its limit)."""
    return [
        {
            "id": str(attachment.id),
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
        }
        for attachment in attachments
    ]


class NotificationHandler:
    name: str
    handles: tuple[type[Event], ...]
    template: str
    # The domain's rule (issues_domain.audience) for who hears about the event, if anybody.
    recipient_for: Callable[[Event], Recipient | None]
    # A staff mail its recipient may turn off (/staff/settings/); None: always sent.
    staff_mail: StaffMail | None = None
    sends_mail = True

    def __init__(self, notifications: Notifications, preferences: StaffPreferences):
        self.notifications, self.preferences = notifications, preferences

    def __call__(self, event: Event) -> None:
        recipient = self.recipient_of(event)
        if recipient is None:
            return
        if self.staff_mail and not self.preferences.wants(recipient.username, self.staff_mail):
            return
        self.notifications.send(
            Notification(
                handler=self.name,
                event_id=event.event_id,
                issue_id=event.issue_id,
                template=self.template,
                to=recipient,
                context=self.context_for(event),
                correlation_id=event.correlation_id,
                unsubscribe=self.staff_mail,
            )
        )

    def recipient_of(self, event: Event) -> Recipient | None:
        return type(self).recipient_for(event)

    def context_for(self, event) -> dict:
        return {"actor": event.actor.name}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class SendReportConfirmation(NotificationHandler):
    """The reporter learns the reference and their private tracking link."""

    name = "mail.reporter.report_confirmation"
    handles = (IssueReported,)
    template = "report_confirmation"
    recipient_for = audience.reporter_of_new_issue

    def context_for(self, event: IssueReported) -> dict:
        return {"reporter_name": event.reporter_name, "description": event.description}


class TellReporterAboutPublicComment(NotificationHandler):
    name = "mail.reporter.public_comment"
    handles = (IssueCommented,)
    template = "public_comment"
    recipient_for = audience.reporter_of_public_comment

    def context_for(self, event: IssueCommented) -> dict:
        return {
            "author": event.actor.name,
            "body": event.body,
            "attachments": attachments_for_mail(event.attachments),
        }


class TellReporterAboutResolution(NotificationHandler):
    name = "mail.reporter.resolution"
    handles = (IssueResolved,)
    template = "resolution"
    recipient_for = audience.reporter_of_resolution

    def context_for(self, event: IssueResolved) -> dict:
        return {
            "resolved_by": event.actor.name,
            "resolution": event.resolution,
            "attachments": attachments_for_mail(event.attachments),
        }


class TellReporterWeAwaitTheirAnswer(NotificationHandler):
    name = "mail.reporter.awaiting_reporter"
    handles = (IssueAwaitingReporter,)
    template = "awaiting_reporter"
    recipient_for = audience.reporter_awaited

    def context_for(self, event: IssueAwaitingReporter) -> dict:
        return {
            "author": event.actor.name,
            "body": event.comment,
            "attachments": attachments_for_mail(event.attachments),
        }


class TellReporterTheirReportWasMerged(NotificationHandler):
    """The duplicate's reporter learns it was merged, into which issue, and, when that one was
    resolved already, its resolution; in their own language, with their own tracking link (the
    mail is about the duplicate, whose page shows where it continues)."""

    name = "mail.reporter.merged"
    handles = (IssueMerged,)
    template = "merged"
    recipient_for = audience.reporter_of_merged_duplicate

    def context_for(self, event: IssueMerged) -> dict:
        return {
            "into_reference": event.into_reference,
            "into_resolution": event.into_resolution,
        }


class TellAssigneeAboutAssignment(NotificationHandler):
    name = "mail.assignee.assignment"
    handles = (IssueAssigned, IssueReassigned)
    template = "assignment"
    recipient_for = audience.new_assignee
    staff_mail = StaffMail.ASSIGNMENT

    def context_for(self, event: IssueAssigned | IssueReassigned) -> dict:
        return {
            "assigned_by": event.actor.name,
            "previous_assignee": getattr(event, "previous_assignee", None),
        }


class TellAssigneeAboutReopen(NotificationHandler):
    """The reporter reopened the assignee's issue: why, in their words; on an issue nobody
    has, whoever resolved it hears (issues_domain.audience.staff_of_reporter_reopen)."""

    name = "mail.assignee.reopen"
    handles = (IssueReopened,)
    template = "reopened"
    staff_mail = StaffMail.REOPEN

    def __init__(
        self, notifications: Notifications, history: IssueHistory, preferences: StaffPreferences
    ):
        super().__init__(notifications, preferences)
        self.history = history

    def recipient_of(self, event: IssueReopened) -> Recipient | None:
        if event.actor.is_staff:
            return None  # staff reopened it: no need to read the issue's history
        return audience.staff_of_reporter_reopen(event, self.history.resolutions_of(event.issue_id))

    def context_for(self, event: IssueReopened) -> dict:
        return {"author": event.actor.name, "reason": event.reason}


class TellStaffAboutNewIssue:
    """Each staff member who chose it hears of a new issue (of all, or of their categories)."""

    name = "mail.staff.new_issue"
    handles = (IssueReported,)
    template = "staff_new_issue"
    sends_mail = True

    def __init__(self, notifications: Notifications, preferences: StaffPreferences):
        self.notifications, self.preferences = notifications, preferences

    def __call__(self, event: IssueReported) -> None:
        for username in self.preferences.new_issue_subscribers(event.category):
            self.notifications.send(
                Notification(
                    # One mail per staff member and event, each kept once.
                    handler=f"{self.name}:{username}"[:100],
                    event_id=event.event_id,
                    issue_id=event.issue_id,
                    template=self.template,
                    to=Recipient.subscriber(username),
                    context={
                        "reporter_name": event.reporter_name,
                        "description": event.description,
                        "category": event.category,
                    },
                    correlation_id=event.correlation_id,
                    unsubscribe=StaffMail.NEW_ISSUE,
                )
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class TellWatchers(NotificationHandler):
    """One mail per watcher, each named after the event and the watcher (so a redelivery
    sends none twice), each with the watcher's own link (the adapter's business)."""

    recipients_for: Callable[[Event], list[Recipient]]

    def __call__(self, event: Event) -> None:
        for recipient in type(self).recipients_for(event):
            self.notifications.send(
                Notification(
                    handler=self.name,
                    event_id=uuid.uuid5(event.event_id, recipient.email.casefold()),
                    issue_id=event.issue_id,
                    template=self.template,
                    to=recipient,
                    context=self.context_for(event),
                    correlation_id=event.correlation_id,
                )
            )


class TellWatchersTheyAreCopied(TellWatchers):
    name = "mail.watcher.copied"
    handles = (IssueReported, WatcherAdded)
    template = "watching"

    @staticmethod
    def recipients_for(event):
        if isinstance(event, IssueReported):
            return audience.watchers_of_new_issue(event)
        return audience.new_watcher(event)

    def context_for(self, event) -> dict:
        return {"actor": event.actor.name}


class TellWatchersTheDuplicateWasMerged(TellWatchers):
    name = "mail.watcher.merged"
    handles = (IssueMerged,)
    template = "merged"
    recipients_for = audience.watchers_of_merged_duplicate
    context_for = TellReporterTheirReportWasMerged.context_for


class TellWatchersAboutPublicComment(TellWatchers):
    name = "mail.watcher.public_comment"
    handles = (IssueCommented,)
    template = "public_comment"
    recipients_for = audience.watchers_of_public_comment
    context_for = TellReporterAboutPublicComment.context_for


class TellWatchersAboutResolution(TellWatchers):
    name = "mail.watcher.resolution"
    handles = (IssueResolved,)
    template = "resolution"
    recipients_for = audience.watchers_of_resolution
    context_for = TellReporterAboutResolution.context_for


class TellWatchersWeAwaitTheReporter(TellWatchers):
    """The question to the reporter is public: the watchers get it too (the waiting mail)."""

    name = "mail.watcher.awaiting_reporter"
    handles = (IssueAwaitingReporter,)
    template = "awaiting_reporter"
    recipients_for = audience.watchers_awaited
    context_for = TellReporterWeAwaitTheirAnswer.context_for


class TellAssigneeAboutReporterComments:
    """One mail to the assignee for a burst of reporter comments, listing them; on an issue
    nobody has, to whoever resolved it (issues_domain.audience.staff_of_reporter_comment)."""

    name = "mail.assignee.reporter_comment"
    handles = (IssueCommented,)
    template = "reporter_comment"
    sends_mail = True

    def __init__(
        self,
        notifications: Notifications,
        history: IssueHistory,
        window: timedelta,
        clock: Callable[[], datetime],
        preferences: StaffPreferences,
    ):
        self.notifications, self.history = notifications, history
        self.window, self.clock, self.preferences = window, clock, preferences

    def __call__(self, event: IssueCommented) -> None:
        if event.actor.is_staff:
            return  # a staff comment or a note: no need to read the issue's history
        resolutions = self.history.resolutions_of(event.issue_id)
        recipient = audience.staff_of_reporter_comment(event, resolutions)
        if recipient is None:
            return
        if not self.preferences.wants(recipient.username, StaffMail.REPORTER_REPLY):
            return
        to_tell = digest.reporter_comment_digest(
            event,
            comments_so_far=self.history.comments_on(event.issue_id),
            resolutions=resolutions,
            told=self.notifications.told_about(self.name, event.issue_id),
            now=self.clock(),
            window=self.window,
        )
        if isinstance(to_tell, digest.Wait):
            raise NotYet(to_tell.until)
        if to_tell is None:
            return
        self.notifications.send(
            Notification(
                handler=self.name,
                event_id=to_tell.first.event_id,
                issue_id=event.issue_id,
                template=self.template,
                to=to_tell.to,
                context=digest_context(to_tell),
                correlation_id=to_tell.first.correlation_id,
                tells_of=tuple(comment.event_id for comment in to_tell.comments),
                unsubscribe=StaffMail.REPORTER_REPLY,
            )
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def digest_context(to_tell: digest.Digest) -> dict:
    """The burst mail names each author as the reporter or a watcher: `by` says whose comments
    it lists (reporter, watcher, watchers, reporter_and_watchers), for its subject; `author`
    and `role` the first author's, for a mail of one author's comments."""
    comments = [
        {
            "body": comment.body,
            "occurred_at": comment.occurred_at,
            "author": comment.actor.name,
            "role": _role_of(comment.actor),
        }
        for comment in to_tell.comments
    ]
    authors = list(dict.fromkeys((comment["author"], comment["role"]) for comment in comments))
    roles = {role for _, role in authors}
    if roles == {"reporter"}:
        by = "reporter"
    elif roles == {"watcher"}:
        by = "watcher" if len(authors) == 1 else "watchers"
    else:
        by = "reporter_and_watchers"
    return {
        "author": comments[0]["author"],
        "role": comments[0]["role"],
        "authors": [{"name": name, "role": role} for name, role in authors],
        "by": by,
        "comments": comments,
    }


def _role_of(actor: Actor) -> str:
    return "watcher" if actor.role == ActorRole.WATCHER else "reporter"


class TellStaffAboutSlaDeadline(NotificationHandler):
    """A deadline is near or missed: the assignee hears, or the category's staff."""

    name = "mail.staff.sla_deadline"
    handles = (SlaWarned, SlaBreached)
    template = "sla_deadline"
    recipient_for = audience.staff_of_sla_deadline

    def context_for(self, event: SlaWarned | SlaBreached) -> dict:
        return {
            "breached": isinstance(event, SlaBreached),
            "goal": event.goal,
            "due_at": event.due_at,
        }


NOTIFICATION_HANDLERS: tuple[type[NotificationHandler], ...] = (
    SendReportConfirmation,
    TellReporterAboutPublicComment,
    TellReporterAboutResolution,
    TellReporterWeAwaitTheirAnswer,
    TellReporterTheirReportWasMerged,
    TellAssigneeAboutAssignment,
    TellStaffAboutSlaDeadline,
    TellWatchersTheyAreCopied,
    TellWatchersTheDuplicateWasMerged,
    TellWatchersAboutPublicComment,
    TellWatchersAboutResolution,
    TellWatchersWeAwaitTheReporter,
)


def notification_handlers(
    notifications: Notifications,
    history: IssueHistory,
    *,
    reporter_comment_window: timedelta,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    preferences: StaffPreferences | None = None,
) -> list[EventHandler]:
    preferences = preferences or DefaultPreferences()
    return [
        *(handler_class(notifications, preferences) for handler_class in NOTIFICATION_HANDLERS),
        TellStaffAboutNewIssue(notifications, preferences),
        TellAssigneeAboutReopen(notifications, history, preferences),
        TellAssigneeAboutReporterComments(
            notifications, history, reporter_comment_window, clock, preferences
        ),
    ]
