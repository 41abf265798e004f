"""SLA policies: targets for first response and resolution, per priority, maybe per category.

A policy with no priority (or no category) matches any; the most specific matching policy
applies (a category counts before a priority), so no two policies have the same priority and
category: which of them applied would be arbitrary. Targets are business time in the policy's
calendar.
"""

import abc
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from issues_domain.business_hours import BusinessCalendar
from issues_domain.errors import InvalidInput
from issues_domain.texts import Text, gettext_noop
from issues_domain.values import Priority, validate_all


class Goal:
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"
    ALL = (FIRST_RESPONSE, RESOLUTION)


@dataclass(frozen=True)
class SlaPolicy:
    name: str
    first_response: timedelta
    resolution: timedelta
    calendar: BusinessCalendar
    priority: Priority | None = None
    category: str | None = None

    @classmethod
    def create(
        cls,
        *,
        name: str,
        first_response: timedelta,
        resolution: timedelta,
        calendar: BusinessCalendar,
        priority: str | None = None,
        category: str | None = None,
    ) -> "SlaPolicy":
        checked = validate_all(
            name=lambda: _named(name),
            first_response=lambda: _positive(first_response, "first_response"),
            resolution=lambda: _positive(resolution, "resolution"),
            priority=lambda: Priority.parse(priority),
        )
        return cls(calendar=calendar, category=category or None, **checked)

    def matches(self, category: str | None, priority: Priority | None) -> bool:
        return (self.category in (None, category)) and (self.priority in (None, priority))

    @property
    def specificity(self) -> tuple[bool, bool]:
        return (self.category is not None, self.priority is not None)

    def target(self, goal: str) -> timedelta:
        return self.first_response if goal == Goal.FIRST_RESPONSE else self.resolution


class SlaPolicyBook(abc.ABC):
    """The policies admins keep (a port)."""

    @abc.abstractmethod
    def policies(self) -> list[SlaPolicy]: ...


def policy_for(
    policies: list[SlaPolicy], category: str | None, priority: Priority | None
) -> SlaPolicy | None:
    """The most specific matching policy (ties: the first by name), or None."""
    matching = [policy for policy in policies if policy.matches(category, priority)]
    if not matching:
        return None
    return sorted(
        matching,
        key=lambda policy: (not policy.specificity[0], not policy.specificity[1], policy.name),
    )[0]


def refuse_a_second_policy_for(
    priority: str | Priority | None,
    category: str | None,
    others: Iterable[tuple[str | None, str | None]],
) -> None:
    """InvalidInput naming priority and category if one of the other policies, each given as
    its (priority, category), has these: the most specific matching policy must be one."""
    if _scope(priority, category) in {_scope(*other) for other in others}:
        message = Text(gettext_noop("Another policy has this priority and category already."))
        raise InvalidInput({"priority": [message], "category": [message]})


def refuse_unreachable_targets(policy: SlaPolicy, now: datetime) -> None:
    """InvalidInput naming each target longer than the working time the policy's calendar has
    within the horizon deadlines are looked for in (three years from `now`): no clock under
    it would ever fall due."""
    reach = policy.calendar.working_time_ahead(now)
    message = Text(
        gettext_noop(
            "Too long: this calendar has %(minutes)s minutes of working time within three "
            "years, the furthest a deadline is looked for."
        ),
        minutes=_minutes(reach),
    )
    errors = {goal: [message] for goal in Goal.ALL if policy.target(goal) > reach}
    if errors:
        raise InvalidInput(errors)


def refuse_a_calendar_too_short_for(
    policies: Iterable[SlaPolicy], calendar: BusinessCalendar, now: datetime
) -> None:
    """InvalidInput (under `working_time`) naming each of these policies, which use a calendar
    about to be changed to `calendar`, whose target the change would leave unreachable: the
    same rule as a policy's own (`refuse_unreachable_targets`), with the changed calendar."""
    messages = []
    for policy in policies:
        try:
            refuse_unreachable_targets(replace(policy, calendar=calendar), now)
        except InvalidInput as error:
            longest = max(policy.target(goal) for goal in error.errors)
            message = gettext_noop(
                "Too little working time for the policy “%(policy)s”: its target of "
                "%(target)s minutes is longer than the %(minutes)s minutes of working time "
                "this calendar would have within three years, the furthest a deadline is "
                "looked for."
            )
            messages.append(
                Text(
                    message,
                    policy=policy.name,
                    target=_minutes(longest),
                    minutes=_minutes(calendar.working_time_ahead(now)),
                )
            )
    if messages:
        raise InvalidInput({"working_time": messages})


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)


def _scope(priority: str | Priority | None, category: str | None):
    return (Priority.parse(priority), category or None)


def _positive(value: timedelta, field: str) -> timedelta:
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise InvalidInput.on(field, Text(gettext_noop("A target must be longer than zero.")))
    return value


def _named(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        message = gettext_noop("Give the policy a name of at most 100 characters.")
        raise InvalidInput.on("name", Text(message))
    return name
