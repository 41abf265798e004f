"""The issue's JSON is built by hand on the hot path; it must be what IssueOutput gives."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from rest_framework.test import APIRequestFactory

from issues_adapters.api.serializers import IssueOutput, issue_detail_data
from issues_service.queries import CommentView, IssueDetail

WHEN = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)


def an_issue(**changes) -> IssueDetail:
    fields = {
        "id": uuid.uuid4(),
        "reference": "HD-1001",
        "status": "reported",
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The printer is on fire.",
        "category": None,
        "priority": None,
        "assignee": None,
        "version": 1,
        "reported_at": WHEN,
        "updated_at": WHEN,
    }
    return IssueDetail(**(fields | changes))


ISSUES = {
    "just reported": an_issue(),
    "triaged, assigned, resolved, with comments": an_issue(
        status="resolved",
        category="printing",
        priority="urgent",
        assignee="bob",
        version=7,
        updated_at=WHEN.astimezone(timezone(timedelta(hours=2))),
        resolution="Put it out.",
        comments=[
            CommentView(uuid.uuid4(), "Bob", "staff", "On my way.", "public", WHEN),
            CommentView(uuid.uuid4(), "Bob", "staff", "Smells.", "internal", WHEN),
            CommentView(uuid.uuid4(), "Fred", "reporter", "Thanks!", "public", WHEN),
        ],
    ),
}


@pytest.mark.parametrize("name", ISSUES)
@pytest.mark.parametrize("time_zone", ["UTC", "Europe/London"])
def test_the_hand_built_issue_is_what_the_serializer_gives(name, time_zone, settings):
    settings.TIME_ZONE = time_zone
    request = APIRequestFactory().post("/api/issues/")
    issue = ISSUES[name]
    expected = IssueOutput(issue, context={"request": request}).data
    got = issue_detail_data(issue, request)
    assert got == expected
    assert list(got) == list(expected)
