"""An issue's SLA clocks: first response and resolution, counted in business time.

The clocks are a fold over clock operations, each taken from one of the issue's events and
ordered by the issue's version, so the same events in any order, each taken any number of
times, give the same clocks. `OPERATIONS` below is the one place that says which event does
what to the clocks.

- `start` at report; `retarget` when a policy applies (at report, at a triage that changed
  priority or category): the time spent so far is kept, the targets change (the time spent
  before the first policy applied counts in that policy's calendar);
- `respond` stops the first-response clock (the first public staff reply; awaiting the
  reporter too); `pause` / `resume` stop and restart the running clocks without stopping them
  for good (while the issue waits on its reporter);
- `resolve` stops both clocks; `reopen` lets the resolution clock run on from what it had
  spent; `close` stops both; `merge` (a duplicate merged into another issue) stops the running
  ones as merged: their targets neither met nor missed, unless missed already;
- `flag` notes a deadline that was warned of or breached, which is flagged only once; a
  breach stands for its goal (`outcome`), even once a later policy gives a longer target:
  while its clock runs on it reads breached, due when it became overdue (so the Overdue view,
  the badges and the order by next deadline keep it), and no later warning or breach is
  timed for that goal (`next_timer`): the breach was told once and stays told.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from issues_domain import events
from issues_domain.business_hours import BusinessCalendar, calendar_from_data
from issues_domain.sla import Goal
from issues_domain.values import Visibility


class Op(StrEnum):
    START = "start"
    RETARGET = "retarget"
    RESPOND = "respond"
    PAUSE = "pause"
    RESUME = "resume"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    MERGE = "merge"
    FLAG = "flag"


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    BREACHING_SOON = "breaching_soon"
    BREACHED = "breached"
    MET = "met"
    PAUSED = "paused"
    MERGED = "merged"  # stopped by a merge into another issue: neither met nor breached


class TimerKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"


class ClockOperation(NamedTuple):
    """One thing an event does to the clocks; `version` is the event's, which orders them.
    (A named tuple: a frozen dataclass took five times as long to make, and a rebuild of the
    reports makes two a clock event, bench/rebuild_reports.py.) `data` is never changed."""

    version: int
    op: Op
    at: datetime
    data: dict = {}  # one for all the operations without data: never changed


def _public_staff_reply(event: events.IssueCommented) -> list[Op]:
    is_reply = event.actor.is_staff and event.visibility == Visibility.PUBLIC
    return [Op.RESPOND] if is_reply else []


def _targets(event: events.SlaTargeted) -> dict:
    return {
        "first_response": event.first_response_seconds,
        "resolution": event.resolution_seconds,
        "calendar": event.calendar,
        "policy": event.policy,
    }


# Which event does what to the clocks. Asking the reporter answers them (the first response)
# and pauses the clocks until they answer; a duplicate merged into another issue stops them
# as merged.
OPERATIONS: dict[type[events.Event], Callable[[events.Event], list[Op]]] = {
    events.IssueReported: lambda e: [Op.START],
    events.SlaTargeted: lambda e: [Op.RETARGET],
    events.IssueCommented: _public_staff_reply,
    events.IssueAwaitingReporter: lambda e: [Op.RESPOND, Op.PAUSE],
    events.ReporterAnswered: lambda e: [Op.RESUME],
    events.IssueResolved: lambda e: [Op.RESOLVE],
    events.IssueReopened: lambda e: [Op.REOPEN],
    events.IssueClosed: lambda e: [Op.CLOSE],
    events.IssueMerged: lambda e: [Op.MERGE],
    events.SlaWarned: lambda e: [Op.FLAG],
    events.SlaBreached: lambda e: [Op.FLAG],
}
# The data an operation needs from its event, beyond its time.
_DATA: dict[Op, Callable[[events.Event], dict]] = {
    Op.RETARGET: _targets,
    Op.FLAG: lambda e: {"deadline": e.deadline},
}


def operations_for(event: events.Event) -> list[ClockOperation]:
    return [
        ClockOperation(event.version, op, event.occurred_at, data)
        for op, data in clock_notes(event)
    ]


def clock_notes(event: events.Event) -> list[tuple[Op, dict]]:
    """What the event does to the clocks, each operation with its data, as `operations_for`
    says it without the event's version and time."""
    ops = OPERATIONS.get(type(event))
    if ops is None:
        return []
    return [(op, _DATA[op](event) if op in _DATA else {}) for op in ops(event)]


def deadline_key(goal: str, kind: TimerKind, target: timedelta) -> str:
    """Names a deadline: a new target is a new deadline; a pause only moves its time."""
    return f"{goal}:{kind}:{int(target.total_seconds())}"


def _parts(key: str) -> tuple[str, str, timedelta | None]:
    """A deadline key's goal, kind and target (`deadline_key`; None if it names none)."""
    goal, _, rest = key.partition(":")
    kind, _, seconds = rest.partition(":")
    return goal, kind, timedelta(seconds=int(seconds)) if seconds.isdigit() else None


class Outcome(NamedTuple):
    """A target met or missed, and when that was decided."""

    met: bool
    decided_at: datetime


class Run(NamedTuple):
    """A stretch a clock ran in one calendar, from `start` to `end` (None while it runs),
    with `spent_before` spent before it: where the spent time reached a target is found in
    the run it was spent in, however the clock paused or changed calendar since."""

    start: datetime
    end: datetime | None
    spent_before: timedelta
    calendar: BusinessCalendar


@dataclass
class GoalClock:
    goal: str
    target: timedelta | None = None
    spent: timedelta = timedelta(0)  # business time spent in the runs that ended
    runs: list[Run] = field(default_factory=list)
    paused: bool = False
    stopped: bool = False
    stopped_at: datetime | None = None
    # When a breach of the goal was first flagged while its clock had not stopped. It stands:
    # the target then in force was missed, whatever target a later policy gives the clock.
    breached_at: datetime | None = None
    # When the spent time reached the target that breach missed: the clock stays due then.
    overdue_since: datetime | None = None
    # Stopped by a merge into another issue, which goes on with the problem: the duplicate's
    # target counts neither way (unless it was missed already).
    merged: bool = False

    @property
    def running(self) -> bool:
        return bool(self.runs) and self.runs[-1].end is None

    @property
    def running_since(self) -> datetime | None:
        return self.runs[-1].start if self.running else None

    def spent_at(self, now: datetime) -> timedelta:
        if not self.running:
            return self.spent
        run = self.runs[-1]
        return self.spent + run.calendar.elapsed(run.start, now)

    def reached_at(self, budget: timedelta) -> datetime | None:
        """When the spent time reaches `budget` (or reached it: an overdue clock stays due
        when it became overdue, not when it last resumed or was re-targeted); None if that
        lies beyond the horizon the calendar looks ahead (a target too long for it)."""
        run = next((run for run in reversed(self.runs) if run.spent_before < budget), self.runs[0])
        return run.calendar.deadline(run.start, max(budget - run.spent_before, timedelta(0)))


@dataclass(frozen=True)
class ClockReading:
    goal: str
    state: SlaState
    target: timedelta
    spent: timedelta
    due_at: datetime | None  # None while paused or stopped, or beyond the horizon
    warn_at: datetime | None


@dataclass(frozen=True)
class Timer:
    """A deadline the process manager acts on when `at` has come."""

    at: datetime
    kind: TimerKind
    goal: str
    deadline: str


@dataclass
class IssueClocks:
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar.always)
    policy: str | None = None
    clocks: dict[str, GoalClock] = field(
        default_factory=lambda: {goal: GoalClock(goal) for goal in Goal.ALL}
    )
    flagged: set[str] = field(default_factory=set)

    @classmethod
    def replay(cls, operations: Iterable[ClockOperation]) -> "IssueClocks":
        """The clocks after these operations, taken once each in the issue's order."""
        unique = {(item.version, item.op): item for item in operations}
        clocks = cls()
        for key in sorted(unique):
            clocks.apply(unique[key])
        return clocks

    @property
    def targeted(self) -> bool:
        return any(clock.target is not None for clock in self.clocks.values())

    # -- operations ---------------------------------------------------------------------------

    def apply(self, item: ClockOperation) -> None:
        getattr(self, f"_{item.op}")(item.at, **item.data)

    def _start(self, at: datetime) -> None:
        for clock in self.clocks.values():
            clock.stopped, clock.stopped_at = False, None
            self._run(clock, at)

    def _retarget(self, at, *, first_response, resolution, calendar, policy) -> None:
        # The time so far counts in the calendar it ran under; the clocks run on in the new one.
        running = [clock for clock in self.clocks.values() if clock.running]
        for clock in running:
            self._bank(clock, at)
        known = self.targeted
        self.calendar, self.policy = calendar_from_data(calendar), policy
        if not known:
            # Time spent before any policy was known counts in the first one's calendar
            # (outside its hours, none), not round the clock as the clocks started.
            for clock in self.clocks.values():
                self._recount(clock)
        for clock in running:
            self._run(clock, at)
        self.clocks[Goal.FIRST_RESPONSE].target = timedelta(seconds=first_response)
        self.clocks[Goal.RESOLUTION].target = timedelta(seconds=resolution)

    def _respond(self, at: datetime) -> None:
        self._stop(self.clocks[Goal.FIRST_RESPONSE], at)

    def _pause(self, at: datetime) -> None:
        for clock in self.clocks.values():
            if clock.running:
                self._bank(clock, at)
                clock.paused = True

    def _resume(self, at: datetime) -> None:
        for clock in self.clocks.values():
            if clock.paused and not clock.stopped:
                self._run(clock, at)

    def _resolve(self, at: datetime) -> None:
        for clock in self.clocks.values():
            self._stop(clock, at)

    def _reopen(self, at: datetime) -> None:
        clock = self.clocks[Goal.RESOLUTION]
        clock.stopped, clock.stopped_at = False, None
        self._run(clock, at)

    _close = _resolve

    def _merge(self, at: datetime) -> None:
        for clock in self.clocks.values():
            if not clock.stopped:
                self._stop(clock, at)
                clock.merged = True

    def _flag(self, at: datetime, *, deadline: str) -> None:
        self.flagged.add(deadline)
        goal, kind, missed = _parts(deadline)
        clock = self.clocks.get(goal)
        if kind == TimerKind.BREACH and clock and not clock.stopped and not clock.breached_at:
            clock.breached_at = at
            known = missed is not None and clock.runs
            clock.overdue_since = (clock.reached_at(missed) if known else None) or at

    def _stop(self, clock: GoalClock, at: datetime) -> None:
        self._bank(clock, at)
        if not clock.stopped:
            clock.stopped_at = at
        clock.paused, clock.stopped = False, True

    def _run(self, clock: GoalClock, at: datetime) -> None:
        """The clock runs from `at` in the current calendar."""
        self._bank(clock, at)
        clock.runs.append(Run(at, None, clock.spent, self.calendar))
        clock.paused = False

    def _recount(self, clock: GoalClock) -> None:
        """The clock's runs (all ended) counted again in the current calendar."""
        clock.spent, runs = timedelta(0), clock.runs
        for index, (start, end, _, _) in enumerate(runs):
            runs[index] = Run(start, end, clock.spent, self.calendar)
            clock.spent += self.calendar.elapsed(start, end)

    def _bank(self, clock: GoalClock, at: datetime) -> None:
        """The running clock stops at `at`, its run's time spent."""
        runs = clock.runs
        if runs and runs[-1].end is None:
            start, _, spent_before, calendar = runs[-1]
            clock.spent += calendar.elapsed(start, at)
            runs[-1] = Run(start, at, spent_before, calendar)

    # -- readings -----------------------------------------------------------------------------

    def reading(self, goal: str, now: datetime, warn_ratio: float) -> ClockReading | None:
        clock = self.clocks[goal]
        if clock.target is None:
            return None
        spent = clock.spent_at(now)
        due_at, warn_at = self.due_times(clock, warn_ratio)
        if clock.stopped:
            outcome = self.outcome(goal)
            if outcome is None:
                state = SlaState.MERGED
            else:
                state = SlaState.MET if outcome.met else SlaState.BREACHED
        elif spent >= clock.target or clock.breached_at is not None:
            state = SlaState.BREACHED
        elif clock.paused:
            state = SlaState.PAUSED
        elif spent >= clock.target * warn_ratio:
            state = SlaState.BREACHING_SOON
        else:
            state = SlaState.ON_TRACK
        return ClockReading(goal, state, clock.target, spent, due_at, warn_at)

    def outcome(self, goal: str) -> Outcome | None:
        """Whether the goal's target was met, once that is decided: when its clock stopped
        (met if the time spent stayed within the target and no breach was flagged before,
        under this policy or an earlier one), or when a breach was flagged while it ran.
        None while undecided, and for a target a merge stopped before it was missed."""
        clock = self.clocks[goal]
        if clock.target is None:
            return None
        if clock.stopped:
            met = clock.spent <= clock.target and clock.breached_at is None
            if met and clock.merged:
                return None
            return Outcome(met, clock.stopped_at)
        if clock.breached_at is not None:
            return Outcome(False, clock.breached_at)
        return None

    def readings(self, now: datetime, warn_ratio: float) -> dict[str, ClockReading]:
        found = {goal: self.reading(goal, now, warn_ratio) for goal in Goal.ALL}
        return {goal: reading for goal, reading in found.items() if reading is not None}

    def flagged_state(self) -> SlaState | None:
        """What the timers have recorded of the running clocks' current deadlines: BREACHED
        once a clock's breach was flagged, else BREACHING_SOON once its warning was, else None.

        Recorded facts, not the time: a deadline counts from its SlaWarned / SlaBreached on,
        and no longer once its clock stops or pauses; a warning no longer once its clock takes
        a new target (a new deadline, flagged in its turn), a breach still (it stands)."""
        found = None
        for clock in self.clocks.values():
            if clock.target is None or not clock.running:
                continue
            if clock.breached_at is not None:
                return SlaState.BREACHED
            if deadline_key(clock.goal, TimerKind.BREACH, clock.target) in self.flagged:
                return SlaState.BREACHED
            if deadline_key(clock.goal, TimerKind.WARNING, clock.target) in self.flagged:
                found = SlaState.BREACHING_SOON
        return found

    def next_timer(self, warn_ratio: float) -> Timer | None:
        """The earliest deadline of a running clock that has not been flagged yet; none of a
        goal whose breach was flagged, whatever target it has since."""
        timers = []
        for clock in self.clocks.values():
            if clock.target is None or not clock.running or clock.breached_at is not None:
                continue
            due_at, warn_at = self.due_times(clock, warn_ratio)
            for kind, at in ((TimerKind.WARNING, warn_at), (TimerKind.BREACH, due_at)):
                key = deadline_key(clock.goal, kind, clock.target)
                if at is not None and key not in self.flagged:
                    timers.append(Timer(at, kind, clock.goal, key))
        return min(
            timers, key=lambda timer: (timer.at, timer.kind != TimerKind.WARNING), default=None
        )

    def due_times(
        self, clock: GoalClock, warn_ratio: float
    ) -> tuple[datetime | None, datetime | None]:
        if not clock.running or clock.target is None:
            return None, None
        due_at = clock.reached_at(clock.target)
        warn_at = clock.reached_at(clock.target * warn_ratio)
        if clock.overdue_since is not None:
            # Due when it became overdue, though a later policy's target lies further on.
            due_at = min(due_at or clock.overdue_since, clock.overdue_since)
            warn_at = min(warn_at or due_at, due_at)
        return due_at, warn_at
