"""An issue as it was (`?as_of=`, the API and the staff page) has its SLA as it stood at that
moment, from the issue's events up to then: it said `"sla": null` ("no policy applies") and the
page showed no panel, though a policy applied."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from expects import contain, equal, expect, have_keys

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.api.contexts import issue_url, token_client
from tests.events.support import BOB, make_staff
from tests.sla.test_timers import report_urgent
from tests.web.support import staff_client

# "Urgent": 30 minutes to a first response and 4 hours to resolve, round the clock.
REPORTED = datetime(2026, 12, 6, 13, 1, 18, tzinfo=UTC)
AS_OF = "2026-12-06T13:30:00Z"  # 28 minutes 42 seconds on: most of the first response spent
ANSWERED = REPORTED + timedelta(minutes=45)  # late
LATER = REPORTED + timedelta(hours=2)


class With_an_urgent_issue_answered_late:
    pytestmark = pytest.mark.django_db

    def given_an_urgent_issue_bob_answered_after_45_minutes(self):
        make_staff("alice", "bob")
        seed_policies()
        bus = message_bus()
        with time_machine.travel(REPORTED, tick=False):
            self.issue_id = report_urgent(bus)
        with time_machine.travel(ANSWERED, tick=False):
            bus.handle(commands.CommentOnIssue(issue_id=self.issue_id, author=BOB, body="Here."))


class When_staff_ask_the_api_for_the_issue_as_it_was_before_the_answer(
    With_an_urgent_issue_answered_late
):
    def because_alice_asks_two_hours_on(self):
        api = token_client(get_user_model().objects.get(username="alice"))
        with time_machine.travel(LATER, tick=False):
            answer = api.get(issue_url(self.issue_id), {"as_of": AS_OF})
        self.status, self.sla = answer.status_code, answer.json()["sla"]

    def it_should_answer(self):
        expect(self.status).to(equal(200))

    def it_should_name_the_policy_that_applied(self):
        expect(self.sla).to(have_keys(policy="Urgent"))

    def it_should_give_the_first_response_as_it_stood_then(self):
        expect(self.sla["first_response"]).to(
            equal(
                {
                    "state": "breaching_soon",
                    "due_at": "2026-12-06T13:31:18Z",
                    "target_minutes": 30,
                    "spent_minutes": 28,
                }
            )
        )

    def it_should_count_the_resolution_up_to_then_only(self):
        expect(self.sla["resolution"]).to(have_keys(state="on_track", spent_minutes=28))


class When_staff_open_the_issue_page_as_it_was_before_the_answer(
    With_an_urgent_issue_answered_late
):
    def because_alice_opens_it_two_hours_on(self):
        with time_machine.travel(LATER, tick=False):
            answer = staff_client().get(f"/staff/issues/{self.issue_id}/", {"as_of": AS_OF})
        self.status, self.html = answer.status_code, answer.content.decode()

    def it_should_show_the_sla_panel_with_the_policy(self):
        expect(self.status).to(equal(200))
        expect(self.html).to(contain('id="sla"'))
        expect(self.html).to(contain("Urgent"))

    def it_should_show_the_first_response_breaching_soon_as_it_was_then(self):
        expect(self.html).to(contain('data-sla-state="breaching_soon"'))
        expect(self.html).not_to(contain('data-sla-state="breached"'))
