"""`manage.py rebuild reports.counts`: the live delivery's tables, rebuilt from the log, while
staff work: the rebuild keeps every issue's facts in memory and writes them once at the end,
then catches up in the swap as any read model does."""

import pytest
from django.core.management import call_command
from django.db import connection

from issues_adapters.eventing import rebuilds
from issues_adapters.eventing.models import Rebuild
from issues_adapters.persistence.event_log import rows_of, to_event
from issues_adapters.persistence.models import RecordedEvent
from issues_adapters.reports import projection
from issues_adapters.reports.models import ReportCount, ReportDayPercentiles, ReportIssueFacts
from issues_adapters.wiring import mail_handler_names, read_models
from tests.events.test_rebuild import (  # noqa: F401 (helpdesk: a fixture)
    helpdesk,
    report_some,
    staff_work,
    while_three_staff_work,
)
from tests.support.services import require

REPORTS = "reports.counts"


def tables():
    return (
        sorted(
            ReportCount.objects.exclude(count=0).values_list(
                "metric", "grouping", "day", "group", "bucket", "count"
            )
        ),
        sorted(ReportIssueFacts.objects.values_list("issue_id", "facts")),
        sorted(
            ReportDayPercentiles.objects.values_list(
                "metric", "day", "count", "median_bucket", "p90_bucket"
            )
        ),
    )


def taken_in_one_by_one() -> tuple:
    """The tables the live delivery's own path gives from the whole log, an event at a time
    (the path the triple-shuffle specs check), in place of the live ones."""
    for model in projection.LIVE:
        model.objects.all().delete()
    for row in rows_of(RecordedEvent.objects.order_by("position")):
        projection.apply_all([to_event(row)])
    return tables()


def rebuild(**options):
    running = rebuilds.start(REPORTS, read_models(), mail_handler_names())
    return rebuilds.run(running, read_models()[REPORTS], **options)


def test_a_rebuild_of_the_reports_gives_the_tables_live_delivery_kept(helpdesk):  # noqa: F811
    staff_work(helpdesk, seed=3)
    live = tables()
    assert live[0] and len(live[1]) == len(helpdesk)

    call_command("rebuild", REPORTS)

    assert tables() == live
    assert Rebuild.objects.get(handler=REPORTS).status == "done"
    assert tables() == taken_in_one_by_one()


def test_staff_working_between_the_batches_lose_nothing(helpdesk, monkeypatch):  # noqa: F811
    """Commands land before and after what the build has read; the build's facts are in
    memory, not in the new tables, until its end: the swap catches up on them all."""
    monkeypatch.setattr(rebuilds, "BATCH", 10)
    batches = []

    def meanwhile(running):
        staff_work(helpdesk[running.events_done % 30 :][:5], seed=running.events_done)
        batches.append(running.events_done)

    done = rebuild(progress=meanwhile)

    assert len(batches) >= 3 and done.status == "done"
    rebuilt = tables()
    assert rebuilt == taken_in_one_by_one()


def test_commands_after_the_last_batch_are_caught_up_by_the_swap(helpdesk, monkeypatch):  # noqa: F811
    swap = rebuilds._swap

    def staff_work_then_swap(*args):
        staff_work(helpdesk, seed=9)  # delivered to the live tables, after the build read on
        swap(*args)

    monkeypatch.setattr(rebuilds, "_swap", staff_work_then_swap)
    rebuild()

    rebuilt = tables()
    assert rebuilt == taken_in_one_by_one()


def test_a_rebuild_racing_live_commands_on_postgresql_loses_nothing(helpdesk, monkeypatch):  # noqa: F811
    require("postgres")
    if connection.vendor != "postgresql":
        pytest.skip("truly concurrent writers: PostgreSQL")
    monkeypatch.setattr(rebuilds, "BATCH", 7)
    more = report_some(20)
    done = while_three_staff_work(helpdesk + more, rebuild)

    assert done.status == "done"
    rebuilt = tables()
    assert rebuilt == taken_in_one_by_one()


def test_a_failed_rebuild_leaves_the_live_tables_and_no_new_ones(helpdesk, monkeypatch):  # noqa: F811
    staff_work(helpdesk, seed=4)
    live = tables()

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(projection.Rebuilding, "finish", broken)
    with pytest.raises(RuntimeError):
        rebuild()

    assert tables() == live
    assert Rebuild.objects.get().status == "failed"
    assert not [name for name in connection.introspection.table_names() if "__r" in name]
