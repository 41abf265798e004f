"""A report's CSV (the dashboard's download and GET /api/reports/<name>/ as text/csv) writes
no text cell a spreadsheet would run as a formula, as the queue export does; its numbers stay
numbers."""

import csv
import io
from datetime import date

import pytest
from django.test import TestCase
from expects import contain, equal, expect

from issues_adapters.reports.period import Period
from issues_adapters.reports.queries import Report
from issues_adapters.reports.tables import as_csv
from tests.api.contexts import token_client
from tests.web.support import issue_in, make_user, staff_client

delivered = TestCase.captureOnCommitCallbacks


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


class When_staff_download_the_volume_report_by_an_assignee_whose_name_starts_like_a_formula:
    pytestmark = pytest.mark.django_db

    def given_issues_assigned_to_minus_mallory_and_equals_cmd(self):
        make_user("alice")
        for name in ("-mallory", "=cmd"):
            make_user(name)
            with delivered(execute=True):
                issue_in("assigned", assignee=name)

    def because_they_download_it_from_the_dashboard_and_the_api(self):
        query = {"group_by": "assignee"}
        self.dashboard = rows_of(
            staff_client("alice").get("/staff/dashboard/volume.csv", query).content.decode()
        )
        api = token_client(make_user("ann"))
        self.api = rows_of(
            api.get("/api/reports/volume/", query, HTTP_ACCEPT="text/csv").content.decode()
        )

    def it_should_write_the_usernames_as_text_on_the_dashboard(self):
        expect(self.dashboard).to(contain(["'-mallory", "1", "0"], ["'=cmd", "1", "0"]))

    def it_should_write_the_usernames_as_text_in_the_api(self):
        expect(self.api).to(contain(["'-mallory", "1", "0"], ["'=cmd", "1", "0"]))

    def it_should_leave_no_cell_a_spreadsheet_would_run(self):
        cells = [cell for row in self.dashboard + self.api for cell in row]
        expect([cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]).to(equal([]))


class When_a_report_holds_a_negative_number:
    def because_it_is_written_as_csv(self):
        report = Report(
            "volume",
            Period(date(2026, 3, 1), date(2026, 3, 2), "category"),
            ["group", "created", "change"],
            rows=[{"group": "+printing", "created": 2, "change": -3}],
            total={"created": 2, "change": -1.5},
        )
        self.rows = rows_of(as_csv(report))

    def it_should_keep_the_numbers_as_numbers_and_the_slug_as_text(self):
        expect(self.rows[1:]).to(equal([["'+printing", "2", "-3"], ["total", "2", "-1.5"]]))
