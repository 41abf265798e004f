"""The Django side's composition root: the concrete adapters handed to issues_service.bootstrap.

`event_handlers()` is the one list of who reacts to which event. Read-model handlers (added by
whoever owns the read model) go in the same dict; each handler needs a stable `name`, because
deliveries are tracked under it. Handlers that send mail say so with `sends_mail = True`, and
replaying old events skips them.
"""

import functools
from datetime import timedelta

from issues_adapters.eventing.dispatch import Dispatcher
from issues_adapters.persistence.queries import DjangoIssueQueries
from issues_adapters.persistence.unit_of_work import DjangoUnitOfWork
from issues_domain import events
from issues_service.bootstrap import bootstrap
from issues_service.messagebus import EventHandler, MessageBus
from issues_service.queries import IssueQueries


def event_handlers() -> dict[type[events.Event], list[EventHandler]]:
    """Every event handler, by the event type it handles."""
    from django.conf import settings

    from issues_adapters.accounts.preferences import DjangoStaffPreferences
    from issues_adapters.eventing.notifications import DjangoEmailNotifications
    from issues_adapters.persistence.event_log import DjangoIssueHistory
    from issues_service import event_handlers as mail

    handlers: dict[type[events.Event], list[EventHandler]] = {
        event_type: [] for event_type in events.ALL_EVENTS
    }
    for handler in mail.notification_handlers(
        DjangoEmailNotifications(),
        DjangoIssueHistory(),
        reporter_comment_window=timedelta(
            seconds=settings.HELPDESK_REPORTER_COMMENT_COALESCE_SECONDS
        ),
        preferences=DjangoStaffPreferences(),
    ):
        for event_type in handler.handles:
            handlers[event_type].append(handler)
    # Read models (web): the queue's side-bar counts.
    from issues_adapters.web.counts import event_handlers as queue_count_handlers

    for event_type, found in queue_count_handlers().items():
        handlers[event_type].extend(found)
    # Process managers (sla): the SLA clocks and auto-close; their timers are sla/timers.py.
    from issues_adapters.sla.auto_close import AutoCloseProjection
    from issues_adapters.sla.clocks import SlaClocksProjection

    for projection in (SlaClocksProjection(), AutoCloseProjection()):
        for event_type in projection.handles:
            handlers[event_type].append(projection)
    # Read models (reports): the counts behind every report and the dashboard.
    from issues_adapters.reports.projection import event_handlers as report_handlers

    for event_type, found in report_handlers().items():
        handlers[event_type].extend(found)
    return {event_type: found for event_type, found in handlers.items() if found}


def _after_commit(positions: list[int]) -> None:
    dispatcher().after_commit(positions)


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork(after_commit=_after_commit)


@functools.cache
def message_bus() -> MessageBus:
    return bootstrap(unit_of_work=unit_of_work, event_handlers=event_handlers())


@functools.cache
def dispatcher() -> Dispatcher:
    """This process's after-commit delivery (and its delivery thread), over the bus."""
    return Dispatcher(message_bus())


def read_models() -> dict:
    """The handlers that are rebuildable read models (eventing.rebuilds.ReadModel), by name."""
    return {
        handler.name: handler
        for handlers in message_bus().event_handlers.values()
        for handler in handlers
        if hasattr(handler, "apply_into")
    }


def mail_handler_names() -> set[str]:
    return {
        handler.name
        for handlers in message_bus().event_handlers.values()
        for handler in handlers
        if getattr(handler, "sends_mail", False)
    }


@functools.cache
def issue_queries() -> IssueQueries:
    return DjangoIssueQueries()
