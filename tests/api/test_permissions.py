"""Who may call what, over every endpoint.

Callers: nobody (anonymous); active staff by token and by session; inactive staff by token and
by session; a logged-in user who is not staff, by token and by session; and somebody presenting
a reporter's private tracking token as if it were an API token. Each request goes to an issue
in a state where the operation succeeds, so a refusal can only be about who is asking.
"""

import pytest
from expects import equal, expect
from rest_framework.test import APIClient

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.api.contexts import (
    A_REPORT,
    ISSUES,
    anonymous,
    issue_url,
    make_user,
    report_an_issue,
    resolve,
    session_client,
    token_client,
)


def _tracking_token_client(_user) -> APIClient:
    other = IssueRecord.objects.get(id=report_an_issue(description="Somebody else's issue."))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {other.tracking_token}")
    return client


CALLERS = {
    "anonymous": (lambda: None, lambda _user: anonymous()),
    "staff by token": (lambda: make_user("alice"), token_client),
    "staff by session": (lambda: make_user("alice"), session_client),
    "inactive staff by token": (lambda: make_user("alice", active=False), token_client),
    "inactive staff by session": (lambda: make_user("alice", active=False), session_client),
    "non-staff by token": (lambda: make_user("alice", staff=False), token_client),
    "non-staff by session": (lambda: make_user("alice", staff=False), session_client),
    "a tracking token": (lambda: None, _tracking_token_client),
}


def _open(_issue):
    return None


def _resolved(issue_id):
    resolve(issue_id, by="bob")


def _picked(issue_id):
    message_bus().handle(commands.PickIssue(issue_id=issue_id, engineer="bob"))


# name: (method, path, body, arrange the issue, status for active staff)
ENDPOINTS = {
    "report": ("post", lambda i: ISSUES, A_REPORT, _open, 201),
    "list": ("get", lambda i: ISSUES, None, _open, 200),
    "read": ("get", lambda i: issue_url(i), None, _open, 200),
    "events": ("get", lambda i: issue_url(i, "events"), None, _open, 200),
    "triage": (
        "post",
        lambda i: issue_url(i, "triage"),
        {"category": "network", "priority": "low"},
        _open,
        200,
    ),
    "assign": ("post", lambda i: issue_url(i, "assign"), {"assignee": "bob"}, _open, 200),
    "pick": ("post", lambda i: issue_url(i, "pick"), {}, _open, 200),
    "comment": ("post", lambda i: issue_url(i, "comments"), {"body": "Hi"}, _open, 201),
    "resolve": ("post", lambda i: issue_url(i, "resolve"), {"resolution": "Ok"}, _open, 200),
    "reopen": ("post", lambda i: issue_url(i, "reopen"), {"reason": "No"}, _resolved, 200),
    "close": ("post", lambda i: issue_url(i, "close"), {}, _resolved, 200),
    "await-reporter": (
        "post",
        lambda i: issue_url(i, "await-reporter"),
        {"comment": "Which?"},
        _picked,
        200,
    ),
    "schema": ("get", lambda i: "/api/schema/", None, _open, 200),
    "docs": ("get", lambda i: "/api/docs/", None, _open, 200),
}
PUBLIC = {"schema", "docs"}


def expected_status(endpoint: str, caller: str, staff_status: int) -> int:
    if endpoint in PUBLIC:
        return 200  # no authentication at all: even bad credentials are ignored
    # A bad credential is refused wherever it is presented (401); an inactive user's session
    # is no session at all, so the caller is anonymous.
    bad_credentials = caller in ("inactive staff by token", "a tracking token")
    if endpoint == "report":
        return 401 if bad_credentials else 201
    if caller.startswith("staff"):
        return staff_status
    if caller.startswith("non-staff"):
        return 403
    return 401


@pytest.mark.django_db
@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_who_may_call_what(endpoint, caller):
    make_user("bob")
    make_user_for_caller, client_for = CALLERS[caller]
    client = client_for(make_user_for_caller())
    method, path, body, arrange, staff_status = ENDPOINTS[endpoint]
    issue_id = report_an_issue()
    arrange(issue_id)
    version_before = IssueRecord.objects.get(id=issue_id).version

    response = getattr(client, method)(
        path(issue_id), body, format="json" if body is not None else None
    )

    expect((endpoint, caller, response.status_code)).to(
        equal((endpoint, caller, expected_status(endpoint, caller, staff_status)))
    )
    if response.status_code in (401, 403):
        expect(set(response.json())).to(equal({"code", "detail"}))
        expect(IssueRecord.objects.get(id=issue_id).version).to(equal(version_before))
    if response.status_code == 401:
        expect(response["WWW-Authenticate"]).to(equal("Token"))
