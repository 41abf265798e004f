"""Every route in the URL conf, given hostile input: a NUL character in the path and in the
query, JSON nested a thousand deep, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, malformed JSON,
and a content type nobody parses. Each answer is a 4xx (never a 5xx), the API's are JSON, and
nothing is written. In-process (Django's test client, errors answered as in production) in
both passes of `make test`, as an admin, who gets past every permission check: by API token
under /api/ (so every body reaches the parsers), by session on the pages, whose POSTs carry no
CSRF token (a hostile client has none).

A page POST with a valid CSRF token and a body that is not a form is the second test's: a
page reads only form bodies, so such a body reaches it as an empty form, and the page answers
its form with errors (200) or, for a button without fields, does what the button does; so
there the check is: below 500, and nothing written but by such a button.
"""

import json
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from issues_adapters.eventing import rebuilds
from issues_adapters.eventing.models import Delivery, Rebuild
from issues_adapters.persistence.models import IssueRecord
from tests.api.contexts import token_client
from tests.reliability.routes import all_routes, resolves_to
from tests.reliability.writes import table_counts
from tests.web.support import issue_in, token

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

DEEP = "[" * 1000 + "]" * 1000


def _oversized() -> str:
    return json.dumps({"description": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})


# name: (method, path suffix or None, content type, body)
def hostile_requests() -> dict:
    return {
        "NUL in the query": ("get", "?q=%00&%00=x", None, None),
        "deeply nested JSON": ("post", "", "application/json", DEEP),
        "oversized JSON body": ("post", "", "application/json", _oversized()),
        "oversized form body": (
            "post",
            "",
            "application/x-www-form-urlencoded",
            "description=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        ),
        "malformed JSON": ("post", "", "application/json", '{"description": "x",'),
        "wrong content type": ("post", "", "application/xml", "<issue>x</issue>"),
    }


@pytest.fixture
def world():
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    Token.objects.create(user=admin)  # before the counts: the API is called by token
    issue_id = issue_in("assigned")
    delivery = Delivery.objects.order_by("id").first()
    return admin, {
        "token": token(issue_id),
        "issue_id": str(issue_id),
        "delivery_id": str(delivery.id if delivery else 1),
        "name": "web.queue_counts",
        "action": "comment",
        "other": str(issue_id),
        "reply_id": "1",
        "policy_id": "1",
        "signed": "forged",
        "uidb64": "MQ",
        "content_type_id": "1",
        "object_id": str(admin.pk),
        "id": str(admin.pk),
        "app_label": "auth",
        "url": "nothing-here/",
        "attachment_id": "00000000-0000-4000-8000-000000000000",
        "email": "jane@example.org",
    }


def _client(admin, route) -> Client:
    if route.is_api:
        client = token_client(admin)
    else:
        client = Client(enforce_csrf_checks=True)
        client.force_login(admin)
    client.raise_request_exception = False  # a 500 is an answer, as in production
    return client


def _with_nul_in_the_path(route, values: dict) -> str:
    if route.parameters():
        return route.url({name: quote(value) + "%00" for name, value in values.items()})
    path = route.url(values)
    return (path[:-1] + "%00/") if path.endswith("/") else path + "%00"


def _error_shape(response) -> str:
    """The API's error shapes (README): {"code", "detail"}, or {"field": [messages]}."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return f"not JSON: {response.get('Content-Type')}"
    body = json.loads(response.content)
    if isinstance(body, dict) and set(body) == {"code", "detail"}:
        return "problem"
    if isinstance(body, dict) and body and all(isinstance(v, list) for v in body.values()):
        return "fields"
    return f"another shape: {body!r:.80}"


def test_every_route_refuses_hostile_input_with_a_4xx_and_writes_nothing(world):
    admin, values = world
    routes = all_routes()
    before = table_counts()
    answers = {}
    for route in routes:
        url = route.url(values)
        assert resolves_to(route, url), f"the walker cannot fill {route.template}: add a value"
        requests = {"NUL in the path": ("get", None, None, None)} | hostile_requests()
        for name, (method, suffix, content_type, body) in requests.items():
            address = _with_nul_in_the_path(route, values) if suffix is None else url + suffix
            client = _client(admin, route)
            if method == "get":
                response = client.get(address)
            else:
                response = client.post(address, body, content_type=content_type)
            shape = _error_shape(response) if route.is_api else "page"
            answers[(route.template, name)] = response.status_code, shape

    wrong = {
        where: answer
        for where, answer in answers.items()
        if not 400 <= answer[0] < 500 or answer[1] not in ("page", "problem", "fields")
    }
    assert not wrong, "\n".join(f"{answer} {where}" for where, answer in sorted(wrong.items()))
    assert table_counts() == before
    assert IssueRecord.objects.count() == 1


def test_a_page_given_a_body_that_is_no_form_answers_below_500_and_writes_nothing(
    world, monkeypatch
):
    """With a valid CSRF token (checks off, as a signed-in admin's own browser would pass
    them), the same bodies reach the pages: a page reads only form bodies, so it sees an empty
    form and answers its form with errors, or does what a button without fields does. Never a
    5xx, and nothing is written but by such a button: the rebuild's (its run is not started
    here), and a logout's session."""
    monkeypatch.setattr(rebuilds, "launch", lambda *args, **kwargs: None)
    admin, values = world
    buttons = {"staff/projections/<str:name>/rebuild/": {"eventing_rebuild"}}
    wrong = []
    for route in all_routes():
        if route.is_api:
            continue
        for name, (method, _suffix, content_type, body) in hostile_requests().items():
            if method != "post":
                continue
            client = Client(raise_request_exception=False)
            client.force_login(admin)
            before = table_counts()
            response = client.post(route.url(values), body, content_type=content_type)
            changed = {table for table, count in table_counts().items() if before[table] != count}
            if response.status_code >= 500 or changed - buttons.get(route.template, set()):
                wrong.append(f"{response.status_code} {route.template} {name}: wrote {changed}")
            Rebuild.objects.all().delete()  # the next rebuild is not refused as running
    assert not wrong, "\n".join(wrong)
