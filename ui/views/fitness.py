"""Fitness: fitness, fatigue and form with the forecast ahead; load and hours by sport;
intensity; wellness against the athlete's own normal range."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

from datetime import timedelta

import streamlit as st

from coach import analysis, display
from coach.app import Scope
from coach.app.rows import (
    BY_WEEK_DAYS,
    RANGES,
    WELLNESS_FIELDS,
    first_day,
    fitness_rows,
    intensity_rows,
    monthly_rows,
    period_days,
    race_rows,
    weekly_rows,
    wellness_rows,
)

from .. import browser_session, charts


def page() -> None:
    coach = browser_session.coach()
    st.header("Fitness")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your fitness.")
        return
    scope = coach.scope()
    period = st.segmented_control("Period", list(RANGES), default="3 months",
                                  key="fitness-range") or "3 months"
    days = period_days(scope, RANGES[period])
    # one period for every chart below: it once drove the top chart only, silently
    span = f"the last {period.removeprefix('1 ')}" if RANGES[period] else \
        f"all your history, from {display.day(first_day(scope), scope.today)}"
    st.caption(f"Every chart below shows {span}"
               f"{', hours and load by month' if days > BY_WEEK_DAYS else ''}.")
    fitness(scope, RANGES[period])
    weekly(scope, days, RANGES[period])
    intensity(scope, -(-days // 7))
    wellness(scope, days)


def fitness(scope: Scope, days: int) -> None:
    rows = fitness_rows(scope, days)
    if not rows:
        st.info(charts.empty_message("fitness"))
        return
    st.altair_chart(charts.fitness_chart(rows, race_rows(scope), today=scope.today),
                    width="stretch")
    latest = next(r for r in reversed(rows) if r["kind"] == "history")
    st.caption(f"Latest, {display.day(latest['day'], scope.today)}: fitness "
               f"{display.load(latest['fitness (CTL)'])}, fatigue "
               f"{display.load(latest['fatigue (ATL)'])}, form {display.signed(latest['form'])} "
               f"({latest['band']}). Dashed: if the planned and proposed workouts are done.")


def weekly(scope: Scope, days: int, asked: int) -> None:
    """Hours and load by sport: by week up to 6 months, by month beyond (`asked`: the
    period's days as chosen, 0 for all history)."""
    by_month = days > BY_WEEK_DAYS
    if by_month:
        rows = monthly_rows(scope, asked)
        bars = [scope.today - timedelta(days=days - 1), scope.today]   # the months between
    else:
        weeks = -(-days // 7)
        rows = weekly_rows(scope, weeks)
        first = analysis.monday(scope.today) - timedelta(weeks=weeks - 1)
        bars = [first + timedelta(weeks=i) for i in range(weeks)]
    left, right = st.columns(2)
    for column, measure, title in ((left, "hours", "Hours by sport"),
                                   (right, "load", "Load by sport")):
        with column:
            st.subheader(title)
            if rows:
                st.altair_chart(charts.weekly_chart(rows, measure, today=scope.today,
                                                    weeks=bars, by_month=by_month),
                                width="stretch")
            else:
                st.caption(charts.empty_message("weekly"))


def intensity(scope: Scope, weeks: int) -> None:
    st.subheader("Intensity distribution")
    rows = intensity_rows(scope, weeks)
    if not rows:
        st.caption(charts.empty_message("intensity"))
        return
    st.altair_chart(charts.intensity_chart(rows), width="stretch")
    st.caption(" · ".join(f"{r['intensity']}: {display.pct(r['share'])} "
                          f"({display.hours(r['hours'])})" for r in rows))


def wellness(scope: Scope, days: int) -> None:
    st.subheader("Wellness")
    rows = wellness_rows(scope, days)
    if not rows:
        st.caption(charts.empty_message("wellness"))
        return
    for measure in WELLNESS_FIELDS:
        if any(r["measure"] == measure for r in rows):
            st.altair_chart(charts.wellness_chart(rows, measure, today=scope.today),
                            width="stretch")
        else:
            st.caption(charts.empty_message("wellness", _in_a_sentence(measure)))
    st.caption("Grey band: your own normal range (60-day mean ± 1 standard deviation).")



def _in_a_sentence(measure: str) -> str:
    """`Sleep (h)` -> `sleep`, `Resting HR (bpm)` -> `resting HR`, `HRV (ms)` -> `HRV`."""
    name = measure.split(" (")[0]
    return name if name.split()[0].isupper() else name[0].lower() + name[1:]


page()
