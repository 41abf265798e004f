"""Turns domain events into JSON-ready dicts and back, by their declared field types.

Events are immutable facts, so a row is never rewritten: when an event class changes shape
its `schema_version` goes up and an upcaster here turns the older data into the newer, one
version at a time, when the row is read.
"""

import dataclasses
import functools
import types
import typing
import uuid
from collections.abc import Callable
from datetime import datetime
from enum import Enum

from issues_domain.events import ALL_EVENTS, Event
from issues_domain.subject import subject_from_description
from issues_domain.values import DEFAULT_LANGUAGE, Actor, ActorRole, IssueStatus

EVENT_TYPES: dict[str, type[Event]] = {cls.__name__: cls for cls in ALL_EVENTS}
_ENVELOPE = {
    "event_id",
    "issue_id",
    "version",
    "occurred_at",
    "actor",
    "status",
    "correlation_id",
    "causation_id",
}


class UndecodableEvent(Exception):
    """A recorded event that this code cannot read (unknown type, or data that does not fit)."""


Upcaster = Callable[[dict, dict], None]


def _status_into_envelope(data: dict, envelope: dict) -> None:
    status = data.pop("status", None)
    if envelope.get("status") is None:
        envelope["status"] = status


def _language_english(data: dict, envelope: dict) -> None:
    data.setdefault("language", DEFAULT_LANGUAGE)


def _subject_from_description(data: dict, envelope: dict) -> None:
    data.setdefault("subject", subject_from_description(data.get("description", "")))
    _no_attachments(data, envelope)


def _no_attachments(data: dict, envelope: dict) -> None:
    data.setdefault("attachments", [])
    data.setdefault("watchers", [])


def _no_watchers(data: dict, envelope: dict) -> None:
    data.setdefault("watchers", [])


def _merge_told_nobody(data: dict, envelope: dict) -> None:
    data.setdefault("watchers", [])
    data.setdefault("into_resolution", None)


def _not_by_a_merge(data: dict, envelope: dict) -> None:
    data.setdefault("merged_from", None)


# (event type, the schema version it reads) -> what turns that data into the next version's.
UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("IssueTriaged", 1): _status_into_envelope,
    ("IssueReopened", 1): _status_into_envelope,
    ("IssueReported", 1): _language_english,
    ("IssueReported", 2): _subject_from_description,
    ("IssueCommented", 1): _no_attachments,
    ("IssueResolved", 1): _no_watchers,
    ("IssueResolved", 2): _no_attachments,
    ("IssueAwaitingReporter", 1): _no_attachments,
    ("IssueMerged", 1): _merge_told_nobody,
    ("WatcherAdded", 1): _not_by_a_merge,
}


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
    schema_version: int | None = None,
    status: str | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Event:
    """The event of the current class; raises UndecodableEvent if this code cannot read it."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UndecodableEvent(f"unknown event type {event_type!r}")
    written = schema_version or cls.schema_version
    if written > cls.schema_version:
        raise UndecodableEvent(
            f"{event_type} of schema {written} is newer than this code's {cls.schema_version}"
        )
    if written < cls.schema_version:  # a copy upcast: the caller's data stays as it was
        data = dict(data)
        envelope = {"status": status}
        for version_read in range(written, cls.schema_version):
            upcast = UPCASTERS.get((event_type, version_read))
            if upcast is not None:
                upcast(data, envelope)
        status = envelope["status"]
    names, readers = _fields(cls)
    try:
        own = {name: value for name, value in data.items() if name in names}
        for name, read in readers:
            value = own.get(name)
            if value is not None:
                own[name] = read(value)
        return cls(
            event_id=event_id,
            issue_id=issue_id,
            version=version,
            occurred_at=occurred_at,
            actor=_actor(actor_role, actor_name, actor_email),
            status=_STATUS(status) if status else None,
            correlation_id=correlation_id,
            causation_id=causation_id,
            **own,
        )
    except (TypeError, ValueError, KeyError) as error:
        raise UndecodableEvent(f"{event_type}: {error}") from error


def _member(enum: type[Enum]) -> Callable:
    """`enum(value)` by a dict first: calling an Enum class costs several times more, and a
    rebuild decodes three enums an event (bench/rebuild_floor.py)."""
    members = {member.value: member for member in enum}

    def read(value):
        found = members.get(value)
        return enum(value) if found is None else found

    return read


_STATUS = _member(IssueStatus)


@functools.lru_cache(maxsize=4096)
def _actor(role: str, name: str, email: str) -> Actor:
    """Actors are immutable values: the same few staff act on thousands of events."""
    return Actor(ActorRole(role), name, email)


@functools.cache
def _fields(cls) -> tuple[frozenset, tuple]:
    """The class's own fields, and what turns the JSON value of each field that needs it
    back (the others are taken as they are)."""
    hints = {
        name: hint
        for name, hint in typing.get_type_hints(cls).items()
        if name not in _ENVELOPE and name != "schema_version"
    }
    readers = ((name, _reader(hint)) for name, hint in hints.items())
    return frozenset(hints), tuple((name, read) for name, read in readers if read is not None)


def _to_json(value):
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _reader(hint) -> Callable | None:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is tuple:
        item = _reader(typing.get_args(hint)[0]) or (lambda value: value)
        return lambda values: tuple(item(value) for value in values)
    if dataclasses.is_dataclass(hint):
        fields = {
            name: _reader(field_hint) for name, field_hint in typing.get_type_hints(hint).items()
        }
        return lambda value: hint(
            **{
                name: item if item is None or fields[name] is None else fields[name](item)
                for name, item in value.items()
                if name in fields
            }
        )
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _member(hint)
    if hint is uuid.UUID:
        return hint
    if hint is datetime:
        return datetime.fromisoformat
    return None
