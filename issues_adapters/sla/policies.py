"""The SLA policies admins keep, read as the domain's SlaPolicy (the SlaPolicyBook port)."""

from datetime import date, timedelta

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from issues_domain.business_hours import BusinessCalendar, Holiday
from issues_domain.sla import SlaPolicy, SlaPolicyBook


def calendar_of(record: BusinessCalendarRecord) -> BusinessCalendar:
    """The domain's calendar; InvalidInput (naming the field) if the record is not one."""
    return BusinessCalendar.create(
        time_zone=record.time_zone,
        working_days=record.working_days,
        opens_at=record.opens_at,
        closes_at=record.closes_at,
        round_the_clock=record.round_the_clock,
        holidays=[
            Holiday(date.fromisoformat(first), date.fromisoformat(last), name)
            for first, last, name in record.holidays
        ],
    )


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
