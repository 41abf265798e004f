"""Rating satisfaction: the reporter rates a resolution from 1 to 5, with an optional comment.

Allowed once the issue is resolved or closed; a later rating replaces the earlier one (the
read side keeps the latest), a reopen starts a new resolution to rate. A score outside 1-5 is
invalid input; rating an issue that is not resolved is refused.
"""

from expects import equal, expect, have_len

from issues_domain.events import SatisfactionRated
from issues_domain.values import Actor, IssueStatus
from tests.domain.contexts import (
    ALICE,
    Refused,
    With_a_closed_issue,
    With_a_resolved_issue,
    With_an_assigned_issue,
    snapshot,
)
from tests.matchers import be_refused_with, catch, have_raised


class When_the_reporter_rates_a_resolved_issue(With_a_resolved_issue):
    def because_fred_rates_it(self):
        self.issue.rate_satisfaction(5, "  Quick and kind.  ")

    def it_should_raise_satisfaction_rated_by_the_reporter(self):
        expect(self.issue).to(
            have_raised(
                SatisfactionRated,
                score=5,
                comment="Quick and kind.",
                actor=Actor.reporter(self.issue.reporter),
                version=5,
                status=IssueStatus.RESOLVED,
            )
        )

    def it_should_leave_the_status_as_it_was(self):
        expect(self.issue.status).to(equal(IssueStatus.RESOLVED))

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))


class When_the_reporter_rates_a_closed_issue_with_a_score_as_text(With_a_closed_issue):
    def because_fred_rates_it(self):
        self.issue.rate_satisfaction("2", None)

    def it_should_take_the_score_as_a_number_and_no_comment(self):
        expect(self.issue).to(have_raised(SatisfactionRated, score=2, comment=""))


class When_the_reporter_rates_twice(With_a_resolved_issue):
    def given_a_first_rating(self):
        self.issue.rate_satisfaction(2, "Slow.")
        self.issue.events.clear()

    def because_fred_changes_his_mind(self):
        self.issue.rate_satisfaction(4, "On reflection, fine.")

    def it_should_raise_the_later_rating_which_replaces_the_first(self):
        expect(self.issue).to(have_raised(SatisfactionRated, score=4, version=6))


class When_rating_with_a_score_of_0(Refused, With_a_resolved_issue):
    def because_fred_rates_it_0(self):
        self.error = catch(lambda: self.issue.rate_satisfaction(0, ""))

    def it_should_be_invalid_input_on_the_score(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(list(self.error.errors)).to(equal(["score"]))


class When_rating_with_a_score_of_6(Refused, With_a_resolved_issue):
    def because_fred_rates_it_6(self):
        self.error = catch(lambda: self.issue.rate_satisfaction("6", ""))

    def it_should_be_invalid_input_on_the_score(self):
        expect(self.error).to(be_refused_with("invalid_input"))


class When_rating_with_no_number_at_all(Refused, With_a_resolved_issue):
    def because_fred_sends_words(self):
        self.error = catch(lambda: self.issue.rate_satisfaction("great", ""))

    def it_should_be_invalid_input_on_the_score(self):
        expect(self.error).to(be_refused_with("invalid_input"))


class When_rating_an_issue_never_resolved(Refused, With_an_assigned_issue):
    def because_fred_rates_it(self):
        self.error = catch(lambda: self.issue.rate_satisfaction(5, ""))

    def it_should_be_refused_as_never_resolved(self):
        expect(self.error).to(be_refused_with("issue_never_resolved"))


class When_rating_a_reopened_issue(Refused, With_a_resolved_issue):
    def given_it_was_reopened(self):
        self.issue.reopen("Still broken.", ALICE)
        self.issue.events.clear()
        self.before = snapshot(self.issue)

    def because_fred_rates_it(self):
        self.error = catch(lambda: self.issue.rate_satisfaction(1, ""))

    def it_should_be_refused_until_it_is_resolved_again(self):
        expect(self.error).to(be_refused_with("issue_never_resolved"))
