"""The dashboard's charts, rendered on the server as inline SVG by pygal: no script, no CDN,
nothing fetched by the browser (the service must work on a closed network). pygal's own
stylesheets are inlined into the SVG; its tooltip script, which it would load from the
internet, is switched off (`js=[]`), so every chart prints the values a manager needs."""

import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

# Ours in the admin's blue, competitors in muted tones; sentiment in the colours people read
# without a legend (green, grey, red).
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#222222",
    foreground_subtle="#dddddd",
    font_family="-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
    tooltip_font_size=12,
    title_font_size=15,
    colors=(
        "#417690",
        "#e07b39",
        "#8e6c8a",
        "#5b9a68",
        "#c9a227",
        "#b5525c",
        "#6f8fa8",
        "#9c9c9c",
        "#3d7d7d",
        "#a0522d",
    ),
)
SENTIMENT_STYLE = Style(**{**STYLE.__dict__, "colors": ("#4c9a5a", "#b7b7b7", "#c8453f")})
LOYALTY_STYLE = Style(**{**STYLE.__dict__, "colors": ("#4c9a5a", "#c8453f")})
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
MAX_SERIES = 8  # lines on one chart; the rest are summed as "other"


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 520,
        "height": 320,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "truncate_legend": 28,
        "truncate_label": -1,
        "margin": 12,
        "margin_bottom": 24,
        "spacing": 14,
        "no_data_text": "No mentions in this period",
        **extra,
    }


def _counts_axis(chart, totals: list[float]) -> None:
    """Whole numbers on the axis of a chart of counts (pygal would print 0.2, 0.4, ...)."""
    top = max([0, *totals])
    if top <= 10:
        step = 1
    else:
        magnitude = 10 ** (len(str(int(top))) - 1)
        step = next(m * magnitude for m in (1, 2, 5, 10) if top / (m * magnitude) <= 8)
    chart.y_labels = list(range(0, int(top) + step + 1, step)) if top else [0, 1]
    chart.value_formatter = lambda v: f"{v:,.0f}".replace(",", " ")


def _svg(chart) -> SafeString:
    """The chart's SVG, with no script at all: pygal writes its configuration for its tooltip
    script inline even when that script is not loaded; it does nothing without it."""
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    # pygal builds the SVG with an XML library: every label and value is escaped.
    return mark_safe(f'<div class="chart">{svg}</div>')


def _x_labels(chart, periods: list[str], report: dict) -> None:
    """Days and weeks as DD.MM (a week by its Monday), months as MM.YYYY; the first bucket by
    the range's first day, so a week or month that starts before the range does not look as if
    the chart covered more than was asked."""
    interval = report["interval"]
    periods = [max(p, report["date_from"]) if i == 0 else p for i, p in enumerate(periods)]
    if interval == "month":
        labels = [f"{p[5:7]}.{p[:4]}" for p in periods]
    else:
        labels = [f"{p[8:10]}.{p[5:7]}" for p in periods]
    chart.x_labels = labels
    if len(labels) > 16:
        chart.x_labels_major_every = max(1, len(labels) // 10)
        chart.show_minor_x_labels = False
    chart.x_label_rotation = 0 if len(labels) <= 16 else 30


def share_of_voice_bar(report: dict) -> SafeString:
    """Our subjects in blue, competitors (⚑) in orange: each one's share of the range."""
    chart = pygal.HorizontalBar(
        **_config(
            show_legend=False,
            print_values=True,
            value_formatter=lambda v: f"{v:.1f}%",
            height=max(160, 40 * len(report["subjects"]) + 70),
            range=(0, 100),
        )
    )
    chart.y_labels = [0, 25, 50, 75, 100]
    subjects = list(reversed(report["subjects"]))
    chart.x_labels = [f"{s['name']}{'' if s['is_own'] else ' ⚑'}" for s in subjects]
    chart.add(
        "Share of Voice",
        [
            {
                "value": s["share_percent"],
                "color": STYLE.colors[0] if s["is_own"] else STYLE.colors[1],
            }
            for s in subjects
        ],
    )
    return _svg(chart)


def share_of_voice_over_time(report: dict) -> SafeString:
    chart = pygal.StackedBar(
        **_config(value_formatter=lambda v: f"{v:.0f}%", range=(0, 100), y_title="% of mentions")
    )
    periods = [p["start"] for p in report["periods"]]
    _x_labels(chart, periods, report)
    shown = report["subjects"][:MAX_SERIES]
    for subject in shown:
        chart.add(subject["name"], [p["share_percent"] for p in subject["periods"]])
    rest = report["subjects"][MAX_SERIES:]
    if rest:
        chart.add(
            "other",
            [
                round(sum(s["periods"][i]["share_percent"] for s in rest), 2)
                for i in range(len(periods))
            ],
        )
    return _svg(chart)


def sentiment_over_time(report: dict, source_type: str) -> SafeString:
    chart = pygal.StackedBar(**{**_config(y_title="mentions"), "style": SENTIMENT_STYLE})
    series = report["all"]
    _x_labels(chart, [p["start"] for p in series["periods"]], report)
    for sentiment in ("positive", "neutral", "negative"):
        chart.add(sentiment, [p[source_type][sentiment] for p in series["periods"]])
    _counts_axis(
        chart,
        [
            sum(p[source_type][k] for k in ("positive", "neutral", "negative"))
            for p in series["periods"]
        ],
    )
    return _svg(chart)


def engagement_over_time(report: dict) -> SafeString:
    chart = pygal.StackedBar(**_config(y_title="interactions"))
    _x_labels(chart, [p["start"] for p in report["periods"]], report)
    for name in ("likes", "comments", "reposts"):
        chart.add(name, [p[name] for p in report["periods"]])
    _counts_axis(chart, [p["engagement"] for p in report["periods"]])
    return _svg(chart)


def consumer_cycle_mix(report: dict) -> SafeString:
    rows = [c for c in report["categories"] if c["mentions"]]
    if report["unclassified"]["mentions"]:
        rows.append(report["unclassified"])
    rows.sort(key=lambda c: c["mentions"])
    chart = pygal.HorizontalBar(
        **_config(
            show_legend=False,
            print_values=True,
            height=max(160, 30 * len(rows) + 70),
            value_formatter=lambda v: f"{v:.0f}",
        )
    )
    chart.x_labels = [c["name_en"] for c in rows]
    colours = {"positive": "#4c9a5a", "negative": "#c8453f"}
    chart.add(
        "mentions",
        [
            {"value": c["mentions"], "color": colours.get(c.get("polarity"), STYLE.colors[0])}
            for c in rows
        ],
    )
    return _svg(chart)


def support_against_sla(report: dict) -> SafeString:
    """Per category: the median and 90th-percentile first response, in hours, beside the SLA."""
    rows = [c for c in report["categories"] if c["key"]][:MAX_SERIES]
    # Horizontal: a category's name stays readable however many there are (side by side under
    # vertical bars, nine names ran into one another).
    chart = pygal.HorizontalBar(**_config(value_formatter=lambda v: f"{v:.1f} h"))
    chart.x_labels = [c["name"] or c["key"] for c in rows]

    def hours(seconds):
        return None if seconds is None else round(seconds / 3600, 2)

    chart.add("median", [hours(c["first_response_median_seconds"]) for c in rows])
    chart.add("90%", [hours(c["first_response_p90_seconds"]) for c in rows])
    chart.add(
        "SLA",
        [round(c["sla_minutes"] / 60, 2) if c["sla_minutes"] else None for c in rows],
    )
    return _svg(chart)


def advocates_over_time(report: dict) -> SafeString:
    chart = pygal.Line(**{**_config(y_title="authors"), "style": LOYALTY_STYLE})
    _x_labels(chart, [p["start"] for p in report["periods"]], report)
    chart.add("advocates", [p["advocates"] for p in report["periods"]])
    chart.add("detractors", [p["detractors"] for p in report["periods"]])
    _counts_axis(chart, [max(p["advocates"], p["detractors"]) for p in report["periods"]])
    return _svg(chart)
