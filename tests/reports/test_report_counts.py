"""The reports' read model: kept from events, order-proof, and agreeing with the issue tables."""

import dataclasses
import random
import uuid
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest

from issues_adapters.persistence.models import IssueRecord
from issues_adapters.reports import facts, histogram, projection, queries
from issues_adapters.reports.models import ReportCount, ReportDayPercentiles, ReportIssueFacts
from issues_adapters.reports.period import Period
from issues_adapters.sla import clocks as sla_clocks
from issues_adapters.sla.models import SlaClock
from issues_domain import events as domain_events
from issues_domain.lifecycle import is_open
from issues_domain.sla import Goal
from issues_domain.sla_clock import IssueClocks, Op, TimerKind, deadline_key, operations_for
from tests.reports.support import START, seeded_events
from tests.web.support import make_user

PERIOD = Period(date(2026, 3, 1), date(2026, 3, 31))


def _tables():
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


def _clear():
    ReportCount.objects.all().delete()
    ReportIssueFacts.objects.all().delete()
    ReportDayPercentiles.objects.all().delete()


@pytest.fixture
def seeded(db):
    make_user("alice")
    make_user("bob")
    return seeded_events()


def _resolution_times(seeded) -> list[float]:
    """Each resolution's time from the report: the SLA clock's business time where a policy
    applies (issues_domain.sla_clock over the issue's events up to it), else wall time."""
    by_issue = defaultdict(list)
    for event in seeded:
        by_issue[event.issue_id].append(event)
    found = []
    for issue_events in by_issue.values():
        issue_events.sort(key=lambda event: event.version)
        operations = [item for event in issue_events for item in operations_for(event)]
        targeted = any(item.op == Op.RETARGET for item in operations)
        for event in issue_events:
            if not isinstance(event, domain_events.IssueResolved):
                continue
            if targeted:
                upto = [item for item in operations if item.version <= event.version]
                spent = IssueClocks.replay(upto).clocks[Goal.RESOLUTION].spent
                found.append(spent.total_seconds())
            else:
                found.append((event.occurred_at - issue_events[0].occurred_at).total_seconds())
    return found


def test_shuffled_and_triplicated_events_give_the_same_tables(seeded):
    projection.apply_all(seeded)
    in_order = _tables()
    assert in_order[0], "the events counted nothing"
    assert in_order[2], "no day percentiles kept"
    assert {row[0] for row in in_order[0]} >= {facts.SLA_MET, facts.SLA_BREACHED}

    _clear()
    shuffled = seeded * 3
    random.Random(7).shuffle(shuffled)
    for event in shuffled:
        projection.apply_all([event])
    assert _tables() == in_order

    _clear()
    for start in range(0, len(shuffled), 7):
        projection.apply_all(shuffled[start : start + 7])
    assert _tables() == in_order


def test_the_reports_agree_with_the_issue_tables(seeded):
    projection.apply_all(seeded)
    issues = IssueRecord.objects.all()
    resolutions = [e for e in seeded if isinstance(e, domain_events.IssueResolved)]

    volume = queries.volume(PERIOD)
    assert volume.total == {"created": issues.count(), "resolved": len(resolutions)}
    per_day = Counter(e.occurred_at.date() for e in seeded if e.version == 1)
    assert {row["day"]: row["created"] for row in volume.rows if row["created"]} == {
        day.isoformat(): n for day, n in per_day.items()
    }

    open_now = sum(is_open(record.status) for record in issues)
    assert queries.backlog(PERIOD).total == {"open": open_now}
    by_category = queries.backlog(Period(PERIOD.start, PERIOD.end, "category"))
    assert by_category.total == {"open": open_now}

    rated = queries.satisfaction(PERIOD).total
    assert rated["rated"] == issues.filter(status__in=["resolved", "closed"]).count()
    assert rated["resolved"] == len(resolutions)
    assert rated["score_5"] > 0


def test_percentiles_are_within_the_histogram_s_error_whatever_the_period(seeded):
    projection.apply_all(seeded)
    durations = sorted(_resolution_times(seeded))
    exact_median = durations[(len(durations) + 1) // 2 - 1]
    median = queries.resolution(PERIOD).total["median_seconds"]
    assert abs(median - exact_median) <= exact_median * histogram.RELATIVE_ERROR + 1

    # Split in two halves, the halves' buckets add up to the whole: no average of averages.
    first = queries.resolution(Period(PERIOD.start, date(2026, 3, 12))).total["count"]
    second = queries.resolution(Period(date(2026, 3, 13), PERIOD.end)).total["count"]
    assert first + second == len(durations)


def test_a_public_staff_reply_is_a_first_response_and_an_internal_note_is_not(seeded):
    projection.apply_all(seeded)
    replies = {e.issue_id for e in seeded if facts.first_response(e)}
    assert queries.first_response(PERIOD).total["count"] == len(replies)
    assert START.date() == PERIOD.start.replace(day=2)


def test_a_period_of_whole_months_and_odd_days_sums_as_its_days_do(seeded):
    projection.apply_all(seeded)
    period = Period(date(2026, 2, 15), date(2026, 4, 10), "category")
    by_day = Period(period.start, period.end)
    assert queries.volume(period).total == queries.volume(by_day).total
    assert queries.resolution(period).total == queries.resolution(by_day).total
    assert queries.satisfaction(period).total == queries.satisfaction(by_day).total


def test_each_day_s_percentiles_worked_out_by_the_database_match_its_histogram(seeded):
    projection.apply_all(seeded)
    for row in queries.resolution(PERIOD).rows:
        counts = list(
            ReportCount.objects.filter(
                metric=facts.RESOLUTION_TIME, grouping="day", day=row["day"]
            ).values_list("bucket", "count")
        )
        expected = [histogram.percentile(counts, q) for q in (0.5, 0.9)]
        assert [row["median_seconds"], row["p90_seconds"]] == [
            None if v is None else round(v) for v in expected
        ]
        assert row["count"] == sum(n for _, n in counts)


def test_the_sla_report_agrees_with_the_sla_clocks_table(seeded):
    projection.apply_all(seeded)
    SlaClock.objects.all().delete()
    sla_clocks.apply_all(seeded)  # the clocks of the same events, with the same times
    expected = Counter()
    for operations in SlaClock.objects.values_list("operations", flat=True):
        issue_clocks = IssueClocks.replay(sla_clocks.decode(operations))
        for goal, clock in issue_clocks.clocks.items():
            if clock.target is not None and clock.stopped:
                expected[goal, "met" if clock.spent <= clock.target else "breached"] += 1
    assert expected[Goal.FIRST_RESPONSE, "met"] and expected[Goal.FIRST_RESPONSE, "breached"]

    total = queries.sla(Period(date(2026, 1, 1), date(2026, 12, 31))).total
    for goal in (Goal.FIRST_RESPONSE, Goal.RESOLUTION):
        met, breached = expected[goal, "met"], expected[goal, "breached"]
        assert total[f"{goal}_met"] == met
        assert total[f"{goal}_breached"] == breached
        assert total[f"{goal}_share_met"] == (
            round(met / (met + breached), 3) if met + breached else None
        )
    by_priority = queries.sla(Period(date(2026, 1, 1), date(2026, 12, 31), "priority")).total
    assert by_priority == total


def test_a_breach_flagged_while_the_clock_runs_counts_on_its_day_and_once(seeded):
    targeted = next(e for e in seeded if isinstance(e, domain_events.SlaTargeted))
    mine = sorted((e for e in seeded if e.issue_id == targeted.issue_id), key=lambda e: e.version)
    reported = mine[0]
    # The issue as it was before anyone answered it, and a breach of its first response.
    before = [e for e in mine if not facts.first_response(e)][: targeted.version]
    target = timedelta(seconds=targeted.first_response_seconds)
    breach = domain_events.SlaBreached(
        event_id=uuid.uuid4(),
        issue_id=reported.issue_id,
        version=targeted.version + 1,
        occurred_at=reported.occurred_at + timedelta(days=40),
        actor=reported.actor,
        goal=Goal.FIRST_RESPONSE,
        deadline=deadline_key(Goal.FIRST_RESPONSE, TimerKind.BREACH, target),
        due_at=reported.occurred_at + target,
        assignee=None,
        category=None,
        reference=reported.reference,
    )
    projection.apply_all([*before, breach, breach])

    day = breach.occurred_at.date()
    found = queries.sla(Period(day, day)).total
    assert found["first_response_breached"] == 1
    assert found["first_response_met"] == 0


def test_the_charts_values_read_alone_are_the_reports_by_day(seeded):
    projection.apply_all(seeded)
    later = Period(PERIOD.start + timedelta(days=9), PERIOD.end, "assignee")
    for period in (PERIOD, later):
        by_day = Period(period.start, period.end)
        from_reports = queries.daily_of(
            {name: report(by_day) for name, report in queries.REPORTS.items()}
        )

        read_alone = queries.daily(period)

        assert read_alone == from_reports
    assert any(read_alone.average_rating) and any(read_alone.sla_shares["resolution"])
    assert read_alone.open[0] > 0  # the issues opened before the period, carried in
    assert any(read_alone.durations["first-response"][1])


def test_the_backlog_before_a_day_read_from_month_rows_is_every_day_s_change_summed(seeded):
    moved = [  # a third of the issues' events a month later: changes in two months
        dataclasses.replace(event, occurred_at=event.occurred_at + timedelta(days=31))
        if event.issue_id.int % 3 == 0
        else event
        for event in seeded
    ]
    projection.apply_all(moved)
    day_rows = ReportCount.objects.filter(metric=facts.OPENED_DELTA, grouping="day")
    for day in (
        date(2026, 1, 1),
        date(2026, 3, 1),
        date(2026, 3, 12),
        date(2026, 4, 1),
        date(2026, 4, 17),
        date(2026, 6, 30),
    ):
        every_day = sum(day_rows.filter(day__lt=day).values_list("count", flat=True))

        assert (
            queries.backlog(Period(day, day)).rows[0]["open"]
            - sum(day_rows.filter(day=day).values_list("count", flat=True))
            == every_day
        )
    assert every_day > 0
