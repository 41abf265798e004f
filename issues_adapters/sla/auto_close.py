"""The auto-close process manager's state: when each resolved issue was resolved.

Only the events that move an issue into or out of `resolved` matter; each is taken only if it
is newer (by the issue's version) than the one the row holds, so any order, any number of
times, ends the same. The timers (timers.py) close the issues resolved longer ago than
HELPDESK_AUTO_CLOSE_DAYS, through the indexed `resolved_at`.
"""

from django.db import transaction

from issues_adapters.sla.models import AutoClose
from issues_adapters.sla.tables import rows_of, upsert
from issues_domain import events

LIVE = {AutoClose: AutoClose._meta.db_table}


def apply_all(taken: list[events.Event], tables: dict = LIVE) -> None:
    taken = [event for event in taken if isinstance(event, AutoCloseProjection.handles)]
    if not taken:
        return
    table = tables[AutoClose]
    with transaction.atomic(savepoint=False):
        stored = rows_of(AutoClose, table, (event.issue_id for event in taken), ("status_version",))
        latest: dict = {}
        for event in taken:
            known = latest.get(event.issue_id)
            version = known["status_version"] if known else stored.get(event.issue_id, (0,))[0]
            if event.version > version:
                resolved = isinstance(event, events.IssueResolved)
                latest[event.issue_id] = {
                    "issue_id": event.issue_id,
                    "status_version": event.version,
                    "resolved_at": event.occurred_at if resolved else None,
                }
        upsert(AutoClose, table, [latest[issue_id] for issue_id in sorted(latest)])


class AutoCloseProjection:
    """The auto-close process manager's event handler; a rebuildable read model."""

    name = "sla.auto_close"
    # A resolved issue merged into another is closed by the merge: nothing left to close.
    handles = (events.IssueResolved, events.IssueReopened, events.IssueClosed, events.IssueMerged)
    models = (AutoClose,)

    def __call__(self, event: events.Event) -> None:
        apply_all([event])

    def handle_many(self, taken: list[events.Event]) -> None:
        apply_all(taken)

    def apply_into(self, taken: list[events.Event], tables: dict) -> None:
        apply_all(taken, tables)
