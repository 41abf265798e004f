"""What the reporter is told when there is nothing to rate: a merged duplicate (closed, never
resolved) names the issue it continues as; an old rating link opened after a reopen says the
issue was reopened instead of offering a form that would be refused."""

import pytest
from django.test import Client
from expects import contain, equal, expect

from issues_adapters.reports.ratings import signed
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import issue_in, make_user, row, token

ALICE = Actor.staff("alice")


class When_the_reporter_of_a_merged_duplicate_rates_it:
    pytestmark = pytest.mark.django_db

    def given_a_duplicate_merged_into_another_issue(self):
        make_user("alice")
        self.duplicate, target = issue_in("assigned"), issue_in("assigned")
        self.target_reference = row(target).reference
        message_bus().handle(
            commands.MergeIssue(issue_id=self.duplicate, into=str(target), actor=ALICE)
        )

    def because_they_send_a_score(self):
        self.response = Client().post(f"/track/{token(self.duplicate)}/rate/", {"score": "3"})
        self.html = self.response.content.decode()

    def it_should_refuse_it(self):
        expect(self.response.status_code).to(equal(409))

    def it_should_not_say_only_a_resolved_or_closed_issue_can_be_rated(self):
        expect(self.html).not_to(contain("Only a resolved or closed issue can be rated."))

    def it_should_say_it_was_merged_and_name_the_issue_it_continues_as(self):
        expect(self.html).to(
            contain(f"Your report was merged into {self.target_reference} and closed without")
        )


class When_an_old_rating_link_is_opened_after_a_reopen:
    pytestmark = pytest.mark.django_db

    def given_a_resolved_issue_reopened_after_its_resolution_mail(self):
        make_user("alice")
        self.issue_id = issue_in("resolved")
        self.link = f"/rate/{signed(token(self.issue_id), 4)}/"
        message_bus().handle(
            commands.ReopenIssue(issue_id=self.issue_id, reason="Again.", actor=ALICE)
        )

    def because_the_reporter_opens_the_link(self):
        self.response = Client().get(self.link)
        self.html = self.response.content.decode()

    def it_should_answer_with_a_page(self):
        expect(self.response.status_code).to(equal(200))

    def it_should_not_offer_the_rating_form(self):
        expect(self.html).not_to(contain('id="rating-form"'))

    def it_should_say_the_issue_was_reopened(self):
        expect(self.html).to(contain("This issue was reopened, so there is nothing to rate now."))


class When_an_old_rating_form_is_sent_after_a_reopen:
    pytestmark = pytest.mark.django_db

    def given_a_reopened_issue(self):
        make_user("alice")
        self.issue_id = issue_in("resolved")
        message_bus().handle(
            commands.ReopenIssue(issue_id=self.issue_id, reason="Again.", actor=ALICE)
        )

    def because_the_form_is_sent(self):
        self.response = Client().post(f"/track/{token(self.issue_id)}/rate/", {"score": "4"})
        self.html = self.response.content.decode()

    def it_should_refuse_it(self):
        expect(self.response.status_code).to(equal(409))

    def it_should_say_the_issue_was_reopened(self):
        expect(self.html).to(contain("This issue was reopened, so there is nothing to rate now."))


class When_a_rating_link_of_a_resolved_issue_is_opened:
    pytestmark = pytest.mark.django_db

    def given_a_resolved_issue(self):
        make_user("alice")
        self.issue_id = issue_in("resolved")

    def because_the_reporter_opens_the_link(self):
        self.html = Client().get(f"/rate/{signed(token(self.issue_id), 4)}/").content.decode()

    def it_should_offer_the_rating_form(self):
        expect(self.html).to(contain('id="rating-form"'))
        expect(self.html).not_to(contain('id="nothing-to-rate"'))
