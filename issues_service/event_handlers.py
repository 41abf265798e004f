"""Event handlers that tell people what happened. Each decides, from the event alone, who hears.

The rules (CONTRACT.md section 5), all read off the event as it was recorded:

- the reporter gets a confirmation when they report, a mail on each public staff comment, and
  one on resolution; internal notes never reach them;
- the assignee gets a mail when somebody else assigns (or reassigns) the issue to them, and on
  each comment by the reporter; picking an issue yourself sends nothing;
- nobody is mailed about their own action.

A handler's `name` is stable: deliveries and sent mail are tracked under it. These handlers have
`sends_mail = True`, so replaying old events (to rebuild a read model) never runs them.
"""

from collections.abc import Iterable

from issues_domain.events import (
    Event,
    IssueAssigned,
    IssueCommented,
    IssueReassigned,
    IssueReported,
    IssueResolved,
)
from issues_domain.values import Visibility
from issues_service.notifications import Notification, Notifications, Recipient


class NotificationHandler:
    name: str
    handles: tuple[type[Event], ...]
    template: str
    sends_mail = True

    def __init__(self, notifications: Notifications):
        self.notifications = notifications

    def __call__(self, event: Event) -> None:
        recipient = self.recipient_for(event)
        if recipient is None:
            return
        self.notifications.send(
            Notification(
                handler=self.name,
                event_id=event.event_id,
                issue_id=event.issue_id,
                template=self.template,
                to=recipient,
                context=self.context_for(event),
            )
        )

    def recipient_for(self, event) -> Recipient | None:
        raise NotImplementedError

    def context_for(self, event) -> dict:
        return {"actor": event.actor.name}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def _is_own_address(event: Event, email: str) -> bool:
    return bool(event.actor.email) and event.actor.email.casefold() == email.casefold()


class SendReportConfirmation(NotificationHandler):
    """The reporter learns the reference and their private tracking link."""

    name = "mail.reporter.report_confirmation"
    handles = (IssueReported,)
    template = "report_confirmation"

    def recipient_for(self, event: IssueReported) -> Recipient:
        return Recipient.reporter(event.reporter_email, event.reporter_name)

    def context_for(self, event: IssueReported) -> dict:
        return {"reporter_name": event.reporter_name, "description": event.description}


class TellReporterAboutPublicComment(NotificationHandler):
    name = "mail.reporter.public_comment"
    handles = (IssueCommented,)
    template = "public_comment"

    def recipient_for(self, event: IssueCommented) -> Recipient | None:
        if event.visibility != Visibility.PUBLIC or not event.actor.is_staff:
            return None
        if _is_own_address(event, event.reporter_email):
            return None
        return Recipient.reporter(event.reporter_email)

    def context_for(self, event: IssueCommented) -> dict:
        return {"author": event.actor.name, "body": event.body}


class TellReporterAboutResolution(NotificationHandler):
    name = "mail.reporter.resolution"
    handles = (IssueResolved,)
    template = "resolution"

    def recipient_for(self, event: IssueResolved) -> Recipient | None:
        if _is_own_address(event, event.reporter_email):
            return None
        return Recipient.reporter(event.reporter_email)

    def context_for(self, event: IssueResolved) -> dict:
        return {"resolved_by": event.actor.name, "resolution": event.resolution}


class TellAssigneeAboutAssignment(NotificationHandler):
    name = "mail.assignee.assignment"
    handles = (IssueAssigned, IssueReassigned)
    template = "assignment"

    def recipient_for(self, event: IssueAssigned | IssueReassigned) -> Recipient | None:
        if event.actor.is_staff and event.actor.name == event.assignee:
            return None
        return Recipient.staff(event.assignee)

    def context_for(self, event: IssueAssigned | IssueReassigned) -> dict:
        return {
            "assigned_by": event.actor.name,
            "previous_assignee": getattr(event, "previous_assignee", None),
        }


class TellAssigneeAboutReporterComment(NotificationHandler):
    name = "mail.assignee.reporter_comment"
    handles = (IssueCommented,)
    template = "reporter_comment"

    def recipient_for(self, event: IssueCommented) -> Recipient | None:
        if event.actor.is_staff or event.assignee is None:
            return None
        return Recipient.staff(event.assignee)

    def context_for(self, event: IssueCommented) -> dict:
        return {"author": event.actor.name, "body": event.body}


NOTIFICATION_HANDLERS: tuple[type[NotificationHandler], ...] = (
    SendReportConfirmation,
    TellReporterAboutPublicComment,
    TellReporterAboutResolution,
    TellAssigneeAboutAssignment,
    TellAssigneeAboutReporterComment,
)


def notification_handlers(notifications: Notifications) -> Iterable[NotificationHandler]:
    return [handler_class(notifications) for handler_class in NOTIFICATION_HANDLERS]
