"""The backlog of a period that ends before the first issue was reported is empty in every
grouping: by group it once summed the months after the period instead (today's open issues)."""

from datetime import date

import pytest
from expects import equal, expect

from issues_adapters.reports import projection, queries
from issues_adapters.reports.period import Period
from tests.reports.support import seeded_events
from tests.web.support import make_user, staff_client

pytestmark = pytest.mark.django_db

FEBRUARY = Period(date(2026, 2, 1), date(2026, 2, 28))  # the seeded issues start in March


class With_issues_reported_from_march_on:
    def given_the_seeded_issues_counted(self):
        make_user("alice")
        make_user("bob")
        projection.apply_all(seeded_events())


class When_staff_ask_for_the_backlog_of_a_month_before_any_issue(
    With_issues_reported_from_march_on
):
    def because_they_ask_in_each_grouping(self):
        self.reports = {
            grouping: queries.backlog(Period(FEBRUARY.start, FEBRUARY.end, grouping))
            for grouping in ("day", "category", "priority", "assignee")
        }

    def it_should_count_no_open_issue_in_any_grouping(self):
        expect({name: report.total for name, report in self.reports.items()}).to(
            equal({name: {"open": 0} for name in self.reports})
        )

    def it_should_list_no_group(self):
        expect([report.rows for name, report in self.reports.items() if name != "day"]).to(
            equal([[], [], []])
        )


class When_staff_open_the_dashboard_for_a_month_before_any_issue(
    With_issues_reported_from_march_on
):
    def because_they_open_it(self):
        self.html = (
            staff_client("alice")
            .get("/staff/dashboard/", {"from": "2026-02-01", "to": "2026-02-28"})
            .content.decode()
        )

    def it_should_show_an_empty_queue_at_the_end_of_the_period(self):
        queue = self.html.split('id="queue-as-of"', 1)[1].split("</section>", 1)[0]
        expect("0 open issues." in queue).to(equal(True))
