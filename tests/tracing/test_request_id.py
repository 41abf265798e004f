"""X-Request-ID: taken from the request when it is sane, made otherwise, on every response."""

import re

import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("tests.tracing.urls"), pytest.mark.django_db]

MADE = re.compile(r"[0-9a-f]{32}")


def get(path: str, request_id: str | None = None):
    headers = {} if request_id is None else {"X-Request-ID": request_id}
    return Client(raise_request_exception=False).get(path, headers=headers)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),  # a page
        ("/api/issues/", 401),  # the API, refusing an anonymous caller
        ("/no/such/page/", 404),
        ("/test/failing/", 500),
    ],
)
def test_every_response_echoes_the_callers_id(path, status):
    response = get(path, "client-7f3a:retry=2")

    assert response.status_code == status
    assert response["X-Request-ID"] == "client-7f3a:retry=2"


def test_a_refusal_by_a_middleware_carries_the_id_too(settings):
    response = Client().post(
        "/api/issues/",
        "{}",
        content_type="application/json",
        headers={"X-Request-ID": "big-one"},
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
    )

    assert response.status_code == 413
    assert response["X-Request-ID"] == "big-one"


def test_the_request_runs_under_the_id_it_answers_with():
    given = get("/test/correlation-id/", "abc")
    made = get("/test/correlation-id/")

    assert given.content.decode() == given["X-Request-ID"] == "abc"
    assert made.content.decode() == made["X-Request-ID"]


def test_without_an_id_each_request_gets_a_new_one():
    first, second = get("/").get("X-Request-ID"), get("/").get("X-Request-ID")

    assert MADE.fullmatch(first) and MADE.fullmatch(second)
    assert first != second


def test_an_id_of_200_visible_characters_is_kept():
    assert get("/", "x" * 199 + "~")["X-Request-ID"] == "x" * 199 + "~"


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "x" * 201,
        "with space",
        "tab\there",
        "bell\x07",
        "nul\x00",
        "line\r\nSet-Cookie: a=b",
        "caf\xe9",
        "\x7f",
    ],
    ids=["empty", "201 characters", "space", "tab", "control", "NUL", "CRLF", "non-ASCII", "DEL"],
)
def test_an_id_that_is_not_1_to_200_visible_ascii_characters_is_replaced(junk):
    response = get("/test/correlation-id/", junk)

    assert MADE.fullmatch(response["X-Request-ID"])
    assert response.content.decode() == response["X-Request-ID"]
