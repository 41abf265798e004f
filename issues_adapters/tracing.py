"""The current correlation id: which request or inbound mail the work in hand belongs to.

The web middleware and the mail reader start one; the unit of work stamps it on recorded
events, log lines and mail carry it. A ContextVar, so each thread and each asyncio task sees
only its own, and a thread started meanwhile starts with none.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_correlation_id() -> str:
    """A fresh id: 32 lowercase hex digits (uuid4)."""
    return uuid.uuid4().hex


def current_correlation_id() -> str | None:
    """The id of the block we are in, or None outside any."""
    return _correlation_id.get()


@contextmanager
def correlation(correlation_id: str | None = None) -> Iterator[str]:
    """Run the block under `correlation_id` (a new one when None or empty) and yield it; the id
    that was current before is back on exit, however the block ends."""
    token = _correlation_id.set(correlation_id or new_correlation_id())
    try:
        yield _correlation_id.get()
    finally:
        _correlation_id.reset(token)
