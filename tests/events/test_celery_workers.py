"""Scale-out: PostgreSQL, Redis and two Celery worker processes run the event handlers.

500 commands make exactly the expected mails and tracking rows; delivering every event again,
shuffled and three times over, changes nothing; a command that rolls back enqueues nothing.
The workers write mail to files (Django's file backend) in a temporary folder.
"""

import random
import re
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from issues_adapters.eventing.celery_app import app
from issues_adapters.eventing.models import Delivery, SentMail
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands
from tests.events.processes import start_worker, stop
from tests.events.support import (
    MAIL_DELIVERIES_PER_DAY,
    MAILS_PER_DAY,
    a_day_at_the_helpdesk,
    all_positions,
    expected_deliveries,
    make_staff,
)
from tests.support.services import require

BROKER = "redis://127.0.0.1:6379/13"
ISSUES = 100  # five commands each: 500 commands


def mail_files_message_ids(folder: Path) -> list[str]:
    ids = []
    for path in folder.glob("*.log"):
        ids += re.findall(r"^Message-ID: (<[^>]+>)$", path.read_text(), flags=re.MULTILINE)
    return ids


def wait_until(condition, *, timeout: float, what: str, workers=()):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(stop(worker)[-3000:] for worker in workers)
            pytest.fail(f"timed out waiting for {what}\n{logs}")
        for worker in workers:
            if worker.poll() is not None:
                pytest.fail(f"a worker died: {stop(worker)[-3000:]}")
        time.sleep(0.2)


def switch_broker(conf: dict) -> None:
    """Publish to another broker from this process: Celery keeps its connection and producer
    pools for the first broker it used, whatever broker_url says later."""
    app.conf.update(conf)
    app._pool = None
    app.amqp._producer_pool = None


def two_workers(broker: str, queue: str, mail_folder: Path) -> tuple[list, dict]:
    """Two worker processes on `queue` of `broker`, mailing to files; this process publishes
    there too. Returns the workers and the app's settings to put back."""
    previous = {
        "broker_url": app.conf.broker_url,
        "task_default_queue": app.conf.task_default_queue,
    }
    switch_broker({"broker_url": broker, "task_default_queue": queue})
    workers = [
        start_worker(
            f"w{number}-{queue}",
            queue,
            CELERY_BROKER_URL=broker,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail_folder),
        )
        for number in range(2)
    ]
    return workers, previous


def queue_is_drained(redis, queue: str) -> bool:
    return redis.llen(queue) == 0 and redis.hlen("unacked") == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_500_commands_exactly_once(tmp_path):
    require("postgres")
    require("redis")
    if connection.vendor != "postgresql":
        pytest.skip("workers share the test database only on PostgreSQL; set DATABASE_URL")
    import redis as redis_client

    queue = f"helpdesk-test-{uuid.uuid4().hex[:8]}"
    redis = redis_client.Redis.from_url(BROKER)
    mail_folder = tmp_path / "mail"
    mail_folder.mkdir()
    make_staff("alice", "bob")
    workers, previous = two_workers(BROKER, queue, mail_folder)
    try:
        with override_settings(CELERY_BROKER_URL=BROKER):
            bus = message_bus()
            started = time.monotonic()
            for number in range(ISSUES):
                a_day_at_the_helpdesk(bus, reporter=f"reporter{number}@example.org")
            commands_took = time.monotonic() - started
            with pytest.raises(RuntimeError), transaction.atomic():
                bus.handle(
                    commands.ReportIssue(
                        reporter_name="Ghost", reporter_email="ghost@example.org", description="x"
                    )
                )
                raise RuntimeError("roll it back")

            expected = expected_deliveries()
            done = Delivery.objects.filter(status="done")
            wait_until(
                lambda: done.count() == expected and queue_is_drained(redis, queue),
                timeout=120,
                what=f"{expected} deliveries",
                workers=workers,
            )
            first_mails = sorted(mail_files_message_ids(mail_folder))
            first_deliveries = sorted(done.values_list("handler", "position"))

            from issues_adapters.eventing.tasks import deliver_events

            again = all_positions() * 3
            random.Random(3).shuffle(again)
            for start in range(0, len(again), 50):
                deliver_events.delay(again[start : start + 50])
            time.sleep(0.5)
            wait_until(
                lambda: queue_is_drained(redis, queue),
                timeout=60,
                what="the replays",
                workers=workers,
            )
    finally:
        logs = [stop(worker) for worker in workers]
        redis.delete(queue)
        switch_broker(previous)

    assert len(first_mails) == ISSUES * MAILS_PER_DAY, logs
    assert len(set(first_mails)) == ISSUES * MAILS_PER_DAY
    assert set(first_mails) == set(SentMail.objects.values_list("message_id", flat=True))
    assert len(first_deliveries) == expected
    assert done.filter(handler__startswith="mail.").count() == ISSUES * MAIL_DELIVERIES_PER_DAY
    assert sorted(mail_files_message_ids(mail_folder)) == first_mails
    assert sorted(done.values_list("handler", "position")) == first_deliveries
    assert not Delivery.objects.exclude(status="done").exists()
    assert not RecordedEvent.objects.filter(data__reporter_email="ghost@example.org").exists()
    print(f"500 commands took {commands_took:.1f} s in the test process")


RABBITMQ = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_over_rabbitmq_the_relay_hands_what_nobody_delivered_to_the_workers(tmp_path):
    """Delivery `none` scaled out: web processes only record, the relay finds the events from
    the checkpoints and publishes them over RabbitMQ, two workers deliver each once."""
    require("postgres")
    require("rabbitmq")
    if connection.vendor != "postgresql":
        pytest.skip("workers share the test database only on PostgreSQL; set DATABASE_URL")
    from datetime import timedelta

    from issues_adapters.eventing import relay
    from tests.events.support import bus_without_delivery

    queue = f"helpdesk-test-{uuid.uuid4().hex[:8]}"
    mail_folder = tmp_path / "mail"
    mail_folder.mkdir()
    make_staff("alice", "bob")
    bus = bus_without_delivery()
    for number in range(20):
        a_day_at_the_helpdesk(bus, reporter=f"reporter{number}@example.org")
    workers, previous = two_workers(RABBITMQ, queue, mail_folder)
    try:
        with override_settings(CELERY_BROKER_URL=RABBITMQ):
            handed = relay.sweep(message_bus(), in_process=False, grace=timedelta(0))
            expected = expected_deliveries()
            done = Delivery.objects.filter(status="done")
            wait_until(
                lambda: done.count() == expected,
                timeout=120,
                what=f"{expected} deliveries over RabbitMQ",
                workers=workers,
            )
            relay.sweep(message_bus(), in_process=False, grace=timedelta(0))  # nothing left
    finally:
        logs = [stop(worker) for worker in workers]
        switch_broker(previous)

    mails = mail_files_message_ids(mail_folder)
    assert handed.found == len(all_positions()), logs
    assert len(mails) == len(set(mails)) == 20 * MAILS_PER_DAY
    assert set(mails) == set(SentMail.objects.values_list("message_id", flat=True))
    assert not Delivery.objects.exclude(status="done").exists()
