"""The reports: sums over the pre-counted rows of one metric, grouping and range of days, never
a scan of issues. Each report answers its columns and its rows (by day, or by group over the
whole period) and a total row.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BigIntegerField, Case, F, Max, Min, Q, Sum, Value, When

from issues_adapters.reports import facts, histogram
from issues_adapters.reports.models import ReportCount, ReportDayPercentiles
from issues_adapters.reports.period import FIRST_DAY, Period

SCORES = range(1, 6)


@dataclass
class Report:
    name: str
    period: Period
    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    total: dict = field(default_factory=dict)

    def as_data(self) -> dict:
        return {
            "report": self.name,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "group_by": self.period.group_by,
            "columns": self.columns,
            "rows": self.rows,
            "total": self.total,
        }


def _key(period: Period) -> str:
    return "day" if period.group_by == "day" else "group"


def _spans(start: date, end: date):
    """The period as whole months, day ranges added, and day ranges taken away: a ragged end
    is read as its days or as its month less the other days, whichever is fewer days, so a
    period reads at most about a fortnight of day rows at each end (a year ending mid-month
    read 31 days of rows a group and bucket; now 8)."""
    first_month, last_month = start.replace(day=1), end.replace(day=1)
    months: list[date] = []
    plus: list[tuple[date, date]] = []
    minus: list[tuple[date, date]] = []
    if first_month == last_month:
        if start.day == 1 and end == _month_end(end):
            return [first_month], [], []
        return [], [(start, end)], []
    if start.day == 1:
        months.append(first_month)
    elif (_month_end(start) - start).days + 1 <= start.day - 1:
        plus.append((start, _month_end(start)))
    else:
        months.append(first_month)
        minus.append((first_month, start - timedelta(days=1)))
    month = _next_month(first_month)
    while month < last_month:
        months.append(month)
        month = _next_month(month)
    if end == _month_end(end):
        months.append(last_month)
    elif end.day <= (_month_end(end) - end).days:
        plus.append((last_month, end))
    else:
        months.append(last_month)
        minus.append((end + timedelta(days=1), _month_end(end)))
    return months, plus, minus


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _month_end(day: date) -> date:
    # Not the next month less a day: December 9999 has no next month.
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _summed(metrics, period: Period, *, buckets=False, since=None, until=None, whole=None):
    """{(metric, day or group[, bucket]): count}: by day, or (`whole`, the default for any
    grouping but day) by group over the whole period, whole months read from the month rows:
    a year is 12 rows a group and bucket, not 365."""
    whole = period.group_by != "day" if whole is None else whole
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    fields = ["metric", "group" if whole else "day"] + (["bucket"] if buckets else [])
    start = period.start if since is None else since
    end = period.end if until is None else until
    which = Q(grouping=period.group_by, day__gte=start, day__lte=end)
    total = Sum("count")
    if whole:
        months, plus, minus = _spans(max(start, FIRST_DAY), end)
        which = Q(grouping=period.group_by + facts.MONTHLY, day__in=months) if months else Q()
        taken = Q()
        for first, last in plus + minus:
            which |= Q(grouping=period.group_by, day__gte=first, day__lte=last)
        for first, last in minus:
            taken |= Q(grouping=period.group_by, day__gte=first, day__lte=last)
        if minus:
            signed = Case(
                When(taken, then=-F("count")), default=F("count"), output_field=BigIntegerField()
            )
            total = Sum(signed)
    if period.group_by == "day" and not whole and buckets:
        # A row a key already (grouping "day" has the one group ""): no GROUP BY, a third
        # less time for a year's satisfaction or SLA by day on SQLite (bench/dashboard.py).
        rows = (
            ReportCount.objects.filter(which, metric__in=names)
            .order_by()
            .values_list(*fields, "count")
        )
    else:
        rows = (
            ReportCount.objects.filter(which, metric__in=names)
            .values(*fields)
            .annotate(total=total)
            .order_by()
            .values_list(*fields, "total")
        )
    return {tuple(row[:-1]): row[-1] for row in rows}


def _labels(period: Period, found) -> list:
    if period.group_by == "day":
        return period.days
    return sorted({key[1] for key in found})


def _label(period: Period, label) -> dict:
    return {_key(period): label.isoformat() if period.group_by == "day" else label}


def volume(period: Period) -> Report:
    found = _summed((facts.CREATED, facts.RESOLVED), period)
    report = Report("volume", period, [_key(period), "created", "resolved"])
    for label in _labels(period, found):
        report.rows.append(
            _label(period, label)
            | {
                "created": found.get((facts.CREATED, label), 0),
                "resolved": found.get((facts.RESOLVED, label), 0),
            }
        )
    report.total = {
        "created": sum(row["created"] for row in report.rows),
        "resolved": sum(row["resolved"] for row in report.rows),
    }
    return report


def backlog(period: Period) -> Report:
    """Open issues at the end of each day (by day), or at the end of the period (by group)."""
    report = Report("backlog", period, [_key(period), "open"], total={"open": 0})
    if period.group_by == "day":
        found = _summed(facts.OPENED_DELTA, period)
        running = _open_before(period.start)
        for day in period.days:
            running += found.get((facts.OPENED_DELTA, day), 0)
            report.rows.append({"day": day.isoformat(), "open": running})
        report.total = {"open": running}
        return report
    first, last = _months_with_changes(period.group_by)
    if first is None or first > period.end:
        return report  # the period ended before any issue was reported: nothing was open
    found = _summed(facts.OPENED_DELTA, period, since=first, until=min(period.end, last))
    for group in _labels(period, found):
        if found[(facts.OPENED_DELTA, group)]:
            report.rows.append({"group": group, "open": found[(facts.OPENED_DELTA, group)]})
    report.total = {"open": sum(row["open"] for row in report.rows)}
    return report


def _open_before(day: date) -> int:
    """The issues open at the end of the day before: every change before it, summed from the
    month rows where whole months lie before it (a year back is 12 rows, not 365)."""
    first, last = _months_with_changes("day")
    if first is None or first >= day:
        return 0  # every month with a change has its row: nothing changed before the day
    before = Period(first, min(day - timedelta(days=1), last))
    found = _summed(facts.OPENED_DELTA, before, whole=True)
    return int(found.get((facts.OPENED_DELTA, ""), 0))


def _months_with_changes(grouping: str) -> tuple[date | None, date | None]:
    """The first day of the first month and the last day of the last month in which the open
    issues changed: a backlog is summed over these alone, not over every month up to a far
    `to` (9999-12-31 would be 96,000 months)."""
    found = ReportCount.objects.filter(
        metric=facts.OPENED_DELTA, grouping=grouping + facts.MONTHLY
    ).aggregate(first=Min("day"), last=Max("day"))
    last = found["last"]
    return found["first"], None if last is None else _month_end(last)


def _daily_percentiles(metric: str, period: Period) -> dict:
    """{day: (count, median bucket, p90 bucket)}, kept by the projection for each day."""
    rows = ReportDayPercentiles.objects.filter(
        metric=metric, day__gte=period.start, day__lte=period.end
    ).values_list("day", "count", "median_bucket", "p90_bucket")
    return {day: (n, median, p90) for day, n, median, p90 in rows}


def _durations(name: str, metric: str, period: Period) -> Report:
    report = Report(name, period, [_key(period), "count", "median_seconds", "p90_seconds"])

    def summary(counts) -> dict:
        return {
            "count": sum(count for _, count in counts),
            "median_seconds": _rounded(histogram.percentile(counts, 0.5)),
            "p90_seconds": _rounded(histogram.percentile(counts, 0.9)),
        }

    if period.group_by == "day":
        daily = _daily_percentiles(metric, period)
        for day in period.days:
            n, median, p90 = daily.get(day, (0, None, None))
            report.rows.append(
                {
                    "day": day.isoformat(),
                    "count": int(n),
                    "median_seconds": None if median is None else _rounded(histogram.value(median)),
                    "p90_seconds": None if p90 is None else _rounded(histogram.value(p90)),
                }
            )
    # By group, and the whole period's percentiles (by day: the one group of grouping "day").
    found = _summed(metric, period, buckets=True, whole=True)
    by_label: dict = defaultdict(list)
    for (_, label, index), count in found.items():
        by_label[label].append((index, count))
    if period.group_by != "day":
        for label in _labels(period, found):
            report.rows.append(_label(period, label) | summary(by_label.get(label, [])))
    merged: dict = defaultdict(int)
    for counts in by_label.values():
        for index, count in counts:
            merged[index] += count
    report.total = summary(list(merged.items()))
    return report


def _rounded(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds)


def first_response(period: Period) -> Report:
    return _durations("first-response", facts.FIRST_RESPONSE, period)


def resolution(period: Period) -> Report:
    return _durations("resolution", facts.RESOLUTION_TIME, period)


def satisfaction(period: Period) -> Report:
    """Ratings of the resolutions of the period (a rating counts on its resolution's day)."""
    ratings = _summed(facts.RATING, period, buckets=True)
    resolved = _summed(facts.RESOLVED, period)
    columns = [_key(period), "rated", "average", *(f"score_{n}" for n in SCORES)]
    report = Report("satisfaction", period, [*columns, "resolved", "share_rated"])
    by_label: dict = defaultdict(lambda: dict.fromkeys(SCORES, 0))
    for (_, label, score), count in ratings.items():
        by_label[label][score] += count

    def summary(distribution: dict, resolutions: int) -> dict:
        rated = sum(distribution.values())
        return {
            "rated": rated,
            "average": round(sum(s * n for s, n in distribution.items()) / rated, 2)
            if rated
            else None,
            **{f"score_{score}": distribution[score] for score in SCORES},
            "resolved": resolutions,
            "share_rated": round(rated / resolutions, 3) if resolutions else None,
        }

    labels = sorted(set(_labels(period, ratings)) | set(_labels(period, resolved)))
    total = dict.fromkeys(SCORES, 0)
    for label in labels:
        distribution = by_label.get(label, dict.fromkeys(SCORES, 0))
        for score in SCORES:
            total[score] += distribution[score]
        report.rows.append(
            _label(period, label) | summary(distribution, resolved.get((facts.RESOLVED, label), 0))
        )
    report.total = summary(total, sum(resolved.values()))
    return report


def sla(period: Period) -> Report:
    """SLA outcomes decided in the period (a clock stopped, or a breach flagged while it ran),
    by target: met, breached and the share met."""
    found = _summed((facts.SLA_MET, facts.SLA_BREACHED), period, buckets=True)
    columns = [_key(period)]
    for goal in facts.SLA_GOALS:
        columns += [f"{goal}_met", f"{goal}_breached", f"{goal}_share_met"]
    report = Report("sla", period, columns)

    def summary(counts: dict) -> dict:
        row = {}
        for index, goal in enumerate(facts.SLA_GOALS):
            met, breached = (
                counts.get((facts.SLA_MET, index), 0),
                counts.get((facts.SLA_BREACHED, index), 0),
            )
            row[f"{goal}_met"], row[f"{goal}_breached"] = met, breached
            row[f"{goal}_share_met"] = round(met / (met + breached), 3) if met + breached else None
        return row

    by_label: dict = defaultdict(dict)
    total: dict = defaultdict(int)
    for (metric, label, index), count in found.items():
        by_label[label][metric, index] = count
        total[metric, index] += count
    for label in _labels(period, found):
        report.rows.append(_label(period, label) | summary(by_label.get(label, {})))
    report.total = summary(total)
    return report


REPORTS = {
    "volume": volume,
    "backlog": backlog,
    "first-response": first_response,
    "resolution": resolution,
    "satisfaction": satisfaction,
    "sla": sla,
}


@dataclass
class Daily:
    """What the dashboard's charts draw, a value a day of the period: the by-day reports'
    columns, without their other columns and totals."""

    days: list[date]
    open: list[int]
    created: list[int]
    resolved: list[int]
    durations: dict[str, tuple[list, list]]  # report name -> (medians, 90th percentiles)
    sla_shares: dict[str, list]  # goal -> share met
    average_rating: list


def daily_of(reports: dict[str, Report]) -> Daily:
    """The charts' values, from the six reports by day."""

    def col(name, column):
        return [row[column] for row in reports[name].rows]

    return Daily(
        days=reports["volume"].period.days,
        open=col("backlog", "open"),
        created=col("volume", "created"),
        resolved=col("volume", "resolved"),
        durations={
            name: (col(name, "median_seconds"), col(name, "p90_seconds"))
            for name in ("first-response", "resolution")
        },
        sla_shares={goal: col("sla", f"{goal}_share_met") for goal in facts.SLA_GOALS},
        average_rating=col("satisfaction", "average"),
    )


def daily(period: Period) -> Daily:
    """The same values as `daily_of` the reports by day, read for the charts alone: sums per
    day in the database (a rating's score sum, each SLA target's met and decided) - a
    third of the rows, and none of the tables' columns (bench/dashboard.py)."""
    by_day = Period(period.start, period.end)
    met = Case(When(metric=facts.SLA_MET, then=F("count")), default=0)
    rows = (
        ReportCount.objects.filter(
            grouping="day",
            day__gte=period.start,
            day__lte=period.end,
            metric__in=[
                facts.OPENED_DELTA,
                facts.CREATED,
                facts.RESOLVED,
                facts.RATING,
                facts.SLA_MET,
                facts.SLA_BREACHED,
            ],
        )
        .annotate(
            kind=Case(
                When(metric=facts.SLA_BREACHED, then=Value(facts.SLA_MET)), default=F("metric")
            ),
            target=Case(
                When(metric__in=[facts.SLA_MET, facts.SLA_BREACHED], then=F("bucket")),
                default=Value(0),
            ),
        )
        .values("kind", "day", "target")
        .annotate(
            n=Sum("count"),
            weighted=Sum(F("count") * F("bucket"), output_field=BigIntegerField()),
            met=Sum(met, output_field=BigIntegerField()),
        )
        .order_by()
        .values_list("kind", "day", "target", "n", "weighted", "met")
    )
    found = {
        (kind, day, target): (n, weighted, met) for kind, day, target, n, weighted, met in rows
    }
    days = by_day.days
    sums = {
        metric: [found.get((metric, day, 0), (0, 0, 0))[0] for day in days]
        for metric in (facts.OPENED_DELTA, facts.CREATED, facts.RESOLVED)
    }
    running = _open_before(period.start)
    backlog = []
    for delta in sums[facts.OPENED_DELTA]:
        running += delta
        backlog.append(running)
    shares = {}
    for index, goal in enumerate(facts.SLA_GOALS):
        shares[goal] = []
        for day in days:
            decided, _, met_ = found.get((facts.SLA_MET, day, index), (0, 0, 0))
            shares[goal].append(round(met_ / decided, 3) if decided else None)
    averages = []
    for day in days:
        rated, scores, _ = found.get((facts.RATING, day, 0), (0, 0, 0))
        averages.append(round(scores / rated, 2) if rated else None)
    durations = {}
    for name, metric in (
        ("first-response", facts.FIRST_RESPONSE),
        ("resolution", facts.RESOLUTION_TIME),
    ):
        percentiles = _daily_percentiles(metric, by_day)
        medians, p90s = [], []
        for day in days:
            _, median, p90 = percentiles.get(day, (0, None, None))
            medians.append(None if median is None else _rounded(histogram.value(median)))
            p90s.append(None if p90 is None else _rounded(histogram.value(p90)))
        durations[name] = (medians, p90s)
    return Daily(
        days=days,
        open=backlog,
        created=sums[facts.CREATED],
        resolved=sums[facts.RESOLVED],
        durations=durations,
        sla_shares=shares,
        average_rating=averages,
    )
