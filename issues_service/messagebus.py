"""The message bus: commands go to exactly one handler and fail loudly; events fan out.

A command whose write turned out stale (somebody else changed the issue first) is re-run against
fresh state a few times, then refused with ConcurrentUpdate. Events are recorded with the change
and delivered after commit by the adapters' relay (issues_adapters/eventing), which asks the
bus who handles each; a failing handler is retried with back-off there and never stops the
others, and a handler that raises NotYet is tried again at the time it names.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import tenacity

from issues_domain.commands import Command
from issues_domain.errors import ConcurrentUpdate
from issues_domain.events import Event
from issues_service.unit_of_work import StaleWrite

logger = logging.getLogger(__name__)


class NotYet(Exception):
    """Raised by an event handler that has nothing to do with the event before `due_at`:
    the delivery is tried again then, and the try is not counted as a failed attempt."""

    def __init__(self, due_at: datetime):
        super().__init__(f"not before {due_at.isoformat()}")
        self.due_at = due_at


class EventHandler(Protocol):
    """Reacts to events. `name` is stable: deliveries are tracked under it."""

    name: str

    def __call__(self, event: Event) -> None: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    first_wait: float = 0.01
    max_wait: float = 1.0

    def retrying(self, **kwargs) -> tenacity.Retrying:
        return tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=tenacity.wait_random_exponential(multiplier=self.first_wait, max=self.max_wait),
            reraise=True,
            **kwargs,
        )


class MessageBus:
    def __init__(
        self,
        command_handlers: dict[type[Command], Callable[[Command], Any]],
        event_handlers: dict[type[Event], list[EventHandler]],
        stale_write_policy: RetryPolicy = RetryPolicy(attempts=8, first_wait=0.005, max_wait=0.2),
    ):
        self.command_handlers = command_handlers
        self.event_handlers = event_handlers
        self.stale_write_policy = stale_write_policy

    def handle(self, command: Command) -> Any:
        handler = self.command_handlers[type(command)]
        retrying = self.stale_write_policy.retrying(
            retry=tenacity.retry_if_exception_type(StaleWrite)
        )
        try:
            return retrying(handler, command)
        except StaleWrite as error:
            raise ConcurrentUpdate() from error

    def handlers_for(self, event: Event) -> list[EventHandler]:
        return list(self.event_handlers.get(type(event), []))

    def handler_named(self, name: str) -> EventHandler:
        for handlers in self.event_handlers.values():
            for handler in handlers:
                if handler.name == name:
                    return handler
        raise KeyError(name)
