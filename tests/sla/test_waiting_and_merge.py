"""The SLA process managers with main's waiting status and merge: the clocks pause while an
issue waits on its reporter (no timer fires meanwhile) and run on after the answer; a merged
duplicate's clocks stop, and a resolved issue merged away is not auto-closed again."""

from datetime import timedelta

import pytest

from issues_adapters.sla import display, timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import AutoClose, SlaClock
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from issues_domain.sla import Goal
from issues_domain.sla_clock import SlaState
from issues_domain.values import Actor, IssueReporter
from tests.events.support import ALICE, BOB, make_staff
from tests.sla.test_timers import recorded, report_urgent, reported_at, state

FRED = Actor.reporter(IssueReporter("Fred Bloggs", "fred@example.org"))


@pytest.fixture
def helpdesk(db):
    make_staff("alice", "bob", "carol")
    seed_policies()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


def assigned_to_bob(bus, deliver):
    issue_id = deliver(lambda: report_urgent(bus))
    deliver(
        lambda: bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    )
    return issue_id


@pytest.mark.django_db
def test_waiting_on_the_reporter_pauses_the_clocks_and_the_answer_resumes_them(helpdesk, deliver):
    bus = message_bus()
    issue_id = assigned_to_bob(bus, deliver)
    start = reported_at(issue_id)
    deliver(
        lambda: bus.handle(
            commands.AwaitReporter(issue_id=issue_id, comment="Which room?", actor=BOB)
        )
    )
    week = start + timedelta(days=7)

    assert state(issue_id, Goal.FIRST_RESPONSE, week) == SlaState.MET
    assert state(issue_id, Goal.RESOLUTION, week) == SlaState.PAUSED
    row = SlaClock.objects.get(issue_id=issue_id)
    assert (row.paused, row.next_timer_at, row.due_at) == (True, None, None)
    assert issue_id not in display.overdue().values_list("issue_id", flat=True)
    assert deliver(lambda: timers.tick(bus, now=week)).acted == 0

    deliver(
        lambda: bus.handle(
            commands.CommentOnIssue(issue_id=issue_id, author=FRED, body="The basement.")
        )
    )
    assert recorded(events.ReporterAnswered)
    row = SlaClock.objects.get(issue_id=issue_id)
    answered = recorded(events.ReporterAnswered)[0].occurred_at
    assert not row.paused
    # "Urgent" gives 4 hours round the clock to resolve; the wait did not count.
    assert row.resolution_due > answered
    assert row.resolution_due - answered < timedelta(hours=4)
    due = answered + timedelta(hours=4)
    assert deliver(lambda: timers.tick(bus, now=due)).fired == 1  # the warning
    assert deliver(lambda: timers.tick(bus, now=due)).fired == 1  # then the breach
    assert [event.goal for event in recorded(events.SlaWarned)] == [Goal.RESOLUTION]
    assert [event.goal for event in recorded(events.SlaBreached)] == [Goal.RESOLUTION]


def in_views(issue_id) -> tuple:
    views = (display.breaching_soon(), display.overdue())
    return tuple(issue_id in view.values_list("issue_id", flat=True) for view in views)


@pytest.mark.django_db
def test_the_sla_views_follow_the_flags_and_a_wait_takes_an_issue_out_until_the_answer(
    helpdesk, deliver
):
    bus = message_bus()
    issue_id = assigned_to_bob(bus, deliver)
    start = reported_at(issue_id)
    late = start + timedelta(minutes=31)  # the first response's warning and breach are due
    assert in_views(issue_id) == (False, False)  # late by the clock, not flagged yet
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 0}

    assert deliver(lambda: timers.tick(bus, now=late)).fired == 1
    assert in_views(issue_id) == (True, False)
    assert display.view_counts() == {"breaching_soon": 1, "overdue": 0}
    assert deliver(lambda: timers.tick(bus, now=late)).fired == 1
    assert in_views(issue_id) == (False, True)
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 1}

    deliver(
        lambda: bus.handle(
            commands.AwaitReporter(issue_id=issue_id, comment="Which room?", actor=BOB)
        )
    )
    # Asking the reporter is the first response: that clock stops; the resolution clock,
    # not flagged, pauses.
    assert in_views(issue_id) == (False, False)
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 0}

    deliver(
        lambda: bus.handle(
            commands.CommentOnIssue(issue_id=issue_id, author=FRED, body="The basement.")
        )
    )
    due = SlaClock.objects.get(issue_id=issue_id).resolution_due
    assert deliver(lambda: timers.tick(bus, now=due)).fired == 1  # the resolution's warning
    assert in_views(issue_id) == (True, False)
    deliver(
        lambda: bus.handle(
            commands.AwaitReporter(issue_id=issue_id, comment="Which floor?", actor=BOB)
        )
    )
    assert in_views(issue_id) == (False, False)
    assert display.view_counts() == {"breaching_soon": 0, "overdue": 0}
    deliver(
        lambda: bus.handle(commands.CommentOnIssue(issue_id=issue_id, author=FRED, body="Two."))
    )
    assert in_views(issue_id) == (True, False)  # the same deadline, flagged already
    assert display.view_counts() == {"breaching_soon": 1, "overdue": 0}


@pytest.mark.django_db
def test_a_merged_duplicate_stops_its_clocks_and_is_neither_flagged_nor_auto_closed(
    helpdesk, deliver, settings
):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    bus = message_bus()
    duplicate = deliver(lambda: report_urgent(bus))
    target = deliver(lambda: report_urgent(bus, reporter_email="gina@example.org"))
    deliver(
        lambda: bus.handle(
            commands.MarkIssueAsResolved(issue_id=duplicate, resolution="Pumped out.", actor=BOB)
        )
    )
    assert AutoClose.objects.get(issue_id=duplicate).resolved_at is not None
    deliver(
        lambda: bus.handle(commands.MergeIssue(issue_id=duplicate, into=str(target), actor=BOB))
    )

    assert AutoClose.objects.get(issue_id=duplicate).resolved_at is None
    row = SlaClock.objects.get(issue_id=duplicate)
    assert (row.due_at, row.next_timer_at) == (None, None)
    later = reported_at(duplicate) + timedelta(days=8)
    done = deliver(lambda: timers.tick(bus, now=later))
    # Only the target's (still open) clocks act; the duplicate is not closed a second time.
    assert {event.issue_id for event in recorded(events.SlaWarned)} == {target}
    assert recorded(events.IssueClosed) == []
    assert done.refused == 0


@pytest.mark.django_db
def test_an_open_duplicate_merged_away_leaves_the_overdue_view(helpdesk, deliver):
    bus = message_bus()
    duplicate = deliver(lambda: report_urgent(bus))
    target = deliver(lambda: report_urgent(bus, reporter_email="gina@example.org"))
    late = reported_at(target) + timedelta(hours=5)
    while deliver(lambda: timers.tick(bus, now=late)).acted:
        pass  # a deadline per issue a pass: every one passed by then
    assert display.view_counts() == {"overdue": 2, "breaching_soon": 0}
    assert set(display.overdue().values_list("issue_id", flat=True)) == {duplicate, target}

    deliver(
        lambda: bus.handle(commands.MergeIssue(issue_id=duplicate, into=str(target), actor=BOB))
    )

    assert display.view_counts() == {"overdue": 1, "breaching_soon": 0}
    assert list(display.overdue().values_list("issue_id", flat=True)) == [target]
    # Stopped by the merge; the breach flagged before it stands.
    assert state(duplicate, Goal.RESOLUTION, late) == SlaState.BREACHED
