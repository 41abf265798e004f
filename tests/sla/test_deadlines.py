"""The due times the API gives an issue's clocks (`sla` of GET /api/issues/{id}/), with time
moved by time-machine: an overdue clock stays due when it became overdue; an issue reported
outside business hours is due its full target of business time after they begin; a policy
whose target its calendar cannot reach (saved before that was refused) gives no deadline
rather than refusing the report."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model

from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.values import Actor, IssueReporter
from tests.api.contexts import A_REPORT, ISSUES, anonymous, issue_url, token_client
from tests.events.support import ALICE, BOB
from tests.sla.test_timers import deliver, helpdesk, report_urgent  # noqa: F401

MONDAY_9AM = datetime(2026, 12, 7, 9, tzinfo=UTC)  # office hours: 9 to 17, UTC
GOALS = ("first_response", "resolution")
FRED = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))


def sla_of(issue_id) -> dict:
    alice = get_user_model().objects.get(username="alice")
    return token_client(alice).get(f"/api/issues/{issue_id}/").json()["sla"]


def due(clock: dict) -> datetime:
    return datetime.fromisoformat(clock["due_at"])


def at(hours: float, step):
    with time_machine.travel(MONDAY_9AM + timedelta(hours=hours), tick=False):
        return step()


@pytest.mark.django_db
def test_an_overdue_clock_stays_due_when_it_became_overdue_after_the_reporter_answers(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
):
    # "Urgent": 4 hours round the clock to resolve, missed at 13:00.
    bus = message_bus()
    issue_id = at(0, lambda: deliver(lambda: report_urgent(bus)))
    assign = commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE)
    at(0, lambda: deliver(lambda: bus.handle(assign)))
    ask = commands.AwaitReporter(issue_id=issue_id, comment="Which room?", actor=BOB)
    at(5, lambda: deliver(lambda: bus.handle(ask)))
    answer = commands.CommentOnIssue(issue_id=issue_id, author=FRED, body="The basement.")
    at(6, lambda: deliver(lambda: bus.handle(answer)))

    resolution = at(6.5, lambda: sla_of(issue_id))["resolution"]

    assert (resolution["state"], due(resolution)) == ("breached", MONDAY_9AM + timedelta(hours=4))


@pytest.mark.django_db
def test_a_triage_to_a_target_already_missed_makes_it_due_when_it_was_missed(helpdesk, deliver):  # noqa: F811
    # "High": a first response within 2 office hours; "Urgent": 30 minutes round the clock.
    bus = message_bus()
    issue_id = at(0, lambda: deliver(lambda: report_urgent(bus, priority="high")))
    triage = commands.TriageIssue(
        issue_id=issue_id, category="printing", priority="urgent", actor=ALICE
    )
    at(3, lambda: deliver(lambda: bus.handle(triage)))

    first_response = at(3.5, lambda: sla_of(issue_id))["first_response"]

    assert (first_response["state"], due(first_response)) == (
        "breached",
        MONDAY_9AM + timedelta(minutes=30),
    )


@pytest.mark.django_db
def test_an_issue_reported_outside_office_hours_is_due_when_its_full_target_is_spent(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
    monkeypatch,
):
    # Each event of the report 37 ms after the one before, as under load; "High": a first
    # response within 2 office hours (Monday to Friday, 9 to 17 UTC).
    saturday = datetime(2026, 12, 5, 10, tzinfo=UTC)
    moments = (saturday + timedelta(milliseconds=37 * n) for n in itertools.count())
    monkeypatch.setattr("issues_domain.issue._now", lambda: next(moments))

    with time_machine.travel(saturday, tick=False):
        answer = deliver(lambda: anonymous().post(ISSUES, A_REPORT, format="json"))
        first_response = sla_of(answer.json()["id"])["first_response"]

    assert (first_response["spent_minutes"], due(first_response)) == (
        0,
        MONDAY_9AM + timedelta(hours=2),
    )


@pytest.mark.django_db
def test_a_policy_beyond_three_years_of_office_hours_saved_before_never_blocks_a_report(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
):
    SlaPolicyRecord.objects.create(
        name="Glacial",
        priority="low",
        category="network",
        first_response_minutes=10_000_000,
        resolution_minutes=10_000_000,
        calendar=BusinessCalendarRecord.objects.get(name="Office hours"),
    )
    glacial = A_REPORT | {"category": "network", "priority": "low"}

    reported = deliver(lambda: anonymous().post(ISSUES, glacial, format="json"))
    other = deliver(lambda: anonymous().post(ISSUES, A_REPORT, format="json")).json()["id"]
    alice = token_client(get_user_model().objects.get(username="alice"))
    triage = {"category": "network", "priority": "low"}
    triaged = deliver(lambda: alice.post(issue_url(other, "triage"), triage, format="json"))

    assert (reported.status_code, triaged.status_code) == (201, 200)
    for issue_id in (reported.json()["id"], other):
        sla = sla_of(issue_id)
        assert sla["policy"] == "Glacial"
        assert [(sla[goal]["state"], sla[goal]["due_at"]) for goal in GOALS] == [
            ("on_track", None),
            ("on_track", None),
        ]
