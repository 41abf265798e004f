"""The SLA policies admins keep, read as the domain's SlaPolicy (the SlaPolicyBook port)."""

import functools
from datetime import UTC, date, datetime, timedelta

import holidays

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from issues_domain.business_hours import BusinessCalendar, Holiday
from issues_domain.errors import InvalidInput
from issues_domain.sla import SlaPolicy, SlaPolicyBook
from issues_domain.texts import Text, gettext_noop


def calendar_of(record: BusinessCalendarRecord) -> BusinessCalendar:
    """The domain's calendar; InvalidInput (naming the field) if the record is not one."""
    own = [
        Holiday(date.fromisoformat(first), date.fromisoformat(last), name)
        for first, last, name in record.holidays
    ]
    return BusinessCalendar.create(
        time_zone=record.time_zone,
        working_days=record.working_days,
        opens_at=record.opens_at,
        closes_at=record.closes_at,
        round_the_clock=record.round_the_clock,
        holidays=own + national_holidays(record.holiday_country, besides=own),
    )


def refuse_without_working_time(calendar: BusinessCalendar, now: datetime | None = None) -> None:
    """InvalidInput (under working_days) unless the calendar has working time soon: the SLA
    clocks of every issue its policies apply to would fail on it."""
    calendar.add(now or datetime.now(UTC), timedelta(0))


# A deadline is at most months away; the clocks record the calendar they ran under.
_YEARS_AHEAD = 2


def national_holidays(country: str, *, besides=(), today: date | None = None) -> list[Holiday]:
    """The country's public holidays from last year to two years on, as one-day holidays,
    leaving out days the calendar's own holidays cover already."""
    if not country:
        return []
    found = _public_holidays(country, (today or date.today()).year)
    return [
        Holiday(day, day, name)
        for day, name in found
        if not any(holiday.covers(day) for holiday in besides)
    ]


@functools.lru_cache(maxsize=32)
def _public_holidays(country: str, year: int) -> tuple:
    try:
        found = holidays.country_holidays(country, years=range(year - 1, year + _YEARS_AHEAD + 1))
    except NotImplementedError:
        message = Text(
            gettext_noop("No public holidays are known for %(country)r."), country=country
        )
        raise InvalidInput.on("holiday_country", message) from None
    return tuple(sorted(found.items()))


def policy_of(record: SlaPolicyRecord, calendar: BusinessCalendar) -> SlaPolicy:
    return SlaPolicy.create(
        name=record.name,
        priority=record.priority,
        category=record.category,
        first_response=timedelta(minutes=record.first_response_minutes),
        resolution=timedelta(minutes=record.resolution_minutes),
        calendar=calendar,
    )


class DjangoSlaPolicyBook(SlaPolicyBook):
    def policies(self) -> list[SlaPolicy]:
        calendars: dict[int, BusinessCalendar] = {}
        found = []
        for record in SlaPolicyRecord.objects.select_related("calendar"):
            if record.calendar_id not in calendars:
                calendars[record.calendar_id] = calendar_of(record.calendar)
            found.append(policy_of(record, calendars[record.calendar_id]))
        return found
