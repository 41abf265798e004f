"""Linking related issues: both ways, in any status; each issue records it."""

from expects import be_empty, equal, expect

from issues_domain.events import IssuesLinked, IssuesUnlinked
from issues_domain.values import LinkKind
from tests.domain.contexts import (
    ALICE,
    TwoRefused,
    With_a_closed_issue,
    With_a_reported_issue,
    report_an_issue,
)
from tests.matchers import be_refused_with, catch, have_raised


class With_another_issue(With_a_reported_issue):
    def given_another_issue(self):
        self.original = report_an_issue(reference="HD-1000")
        self.original.events.clear()


class With_two_linked_issues(With_another_issue):
    def given_they_were_linked(self):
        self.issue.link(self.original, "related", ALICE)
        self.issue.events.clear()
        self.original.events.clear()


class When_linking_two_issues(With_another_issue):
    def because_alice_links_them(self):
        self.issue.link(self.original, "related", ALICE)

    def it_should_link_them_both_ways(self):
        expect(self.issue.links).to(equal({self.original.id: LinkKind.RELATED}))
        expect(self.original.links).to(equal({self.issue.id: LinkKind.RELATED}))

    def it_should_raise_issues_linked_on_each(self):
        expect(self.issue).to(
            have_raised(IssuesLinked, other_id=self.original.id, other_reference="HD-1000")
        )
        expect(self.original).to(
            have_raised(IssuesLinked, other_id=self.issue.id, other_reference="HD-1042")
        )


class When_linking_a_closed_issue(With_a_closed_issue):
    def given_another_issue(self):
        self.original = report_an_issue(reference="HD-1000")

    def because_alice_links_them(self):
        self.issue.link(self.original, "related", ALICE)

    def it_should_link_them(self):
        expect(list(self.issue.links)).to(equal([self.original.id]))


class When_linking_issues_already_linked(TwoRefused, With_two_linked_issues):
    def because_alice_links_them_again_the_other_way(self):
        self.error = catch(lambda: self.original.link(self.issue, "related", ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("already_linked"))


class When_linking_an_issue_to_itself(TwoRefused, With_another_issue):
    def because_alice_links_it_to_itself(self):
        self.error = catch(lambda: self.issue.link(self.issue, "related", ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("cannot_link_to_itself"))


class When_linking_with_an_unknown_kind(TwoRefused, With_another_issue):
    def because_alice_names_a_kind_there_is_not(self):
        self.error = catch(lambda: self.issue.link(self.original, "blocks", ALICE))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error.errors).to(equal({"kind": ["Choose one of: related."]}))


class When_unlinking_two_linked_issues(With_two_linked_issues):
    def because_alice_unlinks_them_from_the_other_side(self):
        self.original.unlink(self.issue, ALICE)

    def it_should_unlink_both(self):
        expect(self.issue.links).to(be_empty)
        expect(self.original.links).to(be_empty)

    def it_should_raise_issues_unlinked_on_each(self):
        expect(self.issue).to(have_raised(IssuesUnlinked, other_id=self.original.id))
        expect(self.original).to(have_raised(IssuesUnlinked, other_id=self.issue.id))


class When_unlinking_issues_that_are_not_linked(TwoRefused, With_another_issue):
    def because_alice_unlinks_them(self):
        self.error = catch(lambda: self.issue.unlink(self.original, ALICE))

    def it_should_be_refused(self):
        expect(self.error).to(be_refused_with("not_linked"))
