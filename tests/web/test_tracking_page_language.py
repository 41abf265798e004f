"""The tracking page speaks the issue's language, whatever the browser asks for: its errors
and alerts too, not only its text and its notes of success."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from issues_adapters.persistence.models import CommentRecord
from tests.web.support import comment, issue_in, report, row, token

TOO_LONG = "x" * 10_001


def post_comment(issue_id, browser_language: str, **data):
    return Client(HTTP_ACCEPT_LANGUAGE=browser_language).post(
        f"/track/{token(issue_id)}/comment/", {"body": "Still jams."} | data
    )


class When_a_german_issue_gets_a_too_long_comment_from_an_english_browser:
    pytestmark = pytest.mark.django_db

    def given_an_issue_reported_in_german(self):
        self.issue_id = report(language="de")

    def because_the_reporter_sends_too_long_a_comment(self):
        self.response = post_comment(self.issue_id, "en", body=TOO_LONG)
        self.html = self.response.content.decode()

    def it_should_refuse_it(self):
        assert self.response.status_code == 400
        assert not CommentRecord.objects.filter(issue_id=self.issue_id).exists()

    def it_should_say_why_in_german(self):
        assert "Bitte höchstens 10.000 Zeichen" in self.html
        assert "At most" not in self.html


class When_an_english_issue_gets_a_too_long_comment_from_a_german_browser:
    pytestmark = pytest.mark.django_db

    def given_an_issue_reported_in_english(self):
        self.issue_id = report(language="en")

    def because_the_reporter_sends_too_long_a_comment(self):
        self.html = post_comment(self.issue_id, "de", body=TOO_LONG).content.decode()

    def it_should_say_why_in_english(self):
        assert "At most 10,000 characters" in self.html
        assert "Bitte höchstens" not in self.html


class When_a_german_issue_gets_an_empty_file_from_an_english_browser:
    pytestmark = pytest.mark.django_db

    def given_an_issue_reported_in_german(self):
        self.issue_id = report(language="de")

    def because_the_reporter_attaches_an_empty_file(self):
        empty = SimpleUploadedFile("leer.txt", b"", content_type="text/plain")
        self.response = post_comment(self.issue_id, "en", files=[empty])
        self.html = self.response.content.decode()

    def it_should_say_why_in_german(self):
        assert self.response.status_code == 400
        assert "„leer.txt“ ist leer." in self.html


class When_a_german_issue_is_reopened_against_an_old_version_from_an_english_browser:
    pytestmark = pytest.mark.django_db

    def given_a_resolved_german_issue_that_the_helpdesk_changed_since(self):
        self.issue_id = issue_in("resolved", language="de")
        self.old = row(self.issue_id).version
        comment(self.issue_id, "Noch etwas")

    def because_the_reporter_reopens_it(self):
        self.response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            f"/track/{token(self.issue_id)}/reopen/",
            {"reason": "Klemmt wieder.", "expected_version": self.old},
        )
        self.html = self.response.content.decode()

    def it_should_say_so_in_german(self):
        assert self.response.status_code == 409
        assert "Der Helpdesk hat dieses Anliegen geändert" in self.html
        assert "while you were writing" not in self.html
