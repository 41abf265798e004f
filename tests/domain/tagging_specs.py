"""Tagging: any status but closed; a tag is lowercase [a-z0-9-], 1-32 characters; at most 20."""

from expects import be_empty, contain, equal, expect, have_len

from issues_domain.events import IssueTagged
from tests.domain.contexts import (
    ALICE,
    Refused,
    With_a_closed_issue,
    With_a_reported_issue,
    With_a_resolved_issue,
)
from tests.matchers import be_refused_with, catch, have_raised


class With_a_tagged_issue(With_a_reported_issue):
    def given_it_was_tagged(self):
        self.issue.tag(["printer", "floor-3"], [], ALICE)
        self.issue.events.clear()


class When_tagging_a_reported_issue(With_a_reported_issue):
    def because_alice_adds_two_tags(self):
        self.issue.tag(["printer", "floor-3"], [], ALICE)

    def it_should_have_the_tags_in_the_order_given(self):
        expect(self.issue.tags).to(equal(["printer", "floor-3"]))

    def it_should_raise_issue_tagged_with_what_changed_and_every_tag(self):
        expect(self.issue).to(
            have_raised(
                IssueTagged,
                version=2,
                actor=ALICE,
                added=("printer", "floor-3"),
                removed=(),
                tags=("printer", "floor-3"),
                status="reported",
            )
        )


class When_adding_and_removing_tags(With_a_tagged_issue):
    def because_alice_swaps_one(self):
        self.issue.tag(["toner", "printer"], ["floor-3", "never-there"], ALICE)

    def it_should_drop_the_removed_and_keep_the_rest(self):
        expect(self.issue.tags).to(equal(["printer", "toner"]))

    def it_should_name_only_what_changed(self):
        expect(self.issue).to(have_raised(IssueTagged, added=("toner",), removed=("floor-3",)))


class When_tagging_with_tags_it_already_has(With_a_tagged_issue):
    def because_alice_adds_them_again(self):
        self.issue.tag(["printer"], ["unknown"], ALICE)

    def it_should_raise_nothing(self):
        expect(self.issue.events).to(be_empty)

    def it_should_stay_at_its_version(self):
        expect(self.issue.version).to(equal(2))


class When_tagging_a_resolved_issue(With_a_resolved_issue):
    def because_alice_tags_it(self):
        self.issue.tag(["printer"], [], ALICE)

    def it_should_be_tagged(self):
        expect(self.issue.tags).to(equal(["printer"]))


class When_tagging_a_closed_issue(Refused, With_a_closed_issue):
    def because_alice_tags_it(self):
        self.error = catch(lambda: self.issue.tag(["printer"], [], ALICE))

    def it_should_be_refused_because_it_is_closed(self):
        expect(self.error).to(be_refused_with("issue_closed"))


class When_a_tag_has_a_space(Refused, With_a_reported_issue):
    def because_alice_types_two_words(self):
        self.error = catch(lambda: self.issue.tag(["paper jam"], [], ALICE))

    def it_should_be_refused_as_invalid_input_on_add(self):
        expect(self.error.errors).to(have_len(1))
        expect(self.error.errors["add"][0]).to(contain("'paper jam'", "no spaces"))


class When_a_tag_is_in_upper_case(Refused, With_a_reported_issue):
    def because_alice_shouts(self):
        self.error = catch(lambda: self.issue.tag(["Printer"], [], ALICE))

    def it_should_be_refused_naming_the_rule(self):
        expect(self.error).to(be_refused_with("invalid_input"))
        expect(self.error.errors["add"][0]).to(contain("lowercase"))


class When_a_tag_is_33_characters_long(Refused, With_a_reported_issue):
    def because_alice_writes_a_long_one(self):
        self.error = catch(lambda: self.issue.tag(["a" * 33], [], ALICE))

    def it_should_be_refused_naming_the_length(self):
        expect(self.error.errors["add"][0]).to(contain("1 to 32 characters"))


class When_a_tag_is_32_characters_long(With_a_reported_issue):
    def because_alice_writes_a_long_one(self):
        self.issue.tag(["a" * 32], [], ALICE)

    def it_should_be_taken(self):
        expect(self.issue.tags).to(equal(["a" * 32]))


class With_an_issue_with_20_tags(With_a_reported_issue):
    def given_twenty_tags(self):
        self.issue.tag([f"tag-{n}" for n in range(20)], [], ALICE)
        self.issue.events.clear()


class When_adding_a_21st_tag(Refused, With_an_issue_with_20_tags):
    def because_alice_adds_one_more(self):
        self.error = catch(lambda: self.issue.tag(["one-too-many"], [], ALICE))

    def it_should_be_refused_naming_the_limit(self):
        expect(self.error).to(be_refused_with("too_many_tags"))
        expect(self.error.errors["add"][0]).to(contain("at most 20 tags"))


class When_swapping_a_tag_on_an_issue_with_20(With_an_issue_with_20_tags):
    def because_alice_removes_one_and_adds_one(self):
        self.issue.tag(["replacement"], ["tag-0"], ALICE)

    def it_should_still_have_20(self):
        expect(self.issue.tags).to(have_len(20))
        expect(self.issue.tags).to(contain("replacement"))
