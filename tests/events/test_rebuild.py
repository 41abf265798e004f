"""Rebuilding a read model while staff work: new tables, catch up, swap; nothing lost."""

import contextlib
import random
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from issues_adapters.eventing import rebuilds
from issues_adapters.eventing.models import Rebuild
from issues_adapters.persistence.models import Category, IssueRecord
from issues_adapters.web import counts
from issues_adapters.web.models import QueueCount, QueueIssueState
from issues_adapters.wiring import mail_handler_names, message_bus, read_models
from issues_domain import commands
from issues_domain.errors import DomainError
from issues_domain.lifecycle import OPEN_STATUSES
from tests.events.support import ALICE, make_staff
from tests.support.services import require

COUNTS = "web.queue_counts"


def tables():
    return (
        sorted(QueueCount.objects.exclude(count=0).values_list("key", "count")),
        sorted(
            QueueIssueState.objects.values_list(
                "issue_id", "status", "assignee", "category", "priority"
            )
        ),
    )


def truth() -> dict:
    """The counts as the issue rows themselves say."""
    rows = list(IssueRecord.objects.values_list("status", "assignee", "category_id", "priority"))
    open_rows = [row for row in rows if row[0] in OPEN_STATUSES]
    found = {
        "open": len(open_rows),
        "unassigned": sum(row[1] is None for row in open_rows),
        "resolved": sum(row[0] == "resolved" for row in rows),
        "closed": sum(row[0] == "closed" for row in rows),
        "waiting": sum(row[0] == "waiting" for row in rows),
    }
    for _, _, category, _ in open_rows:
        key = f"category:{category or 'none'}"
        found[key] = found.get(key, 0) + 1
    return found


def counted() -> dict:
    sidebar = counts.sidebar("nobody")
    found = {key: sidebar[key] for key in ("open", "unassigned", "resolved", "closed", "waiting")}
    found |= {f"category:{key}": value for key, value in sidebar["category"].items() if value}
    return found


def report_some(number: int) -> list:
    bus = message_bus()
    return [
        bus.handle(
            commands.ReportIssue(
                reporter_name="Fred",
                reporter_email=f"fred{n}@example.org",
                description="Printer on fire.",
                category=random.Random(n).choice(["printing", "network", None]),
            )
        )
        for n in range(number)
    ]


def staff_work(issue_ids, seed: int) -> None:
    """What a busy team does: assign, triage, resolve, reopen, close - in some order."""
    bus = message_bus()
    chance = random.Random(seed)
    for issue_id in chance.sample(issue_ids, len(issue_ids)):
        for command in chance.sample(
            [
                commands.AssignIssue(issue_id=issue_id, assignee="bob", actor=ALICE),
                commands.TriageIssue(
                    issue_id=issue_id, category="network", priority="high", actor=ALICE
                ),
                commands.MarkIssueAsResolved(issue_id=issue_id, resolution="Done.", actor=ALICE),
                commands.CloseIssue(issue_id=issue_id, actor=ALICE),
                commands.AwaitReporter(issue_id=issue_id, comment="Which one?", actor=ALICE),
            ],
            2,
        ):
            with contextlib.suppress(DomainError):  # the lifecycle refused it: staff see that too
                bus.handle(command)


def while_three_staff_work(issue_ids, action):
    """What `action` gives, done while three staff members work on the issues, each in a
    thread of its own (truly at once on PostgreSQL)."""
    errors = []

    def team(seed):
        try:
            staff_work(issue_ids, seed)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=team, args=(seed,)) for seed in range(3)]
    for worker in workers:
        worker.start()
    try:
        return action()
    finally:
        for worker in workers:
            worker.join()
        assert errors == []


@pytest.fixture
def helpdesk(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for slug in ("printing", "network"):  # a transactional test empties even the seeded ones
        Category.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    make_staff("alice", "bob")
    return report_some(30)


def start_rebuild():
    return rebuilds.start(COUNTS, read_models(), mail_handler_names())


def test_a_rebuild_gives_the_tables_live_delivery_kept(helpdesk):
    staff_work(helpdesk, seed=1)
    live = tables()

    call_command("rebuild", COUNTS)

    assert tables() == live
    assert counted() == truth()
    done = Rebuild.objects.get()
    assert (done.status, done.events_done) == ("done", done.events_total)
    assert not [name for name in connection.introspection.table_names() if "__r" in name]


def test_staff_working_between_the_rebuilds_batches_lose_nothing(helpdesk, monkeypatch):
    """Commands land after the rebuild read past them, and before it: the swap catches up."""
    monkeypatch.setattr(rebuilds, "BATCH", 10)
    seen_live = []

    def meanwhile(running):
        staff_work(helpdesk[running.events_done % 30 :][:5], seed=running.events_done)
        seen_live.append(counted() == truth())  # the live model answers, and is right

    rebuild = start_rebuild()
    rebuilds.run(rebuild, read_models()[COUNTS], progress=meanwhile)

    assert len(seen_live) >= 3 and all(seen_live)
    assert counted() == truth()


def test_commands_that_land_after_the_last_batch_are_caught_up_by_the_swap(helpdesk, monkeypatch):
    swap = rebuilds._swap

    def staff_work_then_swap(*args):
        staff_work(helpdesk, seed=9)  # delivered to the live tables, after the build read on
        swap(*args)

    monkeypatch.setattr(rebuilds, "_swap", staff_work_then_swap)
    call_command("rebuild", COUNTS)

    assert counted() == truth()


def test_a_rebuild_racing_live_commands_on_postgresql_loses_nothing(helpdesk, monkeypatch):
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("truly concurrent writers: PostgreSQL")
    monkeypatch.setattr(rebuilds, "BATCH", 7)
    more = report_some(20)
    while_three_staff_work(
        helpdesk + more, lambda: rebuilds.run(start_rebuild(), read_models()[COUNTS])
    )

    assert Rebuild.objects.get().status == "done"
    assert counted() == truth()
    after_race = tables()
    call_command("rebuild", COUNTS)  # a quiet rebuild agrees
    assert tables() == after_race


def test_a_second_rebuild_while_one_runs_is_refused_and_a_dead_ones_is_taken_over(helpdesk):
    running = start_rebuild()

    with pytest.raises(CommandError, match="is running"):
        call_command("rebuild", COUNTS)

    Rebuild.objects.filter(id=running.id).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    call_command("rebuild", COUNTS)

    statuses = dict(Rebuild.objects.values_list("id", "status"))
    assert statuses[running.id] == "failed"
    assert sorted(statuses.values()) == ["done", "failed"]


class Killed(BaseException):
    """Like SIGKILL: nothing after it runs, no except Exception sees it."""


def test_a_worker_killed_mid_rebuild_leaves_the_live_model_serving_and_it_can_start_again(
    helpdesk, monkeypatch
):
    staff_work(helpdesk, seed=3)
    live = tables()
    monkeypatch.setattr(rebuilds, "BATCH", 10)

    def die(running):
        raise Killed

    rebuild = start_rebuild()
    with pytest.raises(Killed):
        rebuilds.run(rebuild, read_models()[COUNTS], progress=die)
    left_behind = [name for name in connection.introspection.table_names() if "__r" in name]

    assert tables() == live and counted() == truth()  # the live model never noticed
    assert left_behind  # the half-built tables of the dead worker
    assert Rebuild.objects.get().status == "running"

    Rebuild.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    monkeypatch.undo()
    call_command("rebuild", COUNTS)

    assert tables() == live
    assert not [name for name in connection.introspection.table_names() if "__r" in name]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "nope",
            "No read model is called 'nope'; known: "
            "reports.counts, sla.auto_close, sla.clocks, web.queue_counts",
        ),
        ("mail.reporter.report_confirmation", "sends mail: replaying events never sends mail"),
    ],
)
def test_a_rebuild_that_cannot_be_is_a_one_line_error(helpdesk, name, message):
    with pytest.raises(CommandError, match=message):
        call_command("rebuild", name)
    assert not Rebuild.objects.exists()


def test_on_postgresql_an_event_committed_late_behind_what_the_build_read_is_taken_in(
    helpdesk, monkeypatch
):
    """A transaction took its position first and commits last, after the build read past it
    in commit order and before the swap: the build noted it running, the swap reads it."""
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("commit order differs from position order on PostgreSQL only")
    from tests.events.test_no_event_skipped import insert_closed_event, raw_connection

    late, other = raw_connection(), raw_connection()
    try:
        with late.cursor() as cursor:
            lower = insert_closed_event(cursor)  # its transaction id is the lower one
        with other.cursor() as cursor:
            higher = insert_closed_event(cursor)
        other.commit()
        swap = rebuilds._swap

        def commit_late_then_swap(*args):
            late.commit()
            swap(*args)

        monkeypatch.setattr(rebuilds, "_swap", commit_late_then_swap)
        call_command("rebuild", COUNTS)
    finally:
        late.close()
        other.close()

    from issues_adapters.persistence.models import RecordedEvent

    rebuilt = set(QueueIssueState.objects.values_list("issue_id", flat=True))
    assert lower < higher
    assert {
        RecordedEvent.objects.get(position=position).issue_id for position in (lower, higher)
    } <= rebuilt
