"""/staff/dashboard/: charts with text alternatives, the same numbers as tables, CSV
downloads, the period and grouping from a form; staff only."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.web.support import issue_in, make_user, staff_client


@pytest.fixture
def staff(db, django_capture_on_commit_callbacks):
    make_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        issue_in("reported")
        resolved = issue_in("resolved")
        message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=4))
    return staff_client("alice")


def test_the_dashboard_shows_each_report_as_a_chart_and_a_table(staff):
    html = staff.get("/staff/dashboard/").content.decode()
    for key in ("backlog", "volume", "first-response", "resolution", "satisfaction", "sla"):
        assert f'id="chart-{key}"' in html and f'id="table-{key}"' in html
        assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in html
    assert "Open: 1 on the last day" in html  # the backlog chart's text alternative
    assert "<polyline" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_the_tables_follow_the_grouping_and_download_as_csv(staff):
    html = staff.get("/staff/dashboard/", {"group_by": "assignee"}).content.decode()
    assert "<td>alice</td>" in html
    today = timezone.now().date().isoformat()
    response = staff.get(
        "/staff/dashboard/volume.csv", {"from": today, "to": today, "group_by": "assignee"}
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="volume_{today}_{today}_by-assignee.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["group", "created", "resolved"],
        ["", "1", "0"],
        ["alice", "1", "1"],
        ["total", "2", "1"],
    ]


def test_a_bad_period_is_a_400_that_says_which_field(staff):
    response = staff.get("/staff/dashboard/", {"from": "2026-05-02", "to": "2026-05-01"})
    assert response.status_code == 400
    assert "From: The period starts on 2026-05-02, after it ends" in response.content.decode()
    assert staff.get("/staff/dashboard/volume.csv", {"group_by": "x"}).status_code == 400


def test_only_staff_see_the_dashboard(db):
    assert Client().get("/staff/dashboard/").status_code == 302
    make_user("fred", staff=False)
    client = Client()
    client.login(username="fred", password="pw")
    assert client.get("/staff/dashboard/").status_code == 403
    assert client.get("/staff/dashboard/volume.csv").status_code == 403


def test_the_sla_table_downloads_as_csv_with_each_target_s_share(staff):
    response = staff.get("/staff/dashboard/sla.csv", {"group_by": "priority"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "group",
        "first_response_met",
        "first_response_breached",
        "first_response_share_met",
        "resolution_met",
        "resolution_breached",
        "resolution_share_met",
    ]
    assert rows[-1][0] == "total"


def test_the_queue_as_it_was_at_the_end_of_a_past_day(staff):
    today = timezone.now().date()
    yesterday = (today - timedelta(days=1)).isoformat()
    html = staff.get("/staff/dashboard/", {"to": today.isoformat()}).content.decode()
    queue = html.split('id="queue-as-of"', 1)[1].split("</section>", 1)[0]
    assert f"The queue at the end of {today.isoformat()}" in queue
    assert "1 open issue." in queue  # the reported one; the resolved one is not open

    html = staff.get("/staff/dashboard/", {"to": yesterday}).content.decode()
    queue = html.split('id="queue-as-of"', 1)[1].split("</section>", 1)[0]
    assert "0 open issues." in queue  # none had been reported yet
