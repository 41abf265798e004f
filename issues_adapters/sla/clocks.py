"""The SLA clocks process manager's state: a read model kept from events.

Each issue's row holds the clock operations its events made (issues_domain.sla_clock), keyed
by the issue's version, and what they come to: the due times, and when the timers must next
act (`next_timer_at`, indexed). An event taken twice or out of order adds nothing new or is
sorted into place, so the row comes out the same (the triple shuffle). The targets come from
the issue's SlaTargeted events, so a policy changed or deleted later changes no clock.

The timers (timers.py) read `next_timer_at`; the issue page, the queue and the API read
`readings()`.

The queue's "Breaching soon" and "Overdue" views follow what the timers recorded, not the
time: an issue is in "Overdue" from the SlaBreached of a running clock's deadline, in
"Breaching soon" from its SlaWarned (and not overdue), and leaves the view when the clock
stops or pauses, or takes a new target before its breach (IssueClocks.flagged_state: a breach
stands, so a clock breached and then given a longer target stays overdue, due when it became
so, and no timer is set for that goal again). The timers flag a deadline
within a relay pass of its time, so a view lags the clock by seconds; in return each row says
its view (`view`), and each view's count (SlaViewCount) moves with the rows in the same
transaction, so the count and the list agree and neither is counted per page.
"""

import functools
import json
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction

from issues_adapters.sla.models import SlaClock, SlaViewCount
from issues_adapters.sla.tables import rows_of, upsert
from issues_domain import events
from issues_domain.sla import Goal
from issues_domain.sla_clock import (
    OPERATIONS,
    ClockOperation,
    IssueClocks,
    Op,
    SlaState,
    operations_for,
)

LIVE = {SlaClock: SlaClock._meta.db_table, SlaViewCount: SlaViewCount._meta.db_table}
# The queue's SLA view of each flagged state (display.SLA_VIEWS).
VIEWS = {SlaState.BREACHING_SOON: "breaching_soon", SlaState.BREACHED: "overdue"}


def _ratio() -> float:
    return settings.HELPDESK_SLA_WARNING_RATIO


def encode(operations) -> str:
    ordered = sorted({(item.version, item.op): item for item in operations}.items())
    return json.dumps(
        [[item.version, item.op.value, item.at.isoformat(), item.data] for _, item in ordered],
        sort_keys=True,
    )


def decode(text: str) -> list[ClockOperation]:
    return [
        ClockOperation(version, Op(op), datetime.fromisoformat(at), data)
        for version, op, at, data in json.loads(text or "[]")
    ]


def summary(issue_id, operations: list[ClockOperation]) -> dict:
    clocks = IssueClocks.replay(operations)
    ratio = _ratio()
    dues, warns = {}, []
    for goal, clock in clocks.clocks.items():
        due_at, warn_at = clocks.due_times(clock, ratio) if clock.target else (None, None)
        dues[goal] = due_at
        if warn_at is not None:
            warns.append(warn_at)
    timer = clocks.next_timer(ratio)
    running_dues = [due for due in dues.values() if due is not None]
    return {
        "issue_id": issue_id,
        "operations": encode(operations),
        "policy": clocks.policy,
        "first_response_due": dues[Goal.FIRST_RESPONSE],
        "resolution_due": dues[Goal.RESOLUTION],
        "due_at": min(running_dues, default=None),
        "warn_at": min(warns, default=None),
        "paused": any(clock.paused for clock in clocks.clocks.values()),
        "next_timer_at": timer.at if timer else None,
        "next_timer_kind": timer.kind.value if timer else None,
        "next_timer_goal": timer.goal if timer else None,
        "next_timer_deadline": timer.deadline if timer else None,
        "view": VIEWS.get(clocks.flagged_state()),
        "reported_at": min((item.at for item in operations if item.op == Op.START), default=None),
    }


def apply_all(taken: list[events.Event], tables: dict = LIVE) -> None:
    new: dict = defaultdict(list)
    for event in taken:
        new[event.issue_id].extend(operations_for(event))
    new = {issue_id: found for issue_id, found in new.items() if found}
    if not new:
        return
    table = tables[SlaClock]
    with transaction.atomic(savepoint=False):
        stored = rows_of(SlaClock, table, sorted(new), ("operations", "view"))
        changed, moved = [], defaultdict(int)
        for issue_id in sorted(new):
            text, view = stored.get(issue_id, ("[]", None))
            before = decode(text)
            added = _not_in(before, new[issue_id])
            if added:
                row = summary(issue_id, before + added)
                changed.append(row)
                if row["view"] != view:
                    moved[view] -= 1
                    moved[row["view"]] += 1
        upsert(SlaClock, table, changed)
        _count(moved, tables[SlaViewCount])


def _not_in(before: list[ClockOperation], new: list[ClockOperation]) -> list[ClockOperation]:
    """The new operations `before` does not hold yet: an event taken twice adds nothing."""
    known = {(item.version, item.op) for item in before}
    return [item for item in new if (item.version, item.op) not in known]


def with_events(operations_text: str, taken: list[events.Event]) -> str:
    """The operations with those of these events (of the same issue) added, as the row will
    hold them once the events reach this read model."""
    before = decode(operations_text)
    added = _not_in(before, [item for event in taken for item in operations_for(event)])
    return encode(before + added) if added else operations_text


def _count(moved: dict, table: str) -> None:
    """Move the views' counts by these amounts, in one statement (an upsert)."""
    deltas = sorted((view, delta) for view, delta in moved.items() if view and delta)
    if not deltas:
        return
    quote = connection.ops.quote_name
    name, view, count = quote(table), quote("view"), quote("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {name} ({view}, {count}) VALUES {', '.join(['(%s, %s)'] * len(deltas))} "
            f"ON CONFLICT ({view}) DO UPDATE SET {count} = {name}.{count} + excluded.{count}",
            [value for pair in deltas for value in pair],
        )


class SlaClocksProjection:
    """The clocks process manager's event handler; a rebuildable read model."""

    name = "sla.clocks"
    handles = tuple(OPERATIONS)
    models = (SlaClock, SlaViewCount)

    def __call__(self, event: events.Event) -> None:
        apply_all([event])

    def handle_many(self, taken: list[events.Event]) -> None:
        apply_all(taken)

    def apply_into(self, taken: list[events.Event], tables: dict) -> None:
        apply_all(taken, tables)


def clocks_of(issue_id) -> IssueClocks | None:
    row = SlaClock.objects.filter(issue_id=issue_id).values_list("operations", flat=True).first()
    return IssueClocks.replay(decode(row)) if row else None


@functools.lru_cache(maxsize=2048)
def _replayed(operations_text: str) -> IssueClocks:
    """The clocks of these operations. Kept: the queue reads the same clocks page after page,
    and replaying them was most of its badges' cost (bench/queue_page.py); a reading leaves the
    clocks as they are, and new operations are a new text."""
    return IssueClocks.replay(decode(operations_text))


def policy_of(operations_text: str) -> str | None:
    return _replayed(operations_text or "[]").policy


def readings_of(operations_text: str, now: datetime) -> dict:
    """Each clock's state and due time, for pages and the API."""
    clocks = _replayed(operations_text or "[]")
    return clocks.readings(now, _ratio()) if clocks.targeted else {}
