"""With DEBUG on (as under `make run`) every error under /api/ is JSON in the API's shape, as
with DEBUG off: no technical page with the URL list, the settings or the traceback."""

import pytest
from django.test import Client, override_settings
from django.urls import include, path
from expects import equal, expect
from rest_framework.views import APIView

from tests.api.contexts import ISSUES, make_user, token_client


def crash(request):
    raise RuntimeError("the disk is on fire")


class Crashing(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("the disk is on fire")


urlpatterns = [
    path("api/test-only/crash/", crash),
    path("api/test-only/drf-crash/", Crashing.as_view()),
    path("", include("issues_adapters.urls")),
]

NOT_FOUND = {"code": "not_found", "detail": "Not found."}
BAD_REQUEST = {"non_field_errors": ["The request could not be understood."]}
SERVER_ERROR = {
    "code": "server_error",
    "detail": "Something went wrong on our side; nothing was changed.",
}


def in_development():
    return override_settings(DEBUG=True, ROOT_URLCONF=__name__)


def too_many_fields() -> tuple[str, bytes]:
    boundary = "fields"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nx\r\n'
        for i in range(1001)
    )
    return f"multipart/form-data; boundary={boundary}", f"{parts}--{boundary}--\r\n".encode()


class Answered_in_json:
    status: int
    body: dict

    def it_should_answer_with_the_status(self):
        expect(self.response.status_code).to(equal(self.status))

    def it_should_answer_json(self):
        expect(self.response["Content-Type"]).to(equal("application/json"))

    def it_should_answer_in_the_apis_shape(self):
        expect(self.response.json()).to(equal(self.body))


@pytest.mark.django_db
class When_a_program_asks_for_an_api_path_no_view_serves_in_debug(Answered_in_json):
    status, body = 404, NOT_FOUND

    def because_it_asks(self):
        with in_development():
            self.response = Client().get("/api/nope/")


@pytest.mark.django_db
class When_staff_change_a_canned_reply_by_a_malformed_id_in_debug(Answered_in_json):
    status, body = 404, NOT_FOUND

    def because_alice_puts_it(self):
        client = token_client(make_user("alice"))
        with in_development():
            self.response = client.put(
                "/api/canned-replies/abc/", {"title": "T", "body": "B"}, format="json"
            )


@pytest.mark.django_db
class When_an_api_view_crashes_in_debug(Answered_in_json):
    status, body = 500, SERVER_ERROR

    def because_it_crashes(self):
        with in_development():
            self.response = Client(raise_request_exception=False).get("/api/test-only/drf-crash/")


@pytest.mark.django_db
class When_a_plain_view_under_api_crashes_in_debug(Answered_in_json):
    status, body = 500, SERVER_ERROR

    def because_it_crashes(self):
        with in_development():
            self.response = Client(raise_request_exception=False).get("/api/test-only/crash/")


@pytest.mark.django_db
class When_a_report_comes_with_more_than_1000_fields_in_debug(Answered_in_json):
    status, body = 400, BAD_REQUEST

    def because_it_is_sent(self):
        content_type, body = too_many_fields()
        with in_development():
            self.response = Client().post(ISSUES, body, content_type=content_type)


@pytest.mark.django_db
class When_staff_list_issues_with_more_than_1000_query_parameters_in_debug(Answered_in_json):
    status, body = 400, BAD_REQUEST

    def because_alice_asks(self):
        client = token_client(make_user("alice"))
        query = "&".join(f"p{i}=1" for i in range(1001))
        with in_development():
            self.response = client.get(f"{ISSUES}?{query}")


@pytest.mark.django_db
class When_staff_list_issues_with_more_than_1000_query_parameters(Answered_in_json):
    status, body = 400, BAD_REQUEST

    def because_alice_asks(self):
        client = token_client(make_user("alice"))
        client.raise_request_exception = False
        query = "&".join(f"p{i}=1" for i in range(1001))
        self.response = client.get(f"{ISSUES}?{query}")


@pytest.mark.django_db
class When_a_program_names_an_unknown_host_in_debug(Answered_in_json):
    status, body = 400, BAD_REQUEST

    def because_it_asks(self):
        with in_development():
            self.response = Client().get(ISSUES, HTTP_HOST="evil.example")


@pytest.mark.django_db
class When_a_person_names_an_unknown_host_in_debug:
    def because_they_ask(self):
        with in_development():
            self.response = Client().get("/", HTTP_HOST="evil.example")

    def it_should_answer_400(self):
        expect(self.response.status_code).to(equal(400))

    def it_should_show_the_products_page_not_the_settings(self):
        html = self.response.content.decode()
        expect(
            [word for word in ("DisallowedHost", "ALLOWED_HOSTS", "Traceback") if word in html]
        ).to(equal([]))
