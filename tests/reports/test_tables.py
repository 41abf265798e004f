"""A report's rows as the dashboard's table body: every cell escaped, numbers in the
language's notation, a missing value as a dash."""

from datetime import date

from django.utils import translation

from issues_adapters.reports.period import Period
from issues_adapters.reports.queries import Report
from issues_adapters.reports.tables import html_rows


def test_cells_are_escaped_and_numbers_written_in_the_language_s_notation():
    report = Report(
        "satisfaction",
        Period(date(2026, 3, 1), date(2026, 3, 2), "assignee"),
        ["group", "rated", "average", "share_rated"],
        rows=[
            {"group": "<b>&bob</b>", "rated": 12, "average": 4.25, "share_rated": None},
            {"group": "alice", "rated": 0, "average": 4.25, "share_rated": 0.667},
        ],
    )
    with translation.override("de"):
        rows = html_rows(report)

    assert rows == (
        "<tr><td>&lt;b&gt;&amp;bob&lt;/b&gt;</td><td>12</td><td>4,25</td><td>—</td></tr>"
        "<tr><td>alice</td><td>0</td><td>4,25</td><td>67 %</td></tr>"
    )
