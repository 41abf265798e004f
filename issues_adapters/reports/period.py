"""A report's question: which days, grouped how. Checked here, so the API and the dashboard
refuse the same things with the same words."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from issues_adapters.reports.facts import GROUPINGS

MAX_DAYS = 3 * 366
# The first day the reports count (the month rows are read from it on); the last is date.max.
FIRST_DAY = date(1970, 1, 1)
DEFAULT_DAYS = 30
_YYYY_MM_DD = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadQuestion(Exception):
    """`errors` maps each parameter to its messages (a 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    group_by: str = "day"

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _date(value: str | None, name: str, errors: dict) -> date | None:
    if value is None:
        return None
    try:
        # fullmatch first: fromisoformat also reads 20261206 and 2026-W49-1.
        day = date.fromisoformat(_YYYY_MM_DD.fullmatch(value)[0])
    except (TypeError, ValueError):
        errors[name] = [_("Enter a date as YYYY-MM-DD.")]
        return None
    if day < FIRST_DAY:
        errors[name] = [_("Enter a date from %(first)s on.") % {"first": FIRST_DAY.isoformat()}]
        return None
    return day


def period_from(query) -> Period:
    """The period a query string asks for (`from`, `to`, `group_by`); BadQuestion if it is bad."""
    errors: dict[str, list[str]] = {}
    start = _date(query.get("from"), "from", errors)
    end = _date(query.get("to"), "to", errors)
    group_by = query.get("group_by", "day")
    if group_by not in GROUPINGS:
        errors["group_by"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(GROUPINGS)}]
    if errors:
        raise BadQuestion(errors)
    end = end or timezone.now().date()
    start = start or max(end - timedelta(days=DEFAULT_DAYS - 1), FIRST_DAY)
    if start > end:
        # Both days named: a `from` after today with no `to` ends today, which nobody typed.
        message = _("The period starts on %(start)s, after it ends on %(end)s.")
        raise BadQuestion({"from": [message % {"start": start, "end": end}]})
    if (end - start).days + 1 > MAX_DAYS:
        raise BadQuestion({"to": [_("A period is at most three years long.")]})
    return Period(start, end, group_by)
