"""A deadline the SLA's timers flag while a staff member has the issue open changes nothing
they act on: their form is not refused as stale, and the page's poll tells of no change. A
person's change after the flag still is one. Real database, controllable clock."""

import pytest
from expects import contain, equal, expect, have_key

from issues_adapters.sla import timers
from issues_domain import events
from tests.sla.timer_batch_specs import With_urgent_issues, recorded
from tests.web.support import row, staff_client


class With_alice_looking_at_an_urgent_issue(With_urgent_issues):
    def given_alice_has_its_page_open(self):
        self.alice = staff_client("alice")
        self.seen = row(self.issue_id).version
        self.page = f"/staff/issues/{self.issue_id}/"

    def given_the_timers_flag_its_first_response_meanwhile(self):
        expect(timers.tick(self.bus, now=self.late).fired).to(equal(1))
        expect(recorded(events.SlaWarned)).not_to(equal([]))

    def send_alices_note(self) -> str:
        """Alice's internal note, sent against the version she saw; the page it leads to."""
        response = self.alice.post(
            f"{self.page}comment/",
            {
                "body": "Facilities are on their way.",
                "visibility": "internal",
                "expected_version": self.seen,
            },
        )
        return self.alice.get(response["Location"]).content.decode()


@pytest.mark.django_db
class When_alice_comments_on_the_version_she_saw_before_the_flag(
    With_alice_looking_at_an_urgent_issue
):
    def because_she_sends_her_note(self):
        self.html = self.send_alices_note()

    def it_should_save_the_note(self):
        expect(self.html).to(contain("Facilities are on their way."))
        expect(self.html).not_to(contain("changed this issue while you were working on it"))

    def it_should_leave_the_issue_a_version_after_the_flag(self):
        expect(row(self.issue_id).version).to(equal(self.seen + 2))


@pytest.mark.django_db
class When_alices_page_polls_after_the_flag(With_alice_looking_at_an_urgent_issue):
    def because_the_page_asks_what_changed(self):
        self.answer = self.alice.get(f"{self.page}version/?since={self.seen}").json()

    def it_should_tell_of_no_change_since_her_version(self):
        expect(self.answer["version"]).to(equal(self.seen))
        expect(self.answer).not_to(have_key("changes"))


@pytest.mark.django_db
class When_alice_comments_on_a_version_bob_changed_after_the_flag(
    With_alice_looking_at_an_urgent_issue
):
    def given_bob_triages_it_after_the_flag(self):
        staff_client("bob").post(
            f"{self.page}triage/",
            {
                "category": "network",
                "priority": "high",
                "expected_version": row(self.issue_id).version,
            },
        )

    def because_she_sends_her_note(self):
        self.html = self.send_alices_note()

    def it_should_be_refused_naming_bob(self):
        expect(self.html).to(contain("bob changed this issue while you were working on it"))
