"""What a merged duplicate's reporter and watchers see on their own pages: the issue their
report continues as, at the end of its merges (HD-1015 into HD-1020, later HD-1020 into
HD-1011: HD-1011), its public replies and never its notes."""

import pytest
from django.test import Client
from expects import contain, equal, expect

from issues_adapters.web.watcher_links import token_for
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import comment, issue_in, make_user, report, row, token

ALICE = Actor.staff("alice")


def merge(duplicate, target):
    message_bus().handle(commands.MergeIssue(issue_id=duplicate, into=str(target), actor=ALICE))


class With_a_duplicate_merged_into_an_issue_merged_later_in_turn:
    pytestmark = pytest.mark.django_db

    def given_a_watched_duplicate_merged_twice(self):
        make_user("alice")
        self.duplicate = report(reporter_email="dee@example.org", reporter_name="Dee")
        message_bus().handle(
            commands.AddWatcher(issue_id=self.duplicate, email="jane@example.org", actor=ALICE)
        )
        self.between, self.final = issue_in("assigned"), issue_in("assigned")
        merge(self.duplicate, self.between)
        comment(self.between, "We look at the drum of that printer.")
        merge(self.between, self.final)
        self.final_reference = row(self.final).reference
        self.between_reference = row(self.between).reference

    def given_the_duplicates_reporter_answered_by_mail_on_the_final_issue(self):
        message_bus().handle(
            commands.CommentOnIssue(
                issue_id=self.final,
                author=Actor.watcher("dee@example.org", "Dee"),
                body="Still jammed on my floor.",
                visibility="public",
            )
        )

    def given_staff_replied_and_noted_on_the_final_issue(self):
        comment(self.final, "A technician comes on Monday.")
        comment(self.final, "Vendor contract number 42.", visibility="internal")


class When_the_reporter_of_a_duplicate_merged_twice_tracks_it(
    With_a_duplicate_merged_into_an_issue_merged_later_in_turn
):
    def because_they_open_their_tracking_page(self):
        self.html = Client().get(f"/track/{token(self.duplicate)}/").content.decode()

    def it_should_say_it_continues_as_the_issue_at_the_end_of_the_merges(self):
        expect(self.html).to(contain(f"Your report continues as {self.final_reference}"))

    def it_should_say_which_issue_it_was_merged_into_first(self):
        expect(self.html).to(
            contain(f"{self.between_reference} was later merged into {self.final_reference}")
        )

    def it_should_show_the_final_issues_public_replies_and_their_own_answer(self):
        expect(self.html).to(contain("A technician comes on Monday."))
        expect(self.html).to(contain("Still jammed on my floor."))

    def it_should_not_show_the_final_issues_notes(self):
        expect(self.html).not_to(contain("Vendor contract number 42."))


class When_the_reporter_of_a_duplicate_merged_twice_rates_it(
    With_a_duplicate_merged_into_an_issue_merged_later_in_turn
):
    def because_they_send_a_score(self):
        self.response = Client().post(f"/track/{token(self.duplicate)}/rate/", {"score": "3"})
        self.html = self.response.content.decode()

    def it_should_refuse_it(self):
        expect(self.response.status_code).to(equal(409))

    def it_should_name_the_issue_it_continues_as_now(self):
        expect(self.html).to(contain(f"We keep you informed on {self.final_reference}."))


class When_a_watcher_of_a_duplicate_merged_twice_opens_their_page(
    With_a_duplicate_merged_into_an_issue_merged_later_in_turn
):
    def because_jane_opens_her_page_on_the_duplicate(self):
        url = f"/watch/{token_for(self.duplicate, 'jane@example.org')}/"
        self.html = Client().get(url).content.decode()

    def it_should_say_it_continues_as_the_issue_at_the_end_of_the_merges(self):
        expect(self.html).to(contain(f"This issue continues as {self.final_reference}"))

    def it_should_show_the_final_issues_public_replies(self):
        expect(self.html).to(contain("A technician comes on Monday."))

    def it_should_not_show_the_final_issues_notes(self):
        expect(self.html).not_to(contain("Vendor contract number 42."))

    def it_should_link_to_her_own_page_on_the_final_issue(self):
        expect(self.html).to(contain(f'href="/watch/{token_for(self.final, "jane@example.org")}/"'))


class When_the_reporter_of_a_duplicate_merged_into_a_resolved_issue_tracks_it:
    pytestmark = pytest.mark.django_db

    def given_a_duplicate_merged_into_a_resolved_issue(self):
        make_user("alice")
        self.duplicate = report(reporter_email="dee@example.org", reporter_name="Dee")
        self.target = issue_in("resolved")
        merge(self.duplicate, self.target)
        self.reference = row(self.target).reference

    def because_they_open_their_tracking_page(self):
        self.html = Client().get(f"/track/{token(self.duplicate)}/").content.decode()

    def it_should_say_it_is_resolved(self):
        expect(self.html).to(contain(f"into {self.reference} (now Resolved)"))

    def it_should_show_the_resolution_of_the_issue_it_continues_as(self):
        expect(self.html).to(contain('id="merged-resolution">New drum.</p>'))

    def it_should_link_to_their_own_page_on_that_issue(self):
        own_page = f"/watch/{token_for(self.target, 'dee@example.org')}/"
        expect(self.html).to(contain(f'href="{own_page}"'))
        expect(Client().get(own_page).content.decode()).to(contain("New drum."))

    def it_should_not_give_away_that_issues_tracking_link(self):
        expect(self.html).not_to(contain(token(self.target)))
