"""What every chart shares: colours, axis titles and axes, legends, and the sentence a chart
without data shows instead. `ui.charts` builds the charts from these (its docstring has the rules).
"""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import Any

import altair as alt

from coach import display

SPORT_COLOURS = {"Ride": "#4e79a7", "Run": "#e15759", "Swim": "#76b7b2", "Other": "#bab0ac"}
EXTRA_COLOURS = ["#9c755f", "#b07aa1", "#ff9da7", "#edc948", "#59a14f", "#f28e2b"]
FITNESS_COLOURS = {"fitness (CTL)": "#4e79a7", "fatigue (ATL)": "#f28e2b", "form": "#59a14f"}
INTENSITY_COLOURS = ["#59a14f", "#edc948", "#e15759"]
ZONE_DOMAIN = ["no target", "Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7"]
ZONE_COLOURS = ["#9e9e9e", "#7fb3d5", "#52be80", "#f4d03f", "#eb984e", "#e74c3c", "#8e44ad",
                "#5b2c6f"]
PLAN_COLOURS = {"done": "#4e79a7", "planned": "#a0cbe8", "proposed": "#f28e2b"}
RACE_COLOUR = "#b07aa1"
# Phase bands behind a season's weeks: light tones, so the bars in front read on both themes.
PHASE_COLOURS = {"base": "#8cd17d", "build": "#f1ce63", "peak": "#ff9d9a", "taper": "#a0cbe8",
                 "return": "#d4a6c8"}
SEASON_COLOURS = {"target": "#bab0ac", "done": "#4e79a7"}
MESSAGE_COLOUR = "#808495"  # grey text that reads on white and on Streamlit's dark theme

# A chart's `height` is its plot's, with the axes and legend added around it. Streamlit's
# default (`fit`) squeezes the plot into the height instead: in the browser's wider fonts a
# 220 px workout chart kept a 49 px plot, with ticks at 0 and 50 only.
PLOT_HEIGHT = alt.AutoSizeParams(type="fit-x", contains="padding")

WEEK_TITLE = "week (starting Monday)"
MONTH_TITLE = "month"
DAY_TITLE = "date"
MEASURES = {"hours": "time (hours)", "load": "load (Intervals.icu load units)",
            "km": "distance (km)"}

EMPTY_MESSAGES = {
    "fitness": "No fitness data yet: CTL and ATL come from Intervals.icu's wellness records. "
               "Sync with Intervals.icu to fetch them.",
    "weekly": "No activities in these weeks: hours and load by sport appear once activities "
              "are synced from Intervals.icu.",
    "intensity": "No time-in-zone data in this period: Intervals.icu needs heart-rate or "
                 "power zones on the activities.",
    "wellness": "No wellness data in this period: no device or app sends HRV, resting HR or "
                "sleep to Intervals.icu.",
    "workout": "Nothing to draw: this workout has no step with a duration.",
    "plan": "No workouts in these weeks: nothing done, planned or proposed.",
    "season": "No season yet: plan one to your A race to see its phases and weekly targets.",
}


def empty_message(kind: str, measure: str | None = None) -> str:
    """The sentence a page (or a chart) shows instead of a chart without data.
    kind: fitness, weekly, intensity, wellness (optionally for one `measure`), workout,
    plan, season."""
    if kind == "wellness" and measure:
        return (f"No {measure} values in this period: no device or app sends them to "
                "Intervals.icu.")
    if kind not in EMPTY_MESSAGES:
        raise ValueError(f"unknown chart kind {kind!r}; one of {sorted(EMPTY_MESSAGES)}")
    return EMPTY_MESSAGES[kind]


def message_chart(text: str, height: int = 80) -> alt.Chart:
    """A chart that only says `text` (wrapped), for a chart without data."""
    lines = textwrap.wrap(text, 40)  # fits a half-width column
    chart = alt.Chart(alt.Data(values=[{}])).mark_text(
        align="center", baseline="middle", fontSize=14, lineHeight=20, color=MESSAGE_COLOUR,
    ).encode(text=alt.value(lines))
    return chart.properties(height=max(height, 20 * len(lines) + 20)).configure_view(
        strokeWidth=0)


def empty_chart(kind: str, measure: str | None = None, height: int = 80) -> alt.Chart:
    return message_chart(empty_message(kind, measure), height)


def number(value: Any) -> float | None:
    return None if display.is_missing(value) else float(value)


def legend(labels: list[str], title: str | None = None, columns: int | None = None,
            **kwargs: Any) -> alt.Legend:
    """A legend below the chart, wrapped in rows short enough for a half-width column."""
    if columns is None:
        width = sum(len(label) + 5 for label in labels)
        columns = len(labels) if width <= 40 else max(1, min(len(labels), 2))
    return alt.Legend(orient="bottom", direction="horizontal", columns=columns, title=title,
                      labelLimit=0, symbolLimit=0, **kwargs)


def colours(domain: list[str], known: dict[str, str]) -> list[str]:
    extra = iter(EXTRA_COLOURS * (1 + len(domain) // len(EXTRA_COLOURS)))
    return [known.get(name) or next(extra) for name in domain]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def mondays(weeks: list[date]) -> list[date]:
    """Every Monday from the first week to the last (empty weeks stay on the axis)."""
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    first -= timedelta(days=first.weekday())
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def months(days: list[date]) -> list[date]:
    """The 1st of every month from the first day's month to the last's (empty ones kept)."""
    if not days:
        return []
    first, last = min(days), max(days)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(count)]


def month_label(day: date, today: date | None = None) -> str:
    """`Sep`, or `Sep 2025` when not in today's year."""
    year = "" if today is not None and day.year == today.year else f" {day.year}"
    return f"{display.MONTHS[day.month - 1]}{year}"


def week_x(labels: list[str], title: str = WEEK_TITLE) -> alt.X:
    return alt.X("week label:O", title=title, sort=labels,
                 scale=alt.Scale(domain=labels),
                 axis=alt.Axis(labelAngle=-45 if len(labels) > 6 else 0, labelLimit=0))


def y_axis(field: str, title: str, tick_count: int | None = None, **kwargs: Any) -> alt.Y:
    """A y axis whose title (with its unit) reads horizontally above the plot: a rotated
    title longer than a short chart's plot would be cut off. `tick_count`: about how many
    ticks (Vega's default, one per 40 px, gives a narrow range only 3)."""
    return alt.Y(field, title=title, axis=alt.Axis(
        titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom",
        titleX=0, titleY=-10, tickCount=alt.Undefined if tick_count is None else tick_count),
        **kwargs)


def day_x() -> alt.X:
    """Days on a UTC time axis, labelled `4 Dec` (a year on its 1 January tick)."""
    return alt.X("day:T", title=DAY_TITLE, scale=alt.Scale(type="utc"), axis=alt.Axis(
        labelBound=True,  # a tick label that would stick out of the chart is not drawn
        labelExpr="utcmonth(datum.value) == 0 && utcdate(datum.value) == 1 "
                  "? utcFormat(datum.value, '%Y') : utcFormat(datum.value, '%-d %b')"))
