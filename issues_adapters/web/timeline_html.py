"""The issue page's timeline as HTML, each entry rendered once per process.

Rendering the entries was a ninth of the issue page's CPU with seven of them, and grows with
the history (bench/pages_profile.py --comments). An entry is made from a recorded event,
which never changes, so its HTML is kept under everything it is rendered from: the entry
itself (title, body, files, time), the language, the time zone and the files' base URL.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from issues_adapters.web.presentation import TimelineEntry

_KEPT: dict[tuple, str] = {}
_AT_MOST = 8192


def timeline_html(entries: list[TimelineEntry], files_base: str) -> SafeString:
    language, zone = get_language(), timezone.get_current_timezone_name()
    parts = []
    for entry in entries:
        key = (entry, language, zone, files_base)
        html = _KEPT.get(key)
        if html is None:
            context = {"entry": entry, "files_base": files_base}
            html = render_to_string("web/_timeline_entry.html", context)
            if len(_KEPT) >= _AT_MOST:
                _KEPT.clear()
            _KEPT[key] = html
        parts.append(html)
    return mark_safe("".join(parts))  # each part escaped by the template that rendered it
