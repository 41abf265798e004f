"""A report as CSV: its columns, a row each, and the total last. Shared by the API and the
dashboard, so a download says what the page and the JSON say."""

import csv
import io

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
    return ["" if row.get(column) is None else row.get(column) for column in report.columns]


def filename(report: Report) -> str:
    period = report.period
    return (
        f"{report.name}_{period.start.isoformat()}_{period.end.isoformat()}"
        f"_by-{period.group_by}.csv"
    )
