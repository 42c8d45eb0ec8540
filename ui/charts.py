"""Altair charts (Altair ships with Streamlit and renders offline).

Every chart the product draws is built here, from the row shapes of `coach.app.rows`, and is
drawn in tests to SVG (tests/test_charts.py). The rules they follow:

* dates on axes and in tooltips are text for people (`coach.display`): weeks are an ordinal
  axis of `23 Nov` labels, days a UTC time axis (an ISO date is midnight UTC, so the day
  never slips in a browser west of Greenwich); no field is read as two different types;
* every axis has a title with its unit; every legend fits (below the chart, wrapped);
* tooltips show `coach.display` text (`5h54m`, `week of 23 Nov`, `78%`);
* no data -> a chart that says what is missing (`empty_message`), not an empty frame;
* theme-neutral colours (mid tones that read on light and dark backgrounds); no text colour
  is set except on the empty message, a grey that reads on both.

The heights are the plot's: the axes and legend are added around it (`style.PLOT_HEIGHT`, an
autosize `fit-x` that Streamlit keeps); pages should not override them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import altair as alt

from coach import display

from . import chart_style as style
from .chart_style import (
    DAY_TITLE,
    EXTRA_COLOURS,
    FITNESS_COLOURS,
    INTENSITY_COLOURS,
    MEASURES,
    PHASE_COLOURS,
    PLAN_COLOURS,
    RACE_COLOUR,
    SEASON_COLOURS,
    SPORT_COLOURS,
    ZONE_COLOURS,
    ZONE_DOMAIN,
)
from .chart_style import EMPTY_MESSAGES as EMPTY_MESSAGES
from .chart_style import empty_message as empty_message
from .chart_style import message_chart as message_chart

# ----------------------------------------------------------------------------- fitness


def fitness_chart(rows: list[dict[str, Any]], races: list[dict[str, Any]],
                  *, today: date | None = None) -> alt.LayerChart | alt.FacetChart | alt.Chart:
    """CTL, ATL and form per day; the forecast dashed ahead of today; races inside the
    drawn days as vertical rules with their names.
    rows: {"day": "2026-11-01", "fitness (CTL)": 61.8, "fatigue (ATL)": 70.2, "form": -8.4,
    "kind": "history" | "forecast", "band": "productive"}; races: {"day", "race",
    "category"}."""
    points = _fitness_points(rows, today)
    if not points:
        return style.empty_chart("fitness")
    first, last = min(p["day"] for p in points), max(p["day"] for p in points)
    shown = [_race_point(race, today) for race in races
             if (day := display.as_date(race.get("day"))) and first <= day.isoformat() <= last]
    layers = [_fitness_lines(points), *_race_layers(shown, first, last)]
    return alt.layer(*layers).properties(height=250, autosize=style.PLOT_HEIGHT)


def _fitness_points(rows: list[dict[str, Any]], today: date | None) -> list[dict[str, Any]]:
    """One point per day and measure that has a value."""
    points = []
    for r in rows:
        day = display.as_date(r.get("day"))
        if day is None:
            continue
        for measure in FITNESS_COLOURS:
            value = style.number(r.get(measure))
            if value is None:
                continue
            points.append({
                "day": day.isoformat(), "date": display.day(day, today), "measure": measure,
                "value": round(value, 1),
                "value text": display.signed(value) if measure == "form"
                else display.load(value),
                "kind": r.get("kind") or "history", "band": r.get("band") or display.MISSING})
    return points


def _fitness_lines(points: list[dict[str, Any]]) -> alt.Chart:
    measures = [m for m in FITNESS_COLOURS if any(p["measure"] == m for p in points)]
    kinds = [k for k in ("history", "forecast") if any(p["kind"] == k for p in points)]
    return alt.Chart(alt.Data(values=points)).mark_line(point=len(points) <= 3).encode(
        x=style.day_x(),
        y=style.y_axis("value:Q", "load per day (fitness, fatigue, form)"),
        color=alt.Color("measure:N", scale=alt.Scale(
            domain=measures, range=[FITNESS_COLOURS[m] for m in measures]),
            legend=style.legend(measures, columns=1)),  # two legends side by side fit a phone
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(
            domain=kinds, range=[[1, 0] if k == "history" else [4, 4] for k in kinds]),
            legend=style.legend(kinds, columns=1)),
        tooltip=[alt.Tooltip("date:N", title="day"), alt.Tooltip("measure:N"),
                 alt.Tooltip("value text:N", title="value"), alt.Tooltip("kind:N"),
                 alt.Tooltip("band:N", title="form band")])


def _race_point(race: dict[str, Any], today: date | None) -> dict[str, Any]:
    day = display.as_date(race.get("day"))
    assert day is not None  # the caller kept only races with a day
    return {"day": day.isoformat(), "date": display.day(day, today),
            "race": race.get("race") or "race", "category": _race_category(race.get("category"))}


def _race_layers(shown: list[dict[str, Any]], first: str, last: str) -> list[alt.Chart]:
    """A rule per race, its name right of the rule, or left of it in the last third of the
    drawn days (never off the chart)."""
    if not shown:
        return []
    tooltip = [alt.Tooltip("race:N"), alt.Tooltip("date:N", title="day"),
               alt.Tooltip("category:N")]
    layers = [alt.Chart(alt.Data(values=shown)).mark_rule(
        color=RACE_COLOUR, strokeWidth=2).encode(x=alt.X("day:T", title=DAY_TITLE),
                                                 tooltip=tooltip)]
    start = date.fromisoformat(first)
    span = max(1, (date.fromisoformat(last) - start).days)
    late = [(date.fromisoformat(r["day"]) - start).days / span > 0.66 for r in shown]
    for left_of_rule in (False, True):
        names = [r for r, is_late in zip(shown, late, strict=True) if is_late == left_of_rule]
        if names:
            layers.append(alt.Chart(alt.Data(values=names)).mark_text(
                color=RACE_COLOUR, align="right" if left_of_rule else "left",
                dx=-4 if left_of_rule else 4, baseline="top", dy=2, fontSize=12,
                limit=180).encode(
                x=alt.X("day:T", title=DAY_TITLE), y=alt.value(0), text="race:N",
                tooltip=tooltip))
    return layers


def _race_category(category: Any) -> str:
    """`RACE_A` -> `A race`."""
    text = str(category or "race")
    if text.upper().startswith("RACE_") and len(text) > 5:
        return f"{text[5:].upper()} race"
    return text.replace("_", " ").lower()


# ------------------------------------------------------------------------------ weekly


def _week_totals(rows: list[dict[str, Any]], measure: str,
                 by_month: bool = False) -> dict[tuple[date, str], list[float]]:
    """(Monday or 1st of the month, sport) -> [hours, load, km, sessions], from rows that
    have `measure`."""
    totals: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for r in rows:
        when = display.as_date(r.get("month" if by_month else "week"))
        if when is None or style.number(r.get(measure)) is None:
            continue
        bucket = when.replace(day=1) if by_month else style.monday(when)
        t = totals[(bucket, r.get("sport") or "Other")]
        for i, key in enumerate(("hours", "load", "km", "sessions")):
            t[i] += style.number(r.get(key)) or 0.0
    return totals


def _bar_names(by_month: bool, today: date | None) -> tuple[Any, Any, str]:
    """A bar's axis label, its tooltip text and the axis title: by week or by month."""
    if by_month:
        def month(d: date) -> str:
            return style.month_label(d, today)
        return month, month, style.MONTH_TITLE
    return (lambda d: display.day_month(d, today)), (lambda d: display.week_of(d, today)), \
        style.WEEK_TITLE


def weekly_chart(rows: list[dict[str, Any]], measure: str, *, today: date | None = None,
                 weeks: list[Any] | None = None, by_month: bool = False) -> alt.Chart:
    """Stacked bars per week (or per calendar month) by sport: `measure` is hours, load or km.
    rows: {"week": "2026-11-23", "sport": "Ride", "hours": 5.9, "load": 380, "km": 160.0,
    "sessions": 3} ("month": "2026-11-01" instead of "week" by month). `weeks`: the Mondays
    (or months) to show (default: the rows' first to last); those without activities stay on
    the axis, empty."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}")
    totals = _week_totals(rows, measure, by_month)
    if not any(t[("hours", "load", "km").index(measure)] for t in totals.values()):
        return style.empty_chart("weekly")
    listed = [d for d in (display.as_date(w) for w in weeks or []) if d is not None]
    starts = (style.months if by_month else style.mondays)(listed + [w for w, _ in totals])
    label, text, title = _bar_names(by_month, today)
    sports = sorted({s for _, s in totals},
                    key=lambda s: (list(SPORT_COLOURS).index(s) if s in SPORT_COLOURS
                                   else len(SPORT_COLOURS), s))
    values = [{"week": w.isoformat(), "week label": label(w), "week text": text(w),
               "sport": sport, "hours": round(t[0], 2), "load": round(t[1]),
               "km": round(t[2], 1), "time": display.hours(t[0]),
               "load text": display.load(t[1]), "distance": display.km(t[2] * 1000),
               "sessions": int(t[3])}
              for (w, sport), t in sorted(totals.items())]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=style.week_x([label(m) for m in starts], title),
        y=style.y_axis(f"{measure}:Q", MEASURES[measure], stack="zero"),
        color=alt.Color("sport:N", scale=alt.Scale(
            domain=sports, range=style.colours(sports, SPORT_COLOURS)),
            legend=style.legend(sports)),
        order=alt.Order("sport:N"),
        tooltip=[alt.Tooltip("week text:N", title="month" if by_month else "week"),
                 alt.Tooltip("sport:N"), alt.Tooltip("time:N"), alt.Tooltip("distance:N"),
                 alt.Tooltip("load text:N", title="load"), alt.Tooltip("sessions:Q")],
    ).properties(height=180, autosize=style.PLOT_HEIGHT)


# --------------------------------------------------------------------------- intensity


def intensity_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """Time below, around and above threshold as one horizontal bar of exactly 100 %.
    rows: {"intensity": "below threshold (Z1-Z2)", "hours": 12.3, "share": 78}; shares that
    do not add up to 100 are re-apportioned (largest remainder)."""
    kept = [r for r in rows if r.get("intensity")]
    shares = [style.number(r.get("share")) for r in kept]
    if any(s is None for s in shares) or sum(s or 0 for s in shares) <= 0:
        shares = [style.number(r.get("hours")) for r in kept]
    whole = [int(s) for s in shares if s is not None and float(s).is_integer()]
    if len(whole) != len(kept) or sum(whole) != 100:
        whole = display.largest_remainder(shares, 100)
    if not kept or sum(whole) != 100:
        return style.empty_chart("intensity")
    names = [str(r["intensity"]) for r in kept]
    values = [{"intensity": name, "share": share, "order": i, "share text": display.pct(share),
               "time": display.hours(style.number(r.get("hours")))}
              for i, (name, share, r) in enumerate(zip(names, whole, kept, strict=True))]
    colours = (INTENSITY_COLOURS + EXTRA_COLOURS)[:len(names)]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=alt.X("share:Q", title="share of time in zones (%)", stack="zero",
                scale=alt.Scale(domain=[0, 100], nice=False),
                axis=alt.Axis(values=[0, 25, 50, 75, 100])),
        color=alt.Color("intensity:N", scale=alt.Scale(domain=names, range=colours),
                        legend=style.legend(names, columns=1)),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("intensity:N"), alt.Tooltip("share text:N", title="share"),
                 alt.Tooltip("time:N")],
    ).properties(height=36, autosize=style.PLOT_HEIGHT)


# ---------------------------------------------------------------------------- wellness

WELLNESS_TICKS = 6   # HRV from 54 to 84 ms: a tick every 5 ms, not 60, 70 and 80 only
_WELLNESS_TEXT = {"(ms)": lambda v: display.number(v, 0, "ms"), "(bpm)": display.bpm,
                  "(h)": display.hours}


def _wellness_text(measure: str, value: Any) -> str:
    for unit, text in _WELLNESS_TEXT.items():
        if measure.endswith(unit):
            return text(value)
    return display.number(value, 1)


def wellness_chart(rows: list[dict[str, Any]], measure: str, *,
                   today: date | None = None) -> alt.LayerChart | alt.FacetChart | alt.Chart:
    """One measure per day against the athlete's own normal band (60-day mean ± 1 SD).
    rows: {"day", "measure": "HRV (ms)", "value", "normal low", "normal high"} (the band's
    ends may be None); rows of other measures are left out."""
    values = []
    for r in rows:
        day = display.as_date(r.get("day"))
        value = style.number(r.get("value"))
        if r.get("measure") != measure or day is None or value is None:
            continue
        low, high = style.number(r.get("normal low")), style.number(r.get("normal high"))
        band = (f"{_wellness_text(measure, low)} to {_wellness_text(measure, high)}"
                if low is not None and high is not None else display.MISSING)
        values.append({"day": day.isoformat(), "date": display.day(day, today),
                       "value": value, "value text": _wellness_text(measure, value),
                       "normal low": low, "normal high": high, "normal": band})
    if not values:
        return style.empty_chart("wellness", measure)
    name = measure.split(" (")[0]  # "HRV (ms)" -> "HRV": the value text carries the unit
    tooltip = [alt.Tooltip("date:N", title="day"), alt.Tooltip("value text:N", title=name),
               alt.Tooltip("normal:N", title="your normal range")]
    layers: list[Any] = []
    banded = [v for v in values if v["normal low"] is not None and v["normal high"] is not None]
    if banded:
        layers.append(alt.Chart(alt.Data(values=banded)).mark_area(
            opacity=0.25, color="#9c9c9c").encode(
            x=style.day_x(), y=style.y_axis("normal low:Q", measure, WELLNESS_TICKS,
                                            scale=alt.Scale(zero=False)),
            y2="normal high:Q", tooltip=tooltip))
    layers.append(alt.Chart(alt.Data(values=values)).mark_line(
        point=len(values) <= 120, color="#4e79a7").encode(  # a year of dots hides the line
        x=style.day_x(), y=style.y_axis("value:Q", measure, WELLNESS_TICKS,
                                        scale=alt.Scale(zero=False)),
        tooltip=tooltip))
    return alt.layer(*layers).properties(height=150, autosize=style.PLOT_HEIGHT)


# ----------------------------------------------------------------------------- workout


def workout_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """A workout's intensity over time, one area per step coloured by zone (ramps slope).
    rows: {"segment": 0, "minute": 0.0, "intensity": 65.0, "zone": "Z2" | "no target",
    "step": "8m 95-100%"}, a start and an end row per segment."""
    values = []
    for r in rows:
        minute, pct = style.number(r.get("minute")), style.number(r.get("intensity"))
        if minute is None or pct is None:
            continue
        zone = r.get("zone") if r.get("zone") in ZONE_DOMAIN else "no target"
        values.append({"segment": r.get("segment", 0), "minute": minute, "intensity": pct,
                       "zone": zone, "step": r.get("step") or display.MISSING,
                       "at": display.duration(minute * 60),
                       "intensity text": display.pct(pct)})
    if not values or max(v["minute"] for v in values) <= 0:
        return style.empty_chart("workout")
    zones = [z for z in ZONE_DOMAIN if any(v["zone"] == z for v in values)]
    return alt.Chart(alt.Data(values=values)).mark_area(opacity=0.9).encode(
        x=alt.X("minute:Q", title="time (minutes)", scale=alt.Scale(nice=False)),
        y=style.y_axis("intensity:Q", "intensity (% of threshold)", stack=None),
        detail="segment:N",
        color=alt.Color("zone:N", scale=alt.Scale(
            domain=zones, range=[ZONE_COLOURS[ZONE_DOMAIN.index(z)] for z in zones]),
            legend=style.legend(zones, columns=len(zones))),
        tooltip=[alt.Tooltip("step:N"), alt.Tooltip("zone:N"),
                 alt.Tooltip("intensity text:N", title="intensity"),
                 alt.Tooltip("at:N", title="at")],
    ).properties(height=170, autosize=style.PLOT_HEIGHT)


# ------------------------------------------------------------------------------- plan


def plan_week_chart(rows: list[dict[str, Any]], *, today: date | None = None) -> alt.Chart:
    """Hours per week: done, still planned on the calendar, and proposed (not on it yet),
    stacked, recent weeks then the coming ones.
    rows: {"week": "2026-11-23", "kind": "done" | "planned" | "proposed", "hours": 6.5}."""
    totals: dict[tuple[date, str], float] = defaultdict(float)
    for r in rows:
        week, value = display.as_date(r.get("week")), style.number(r.get("hours"))
        if week is None or value is None or r.get("kind") not in PLAN_COLOURS:
            continue
        totals[(style.monday(week), r["kind"])] += value
    if not any(totals.values()):
        return style.empty_chart("plan")
    mondays = style.mondays([w for w, _ in totals])
    labels = [display.day_month(m, today) for m in mondays]
    kinds = [k for k in PLAN_COLOURS if any(kind == k for _, kind in totals)]
    values = [{"week": w.isoformat(), "week label": display.day_month(w, today),
               "week text": display.week_of(w, today), "kind": kind, "hours": round(h, 2),
               "time": display.hours(h), "order": kinds.index(kind)}
              for (w, kind), h in sorted(totals.items())]
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        x=style.week_x(labels),
        y=style.y_axis("hours:Q", "time (hours)", stack="zero"),
        color=alt.Color("kind:N", scale=alt.Scale(
            domain=kinds, range=[PLAN_COLOURS[k] for k in kinds]),
            legend=style.legend(kinds, columns=len(kinds))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("week text:N", title="week"), alt.Tooltip("kind:N"),
                 alt.Tooltip("time:N")],
    ).properties(height=180, autosize=style.PLOT_HEIGHT)


# ------------------------------------------------------------------------------ season


def season_chart(rows: list[dict[str, Any]], races: list[dict[str, Any]], *,
                 today: date | None = None) -> alt.LayerChart | alt.FacetChart | alt.Chart:
    """A season week by week: its phase as a band behind each week, the week's target hours
    beside what was done, and the races marked on their week.
    rows: {"week": "2026-11-30", "phase": "base" | "build" | "peak" | "taper" | "return",
    "lighter": bool, "target hours": 8.5, "done hours": 7.9 | None};
    races: {"day", "race", "category"}."""
    weeks = [(d, r) for r in rows if (d := display.as_date(r.get("week")))]
    if not weeks:
        return style.empty_chart("season")
    mondays = style.mondays([d for d, _ in weeks])
    labels = [display.day_month(m, today) for m in mondays]
    top = math.ceil(max((style.number(r.get(k)) or 0.0 for _, r in weeks
                         for k in ("target hours", "done hours")), default=0.0) * 1.15) or 1
    bands = [{"week label": display.day_month(d, today), "week text": display.week_of(d, today),
              "phase": r.get("phase") or "base", "top": top,
              "what": (r.get("phase") or "base") + (", lighter week" if r.get("lighter")
                                                    else "")} for d, r in weeks]
    bars = [{"week label": display.day_month(d, today), "week text": display.week_of(d, today),
             "kind": kind, "hours": value, "time": display.hours(value)}
            for d, r in weeks for kind, key in (("target", "target hours"),
                                                 ("done", "done hours"))
            if (value := style.number(r.get(key))) is not None]
    phases = [p for p in PHASE_COLOURS if any(b["phase"] == p for b in bands)]
    kinds = [k for k in SEASON_COLOURS if any(b["kind"] == k for b in bars)]
    # One colour scale, so one legend (it wraps in a phone's width): the bars, then the bands.
    names = [*kinds, *phases]
    colours = alt.Scale(domain=names, range=[{**SEASON_COLOURS, **PHASE_COLOURS}[n]
                                             for n in names])
    layers: list[Any] = [alt.Chart(alt.Data(values=bands)).mark_bar(
        opacity=0.35, width={"band": 1}).encode(
        x=style.week_x(labels), y=style.y_axis("top:Q", "time (hours)"),
        color=alt.Color("phase:N", scale=colours,
                        legend=style.legend(names, columns=2, symbolOpacity=1)),
        tooltip=[alt.Tooltip("week text:N", title="week"),
                 alt.Tooltip("what:N", title="this week is")])]
    if bars:
        layers.append(alt.Chart(alt.Data(values=bars)).mark_bar().encode(
            x=style.week_x(labels), xOffset=alt.XOffset("kind:N", sort=kinds),
            y=style.y_axis("hours:Q", "time (hours)"),
            color=alt.Color("kind:N", scale=colours,
                            legend=style.legend(names, columns=2, symbolOpacity=1)),
            tooltip=[alt.Tooltip("week text:N", title="week"), alt.Tooltip("kind:N"),
                     alt.Tooltip("time:N")]))
    layers += _season_races(races, mondays, today, top)
    return alt.layer(*layers).properties(height=220, autosize=style.PLOT_HEIGHT)


def _season_races(races: list[dict[str, Any]], mondays: list[date], today: date | None,
                  top: float) -> list[alt.Chart]:
    """Each race inside the season as a flag over its week, named."""
    shown = []
    for race in races:
        day = display.as_date(race.get("day"))
        if day is None or not mondays or not mondays[0] <= day <= mondays[-1] + \
                timedelta(days=6):
            continue
        shown.append({"week label": display.day_month(style.monday(day), today),
                      "race": race.get("race") or "race", "top": top,
                      "date": display.day(day, today),
                      "category": _race_category(race.get("category"))})
    if not shown:
        return []
    tooltip = [alt.Tooltip("race:N"), alt.Tooltip("date:N", title="day"),
               alt.Tooltip("category:N")]
    x = alt.X("week label:O", sort=[display.day_month(m, today) for m in mondays])
    return [alt.Chart(alt.Data(values=shown)).mark_point(
                shape="triangle-down", size=120, filled=True, color=RACE_COLOUR).encode(
                x=x, y=alt.Y("top:Q"), tooltip=tooltip),
            alt.Chart(alt.Data(values=shown)).mark_text(
                color=RACE_COLOUR, align="right", dx=-8, dy=2, fontSize=12, limit=180).encode(
                x=x, y=alt.Y("top:Q"), text="race:N", tooltip=tooltip)]


SERIES = {"fitness (CTL)": FITNESS_COLOURS["fitness (CTL)"], "form": FITNESS_COLOURS["form"]}


def season_forecast_chart(rows: list[dict[str, Any]], races: list[dict[str, Any]], *,
                          today: date | None = None) -> alt.LayerChart | alt.FacetChart | alt.Chart:
    """Fitness (CTL) and form to race day: the weeks done solid, the forecast if the season's
    targets are met dashed, one legend (it fits a phone's width), the races marked.
    rows: fitness_rows' shape ({"day", "fitness (CTL)", "form", "kind"}); races as
    fitness_chart's."""
    points = [{**p, "series": p["measure"] + (", forecast" if p["kind"] == "forecast" else "")}
              for p in _fitness_points(rows, today) if p["measure"] in SERIES]
    if not points:
        return style.empty_chart("fitness")
    names = [f"{m}{k}" for m in SERIES for k in ("", ", forecast")
             if any(p["series"] == f"{m}{k}" for p in points)]
    legend = style.legend(names, columns=2)
    first, last = min(p["day"] for p in points), max(p["day"] for p in points)
    shown = [_race_point(race, today) for race in races
             if (day := display.as_date(race.get("day"))) and first <= day.isoformat() <= last]
    lines = alt.Chart(alt.Data(values=points)).mark_line().encode(
        x=style.day_x(), y=style.y_axis("value:Q", "load per day (fitness, form)"),
        color=alt.Color("series:N", scale=alt.Scale(
            domain=names, range=[SERIES[n.split(",")[0]] for n in names]), legend=legend),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(
            domain=names, range=[[4, 4] if "forecast" in n else [1, 0] for n in names]),
            legend=legend),
        tooltip=[alt.Tooltip("date:N", title="day"), alt.Tooltip("series:N", title="line"),
                 alt.Tooltip("value text:N", title="value"),
                 alt.Tooltip("band:N", title="form band")])
    return alt.layer(lines, *_race_layers(shown, first, last)).properties(
        height=200, autosize=style.PLOT_HEIGHT)
