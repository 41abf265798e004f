"""What the reports count, from one issue's events: plain functions, no database.

An issue's facts are a map from event version to the little each event says that reports need.
Everything counted is a function of that map alone, so events taken in twice or out of order
end in the same counts (the projection adds the difference between before and after).

`first_response` is the one place that says which event is an issue's first response.
"""

import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple

from issues_adapters.reports import histogram
from issues_domain import events
from issues_domain.lifecycle import is_open
from issues_domain.sla import Goal
from issues_domain.sla_clock import (
    ClockOperation,
    IssueClocks,
    Op,
    clock_notes,
)
from issues_domain.values import IssueStatus, Visibility

# Metrics: each is a count per day (and per bucket, for durations and scores).
CREATED, RESOLVED, OPENED_DELTA = "created", "resolved", "open_delta"
FIRST_RESPONSE, RESOLUTION_TIME, RATING = "first_response", "resolution_time", "rating"
# SLA outcomes, one per issue and target once decided; the bucket is the target's index here.
SLA_MET, SLA_BREACHED = "sla_met", "sla_breached"
SLA_GOALS = (Goal.FIRST_RESPONSE, Goal.RESOLUTION)
GROUPINGS = ("day", "category", "priority", "assignee")

# The kinds of fact; every event also states the issue's status after it.
REPORTED, TRIAGED, ASSIGNED, RESPONDED, RESOLVED_KIND, RATED = (
    "rep",
    "tri",
    "asg",
    "res",
    "sol",
    "rat",
)


def first_response(event: events.Event) -> bool:
    """A public reply by staff: a public comment, or a question that waits for the reporter
    (the composer's "reply and wait" and AwaitReporter both raise IssueAwaitingReporter)."""
    if isinstance(event, events.IssueAwaitingReporter):
        return event.actor.is_staff
    return (
        isinstance(event, events.IssueCommented)
        and event.actor.is_staff
        and event.visibility == Visibility.PUBLIC
    )


def fact_of(event: events.Event) -> list:
    """[epoch seconds, status, kind, details...] for one event, and last, if the event does
    anything to the SLA clocks, {"clock": [[operation, data], ...]} (issues_domain.sla_clock
    says which event does what)."""
    fact = _fact_of(event)
    notes = clock_notes(event)
    if notes:
        fact.append({"clock": [[str(op), data] for op, data in notes]})
    return fact


def _fact_of(event: events.Event) -> list:
    at = int(event.occurred_at.timestamp())
    status = str(event.status) if event.status else ""
    if isinstance(event, events.IssueReported):
        return [at, status or "reported", REPORTED, event.category, _text(event.priority)]
    if isinstance(event, events.IssueTriaged):
        return [at, status, TRIAGED, event.category, _text(event.priority)]
    if isinstance(event, events.IssueAssigned | events.IssueReassigned):
        return [at, status, ASSIGNED, event.assignee]
    if isinstance(event, events.IssuePicked):
        return [at, status, ASSIGNED, event.engineer]
    if isinstance(event, events.IssueResolved):
        return [at, status, RESOLVED_KIND]
    if isinstance(event, events.SatisfactionRated):
        return [at, status, RATED, event.score, event.comment]
    if isinstance(event, events.IssueReopened):
        return [at, status, ASSIGNED, event.assignee]
    if first_response(event):
        return [at, status, RESPONDED]
    return [at, status, ""]


def _text(value) -> str | None:
    return str(value) if value else None


@functools.cache  # a handful of statuses, asked for every fact of every issue of a rebuild
def _is_open(status: str) -> bool:
    """Open as the lifecycle table says (issues_domain.lifecycle: `waiting` is open work)."""
    try:
        IssueStatus(status)
    except ValueError:  # a status this code does not know: still work to do
        return bool(status)
    return is_open(status)


def _day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, UTC).date()


class Groups(NamedTuple):  # a tuple: a rebuild keys a count by it for every issue
    category: str
    priority: str
    assignee: str

    def of(self, grouping: str) -> str:
        return "" if grouping == "day" else getattr(self, grouping)


def groups(facts: dict[int, list]) -> Groups:
    """The issue's current category, priority and assignee ("" for none)."""
    category = priority = assignee = ""
    for version in sorted(facts):
        fact = facts[version]
        if fact[2] in (REPORTED, TRIAGED):
            category, priority = fact[3] or "", fact[4] or ""
        elif fact[2] == ASSIGNED:
            assignee = fact[3] or ""
    return Groups(category, priority, assignee)


@dataclass
class Clocks:
    """What an issue's SLA clocks come to, for the reports: each target's outcome once it is
    decided (the clock stopped, or a breach flagged while it runs), and the business time
    spent up to the first response and up to each resolution."""

    outcomes: list = field(default_factory=list)  # (goal index, met, decided at)
    first_response: int | None = None
    resolutions: dict = field(default_factory=dict)  # the resolution's version -> seconds


_OPS = {str(op): op for op in Op}  # a fifth of the time of Op(text), for every clock note


def _clock_operations(facts: dict[int, list]) -> list[ClockOperation]:
    return [
        ClockOperation(version, _OPS[op], datetime.fromtimestamp(fact[0], UTC), data)
        for version, fact in facts.items()
        if fact and isinstance(fact[-1], dict)
        for op, data in fact[-1].get("clock", ())
    ]


def clocks(facts: dict[int, list]) -> Clocks | None:
    """None unless an SLA policy applies to the issue (an SlaTargeted event)."""
    operations = _clock_operations(facts)
    if not any(item.op == Op.RETARGET for item in operations):
        return None
    unique = {(item.version, item.op): item for item in operations}
    issue_clocks, found = IssueClocks(), Clocks()
    stopped_at: dict[str, datetime] = {}
    for key in sorted(unique):
        item = unique[key]
        issue_clocks.apply(item)
        for goal, clock in issue_clocks.clocks.items():
            if not clock.stopped:
                stopped_at.pop(goal, None)
            elif goal not in stopped_at:
                stopped_at[goal] = item.at
                seconds = int(clock.spent.total_seconds())
                if goal == Goal.FIRST_RESPONSE and item.op == Op.RESPOND:
                    found.first_response = seconds
                elif goal == Goal.RESOLUTION and item.op == Op.RESOLVE:
                    found.resolutions[item.version] = seconds
    for index, goal in enumerate(SLA_GOALS):
        outcome = issue_clocks.outcome(goal)
        if outcome is not None:
            found.outcomes.append((index, outcome.met, outcome.decided_at))
    return found


def counted(facts: dict[int, list]) -> Counter:
    """(metric, day, bucket) -> count, for one issue; nothing until its report is known.
    Durations are business time where an SLA policy applies (its clocks), else wall time."""
    if 1 not in facts:
        return Counter()
    reported_at = facts[1][0]
    sla = clocks(facts)
    found: Counter = Counter()
    found[CREATED, _day(reported_at), 0] += 1
    was_open, responded, resolution = False, False, None
    ratings: dict[int, tuple[int, int]] = {}  # the resolution's version -> (rating version, score)
    for version in sorted(facts):
        at, status, kind, *details = facts[version]
        if status and _is_open(status) != was_open:
            was_open = not was_open
            found[OPENED_DELTA, _day(at), 0] += 1 if was_open else -1
        if kind == RESPONDED and not responded:
            responded = True
            took = at - reported_at
            if sla is not None and sla.first_response is not None:
                took = sla.first_response
            found[FIRST_RESPONSE, _day(at), histogram.bucket(took)] += 1
        elif kind == RESOLVED_KIND:
            resolution = version
            took = sla.resolutions.get(version, at - reported_at) if sla else at - reported_at
            found[RESOLVED, _day(at), 0] += 1
            found[RESOLUTION_TIME, _day(at), histogram.bucket(took)] += 1
        elif kind == RATED and resolution is not None:
            ratings[resolution] = (version, details[0])
    for resolved_version, (_, score) in ratings.items():
        found[RATING, _day(facts[resolved_version][0]), score] += 1
    for index, met, decided_at in sla.outcomes if sla else ():
        found[SLA_MET if met else SLA_BREACHED, decided_at.date(), index] += 1
    return found


MONTHLY = ":m"  # a grouping's month rows: counted on the month's first day


def rows(facts: dict[int, list]) -> Counter:
    """(metric, day, grouping, group, bucket) -> count, for one issue (see `spread`)."""
    found = counted(facts)
    if not found:
        return Counter()
    issue_groups = groups(facts)
    return spread(
        {(metric, day, index, issue_groups): count for (metric, day, index), count in found.items()}
    )


def spread(counts: dict) -> Counter:
    """(metric, day, bucket, Groups) -> count as (metric, day, grouping, group, bucket) ->
    count: each count once per grouping by day, and once more in its month's row, so a long
    period sums months rather than days. Many issues' counts at once add up per day first.
    (Plain dicts and the groupings spelt out: a rebuild spreads every issue's counts here.)"""
    by_day: dict = {}
    get = by_day.get
    for (metric, day, index, (category, priority, assignee)), count in counts.items():
        for key in (
            (metric, day, "day", "", index),
            (metric, day, "category", category, index),
            (metric, day, "priority", priority, index),
            (metric, day, "assignee", assignee, index),
        ):
            by_day[key] = get(key, 0) + count
    spread_out = Counter(by_day)
    get = spread_out.get
    months: dict = {}
    for (metric, day, grouping, group, index), count in by_day.items():
        month = months.get(day)
        if month is None:
            month = months[day] = day.replace(day=1)
        key = (metric, month, grouping + MONTHLY, group, index)
        spread_out[key] = get(key, 0) + count
    return spread_out


@dataclass(frozen=True)
class Rating:
    score: int
    comment: str
    rated_at: datetime


def current_rating(facts: dict[int, list]) -> Rating | None:
    """The latest rating of the latest resolution, while the issue stays resolved or closed."""
    rating = None
    for version in sorted(facts):
        at, status, kind, *details = facts[version]
        if kind == RATED:
            rating = Rating(details[0], details[1], datetime.fromtimestamp(at, UTC))
        elif kind == RESOLVED_KIND or (status and _is_open(status)):
            rating = None
    return rating
