"""Altair charts (Altair ships with Streamlit and renders offline).

Every chart the product draws is built here, from the row shapes of `coach.dashboard`, and is
drawn in tests to SVG (tests/test_charts.py). The rules they follow:

* dates on axes and in tooltips are text for people (`coach.display`): weeks are an ordinal
  axis of `23 Nov` labels, days a UTC time axis (an ISO date is midnight UTC, so the day
  never slips in a browser west of Greenwich); no field is read as two different types;
* every axis has a title with its unit; every legend fits (below the chart, wrapped);
* tooltips show `coach.display` text (`5h54m`, `week of 23 Nov`, `78%`);
* no data -> a chart that says what is missing (`empty_message`), not an empty frame;
* theme-neutral colours (mid tones that read on light and dark backgrounds); no text colour
  is set except on the empty message, a grey that reads on both.

The heights are the whole chart's, legend and axes included: Streamlit sizes charts with
autosize `fit` (`st.altair_chart(..., width="stretch")`); pages should not override them.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
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
MESSAGE_COLOUR = "#808495"  # grey text that reads on white and on Streamlit's dark theme

WEEK_TITLE = "week (starting Monday)"
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
}


def empty_message(kind: str, measure: str | None = None) -> str:
    """The sentence a page (or a chart) shows instead of a chart without data.
    kind: fitness, weekly, intensity, wellness (optionally for one `measure`), workout,
    plan."""
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


def _empty(kind: str, measure: str | None = None, height: int = 80) -> alt.Chart:
    return message_chart(empty_message(kind, measure), height)


# ----------------------------------------------------------------------------- helpers


def _number(value: Any) -> float | None:
    return None if display.is_missing(value) else float(value)


def _legend(labels: list[str], title: str | None = None, columns: int | None = None,
            **kwargs: Any) -> alt.Legend:
    """A legend below the chart, wrapped in rows short enough for a half-width column."""
    if columns is None:
        width = sum(len(label) + 5 for label in labels)
        columns = len(labels) if width <= 40 else max(1, min(len(labels), 2))
    return alt.Legend(orient="bottom", direction="horizontal", columns=columns, title=title,
                      labelLimit=0, symbolLimit=0, **kwargs)


def _colours(domain: list[str], known: dict[str, str]) -> list[str]:
    extra = iter(EXTRA_COLOURS * (1 + len(domain) // len(EXTRA_COLOURS)))
    return [known.get(name) or next(extra) for name in domain]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _mondays(weeks: list[date]) -> list[date]:
    """Every Monday from the first week to the last (empty weeks stay on the axis)."""
    if not weeks:
        return []
    first, last = min(weeks), max(weeks)
    first -= timedelta(days=first.weekday())
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def _week_x(labels: list[str]) -> alt.X:
    return alt.X("week label:O", title=WEEK_TITLE, sort=labels,
                 scale=alt.Scale(domain=labels),
                 axis=alt.Axis(labelAngle=-45 if len(labels) > 6 else 0, labelLimit=0))


def _y(field: str, title: str, **kwargs: Any) -> alt.Y:
    """A y axis whose title (with its unit) reads horizontally above the plot: a rotated
    title longer than a short chart's plot would be cut off."""
    return alt.Y(field, title=title, axis=alt.Axis(
        titleAngle=0, titleAlign="left", titleAnchor="end", titleBaseline="bottom",
        titleX=0, titleY=-10), **kwargs)


def _day_x() -> alt.X:
    """Days on a UTC time axis, labelled `4 Dec` (a year on its 1 January tick)."""
    return alt.X("day:T", title=DAY_TITLE, scale=alt.Scale(type="utc"), axis=alt.Axis(
        labelBound=True,  # a tick label that would stick out of the chart is not drawn
        labelExpr="utcmonth(datum.value) == 0 && utcdate(datum.value) == 1 "
                  "? utcFormat(datum.value, '%Y') : utcFormat(datum.value, '%-d %b')"))


# ----------------------------------------------------------------------------- fitness


def fitness_chart(rows: list[dict[str, Any]], races: list[dict[str, Any]],
                  *, today: date | None = None) -> alt.LayerChart | alt.Chart:
    """CTL, ATL and form per day; the forecast dashed ahead of today; races inside the
    drawn days as vertical rules with their names.
    rows: {"day": "2026-11-01", "fitness (CTL)": 61.8, "fatigue (ATL)": 70.2, "form": -8.4,
    "kind": "history" | "forecast", "band": "productive"}; races: {"day", "race",
    "category"}."""
    points = []
    for r in rows:
        day = display.as_date(r.get("day"))
        if day is None:
            continue
        for measure in FITNESS_COLOURS:
            value = _number(r.get(measure))
            if value is None:
                continue
            points.append({
                "day": day.isoformat(), "date": display.day(day, today), "measure": measure,
                "value": round(value, 1),
                "value text": display.signed(value) if measure == "form"
                else display.load(value),
                "kind": r.get("kind") or "history", "band": r.get("band") or display.MISSING})
    if not points:
        return _empty("fitness")
    measures = [m for m in FITNESS_COLOURS if any(p["measure"] == m for p in points)]
    kinds = [k for k in ("history", "forecast") if any(p["kind"] == k for p in points)]
    line = alt.Chart(alt.Data(values=points)).mark_line(point=len(points) <= 3).encode(
        x=_day_x(),
        y=_y("value:Q", "load per day (fitness, fatigue, form)"),
        color=alt.Color("measure:N", scale=alt.Scale(
            domain=measures, range=[FITNESS_COLOURS[m] for m in measures]),
            legend=_legend(measures, columns=len(measures))),
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(
            domain=kinds, range=[[1, 0] if k == "history" else [4, 4] for k in kinds]),
            legend=_legend(kinds, columns=len(kinds))),
        tooltip=[alt.Tooltip("date:N", title="day"), alt.Tooltip("measure:N"),
                 alt.Tooltip("value text:N", title="value"), alt.Tooltip("kind:N"),
                 alt.Tooltip("band:N", title="form band")])
    layers: list[Any] = [line]
    first, last = min(p["day"] for p in points), max(p["day"] for p in points)
    shown = []
    for race in races:
        day = display.as_date(race.get("day"))
        if day is None or not first <= day.isoformat() <= last:
            continue
        shown.append({"day": day.isoformat(), "date": display.day(day, today),
                      "race": race.get("race") or "race",
                      "category": _race_category(race.get("category"))})
    if shown:
        tooltip = [alt.Tooltip("race:N"), alt.Tooltip("date:N", title="day"),
                   alt.Tooltip("category:N")]
        layers.append(alt.Chart(alt.Data(values=shown)).mark_rule(
            color=RACE_COLOUR, strokeWidth=2).encode(x=alt.X("day:T", title=DAY_TITLE),
                                                     tooltip=tooltip))
        # names right of their rule, or left of it in the last third (never off the chart)
        span = max(1, (date.fromisoformat(last) - date.fromisoformat(first)).days)
        late = [(date.fromisoformat(r["day"]) - date.fromisoformat(first)).days / span > 0.66
                for r in shown]
        for left_of_rule in (False, True):
            names = [r for r, is_late in zip(shown, late, strict=True) if is_late == left_of_rule]
            if names:
                layers.append(alt.Chart(alt.Data(values=names)).mark_text(
                    color=RACE_COLOUR, align="right" if left_of_rule else "left",
                    dx=-4 if left_of_rule else 4, baseline="top", dy=2, fontSize=12).encode(
                    x=alt.X("day:T", title=DAY_TITLE), y=alt.value(0), text="race:N",
                    tooltip=tooltip))
    return alt.layer(*layers).properties(height=340)


def _race_category(category: Any) -> str:
    """`RACE_A` -> `A race`."""
    text = str(category or "race")
    if text.upper().startswith("RACE_") and len(text) > 5:
        return f"{text[5:].upper()} race"
    return text.replace("_", " ").lower()


# ------------------------------------------------------------------------------ weekly


def weekly_chart(rows: list[dict[str, Any]], measure: str, *, today: date | None = None,
                 weeks: list[Any] | None = None) -> alt.Chart:
    """Stacked bars per week by sport: `measure` is hours, load or km.
    rows: {"week": "2026-11-23", "sport": "Ride", "hours": 5.9, "load": 380, "km": 160.0,
    "sessions": 3}. `weeks`: the Mondays to show (default: first to last week of the rows);
    weeks without activities stay on the axis, empty."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}")
    totals: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for r in rows:
        week = display.as_date(r.get("week"))
        if week is None or _number(r.get(measure)) is None:
            continue
        t = totals[(_monday(week), r.get("sport") or "Other")]
        for i, key in enumerate(("hours", "load", "km", "sessions")):
            t[i] += _number(r.get(key)) or 0.0
    if not any(t[("hours", "load", "km").index(measure)] for t in totals.values()):
        return _empty("weekly")
    listed = [d for d in (display.as_date(w) for w in weeks or []) if d is not None]
    mondays = _mondays(listed + [w for w, _ in totals])
    labels = [display.day_month(m, today) for m in mondays]
    sports = sorted({s for _, s in totals},
                    key=lambda s: (list(SPORT_COLOURS).index(s) if s in SPORT_COLOURS
                                   else len(SPORT_COLOURS), s))
    values = [{"week": w.isoformat(), "week label": display.day_month(w, today),
               "week text": display.week_of(w, today), "sport": sport,
               "hours": round(t[0], 2), "load": round(t[1]), "km": round(t[2], 1),
               "time": display.hours(t[0]), "load text": display.load(t[1]),
               "distance": display.km(t[2] * 1000), "sessions": int(t[3])}
              for (w, sport), t in sorted(totals.items())]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=_week_x(labels),
        y=_y(f"{measure}:Q", MEASURES[measure], stack="zero"),
        color=alt.Color("sport:N", scale=alt.Scale(
            domain=sports, range=_colours(sports, SPORT_COLOURS)), legend=_legend(sports)),
        order=alt.Order("sport:N"),
        tooltip=[alt.Tooltip("week text:N", title="week"), alt.Tooltip("sport:N"),
                 alt.Tooltip("time:N"), alt.Tooltip("distance:N"),
                 alt.Tooltip("load text:N", title="load"), alt.Tooltip("sessions:Q")],
    ).properties(height=280)


# --------------------------------------------------------------------------- intensity


def intensity_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """Time below, around and above threshold as one horizontal bar of exactly 100 %.
    rows: {"intensity": "below threshold (Z1-Z2)", "hours": 12.3, "share": 78}; shares that
    do not add up to 100 are re-apportioned (largest remainder)."""
    kept = [r for r in rows if r.get("intensity")]
    shares = [_number(r.get("share")) for r in kept]
    if any(s is None for s in shares) or sum(s or 0 for s in shares) <= 0:
        shares = [_number(r.get("hours")) for r in kept]
    whole = [int(s) for s in shares if s is not None and float(s).is_integer()]
    if len(whole) != len(kept) or sum(whole) != 100:
        whole = display.largest_remainder(shares, 100)
    if not kept or sum(whole) != 100:
        return _empty("intensity")
    names = [str(r["intensity"]) for r in kept]
    values = [{"intensity": name, "share": share, "order": i, "share text": display.pct(share),
               "time": display.hours(_number(r.get("hours")))}
              for i, (name, share, r) in enumerate(zip(names, whole, kept, strict=True))]
    colours = (INTENSITY_COLOURS + EXTRA_COLOURS)[:len(names)]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("share:Q", title="share of time in zones (%)", stack="zero",
                scale=alt.Scale(domain=[0, 100], nice=False),
                axis=alt.Axis(values=[0, 25, 50, 75, 100])),
        color=alt.Color("intensity:N", scale=alt.Scale(domain=names, range=colours),
                        legend=_legend(names, columns=1)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("intensity:N"), alt.Tooltip("share text:N", title="share"),
                 alt.Tooltip("time:N")],
    ).properties(height=190)


# ---------------------------------------------------------------------------- wellness

_WELLNESS_TEXT = {"(ms)": lambda v: display.number(v, 0, "ms"), "(bpm)": display.bpm,
                  "(h)": display.hours}


def _wellness_text(measure: str, value: Any) -> str:
    for unit, text in _WELLNESS_TEXT.items():
        if measure.endswith(unit):
            return text(value)
    return display.number(value, 1)


def wellness_chart(rows: list[dict[str, Any]], measure: str, *,
                   today: date | None = None) -> alt.LayerChart | alt.Chart:
    """One measure per day against the athlete's own normal band (60-day mean ± 1 SD).
    rows: {"day", "measure": "HRV (ms)", "value", "normal low", "normal high"} (the band's
    ends may be None); rows of other measures are left out."""
    values = []
    for r in rows:
        day = display.as_date(r.get("day"))
        value = _number(r.get("value"))
        if r.get("measure") != measure or day is None or value is None:
            continue
        low, high = _number(r.get("normal low")), _number(r.get("normal high"))
        band = (f"{_wellness_text(measure, low)} to {_wellness_text(measure, high)}"
                if low is not None and high is not None else display.MISSING)
        values.append({"day": day.isoformat(), "date": display.day(day, today),
                       "value": value, "value text": _wellness_text(measure, value),
                       "normal low": low, "normal high": high, "normal": band})
    if not values:
        return _empty("wellness", measure)
    name = measure.split(" (")[0]  # "HRV (ms)" -> "HRV": the value text carries the unit
    tooltip = [alt.Tooltip("date:N", title="day"), alt.Tooltip("value text:N", title=name),
               alt.Tooltip("normal:N", title="your normal range")]
    layers: list[Any] = []
    banded = [v for v in values if v["normal low"] is not None and v["normal high"] is not None]
    if banded:
        layers.append(alt.Chart(alt.Data(values=banded)).mark_area(
            opacity=0.25, color="#9c9c9c").encode(
            x=_day_x(), y=_y("normal low:Q", measure, scale=alt.Scale(zero=False)),
            y2="normal high:Q", tooltip=tooltip))
    layers.append(alt.Chart(alt.Data(values=values)).mark_line(
        point=True, color="#4e79a7").encode(
        x=_day_x(), y=_y("value:Q", measure, scale=alt.Scale(zero=False)),
        tooltip=tooltip))
    return alt.layer(*layers).properties(height=200)


# ----------------------------------------------------------------------------- workout


def workout_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """A workout's intensity over time, one area per step coloured by zone (ramps slope).
    rows: {"segment": 0, "minute": 0.0, "intensity": 65.0, "zone": "Z2" | "no target",
    "step": "8m 95-100%"}, a start and an end row per segment."""
    values = []
    for r in rows:
        minute, pct = _number(r.get("minute")), _number(r.get("intensity"))
        if minute is None or pct is None:
            continue
        zone = r.get("zone") if r.get("zone") in ZONE_DOMAIN else "no target"
        values.append({"segment": r.get("segment", 0), "minute": minute, "intensity": pct,
                       "zone": zone, "step": r.get("step") or display.MISSING,
                       "at": display.duration(minute * 60),
                       "intensity text": display.pct(pct)})
    if not values or max(v["minute"] for v in values) <= 0:
        return _empty("workout")
    zones = [z for z in ZONE_DOMAIN if any(v["zone"] == z for v in values)]
    return alt.Chart(alt.Data(values=values)).mark_area(opacity=0.9).encode(
        x=alt.X("minute:Q", title="time (minutes)", scale=alt.Scale(nice=False)),
        y=_y("intensity:Q", "intensity (% of threshold)", stack=None),
        detail="segment:N",
        color=alt.Color("zone:N", scale=alt.Scale(
            domain=zones, range=[ZONE_COLOURS[ZONE_DOMAIN.index(z)] for z in zones]),
            legend=_legend(zones, columns=len(zones))),
        tooltip=[alt.Tooltip("step:N"), alt.Tooltip("zone:N"),
                 alt.Tooltip("intensity text:N", title="intensity"),
                 alt.Tooltip("at:N", title="at")],
    ).properties(height=220)


# ------------------------------------------------------------------------------- plan


def plan_week_chart(rows: list[dict[str, Any]], *, today: date | None = None) -> alt.Chart:
    """Hours per week: done, still planned on the calendar, and proposed (not on it yet),
    stacked, recent weeks then the coming ones.
    rows: {"week": "2026-11-23", "kind": "done" | "planned" | "proposed", "hours": 6.5}."""
    totals: dict[tuple[date, str], float] = defaultdict(float)
    for r in rows:
        week, value = display.as_date(r.get("week")), _number(r.get("hours"))
        if week is None or value is None or r.get("kind") not in PLAN_COLOURS:
            continue
        totals[(_monday(week), r["kind"])] += value
    if not any(totals.values()):
        return _empty("plan")
    mondays = _mondays([w for w, _ in totals])
    labels = [display.day_month(m, today) for m in mondays]
    kinds = [k for k in PLAN_COLOURS if any(kind == k for _, kind in totals)]
    values = [{"week": w.isoformat(), "week label": display.day_month(w, today),
               "week text": display.week_of(w, today), "kind": kind, "hours": round(h, 2),
               "time": display.hours(h), "order": kinds.index(kind)}
              for (w, kind), h in sorted(totals.items())]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=_week_x(labels),
        y=_y("hours:Q", "time (hours)", stack="zero"),
        color=alt.Color("kind:N", scale=alt.Scale(
            domain=kinds, range=[PLAN_COLOURS[k] for k in kinds]),
            legend=_legend(kinds, columns=len(kinds))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("week text:N", title="week"), alt.Tooltip("kind:N"),
                 alt.Tooltip("time:N")],
    ).properties(height=260)
