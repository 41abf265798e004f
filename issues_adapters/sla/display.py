"""What people see of the clocks: a badge per queue row, the issue's panel, the API's `sla`,
and the "Breaching soon" and "Overdue" views with their kept counts.

The badges and the panel read the clocks at the time of asking; the views follow the
deadlines the timers have flagged (clocks.py says why), seconds behind."""

import dataclasses
import functools
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import DateTimeField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues_adapters.persistence import event_codec
from issues_adapters.persistence.event_log import rows_of, to_event
from issues_adapters.persistence.kept_statements import Statement
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.sla.clocks import policy_of, readings_of, with_events
from issues_adapters.sla.models import SlaClock, SlaViewCount
from issues_domain import events
from issues_domain.sla import Goal
from issues_domain.sla_clock import (
    OPERATIONS,
    ClockReading,
    IssueClocks,
    SlaState,
    operations_for,
)
from issues_service.queries import IssueDetail

STATE_LABELS = {
    SlaState.ON_TRACK: _("On track"),
    SlaState.BREACHING_SOON: _("Breaching soon"),
    SlaState.BREACHED: _("Breached"),
    SlaState.MET: _("Met"),
    SlaState.PAUSED: _("Paused"),
    SlaState.MERGED: _("Not applicable (merged)"),
}
# The queue's Due column is 8rem wide: there a merged issue's badge says "Merged" (its title
# the whole state), which the issue page says in full.
QUEUE_STATE_LABELS = {**STATE_LABELS, SlaState.MERGED: pgettext_lazy("SLA state", "Merged")}
# The events that act on the clocks, by the names the event log keeps.
_CLOCK_EVENT_TYPES = [event_type.__name__ for event_type in OPERATIONS]
GOAL_LABELS = {Goal.FIRST_RESPONSE: _("First response"), Goal.RESOLUTION: _("Resolution")}
# Which clock a queue row shows: the one in the worst state (then the soonest due).
_SEVERITY = [
    SlaState.BREACHED,
    SlaState.BREACHING_SOON,
    SlaState.ON_TRACK,
    SlaState.PAUSED,
    SlaState.MET,
    SlaState.MERGED,
]


@dataclass(frozen=True)
class Badge:
    state: str
    label: str  # as the queue shows it (QUEUE_STATE_LABELS)
    state_label: str  # in full (STATE_LABELS), for its title
    goal_label: str
    due_at: datetime | None


def _badge(readings: dict[str, ClockReading]) -> Badge | None:
    if not readings:
        return None
    worst = min(
        readings.values(),
        key=lambda reading: (
            _SEVERITY.index(reading.state),
            reading.due_at or datetime.max.replace(tzinfo=timezone.get_current_timezone()),
        ),
    )
    return Badge(
        worst.state.value,
        QUEUE_STATE_LABELS[worst.state],
        STATE_LABELS[worst.state],
        GOAL_LABELS[worst.goal],
        worst.due_at,
    )


@functools.lru_cache(maxsize=64)
def _clocks_of(count: int) -> Statement:
    """The clocks of `count` issues: a statement for each number of them (a queue page has
    at most 25), compiled once (persistence/kept_statements.py)."""
    return Statement(
        lambda *issue_ids: SlaClock.objects.filter(issue_id__in=issue_ids).values(
            "issue_id", "operations"
        ),
        *[SlaClock._meta.pk] * count,
    )


def badges_for(issue_ids, now: datetime | None = None) -> dict:
    """Each issue's badge, by issue id (as a string, for templates): one statement."""
    now = now or timezone.now()
    issue_ids = list(dict.fromkeys(issue_ids))
    rows = _clocks_of(len(issue_ids)).rows(*issue_ids) if issue_ids else []
    found = {str(row["issue_id"]): _badge(readings_of(row["operations"], now)) for row in rows}
    return {issue_id: badge for issue_id, badge in found.items() if badge is not None}


# The issue page reads it on every request: compiled once (persistence/kept_statements.py).
_CLOCK = Statement(
    lambda issue_id: SlaClock.objects.filter(issue_id=issue_id).values("operations", "policy"),
    SlaClock._meta.pk,
)


def panel_for(issue_id, now: datetime | None = None, new_events=()) -> dict | None:
    """The issue's policy and each clock's reading, or None when no policy applies; with
    `new_events`, the issue's events just recorded, as the clocks will stand once they reach
    them (a command's answer: the clocks take its events after the commit)."""
    rows = _CLOCK.rows(issue_id)
    operations = rows[0]["operations"] if rows else "[]"
    if new_events:
        operations = with_events(operations, new_events)
    return _panel(operations, now or timezone.now())


def _panel(operations: str, now: datetime) -> dict | None:
    readings = readings_of(operations, now)
    if not readings:
        return None
    return {
        "policy": policy_of(operations),
        "clocks": [
            {
                "goal": goal,
                "goal_label": GOAL_LABELS[goal],
                "state": reading.state.value,
                "label": STATE_LABELS[reading.state],
                "due_at": reading.due_at,
                "target_minutes": int(reading.target.total_seconds() // 60),
                "spent_minutes": int(reading.spent.total_seconds() // 60),
            }
            for goal, reading in readings.items()
        ],
    }


def panel_of(data: dict | None) -> dict | None:
    """The issue page's panel from the `sla` the issue was read with (api_data): the same
    readings, without reading the clocks a second time."""
    if not data:
        return None
    return {
        "policy": data["policy"],
        "clocks": [
            {
                "goal": goal,
                "goal_label": GOAL_LABELS[goal],
                "state": clock["state"],
                "label": STATE_LABELS[SlaState(clock["state"])],
                "due_at": clock["due_at"],
                "target_minutes": clock["target_minutes"],
                "spent_minutes": clock["spent_minutes"],
            }
            for goal, clock in data.items()
            if goal != "policy"
        ],
    }


def api_data(issue_id, now: datetime | None = None, new_events=()) -> dict | None:
    """The issue JSON's `sla`: the policy, and per goal its state, due time and target."""
    return _api_data(panel_for(issue_id, now, new_events))


def with_sla_of(issue: IssueDetail, history, moment: datetime) -> IssueDetail:
    """The issue with its `sla` as its events up to its version set the clocks, read at
    `moment` (one yet to come is read now): the issue as it was then (`?as_of=`,
    issues_service.time_travel), or the issue page right after an action (the clocks read
    model takes the action's events after the commit, on a thread of its own)."""
    then = [event for event in history if event.version <= issue.version]
    now = min(moment, timezone.now())
    return dataclasses.replace(issue, sla=api_data_of_history(issue.id, then, now))


def api_data_of_history(issue_id, history, now: datetime) -> dict | None:
    """The issue JSON's `sla` as these recorded events of the issue (its history as the read
    side gives it) set the clocks, read at `now`."""
    return _api_data(_panel(with_events("[]", _clock_events(issue_id, history)), now))


def _clock_events(issue_id, history) -> list[events.Event]:
    """The events among `history` that act on the clocks, as the domain's events; one this
    code cannot read is left out, as the clocks read model leaves it."""
    found = []
    for recorded in history:
        if recorded.event_type not in _CLOCK_EVENT_TYPES:
            continue
        try:
            found.append(
                event_codec.decode(
                    recorded.event_type,
                    recorded.data,
                    event_id=recorded.event_id,
                    issue_id=issue_id,
                    version=recorded.version,
                    occurred_at=recorded.occurred_at,
                    actor_role=recorded.actor_role,
                    actor_name=recorded.actor_name,
                    schema_version=recorded.schema_version,
                    status=recorded.status,
                )
            )
        except event_codec.UndecodableEvent:
            continue
    return found


def _api_data(panel: dict | None) -> dict | None:
    if panel is None:
        return None
    return {
        "policy": panel["policy"],
        **{
            clock["goal"]: {
                "state": clock["state"],
                "due_at": clock["due_at"],
                "target_minutes": clock["target_minutes"],
                "spent_minutes": clock["spent_minutes"],
            }
            for clock in panel["clocks"]
        },
    }


@dataclass(frozen=True)
class FlaggedDeadline:
    due_at: datetime | None
    time_zone: str  # the policy's calendar's


def flagged_deadline(issue_id, flag_event_id, goal: str) -> FlaggedDeadline:
    """The deadline a warning or breach (the event `flag_event_id`) is about: the goal's due
    time as the issue's events up to that flag set the clock (a warning's own time is only
    most of the target), the last it had if the clock stopped before the flag."""
    operations = []
    for row in rows_of(
        RecordedEvent.objects.filter(issue_id=issue_id, event_type__in=_CLOCK_EVENT_TYPES).order_by(
            "issue_version"
        )
    ):
        operations += operations_for(to_event(row))
        if row.event_id == flag_event_id:
            break
    clocks, due_at = IssueClocks(), None
    for operation in sorted(operations, key=lambda item: (item.version, item.op)):  # as replayed
        clocks.apply(operation)
        clock = clocks.clocks[goal]
        if clock.target is not None and clock.running:
            due_at = clocks.due_times(clock, settings.HELPDESK_SLA_WARNING_RATIO)[0]
    return FlaggedDeadline(due_at, clocks.calendar.time_zone)


def overdue():
    return SlaClock.objects.filter(view="overdue")


def breaching_soon():
    return SlaClock.objects.filter(view="breaching_soon")


_VIEW_COUNTS = Statement(lambda: SlaViewCount.objects.values("view", "count"))


def view_counts() -> dict:
    """Both views' counts, as kept with the clocks (clocks.py): two rows, whatever the size."""
    kept = {row["view"]: row["count"] for row in _VIEW_COUNTS.rows()}
    return {view: kept.get(view, 0) for view in SLA_VIEWS}


SLA_VIEWS = {"overdue": overdue, "breaching_soon": breaching_soon}
# Issues with no running clock sort after every deadline.
NO_DEADLINE = datetime(9999, 12, 31, tzinfo=UTC)


def next_deadline():
    """The issue's soonest due time of a running clock, for ordering the queue by it."""
    due = SlaClock.objects.filter(issue_id=OuterRef("id")).values("due_at")[:1]
    return Coalesce(Subquery(due), Value(NO_DEADLINE), output_field=DateTimeField())
