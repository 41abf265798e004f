"""Past the file limit the upload stops being read at the first file too many, so the count
sent is never known: the refusal states the limit only, never a wrong count."""

import pytest
from django.test import Client
from expects import be_false, contain, equal, expect

from issues_adapters.persistence.models import IssueRecord
from tests.attachments.support import report_with, upload

TOO_MANY = "At most 10 files per message."


def sixteen_files() -> list:
    return [upload(f"photo-{n}.txt", b"a line\n") for n in range(16)]


@pytest.mark.django_db
class When_somebody_reports_with_sixteen_files_over_the_api:
    def because_they_send_them(self):
        self.response = report_with(*sixteen_files())

    def it_should_answer_with_the_limit_alone(self):
        expect((self.response.status_code, self.response.json())).to(
            equal((400, {"files": [TOO_MANY]}))
        )

    def it_should_report_nothing(self):
        expect(IssueRecord.objects.exists()).to(be_false)


@pytest.mark.django_db
class When_somebody_reports_with_sixteen_files_on_the_form:
    def because_they_send_them(self):
        form = {"name": "Fred", "email": "fred@example.org", "subject": "Printer"}
        form |= {"description": "Photos of the jam."}
        self.response = Client().post("/", form | {"files": sixteen_files()})

    def it_should_show_the_limit_alone(self):
        expect(self.response.status_code).to(equal(400))
        expect(self.response.content.decode()).to(contain(TOO_MANY))
