"""Fitness: fitness, fatigue and form with the forecast ahead; load and hours by sport;
intensity; wellness against the athlete's own normal range."""

from __future__ import annotations

import streamlit as st

from coach import dashboard
from ui import context
from ui.charts import fitness_chart, intensity_chart, weekly_chart, wellness_chart


def page() -> None:
    coach = context.coach()
    st.header("Fitness")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your fitness.")
        return
    board = coach.board()
    period = st.segmented_control("Period", list(dashboard.RANGES), default="3 months",
                                  key="fitness-range") or "3 months"
    days = dashboard.RANGES[period]
    rows = dashboard.fitness_rows(board, days)
    if not rows:
        st.info("No fitness data yet (CTL/ATL come from Intervals.icu's wellness records).")
    else:
        st.altair_chart(fitness_chart(rows, dashboard.race_rows(board)), width="stretch")
        latest = next(r for r in reversed(rows) if r["kind"] == "history")
        st.caption(f"Latest {latest['day']}: fitness {latest['fitness (CTL)']}, fatigue "
                   f"{latest['fatigue (ATL)']}, form {latest['form']} ({latest['band']}). "
                   "Dotted: if the planned and proposed workouts are done.")
    weeks = max(4, min(26, (days or 365) // 7))
    weekly = dashboard.weekly_rows(board, weeks)
    left, right = st.columns(2)
    with left:
        st.subheader("Hours by sport")
        st.altair_chart(weekly_chart(weekly, "hours"), width="stretch")
    with right:
        st.subheader("Load by sport")
        st.altair_chart(weekly_chart(weekly, "load"), width="stretch")
    st.subheader("Intensity distribution")
    intensity = dashboard.intensity_rows(board, weeks)
    if intensity:
        st.altair_chart(intensity_chart(intensity), width="stretch")
        st.caption(" · ".join(f"{r['intensity']}: {r['share']}% ({r['hours']} h)"
                              for r in intensity))
    else:
        st.caption("No zone data in this period.")
    st.subheader("Wellness")
    wellness = dashboard.wellness_rows(board, min(days or 365, 182))
    if not wellness:
        st.caption("No wellness data: no device or app sends HRV, resting HR or sleep to "
                   "Intervals.icu.")
    for measure in dashboard.WELLNESS_FIELDS:
        if any(r["measure"] == measure for r in wellness):
            st.altair_chart(wellness_chart(wellness, measure), width="stretch")
    st.caption("Grey band: your own normal range (60-day mean ± 1 standard deviation).")


page()
