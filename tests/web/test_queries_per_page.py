"""Each page costs a fixed number of queries, however many issues or comments there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.support import comment, issue_in, make_user, report, row, staff_client

pytestmark = pytest.mark.django_db


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def add_issues(n: int, start: int = 0) -> list:
    return [report(description=f"Problem number {start + i}") for i in range(n)]


def test_the_queue_page_costs_the_same_at_10_and_200_issues():
    client = staff_client()
    make_user("bob")
    add_issues(10)
    queries_for(client, "/staff/")  # the process reads its reference data
    at_10 = {
        path: queries_for(client, path)
        for path in (
            "/staff/",
            "/staff/?view=unassigned",
            "/staff/?view=all&q=number&sort=-priority",
        )
    }
    add_issues(190, start=10)
    at_200 = {path: queries_for(client, path) for path in at_10}
    assert at_200 == at_10
    # 6 for the queue itself (categories and staff kept by web/reference_data), 2 for SLA: the
    # "Breaching soon"/"Overdue" counts and the page's badges, 1 for the ratings shown in the
    # rows when the page holds resolved or closed issues (one statement each, whatever the
    # number of issues).
    assert max(at_10.values()) <= 9, at_10


def test_the_issue_page_costs_the_same_with_few_or_many_comments_files_and_events():
    from tests.attachments.support import upload
    from tests.attachments.test_composer import send

    client = staff_client()
    issue_id = issue_in("assigned")
    add_issues(10)
    queries_for(client, f"/staff/issues/{issue_id}/")  # the process reads its reference data
    few = queries_for(client, f"/staff/issues/{issue_id}/")
    add_issues(190, start=10)
    for n in range(40):
        comment(issue_id, f"Comment {n}", visibility="internal" if n % 2 else "public")
    for n in range(3):
        send(client, issue_id, "send", [upload(f"log{n}.txt", b"lines"), upload("b.txt", b"b")])
    version = row(issue_id).version
    client.post(
        f"/staff/issues/{issue_id}/tags/", {"add": "printer, jam", "expected_version": version}
    )
    assert row(issue_id).tags == ["printer", "jam"]
    many = queries_for(client, f"/staff/issues/{issue_id}/")
    assert many == few
    # The session and its user, the issue with its watchers (one statement), its files, its
    # history (the SLA panel's clocks come from it too), and the stamp of the categories, staff
    # and canned replies the process keeps (web/reference_data.py); its rating only once it is
    # resolved or closed (an open issue has none: tests/reports/test_with_main.py).
    assert few == 6, few


def test_the_tracking_page_and_the_version_poll_are_cheap():
    from django.test import Client

    from tests.web.support import token

    issue_id = issue_in("assigned")
    for n in range(30):
        comment(issue_id, f"Comment {n}")
    # The issue, its comments, its files, its watchers, its history (reopen reasons):
    # a constant, however many comments it has.
    assert queries_for(Client(), f"/track/{token(issue_id)}/") <= 5
    assert queries_for(staff_client(), f"/staff/issues/{issue_id}/version/") <= 3
