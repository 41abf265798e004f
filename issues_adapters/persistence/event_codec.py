"""Turns domain events into JSON-ready dicts and back, by their declared field types."""

import dataclasses
import functools
import types
import typing
import uuid
from datetime import datetime
from enum import Enum

from issues_domain.events import ALL_EVENTS, Event
from issues_domain.values import Actor, ActorRole

EVENT_TYPES: dict[str, type[Event]] = {cls.__name__: cls for cls in ALL_EVENTS}
_ENVELOPE = {"event_id", "issue_id", "version", "occurred_at", "actor"}


def encode(event: Event) -> dict:
    """The event's own data (everything but the envelope fields stored in their own columns)."""
    return {
        field.name: _to_json(getattr(event, field.name))
        for field in dataclasses.fields(event)
        if field.name not in _ENVELOPE
    }


def decode(
    event_type: str,
    data: dict,
    *,
    event_id: uuid.UUID,
    issue_id: uuid.UUID,
    version: int,
    occurred_at: datetime,
    actor_role: str,
    actor_name: str,
    actor_email: str = "",
) -> Event:
    cls = EVENT_TYPES[event_type]
    hints = _hints(cls)
    own = {name: _from_json(value, hints[name]) for name, value in data.items() if name in hints}
    return cls(
        event_id=event_id,
        issue_id=issue_id,
        version=version,
        occurred_at=occurred_at,
        actor=Actor(ActorRole(actor_role), actor_name, actor_email),
        **own,
    )


@functools.cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _to_json(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _from_json(value, hint):
    if value is None:
        return None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if isinstance(hint, type) and issubclass(hint, Enum | uuid.UUID):
        return hint(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    return value
