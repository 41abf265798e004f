"""Attachments in the domain: metadata only, taking their message's visibility; limits that
name the file; names that are only names."""

import uuid

from expects import be_empty, equal, expect, have_key

from issues_domain.attachments import Attachment, AttachmentLimits, safe_filename
from issues_domain.events import IssueCommented, IssueReported
from tests.domain.contexts import BOB, With_an_assigned_issue, report_an_issue
from tests.matchers import be_refused_with, catch, have_raised

SHOT = Attachment(uuid.uuid4(), "shot.png", "image/png", 1234, "ab" * 32)
LOG = Attachment(uuid.uuid4(), "vpn.log", "text/plain", 99, "cd" * 32)


class When_reporting_with_files:
    def because_the_reporter_attaches_a_screenshot(self):
        self.issue = report_an_issue(attachments=(SHOT,))

    def it_should_hold_the_files_metadata(self):
        expect(self.issue.attachments).to(equal((SHOT,)))

    def it_should_raise_issue_reported_with_them(self):
        expect(self.issue).to(have_raised(IssueReported, attachments=(SHOT,)))


class When_commenting_with_files_only(With_an_assigned_issue):
    def because_bob_sends_a_log_without_words(self):
        self.issue.comment(uuid.uuid4(), BOB, "", "internal", (LOG,))

    def it_should_keep_the_files_with_the_comment(self):
        expect(self.issue.comments[-1].attachments).to(equal((LOG,)))

    def it_should_raise_issue_commented_with_them_and_the_notes_visibility(self):
        expect(self.issue).to(
            have_raised(IssueCommented, attachments=(LOG,), visibility="internal")
        )


class When_commenting_with_neither_words_nor_files(With_an_assigned_issue):
    def because_bob_sends_nothing(self):
        self.error = catch(lambda: self.issue.comment(uuid.uuid4(), BOB, " ", "public"))

    def it_should_be_refused_on_the_body(self):
        expect(self.error.errors).to(have_key("body"))

    def it_should_raise_nothing(self):
        expect(self.issue.events).to(be_empty)


class When_names_come_from_outside:
    def because_they_are_cleaned(self):
        self.names = [
            safe_filename(name)
            for name in (
                "../../etc/passwd",
                "C:\\temp\\a.txt",
                "invoice\u202efdp.exe",
                "tab\there\x00.txt",
                "",
                "...",
                "x" * 300 + ".pdf",
            )
        ]

    def it_should_keep_only_a_plain_name(self):
        expect(self.names).to(
            equal(
                [
                    "passwd",
                    "a.txt",
                    "invoicefdp.exe",
                    "tabhere.txt",
                    "attachment",
                    "attachment",
                    "x" * 196 + ".pdf",
                ]
            )
        )


class When_a_file_breaks_a_limit:
    def because_each_limit_is_checked(self):
        limits = AttachmentLimits(max_files=2, max_file_bytes=10, max_message_bytes=15)
        self.errors = [
            catch(lambda: limits.check_count(3)),
            catch(lambda: limits.check_file("big.bin", 11)),
            catch(lambda: limits.check_message("last.bin", 16)),
            catch(lambda: limits.check_not_empty("none.txt", 0)),
            catch(lambda: limits.check_file("ok.bin", 10)),
        ]

    def it_should_refuse_each_on_files_naming_the_file_and_the_limit(self):
        expect([e.errors["files"][0] if e else None for e in self.errors]).to(
            equal(
                [
                    "At most 2 files per message.",
                    "“big.bin” is larger than 10 bytes, the limit for one file.",
                    "With “last.bin” the files come to more than 15 bytes, the limit for one "
                    "message.",
                    "“none.txt” is empty.",
                    None,
                ]
            )
        )

    def it_should_be_invalid_input(self):
        expect(self.errors[0]).to(be_refused_with("invalid_input"))


class When_a_file_breaks_a_limit_of_megabytes:
    def because_the_limits_are_10_and_2_point_5_megabytes(self):
        limits = AttachmentLimits(max_file_bytes=10_000_000, max_message_bytes=2_500_000)
        self.errors = [
            catch(lambda: limits.check_file("big.bin", 10_000_001)),
            catch(lambda: limits.check_message("last.bin", 2_500_001)),
        ]

    def it_should_name_a_whole_limit_without_a_decimal_and_another_with_one(self):
        expect([e.errors["files"][0] for e in self.errors]).to(
            equal(
                [
                    "“big.bin” is larger than 10 MB, the limit for one file.",
                    "With “last.bin” the files come to more than 2.5 MB, the limit for one "
                    "message.",
                ]
            )
        )
