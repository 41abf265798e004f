"""Assigning and picking: an open issue gets somebody to work on it.

Assigning it to somebody else tells them (IssueAssigned, or IssueReassigned when it moves from
one assignee to another); picking it yourself is its own event and needs nobody told.
"""

from expects import equal, expect, have_len

from issues_domain.events import IssueAssigned, IssuePicked, IssueReassigned
from issues_domain.values import Actor, IssueStatus
from tests.domain.contexts import (
    ALICE,
    STAFF,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
    With_a_triaged_issue,
    With_an_assigned_issue,
    With_an_issue_resolved_after_triage,
)
from tests.matchers import be_refused_with, catch, have_raised

# -- assigning ---------------------------------------------------------------------------------


class When_assigning_a_triaged_issue(With_a_triaged_issue):
    def because_alice_assigns_it_to_bob(self):
        self.issue.assign("bob", ALICE, STAFF)

    def it_should_be_assigned(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_be_bobs(self):
        expect(self.issue.assignee).to(equal("bob"))

    def it_should_move_to_version_3(self):
        expect(self.issue.version).to(equal(3))

    def it_should_raise_issue_assigned(self):
        expect(self.issue).to(
            have_raised(
                IssueAssigned, issue_id=self.issue.id, version=3, actor=ALICE, assignee="bob"
            )
        )

    def it_should_raise_nothing_else(self):
        expect(self.issue.events).to(have_len(1))


class When_assigning_a_reported_issue_straight_away(With_a_reported_issue):
    def because_alice_assigns_it_before_triage(self):
        self.issue.assign("carol", ALICE, STAFF)

    def it_should_be_assigned(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_still_have_no_category(self):
        expect(self.issue.category).to(equal(None))

    def it_should_raise_issue_assigned(self):
        expect(self.issue).to(have_raised(IssueAssigned, version=2, assignee="carol"))


class When_reassigning_an_issue(With_an_assigned_issue):
    def because_alice_gives_bobs_issue_to_carol(self):
        self.issue.assign("carol", ALICE, STAFF)

    def it_should_stay_assigned(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_be_carols(self):
        expect(self.issue.assignee).to(equal("carol"))

    def it_should_raise_issue_reassigned_naming_both(self):
        expect(self.issue).to(
            have_raised(
                IssueReassigned, version=4, actor=ALICE, assignee="carol", previous_assignee="bob"
            )
        )

    def it_should_not_raise_issue_assigned(self):
        expect(self.issue.events).to(have_len(1))
        expect(self.issue).not_to(have_raised(IssueAssigned))


class When_assigning_an_issue_to_somebody_who_is_not_active_staff(Refused, With_a_triaged_issue):
    def because_alice_assigns_it_to_a_stranger(self):
        self.error = catch(lambda: self.issue.assign("mallory", ALICE, STAFF))

    def it_should_be_refused_because_the_assignee_is_not_active_staff(self):
        expect(self.error).to(be_refused_with("assignee_not_active_staff"))

    def it_should_name_the_assignee_field(self):
        expect(self.error.errors).to(
            equal({"assignee": ["'mallory' is not an active staff member."]})
        )


class When_assigning_an_issue_to_its_current_assignee(Refused, With_an_assigned_issue):
    def because_alice_assigns_bobs_issue_to_bob_again(self):
        self.error = catch(lambda: self.issue.assign("bob", ALICE, STAFF))

    def it_should_be_refused_so_that_bob_is_not_told_twice(self):
        expect(self.error).to(be_refused_with("already_the_assignee"))


class When_assigning_an_issue_to_nobody(Refused, With_a_triaged_issue):
    def because_alice_sends_an_empty_assignee(self):
        self.error = catch(lambda: self.issue.assign("  ", ALICE, STAFF))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))


class When_assigning_a_resolved_issue(Refused, With_a_resolved_issue):
    def because_alice_tries_to_assign_it(self):
        self.error = catch(lambda: self.issue.assign("carol", ALICE, STAFF))

    def it_should_be_refused_because_it_is_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_assigning_a_closed_issue(Refused, With_a_closed_issue):
    def because_alice_tries_to_assign_it(self):
        self.error = catch(lambda: self.issue.assign("carol", ALICE, STAFF))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


# -- picking -----------------------------------------------------------------------------------


class When_picking_a_triaged_issue(With_a_triaged_issue):
    def because_carol_picks_it(self):
        self.issue.pick("carol")

    def it_should_be_assigned(self):
        expect(self.issue.status).to(equal(IssueStatus.ASSIGNED))

    def it_should_be_carols(self):
        expect(self.issue.assignee).to(equal("carol"))

    def it_should_move_to_version_3(self):
        expect(self.issue.version).to(equal(3))

    def it_should_raise_issue_picked_with_carol_as_the_actor(self):
        expect(self.issue).to(
            have_raised(IssuePicked, version=3, actor=Actor.staff("carol"), engineer="carol")
        )

    def it_should_not_raise_issue_assigned(self):
        expect(self.issue.events).to(have_len(1))
        expect(self.issue).not_to(have_raised(IssueAssigned))


class When_picking_a_reported_issue(With_a_reported_issue):
    def because_carol_picks_it_before_triage(self):
        self.issue.pick("carol")

    def it_should_be_assigned_to_carol(self):
        expect((self.issue.status, self.issue.assignee)).to(equal((IssueStatus.ASSIGNED, "carol")))

    def it_should_raise_issue_picked(self):
        expect(self.issue).to(have_raised(IssuePicked, version=2, engineer="carol"))


class When_picking_an_issue_somebody_is_assigned_to(Refused, With_an_assigned_issue):
    def because_carol_tries_to_take_bobs_issue(self):
        self.error = catch(lambda: self.issue.pick("carol"))

    def it_should_be_refused_because_it_is_already_assigned(self):
        expect(self.error).to(be_refused_with("issue_already_assigned"))


class When_picking_an_issue_you_are_already_assigned_to(Refused, With_an_assigned_issue):
    def because_bob_picks_his_own_issue(self):
        self.error = catch(lambda: self.issue.pick("bob"))

    def it_should_be_refused_because_it_is_already_assigned(self):
        expect(self.error).to(be_refused_with("issue_already_assigned"))


class When_picking_a_resolved_issue(Refused, With_an_issue_resolved_after_triage):
    def because_carol_tries_to_pick_it(self):
        self.error = catch(lambda: self.issue.pick("carol"))

    def it_should_be_refused_because_it_is_resolved(self):
        expect(self.error).to(be_refused_with("issue_already_resolved"))


class When_picking_a_closed_issue(Refused, With_a_closed_issue):
    def because_carol_tries_to_pick_it(self):
        self.error = catch(lambda: self.issue.pick("carol"))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_picking_an_issue_with_no_engineer_named(Refused, With_a_triaged_issue):
    def because_the_engineer_is_blank(self):
        self.error = catch(lambda: self.issue.pick("  "))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))
