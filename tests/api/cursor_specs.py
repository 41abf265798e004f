"""A page link (cursor) that the queue did not make for this ordering is a 400 under `cursor`,
never a server error nor a page of some other order."""

import base64
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from expects import equal, expect

from tests.api.contexts import ISSUES, With_staff, report_an_issue

NOT_VALID = {"cursor": ["This page link is not valid; start again from the first page."]}


def cursor(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


class Refused_as_a_bad_cursor:
    def it_should_answer_400_under_cursor(self):
        expect((self.response.status_code, self.response.json())).to(equal((400, NOT_VALID)))


@pytest.mark.django_db
class When_staff_send_a_cursor_whose_time_has_no_time_zone(With_staff, Refused_as_a_bad_cursor):
    def given_an_issue(self):
        self.issue = report_an_issue()

    def because_alice_pages_by_deadline_from_it(self):
        made_up = cursor("after", "2026-12-06T10:35:25", str(self.issue), "sla_due_at")
        self.client.raise_request_exception = False
        self.response = self.client.get(ISSUES, {"ordering": "sla_due_at", "cursor": made_up})


@pytest.mark.django_db
class When_staff_send_the_hand_made_cursor_qa_sent_without_its_ordering(
    With_staff, Refused_as_a_bad_cursor
):
    def because_alice_pages_by_deadline_from_it(self):
        made_up = cursor("after", "2026-12-06T10:35:25", str(uuid.uuid4()))
        self.client.raise_request_exception = False
        self.response = self.client.get(ISSUES, {"ordering": "sla_due_at", "cursor": made_up})


@pytest.mark.django_db
class When_staff_follow_a_page_link_in_another_ordering(With_staff, Refused_as_a_bad_cursor):
    def given_three_issues(self):
        for n in range(3):
            report_an_issue(description=f"Issue {n}")

    def because_alice_takes_the_newest_firsts_link_to_the_oldest_first(self):
        first = self.client.get(ISSUES, {"page_size": 1, "ordering": "-reported_at"}).json()
        taken = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
        self.response = self.client.get(
            ISSUES, {"page_size": 1, "ordering": "reported_at", "cursor": taken}
        )


@pytest.mark.django_db
class When_staff_follow_a_page_link_in_its_own_ordering(With_staff):
    def given_three_issues(self):
        self.issues = [report_an_issue(description=f"Issue {n}") for n in range(3)]

    def because_alice_pages_oldest_first(self):
        first = self.client.get(ISSUES, {"page_size": 2, "ordering": "reported_at"}).json()
        self.response = self.client.get(first["next"])

    def it_should_give_the_next_page(self):
        expect(self.response.status_code).to(equal(200))
        expect([issue["id"] for issue in self.response.json()["results"]]).to(
            equal([str(self.issues[2])])
        )
