"""Reporting an issue: anybody may do it; the issue starts out `reported` at version 1."""

import uuid

from expects import be_a, be_none, equal, expect, have_keys, have_len

from issues_domain.errors import InvalidInput
from issues_domain.events import IssueReported
from issues_domain.values import ActorRole, IssueReporter, IssueStatus, Priority
from tests.domain.contexts import report_an_issue
from tests.matchers import be_refused_with, catch, have_raised


class When_reporting_an_issue:
    def given_a_reporter_and_their_problem(self):
        self.issue_id = uuid.uuid4()

    def because_they_report_it(self):
        self.issue = report_an_issue(
            issue_id=self.issue_id,
            reference="HD-1042",
            reporter_name="  Fred Bloggs ",
            reporter_email="fred@example.org",
            description="The printer is on fire.\n\tAgain.",
        )

    def it_should_be_reported(self):
        expect(self.issue.status).to(equal(IssueStatus.REPORTED))

    def it_should_keep_the_id_and_reference_it_was_given(self):
        expect((self.issue.id, self.issue.reference)).to(equal((self.issue_id, "HD-1042")))

    def it_should_know_its_reporter_with_surrounding_space_stripped(self):
        expect(self.issue.reporter).to(equal(IssueReporter("Fred Bloggs", "fred@example.org")))

    def it_should_keep_newlines_and_tabs_in_the_description(self):
        expect(self.issue.description).to(equal("The printer is on fire.\n\tAgain."))

    def it_should_have_no_category_priority_assignee_or_resolution(self):
        expect(
            (self.issue.category, self.issue.priority, self.issue.assignee, self.issue.resolution)
        ).to(equal((None, None, None, None)))

    def it_should_be_at_version_1(self):
        expect(self.issue.version).to(equal(1))

    def it_should_have_a_private_tracking_token(self):
        expect(len(self.issue.tracking_token)).to(equal(32))

    def it_should_have_been_reported_when_issue_reported_occurred(self):
        expect(self.issue.reported_at).to(equal(self.issue.events[0].occurred_at))

    def it_should_have_been_updated_at_that_moment_too(self):
        expect(self.issue.updated_at).to(equal(self.issue.reported_at))

    def it_should_raise_exactly_one_event(self):
        expect(self.issue.events).to(have_len(1))

    def it_should_raise_issue_reported_with_what_was_reported(self):
        expect(self.issue).to(
            have_raised(
                IssueReported,
                issue_id=self.issue_id,
                version=1,
                reference="HD-1042",
                reporter_name="Fred Bloggs",
                reporter_email="fred@example.org",
                description="The printer is on fire.\n\tAgain.",
                category=None,
                priority=None,
            )
        )

    def it_should_name_the_reporter_as_the_actor(self):
        actor = self.issue.events[0].actor
        expect((actor.role, actor.name, actor.email)).to(
            equal((ActorRole.REPORTER, "Fred Bloggs", "fred@example.org"))
        )

    def it_should_give_the_event_its_own_id(self):
        expect(self.issue.events[0].event_id).to(be_a(uuid.UUID))


class When_reporting_an_issue_with_a_category_and_priority:
    def because_the_reporter_already_knows_them(self):
        self.issue = report_an_issue(category="network", priority="urgent")

    def it_should_still_be_reported(self):
        expect(self.issue.status).to(equal(IssueStatus.REPORTED))

    def it_should_keep_the_category_and_priority(self):
        expect((self.issue.category, self.issue.priority)).to(equal(("network", Priority.URGENT)))

    def it_should_raise_issue_reported_with_them(self):
        expect(self.issue).to(
            have_raised(IssueReported, category="network", priority=Priority.URGENT)
        )


class When_reporting_an_issue_with_an_empty_priority:
    def because_the_form_sent_an_empty_string(self):
        self.issue = report_an_issue(category="", priority="")

    def it_should_have_no_category(self):
        expect(self.issue.category).to(be_none)

    def it_should_have_no_priority(self):
        expect(self.issue.priority).to(be_none)


class When_reporting_an_issue_in_an_unknown_category:
    def because_the_category_is_not_in_the_catalogue(self):
        self.error = catch(lambda: report_an_issue(category="plumbing"))

    def it_should_be_refused_as_an_unknown_category(self):
        expect(self.error).to(be_refused_with("unknown_category"))

    def it_should_be_invalid_input(self):
        expect(self.error).to(be_a(InvalidInput))

    def it_should_name_the_category_field(self):
        expect(self.error.errors).to(have_keys("category"))


class When_reporting_an_issue_with_an_unknown_priority:
    def because_the_priority_is_not_one_of_the_fixed_set(self):
        self.error = catch(lambda: report_an_issue(priority="whenever"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_list_the_choices(self):
        expect(self.error.errors).to(
            equal({"priority": ["Choose one of: low, normal, high, urgent."]})
        )


class When_reporting_an_issue_with_everything_wrong:
    def because_every_field_is_bad(self):
        self.error = catch(
            lambda: report_an_issue(
                reporter_name="x" * 201,
                reporter_email="not an email",
                description="   ",
                category="plumbing",
                priority="whenever",
            )
        )

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_report_every_bad_field_at_once(self):
        expect(sorted(self.error.errors)).to(
            equal(["category", "description", "priority", "reporter_email", "reporter_name"])
        )


class When_reporting_an_issue_in_a_language:
    def because_the_reporters_browser_asks_for_german(self):
        self.issue = report_an_issue(language="DE_at")

    def it_should_keep_the_language_as_a_lower_case_tag(self):
        expect(self.issue.language).to(equal("de-at"))

    def it_should_raise_issue_reported_with_it(self):
        expect(self.issue).to(have_raised(IssueReported, language="de-at"))


class When_reporting_an_issue_without_a_language:
    def because_nothing_says_which(self):
        self.issue = report_an_issue(language="")

    def it_should_speak_english(self):
        expect(self.issue.language).to(equal("en"))


class When_reporting_an_issue_in_something_that_is_no_language:
    def because_the_tag_is_malformed(self):
        self.error = catch(lambda: report_an_issue(language="<script>"))

    def it_should_be_refused_as_invalid_input_on_the_language(self):
        expect(self.error.errors).to(equal({"language": ["Give a language tag such as en or de."]}))
