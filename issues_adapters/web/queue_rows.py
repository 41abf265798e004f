"""The queue table's rows as HTML, built here rather than in the template.

Speed trick (bench/queue_page.py, "Server CPU per page"): Django's template engine spent about
three quarters of the page's CPU on these 25 rows (a lookup, a filter and an escape per cell,
a date format of ~35 µs each); the same markup built with `escape` and f-strings costs a tenth.
The markup is what the queue template had, cell for cell; every value is escaped.
"""

import functools
import uuid
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from issues_adapters.web.labels import PRIORITY_LABELS, STATUS_LABELS

_PLACEHOLDER = uuid.UUID(int=0)
_LABEL_WIDTH = 300  # the subject cell's tooltip: the description, truncated
_TAGS_SHOWN = 3  # after the subject; the rest are counted ("+17"); the tags' title names all
_NONE = '<span class="muted">—</span>'


class _Dates:
    """A date cell: the date and a 24-hour time ("06/12/2024 14:03", sixteen characters in both
    languages, which the columns are sized for; English's short form, "06/12/2024 2:03 p.m.",
    was cut off), the full form with the weekday and time zone in its title. The formats are
    parsed once a page (DateFormat.format splits them again on every call)."""

    def __init__(self):
        self.date = self._parsed(formats.get_format("SHORT_DATE_FORMAT"))
        self.time = self._parsed("H:i")
        self.full = self._parsed("l, " + formats.get_format("DATETIME_FORMAT") + " T")

    @staticmethod
    def _parsed(format_string: str) -> list:
        pieces = dateformat.re_formatchars.split(format_string)
        return [(bool(i % 2), piece) for i, piece in enumerate(pieces) if piece]

    @staticmethod
    def _format(df, pieces) -> str:
        return escape("".join(str(getattr(df, p)()) if char else p for char, p in pieces))

    def html(self, value) -> str:
        """A <time>: the date and time, the full form in its title."""
        local = timezone.localtime(value)
        df = dateformat.DateFormat(local)
        return (
            f'<time datetime="{local.isoformat()}" title="{self._format(df, self.full)}">'
            f'{self._format(df, self.date)}<span class="time"> {self._format(df, self.time)}'
            "</span></time>"
        )

    def long(self, value) -> str:
        return self._format(dateformat.DateFormat(timezone.localtime(value)), self.full)


def rows_html(issues, *, category_names: dict, badges: dict, ratings: dict) -> str:
    url_of = reverse("staff_issue", kwargs={"issue_id": _PLACEHOLDER}).replace(
        str(_PLACEHOLDER), "{}"
    )
    # What a row shows besides its issue, and what the whole page's rows share.
    page = (translation.get_language(), timezone.get_current_timezone(), url_of)
    texts = {}  # the badges' labels, by the lazy text's identity

    def text(lazy) -> str:
        found = texts.get(id(lazy))
        if found is None:
            found = texts[id(lazy)] = str(lazy)
        return found

    lines = []
    for issue in issues:
        badge = badges.get(str(issue.id))
        rating = ratings.get(issue.id)
        lines.append(
            _row(
                issue,
                category_names.get(issue.category, "") if issue.category else None,
                rating.score if rating else None,
                (
                    badge.state,
                    text(badge.label),
                    text(badge.state_label),
                    text(badge.goal_label),
                    badge.due_at,
                )
                if badge
                else None,
                page,
            )
        )
    return mark_safe("\n".join(lines))


@functools.lru_cache(maxsize=16)
def _page_texts(language: str) -> dict:
    """The rows' fixed words in this language (translated once, not once a row)."""
    return {
        "not_set": escape(gettext("Not set")),
        "select": gettext("Select %(reference)s"),
        "rated": gettext("Rated %(score)s/5"),
        # An SLA badge's title: its goal and its state in full (the badge may say it short).
        "sla": gettext("%(goal)s: %(state)s"),
        "sla_due": gettext("%(goal)s: %(state)s, due %(due_at)s"),
        "statuses": {key: escape(str(label)) for key, label in STATUS_LABELS.items()},
        "priorities": {key: escape(str(label)) for key, label in PRIORITY_LABELS.items()},
        "dates": _Dates(),
    }


# Speed trick (bench/pages_profile.py, "queue, rows built anew"): a row is kept rendered by
# everything it shows (the issue as read, its category's name, its rating, its SLA badge as read
# now, the language, the time zone), so the rows of a page seen again cost a lookup each; an
# issue that changed is a new key, in each gunicorn worker alike. At most 1,024 rows (40 pages)
# a process, with their issues: at most about 10 MB with 10,000-character descriptions.
@functools.lru_cache(maxsize=1024)
def _row(issue, category: str | None, score: int | None, badge: tuple | None, page: tuple) -> str:
    words = _page_texts(page[0])
    dates = words["dates"]
    issue_id = str(issue.id)
    url = escape(page[2].format(issue_id))
    reference = escape(issue.reference)
    select = escape(words["select"] % {"reference": issue.reference})
    description = issue.description
    if len(description) > _LABEL_WIDTH:
        description = Truncator(description).chars(_LABEL_WIDTH)
    tags = "".join(
        f' <a class="tag" href="?view=open&amp;tag={escape(quote(tag, safe="/"))}">'
        f"{escape(tag)}</a>"
        for tag in issue.tags[:_TAGS_SHOWN]
    )
    if len(issue.tags) > _TAGS_SHOWN:
        tags += f' <span class="more-tags">+{len(issue.tags) - _TAGS_SHOWN}</span>'
    if tags:
        tags = f'<span class="row-tags" title="{escape(", ".join(issue.tags))}">{tags}</span>'
    rated = (
        ' <span class="rating-badge">' + escape(words["rated"] % {"score": score}) + "</span>"
        if score
        else ""
    )
    if issue.priority:
        priority = (
            f'<span class="priority-{escape(issue.priority)}">'
            f"{words['priorities'].get(issue.priority) or escape(issue.priority)}</span>"
        )
    else:
        priority = f'<span class="muted">{words["not_set"]}</span>'
    reporter = issue.reporter_name
    reporter_in_full = f"{reporter} <{issue.reporter_email}>" if reporter else issue.reporter_email
    return (
        f'<tr data-issue="{issue_id}" data-url="{url}">'
        '<td class="c-select">'
        f'<input type="checkbox" name="issues" value="{issue_id}" id="sel-{issue_id}" '
        f'aria-label="{select}">'
        f'<input type="hidden" name="version:{issue_id}" value="{issue.version}">'
        f'<input type="hidden" name="reference:{issue_id}" value="{reference}">'
        "</td>"
        f'<td class="c-reference"><a class="issue-link" href="{url}">{reference}</a></td>'
        f'<td class="c-subject" title="{escape(description)}"><div class="subject-line">'
        f'<span class="subject">{escape(issue.subject)}</span>'
        f"{tags}</div></td>"
        f'<td class="c-reporter" title="{escape(reporter_in_full)}">{escape(reporter)}</td>'
        f'<td class="c-status"><span class="badge status-{escape(issue.status)}">'
        f"{words['statuses'].get(issue.status) or escape(issue.status)}</span>{rated}</td>"
        f'<td class="c-priority">{priority}</td>'
        f"{_cut_short('c-category', category, _NONE)}"
        f"{_cut_short('c-assignee', issue.assignee, '—')}"
        f'<td class="c-reported">{dates.html(issue.reported_at)}</td>'
        f'<td class="c-updated">{dates.html(issue.updated_at)}</td>'
        f"{_sla_cell(badge, words)}"
        "</tr>"
    )


def _cut_short(column: str, text: str | None, empty: str) -> str:
    """A cell whose text a narrow column may cut short: its title says it whole."""
    if not text:
        return f'<td class="{column}">{empty}</td>'
    return f'<td class="{column}" title="{escape(text)}">{escape(text)}</td>'


def _sla_cell(badge: tuple | None, words: dict) -> str:
    if not badge:
        return f'<td class="c-sla">{_NONE}</td>'
    state, label, state_label, goal_label, due_at = badge
    state = escape(state)
    dates = words["dates"]
    named = {"goal": escape(goal_label), "state": escape(state_label)}
    due = ""
    if due_at:
        title = escape(words["sla_due"]) % {**named, "due_at": dates.long(due_at)}
        due = f" {dates.html(due_at)}"
    else:
        title = escape(words["sla"]) % named
    return (
        f'<td class="c-sla"><span class="badge sla-{state}" data-sla-state="{state}" '
        f'title="{title}">{escape(label)}</span>{due}</td>'
    )
