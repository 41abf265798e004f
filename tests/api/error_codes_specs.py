"""The codes of the API's errors are the ones docs/api.md lists."""

import uuid

import pytest
from expects import equal, expect
from rest_framework.test import APIClient

from tests.api.contexts import ISSUES, make_user, token_client


@pytest.mark.django_db
class When_somebody_calls_with_a_bad_token:
    def because_they_list_the_issues(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token not-a-token-we-gave")
        self.response = client.get(ISSUES)

    def it_should_answer_401_not_authenticated_as_documented(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((401, "not_authenticated"))
        )

    def it_should_ask_for_a_token(self):
        expect(self.response["WWW-Authenticate"]).to(equal("Token"))


@pytest.mark.django_db
class When_somebody_calls_with_no_credentials:
    def because_they_list_the_issues(self):
        self.response = APIClient().get(ISSUES)

    def it_should_answer_401_not_authenticated(self):
        expect((self.response.status_code, self.response.json()["code"])).to(
            equal((401, "not_authenticated"))
        )


@pytest.mark.django_db
class When_staff_ask_for_an_attachment_nobody_has:
    def because_they_ask_for_an_unknown_id_and_for_no_id_at_all(self):
        staff = token_client(make_user("alice"))
        self.responses = [
            staff.get(f"/api/attachments/{uuid.uuid4()}/"),
            staff.get("/api/attachments/not-a-uuid/"),
        ]

    def it_should_answer_404_attachment_not_found(self):
        expect([(r.status_code, r.json()) for r in self.responses]).to(
            equal([(404, {"code": "attachment_not_found", "detail": "There is no such file."})] * 2)
        )
