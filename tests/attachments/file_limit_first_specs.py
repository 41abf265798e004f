"""Past the file limit the parser stops reading the body, so the fields sent after the files
never arrive: the answer is the limit, not those fields being required."""

import pytest
from expects import equal, expect
from rest_framework.test import APIClient

from tests.api.contexts import ISSUES, issue_url, make_user, report_an_issue, token_client
from tests.attachments.support import upload

TOO_MANY = {"files": ["At most 10 files per message."]}


def eleven_files() -> list:
    return [upload(f"note-{n}.txt", b"a line\n") for n in range(11)]


@pytest.mark.django_db
class When_somebody_reports_with_eleven_files_before_the_other_fields:
    def because_they_send_it(self):
        fields = {"reporter_name": "Ann", "reporter_email": "ann@example.org"}
        body = {"files": eleven_files()} | fields | {"description": "The printer jams."}
        self.response = APIClient().post(ISSUES, body, format="multipart")

    def it_should_answer_with_the_file_limit(self):
        expect((self.response.status_code, self.response.json())).to(equal((400, TOO_MANY)))


@pytest.mark.django_db
class When_staff_attach_eleven_files_before_a_body:
    def because_they_send_them(self):
        staff = token_client(make_user("alice"))
        body = {"files": eleven_files(), "body": "Logs attached.", "visibility": "public"}
        self.response = staff.post(
            issue_url(report_an_issue(), "attachments"), body, format="multipart"
        )

    def it_should_answer_with_the_file_limit(self):
        expect((self.response.status_code, self.response.json())).to(equal((400, TOO_MANY)))


@pytest.mark.django_db
class When_staff_comment_with_eleven_files_before_the_body:
    def because_they_send_them(self):
        staff = token_client(make_user("alice"))
        body = {"files": eleven_files(), "body": "Logs attached.", "visibility": "public"}
        self.response = staff.post(
            issue_url(report_an_issue(), "comments"), body, format="multipart"
        )

    def it_should_answer_with_the_file_limit(self):
        expect((self.response.status_code, self.response.json())).to(equal((400, TOO_MANY)))
