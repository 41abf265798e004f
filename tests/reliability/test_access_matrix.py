"""Who reaches what, over every route in the URL conf, pages and API: anonymous, a signed-in
user who is not staff, staff, and an admin (superuser). tests/api/test_permissions.py goes
deeper into the API (tokens, inactive users, a tracking token as an API token); this matrix
is the whole map, and it must stay whole: a route with no row fails
`test_every_route_has_a_row`, so a new page or endpoint is placed in it when it is added.

An answer is classified as one of: `login` (redirected to a login page), `401`, `403`,
`404`, `redirect` (elsewhere), `ok` (2xx), `refused` (another 4xx: the caller reached the
view and the request itself was refused, e.g. a 400 for an empty form). A 5xx fails always.
"""

import fnmatch
import uuid

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client

from issues_adapters.eventing import rebuilds
from issues_adapters.eventing.models import Delivery
from tests.reliability.routes import all_routes, resolves_to
from tests.web.support import issue_in, token

pytestmark = [pytest.mark.reliability, pytest.mark.django_db]

CALLERS = ("anonymous", "non-staff", "staff", "admin")
REACHED = frozenset({"ok", "redirect", "refused"})
WRONG_TOKEN = {"token": "not-a-tracking-token-0123456789"}


def row(method: str, *expected, values=None, body=None):
    """One request: `expected` gives each caller's outcome (a string, or a set of them)."""
    assert len(expected) == len(CALLERS)
    return (method, tuple(frozenset([e]) if isinstance(e, str) else e for e in expected), values,
            body)  # fmt: skip


ALL_OK = ("ok",) * 4
STAFF_PAGE = ("login", "403", "ok", "ok")
STAFF_ACTION = ("login", "403", "redirect", "redirect")
STAFF_API = ("401", "403", REACHED, REACHED)
ADMIN_MODEL = ("login", "login", {"403", "redirect"}, {"ok", "redirect", "403"})

# Every route, by its template as the URL conf spells it: the requests made and who gets what.
MATRIX = {
    "health/": [row("get", *ALL_OK)],
    # Accounts: public forms; changing one's password needs a login, staff or not.
    "accounts/login/": [row("get", *ALL_OK)],
    "accounts/logout/": [row("post", "login", "login", "login", "login")],
    "accounts/password_change/": [row("get", "login", "ok", "ok", "ok")],
    "accounts/password_change/done/": [row("get", "login", "ok", "ok", "ok")],
    "accounts/password_reset/": [row("get", *ALL_OK)],
    "accounts/password_reset/done/": [row("get", *ALL_OK)],
    "accounts/reset/<uidb64>/<token>/": [row("get", *ALL_OK)],  # an invalid link says so
    "accounts/reset/done/": [row("get", *ALL_OK)],
    # The public pages; the tracking token is the credential, a wrong one finds nothing.
    "": [row("get", *ALL_OK)],
    "favicon.ico": [row("get", *("redirect",) * 4)],
    "reported/": [row("get", *("redirect",) * 4)],  # nothing reported in this session
    "track/<str:token>/": [
        row("get", *ALL_OK),
        row("get", *("404",) * 4, values=WRONG_TOKEN),
    ],
    "track/<str:token>/comment/": [
        row("post", *("refused",) * 4),  # an empty comment
        row("post", *("404",) * 4, values=WRONG_TOKEN),
    ],
    "track/<str:token>/reopen/": [
        row("post", *("refused",) * 4),  # the issue is not resolved
        row("post", *("404",) * 4, values=WRONG_TOKEN),
    ],
    # Files: staff open any (none here: 404), a tracking link only its issue's public ones.
    "staff/attachments/<uuid:attachment_id>/": [row("get", "login", "403", "404", "404")],
    "staff/attachments/<uuid:attachment_id>/thumbnail/": [row("get", "login", "403", "404", "404")],
    "track/<str:token>/attachments/<uuid:attachment_id>/": [row("get", *("404",) * 4)],
    "track/<str:token>/attachments/<uuid:attachment_id>/thumbnail/": [row("get", *("404",) * 4)],
    # A watcher's link is signed; a tracking token is not one.
    "watch/<str:token>/": [row("get", *("404",) * 4)],
    "watch/<str:token>/comment/": [row("post", *("404",) * 4)],
    "watch/<str:token>/attachments/<uuid:attachment_id>/": [row("get", *("404",) * 4)],
    "watch/<str:token>/attachments/<uuid:attachment_id>/thumbnail/": [row("get", *("404",) * 4)],
    # Staff pages.
    "staff/": [row("get", *STAFF_PAGE)],
    "staff/bulk/": [row("post", *STAFF_ACTION)],
    "staff/settings/": [row("get", *STAFF_PAGE)],
    # The unsubscribe link is its own credential (signed); a tracking token is not one.
    "unsubscribe/<str:token>/": [row("get", *("404",) * 4), row("post", *("404",) * 4)],
    "staff/issues/<uuid:issue_id>/": [row("get", *STAFF_PAGE)],
    "staff/issues/<uuid:issue_id>/version/": [row("get", *STAFF_PAGE)],
    "staff/issues/<uuid:issue_id>/<slug:action>/": [row("post", *STAFF_ACTION)],
    "staff/issues/<uuid:issue_id>/tags/": [row("post", *STAFF_ACTION)],
    "staff/issues/<uuid:issue_id>/links/": [row("post", *STAFF_ACTION)],
    "staff/issues/<uuid:issue_id>/links/<uuid:other>/remove/": [row("post", *STAFF_ACTION)],
    "staff/issues/<uuid:issue_id>/merge/": [row("post", *STAFF_ACTION)],
    "staff/canned-replies/": [row("get", *STAFF_PAGE)],
    "staff/canned-replies/<int:reply_id>/": [row("get", "login", "403", "404", "404")],
    "staff/canned-replies/<int:reply_id>/delete/": [row("post", "login", "403", "404", "404")],
    "staff/deliveries/": [row("get", *STAFF_PAGE)],
    "staff/deliveries/retry/": [row("post", *STAFF_ACTION)],
    "staff/deliveries/<int:delivery_id>/retry/": [row("post", *STAFF_ACTION)],
    "staff/projections/": [row("get", *STAFF_PAGE)],
    "staff/projections/<str:name>/rebuild/": [row("post", "login", "403", "403", "redirect")],
    "staff/sla/": [row("get", *STAFF_PAGE)],
    "staff/settings/language/": [row("get", "login", "403", "redirect", "redirect")],
    "staff/dashboard/": [row("get", *STAFF_PAGE)],
    "staff/dashboard/<str:name>.csv": [row("get", *STAFF_PAGE, values={"name": "volume"})],
    "staff/export.csv": [row("get", *STAFF_PAGE)],
    # Rating: the tracking token rates the reporter's own resolution (this issue has none yet:
    # refused); a rating link is its own credential, and a forged one finds nothing.
    "track/<str:token>/rate/": [row("post", *("refused",) * 4, body={"score": "4"})],
    "rate/<str:signed>/": [row("get", *("404",) * 4, values={"signed": "forged"})],
    "api/reports/<str:name>/": [row("get", *STAFF_API, values={"name": "volume"})],
    # The API (401 for nobody, 403 for a user who is not staff).
    "api/issues/": [
        row("get", *STAFF_API),
        row(
            "post",
            *("ok",) * 4,
            body={
                "reporter_name": "Fred",
                "reporter_email": "fred@example.org",
                "description": "Hi",
            },
        ),
    ],
    "api/issues/<str:issue_id>/": [row("get", *STAFF_API)],
    "api/issues/<str:issue_id>/events/": [row("get", *STAFF_API)],
    **{
        f"api/issues/<str:issue_id>/{command}/": [row("post", *STAFF_API, body={})]
        for command in (
            "triage",
            "assign",
            "pick",
            "comments",
            "resolve",
            "reopen",
            "close",
            "await-reporter",
        )
    },
    **{
        f"api/issues/<str:issue_id>/{command}/": [row("post", *STAFF_API, body={})]
        for command in ("tags", "merge", "links")
    },
    "api/issues/<str:issue_id>/links/<str:other>/": [row("delete", *STAFF_API)],
    "api/canned-replies/": [row("get", *STAFF_API), row("post", *STAFF_API, body={})],
    "api/canned-replies/<int:reply_id>/": [row("put", *STAFF_API, body={})],
    "api/issues/<str:issue_id>/attachments/": [row("post", *STAFF_API, body={})],
    "api/issues/<str:issue_id>/watchers/": [row("post", *STAFF_API, body={})],
    "api/issues/<str:issue_id>/watchers/<str:email>/": [row("delete", *STAFF_API)],
    "api/attachments/<str:attachment_id>/": [row("get", "401", "403", "404", "404")],
    "api/auth/token/": [row("post", *("refused",) * 4, body={})],  # no credentials given
    "api/projections/": [row("get", *STAFF_API)],
    "api/projections/<str:name>/rebuild/": [row("post", "401", "403", "403", "ok", body={})],
    # SLA policies: staff read, admins change (an empty body is refused, no policy 1 is 404).
    "api/sla-policies/": [
        row("get", *STAFF_API),
        row("post", "401", "403", "403", "refused", body={}),
    ],
    "api/sla-policies/<int:policy_id>/": [
        row("put", "401", "403", "403", {"refused", "404"}, body={})
    ],
    "api/schema/": [row("get", *ALL_OK)],
    "api/docs/": [row("get", *ALL_OK)],
    # The admin: staff with no permissions see its index and their password, nothing else.
    "admin/": [row("get", "login", "login", "ok", "ok")],
    "admin/login/": [row("get", "ok", "ok", "redirect", "redirect")],
    "admin/logout/": [row("post", "redirect", "redirect", "login", "login")],
    "admin/password_change/": [row("get", "login", "login", "ok", "ok")],
    "admin/password_change/done/": [row("get", "login", "login", "ok", "ok")],
    "admin/jsi18n/": [row("get", "login", "login", "ok", "ok")],
    "admin/autocomplete/": [row("get", "login", "login", "403", "403")],  # no field asked
    "admin/r/<path:content_type_id>/<path:object_id>/": [
        row("get", "login", "login", "404", "404")
    ],
    "admin/^(?P<app_label>auth|authtoken|issues|eventing|sla)/$": [
        row("get", "login", "login", "404", "ok")
    ],
    "admin/(?P<url>.*)$": [row("get", "login", "login", "404", "404")],
}
# Each model the admin registers, and any added later: changelist, add, change, delete,
# history, its password form; a superuser may still be refused where a model is read-only.
ADMIN_MODEL_ROUTES = {
    "admin/*/*/": [row("get", *ADMIN_MODEL)],
    "admin/*/*/add/": [row("get", *ADMIN_MODEL)],
    "admin/*/*/<path:object_id>/": [row("get", *ADMIN_MODEL)],
    "admin/*/*/<path:object_id>/*/": [row("get", *ADMIN_MODEL)],
    "admin/auth/user/<id>/password/": [row("get", *ADMIN_MODEL)],
}


def rows_for(template: str) -> list:
    if template in MATRIX:
        return MATRIX[template]
    if template.startswith("admin/") and not template.startswith("admin/^"):
        for pattern, rows in ADMIN_MODEL_ROUTES.items():
            if fnmatch.fnmatchcase(template, pattern) and template.count("/") == pattern.count("/"):
                return rows
    return []


def test_every_route_has_a_row():
    missing = [route.template for route in all_routes() if not rows_for(route.template)]
    assert not missing, f"Routes with no row in the access-control matrix: {missing}"
    stale = set(MATRIX) - {route.template for route in all_routes()}
    assert not stale, f"Rows for routes the URL conf no longer has: {stale}"


def outcome(response) -> str:
    status = response.status_code
    assert status < 500, response
    if 300 <= status < 400:
        location = response.get("Location", "")
        login = location.startswith(("/accounts/login/", "/admin/login/"))
        return "login" if login else "redirect"
    if status in (401, 403, 404):
        return str(status)
    return "ok" if status < 300 else "refused"


def _object_id(template: str) -> str:
    """A real row of the model an admin route is about, so that access is what is tested."""
    parts = template.split("/")
    if len(parts) < 4:
        return "0"
    _admin, app_label, model_name = parts[:3]
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return "0"
    pk = model._base_manager.values_list("pk", flat=True).first()
    return str(pk if pk is not None else 0)


def test_who_reaches_what(monkeypatch):
    monkeypatch.setattr(rebuilds, "launch", lambda *args, **kwargs: None)  # no thread
    users = get_user_model().objects
    callers = {
        "anonymous": None,
        "non-staff": users.create_user("nina", "nina@example.org", "pw"),
        "staff": users.create_user("alice", "alice@example.org", "pw", is_staff=True),
        "admin": users.create_superuser("root", "root@example.org", "pw"),
    }
    issue_id = issue_in("assigned")
    delivery = Delivery.objects.create(
        handler="mail.reporter_confirmation",
        position=1,
        event_id=uuid.uuid4(),
        event_type="IssueReported",
        status=Delivery.Status.PARKED,
    )
    values = {
        "token": token(issue_id),
        "issue_id": str(issue_id),
        "delivery_id": str(delivery.id),
        "name": "web.queue_counts",
        "policy_id": "1",
        "action": "comment",
        "other": str(issue_id),  # an issue is never linked to itself: refused, nothing changes
        "reply_id": "1",  # no canned reply yet
        "uidb64": "MQ",
        "content_type_id": "1",
        "id": str(callers["admin"].pk),
        "app_label": "auth",
        "url": "nothing-here/",
        "attachment_id": "00000000-0000-4000-8000-000000000000",  # no such file
        "email": "jane@example.org",
    }
    wrong = []
    cells = 0
    for route in all_routes():
        for method, expected, overrides, body in rows_for(route.template):
            given = values | {"object_id": _object_id(route.template)} | (overrides or {})
            url = route.url(given)
            assert resolves_to(route, url), route.template
            for caller, allowed in zip(CALLERS, expected, strict=True):
                client = Client(raise_request_exception=False)
                if callers[caller] is not None:
                    client.force_login(callers[caller])
                if body is not None:
                    response = getattr(client, method)(url, body, content_type="application/json")
                else:
                    response = getattr(client, method)(url)
                got = outcome(response)
                cells += 1
                if got not in allowed:
                    wrong.append(f"{method.upper()} {url} as {caller}: {got}, not {set(allowed)}")
    assert not wrong, "\n".join(wrong)
    assert cells > 300
