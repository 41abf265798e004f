"""Charts as server-drawn SVG: coordinates computed here, the markup in a template. No
JavaScript library to vendor and keep patched, nothing fetched at run time, nothing the
Content-Security-Policy has to allow, and the page prints and reads without scripts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from issues_adapters.reports import formats

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 48, 28, 12


@dataclass
class Series:
    name: str
    css: str
    points: str  # SVG polyline points
    last: str


@dataclass
class Chart:
    key: str
    title: str
    description: str
    series: list[Series] = field(default_factory=list)
    y_max: str = "0"
    x_first: str = ""
    x_last: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    top: int = TOP


def line_chart(key, title, labels: list[str], series: list[tuple[str, str, list]], unit=""):
    """Lines over days; a None value (nothing to measure that day) leaves a gap at zero."""
    values = [v for _, _, vs in series for v in vs if v is not None]
    top = max(values, default=0) or 1
    span = max(len(labels) - 1, 1)
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    chart = Chart(
        key,
        title,
        description="",
        y_max=_number(top, unit),
        x_first=labels[0] if labels else "",
        x_last=labels[-1] if labels else "",
    )
    for name, css, vs in series:
        points = " ".join(
            f"{LEFT + plot_w * i / span:.1f},{TOP + plot_h * (1 - (v or 0) / top):.1f}"
            for i, v in enumerate(vs)
        )
        last = next((v for v in reversed(vs) if v is not None), None)
        chart.series.append(Series(name, css, points, _number(last, unit)))
    lasts = "; ".join(
        _("%(series)s: %(value)s on the last day") % {"series": s.name, "value": s.last}
        for s in chart.series
    )
    chart.description = _("%(lasts)s. Highest value %(top)s, from %(first)s to %(last)s.") % {
        "lasts": lasts,
        "top": chart.y_max,
        "first": chart.x_first,
        "last": chart.x_last,
    }
    return chart


def _number(value, unit: str) -> str:
    """A value as the reader's language writes it: a duration (seconds) in its units, a
    percentage whole, a decimal with the language's mark."""
    if value is None:
        return "—"
    if unit == "duration":
        return formats.duration(value)
    if unit == "%":
        return formats.percent(value / 100)
    return formats.number(value)
