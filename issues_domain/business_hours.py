"""Business hours: when the helpdesk works, and time counted only while it does.

A calendar names its working days (Monday = 0), one opening and one closing time a working
day, a time zone and its holidays (date ranges); or it runs round the clock. Working intervals
are made in the calendar's local time and turned into UTC instants by zoneinfo, so a day that
changes to or from daylight saving time has the hours its clocks show.
"""

import functools
import itertools
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop
from issues_domain.values import validate_all

# However sparse a calendar, a deadline is never looked for more than this far ahead.
_HORIZON_DAYS = 3 * 366
HORIZON = timedelta(days=_HORIZON_DAYS)


@dataclass(frozen=True)
class Holiday:
    first_day: date
    last_day: date
    name: str = ""

    def covers(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str = "UTC"
    working_days: frozenset[int] = frozenset(range(5))
    opens_at: time = time(9)
    closes_at: time = time(17)
    holidays: tuple[Holiday, ...] = ()
    round_the_clock: bool = False
    zone: zoneinfo.ZoneInfo = field(init=False, repr=False, compare=False)
    # Each day's working interval (UTC) once worked out, by the day's ordinal: the clocks of
    # a rebuild walk the same few thousand days for every issue (bench/rebuild_reports.py).
    _days: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "zone", _zone(self.time_zone))

    @classmethod
    def create(
        cls,
        *,
        time_zone: str,
        working_days=(0, 1, 2, 3, 4),
        opens_at: time = time(9),
        closes_at: time = time(17),
        holidays=(),
        round_the_clock: bool = False,
    ) -> "BusinessCalendar":
        """A calendar, or InvalidInput naming each field that cannot be one."""
        checked = validate_all(
            time_zone=lambda: _zone(time_zone) and time_zone,
            working_days=lambda: _working_days(working_days, round_the_clock),
            working_hours=lambda: _working_hours(opens_at, closes_at, round_the_clock),
            holidays=lambda: _holidays(holidays),
        )
        return cls(
            time_zone=checked["time_zone"],
            working_days=checked["working_days"],
            opens_at=opens_at,
            closes_at=closes_at,
            holidays=checked["holidays"],
            round_the_clock=round_the_clock,
        )

    @classmethod
    @functools.cache  # one, shared: every issue's clocks start with it
    def always(cls) -> "BusinessCalendar":
        return cls(round_the_clock=True)

    # -- business-time arithmetic -----------------------------------------------------------

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which `duration` of business time has passed since `start`;
        InvalidInput if that lies beyond the horizon."""
        found = self.deadline(start, duration)
        if found is None:
            message = Text(gettext_noop("No working time within three years."))
            raise InvalidInput.on("working_days", message)
        return found

    def deadline(self, start: datetime, duration: timedelta) -> datetime | None:
        """The instant at which `duration` of business time has passed since `start`, or
        None if the calendar has less working time than that within the horizon."""
        if self.round_the_clock:
            return start + duration if duration <= HORIZON else None
        left = duration
        for opens, closes in self._intervals_from(start):
            begin = max(opens, start)
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        return None

    def working_time_ahead(self, start: datetime) -> timedelta:
        """The business time within the horizon from `start`: the longest duration that
        `deadline` finds an instant for."""
        if self.round_the_clock:
            return HORIZON
        return sum(
            (closes - max(opens, start) for opens, closes in self._intervals_from(start)),
            timedelta(0),
        )

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Business time between two instants (zero if `end` is not after `start`)."""
        if end <= start:
            return timedelta(0)
        if self.round_the_clock:
            return end - start
        total = timedelta(0)
        for opens, closes in self._intervals_from(start):
            if opens >= end:
                break
            total += min(closes, end) - max(opens, start)
        return total

    def _intervals_from(self, start: datetime):
        """Working intervals (UTC) that end after `start`, in order."""
        first = start.astimezone(self.zone).toordinal()
        for day in range(first, first + _HORIZON_DAYS):
            hours = self._working_hours(day)
            if hours is not None and hours[1] > start:
                yield hours

    def _working_hours(self, ordinal: int) -> tuple[datetime, datetime] | None:
        """The day's opening and closing (UTC), None if it is not a working day."""
        try:
            return self._days[ordinal]
        except KeyError:
            pass
        day, hours = date.fromordinal(ordinal), None
        if day.weekday() in self.working_days and not self._is_holiday(day):
            opens = datetime.combine(day, self.opens_at, self.zone).astimezone(UTC)
            hours = opens, datetime.combine(day, self.closes_at, self.zone).astimezone(UTC)
        if len(self._days) < _HORIZON_DAYS * 4:  # bounded, however long a process lives
            self._days[ordinal] = hours
        return hours

    def _is_holiday(self, day: date) -> bool:
        return any(holiday.covers(day) for holiday in self.holidays)


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(str(name or ""))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        message = Text(gettext_noop("Unknown time zone: %(name)r."), name=name)
        raise InvalidInput.on("time_zone", message) from None


def _working_days(days, round_the_clock: bool) -> frozenset[int]:
    found = frozenset(int(day) for day in days)
    if any(day not in range(7) for day in found):
        message = Text(gettext_noop("Days are 0 (Monday) to 6 (Sunday)."))
        raise InvalidInput.on("working_days", message)
    if not found and not round_the_clock:
        raise InvalidInput.on(
            "working_days", Text(gettext_noop("Choose at least one working day."))
        )
    return found


def _working_hours(opens_at: time, closes_at: time, round_the_clock: bool) -> None:
    if not round_the_clock and opens_at >= closes_at:
        message = Text(gettext_noop("The helpdesk must open before it closes."))
        raise InvalidInput.on("working_hours", message)


def _holidays(holidays) -> tuple[Holiday, ...]:
    ordered = tuple(sorted(holidays, key=lambda holiday: holiday.first_day))
    for holiday in ordered:
        if holiday.last_day < holiday.first_day:
            message = Text(gettext_noop("%(holiday)s ends early."), holiday=_named(holiday))
            raise InvalidInput.on("holidays", message)
    for earlier, later in itertools.pairwise(ordered):
        if later.first_day <= earlier.last_day:
            message = gettext_noop("%(earlier)s overlaps %(later)s.")
            raise InvalidInput.on(
                "holidays", Text(message, earlier=_named(earlier), later=_named(later))
            )
    return ordered


def _named(holiday: Holiday) -> str:
    return holiday.name or str(holiday.first_day)


def calendar_to_data(calendar: BusinessCalendar) -> dict:
    """The calendar as plain data, as an event records it."""
    return {
        "time_zone": calendar.time_zone,
        "working_days": sorted(calendar.working_days),
        "opens_at": calendar.opens_at.isoformat(),
        "closes_at": calendar.closes_at.isoformat(),
        "holidays": [
            [holiday.first_day.isoformat(), holiday.last_day.isoformat(), holiday.name]
            for holiday in calendar.holidays
        ],
        "round_the_clock": calendar.round_the_clock,
    }


def calendar_from_data(data: dict) -> BusinessCalendar:
    """The calendar the data describes; the same calendar object for equal data (a few
    policies' calendars are read for every issue, and each keeps the days it worked out)."""
    return _calendar(
        data["time_zone"],
        tuple(data["working_days"]),
        data["opens_at"],
        data["closes_at"],
        tuple(tuple(holiday) for holiday in data["holidays"]),
        data["round_the_clock"],
    )


@functools.lru_cache(maxsize=64)
def _calendar(time_zone, working_days, opens_at, closes_at, holidays, round_the_clock):
    return BusinessCalendar(
        time_zone=time_zone,
        working_days=frozenset(working_days),
        opens_at=time.fromisoformat(opens_at),
        closes_at=time.fromisoformat(closes_at),
        holidays=tuple(
            Holiday(date.fromisoformat(first), date.fromisoformat(last), name)
            for first, last, name in holidays
        ),
        round_the_clock=round_the_clock,
    )
