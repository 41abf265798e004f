"""GET /api/reports/{name}/: each report over live-delivered events, as JSON and CSV; bad
questions are a 400 naming the parameter; staff only."""

import csv
import io

import pytest
from django.utils import timezone

from issues_adapters.sla.defaults import seed_policies
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.api.contexts import anonymous, make_user, token_client
from tests.web.support import comment, issue_in


@pytest.fixture
def api(db, django_capture_on_commit_callbacks):
    alice = make_user("alice")
    make_user("bob")
    seed_policies()
    with django_capture_on_commit_callbacks(execute=True):
        issue_in("reported")
        answered = issue_in("assigned", assignee="bob")
        comment(answered, "Looking at it now.", author="bob")
        comment(answered, "Internal: needs a part.", visibility="internal", author="bob")
        for score in (5, 3):
            resolved = issue_in("resolved")
            message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=score))
        issue_in("closed")
    return token_client(alice)


def get(client, name, **query):
    return client.get(f"/api/reports/{name}/", query)


def test_volume_counts_today_s_issues_and_resolutions(api):
    body = get(api, "volume").json()
    today = timezone.now().date().isoformat()
    assert body["total"] == {"created": 5, "resolved": 3}
    assert body["rows"][-1] == {"day": today, "created": 5, "resolved": 3}
    assert len(body["rows"]) == 30 and body["to"] == today


def test_backlog_by_assignee_counts_the_open_issues_at_the_end_of_the_period(api):
    body = get(api, "backlog", group_by="assignee").json()
    assert body["rows"] == [{"group": "", "open": 1}, {"group": "bob", "open": 1}]
    assert get(api, "backlog").json()["total"] == {"open": 2}


def test_first_response_counts_only_the_public_staff_reply(api):
    body = get(api, "first-response", group_by="priority").json()
    assert body["total"]["count"] == 1
    assert body["rows"][0]["group"] == "high"
    assert body["total"]["median_seconds"] is not None


def test_satisfaction_averages_the_ratings_of_the_period_s_resolutions(api):
    total = get(api, "satisfaction").json()["total"]
    assert (total["rated"], total["average"], total["score_5"], total["score_3"]) == (2, 4.0, 1, 1)
    assert (total["resolved"], total["share_rated"]) == (3, 0.667)


def test_csv_by_accept_header_with_a_filename(api):
    response = api.get("/api/reports/volume/", {"group_by": "category"}, HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="volume_' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('_by-category.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["group", "created", "resolved"]
    assert rows[-1] == ["total", "5", "3"]
    assert ["printing", "4", "3"] in rows


@pytest.mark.parametrize(
    ("name", "query", "parameter"),
    [
        ("volume", {"from": "2026-02-30"}, "from"),
        ("volume", {"from": "2026-03-02", "to": "2026-03-01"}, "from"),
        ("volume", {"from": "2020-01-01", "to": "2026-01-01"}, "to"),
        ("volume", {"group_by": "colour"}, "group_by"),
        ("sla-ish", {}, "name"),
        ("volume", {"format": ""}, "format"),
    ],
)
def test_a_bad_question_is_a_400_naming_the_parameter(api, name, query, parameter):
    response = api.get(f"/api/reports/{name}/", query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_only_staff_see_reports(db):
    assert anonymous().get("/api/reports/volume/").status_code == 401
    assert (
        token_client(make_user("fred", staff=False)).get("/api/reports/volume/").status_code == 403
    )


def test_sla_counts_each_target_s_outcome_once_decided(api):
    body = get(api, "sla", group_by="priority").json()
    assert body["columns"][0] == "group" and "resolution_share_met" in body["columns"]
    total = body["total"]
    decided = total["resolution_met"] + total["resolution_breached"]
    assert decided == 3  # the three resolutions, each under a policy
    assert total["resolution_share_met"] == round(total["resolution_met"] / decided, 3)


def test_the_schema_documents_the_report_endpoint(db):
    schema = anonymous().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/reports/{name}/"]["get"]
    name = next(p for p in operation["parameters"] if p["name"] == "name")
    assert "sla" in name["schema"]["enum"]
    assert {"application/json", "text/csv"} <= set(operation["responses"]["200"]["content"])
    assert {p["name"] for p in operation["parameters"]} >= {"name", "from", "to", "group_by"}
