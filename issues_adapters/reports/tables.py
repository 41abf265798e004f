"""A report as CSV: its columns, a row each, and the total last. Shared by the API and the
dashboard, so a download says what the page and the JSON say."""

import csv
import html
import io

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from issues_adapters.csv_cells import safe
from issues_adapters.reports.queries import Report


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


def html_rows(report: Report) -> SafeString:
    """The table body's rows, every cell escaped. Joined here rather than looped in the
    template: a year by day is 1,800 rows over the five tables, and the template's loop took
    some 250 ms of a 370 ms page (bench/dashboard.py); numbers written by type, a float
    formatted once a value: Django's escape and number_format for each of 15,000 cells
    took 20 ms of the 75 of a year by day."""
    floats: dict = {}
    columns = report.columns
    return mark_safe(  # each cell escaped by _cell
        "".join(
            "<tr>" + "".join(f"<td>{_cell(row.get(c), floats)}</td>" for c in columns) + "</tr>"
            for row in report.rows
        )
    )
