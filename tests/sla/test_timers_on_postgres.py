"""Several timer workers at once on PostgreSQL: each deadline is flagged, and mailed, once."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.sla import timers
from issues_adapters.sla.defaults import seed_policies
from issues_adapters.sla.models import SlaTimerHold
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.events.support import ALICE, make_staff
from tests.sla.test_timers import recorded, report_urgent
from tests.support.concurrency import run_at_once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_flag_each_of_twenty_deadlines_once(on_postgres):
    make_staff("alice", "bob")
    seed_policies()
    bus = message_bus()
    issue_ids = [report_urgent(bus) for _ in range(20)]
    for issue_id in issue_ids:
        bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    late = max(event.occurred_at for event in recorded(events.IssueReported))
    late += timedelta(minutes=25)
    mail.outbox.clear()

    passes = run_at_once(*[lambda: timers.tick(bus, now=late)] * 4)

    assert not [outcome for outcome in passes if isinstance(outcome, Exception)], passes
    assert sum(outcome.fired for outcome in passes) == 20
    warned = recorded(events.SlaWarned)
    assert sorted(str(event.issue_id) for event in warned) == sorted(map(str, issue_ids))
    assert len(mail.outbox) == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_share_many_small_batches_and_flag_each_deadline_once(on_postgres):
    """Batches of 7 among 4 workers: each locks a batch's timers skipping those another holds,
    reads ahead its issues, and every deadline is still flagged, and mailed, once."""
    make_staff("alice", "bob")
    seed_policies()
    bus = message_bus()
    issue_ids = [report_urgent(bus) for _ in range(30)]
    for issue_id in issue_ids:
        bus.handle(commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE))
    late = max(event.occurred_at for event in recorded(events.IssueReported))
    late += timedelta(minutes=25)
    mail.outbox.clear()

    with mock.patch.object(timers, "BATCH", 7):
        passes = run_at_once(*[lambda: timers.tick(bus, now=late)] * 4)

    assert not [outcome for outcome in passes if isinstance(outcome, Exception)], passes
    assert sum(outcome.fired for outcome in passes) == 30
    assert sum(outcome.failed for outcome in passes) == 0
    warned = recorded(events.SlaWarned)
    assert sorted(str(event.issue_id) for event in warned) == sorted(map(str, issue_ids))
    assert SlaTimerHold.objects.count() == 30
    assert len(mail.outbox) == 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_issue_another_transaction_holds_is_flagged_once_it_is_let_go(on_postgres):
    """Reading a batch's issues ahead skips a row that is locked; its flag waits for it."""
    make_staff("alice", "bob")
    seed_policies()
    bus = message_bus()
    issue_ids = [report_urgent(bus) for _ in range(3)]
    late = max(event.occurred_at for event in recorded(events.IssueReported))
    late += timedelta(minutes=25)

    def hold_the_second_issue():
        with transaction.atomic():
            IssueRecord.objects.select_for_update().get(id=issue_ids[1])
            time.sleep(0.5)

    def flag_a_moment_later():
        time.sleep(0.1)
        return timers.tick(bus, now=late)

    held, done = run_at_once(hold_the_second_issue, flag_a_moment_later)

    assert (held, done.fired, done.failed) == (None, 3, 0)
    assert len(recorded(events.SlaWarned)) == 3
