"""The issue page tells staff who else has the issue open and what changed since they loaded it."""

import pytest
from django.core.cache import cache

from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor
from tests.web.support import comment, issue_in, report, row, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nobody_looking():
    cache.clear()
    yield
    cache.clear()


def poll(client, issue_id, since=None):
    query = "" if since is None else f"?since={since}"
    return client.get(f"/staff/issues/{issue_id}/version/{query}").json()


class When_two_staff_have_one_issue_open:
    def given_alice_and_bob_on_the_issue_page(self):
        self.issue_id = report()
        self.alice, self.bob = staff_client("alice"), staff_client("bob")
        self.alice.get(f"/staff/issues/{self.issue_id}/")

    def because_bob_opens_it_too(self):
        self.bob_page = self.bob.get(f"/staff/issues/{self.issue_id}/").content.decode()
        self.alice_poll = poll(self.alice, self.issue_id)

    def it_should_show_bob_that_alice_is_looking(self):
        assert "Also looking at this issue: alice" in self.bob_page

    def it_should_tell_alice_that_bob_is_looking(self):
        assert self.alice_poll["looking"] == ["bob"]
        assert self.alice_poll["looking_text"] == "Also looking at this issue: bob"


def test_nobody_else_looking_shows_nothing():
    issue_id = report()
    page = staff_client("alice").get(f"/staff/issues/{issue_id}/").content.decode()
    assert "Also looking" not in page
    assert poll(staff_client("alice"), issue_id)["looking"] == []


def test_a_viewer_who_stopped_polling_drops_off(monkeypatch):
    issue_id = report()
    staff_client("bob").get(f"/staff/issues/{issue_id}/")
    from issues_adapters.web import presence

    later = presence.time.time() + presence.LOOKING_SECONDS + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert poll(staff_client("alice"), issue_id)["looking"] == []


def test_the_notice_says_what_changed_since_the_version_shown():
    issue_id = issue_in("triaged")
    shown = row(issue_id).version
    message_bus().handle(commands.PickIssue(issue_id=issue_id, engineer="carol"))
    comment(issue_id, "On it.", visibility="internal", author="carol")
    message_bus().handle(
        commands.MarkIssueAsResolved(
            issue_id=issue_id, resolution="Fixed.", actor=Actor.staff("carol")
        )
    )
    answer = poll(staff_client("alice"), issue_id, since=shown)
    assert answer["changes"] == [
        "carol picked it",
        "carol added an internal note",
        "carol resolved it",
    ]


def test_no_changes_are_listed_when_the_page_is_current():
    issue_id = report()
    answer = poll(staff_client("alice"), issue_id, since=row(issue_id).version)
    assert "changes" not in answer
