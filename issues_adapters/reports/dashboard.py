"""/staff/dashboard/: the reports as charts (by day) and tables (by the chosen grouping) for a
chosen period, each table downloadable as CSV."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from issues_adapters.reports import charts, queries, tables
from issues_adapters.reports.period import BadQuestion, Period, period_from
from issues_adapters.web.views.staff import staff_required

GROUP_CHOICES = list(tables.GROUPINGS.items())
TITLES = {
    "volume": gettext_lazy("Reported and resolved"),
    "backlog": gettext_lazy("Backlog (open at the end of the day)"),
    "first-response": gettext_lazy("Time to first response"),
    "resolution": gettext_lazy("Time to resolution"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "sla": gettext_lazy("SLA compliance (share of targets met)"),
}
# The period's fields as the form labels them; a refusal names its field so, not by parameter.
LABELS = {
    "from": gettext_lazy("From"),
    "to": gettext_lazy("To"),
    "group_by": gettext_lazy("Tables by"),
}


class PeriodForm(forms.Form):
    """Its fields are named as the API's query parameters (`from` is a Python keyword, hence
    __init__), so the page, its CSV links and the API ask the same question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An <input type="date"> takes only ISO dates, whatever the language shows elsewhere.
        date = forms.DateInput({"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=LABELS["from"], widget=date)
        self.fields["to"] = forms.DateField(label=LABELS["to"], widget=date)
        self.fields["group_by"] = forms.ChoiceField(label=LABELS["group_by"], choices=GROUP_CHOICES)


def _charts(values: queries.Daily) -> list[charts.Chart]:
    """The charts, by day whatever the tables' grouping."""
    days = [day.isoformat() for day in values.days]
    return [
        charts.line_chart("backlog", TITLES["backlog"], days, [(_("Open"), "s1", values.open)]),
        charts.line_chart(
            "volume",
            TITLES["volume"],
            days,
            # Its lines named as its table's columns.
            [
                (str(tables.COLUMNS["created"]), "s1", values.created),
                (str(tables.COLUMNS["resolved"]), "s2", values.resolved),
            ],
        ),
        *(
            charts.line_chart(
                name,
                TITLES[name],
                days,
                [(_("Median"), "s1", medians), (_("90th percentile"), "s2", p90s)],
                unit="duration",
            )
            for name, (medians, p90s) in values.durations.items()
        ),
        charts.line_chart(
            "sla",
            TITLES["sla"],
            days,
            [
                (_("First response"), "s1", _percent(values.sla_shares["first_response"])),
                (_("Resolution"), "s2", _percent(values.sla_shares["resolution"])),
            ],
            unit="%",
        ),
        charts.line_chart(
            "satisfaction",
            TITLES["satisfaction"],
            days,
            [(_("Average rating"), "s1", values.average_rating)],
        ),
    ]


def _percent(shares):
    return [None if share is None else share * 100 for share in shares]


def _queue_as_of(day) -> dict:
    """The queue's open counts at the end of a day, from the backlog model: the total is
    exact for that day; the groups are the issues' current category, priority and assignee."""
    reports = [
        (title, queries.backlog(Period(day, day, grouping)))
        for grouping, title in GROUP_CHOICES[1:]
    ]
    return {
        "day": day,
        "open": reports[0][1].total["open"],  # the same total in every grouping
        "groups": [
            (title, _named(report.period.group_by, report.rows)) for title, report in reports
        ],
    }


def _named(grouping: str, rows: list[dict]) -> list[tuple[str, int]]:
    names = tables.group_labels(grouping) if rows else {}
    return [(names.get(row["group"], row["group"]), row["open"]) for row in rows]


def _refusals(error: BadQuestion) -> list[str]:
    """Each refusal as a sentence naming its field as the form labels it ("From: ...")."""
    return [
        _("%(field)s: %(message)s") % {"field": LABELS.get(name, name), "message": message}
        for name, messages in error.errors.items()
        for message in messages
    ]


def _asked(request) -> dict:
    """The period form's fields, those left empty left out: a blank From or To is its default
    (the API, whose schema says a date, refuses an empty one)."""
    return {name: value for name, value in request.GET.items() if value != ""}


def _period(request):
    try:
        return period_from(_asked(request)), []
    except BadQuestion as error:
        return period_from({}), _refusals(error)


@require_GET
@staff_required
def dashboard(request):
    period, errors = _period(request)
    form = PeriodForm(initial={"from": period.start, "to": period.end, "group_by": period.group_by})
    reports = {name: report(period) for name, report in queries.REPORTS.items()}
    context = {
        "form": form,
        "errors": errors,
        "period": period,
        # By day, the tables' reports hold the charts' values; else they are read alone.
        "charts": _charts(
            queries.daily_of(reports) if period.group_by == "day" else queries.daily(period)
        ),
        "queue": _queue_as_of(period.end),
        "reports": [
            (
                TITLES[name],
                report,
                tables.headers(report),
                tables.html_rows(report),
                tables.html_total(report),
            )
            for name, report in reports.items()
        ],
        "query": f"from={period.start}&to={period.end}&group_by={period.group_by}",
    }
    return render(request, "reports/dashboard.html", context, status=400 if errors else 200)


@require_GET
@staff_required
def download(request, name):
    if name not in queries.REPORTS:
        return HttpResponse(status=404)
    try:
        report = queries.REPORTS[name](period_from(_asked(request)))
    except BadQuestion as error:
        text = "".join(f"{refusal}\n" for refusal in _refusals(error))
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(tables.as_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tables.filename(report)}"'
    return response
