"""An issue's subject: one line, at most 200 characters; the description's first line stands in
when a report comes without one; a mail's Subject loses its Re:/Fwd: and our reference."""

from expects import equal, expect, have_key

from issues_domain.events import IssueReported
from issues_domain.subject import subject_from_mail
from tests.domain.contexts import report_an_issue
from tests.matchers import be_refused_with, catch, have_raised


class When_reporting_an_issue_with_a_subject:
    def because_the_reporter_names_the_problem(self):
        self.issue = report_an_issue(subject="  Printer on fire ")

    def it_should_keep_the_subject_stripped(self):
        expect(self.issue.subject).to(equal("Printer on fire"))

    def it_should_raise_issue_reported_with_it(self):
        expect(self.issue).to(have_raised(IssueReported, subject="Printer on fire"))


class When_reporting_an_issue_without_a_subject:
    def because_an_api_client_sent_none(self):
        self.issue = report_an_issue(
            subject=None, description="\n  Screen goes   black\nwhen I open the VPN client."
        )

    def it_should_take_the_descriptions_first_line(self):
        expect(self.issue.subject).to(equal("Screen goes black"))


class When_the_descriptions_first_line_is_long:
    def because_the_report_has_no_subject(self):
        self.issue = report_an_issue(subject="", description="x" * 300)

    def it_should_cut_it_at_120_characters(self):
        expect(self.issue.subject).to(equal("x" * 120))


class When_a_subject_spans_two_lines:
    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(subject="One\nTwo"))

    def it_should_be_refused_as_invalid_input(self):
        expect(self.error).to(be_refused_with("invalid_input"))

    def it_should_name_the_subject(self):
        expect(self.error.errors).to(have_key("subject"))


class When_a_subject_is_longer_than_200_characters:
    def because_it_is_reported(self):
        self.error = catch(lambda: report_an_issue(subject="y" * 201))

    def it_should_be_refused_on_the_subject(self):
        expect(self.error.errors).to(have_key("subject"))


class When_a_subject_is_exactly_200_characters:
    def because_it_is_reported(self):
        self.issue = report_an_issue(subject="z" * 200)

    def it_should_be_kept_whole(self):
        expect(self.issue.subject).to(equal("z" * 200))


class When_a_mails_subject_becomes_an_issues_subject:
    def because_prefixes_and_references_are_stripped(self):
        self.subjects = [
            subject_from_mail(raw)
            for raw in (
                "Re: Fwd: AW: WG: Printer jams",
                "RE: [HD-1042] Printer jams",
                "[HD-1042] Re: Printer   jams\r\n again",
                "Printer jams",
                "",
            )
        ]

    def it_should_keep_only_what_the_sender_wrote(self):
        expect(self.subjects).to(
            equal(["Printer jams", "Printer jams", "Printer jams again", "Printer jams", ""])
        )
