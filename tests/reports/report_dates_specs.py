"""GET /api/reports/{name}/ reads `from` and `to` as YYYY-MM-DD only: 20261206 (which Python's
fromisoformat reads as a date) and "+2026-12-06" (a space once the query string is decoded)
are a 400 naming the parameter; so is a day before 1970, when the reports begin. The last days of
the calendar are answered (reading a period's months once overflowed past December 9999)."""

import pytest
from expects import contain, equal, expect

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.reports import projection
from issues_adapters.reports.facts import GROUPINGS
from issues_adapters.reports.queries import REPORTS
from tests.api.contexts import make_user, token_client
from tests.web.support import issue_in, staff_client

REFUSED = ["Enter a date as YYYY-MM-DD."]


@pytest.mark.django_db
class When_staff_ask_for_a_report_with_dates_in_other_forms:
    def because_they_ask(self):
        staff = token_client(make_user("alice"))
        self.responses = [
            staff.get("/api/reports/volume/?from=20261206"),
            staff.get("/api/reports/volume/?to=+2026-12-06"),
            staff.get("/api/reports/volume/?from=2026-W49-1"),
        ]

    def it_should_answer_400_naming_each_parameter(self):
        expect([(r.status_code, r.json()) for r in self.responses]).to(
            equal([(400, {"from": REFUSED}), (400, {"to": REFUSED}), (400, {"from": REFUSED})])
        )


@pytest.mark.django_db
class When_staff_ask_for_a_report_with_yyyy_mm_dd_dates:
    def because_they_ask(self):
        staff = token_client(make_user("alice"))
        self.response = staff.get("/api/reports/volume/?from=2026-12-01&to=2026-12-06")

    def it_should_answer_for_those_days(self):
        expect(self.response.status_code).to(equal(200))
        expect((self.response.json()["from"], self.response.json()["to"])).to(
            equal(("2026-12-01", "2026-12-06"))
        )


class With_an_open_issue_counted:
    def given_an_issue_reported_and_counted(self):
        self.staff = token_client(make_user("alice"))
        issue_in("reported")
        projection.apply_all([to_event(row) for row in RecordedEvent.objects.order_by("position")])


@pytest.mark.django_db
class When_staff_ask_for_reports_of_the_last_days_of_the_calendar(With_an_open_issue_counted):
    def because_they_ask_the_api_the_dashboard_and_its_csv(self):
        last_days = {"from": "9999-12-30", "to": "9999-12-31"}
        page = staff_client("alice")
        self.responses = [
            self.staff.get(f"/api/reports/{name}/", last_days | {"group_by": grouping})
            for name in REPORTS
            for grouping in GROUPINGS
        ] + [
            page.get(url, last_days | {"group_by": grouping})
            for url in ("/staff/dashboard/", "/staff/dashboard/backlog.csv")
            for grouping in GROUPINGS
        ]

    def it_should_answer_each(self):
        expect({r.status_code for r in self.responses}).to(equal({200}))


@pytest.mark.django_db
class When_staff_ask_for_a_report_before_1970(With_an_open_issue_counted):
    def because_they_ask(self):
        self.responses = [
            self.staff.get("/api/reports/volume/?from=1969-12-31"),
            self.staff.get("/api/reports/backlog/?to=0001-01-05&group_by=category"),
        ]
        self.dashboard = staff_client("alice").get("/staff/dashboard/", {"to": "0001-01-05"})
        self.first_days = self.staff.get("/api/reports/volume/?to=1970-01-05")

    def it_should_answer_400_naming_the_parameter(self):
        refused = ["Enter a date from 1970-01-01 on."]
        expect([(r.status_code, r.json()) for r in self.responses]).to(
            equal([(400, {"from": refused}), (400, {"to": refused})])
        )

    def it_should_say_so_on_the_dashboard(self):
        expect(self.dashboard.status_code).to(equal(400))
        expect(self.dashboard.content.decode()).to(
            contain("<p>To: Enter a date from 1970-01-01 on.</p>")
        )

    def it_should_start_a_period_with_no_from_on_1970_01_01_at_the_earliest(self):
        expect((self.first_days.status_code, self.first_days.json()["from"])).to(
            equal((200, "1970-01-01"))
        )
