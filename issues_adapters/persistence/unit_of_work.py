"""The unit of work over one Django transaction: the change and its events commit together."""

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from issues_adapters.persistence.event_log import record_events, record_many
from issues_adapters.persistence.models import IssueRecord
from issues_adapters.persistence.plain_statements import update_each
from issues_adapters.persistence.queries import detail_of
from issues_adapters.persistence.repository import (
    DjangoCategoryCatalogue,
    DjangoIssueLog,
    DjangoStaffDirectory,
)
from issues_adapters.sla.policies import DjangoSlaPolicyBook
from issues_adapters.tracing import current_correlation_id
from issues_domain.events import Event
from issues_service.unit_of_work import StaleWrite, UnitOfWork

AfterCommit = Callable[[list[int]], None]
_saved: ContextVar[dict | None] = ContextVar("saved_issues", default=None)


@contextmanager
def saved_issues() -> Iterator[dict]:
    """Collects, by id, the issues that units of work save within this block, as saved.

    The API answers a command with the issue it changed: this hands it the state the command
    wrote (the ETag is that version) without reading it back. Nested in an outer transaction
    that later rolls back, what was collected never committed; the caller's answer then fails
    with that transaction anyway.
    """
    collected: dict = {}
    token = _saved.set(collected)
    try:
        yield collected
    finally:
        _saved.reset(token)


class WrittenTogether:
    """The changes of many units of work, written by `write()` in a few statements for all:
    a batch of SLA flags, each its own command and unit of work, whose rows and events would
    otherwise take four statements a flag. Nothing is written before `write()`, so a command
    that fails leaves nothing to undo; `write()` refuses (StaleWrite) if any issue changed
    since it was read, writing nothing the caller's savepoint keeps."""

    def __init__(self):
        self.rows: list[tuple[dict, dict]] = []
        self.events: list[Event] = []
        self.after_commit: list[AfterCommit] = []

    def write(self) -> None:
        if update_each(IssueRecord, self.rows) != len(self.rows):
            raise StaleWrite("an issue changed since the batch read it")
        positions = record_many(self.events)
        for after_commit in set(self.after_commit):
            if positions:
                transaction.on_commit(lambda call=after_commit: call(positions))


_together: ContextVar[WrittenTogether | None] = ContextVar("written_together", default=None)


@contextmanager
def written_together() -> Iterator[WrittenTogether]:
    """Units of work committed within the block keep their changes for the batch's `write()`
    (call it inside the caller's transaction, after the block). Only for commands that change
    an issue's row alone, loaded with `get_without_timeline` (the SLA flags)."""
    together = WrittenTogether()
    token = _together.set(together)
    try:
        yield together
    finally:
        _together.reset(token)


class DjangoUnitOfWork(UnitOfWork):
    """`after_commit` receives the positions of the recorded events once the transaction commits.

    Nested inside an outer transaction (a test, a bulk action) it becomes a savepoint, and the
    after-commit call waits for the outermost commit, as Django's on_commit does.
    """

    def __init__(self, after_commit: AfterCommit | None = None):
        self.after_commit = after_commit
        self.staff = DjangoStaffDirectory()
        self.categories = DjangoCategoryCatalogue()
        self.sla_policies = DjangoSlaPolicyBook()
        self._events: list[Event] = []

    def __enter__(self) -> "DjangoUnitOfWork":
        self.issues = DjangoIssueLog()
        self._committed = False
        self._together = _together.get()
        if self._together is None:
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._together is not None:
            return  # it wrote nothing: what it committed waits for the batch's write()
        if exc_type is None and not self._committed:
            self.rollback()
        self._atomic.__exit__(exc_type, exc, traceback)

    def commit(self) -> None:
        if self._together is not None:
            rows, events = self.issues.unwritten_changes()
            self._events = [self._traced(event) for event in events]
            self._together.rows.extend(rows)
            self._together.events.extend(self._events)
            if self.after_commit is not None:
                self._together.after_commit.append(self.after_commit)
            self._committed = True
            return
        changed = [issue for issue in self.issues.seen.values() if issue.events]
        events = [self._traced(event) for event in self.issues.save_seen()]
        collected = _saved.get()
        if collected is not None:
            collected.update(
                (issue.id, detail_of(issue, [e for e in events if e.issue_id == issue.id]))
                for issue in changed
            )
        positions = record_events(events)
        self._events = events
        self._committed = True
        if self.after_commit is not None and positions:
            after_commit = self.after_commit
            transaction.on_commit(lambda: after_commit(positions))

    def _traced(self, event: Event) -> Event:
        """The event with what started the work and what caused it (unless it names them)."""
        return dataclasses.replace(
            event,
            correlation_id=event.correlation_id or current_correlation_id(),
            causation_id=event.causation_id or self.causation_id,
        )

    def rollback(self) -> None:
        transaction.set_rollback(True)

    def recorded_events(self) -> list[Event]:
        return list(self._events)
