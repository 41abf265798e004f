"""The unit-of-work port: one atomic change to one issue, with its events recorded alongside."""

import abc

from issues_domain.events import Event
from issues_domain.ports import CategoryCatalogue, IssueLog, StaffDirectory
from issues_domain.sla import SlaPolicyBook


class StaleWrite(Exception):
    """The issue changed in storage since it was loaded; the work must be redone on fresh state."""


class UnitOfWork(abc.ABC):
    """Use as a context manager. Nothing is kept unless `commit()` is called inside the block.

    On commit the adapter saves every issue it handed out and records the events those issues
    raised, in the same transaction; a stale version raises StaleWrite and keeps nothing.
    """

    issues: IssueLog
    staff: StaffDirectory
    categories: CategoryCatalogue
    # None: no SLA policies (specs that are not about SLAs).
    sla_policies: SlaPolicyBook | None = None
    # The command (or event) this work is for; recorded with each event as its cause.
    causation_id: str | None = None

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc_info) -> None:
        self.rollback()

    @abc.abstractmethod
    def commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...

    @abc.abstractmethod
    def recorded_events(self) -> list[Event]:
        """The events of the last commit, in the order they were recorded."""
