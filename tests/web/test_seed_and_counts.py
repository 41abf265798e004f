"""seed_demo, and the queue's counts read model: kept from events, rebuildable, order-proof."""

import importlib
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from issues_adapters.persistence.event_log import to_event
from issues_adapters.persistence.models import IssueRecord, RecordedEvent
from issues_adapters.web import counts
from issues_adapters.web.models import QueueCount, QueueIssueState
from issues_adapters.wiring import message_bus
from issues_domain import commands
from issues_domain.errors import CommandRefused
from issues_domain.lifecycle import OPEN_STATUSES
from issues_domain.values import Actor
from tests.web.support import issue_in, make_user, queue_ids, report, staff_client
from tests.web.support import listed as is_listed


def _tables():
    return (
        sorted(QueueCount.objects.exclude(count=0).values_list("key", "count")),
        sorted(
            QueueIssueState.objects.values_list(
                "issue_id", "status", "assignee", "category", "priority", "tags"
            )
        ),
    )


def _expected_from_issue_rows(username: str) -> dict:
    rows = IssueRecord.objects.all()
    open_rows = [r for r in rows if r.status in OPEN_STATUSES]
    return {
        "open": len(open_rows),
        "unassigned": sum(r.assignee is None for r in open_rows),
        "mine": sum(r.assignee == username for r in open_rows),
        "resolved": sum(r.status == "resolved" for r in rows),
        "closed": sum(r.status == "closed" for r in rows),
        "waiting": sum(r.status == "waiting" for r in rows),
    }


@pytest.mark.django_db
def test_seed_demo_creates_the_login_and_issues_in_every_status_once(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    demo = get_user_model().objects.get(username="demo")
    assert demo.is_staff and demo.is_superuser
    assert "username 'demo', password 'helpdesk-demo'" in first
    statuses = set(IssueRecord.objects.values_list("status", flat=True))
    assert statuses == {"reported", "triaged", "assigned", "waiting", "resolved", "closed"}
    issues, events = IssueRecord.objects.count(), RecordedEvent.objects.count()
    assert issues >= 30 and events > issues

    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (IssueRecord.objects.count(), RecordedEvent.objects.count()) == (issues, events)
    assert "0 issues created" in second
    assert "password 'helpdesk-demo'" in second


@pytest.mark.django_db
def test_the_counts_follow_the_events_as_they_are_handled(django_capture_on_commit_callbacks):
    make_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("reported", "triaged", "assigned", "assigned", "resolved", "closed"):
            issue_in(status)
    shown = counts.sidebar("alice")
    assert {k: shown[k] for k in _expected_from_issue_rows("alice")} == _expected_from_issue_rows(
        "alice"
    )
    assert shown["category"] == {"printing": 3, "none": 1}
    assert shown["priority"] == {"high": 3, "none": 1}


@pytest.mark.django_db
def test_the_queue_shows_the_counts_in_its_side_bar(django_capture_on_commit_callbacks):
    client = staff_client("alice")
    with django_capture_on_commit_callbacks(execute=True):
        issue_in("assigned")
        report()
    html = client.get("/staff/").content.decode()
    assert '<span class="count" data-count="unassigned">1</span>' in html
    assert '<span class="count" data-count="mine">1</span>' in html
    assert '<span class="count" data-count="open">2</span>' in html


@pytest.mark.django_db
def test_the_side_bar_counts_open_issues_without_a_priority_and_links_to_them(
    django_capture_on_commit_callbacks,
):
    client = staff_client("alice")
    with django_capture_on_commit_callbacks(execute=True):
        triaged = issue_in("triaged")
        not_set = report(description="Nobody has looked at this yet")
    html = client.get("/staff/").content.decode()
    assert '<span>Not set</span> <span class="count" data-count="priority:none">1</span>' in html
    listed = client.get("/staff/?view=open&priority=none")
    assert queue_ids(listed) == [not_set]
    assert not is_listed(listed.content.decode(), triaged)


@pytest.mark.django_db
def test_the_migration_counts_the_issues_without_a_priority_that_were_there_before_it(
    django_capture_on_commit_callbacks,
):
    from django.apps import apps

    migration = importlib.import_module(
        "issues_adapters.web.migrations.0003_priority_not_set_count"
    )
    make_user("alice")
    with django_capture_on_commit_callbacks(execute=True):
        report()
        issue_in("triaged")
        issue_in("resolved")
    QueueCount.objects.filter(key="priority:none").delete()  # as counted before the migration
    migration.count_not_set(apps, None)
    assert counts.sidebar("alice")["priority"]["none"] == 1


def _tag_and_merge_some(issue_ids: list) -> None:
    """Tags added, swapped and removed, and a merge: what the tag counts must follow."""
    bus, actor = message_bus(), Actor.staff("alice")
    for n, issue_id in enumerate(issue_ids):
        for step in (("printer", "urgent-ish"), ("toner",), ()):
            try:
                bus.handle(
                    commands.TagIssue(
                        issue_id=issue_id,
                        add=step,
                        remove=("urgent-ish",) if n % 2 else (),
                        actor=actor,
                    )
                )
            except CommandRefused:
                break  # a closed issue takes no tags
    open_ids = list(IssueRecord.objects.filter(status="triaged").values_list("id", flat=True))
    bus.handle(commands.MergeIssue(issue_id=open_ids[0], into=str(open_ids[1]), actor=actor))


def _expected_tags() -> dict:
    found: dict = {}
    for record in IssueRecord.objects.filter(status__in=[status.value for status in OPEN_STATUSES]):
        for tag in record.tags:
            found[tag] = found.get(tag, 0) + 1
    return found


@pytest.mark.django_db
def test_rebuilding_from_shuffled_triplicated_events_gives_the_same_tables():
    make_user("alice")
    make_user("bob")
    call_command("seed_demo")
    _tag_and_merge_some(list(IssueRecord.objects.order_by("number").values_list("id", flat=True)))
    counts.apply_all([to_event(row) for row in RecordedEvent.objects.order_by("position")])
    in_order = _tables()  # each event once, in order
    assert counts.sidebar("demo")["open"] == _expected_from_issue_rows("demo")["open"]
    assert {
        k: counts.sidebar("demo")[k] for k in _expected_from_issue_rows("demo")
    } == _expected_from_issue_rows("demo")
    assert counts.sidebar("demo")["tag"] == _expected_tags()
    assert set(_expected_tags()) == {"printer", "toner", "urgent-ish"}

    QueueCount.objects.all().delete()
    QueueIssueState.objects.all().delete()
    events = [to_event(row) for row in RecordedEvent.objects.all()] * 3
    random.Random(7).shuffle(events)
    for event in events:
        counts.apply(event)
    assert _tables() == in_order

    # In batches (as the relay hands them over), one issue's events often in the same batch.
    QueueCount.objects.all().delete()
    QueueIssueState.objects.all().delete()
    for start in range(0, len(events), 7):
        counts.apply_all(events[start : start + 7])
    assert _tables() == in_order
