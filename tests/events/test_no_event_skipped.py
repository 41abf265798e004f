"""No event is ever skipped: however long delivery was down, however PostgreSQL ordered the
commits, whatever one event holds. And a slow mail batch is never sent twice."""

import asyncio
import threading
import time
import uuid
from datetime import timedelta

import psycopg
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from issues_adapters.eventing import outbox, relay
from issues_adapters.eventing.models import Checkpoint, Delivery
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.wiring import message_bus
from issues_domain import commands, events
from tests.api.contexts import A_REPORT, ISSUES, anonymous
from tests.events.support import (
    MAILS_PER_DAY,
    a_day_at_the_helpdesk,
    bus_without_delivery,
    make_staff,
)
from tests.events.test_smtp_outage import mail_server  # noqa: F401  (a fixture)
from tests.support.services import require

NO_GRACE = timedelta(0)


class Counter:
    name = "test.counter"
    sends_mail = False

    def __init__(self):
        self.seen: list[int] = []

    def __call__(self, event):
        self.seen.append(event.version)


def closed_event_row(**changes) -> RecordedEvent:
    now = timezone.now()
    return RecordedEvent(
        **{
            "event_id": uuid.uuid4(),
            "event_type": "IssueClosed",
            "issue_id": uuid.uuid4(),
            "issue_version": 9,
            "status": "closed",
            "actor_role": "staff",
            "actor_name": "alice",
            "data": {"actor_email": ""},
            "occurred_at": now,
            "recorded_at": now,
        }
        | changes
    )


def delivered_already(rows: list[RecordedEvent], handler_names: list[str]) -> None:
    Delivery.objects.bulk_create(
        Delivery(
            handler=name,
            position=row.position,
            event_id=row.event_id,
            event_type=row.event_type,
            status=Delivery.Status.DONE,
        )
        for row in rows
        for name in handler_names
    )


@pytest.mark.django_db
def test_events_left_undelivered_behind_ten_thousand_delivered_ones_are_delivered():
    """The old relay looked 10,000 positions back: these three were mailed never."""
    make_staff("alice", "bob")
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)  # the relay ran once: checkpoints
    for reporter in ("a@example.org", "b@example.org", "c@example.org"):
        bus_without_delivery().handle(
            commands.ReportIssue(reporter_name="Fred", reporter_email=reporter, description="Hot.")
        )
    later = RecordedEvent.objects.bulk_create(closed_event_row() for _ in range(10_050))
    # Every handler of IssueClosed: the counts, the reports and the SLA process managers.
    delivered_already(later, ["web.queue_counts", "reports.counts", "sla.clocks", "sla.auto_close"])

    passes = 1
    while relay.sweep(message_bus(), in_process=True, grace=NO_GRACE).full:
        passes += 1

    assert passes == 2  # a checkpoint passes up to 10,000 events a pass
    assert sorted(message.to[0] for message in mail.outbox) == [
        "Fred <a@example.org>",
        "Fred <b@example.org>",
        "Fred <c@example.org>",
    ]
    last = RecordedEvent.objects.order_by("-position").first()
    assert Checkpoint.objects.get(handler="web.queue_counts").position == last.position
    confirmations = Checkpoint.objects.get(handler="mail.reporter.report_confirmation")
    assert confirmations.position == last.position  # it passes events it does not take, too


@pytest.mark.django_db
def test_a_relay_pass_finding_a_full_batch_says_so_and_the_next_takes_the_rest(staff_made):
    bus = bus_without_delivery()
    for number in range(3):
        a_day_at_the_helpdesk(bus, reporter=f"r{number}@example.org")

    first = relay.sweep(message_bus(), in_process=True, grace=NO_GRACE, limit=4)
    second = relay.sweep(message_bus(), in_process=True, grace=NO_GRACE, limit=100)

    assert first.full and not second.full
    assert first.found >= 4
    assert len(mail.outbox) == 3 * MAILS_PER_DAY


@pytest.fixture
def staff_made(db):
    make_staff("alice", "bob")


@pytest.mark.django_db
def test_an_event_nobody_can_decode_is_parked_for_its_handlers_and_the_others_go_on(staff_made):
    bus = bus_without_delivery()
    a_day_at_the_helpdesk(bus, reporter="before@example.org")
    broken = RecordedEvent.objects.order_by("position").first()
    # As if a field without a default had been added to IssueReported: the old row lacks it.
    RecordedEvent.objects.create(
        **{
            field: getattr(broken, field)
            for field in ("event_type", "issue_id", "actor_role", "actor_name", "occurred_at")
        },
        event_id=uuid.uuid4(),
        issue_version=1,
        status="reported",
        data={"reference": "HD-9999", "actor_email": ""},
    )
    a_day_at_the_helpdesk(bus, reporter="after@example.org")

    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert len(mail.outbox) == 2 * MAILS_PER_DAY
    parked = Delivery.objects.filter(status="parked")
    assert sorted(parked.values_list("handler", flat=True)) == [
        "mail.reporter.report_confirmation",
        "mail.staff.new_issue",
        "mail.watcher.copied",
        "reports.counts",
        "sla.clocks",
        "web.queue_counts",
    ]
    assert all("Cannot decode" in row.last_error for row in parked)
    head = RecordedEvent.objects.order_by("-position").first().position
    assert set(Checkpoint.objects.values_list("position", flat=True)) == {head}
    assert "Cannot decode" in Checkpoint.objects.get(handler="web.queue_counts").last_error


@pytest.mark.django_db
def test_with_delivery_none_web_processes_only_record_and_the_relay_delivers(
    settings, django_capture_on_commit_callbacks
):
    settings.HELPDESK_DELIVER_AFTER_COMMIT = "none"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = anonymous().post(ISSUES, A_REPORT, format="json")

    assert response.status_code == 201
    assert len(callbacks) == 1  # the after-commit hook ran, and delivered nothing
    assert mail.outbox == []
    assert not Delivery.objects.exists()
    assert relay.default_grace() == NO_GRACE  # nothing else will deliver: no need to wait

    call_command("relay_events", "--once")

    assert [message.to[0] for message in mail.outbox] == [
        f"{A_REPORT['reporter_name']} <{A_REPORT['reporter_email']}>"
    ]
    # Every handler of IssueReported: the reporter's confirmation, the watchers' (none here),
    # the queue's counts, the reports, the staff's new-issue mail (nobody chose it) and the SLA
    # clocks.
    assert Delivery.objects.filter(status="done").count() == 6


def test_an_unknown_delivery_mode_is_refused(settings):
    from issues_adapters.eventing import dispatch

    settings.HELPDESK_DELIVER_AFTER_COMMIT = "sometimes"
    with pytest.raises(ValueError, match="thread, inline, none"):
        dispatch.mode()


# -- PostgreSQL: commits out of position order --------------------------------------------------


def raw_connection() -> psycopg.Connection:
    conf = connection.settings_dict
    return psycopg.connect(
        dbname=conf["NAME"],
        user=conf["USER"],
        host=conf["HOST"],
        port=conf["PORT"] or 5432,
        password=conf["PASSWORD"] or None,
    )


def insert_closed_event(cursor) -> int:
    cursor.execute(
        "INSERT INTO issues_recorded_event (event_id, event_type, issue_id, issue_version, "
        "status, actor_role, actor_name, data, occurred_at, recorded_at) VALUES "
        "(%s, 'IssueClosed', %s, 9, 'closed', 'staff', 'alice', '{\"actor_email\": \"\"}', "
        "now(), now()) RETURNING position",
        [uuid.uuid4(), uuid.uuid4()],
    )
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_event_whose_lower_position_commits_last_is_not_skipped():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("commit order differs from position order on PostgreSQL only")
    counter = Counter()
    bus = bus_without_delivery({events.IssueClosed: [counter]})
    relay.sweep(bus, in_process=True, grace=NO_GRACE)
    early, late = raw_connection(), raw_connection()
    try:
        with early.cursor() as cursor:  # takes its transaction id first...
            cursor.execute("SELECT pg_current_xact_id()")
        with late.cursor() as cursor:  # ...this one takes the lower position, commits last
            lower = insert_closed_event(cursor)
        with early.cursor() as cursor:
            higher = insert_closed_event(cursor)
        early.commit()

        relay.sweep(bus, in_process=True, grace=NO_GRACE)
        delivered_first = Delivery.objects.filter(handler="test.counter").count()
        mark = outbox.mark_of(Checkpoint.objects.get(handler="test.counter"))
        late.commit()
        relay.sweep(bus, in_process=True, grace=NO_GRACE)
    finally:
        early.close()
        late.close()

    assert lower < higher
    assert delivered_first == 1
    assert mark.position == higher  # a position-only mark here would have skipped `lower`
    assert set(
        Delivery.objects.filter(handler="test.counter").values_list("position", flat=True)
    ) == {
        lower,
        higher,
    }
    assert Checkpoint.objects.get(handler="test.counter").position == lower


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_transaction_still_open_holds_the_checkpoint_not_the_delivery():
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("the frontier is PostgreSQL's oldest running transaction")
    counter = Counter()
    bus = bus_without_delivery({events.IssueClosed: [counter]})
    relay.sweep(bus, in_process=True, grace=NO_GRACE)
    idle = raw_connection()
    try:
        with idle.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # open, and older than what follows
        after = RecordedEvent.objects.bulk_create([closed_event_row(), closed_event_row()])

        relay.sweep(bus, in_process=True, grace=NO_GRACE)
        held = Checkpoint.objects.get(handler="test.counter").position
        idle.rollback()
        relay.sweep(bus, in_process=True, grace=NO_GRACE)
    finally:
        idle.close()

    assert len(counter.seen) == 2  # delivered while the other transaction was open
    assert held < after[0].position
    assert Checkpoint.objects.get(handler="test.counter").position == after[-1].position


# -- a slow mail server and a short lease -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_batch_keeps_its_lease_and_no_mail_goes_twice(mail_server, settings):  # noqa: F811
    """Each mail takes the server 0.6 s, the lease is 1.5 s: the four mails of the batch take
    2.4 s. Without renewal a relay would take over the last ones and send them again."""
    settings.HELPDESK_RELAY_LEASE_SECONDS = 1.5
    make_staff("alice", "bob")
    original = type(mail_server).handle_DATA

    async def slowly(self, server, session, envelope):
        await asyncio.sleep(0.6)
        return await original(self, server, session, envelope)

    type(mail_server).handle_DATA = slowly
    try:
        bus = bus_without_delivery()
        a_day_at_the_helpdesk(bus)

        def one_relay():
            try:
                relay.sweep(bus, in_process=True, grace=NO_GRACE)
            finally:
                connections.close_all()

        sending = threading.Thread(target=one_relay, daemon=True)
        sending.start()
        deadline = time.monotonic() + 6
        while sending.is_alive() and time.monotonic() < deadline:
            time.sleep(0.3)
            relay.sweep(bus, in_process=True, grace=NO_GRACE)  # a second relay, taking over
        sending.join(10)
    finally:
        type(mail_server).handle_DATA = original

    assert len(mail_server.accepted) == MAILS_PER_DAY
    assert len(set(mail_server.message_ids)) == MAILS_PER_DAY
    assert set(Delivery.objects.values_list("status", flat=True)) == {"done"}


@pytest.mark.django_db
def test_an_event_of_a_type_this_code_does_not_know_holds_every_checkpoint_before_it():
    """Newer code (a rolling deploy) may have handlers for it: older code must not pass it."""
    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)
    before = RecordedEvent.objects.bulk_create([closed_event_row()])
    RecordedEvent.objects.bulk_create([closed_event_row(event_type="IssueEscalated")])
    RecordedEvent.objects.bulk_create([closed_event_row()])

    relay.sweep(message_bus(), in_process=True, grace=NO_GRACE)

    assert set(Checkpoint.objects.values_list("position", flat=True)) == {before[0].position}
    assert Delivery.objects.filter(status="done", handler="web.queue_counts").count() == 2
