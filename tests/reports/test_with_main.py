"""The reports branch with main's features: waiting, questions to the reporter, tags, links,
merges, the reporter's language, the side panel and the lifecycle table's RATE."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.reports import facts, projection, queries
from issues_adapters.reports.period import Period
from issues_adapters.wiring import issue_queries, message_bus
from issues_domain import commands, events
from issues_domain.lifecycle import ALLOWED, Action
from issues_domain.values import Actor, IssueStatus
from tests.api.contexts import make_user as make_api_user
from tests.api.contexts import token_client
from tests.web.support import issue_in, make_user, staff_client, token

ALICE = Actor.staff("alice")


def _events():
    return [to_event(row) for row in RecordedEvent.objects.order_by("position")]


def _today() -> Period:
    today = timezone.now().date()
    return Period(today - timedelta(days=1), today)


def test_a_question_to_the_reporter_is_a_first_response_and_waiting_counts_as_open(db):
    make_user("alice")
    waiting = issue_in("waiting")
    logged = _events()
    (question,) = [e for e in logged if isinstance(e, events.IssueAwaitingReporter)]
    assert facts.first_response(question)
    projection.apply_all(logged)
    assert queries.first_response(_today()).total["count"] == 1
    assert issue_queries().issue(waiting).status == "waiting"
    assert queries.backlog(_today()).total == {"open": 1}


def test_the_reporter_s_answer_keeps_it_open_and_is_no_first_response(db):
    make_user("alice")
    waiting = issue_in("waiting")
    Client().post(f"/track/{token(waiting)}/comment/", {"body": "The second one."})
    logged = _events()
    assert any(isinstance(e, events.ReporterAnswered) for e in logged)
    assert not any(facts.first_response(e) for e in logged if e.actor.role == "reporter")
    projection.apply_all(logged)
    assert queries.backlog(_today()).total == {"open": 1}


def test_rating_is_in_the_lifecycle_table_for_resolved_and_closed_only():
    rated = {status for status, allowed in ALLOWED.items() if Action.RATE in allowed}
    assert rated == {IssueStatus.RESOLVED, IssueStatus.CLOSED}


def test_a_merged_duplicate_is_closed_but_was_never_resolved_so_it_cannot_be_rated(db):
    make_user("alice")
    duplicate, target = issue_in("assigned"), issue_in("assigned")
    message_bus().handle(commands.MergeIssue(issue_id=duplicate, into=str(target), actor=ALICE))
    html = Client().get(f"/track/{token(duplicate)}/").content.decode()
    assert 'id="rating-form"' not in html
    response = Client().post(f"/track/{token(duplicate)}/rate/", {"score": "5"})
    assert response.status_code == 409


def test_the_rating_is_in_the_issue_page_s_side_panel(db):
    make_user("alice")
    resolved = issue_in("resolved")
    message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=4))
    projection.apply_all(_events())
    html = staff_client("alice").get(f"/staff/issues/{resolved}/").content.decode()
    aside = html[html.index("<aside") : html.index("</aside>")]
    assert 'id="rating"' in aside and "4 of 5" in aside
    assert html.count('id="rating"') == 1


def test_a_reopened_issue_s_page_shows_no_rating_and_does_not_read_one(db):
    make_user("alice")
    issue_id = issue_in("resolved")
    message_bus().handle(commands.RateSatisfaction(issue_id=issue_id, score=4))
    message_bus().handle(commands.ReopenIssue(issue_id=issue_id, reason="Again.", actor=ALICE))
    projection.apply_all(_events())
    client = staff_client("alice")
    with CaptureQueriesContext(connection) as captured:
        html = client.get(f"/staff/issues/{issue_id}/").content.decode()
    assert 'id="rating"' not in html
    assert not [q for q in captured.captured_queries if "reportissuefacts" in q["sql"]]


def test_the_tracking_page_and_the_mail_link_s_page_ask_in_the_reporter_s_language(db):
    make_user("alice")
    resolved = issue_in("resolved", language="de")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/track/{token(resolved)}/")
    assert page["Content-Language"] == "de"
    assert "How did we do?" not in page.content.decode()
    refused = Client().post(
        f"/track/{token(issue_in('assigned', language='de'))}/rate/", {"score": "5"}
    )
    assert refused.status_code == 409
    assert "Only a resolved or closed issue can be rated." not in refused.content.decode()


@pytest.fixture
def organised(db):
    make_api_user("alice")
    other = issue_in("assigned")
    issue_id = issue_in("reported", language="de")
    bus = message_bus()
    bus.handle(commands.TagIssue(issue_id=issue_id, add=("printer", "floor-2"), actor=ALICE))
    bus.handle(commands.LinkIssues(issue_id=issue_id, other=str(other), actor=ALICE))
    bus.handle(
        commands.TriageIssue(issue_id=issue_id, category="printing", priority="low", actor=ALICE)
    )
    bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="alice", actor=ALICE))
    bus.handle(commands.AwaitReporter(issue_id=issue_id, comment="Which tray?", actor=ALICE))
    Client().post(f"/track/{token(issue_id)}/comment/", {"body": "Tray two."})
    bus.handle(commands.UnlinkIssues(issue_id=issue_id, other=str(other), actor=ALICE))
    bus.handle(commands.MergeIssue(issue_id=issue_id, into=str(other), actor=ALICE))
    history = issue_queries().history(issue_id)
    return token_client(make_api_user("bob")), issue_id, other, history


def _as_of(client, issue_id, event):
    response = client.get(f"/api/issues/{issue_id}/", {"as_of": event.occurred_at.isoformat()})
    assert response.status_code == 200
    return response.json()


def _at(history, kind):
    return next(e for e in history if e.event_type == kind)


def test_time_travel_folds_tags_links_waiting_answers_and_the_merge(organised):
    client, issue_id, other, history = organised
    reported = _as_of(client, issue_id, history[0])
    assert (reported["language"], reported["tags"], reported["links"]) == ("de", [], [])

    linked = _as_of(client, issue_id, _at(history, "IssuesLinked"))
    assert linked["tags"] == ["printer", "floor-2"]
    assert [(link["issue_id"], link["status"]) for link in linked["links"]] == [
        (str(other), "assigned")
    ]

    waiting = _as_of(client, issue_id, _at(history, "IssueAwaitingReporter"))
    assert waiting["status"] == "waiting"
    assert [c["body"] for c in waiting["comments"]] == ["Which tray?"]

    answered = _as_of(client, issue_id, _at(history, "ReporterAnswered"))
    assert answered["status"] == "assigned"
    assert [c["body"] for c in answered["comments"]] == ["Which tray?", "Tray two."]

    unlinked = _as_of(client, issue_id, _at(history, "IssuesUnlinked"))
    assert unlinked["links"] == [] and unlinked["merged_into"] is None

    merged = _as_of(client, issue_id, _at(history, "IssueMerged"))
    assert merged["status"] == "closed" and merged["merged_into"] == str(other)
    now = client.get(f"/api/issues/{issue_id}/").json()
    for key in ("status", "tags", "links", "merged_into", "merged_into_reference", "language"):
        assert merged[key] == now[key], key


def test_the_target_s_duplicate_merged_in_changes_nothing_but_its_version(organised):
    client, _, other, _ = organised
    history = issue_queries().history(other)
    event = _at(history, "DuplicateMergedIn")
    then = _as_of(client, other, event)
    assert then["version"] == event.version and then["status"] == "assigned"


def test_the_issue_page_as_of_shows_tags_and_translated_status(organised):
    _, issue_id, _, history = organised
    staff = staff_client("alice")
    html = staff.get(
        f"/staff/issues/{issue_id}/",
        {"as_of": _at(history, "IssueAwaitingReporter").occurred_at.isoformat()},
    ).content.decode()
    assert 'id="status">Waiting' in html and "floor-2" in html


def test_the_open_queue_reads_no_ratings_and_the_resolved_one_shows_them(db):
    make_user("alice")
    issue_in("assigned")
    resolved = issue_in("resolved")
    message_bus().handle(commands.RateSatisfaction(issue_id=resolved, score=4))
    projection.apply_all(_events())
    client = staff_client("alice")
    with CaptureQueriesContext(connection) as captured:
        client.get("/staff/")
    assert not [q for q in captured.captured_queries if "reportissuefacts" in q["sql"]]
    assert "Rated 4/5" in client.get("/staff/?view=resolved").content.decode()
