"""A breach flagged stands while the clock runs on: an issue whose first response was breached
and then triaged to a policy with a longer target reads "Breached", due when it became
overdue, in the API, on its page and in the Overdue view, and no warning or breach of the new
target follows. It read "On track, due tomorrow" (0 in Overdue) until the reply, which then
made it breached."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import TestCase
from expects import equal, expect

from issues_adapters.sla import display, timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import BusinessCalendarRecord, SlaClock, SlaPolicyRecord
from issues_adapters.wiring import message_bus
from issues_domain import events
from tests.api.contexts import issue_url, token_client
from tests.events.support import make_staff
from tests.sla.page_after_action_specs import sla_state
from tests.sla.test_timers import recorded, report_urgent
from tests.web.support import staff_client

delivered = TestCase.captureOnCommitCallbacks

REPORTED = datetime(2026, 12, 7, 10, tzinfo=UTC)  # a Monday: office hours 9 to 17, UTC
BREACHED = REPORTED + timedelta(minutes=2)


class With_a_network_issue_whose_2_minute_first_response_was_breached:
    pytestmark = pytest.mark.django_db

    def given_a_high_network_policy_round_the_clock_and_a_breach_flagged(self):
        make_staff("bob")
        seed_policies()
        SlaPolicyRecord.objects.create(
            name="Network, high",
            priority="high",
            category="network",
            first_response_minutes=2,
            resolution_minutes=60,
            calendar=BusinessCalendarRecord.objects.get(name="Round the clock"),
        )
        self.api = token_client(get_user_model().objects.get(username="bob"))
        with time_machine.travel(REPORTED, tick=False), delivered(execute=True):
            self.issue_id = report_urgent(message_bus(), category="network", priority="high")
        late = BREACHED + timedelta(seconds=30)
        with time_machine.travel(late, tick=False):
            for _ in ("the warning", "the breach"):
                with delivered(execute=True):
                    timers.tick(message_bus(), now=late)

    def tick(self, now):
        with time_machine.travel(now, tick=False), delivered(execute=True):
            timers.tick(message_bus(), now=now)


class When_it_is_triaged_to_the_standard_policy(
    With_a_network_issue_whose_2_minute_first_response_was_breached
):
    def because_bob_triages_it_to_normal(self):
        # "Standard": 480 minutes of office hours to a first response.
        triaged_at = BREACHED + timedelta(minutes=3)
        with time_machine.travel(triaged_at, tick=False):
            with delivered(execute=True):
                self.api.post(
                    issue_url(self.issue_id, "triage"),
                    {"category": "network", "priority": "normal"},
                    format="json",
                )
            self.sla = self.api.get(issue_url(self.issue_id)).json()["sla"]
            page = staff_client("bob").get(f"/staff/issues/{self.issue_id}/")
            self.html = page.content.decode()

    def it_should_give_the_first_response_breached_due_when_it_became_overdue(self):
        first_response = self.sla["first_response"]
        expect((self.sla["policy"], first_response["state"], first_response["due_at"])).to(
            equal(("Standard", "breached", BREACHED.isoformat().replace("+00:00", "Z")))
        )

    def it_should_show_it_breached_on_the_page(self):
        expect(sla_state(self.html, "first_response")).to(equal("breached"))

    def it_should_keep_it_in_the_overdue_view_by_that_deadline(self):
        expect(display.view_counts()).to(equal({"overdue": 1, "breaching_soon": 0}))
        expect(list(display.overdue().values_list("issue_id", "due_at"))).to(
            equal([(self.issue_id, BREACHED)])
        )

    def it_should_time_no_warning_or_breach_of_the_new_first_response_target(self):
        expect(SlaClock.objects.get(issue_id=self.issue_id).next_timer_goal).to(equal("resolution"))
        self.tick(REPORTED + timedelta(days=1, hours=1))  # past the new 8 office hours
        expect([event.goal for event in recorded(events.SlaWarned)]).to(equal(["first_response"]))
        expect([event.goal for event in recorded(events.SlaBreached)]).to(equal(["first_response"]))
