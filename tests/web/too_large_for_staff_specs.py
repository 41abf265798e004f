"""A staff form whose files add up to far more than a message may carry is refused unread, before
any view: the answer is a staff page in the staff member's language that names the message's
limit and leads back to the issue, not the public form's English page ("Staff login")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from expects import contain, equal, expect

from issues_adapters.persistence.models import CommentRecord
from tests.web.support import issue_in, row, staff_client

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
# A message may carry 2 MB; a body more than that and the form's own allowance is not read.
SMALL_LIMITS = {
    "DATA_UPLOAD_MAX_MEMORY_SIZE": 100_000,
    "HELPDESK_ATTACHMENTS_MAX_MESSAGE_BYTES": 2_000_000,
}


def three_megabytes(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * 3_000_000, content_type="application/pdf")


class When_a_german_staff_member_sends_files_far_over_the_message_limit:
    def given_alice_reads_the_staff_pages_in_german(self):
        self.client = staff_client("alice")
        self.client.defaults.update(ENGLISH_BROWSER)
        self.client.post("/staff/settings/language/", {"language": "de"})
        self.issue_id = issue_in("assigned")

    def because_she_sends_a_reply_with_them(self):
        fields = {
            "body": "Die Handbücher anbei.",
            "visibility": "public",
            "follow_up": "send",
            "expected_version": row(self.issue_id).version,
            "files": [three_megabytes("handbuch.pdf")],
        }
        with override_settings(**SMALL_LIMITS):
            self.response = self.client.post(f"/staff/issues/{self.issue_id}/reply/", fields)
        self.html = self.response.content.decode()

    def it_should_answer_that_it_is_too_large(self):
        expect(self.response.status_code).to(equal(413))

    def it_should_say_so_in_german_naming_the_message_limit(self):
        expect(self.html).to(contain("Nichts wurde gesendet"))
        expect(self.html).to(contain("höchstens 2 MB"))

    def it_should_lead_back_to_the_issue(self):
        expect(self.html).to(contain(f'href="/staff/issues/{self.issue_id}/"'))

    def it_should_be_a_staff_page(self):
        expect(self.html).to(contain("Warteschlange"))
        expect(self.html).not_to(contain("Meldeformular"))
        expect(self.html).not_to(contain("/accounts/login/"))

    def it_should_send_nothing(self):
        expect(CommentRecord.objects.filter(issue_id=self.issue_id).count()).to(equal(0))
