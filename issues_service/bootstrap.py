"""The composition root: the one place that puts handlers, ports and adapters together.

The Django adapters call it with their concrete unit of work and event handlers; specs call it
with fakes.
"""

from collections.abc import Callable

from issues_domain.commands import Command
from issues_domain.events import Event
from issues_service.handlers import COMMAND_HANDLERS, CommandHandler
from issues_service.messagebus import EventHandler, MessageBus, RetryPolicy
from issues_service.unit_of_work import UnitOfWork


def _with_fresh_unit_of_work(
    handler_class: type[CommandHandler], unit_of_work: Callable[[], UnitOfWork]
):
    # A unit of work holds the issues it loaded, so each command gets its own.
    def handle(command: Command):
        uow = unit_of_work()
        uow.causation_id = str(command.command_id)
        return handler_class(uow)(command)

    handle.__name__ = handler_class.__name__
    return handle


def bootstrap(
    *,
    unit_of_work: Callable[[], UnitOfWork],
    event_handlers: dict[type[Event], list[EventHandler]] | None = None,
    stale_write_policy: RetryPolicy | None = None,
) -> MessageBus:
    command_handlers = {
        command: _with_fresh_unit_of_work(handler_class, unit_of_work)
        for command, handler_class in COMMAND_HANDLERS.items()
    }
    return MessageBus(
        command_handlers,
        event_handlers or {},
        **({"stale_write_policy": stale_write_policy} if stale_write_policy else {}),
    )
