"""/staff/issues/<id>/?as_of=<a time before its report> says the issue did not exist yet then
(a 404 with that message and a link to the issue now), not the generic "Page not found"."""

import pytest
from expects import contain, equal, expect

from tests.web.support import issue_in, row, staff_client

pytestmark = pytest.mark.django_db


class When_staff_ask_how_an_issue_was_before_it_was_reported:
    def given_an_issue(self):
        self.client = staff_client("alice")
        self.issue_id = issue_in("triaged")
        self.reference = row(self.issue_id).reference

    def because_they_open_it_as_of_2001(self):
        self.response = self.client.get(
            f"/staff/issues/{self.issue_id}/", {"as_of": "2001-01-01T00:00"}
        )
        self.html = self.response.content.decode()

    def it_should_be_not_found(self):
        expect(self.response.status_code).to(equal(404))

    def it_should_say_the_issue_did_not_exist_yet(self):
        expect(self.html).to(contain(f"{self.reference} did not exist yet on "))
        expect(self.html).to(contain(": it was reported on "))

    def it_should_not_be_the_generic_page(self):
        expect(self.html).not_to(contain("copied all of it"))

    def it_should_link_to_the_issue_now(self):
        expect(self.html).to(contain(f'href="/staff/issues/{self.issue_id}/"'))


class When_staff_ask_how_an_unknown_issue_was:
    def given_alice(self):
        self.client = staff_client("alice")

    def because_they_open_one_that_never_was(self):
        self.response = self.client.get(
            "/staff/issues/00000000-0000-4000-8000-000000000000/", {"as_of": "2001-01-01T00:00"}
        )

    def it_should_be_not_found_without_claiming_it_existed_later(self):
        expect(self.response.status_code).to(equal(404))
        expect(self.response.content.decode()).not_to(contain("did not exist yet"))


class When_staff_ask_how_an_issue_was_at_a_moment_outside_the_calendar_in_utc:
    def given_an_issue(self):
        self.client = staff_client("alice")
        self.issue_id = issue_in("triaged")

    def because_they_open_it_as_of_year_0_and_year_10000_in_utc(self):
        self.responses = [
            self.client.get(f"/staff/issues/{self.issue_id}/", {"as_of": moment})
            for moment in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00")
        ]

    def it_should_refuse_each_with_a_400_saying_which_moments_it_takes(self):
        alert = 'role="alert">Give a moment from the year 1 to the year 9999, in UTC.<'
        expect([(r.status_code, alert in r.content.decode()) for r in self.responses]).to(
            equal([(400, True)] * 2)
        )

    def it_should_be_a_staff_page(self):
        expect(self.responses[0].content.decode()).to(contain('href="/staff/"'))
