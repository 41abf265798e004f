"""`manage.py rebuild reports.counts`: the live delivery's tables, rebuilt from the log."""

from django.core.management import call_command

from issues_adapters.eventing.models import Rebuild
from issues_adapters.reports.models import ReportCount, ReportDayPercentiles, ReportIssueFacts
from tests.events.test_rebuild import helpdesk, staff_work  # noqa: F401 (a fixture)


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


def test_a_rebuild_of_the_reports_gives_the_tables_live_delivery_kept(helpdesk):  # noqa: F811
    staff_work(helpdesk, seed=3)
    live = tables()
    assert live[0] and len(live[1]) == len(helpdesk)

    call_command("rebuild", "reports.counts")

    assert tables() == live
    assert Rebuild.objects.get(handler="reports.counts").status == "done"
