"""The issue page shown right after an action has the SLA panel as the action left it: the
clocks read model takes the action's events only after the commit, on a thread of its own, so
the page read from it still said "Resolution: On track, due ..." after "Send and resolve"."""

import re

import pytest
from django.test import TestCase
from expects import equal, expect

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import SlaClock
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.sla.test_timers import report_urgent
from tests.web.support import row, staff_client

# The report's events reach the clocks; each spec's transaction is rolled back, so commit
# callbacks run only here.
delivered = TestCase.captureOnCommitCallbacks


def sla_state(html: str, goal: str) -> str:
    """The state the page's SLA panel gives the goal's clock."""
    found = re.search(rf'<div data-goal="{goal}">.*?data-sla-state="(\w+)"', html, re.S)
    return found.group(1) if found else ""


class With_an_urgent_issue_alice_picked:
    pytestmark = pytest.mark.django_db

    def given_an_urgent_issue_alice_picked(self):
        self.alice = staff_client("alice")
        seed_policies()
        with delivered(execute=True):
            self.issue_id = report_urgent(message_bus())
            message_bus().handle(commands.PickIssue(issue_id=self.issue_id, engineer="alice"))


class When_alice_sends_a_reply_and_resolves_the_issue(With_an_urgent_issue_alice_picked):
    def because_she_sends_and_resolves(self):
        answer = self.alice.post(
            f"/staff/issues/{self.issue_id}/reply/",
            {
                "body": "Pumped out.",
                "visibility": "public",
                "follow_up": "resolve",
                "expected_version": row(self.issue_id).version,
            },
            follow=True,
        )
        self.html = answer.content.decode()
        self.clocks_stopped = SlaClock.objects.get(issue_id=self.issue_id).due_at is None

    def it_should_show_the_first_response_met(self):
        expect(sla_state(self.html, "first_response")).to(equal("met"))

    def it_should_show_the_resolution_met(self):
        expect(sla_state(self.html, "resolution")).to(equal("met"))

    def it_should_have_shown_the_page_before_the_clocks_took_the_events(self):
        expect(self.clocks_stopped).to(equal(False))
