"""A report as CSV: its columns, a row each, and the total last. Shared by the API and the
dashboard, so a download says what the page and the JSON say (machine keys, docs/api.md). The
dashboard's tables say the same for people: columns named, groups by their names, durations
and shares written out (formats.py)."""

import csv
import html
import io

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from issues_adapters.csv_cells import safe
from issues_adapters.reports import facts, formats
from issues_adapters.reports.queries import SCORES, Report
from issues_adapters.web import reference_data
from issues_adapters.web.labels import PRIORITY_LABELS

GROUPINGS = {
    "day": _("Day"),
    "category": _("Category"),
    "priority": _("Priority"),
    "assignee": _("Assignee"),
}
COLUMNS = {
    "created": _("Reported"),
    "resolved": _("Resolved"),
    "open": _("Open"),
    "count": _("Count"),
    "median_seconds": _("Median time"),
    "p90_seconds": _("90th percentile"),
    "rated": _("Ratings"),
    "average": _("Average rating"),
    "share_rated": _("Rated"),
    "first_response_met": _("First response met"),
    "first_response_breached": _("First response breached"),
    "first_response_share_met": _("First response met (share)"),
    "resolution_met": _("Resolution met"),
    "resolution_breached": _("Resolution breached"),
    "resolution_share_met": _("Resolution met (share)"),
}
_DURATIONS = {"median_seconds", "p90_seconds"}
_SHARES = {"share_rated", *(f"{goal}_share_met" for goal in facts.SLA_GOALS)}


def as_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(report.columns)
    for row in report.rows:
        writer.writerow(_cells(report, row))
    writer.writerow(_cells(report, {report.columns[0]: "total", **report.total}))
    return out.getvalue()


def _cells(report: Report, row: dict) -> list:
    """Text cells (a day, a category's slug, an assignee's username) as safe text; numbers as
    they are, so a negative one stays a number."""
    return [_csv_cell(row.get(column)) for column in report.columns]


def _csv_cell(value):
    if value is None or isinstance(value, str):
        return safe(value)
    return value


def filename(report: Report) -> str:
    period = report.period
    return (
        f"{report.name}_{period.start.isoformat()}_{period.end.isoformat()}"
        f"_by-{period.group_by}.csv"
    )


def headers(report: Report) -> list[str]:
    """The table's column headings: the grouping, then each figure by what it means."""
    key = report.period.group_by if report.columns[0] == "group" else report.columns[0]
    return [str(GROUPINGS[key]), *(_heading(column) for column in report.columns[1:])]


def _heading(column: str) -> str:
    if column in COLUMNS:
        return str(COLUMNS[column])
    score = column.removeprefix("score_")
    if score.isdigit() and int(score) in SCORES:
        return gettext("%(score)s of 5") % {"score": score}
    return column


def group_labels(grouping: str) -> dict[str, str]:
    """The groups of a grouping by the names the queue shows ("" is the group of issues
    without one): categories by name, priorities by label, assignees by username."""
    if grouping == "category":
        labels = dict(reference_data.current().category_names)
    elif grouping == "priority":
        labels = {priority: str(label) for priority, label in PRIORITY_LABELS.items()}
    else:
        labels = {}
    labels[""] = gettext("Nobody") if grouping == "assignee" else gettext("Not set")
    return labels


def _cell(value, floats: dict) -> str:
    kind = type(value)
    if kind is int:
        return str(value)
    if value is None:
        return "—"
    if kind is float:
        found = floats.get(value)
        if found is None:
            found = floats[value] = number_format(value)  # the language's decimal mark
        return found
    return html.escape(str(value))  # what django.utils.html.escape does, without its wrapper


def _writers(report: Report) -> list:
    """A function a column writing its cells: most by type (_cell), durations and shares
    written out, each value once; a group by its name."""

    def once(write):
        written: dict = {}

        def cell(value, _floats):
            if value is None:
                return "—"
            found = written.get(value)
            if found is None:
                found = written[value] = write(value)
            return found

        return cell

    names: dict[str, str] = {}

    def group(value: str) -> str:
        if not names:  # read when a row has a group: the total row has none
            names.update(group_labels(report.period.group_by))
        return html.escape(names.get(value, value))

    writers = []
    for column in report.columns:
        if column == "group":
            writers.append(once(group))
        elif column in _DURATIONS:
            writers.append(once(formats.duration))
        elif column in _SHARES:
            writers.append(once(formats.percent))
        else:
            writers.append(_cell)
    return writers


def html_rows(report: Report) -> SafeString:
    """The table body's rows, every cell escaped. Joined here rather than looped in the
    template: a year by day is 1,800 rows over the five tables, and the template's loop took
    some 250 ms of a 370 ms page (bench/dashboard.py); numbers written by type, a float
    formatted once a value: Django's escape and number_format for each of 15,000 cells
    took 20 ms of the 75 of a year by day."""
    floats: dict = {}
    columns = list(zip(report.columns, _writers(report), strict=True))
    return mark_safe(  # each cell escaped by its writer
        "".join(
            "<tr>"
            + "".join(f"<td>{write(row.get(c), floats)}</td>" for c, write in columns)
            + "</tr>"
            for row in report.rows
        )
    )


def html_total(report: Report) -> SafeString:
    """The total row's cells after its heading, written as the rows' are."""
    columns = list(zip(report.columns, _writers(report), strict=True))[1:]
    return mark_safe(  # each cell escaped by its writer
        "".join(f"<td>{write(report.total.get(c), {})}</td>" for c, write in columns)
    )
