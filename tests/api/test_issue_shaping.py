"""The issue's JSON is built by hand on the hot paths; it must be what the serializers give."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from rest_framework.test import APIRequestFactory

from issues_adapters.api.serializers import (
    IssueOutput,
    IssuePageOutput,
    issue_detail_data,
    issue_page_data,
)
from issues_service.queries import CommentView, IssueDetail, IssueSummary

WHEN = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=UTC)


def an_issue(**changes) -> IssueDetail:
    fields = {
        "id": uuid.uuid4(),
        "reference": "HD-1001",
        "status": "reported",
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "subject": "Printer on fire",
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


def a_summary(issue: IssueDetail) -> IssueSummary:
    return IssueSummary(
        **{name: getattr(issue, name) for name in IssueSummary.__dataclass_fields__}
    )


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/London"])
@pytest.mark.parametrize(
    ("next_url", "previous_url"),
    [(None, None), ("http://testserver/api/issues/?cursor=abc", "http://testserver/api/issues/")],
)
def test_the_hand_built_page_is_what_the_serializer_gives(
    time_zone, next_url, previous_url, settings
):
    settings.TIME_ZONE = time_zone
    request = APIRequestFactory().get("/api/issues/")
    issues = [a_summary(issue) for issue in ISSUES.values()]
    expected = IssuePageOutput(
        {"results": issues, "next": next_url, "previous": previous_url},
        context={"request": request},
    ).data
    got = issue_page_data(issues, next_url, previous_url, request)
    assert got == expected
    assert [list(row) for row in got["results"]] == [list(row) for row in expected["results"]]
