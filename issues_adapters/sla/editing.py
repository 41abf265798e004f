"""Saving a policy (and its calendar) that admins send: checked by the domain first, so a bad
one is refused with the field named and nothing is written. A calendar is shared by the
policies using it: a change that would leave one of them with a target it cannot reach is
refused (`refuse_calendar_change`, the admin's calendar form too)."""

from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from issues_adapters.persistence.repository import DjangoCategoryCatalogue
from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from issues_adapters.sla.policies import national_holidays, refuse_without_working_time
from issues_domain.business_hours import BusinessCalendar, Holiday
from issues_domain.errors import InvalidInput, UnknownCategory
from issues_domain.sla import (
    SlaPolicy,
    refuse_a_calendar_too_short_for,
    refuse_a_second_policy_for,
    refuse_unreachable_targets,
)

# The domain's names for what the API calls otherwise.
_FIELDS = {"first_response": "first_response_minutes", "resolution": "resolution_minutes"}


def check(data: dict, record: SlaPolicyRecord | None = None) -> None:
    """InvalidInput ({"field": [...]}, calendar fields under "calendar") unless it is a policy
    (`record` when it is one already, changed)."""
    errors: dict = {}
    calendar = data["calendar"]
    own = [
        Holiday(item["first_day"], item["last_day"], item.get("name", ""))
        for item in calendar["holidays"]
    ]
    national: list[Holiday] = []
    try:
        national = national_holidays(calendar.get("holiday_country", ""), besides=own)
    except InvalidInput as error:
        errors["calendar"] = dict(error.errors)
    try:
        checked = BusinessCalendar.create(
            time_zone=calendar["time_zone"],
            working_days=calendar["working_days"],
            opens_at=calendar["opens_at"],
            closes_at=calendar["closes_at"],
            round_the_clock=calendar["round_the_clock"],
            holidays=own + national,
        )
        refuse_without_working_time(checked)
    except InvalidInput as error:
        errors.setdefault("calendar", {}).update(error.errors)
        checked = BusinessCalendar.always()
    calendar_is_one = "calendar" not in errors
    try:
        policy = SlaPolicy.create(
            name=data["name"],
            priority=data.get("priority"),
            category=data.get("category"),
            first_response=timedelta(minutes=data["first_response_minutes"]),
            resolution=timedelta(minutes=data["resolution_minutes"]),
            calendar=checked,
        )
        if calendar_is_one:
            refuse_unreachable_targets(policy, datetime.now(UTC))
    except InvalidInput as error:
        errors.update({_FIELDS.get(name, name): found for name, found in error.errors.items()})
    if calendar_is_one:
        try:
            known = BusinessCalendarRecord.objects.filter(name=calendar["name"]).first()
            refuse_calendar_change(known, checked, besides=record)
        except InvalidInput as error:
            errors.setdefault("calendar", {}).update(error.errors)
    try:
        refuse_a_second_policy_for(
            data.get("priority"), data.get("category"), other_policies_scopes(record)
        )
    except InvalidInput as error:
        errors.update(error.errors)
    category = data.get("category")
    if category and not DjangoCategoryCatalogue().is_known(category):
        errors.update(UnknownCategory(category).errors)
    if errors:
        raise InvalidInput(errors)


def refuse_calendar_change(
    record: BusinessCalendarRecord | None,
    changed: BusinessCalendar,
    *,
    besides: SlaPolicyRecord | None = None,
) -> None:
    """InvalidInput (under `working_time`) naming each policy using the calendar `record`
    (but `besides`, checked on its own) whose target `changed` could not reach."""
    if record is None or record.pk is None:
        return
    using = SlaPolicyRecord.objects.filter(calendar=record)
    if besides is not None and besides.pk is not None:
        using = using.exclude(pk=besides.pk)
    policies = [
        SlaPolicy(
            name=policy.name,
            first_response=timedelta(minutes=policy.first_response_minutes),
            resolution=timedelta(minutes=policy.resolution_minutes),
            calendar=changed,
        )
        for policy in using
    ]
    refuse_a_calendar_too_short_for(policies, changed, datetime.now(UTC))


def other_policies_scopes(record: SlaPolicyRecord | None) -> list[tuple]:
    """Every other policy's (priority, category)."""
    others = SlaPolicyRecord.objects.exclude(pk=record.pk) if record else SlaPolicyRecord.objects
    return list(others.values_list("priority", "category"))


def save(data: dict, record: SlaPolicyRecord | None = None) -> SlaPolicyRecord:
    check(data, record)
    calendar = data["calendar"]
    with transaction.atomic():
        calendar_record, _ = BusinessCalendarRecord.objects.update_or_create(
            name=calendar["name"],
            defaults={
                "time_zone": calendar["time_zone"],
                "working_days": sorted(set(calendar["working_days"])),
                "opens_at": calendar["opens_at"],
                "closes_at": calendar["closes_at"],
                "round_the_clock": calendar["round_the_clock"],
                "holiday_country": calendar.get("holiday_country", ""),
                "holidays": [
                    [
                        item["first_day"].isoformat(),
                        item["last_day"].isoformat(),
                        item.get("name", ""),
                    ]
                    for item in calendar["holidays"]
                ],
            },
        )
        record = record or SlaPolicyRecord()
        record.name = data["name"].strip()
        record.priority = data.get("priority") or None
        record.category = data.get("category") or None
        record.first_response_minutes = data["first_response_minutes"]
        record.resolution_minutes = data["resolution_minutes"]
        record.calendar = calendar_record
        record.save()
    return record


def as_data(record: SlaPolicyRecord) -> dict:
    calendar = record.calendar
    return {
        "id": record.id,
        "name": record.name,
        "priority": record.priority,
        "category": record.category,
        "first_response_minutes": record.first_response_minutes,
        "resolution_minutes": record.resolution_minutes,
        "calendar": {
            "name": calendar.name,
            "time_zone": calendar.time_zone,
            "working_days": calendar.working_days,
            "opens_at": _time(calendar.opens_at),
            "closes_at": _time(calendar.closes_at),
            "round_the_clock": calendar.round_the_clock,
            "holiday_country": calendar.holiday_country,
            "holidays": [
                {
                    "first_day": date.fromisoformat(first),
                    "last_day": date.fromisoformat(last),
                    "name": name,
                }
                for first, last, name in calendar.holidays
            ],
        },
    }


def _time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))
