"""A duplicate closed by a merge before its targets were met or missed did not meet them: its
clocks stop as "merged", counted neither met nor breached (the issue it was merged into goes on
with the problem). They said "Met" (0 minutes spent), and the SLA report counted it so. A
target the duplicate had already missed stays breached."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from expects import contain, equal, expect

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from tests.api.contexts import issue_url, token_client
from tests.events.support import make_staff
from tests.sla.page_after_action_specs import sla_state
from tests.sla.test_timers import report_urgent
from tests.web.support import row, staff_client

delivered = TestCase.captureOnCommitCallbacks

# "Urgent": 30 minutes to a first response and 4 hours to resolve, round the clock.
REPORTED = datetime(2026, 12, 6, 13, 1, 18, tzinfo=UTC)


class With_an_urgent_duplicate_nobody_answered:
    pytestmark = pytest.mark.django_db
    merged_after = timedelta(minutes=10)

    def given_two_urgent_reports_of_one_problem(self):
        make_staff("bob")
        self.alice = staff_client("alice")
        self.api = token_client(get_user_model().objects.get(username="alice"))
        seed_policies()
        with time_machine.travel(REPORTED, tick=False), delivered(execute=True):
            self.duplicate = report_urgent(message_bus())
            self.target = report_urgent(message_bus(), reporter_email="gina@example.org")

    def because_alice_merges_the_duplicate_from_its_page(self):
        merged_at = REPORTED + self.merged_after
        with time_machine.travel(merged_at, tick=False):
            with delivered(execute=True):  # the page is shown before the events are delivered
                answer = self.alice.post(
                    f"/staff/issues/{self.duplicate}/merge/",
                    {"into": row(self.target).reference, "expected_version": 2},
                    follow=True,
                )
            self.html = answer.content.decode()
            self.sla = self.api.get(issue_url(self.duplicate)).json()["sla"]
            self.report = self.api.get("/api/reports/sla/").json()["total"]


class When_an_urgent_duplicate_is_merged_before_anybody_answered(
    With_an_urgent_duplicate_nobody_answered
):
    def it_should_show_the_duplicates_clocks_as_merged_right_after_the_merge(self):
        expect(sla_state(self.html, "first_response")).to(equal("merged"))
        expect(sla_state(self.html, "resolution")).to(equal("merged"))
        expect(self.html).to(contain("Not applicable (merged)"))

    def it_should_give_them_as_merged_in_the_api(self):
        expect(self.sla["first_response"]["state"]).to(equal("merged"))
        expect(self.sla["resolution"]["state"]).to(equal("merged"))

    def it_should_count_them_neither_met_nor_breached_in_the_sla_report(self):
        expect(self.report).to(
            equal(
                {
                    "first_response_met": 0,
                    "first_response_breached": 0,
                    "first_response_share_met": None,
                    "resolution_met": 0,
                    "resolution_breached": 0,
                    "resolution_share_met": None,
                }
            )
        )


class When_an_urgent_duplicate_is_merged_after_its_first_response_was_missed(
    With_an_urgent_duplicate_nobody_answered
):
    merged_after = timedelta(minutes=45)

    def it_should_show_the_first_response_breached(self):
        expect(sla_state(self.html, "first_response")).to(equal("breached"))
        expect(self.sla["first_response"]["state"]).to(equal("breached"))

    def it_should_count_the_first_response_breached_and_the_resolution_neither_way(self):
        expect(
            (
                self.report["first_response_breached"],
                self.report["resolution_met"],
                self.report["resolution_breached"],
            )
        ).to(equal((1, 0, 0)))
