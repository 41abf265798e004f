"""What the helpdesk accepts as input: checked once, in the value objects, for every command."""

from expects import equal, expect, have_keys

from issues_domain.values import IssueReporter, Priority, Visibility
from tests.domain.contexts import report_an_issue
from tests.matchers import be_refused_with, catch


class With_bad_input:
    """The spec's `because_` stores the refusal in `self.error`."""

    field = ""

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_only_the_bad_field(self):
        expect(list(self.error.errors)).to(equal([self.field]))


# -- the reporter's email ----------------------------------------------------------------------


class When_a_reporter_gives_a_plain_email_address:
    def because_it_is_checked(self):
        self.reporter = IssueReporter.create("Fred", " fred.bloggs+hd@mail.example.org ")

    def it_should_be_accepted_without_surrounding_space(self):
        expect(self.reporter.email).to(equal("fred.bloggs+hd@mail.example.org"))


class When_a_reporter_gives_an_email_without_an_at_sign(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred.example.org"))


class When_a_reporter_gives_an_email_with_two_at_signs(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred@home@example.org"))


class When_a_reporter_gives_an_email_without_a_dot_in_the_domain(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred@localhost"))


class When_a_reporter_gives_an_email_with_a_space(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred bloggs@example.org"))


class When_a_reporter_gives_an_email_with_a_line_break(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred@example.org\nBcc: x@y.z"))


class When_a_reporter_gives_no_email(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", None))

    def it_should_say_the_field_is_required(self):
        expect(self.error.errors["reporter_email"]).to(equal(["This field is required."]))


class When_a_reporter_gives_an_email_longer_than_254_characters(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "f" * 243 + "@example.org"))


class When_a_reporter_gives_an_address_with_a_display_name(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", '"x"<a@b.org>'))


class When_a_reporter_gives_a_list_of_addresses(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "x@evil.org,z"))


class When_a_reporter_gives_an_email_with_a_quoted_local_part(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", '"fred"@example.org'))


class When_a_reporter_gives_an_email_at_an_ip_address(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred@[192.0.2.1]"))


class When_a_reporter_gives_an_email_with_an_ideographic_space_in_the_domain(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "fred@example\u3000.org"))


class When_a_reporter_gives_an_email_with_a_local_part_over_64_characters(With_bad_input):
    field = "reporter_email"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred", "f" * 65 + "@example.org"))


class When_a_reporter_gives_an_email_with_a_domain_in_capitals:
    def because_it_is_checked(self):
        self.reporter = IssueReporter.create("Fred", "Fred.Bloggs@Mail.EXAMPLE.org")

    def it_should_keep_the_local_part_as_typed_and_lower_the_domain(self):
        expect(self.reporter.email).to(equal("Fred.Bloggs@mail.example.org"))


class When_a_reporter_gives_an_email_at_an_internationalised_domain:
    def because_it_is_checked(self):
        self.reporter = IssueReporter.create("Fred", "fred@Bücher.example")

    def it_should_be_accepted_in_lower_case(self):
        expect(self.reporter.email).to(equal("fred@bücher.example"))


# -- the reporter's name -----------------------------------------------------------------------


class When_a_reporter_gives_a_name_of_200_characters:
    def because_it_is_checked(self):
        self.reporter = IssueReporter.create("n" * 200, "fred@example.org")

    def it_should_be_accepted(self):
        expect(len(self.reporter.name)).to(equal(200))


class When_a_reporter_gives_a_name_of_201_characters(With_bad_input):
    field = "reporter_name"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("n" * 201, "fred@example.org"))


class When_a_reporter_gives_a_blank_name(With_bad_input):
    field = "reporter_name"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create(" \t ", "fred@example.org"))


class When_a_reporter_gives_a_name_over_two_lines(With_bad_input):
    field = "reporter_name"

    def because_it_is_checked(self):
        self.error = catch(lambda: IssueReporter.create("Fred\nBloggs", "fred@example.org"))


class When_a_reporter_gives_a_bad_name_and_a_bad_email:
    def because_both_are_checked(self):
        self.error = catch(lambda: IssueReporter.create("", "nope"))

    def it_should_report_both_fields_at_once(self):
        expect(self.error.errors).to(have_keys("reporter_name", "reporter_email"))


# -- the description ---------------------------------------------------------------------------


class When_a_description_has_exactly_10_000_characters:
    def because_it_is_reported(self):
        self.issue = report_an_issue(description="d" * 10_000)

    def it_should_be_accepted(self):
        expect(len(self.issue.description)).to(equal(10_000))


class When_a_description_has_10_001_characters(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description="d" * 10_001))

    def it_should_say_how_long_it_may_be(self):
        expect(self.error.errors["description"][0]).to(
            equal("At most 10,000 characters, please (10,001).")
        )


class When_a_description_is_missing(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description=None))


class When_a_description_is_only_white_space(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description=" \n\t "))


class When_a_description_contains_a_NUL_character(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description="before\x00after"))


class When_a_description_contains_an_escape_character(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description="red \x1b[31malert"))


class When_a_description_contains_a_C1_control_character(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description="next\x85line, csi\x9b"))


class When_a_description_contains_a_DEL_character(With_bad_input):
    field = "description"

    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(description="oops\x7f"))


class When_a_description_has_newlines_and_tabs_from_a_browser_form:
    def because_it_is_reported(self):
        self.issue = report_an_issue(description="Steps:\r\n\t1. Print\r\n\t2. Smoke")

    def it_should_be_kept_as_it_was_typed(self):
        expect(self.issue.description).to(equal("Steps:\r\n\t1. Print\r\n\t2. Smoke"))


# -- priorities and visibilities ---------------------------------------------------------------


class When_parsing_each_priority_of_the_fixed_set:
    def because_each_is_parsed(self):
        self.parsed = [Priority.parse(name) for name in ("low", "normal", "high", "urgent")]

    def it_should_know_all_four(self):
        expect(self.parsed).to(
            equal([Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.URGENT])
        )


class When_parsing_a_priority_in_capitals(With_bad_input):
    field = "priority"

    def because_it_is_parsed(self):
        self.error = catch(lambda: Priority.parse("HIGH"))


class When_parsing_an_unknown_visibility(With_bad_input):
    field = "visibility"

    def because_it_is_parsed(self):
        self.error = catch(lambda: Visibility.parse("secret"))
