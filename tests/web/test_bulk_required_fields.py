"""A bulk triage or assign missing what it cannot do without is refused once, before any issue
is touched, naming the field, rather than once per issue with "This field is required."."""

import html
import re

import pytest
from expects import contain, equal, expect, have_len

from issues_adapters.persistence.models import RecordedEvent
from tests.web.support import make_user, report, row, staff_client

pytestmark = pytest.mark.django_db


def bulk(client, ids, **data):
    payload = {"issues": [str(i) for i in ids], "next": "/staff/?view=all", **data}
    for issue_id in ids:
        payload[f"version:{issue_id}"] = row(issue_id).version
    return client.post("/staff/bulk/", payload, follow=True)


class With_two_reported_issues:
    def given_two_reported_issues(self):
        self.client = staff_client("alice")
        make_user("bob")
        self.ids = [report(), report()]
        self.events_before = RecordedEvent.objects.count()

    def messages(self):
        page = self.response.content.decode()
        return [html.unescape(m) for m in re.findall(r'<li class="message [^"]*">(.*?)</li>', page)]

    def it_should_touch_no_issue(self):
        expect(RecordedEvent.objects.count()).to(equal(self.events_before))
        expect({row(i).status for i in self.ids}).to(equal({"reported"}))


class When_staff_bulk_triage_without_a_category(With_two_reported_issues):
    def because_they_triage_with_a_priority_only(self):
        self.response = bulk(self.client, self.ids, action="triage", category="", priority="low")

    def it_should_say_once_to_choose_a_category(self):
        expect(self.messages()).to(equal(["Choose a category to triage with."]))


class When_staff_bulk_triage_without_a_category_or_a_priority(With_two_reported_issues):
    def because_they_triage_with_neither(self):
        self.response = bulk(self.client, self.ids, action="triage", category="", priority="")

    def it_should_name_both_in_one_message(self):
        expect(self.messages()).to(have_len(1))
        expect(self.messages()[0]).to(contain("Choose a category to triage with."))
        expect(self.messages()[0]).to(contain("Choose a priority to triage with."))


class When_staff_bulk_assign_to_nobody(With_two_reported_issues):
    def because_they_assign_with_a_blank_assignee(self):
        self.response = bulk(self.client, self.ids, action="assign", assignee="")

    def it_should_say_once_to_choose_whom(self):
        expect(self.messages()).to(equal(["Choose whom to assign to."]))


class When_staff_send_a_bulk_form_without_an_action(With_two_reported_issues):
    def because_they_send_no_action(self):
        self.response = bulk(self.client, self.ids, action="")

    def it_should_still_ask_for_an_action(self):
        expect(self.messages()).to(equal(["Choose a bulk action."]))
