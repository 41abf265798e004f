"""Every error under /api/ is JSON in the API's shape, a server error and a deep body included.

The clients here do not re-raise a view's exception (`raise_request_exception=False`), so a
request goes as it does in production with DEBUG=0: through Django's handler500.
"""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from issues_adapters.api import views
from tests.api.contexts import ISSUES, TOKEN, issue_url, make_user, report_an_issue, token_client

pytestmark = pytest.mark.django_db

TOO_DEEP = {"non_field_errors": ["JSON nested deeper than 32 levels is not accepted."]}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def post_raw(client, url: str, body: str, **headers):
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_a_deeply_nested_report_is_refused_with_400(depth):
    response = post_raw(APIClient(raise_request_exception=False), ISSUES, nested(depth))
    assert (response.status_code, response.json()) == (400, TOO_DEEP)


def test_a_deeply_nested_command_is_refused_with_400_even_with_an_idempotency_key():
    client = token_client(make_user("alice"))
    client.raise_request_exception = False
    url = issue_url(report_an_issue(), "resolve")
    body = json.dumps({"resolution": json.loads(nested(40))})
    response = post_raw(client, url, body, HTTP_IDEMPOTENCY_KEY="deep-1")
    assert (response.status_code, response.json()) == (400, TOO_DEEP)


def test_a_deeply_nested_token_request_is_refused_with_400():
    response = post_raw(APIClient(raise_request_exception=False), TOKEN, nested(1000))
    assert (response.status_code, response.json()) == (400, TOO_DEEP)


def test_32_levels_are_parsed_and_answered_by_the_serializer():
    response = post_raw(APIClient(), ISSUES, nested(32))
    assert response.status_code == 400
    assert response.json() != TOO_DEEP


def test_an_unexpected_error_under_api_is_a_json_500(monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "issue_queries", broken)
    client = token_client(make_user("alice"))
    client.raise_request_exception = False
    response = client.get(ISSUES)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "server_error",
        "detail": "Something went wrong on our side; nothing was changed.",
    }


def test_a_page_error_stays_the_html_page(monkeypatch):
    from issues_adapters.web.views import public

    def broken(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(public, "issue_queries", broken)
    response = Client(raise_request_exception=False).get("/track/abc/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")


def test_a_path_no_view_serves_under_api_is_a_json_404():
    response = APIClient().get("/api/no-such-thing/")
    assert (response.status_code, response.json()) == (
        404,
        {"code": "not_found", "detail": "Not found."},
    )


def test_a_path_no_page_serves_stays_the_html_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_host_under_api_is_a_json_400(settings):
    settings.ALLOWED_HOSTS = ["helpdesk.example.org"]
    response = APIClient().get(ISSUES, HTTP_HOST="evil.example.com")
    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["The request could not be understood."]},
    )


@pytest.mark.parametrize(
    ("body", "status"), [(nested(1000), 400), ('{"x": ', 400)], ids=["deep", "malformed"]
)
def test_a_rebuild_request_with_a_bad_body_is_refused_before_anything_starts(body, status):
    """It answered 202 and started a rebuild: the view never looked at its body."""
    from django.contrib.auth import get_user_model

    from issues_adapters.eventing.models import Rebuild

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = token_client(admin)
    client.raise_request_exception = False
    response = post_raw(client, "/api/projections/web.queue_counts/rebuild/", body)
    assert response.status_code == status
    assert set(response.json()) == {"non_field_errors"}
    assert not Rebuild.objects.exists()


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_the_docs_refuse_a_post_in_json(path):
    """They answered their 405 in YAML and in HTML."""
    response = APIClient(raise_request_exception=False).post(path, {}, format="json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"code", "detail"}
