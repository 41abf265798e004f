from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, formats

register = template.Library()


@register.filter
def sla_badge(badges: dict, issue_id):
    """A queue row's badge from the page's badges (display.badges_for)."""
    return (badges or {}).get(str(issue_id))


@register.filter
def deadline_in(value, time_zone: str) -> str:
    """A deadline as the reader's language writes a date and time, in the time zone given
    (the policy's calendar's, whose working hours it is counted in), naming the zone."""
    local = value.astimezone(ZoneInfo(time_zone))
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {dateformat.format(local, 'T')}"
