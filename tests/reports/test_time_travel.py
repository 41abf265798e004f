"""GET /api/issues/{id}/?as_of=: the issue as it was, folded from its events."""

import pytest

from issues_adapters.wiring import issue_queries
from tests.api.contexts import make_user, token_client
from tests.web.support import comment, issue_in, staff_client


@pytest.fixture
def story(db):
    alice = make_user("alice")
    issue_id = issue_in("resolved")
    comment(issue_id, "Fixed the drum.")
    moments = [event.occurred_at for event in issue_queries().history(issue_id)]
    return token_client(alice), issue_id, moments


def at(client, issue_id, moment):
    return client.get(f"/api/issues/{issue_id}/", {"as_of": moment.isoformat()})


def test_just_after_the_report_it_was_reported_and_nobody_had_it(story):
    client, issue_id, moments = story
    body = at(client, issue_id, moments[0]).json()
    assert (body["status"], body["assignee"], body["category"], body["version"]) == (
        "reported",
        None,
        None,
        1,
    )


def test_after_it_was_picked_it_was_assigned_with_no_resolution(story):
    client, issue_id, moments = story
    body = at(client, issue_id, moments[2]).json()
    assert (body["status"], body["assignee"], body["category"], body["resolution"]) == (
        "assigned",
        "alice",
        "printing",
        None,
    )
    assert body["comments"] == []


def test_now_it_is_what_the_issue_is(story):
    client, issue_id, moments = story
    past = at(client, issue_id, moments[-1]).json()
    present = client.get(f"/api/issues/{issue_id}/").json()
    assert {k: past[k] for k in ("status", "resolution", "version", "assignee")} == {
        k: present[k] for k in ("status", "resolution", "version", "assignee")
    }
    assert [c["body"] for c in past["comments"]] == ["Fixed the drum."]


def test_before_it_was_reported_it_was_not_there(story):
    client, issue_id, _ = story
    response = client.get(f"/api/issues/{issue_id}/", {"as_of": "2000-01-01T00:00:00Z"})
    assert response.status_code == 404


@pytest.mark.parametrize("bad", ["yesterday", "2026-13-01", ""])
def test_a_malformed_moment_is_a_400_naming_as_of(story, bad):
    client, issue_id, _ = story
    response = client.get(f"/api/issues/{issue_id}/", {"as_of": bad})
    assert response.status_code == 400 and list(response.json()) == ["as_of"]


def test_the_issue_page_with_as_of_shows_it_as_it_was(story):
    _, issue_id, moments = story
    staff = staff_client("alice")
    html = staff.get(f"/staff/issues/{issue_id}/", {"as_of": moments[1].isoformat()}).content
    html = html.decode()
    assert 'id="status">Triaged<' in html and "(version 2)" in html
    assert "Fixed the drum." not in html and 'id="assignee">Nobody<' in html
    now = staff.get(f"/staff/issues/{issue_id}/").content.decode()
    assert "Fixed the drum." in now


def test_the_issue_page_refuses_a_malformed_moment_and_a_time_before_the_report(story):
    _, issue_id, _ = story
    staff = staff_client("alice")
    assert staff.get(f"/staff/issues/{issue_id}/", {"as_of": "soon"}).status_code == 400
    before = staff.get(f"/staff/issues/{issue_id}/", {"as_of": "2001-01-01T00:00"})
    assert before.status_code == 404
