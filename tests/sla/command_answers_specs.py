"""A command's answer gives the issue's SLA as its own events set it, though the clocks read
model takes those events only after the commit: the report's answer names the policy that
applies (it said null, "no policy applies"), and a triage's answer the new policy's targets."""

import pytest
from expects import equal, expect

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import SlaClock
from tests.api.contexts import A_REPORT, ISSUES, With_staff, issue_url


@pytest.mark.django_db
class When_an_issue_is_reported_then_triaged_as_urgent_through_the_api(With_staff):
    def given_the_default_policies(self):
        seed_policies()

    def because_it_is_reported_then_triaged(self):
        report = A_REPORT | {"priority": "normal"}
        self.reported = self.client.post(ISSUES, report, format="json").json()
        self.triaged = self.client.post(
            issue_url(self.reported["id"], "triage"),
            {"category": "network", "priority": "urgent"},
            format="json",
        ).json()
        # The after-commit delivery never ran (the spec's transaction is not committed).
        self.clocks_kept = SlaClock.objects.filter(issue_id=self.reported["id"]).exists()

    def it_should_answer_the_report_with_the_policy_that_applies(self):
        expect(self.reported["sla"]["policy"]).to(equal("Standard"))
        expect(self.reported["sla"]["first_response"]["target_minutes"]).to(equal(8 * 60))

    def it_should_answer_the_triage_with_the_new_policys_targets(self):
        expect(self.triaged["sla"]["policy"]).to(equal("Urgent"))
        expect(self.triaged["sla"]["first_response"]["target_minutes"]).to(equal(30))
        expect(self.triaged["sla"]["resolution"]["state"]).to(equal("on_track"))

    def it_should_have_answered_before_the_clocks_took_the_events(self):
        expect(self.clocks_kept).to(equal(False))
