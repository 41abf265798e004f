"""Event handlers that tell people what happened; who hears is the domain's rule
(issues_domain.audience), read off the event as it was recorded.

A handler's `name` is stable: deliveries and sent mail are tracked under it. These handlers have
`sends_mail = True`, so replaying old events (to rebuild a read model) never runs them.
"""

from collections.abc import Callable, Iterable

from issues_domain import audience
from issues_domain.events import (
    Event,
    IssueAssigned,
    IssueCommented,
    IssueReassigned,
    IssueReported,
    IssueResolved,
)
from issues_service.notifications import Notification, Notifications, Recipient


class NotificationHandler:
    name: str
    handles: tuple[type[Event], ...]
    template: str
    # The domain's rule (issues_domain.audience) for who hears about the event, if anybody.
    recipient_for: Callable[[Event], Recipient | None]
    sends_mail = True

    def __init__(self, notifications: Notifications):
        self.notifications = notifications

    def __call__(self, event: Event) -> None:
        recipient = type(self).recipient_for(event)
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
                correlation_id=event.correlation_id,
            )
        )

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
        return {"author": event.actor.name, "body": event.body}


class TellReporterAboutResolution(NotificationHandler):
    name = "mail.reporter.resolution"
    handles = (IssueResolved,)
    template = "resolution"
    recipient_for = audience.reporter_of_resolution

    def context_for(self, event: IssueResolved) -> dict:
        return {"resolved_by": event.actor.name, "resolution": event.resolution}


class TellAssigneeAboutAssignment(NotificationHandler):
    name = "mail.assignee.assignment"
    handles = (IssueAssigned, IssueReassigned)
    template = "assignment"
    recipient_for = audience.new_assignee

    def context_for(self, event: IssueAssigned | IssueReassigned) -> dict:
        return {
            "assigned_by": event.actor.name,
            "previous_assignee": getattr(event, "previous_assignee", None),
        }


class TellAssigneeAboutReporterComment(NotificationHandler):
    name = "mail.assignee.reporter_comment"
    handles = (IssueCommented,)
    template = "reporter_comment"
    recipient_for = audience.assignee_of_reporter_comment

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
