"""Embedded mode's delivery thread: the request returns first, the effects follow, once.

These tests switch HELPDESK_DELIVER_AFTER_COMMIT back to "thread" (tests/conftest.py makes it
"inline" for everything else). They commit for real (transaction=True), because the delivery
thread has its own database connection and sees only committed rows, and they wait for the
events' deliveries to be done - never for a fixed time.
"""

import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command

from issues_adapters.eventing.background import DeliveryWorker
from issues_adapters.eventing.models import Delivery, SentMail
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.wiring import dispatcher, message_bus
from issues_domain import commands
from tests.api.contexts import A_REPORT, ISSUES, anonymous
from tests.events.support import bus_without_delivery, expected_deliveries, make_staff, sent

WAIT = 15.0  # seconds: a bound, not a sleep; the tests go on as soon as the condition holds

# The mail backend blocks while this is clear: the test decides when the mail may go out.
mail_gate = threading.Event()
# Set when a mail reaches the backend (and waits there if the gate is closed).
mail_at_the_gate = threading.Event()


class GatedBackend(LocmemBackend):
    def send_messages(self, messages):
        mail_at_the_gate.set()
        if not mail_gate.wait(WAIT):
            raise TimeoutError("the test never opened the mail gate")
        return super().send_messages(messages)


def wait_for(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def delivered(positions) -> bool:
    """Every handler of these events has its delivery done."""
    from issues_adapters.persistence.event_log import to_event

    rows = RecordedEvent.objects.filter(position__in=list(positions))
    wanted = sum(len(message_bus().handlers_for(to_event(row))) for row in rows)
    done = Delivery.objects.filter(position__in=list(positions), status="done").count()
    return wanted > 0 and done == wanted


def positions_of(issue_id) -> list[int]:
    return list(RecordedEvent.objects.filter(issue_id=issue_id).values_list("position", flat=True))


def report(description: str = "Printer on fire.", bus=None) -> str:
    return (bus or message_bus()).handle(
        commands.ReportIssue(
            reporter_name="Fred", reporter_email="fred@example.org", description=description
        )
    )


@pytest.fixture
def delivery_thread(settings):
    """The product's setting, with the delivery thread stopped (its connection closed) after."""
    settings.HELPDESK_DELIVER_AFTER_COMMIT = "thread"
    settings.EMAIL_BACKEND = "tests.events.test_background_delivery.GatedBackend"
    mail_gate.set()
    dispatcher().worker.restart()
    yield dispatcher().worker
    mail_gate.set()
    dispatcher().worker.restart()


@pytest.mark.django_db(transaction=True)
def test_a_report_returns_before_its_mail_is_sent_and_the_mail_follows(delivery_thread):
    mail_gate.clear()

    response = anonymous().post(ISSUES, A_REPORT, format="json")

    assert response.status_code == 201
    positions = positions_of(response.json()["id"])
    assert mail.outbox == []
    assert not SentMail.objects.filter(sent_at__isnull=False).exists()
    assert not delivered(positions)

    mail_gate.set()

    assert wait_for(lambda: delivered(positions))
    (message,) = mail.outbox
    assert response.json()["reference"] in message.subject
    assert SentMail.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_mail_and_projection_arrive_within_a_bounded_wait_each_once(delivery_thread):
    from issues_adapters.web.counts import sidebar

    make_staff("alice", "bob")
    issue_ids = [report(f"Printer {n} on fire.") for n in range(5)]
    positions = [p for issue_id in issue_ids for p in positions_of(issue_id)]

    assert wait_for(lambda: delivered(positions))
    assert delivery_thread.wait_until_idle(WAIT)
    assert len(mail.outbox) == 5 == len(set(sent()))
    assert sidebar("alice")["open"] == 5
    assert Delivery.objects.count() == expected_deliveries()


@pytest.mark.django_db(transaction=True)
def test_stopping_drains_the_queue_before_the_thread_ends(delivery_thread):
    # Recorded first (without delivery), then queued while the mail is held back.
    bus = bus_without_delivery()
    issue_ids = [report(f"Printer {n} on fire.", bus) for n in range(3)]
    positions = [p for issue_id in issue_ids for p in positions_of(issue_id)]
    mail_gate.clear()
    for position in positions:
        assert delivery_thread.submit([position])
    stopped = []
    stopper = threading.Thread(target=lambda: stopped.append(delivery_thread.stop(timeout=WAIT)))
    stopper.start()

    mail_gate.set()
    stopper.join(WAIT + 1)

    assert stopped == [True]
    assert not delivery_thread.running
    assert delivered(positions)
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_after_the_thread_stopped_relay_events_delivers_the_rest_exactly_once(delivery_thread):
    first = report("Delivered by the thread.")
    assert wait_for(lambda: delivered(positions_of(first)))
    assert delivery_thread.stop(timeout=WAIT)

    rest = [report(f"Left behind {n}.") for n in range(3)]
    left = [p for issue_id in rest for p in positions_of(issue_id)]
    assert not Delivery.objects.filter(position__in=left).exists()
    assert len(mail.outbox) == 1

    call_command("relay_events", "--once", "--grace", "0")
    call_command("relay_events", "--once", "--grace", "0")

    assert delivered(left)
    assert len(mail.outbox) == 4 == len(set(sent()))
    assert Delivery.objects.count() == expected_deliveries()
    assert SentMail.objects.count() == 4


# -- the worker on its own: full queue, a dead thread (no database) ---------------------------


def test_a_full_queue_refuses_at_once_and_leaves_the_events_to_the_sweep():
    gate = threading.Event()
    taken = []
    worker = DeliveryWorker(lambda positions: (gate.wait(WAIT), taken.append(positions)),
                            queue_size=1)  # fmt: skip
    try:
        assert worker.submit([1])  # the thread takes it and blocks on the gate
        assert wait_for(lambda: worker._queue.empty())
        assert worker.submit([2])  # queued
        began = time.monotonic()
        assert worker.submit([3]) is False  # full: refused, not waited for
        assert time.monotonic() - began < 0.5
        gate.set()
        assert worker.wait_until_idle(WAIT)
        assert taken == [[1], [2]]
    finally:
        gate.set()
        worker.stop(timeout=WAIT)


def test_a_submitter_waits_while_its_process_is_too_far_behind_then_goes_on():
    """Under a load delivery cannot keep up with, requests slow to its pace instead of the
    backlog (and the mail's lag) growing without end."""
    gate = threading.Event()
    worker = DeliveryWorker(lambda positions: gate.wait(WAIT), backlog=3, backlog_wait=WAIT)
    try:
        worker.submit([1])  # the thread takes it and blocks on the gate
        assert wait_for(lambda: worker._queue.empty())
        assert worker.submit([2, 3, 4])  # 4 outstanding now: over the backlog of 3
        waited = []

        def fifth():
            began = time.monotonic()
            worker.submit([5])
            waited.append(time.monotonic() - began)

        submitter = threading.Thread(target=fifth)
        submitter.start()
        time.sleep(0.3)
        assert waited == []  # still waiting for the delivery thread
        gate.set()
        submitter.join(WAIT)
        assert waited and 0.25 < waited[0] < WAIT
        assert worker.wait_until_idle(WAIT)
    finally:
        gate.set()
        worker.stop(timeout=WAIT)


def test_a_submitter_waits_no_longer_than_the_backlog_wait():
    gate = threading.Event()
    worker = DeliveryWorker(lambda positions: gate.wait(WAIT), backlog=1, backlog_wait=0.2)
    try:
        worker.submit([1, 2])
        assert wait_for(lambda: worker._queue.empty())
        began = time.monotonic()
        assert worker.submit([3])  # queued after the wait, never refused for the backlog
        assert 0.15 < time.monotonic() - began < 1.0
    finally:
        gate.set()
        worker.stop(timeout=WAIT)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_thread_that_died_is_replaced_at_the_next_submit():
    taken = []

    def deliver(positions):
        if positions == [1]:
            raise SystemExit  # ends the thread, as no ordinary error does
        taken.append(positions)

    worker = DeliveryWorker(deliver)
    try:
        worker.submit([1])
        assert wait_for(lambda: not worker.running)
        assert worker.submit([2])
        assert worker.wait_until_idle(WAIT)
        assert worker.running
        assert taken == [[2]]
    finally:
        worker.stop(timeout=WAIT)


def test_an_error_in_a_batch_is_logged_and_the_thread_goes_on(caplog):
    taken = []

    def deliver(positions):
        if positions == [1]:
            raise RuntimeError("database went away")
        taken.append(positions)

    worker = DeliveryWorker(deliver)
    try:
        worker.submit([1])
        assert worker.wait_until_idle(WAIT)
        worker.submit([2])
        assert worker.wait_until_idle(WAIT)
        assert taken == [[2]]
        assert "database went away" in caplog.text
    finally:
        worker.stop(timeout=WAIT)


def test_positions_queued_together_are_delivered_as_one_batch_in_order():
    gate = threading.Event()
    batches = []
    worker = DeliveryWorker(lambda positions: (gate.wait(WAIT), batches.append(positions)),
                            batch_size=10)  # fmt: skip
    try:
        worker.submit([1])
        assert wait_for(lambda: worker._queue.empty())
        worker.submit([5, 6])
        worker.submit([3])
        worker.submit([4])
        gate.set()
        assert worker.wait_until_idle(WAIT)
        assert batches == [[1], [3, 4, 5, 6]]
    finally:
        gate.set()
        worker.stop(timeout=WAIT)


def test_a_stopped_worker_refuses_new_positions():
    worker = DeliveryWorker(lambda positions: None)
    worker.submit([1])
    assert worker.stop(timeout=WAIT)
    assert worker.submit([2]) is False


@pytest.mark.django_db(transaction=True)
def test_in_scale_out_mode_the_thread_publishes_many_commits_in_one_task(
    delivery_thread, settings, monkeypatch
):
    from issues_adapters.eventing.celery_app import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/13"  # never reached: send_task is caught
    monkeypatch.setattr(delivery_thread, "linger", 0.5)  # every commit below in one wait
    published = []
    monkeypatch.setattr(app, "send_task", lambda name, args: published.append(args[0]))

    issue_ids = [report(f"Printer {n} on fire.") for n in range(6)]

    assert dispatcher().worker.wait_until_idle(WAIT)
    positions = sorted(p for issue_id in issue_ids for p in positions_of(issue_id))
    assert sorted(p for task in published for p in task) == positions
    assert len(published) < len(positions)  # batches, not a task per commit
    assert mail.outbox == []  # the workers send it, not the web process
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_holds_up_no_other_write(delivery_thread):
    """The mail is sent outside the delivery's transaction: on SQLite that transaction holds
    the one write lock, so a send inside it made every report wait for the mail server."""
    mail_gate.clear()
    mail_at_the_gate.clear()
    first = report("Printer on fire.")
    assert mail_at_the_gate.wait(WAIT)  # the delivery thread is in the middle of sending

    began = time.monotonic()
    second = report("Scanner on fire too.")
    took = time.monotonic() - began
    held = Delivery.objects.get(
        handler="mail.reporter.report_confirmation", position__in=positions_of(first)
    ).status
    mail_gate.set()

    assert took < 2.0
    assert held == "sending"
    positions = positions_of(first) + positions_of(second)
    assert wait_for(lambda: delivered(positions))
    assert len(mail.outbox) == 2 == len(set(sent()))


@pytest.mark.django_db(transaction=True)
def test_a_gunicorn_worker_exiting_drains_its_delivery_thread_first(delivery_thread):
    import logging
    import runpy
    from pathlib import Path
    from types import SimpleNamespace

    config = Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py"
    worker_exit = runpy.run_path(str(config))["worker_exit"]
    bus = bus_without_delivery()
    positions = [p for n in range(3) for p in positions_of(report(f"Printer {n}.", bus))]
    mail_gate.clear()
    assert delivery_thread.submit(positions)
    assert mail_at_the_gate.wait(WAIT)
    threading.Timer(0.2, mail_gate.set).start()

    worker_exit(SimpleNamespace(log=logging.getLogger("gunicorn")), SimpleNamespace(pid=1))

    assert not delivery_thread.running
    assert delivered(positions)
    assert len(mail.outbox) == 3
