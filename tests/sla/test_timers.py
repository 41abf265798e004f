"""The SLA and auto-close process managers against the real database, with a controllable
clock: `timers.tick(bus, now=...)` is the timer pass as relay_events and Celery beat run it."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.sla import auto_close, clocks, timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import AutoClose, SlaClock, SlaTimerHold, SlaViewCount
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from issues_domain.sla import Goal
from issues_domain.sla_clock import SlaState
from issues_domain.values import ActorRole, IssueStatus
from tests.events.support import ALICE, BOB, bus_without_delivery, make_staff


@pytest.fixture
def helpdesk(db):
    make_staff("alice", "bob", "carol")
    seed_policies()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run a step and deliver what it committed (as the after-commit delivery does)."""

    def run(step):
        with django_capture_on_commit_callbacks(execute=True):
            return step()

    return run


def report_urgent(bus, **fields):
    # "Urgent": 30 minutes to a first response, 4 hours to resolve, round the clock.
    given = {
        "reporter_name": "Fred Bloggs",
        "reporter_email": "fred@example.org",
        "description": "The server room is flooding.",
        "priority": "urgent",
    }
    return bus.handle(commands.ReportIssue(**(given | fields)))


def recorded(event_type) -> list:
    return [to_event(row) for row in RecordedEvent.objects.filter(event_type=event_type.__name__)]


def reported_at(issue_id):
    return recorded(events.IssueReported)[0].occurred_at


def state(issue_id, goal, now):
    row = SlaClock.objects.get(issue_id=issue_id)
    return clocks.readings_of(row.operations, now)[goal].state


@pytest.mark.django_db
def test_an_assigned_issue_goes_from_on_track_to_breaching_soon_to_breached_and_bob_hears_once(
    helpdesk, deliver
):
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    deliver(
        lambda: bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    )
    start = reported_at(issue_id)
    mail.outbox.clear()

    assert state(issue_id, Goal.FIRST_RESPONSE, start + timedelta(minutes=20)) == SlaState.ON_TRACK
    assert deliver(lambda: timers.tick(bus, now=start + timedelta(minutes=20))).acted == 0

    warned = start + timedelta(minutes=25)  # 80 % of 30 minutes is 24
    assert state(issue_id, Goal.FIRST_RESPONSE, warned) == SlaState.BREACHING_SOON
    assert deliver(lambda: timers.tick(bus, now=warned)).fired == 1
    assert deliver(lambda: timers.tick(bus, now=warned)).acted == 0  # once per deadline

    breached = start + timedelta(minutes=31)
    assert deliver(lambda: timers.tick(bus, now=breached)).fired == 1
    assert deliver(lambda: timers.tick(bus, now=breached)).acted == 0
    assert state(issue_id, Goal.FIRST_RESPONSE, breached) == SlaState.BREACHED

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bob@example.org"], f"[{reference(issue_id)}] First response due soon"),
        (["bob@example.org"], f"[{reference(issue_id)}] First response target missed"),
    ]
    warning, breach = recorded(events.SlaWarned)[0], recorded(events.SlaBreached)[0]
    assert (warning.actor.role, warning.goal, breach.goal) == (
        ActorRole.SYSTEM,
        Goal.FIRST_RESPONSE,
        Goal.FIRST_RESPONSE,
    )
    assert breach.due_at == start + timedelta(minutes=30)


def reference(issue_id) -> str:
    return recorded(events.IssueReported)[0].reference


@pytest.mark.django_db
def test_a_public_reply_meets_the_first_response_target_and_no_timer_fires_for_it(
    helpdesk, deliver
):
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    deliver(
        lambda: bus.handle(commands.CommentOnIssue(issue_id=issue_id, author=BOB, body="On it."))
    )
    start = reported_at(issue_id)
    later = start + timedelta(minutes=40)

    assert state(issue_id, Goal.FIRST_RESPONSE, later) == SlaState.MET
    assert deliver(lambda: timers.tick(bus, now=later)).acted == 0
    row = SlaClock.objects.get(issue_id=issue_id)
    assert (row.next_timer_goal, row.next_timer_kind) == (Goal.RESOLUTION, "warning")


@pytest.mark.django_db
def test_workers_that_lost_their_bookkeeping_still_flag_a_deadline_once(helpdesk, deliver):
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    late = reported_at(issue_id) + timedelta(minutes=25)
    undelivered = bus_without_delivery()  # the flag's event never reaches the clocks

    first = timers.tick(undelivered, now=late)
    SlaTimerHold.objects.all().delete()  # a restart that forgot what it had done
    second = timers.tick(undelivered, now=late)
    SlaTimerHold.objects.all().delete()
    third = timers.tick(undelivered, now=late)

    assert (first.fired, second.refused, third.refused) == (1, 1, 1)
    assert len(recorded(events.SlaWarned)) == 1


@pytest.mark.django_db
def test_a_timer_whose_command_keeps_failing_is_retried_with_back_off_then_parked(
    helpdesk, deliver, settings
):
    settings.HELPDESK_SLA_TIMER_ATTEMPTS = 2
    settings.HELPDESK_RETRY_BASE_SECONDS = 10
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    late = reported_at(issue_id) + timedelta(minutes=25)

    class Broken:
        event_handlers = bus.event_handlers

        def handle(self, command):
            raise ConnectionError("database went away")

    assert timers.tick(Broken(), now=late).failed == 1
    assert timers.tick(Broken(), now=late + timedelta(seconds=5)).acted == 0  # backing off
    assert timers.tick(Broken(), now=late + timedelta(seconds=11)).parked == 1
    hold = SlaTimerHold.objects.get(deadline__contains="warning")
    assert (hold.parked, hold.attempts, "database went away" in hold.last_error) == (True, 2, True)
    assert timers.tick(bus, now=late + timedelta(days=1)).acted == 0  # parked until retried

    assert timers.retry_parked() == 1
    assert deliver(lambda: timers.tick(bus, now=late + timedelta(days=1))).fired == 1
    assert len(recorded(events.SlaWarned)) == 1


@pytest.mark.django_db
def test_an_unassigned_issue_mails_the_staff_of_its_category(helpdesk, deliver):
    carol = get_user_model().objects.get(username="carol")
    carol.groups.add(Group.objects.create(name="sla-network"))
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus, category="network"))
    mail.outbox.clear()

    deliver(lambda: timers.tick(bus, now=reported_at(issue_id) + timedelta(minutes=25)))

    assert [message.to for message in mail.outbox] == [["carol@example.org"]]


@pytest.mark.django_db
def test_a_resolved_issue_is_closed_by_the_system_after_the_configured_days(
    helpdesk, deliver, settings
):
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    deliver(
        lambda: bus.handle(
            commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Pumped out.", actor=BOB)
        )
    )
    resolved = recorded(events.IssueResolved)[0].occurred_at

    assert deliver(lambda: timers.tick(bus, now=resolved + timedelta(days=6))).acted == 0
    settings.HELPDESK_AUTO_CLOSE_DAYS = 0
    assert deliver(lambda: timers.tick(bus, now=resolved + timedelta(days=30))).acted == 0
    settings.HELPDESK_AUTO_CLOSE_DAYS = 7
    assert deliver(lambda: timers.tick(bus, now=resolved + timedelta(days=7, seconds=1))).fired == 1

    closed = recorded(events.IssueClosed)
    assert [(event.status, event.actor.role) for event in closed] == [
        (IssueStatus.CLOSED, ActorRole.SYSTEM)
    ]
    assert AutoClose.objects.get(issue_id=issue_id).resolved_at is None


def _tables():
    return (
        sorted(SlaClock.objects.values_list(*[f.name for f in SlaClock._meta.fields])),
        sorted(AutoClose.objects.values_list("issue_id", "status_version", "resolved_at")),
        sorted(SlaViewCount.objects.filter(count__gt=0).values_list("view", "count")),
    )


def flag_some(bus, deliver) -> None:
    """The timers' flags of the demo's clocks, some warnings and some breaches: the SLA views'
    rows and counts come from them."""
    now = timezone.now()
    deliver(lambda: timers.tick(bus, now=now + timedelta(hours=70)))  # warnings
    for _ in range(3):  # breaches of the clocks due within the hour (and later deadlines')
        deliver(lambda: timers.tick(bus, now=now + timedelta(hours=1)))
    assert {view for view, _n in _tables()[2]} == {"breaching_soon", "overdue"}


@pytest.mark.django_db
def test_both_process_managers_rebuilt_from_shuffled_triplicated_events_are_the_same(
    helpdesk, deliver
):
    make_staff("demo")
    deliver(lambda: call_command("seed_demo"))
    flag_some(message_bus(), deliver)
    live = _tables()
    every = [to_event(row) for row in RecordedEvent.objects.order_by("position")]
    assert any(isinstance(event, events.SlaTargeted) for event in every)
    assert any(isinstance(event, events.SlaBreached) for event in every)
    for model in (SlaClock, AutoClose, SlaViewCount):
        model.objects.all().delete()
    clocks.apply_all(every)
    auto_close.apply_all(every)
    in_order = _tables()
    assert in_order == live
    assert len(in_order[0]) == RecordedEvent.objects.filter(event_type="IssueReported").count()
    assert in_order[1]
    assert in_order[2] == sorted(
        (view, SlaClock.objects.filter(view=view).count()) for view in ("breaching_soon", "overdue")
    )

    shuffled = every * 3
    random.Random(14).shuffle(shuffled)
    for model in (SlaClock, AutoClose, SlaViewCount):
        model.objects.all().delete()
    for event in shuffled:
        clocks.apply_all([event])
        auto_close.apply_all([event])
    assert _tables() == in_order

    for model in (SlaClock, AutoClose, SlaViewCount):
        model.objects.all().delete()
    for start in range(0, len(shuffled), 7):
        clocks.apply_all(shuffled[start : start + 7])
        auto_close.apply_all(shuffled[start : start + 7])
    assert _tables() == in_order


@pytest.mark.django_db(transaction=True)
def test_rebuild_sla_clocks_gives_the_same_table(transactional_db):
    make_staff("alice", "bob", "demo")
    seed_policies()
    call_command("seed_demo")
    flag_some(message_bus(), lambda step: step())
    live = _tables()
    assert live[0] and live[1]
    call_command("rebuild", "sla.clocks")
    call_command("rebuild", "sla.auto_close")
    assert _tables() == live


@pytest.mark.django_db
def test_relay_events_runs_the_timers_in_each_pass(helpdesk, deliver, capsys):
    import time_machine

    bus = message_bus()
    issue_id = deliver(lambda: report_urgent(bus))
    with time_machine.travel(reported_at(issue_id) + timedelta(minutes=25), tick=False):
        deliver(lambda: call_command("relay_events", "--once"))

    assert [event.issue_id for event in recorded(events.SlaWarned)] == [issue_id]
    assert "Timers: TimerPass(fired=1" in capsys.readouterr().out
