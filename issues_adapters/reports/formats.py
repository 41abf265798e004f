"""Figures as the dashboard writes them for people, in the reader's language: durations in
the units that read best ("3 h 20 min"), shares as percentages, decimals with the language's
mark. The API and the CSV keep the plain numbers."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MINUTE, HOUR, DAY = 60, 3600, 86400


def duration(seconds: float) -> str:
    """The two largest units that matter: 45 s, 12 min, 3 h 20 min, 2 d 4 h."""
    if seconds < MINUTE - 0.5:
        return _("%(seconds)s s") % {"seconds": round(seconds)}
    minutes = round(seconds / MINUTE)
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    if minutes < 24 * 60:
        hours, minutes = divmod(minutes, 60)
        if not minutes:
            return _("%(hours)s h") % {"hours": hours}
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    days, hours = divmod(round(seconds / HOUR), 24)
    if not hours:
        return _("%(days)s d") % {"days": days}
    return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}


def percent(share: float) -> str:
    """A share of 0..1 as a whole percentage: 0.667 is 67 %."""
    return f"{round(share * 100)} %"


def number(value: float) -> str:
    """A count as it is; a decimal with the language's mark (4,25 in German)."""
    return str(value) if isinstance(value, int) else number_format(value)
