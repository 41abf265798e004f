"""The relay against the real database: after commit, after a crash, twice, shuffled, failing."""

import random
import threading
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from issues_adapters.eventing import deliveries, relay
from issues_adapters.eventing.models import Checkpoint, Delivery, SentMail
from issues_adapters.eventing.notifications import DjangoEmailNotifications, UnknownIssue
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from issues_domain.audience import Recipient
from issues_domain.errors import IssueAlreadyResolved
from issues_service.messagebus import NotYet
from issues_service.notifications import Notification
from tests.events.support import (
    BOB,
    MAILS_PER_DAY,
    a_day_at_the_helpdesk,
    all_positions,
    bus_without_delivery,
    expected_deliveries,
    make_staff,
    sent,
)
from tests.support.services import require

NO_GRACE = timedelta(0)


def delivery_rows() -> list[tuple[str, int, str]]:
    return sorted(Delivery.objects.values_list("handler", "position", "status"))


@pytest.fixture
def staff(db):
    make_staff("alice", "bob")


@pytest.mark.django_db
def test_after_commit_each_event_reaches_each_of_its_handlers_once(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        a_day_at_the_helpdesk(message_bus())

    assert len(mail.outbox) == MAILS_PER_DAY
    assert [message.to[0] for message in mail.outbox] == [
        "Fred Bloggs <fred@example.org>",
        "bob@example.org",
        "Fred Bloggs <fred@example.org>",
        "Fred Bloggs <fred@example.org>",
    ]
    assert {status for _, _, status in delivery_rows()} == {"done"}
    assert len(delivery_rows()) == expected_deliveries() > MAILS_PER_DAY


@pytest.mark.django_db
def test_the_confirmation_has_the_reference_the_tracking_link_and_both_bodies(
    staff, django_capture_on_commit_callbacks, settings
):
    settings.HELPDESK_BASE_URL = "https://help.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        issue_id = message_bus().handle(
            commands.ReportIssue(
                reporter_name="Fred", reporter_email="fred@example.org", description="Smoke."
            )
        )
    from issues_adapters.persistence.models import IssueRecord

    issue = IssueRecord.objects.get(id=issue_id)
    (message,) = mail.outbox
    event_id = RecordedEvent.objects.get(issue_id=issue_id).event_id
    assert issue.reference in message.subject
    assert f"https://help.example.org/track/{issue.tracking_token}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://help.example.org/track/{issue.tracking_token}/"' in html
    assert message.extra_headers["Message-ID"].startswith(f"<{event_id}.")
    assert SentMail.objects.get().message_id == message.extra_headers["Message-ID"]


@pytest.mark.django_db(transaction=True)
def test_a_command_that_rolls_back_sends_nothing():
    make_staff("alice", "bob")

    class Oops(Exception):
        pass

    with pytest.raises(Oops), transaction.atomic():
        message_bus().handle(
            commands.ReportIssue(
                reporter_name="Fred", reporter_email="fred@example.org", description="Smoke."
            )
        )
        raise Oops

    assert mail.outbox == []
    assert not RecordedEvent.objects.exists()
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refused_command_sends_nothing():
    make_staff("alice", "bob")
    issue_id = a_day_at_the_helpdesk(message_bus())
    mail.outbox.clear()

    with pytest.raises(IssueAlreadyResolved):
        message_bus().handle(
            commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Again.", actor=BOB)
        )

    assert mail.outbox == []


@pytest.mark.django_db
def test_events_committed_but_never_delivered_are_delivered_once_by_relay_events(staff):
    a_day_at_the_helpdesk(bus_without_delivery())
    a_day_at_the_helpdesk(bus_without_delivery(), reporter="jane@example.org")
    assert mail.outbox == []

    call_command("relay_events", "--once", "--grace", "0")
    call_command("relay_events", "--once", "--grace", "0")

    assert len(mail.outbox) == 2 * MAILS_PER_DAY
    assert len(set(sent())) == 2 * MAILS_PER_DAY
    assert len(delivery_rows()) == expected_deliveries()
    assert {status for _, _, status in delivery_rows()} == {"done"}


@pytest.mark.django_db
def test_the_sweep_leaves_events_younger_than_the_grace_period_to_the_after_commit_relay(staff):
    a_day_at_the_helpdesk(bus_without_delivery())

    relay.sweep(message_bus(), in_process=True, grace=timedelta(minutes=5))

    assert mail.outbox == []


class Counter:
    name = "test.counter"
    sends_mail = False

    def __init__(self):
        self.seen: list = []

    def __call__(self, event):
        self.seen.append(event.event_id)


@pytest.mark.django_db
def test_delivered_shuffled_and_three_times_over_is_the_same_as_once(staff):
    counter = Counter()
    bus = bus_without_delivery({event_type: [counter] for event_type in events.ALL_EVENTS})
    for reporter in ("fred@example.org", "jane@example.org", "joe@example.org"):
        a_day_at_the_helpdesk(bus, reporter=reporter)
    positions = all_positions()
    shuffled = positions * 3
    random.Random(7).shuffle(shuffled)

    for position in shuffled:
        deliveries.deliver_positions([position], bus=bus)
    after_shuffled = (sent(), delivery_rows())
    deliveries.deliver_positions(positions, bus=bus)

    assert len(after_shuffled[0]) == 3 * MAILS_PER_DAY
    assert len({message_id for message_id, _, _ in after_shuffled[0]}) == 3 * MAILS_PER_DAY
    assert len(after_shuffled[1]) == expected_deliveries(bus)
    assert (sent(), delivery_rows()) == after_shuffled
    assert sorted(counter.seen) == sorted(RecordedEvent.objects.values_list("event_id", flat=True))


class Flaky:
    """A handler that fails until told otherwise, and counts what it took in."""

    name = "test.flaky"
    sends_mail = False

    def __init__(self):
        self.failing = True
        self.taken: list = []

    def __call__(self, event):
        if self.failing:
            raise ConnectionError("the flaky service is down")
        self.taken.append(event.event_id)


@pytest.mark.django_db
@override_settings(HELPDESK_DELIVERY_MAX_ATTEMPTS=3, HELPDESK_RETRY_BASE_SECONDS=0)
def test_a_failing_handler_is_retried_then_parked_and_never_blocks_the_others(staff):
    flaky = Flaky()
    bus = bus_without_delivery({events.IssueReported: [flaky]})
    a_day_at_the_helpdesk(bus)

    for _ in range(5):
        relay.sweep(bus, in_process=True, grace=NO_GRACE)

    parked = Delivery.objects.get(handler="test.flaky")
    assert (parked.status, parked.attempts) == ("parked", 3)
    assert "ConnectionError: the flaky service is down" in parked.last_error
    assert parked.last_tried_at is not None
    assert len(mail.outbox) == MAILS_PER_DAY
    assert Delivery.objects.exclude(handler="test.flaky").filter(status="done").count() == (
        expected_deliveries(bus) - 1
    )

    flaky.failing = False
    relay.sweep(bus, in_process=True, grace=NO_GRACE)
    assert flaky.taken == []  # parked stays parked until somebody retries it

    report = relay.retry_parked(bus)
    relay.retry_parked(bus)
    relay.sweep(bus, in_process=True, grace=NO_GRACE)

    assert report.delivered == 1
    assert len(flaky.taken) == 1
    assert Delivery.objects.get(handler="test.flaky").status == "done"
    assert len(mail.outbox) == MAILS_PER_DAY


@pytest.mark.django_db
@override_settings(HELPDESK_INLINE_ATTEMPTS=3, HELPDESK_RETRY_BASE_SECONDS=60)
def test_in_the_request_a_failure_gets_a_few_quick_tries_then_waits_for_the_relay(staff):
    flaky = Flaky()
    bus = bus_without_delivery({events.IssueReported: [flaky]})
    a_day_at_the_helpdesk(bus)

    deliveries.deliver_positions(all_positions(), bus=bus, quick_attempts=3)
    pending = Delivery.objects.get(handler="test.flaky")
    relay.sweep(bus, in_process=True, grace=NO_GRACE)  # not due for a minute yet

    assert (pending.status, pending.attempts) == ("pending", 3)
    assert Delivery.objects.get(handler="test.flaky").attempts == 3
    assert pending.next_attempt_at > pending.last_tried_at + timedelta(seconds=40)


@pytest.mark.django_db(transaction=True)
def test_concurrent_relays_on_postgresql_deliver_each_mail_once():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("skip-locked claims are a PostgreSQL matter; run with DATABASE_URL set")
    make_staff("alice", "bob")
    bus = bus_without_delivery()
    for number in range(10):
        a_day_at_the_helpdesk(bus, reporter=f"reporter{number}@example.org")
    positions = all_positions()
    start = threading.Barrier(4)
    errors = []

    def relay_everything(seed):
        try:
            order = positions[:]
            random.Random(seed).shuffle(order)
            start.wait()
            for position in order:
                deliveries.deliver_positions([position], bus=bus)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=relay_everything, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    relay.sweep(bus, in_process=True, grace=NO_GRACE)

    assert errors == []
    assert len(mail.outbox) == 10 * MAILS_PER_DAY
    assert len(set(sent())) == 10 * MAILS_PER_DAY
    assert Delivery.objects.filter(status="done").count() == expected_deliveries(bus)


@pytest.mark.django_db
def test_in_scale_out_mode_each_commit_enqueues_one_task_with_its_positions(
    staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from issues_adapters.eventing.celery_app import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"
    enqueued = []
    monkeypatch.setattr(app, "send_task", lambda name, args: enqueued.append((name, *args)))

    with django_capture_on_commit_callbacks(execute=True):
        a_day_at_the_helpdesk(message_bus())

    assert enqueued == [("eventing.deliver_events", [position]) for position in all_positions()]
    assert mail.outbox == []
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_a_broker_that_is_down_loses_nothing_the_sweep_delivers_later(
    staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from issues_adapters.eventing.celery_app import app

    def broker_down(name, args):
        raise ConnectionError("broker down")

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"
    monkeypatch.setattr(app, "send_task", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        a_day_at_the_helpdesk(message_bus())  # the commands still succeed

    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert len(mail.outbox) == MAILS_PER_DAY


@pytest.mark.django_db
def test_mail_is_keyed_by_event_so_even_lost_tracking_rows_never_mail_twice(staff):
    bus = bus_without_delivery()
    a_day_at_the_helpdesk(bus)
    deliveries.deliver_positions(all_positions(), bus=bus)

    Delivery.objects.all().delete()
    deliveries.deliver_positions(all_positions(), bus=bus)

    assert len(mail.outbox) == MAILS_PER_DAY
    assert SentMail.objects.count() == MAILS_PER_DAY


@pytest.mark.django_db
def test_a_mail_about_an_issue_that_is_not_there_fails_and_sends_nothing():
    notification = Notification(
        handler="mail.reporter.report_confirmation",
        event_id=uuid.uuid4(),
        issue_id=uuid.uuid4(),
        template="report_confirmation",
        to=Recipient.reporter("fred@example.org", "Fred Bloggs"),
    )

    with pytest.raises(UnknownIssue):
        DjangoEmailNotifications().send(notification)

    assert mail.outbox == []
    assert not SentMail.objects.exists()


@pytest.mark.django_db
@override_settings(HELPDESK_DELIVERY_MAX_ATTEMPTS=3, HELPDESK_RETRY_BASE_SECONDS=0)
def test_a_celery_task_retries_its_failing_deliveries_until_they_are_parked(staff, monkeypatch):
    from issues_adapters.eventing import tasks

    flaky = Flaky()
    bus = bus_without_delivery({events.IssueReported: [flaky]})
    monkeypatch.setattr(tasks, "message_bus", lambda: bus)
    a_day_at_the_helpdesk(bus)
    retried = []
    monkeypatch.setattr(
        tasks.deliver_pairs, "apply_async", lambda args, countdown: retried.append(args)
    )

    tasks.deliver_events.apply(args=[all_positions()])  # as a worker would run it
    (pairs,) = retried[0]
    result = tasks.deliver_pairs.apply(args=[pairs])  # eager: Celery's retries run at once

    assert pairs == [["test.flaky", all_positions()[0]]]
    assert result.successful(), result.traceback
    parked = Delivery.objects.get(handler="test.flaky")
    assert (parked.status, parked.attempts) == ("parked", 3)
    assert len(mail.outbox) == MAILS_PER_DAY


@pytest.mark.django_db
@override_settings(HELPDESK_DELIVERY_TRANSACTION_SECONDS=60, HELPDESK_RETRY_BASE_SECONDS=60)
def test_a_batch_of_events_is_delivered_in_one_transaction_and_a_failure_stays_with_its_event(
    staff, monkeypatch
):
    counter, flaky = Counter(), Flaky()
    handlers = {event_type: [counter] for event_type in events.ALL_EVENTS}
    handlers[events.IssueReported] = [counter, flaky]
    bus = bus_without_delivery(handlers)
    for reporter in ("fred@example.org", "jane@example.org"):
        a_day_at_the_helpdesk(bus, reporter=reporter)
    transactions = []
    deliver_events = deliveries.deliver_events
    monkeypatch.setattr(
        deliveries,
        "deliver_events",
        lambda work, **kw: transactions.append(len(work)) or deliver_events(work, **kw),
    )

    deliveries.deliver_positions(all_positions(), bus=bus)

    assert transactions == [len(all_positions())]
    assert sorted(counter.seen) == sorted(RecordedEvent.objects.values_list("event_id", flat=True))
    assert sorted(
        Delivery.objects.filter(handler=flaky.name).values_list("status", "attempts")
    ) == [
        ("pending", 1),
        ("pending", 1),
    ]
    assert not Delivery.objects.exclude(handler=flaky.name).exclude(status="done").exists()


@pytest.mark.django_db
@override_settings(HELPDESK_DELIVERY_TRANSACTION_SECONDS=0)
def test_a_spent_time_budget_ends_the_transaction_after_one_event(staff, monkeypatch):
    counter = Counter()
    bus = bus_without_delivery({event_type: [counter] for event_type in events.ALL_EVENTS})
    a_day_at_the_helpdesk(bus)
    transactions = []
    deliver_events = deliveries.deliver_events

    def spy(work, **kw):
        results = deliver_events(work, **kw)
        transactions.append(len(results))
        return results

    monkeypatch.setattr(deliveries, "deliver_events", spy)

    deliveries.deliver_positions(all_positions(), bus=bus)

    assert transactions == [1] * len(all_positions())
    assert len(counter.seen) == len(all_positions())


def a_mail_delivery_left_sending(tried_ago: timedelta) -> Delivery:
    """A report whose confirmation a worker claimed `tried_ago`, and then nothing."""
    bus_without_delivery().handle(
        commands.ReportIssue(
            reporter_name="Fred", reporter_email="fred@example.org", description="On fire."
        )
    )
    (row,) = RecordedEvent.objects.all()
    deliveries.deliver_positions(
        [row.position], handler_names=["web.queue_counts"], bus=message_bus()
    )
    return Delivery.objects.create(
        handler="mail.reporter.report_confirmation",
        position=row.position,
        event_id=row.event_id,
        event_type=row.event_type,
        status="sending",
        attempts=1,
        last_tried_at=timezone.now() - tried_ago,
    )


@pytest.mark.django_db
def test_a_mail_another_worker_is_sending_is_left_to_it(staff):
    claimed = a_mail_delivery_left_sending(tried_ago=timedelta(seconds=1))

    report = deliveries.deliver_positions([claimed.position], bus=message_bus())
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert report.outcomes[deliveries.Outcome.BUSY] == 1
    assert mail.outbox == []
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == ("sending", 1)


@pytest.mark.django_db
@override_settings(HELPDESK_RELAY_LEASE_SECONDS=60)
def test_a_mail_whose_worker_died_while_sending_is_sent_by_the_sweep_after_the_lease(staff):
    stuck = a_mail_delivery_left_sending(tried_ago=timedelta(seconds=61))

    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert len(mail.outbox) == 1
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("done", 2)
    assert SentMail.objects.get().handler == "mail.reporter.report_confirmation"


class Patient:
    """A handler with nothing to do before `ready_at`, and says so."""

    def __init__(self, name: str, *, sends_mail: bool):
        self.name, self.sends_mail = name, sends_mail
        self.ready_at = timezone.now() + timedelta(hours=1)
        self.taken: list = []

    def __call__(self, event):
        if timezone.now() < self.ready_at:
            raise NotYet(self.ready_at)
        self.taken.append(event.event_id)


@pytest.mark.django_db
@pytest.mark.parametrize("sends_mail", [False, True], ids=["in the transaction", "sending mail"])
def test_a_handler_that_says_not_yet_is_tried_again_at_its_time_and_no_attempt_is_counted(
    staff, sends_mail
):
    patient = Patient("test.patient", sends_mail=sends_mail)
    bus = bus_without_delivery({events.IssueReported: [patient]})
    a_day_at_the_helpdesk(bus)

    tally = deliveries.deliver_positions(all_positions(), bus=bus, quick_attempts=3)
    relay.sweep(bus, in_process=True, grace=NO_GRACE)
    waiting = Delivery.objects.get(handler=patient.name)
    patient.ready_at = timezone.now()
    Delivery.objects.filter(id=waiting.id).update(next_attempt_at=patient.ready_at)
    relay.sweep(bus, in_process=True, grace=NO_GRACE)

    assert tally.outcomes[deliveries.Outcome.NOT_YET] == 1
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "")
    assert waiting.next_attempt_at > timezone.now() + timedelta(minutes=59)
    assert Checkpoint.objects.get(handler=patient.name).last_error == ""
    assert patient.taken == [RecordedEvent.objects.order_by("position")[0].event_id]
    done = Delivery.objects.get(handler=patient.name)
    assert (done.status, done.attempts) == ("done", 1)


@pytest.mark.django_db
@override_settings(HELPDESK_RELAY_LEASE_SECONDS=60)
def test_a_mail_sent_but_not_recorded_by_a_dead_worker_goes_again_after_the_lease_same_message_id(
    staff, monkeypatch
):
    from issues_adapters.eventing import notifications

    class Killed(BaseException):
        """The process dies between the mail server's reply and the INSERT."""

    def die(**values):
        raise Killed

    bus = bus_without_delivery()
    bus.handle(
        commands.ReportIssue(
            reporter_name="Fred", reporter_email="fred@example.org", description="On fire."
        )
    )
    monkeypatch.setattr(notifications, "_record_sent", die)
    with pytest.raises(Killed):
        deliveries.deliver_positions(all_positions(), bus=bus)
    monkeypatch.undo()
    (first,) = mail.outbox
    claimed = Delivery.objects.get(handler="mail.reporter.report_confirmation")

    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)
    within_the_lease = len(mail.outbox)
    Delivery.objects.filter(id=claimed.id).update(
        last_tried_at=timezone.now() - timedelta(seconds=61)
    )
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert (claimed.status, within_the_lease) == ("sending", 1)
    _, second = mail.outbox
    assert second.extra_headers["Message-ID"] == first.extra_headers["Message-ID"]
    assert SentMail.objects.get().message_id == first.extra_headers["Message-ID"]


@pytest.mark.django_db
def test_a_celery_task_hands_a_delivery_that_said_not_yet_back_at_its_time(staff, monkeypatch):
    from issues_adapters.eventing import tasks

    patient = Patient("test.patient", sends_mail=False)
    bus = bus_without_delivery({events.IssueReported: [patient]})
    monkeypatch.setattr(tasks, "message_bus", lambda: bus)
    a_day_at_the_helpdesk(bus)
    scheduled = []
    monkeypatch.setattr(
        tasks.deliver_pairs, "apply_async", lambda args, eta: scheduled.append((args, eta))
    )

    tasks.deliver_events.apply(args=[all_positions()])

    assert scheduled == [([[["test.patient", all_positions()[0]]]], patient.ready_at)]
