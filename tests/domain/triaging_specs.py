"""Triaging: staff give an open issue its category and priority."""

from expects import equal, expect, have_len

from issues_domain.events import IssueTriaged
from issues_domain.values import IssueStatus, Priority
from tests.domain.contexts import (
    ALICE,
    CATEGORIES,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
)
from tests.matchers import be_refused_with, catch, have_raised


class When_triaging_a_reported_issue(With_a_reported_issue):
    def because_alice_triages_it(self):
        self.issue.triage("network", "urgent", ALICE, CATEGORIES)

    def it_should_be_triaged(self):
        expect(self.issue.status).to(equal(IssueStatus.TRIAGED))

    def it_should_have_the_category_and_priority(self):
        expect((self.issue.category, self.issue.priority)).to(equal(("network", Priority.URGENT)))

    def it_should_move_to_version_2(self):
        expect(self.issue.version).to(equal(2))

    def it_should_raise_issue_triaged(self):
        expect(self.issue).to(
            have_raised(
                IssueTriaged,
                issue_id=self.issue.id,
                version=2,
                actor=ALICE,
                category="network",
                priority=Priority.URGENT,
                status=IssueStatus.TRIAGED,
            )
        )

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))


class When_triaging_an_issue_again(With_a_triaged_issue):
    def because_alice_changes_her_mind(self):
        self.issue.triage("software", "low", ALICE, CATEGORIES)

    def it_should_stay_triaged(self):
        expect(self.issue.status).to(equal(IssueStatus.TRIAGED))

    def it_should_have_the_new_category_and_priority(self):
        expect((self.issue.category, self.issue.priority)).to(equal(("software", Priority.LOW)))

    def it_should_move_to_version_3(self):
        expect(self.issue.version).to(equal(3))

    def it_should_raise_issue_triaged(self):
        expect(self.issue).to(
            have_raised(IssueTriaged, version=3, category="software", status=IssueStatus.TRIAGED)
        )


class When_triaging_an_assigned_issue(With_an_assigned_issue):
    def because_alice_triages_it(self):
        self.issue.triage("network", "normal", ALICE, CATEGORIES)

    def it_should_stay_assigned(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_keep_its_assignee(self):
        expect(self.issue.assignee).to(equal("bob"))

    def it_should_have_the_new_category_and_priority(self):
        expect((self.issue.category, self.issue.priority)).to(equal(("network", Priority.NORMAL)))

    def it_should_raise_issue_triaged_with_the_unchanged_status(self):
        expect(self.issue).to(have_raised(IssueTriaged, version=4, status=IssueStatus.ASSIGNED))


class When_triaging_a_resolved_issue(Refused, With_a_resolved_issue):
    def because_alice_tries_to_triage_it(self):
        self.error = catch(lambda: self.issue.triage("network", "low", ALICE, CATEGORIES))

    def it_should_be_refused_because_it_is_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_triaging_a_closed_issue(Refused, With_a_closed_issue):
    def because_alice_tries_to_triage_it(self):
        self.error = catch(lambda: self.issue.triage("network", "low", ALICE, CATEGORIES))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_triaging_into_an_unknown_category(Refused, With_a_reported_issue):
    def because_alice_picks_a_category_nobody_created(self):
        self.error = catch(lambda: self.issue.triage("plumbing", "low", ALICE, CATEGORIES))

    def it_should_be_refused_as_an_unknown_category(self):
        expect(self.error).to(be_refused_with("unknown_category"))


class When_triaging_without_a_category_or_priority(Refused, With_a_reported_issue):
    def because_alice_leaves_both_empty(self):
        self.error = catch(lambda: self.issue.triage("", "", ALICE, CATEGORIES))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_both_fields(self):
        expect(self.error.errors).to(
            equal(
                {
                    "category": ["This field is required."],
                    "priority": ["This field is required."],
                }
            )
        )


class When_triaging_with_an_unknown_priority(Refused, With_a_reported_issue):
    def because_alice_makes_one_up(self):
        self.error = catch(lambda: self.issue.triage("network", "asap", ALICE, CATEGORIES))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
