"""GET /api/reports/sla/: a breach flagged stays counted as a breach, even once a triage has
given the issue a policy with a longer target that its answer then met."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from issues_adapters.sla import timers
from issues_adapters.sla.models import BusinessCalendarRecord, SlaPolicyRecord
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.api.contexts import token_client
from tests.events.support import ALICE
from tests.sla.test_timers import deliver, helpdesk, recorded, report_urgent  # noqa: F401


@pytest.mark.django_db
def test_a_breached_issue_triaged_to_a_longer_target_and_answered_counts_as_breached(
    helpdesk,  # noqa: F811
    deliver,  # noqa: F811
):
    SlaPolicyRecord.objects.create(
        name="Network, high",
        priority="high",
        category="network",
        first_response_minutes=3,
        resolution_minutes=60,
        calendar=BusinessCalendarRecord.objects.get(name="Round the clock"),
    )
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus, category="network", priority="high"))
    late = recorded(events.IssueReported)[0].occurred_at + timedelta(minutes=4)
    deliver(lambda: timers.tick(bus, now=late))  # the warning
    deliver(lambda: timers.tick(bus, now=late))  # then the breach
    assert [event.goal for event in recorded(events.SlaBreached)] == ["first_response"]
    # "Low": 16 office hours to a first response, which the reply then meets.
    triage = commands.TriageIssue(
        issue_id=issue_id, category="network", priority="low", actor=ALICE
    )
    deliver(lambda: bus.handle(triage))
    reply = commands.CommentOnIssue(issue_id=issue_id, author=ALICE, body="On it.")
    deliver(lambda: bus.handle(reply))

    today = timezone.now().date().isoformat()
    alice = token_client(get_user_model().objects.get(username="alice"))
    body = alice.get(
        "/api/reports/sla/", {"from": today, "to": today, "group_by": "priority"}
    ).json()

    low = next(row for row in body["rows"] if row["group"] == "low")
    assert (low["first_response_met"], low["first_response_breached"]) == (0, 1)
    assert (body["total"]["first_response_met"], body["total"]["first_response_breached"]) == (
        0,
        1,
    )
