"""Shared setup for the API specs: people, clients and issues, all through HTTP where it counts."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor

ISSUES = "/api/issues/"
TOKEN = "/api/auth/token/"
PASSWORD = "correct horse battery staple"

A_REPORT = {
    "reporter_name": "Fred Bloggs",
    "reporter_email": "fred@example.org",
    "description": "The printer on the second floor is on fire.",
    "category": "printing",
    "priority": "high",
}


def issue_url(issue_id, action: str = "") -> str:
    return f"{ISSUES}{issue_id}/" + (f"{action}/" if action else "")


def make_user(username: str, *, staff: bool = True, active: bool = True):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=staff, is_active=active
    )


def anonymous(address: str = "127.0.0.1") -> APIClient:
    return APIClient(REMOTE_ADDR=address)


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def report_an_issue(**overrides) -> uuid.UUID:
    """Arrange through the bus (fast); specs act through HTTP."""
    return message_bus().handle(commands.ReportIssue(**(A_REPORT | overrides)))


def resolve(issue_id, by: str = "alice") -> None:
    message_bus().handle(
        commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Fixed", actor=Actor.staff(by))
    )


def rates(**scopes: str):
    """override_settings with these throttle rates, e.g. rates(report="2/minute")."""
    api = settings.REST_FRAMEWORK
    return override_settings(
        REST_FRAMEWORK=api | {"DEFAULT_THROTTLE_RATES": api["DEFAULT_THROTTLE_RATES"] | scopes}
    )


def etag(version: int) -> str:
    return f'"{version}"'


class With_staff:
    def given_staff_alice_with_a_token(self):
        self.alice = make_user("alice")
        self.bob = make_user("bob")
        self.client = token_client(self.alice)


class With_a_reported_issue(With_staff):
    def given_a_reported_issue(self):
        self.issue_id = report_an_issue()


class With_a_resolved_issue(With_a_reported_issue):
    def given_the_issue_is_resolved(self):
        resolve(self.issue_id)
