"""Altair charts (Altair ships with Streamlit and renders offline). Theme-neutral colours so
they read in light and dark themes."""

from __future__ import annotations

from typing import Any

import altair as alt

SPORT_COLOURS = {"Ride": "#4e79a7", "Run": "#e15759", "Swim": "#76b7b2", "Other": "#bab0ac"}
FITNESS_COLOURS = {"fitness (CTL)": "#4e79a7", "fatigue (ATL)": "#f28e2b", "form": "#59a14f"}


def fitness_chart(rows: list[dict[str, Any]], races: list[dict[str, Any]]) -> alt.LayerChart:
    """CTL, ATL and form; the forecast dotted ahead of today; races as vertical rules."""
    data = alt.Data(values=rows)
    base = alt.Chart(data).transform_fold(list(FITNESS_COLOURS), as_=["measure", "value"])
    colour = alt.Color("measure:N", scale=alt.Scale(domain=list(FITNESS_COLOURS),
                                                    range=list(FITNESS_COLOURS.values())))
    line = base.mark_line().encode(
        x=alt.X("day:T", title=None), y=alt.Y("value:Q", title="load units"), color=colour,
        strokeDash=alt.StrokeDash("kind:N", scale=alt.Scale(
            domain=["history", "forecast"], range=[[1, 0], [4, 4]]), title=None),
        tooltip=["day:T", "measure:N", "value:Q", "kind:N", "band:N"])
    layers: list[Any] = [line]
    if races:
        rules = alt.Chart(alt.Data(values=races)).mark_rule(color="#b07aa1", strokeWidth=2)
        layers.append(rules.encode(x="day:T", tooltip=["race:N", "day:T", "category:N"]))
    return alt.layer(*layers).properties(height=300)


def weekly_chart(rows: list[dict[str, Any]], measure: str) -> alt.Chart:
    """Stacked bars per week by sport (hours or load)."""
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("week:O", title="week starting", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y(f"{measure}:Q", title=measure, stack="zero"),
        color=alt.Color("sport:N", scale=alt.Scale(domain=list(SPORT_COLOURS),
                                                   range=list(SPORT_COLOURS.values()))),
        tooltip=["week:T", "sport:N", "hours:Q", "load:Q", "km:Q", "sessions:Q"],
    ).properties(height=220)


def intensity_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("share:Q", title="% of time", stack="zero"),
        color=alt.Color("intensity:N", scale=alt.Scale(
            domain=[r["intensity"] for r in rows], range=["#59a14f", "#edc948", "#e15759"])),
        tooltip=["intensity:N", "hours:Q", "share:Q"],
    ).properties(height=70)


def wellness_chart(rows: list[dict[str, Any]], measure: str) -> alt.LayerChart:
    """One measure against the athlete's own normal band (60-day mean ± 1 SD)."""
    data = alt.Chart(alt.Data(values=rows)).transform_filter(
        alt.datum.measure == measure)
    band = data.mark_area(opacity=0.25, color="#9c9c9c").encode(
        x=alt.X("day:T", title=None), y=alt.Y("normal low:Q", title=measure,
                                              scale=alt.Scale(zero=False)),
        y2="normal high:Q")
    line = data.mark_line(point=True, color="#4e79a7").encode(
        x="day:T", y="value:Q", tooltip=["day:T", "value:Q", "normal low:Q", "normal high:Q"])
    return alt.layer(band, line).properties(height=160)
