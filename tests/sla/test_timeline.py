"""The SLA's events on the issue page say what happened in the staff member's words (the policy
that applies, a deadline near or missed), in the live notice too, and the queue's sort by
deadline is named in German as in English: not the events' type names."""

from datetime import timedelta

import pytest

from issues_adapters.sla import timers
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.events.support import ALICE
from tests.sla.test_pages import page
from tests.sla.test_timers import deliver, helpdesk, recorded, report_urgent  # noqa: F401
from tests.web.support import staff_client


@pytest.fixture
def breached_issue(helpdesk, deliver):  # noqa: F811
    """An urgent issue triaged by alice (its targets set again), then warned of and breached."""
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    triage = commands.TriageIssue(
        issue_id=issue_id, category="hardware", priority="urgent", actor=ALICE
    )
    deliver(lambda: bus.handle(triage))
    start = recorded(events.IssueReported)[0].occurred_at
    deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=25)))
    deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=31)))
    return issue_id


@pytest.mark.django_db
def test_the_timeline_says_which_policy_applies_and_which_deadline_is_near_or_missed(
    breached_issue,
):
    issue_page = page(staff_client("alice"), f"/staff/issues/{breached_issue}/")
    assert "SLA policy Urgent applies" in issue_page
    assert "SLA: First response due soon" in issue_page
    assert "SLA: First response overdue" in issue_page
    for type_name in ("SlaTargeted", "SlaWarned", "SlaBreached"):
        assert f">{type_name}" not in issue_page


@pytest.mark.django_db
def test_the_live_notice_names_what_the_sla_did_not_somebody_changing_it(breached_issue):
    answer = staff_client("bob").get(f"/staff/issues/{breached_issue}/version/?since=1")
    changes = answer.json()["changes"]
    assert "alice triaged it" in changes
    assert "SLA policy Urgent applies" in changes
    assert "SLA: First response due soon" in changes
    assert "SLA: First response overdue" in changes
    assert not [change for change in changes if "changed it" in change]


@pytest.mark.django_db
def test_german_staff_read_the_sla_entries_and_the_deadline_sort_in_german(breached_issue):
    client = staff_client("alice")
    client.post("/staff/settings/language/", {"language": "de"})
    issue_page = page(client, f"/staff/issues/{breached_issue}/")
    assert "SLA-Richtlinie Urgent gilt" in issue_page
    assert "SLA: Erste Antwort bald fällig" in issue_page
    assert "SLA: Erste Antwort überfällig" in issue_page
    assert "Nächste SLA-Frist zuerst" in page(client, "/staff/")
