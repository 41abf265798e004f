"""A NUL character in an address is refused at the edge with 400, whatever the page.

PostgreSQL cannot hold U+0000 in text, so before this each of these answered 500 there
(SQLite looked it up and found nothing). The module runs in both passes of `make test`:
SQLite in the first, PostgreSQL in the second (DATABASE_URL=postgres://...).
"""

import pytest
from django.test import Client

from tests.api.contexts import make_user, token_client
from tests.web.support import issue_in, staff_client

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "/track/abc%00def/"),
    ("post", "/track/%00/comment/"),
    ("post", "/track/%00/reopen/"),
    ("get", "/staff/?q=%00"),
    ("get", "/staff/?category=%00"),
    ("get", "/staff/?assignee=%00"),
    ("get", "/staff/?status=open&q=printer%00"),
    ("get", "/?%00=x"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_a_page_answers_400_with_the_friendly_page(method, url):
    issue_in("assigned")
    client = staff_client()
    client.raise_request_exception = False  # a 500 is an answer here, as in production
    response = getattr(client, method)(url)
    assert response.status_code == 400
    assert "We could not accept that" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/issues/?q=%00", {"q": ["Contains a NUL character, which cannot be stored."]}),
        (
            "/api/issues/?category=a%00b",
            {"category": ["Contains a NUL character, which cannot be stored."]},
        ),
        ("/api/issues/%00/", {"non_field_errors": ["The address contains a NUL character."]}),
    ],
)
def test_the_api_answers_400_in_its_error_shape(url, body):
    response = token_client(make_user("alice")).get(url)
    assert (response.status_code, response.json()) == (400, body)


def test_an_address_without_nul_is_served_as_before():
    assert Client().get("/track/abcdef/").status_code == 404
    assert staff_client().get("/staff/?q=printer").status_code == 200


@pytest.mark.postgres
@pytest.mark.usefixtures("on_postgres")
def test_on_postgresql_no_address_with_nul_reaches_a_query():
    """The case that answered 500: here the PostgreSQL pass must run, not skip (with
    REQUIRE_SERVICES=1 a missing PostgreSQL fails it)."""
    issue_in("assigned")
    client = staff_client()
    api = token_client(make_user("alice-pg"))
    client.raise_request_exception = api.raise_request_exception = False
    statuses = {url: getattr(client, method)(url).status_code for method, url in PAGES} | {
        "/api/issues/?assignee=%00": api.get("/api/issues/?assignee=%00").status_code
    }
    assert set(statuses.values()) == {400}, statuses
