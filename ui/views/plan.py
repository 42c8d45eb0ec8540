"""Plan: the next 14 days, week by week: planned workouts, pending, published and failed
proposals, each with its card; and hours per week, done, planned and proposed."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach import dashboard, display
from coach.session import ProposalStatus as S
from ui import charts, context
from ui.cards import proposal_card
from ui.text import plain

MARK = {S.PENDING: "○ proposed", S.PUBLISHING: "… publishing", S.PUBLISHED: "✓ confirmed",
        S.FAILED: "✗ not published"}


def page() -> None:
    coach = context.coach()
    st.header("Plan: the next 14 days")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your plan.")
        return
    board = coach.board()
    days = dashboard.plan_days(board, 14)
    for week in (days[:7], days[7:]):
        columns = st.columns(7)
        for column, day in zip(columns, week, strict=True):
            with column:
                calendar_day(day, board)
        st.divider()
    st.subheader("Hours per week")
    chart, _ = st.columns([3, 2])  # seven weeks of bars read best at about half the page
    chart.altair_chart(charts.plan_week_chart(dashboard.plan_week_rows(board),
                                              today=board.today), width="stretch")
    chart.caption("Done, still planned on your calendar, and proposed by the coach (on your "
                  "calendar once you confirm them).")
    open_cards = [p for d in days for p in d["proposals"]]
    if open_cards:
        st.subheader("Proposals")
        for proposal in open_cards:
            proposal_card(coach, proposal)
    else:
        st.caption("No proposals in the next 14 days: ask the coach on the Coach page.")


def calendar_day(day: dict[str, Any], board: dashboard.Board) -> None:
    """One day's column: its date, planned events and proposals, or `rest`."""
    st.markdown(f"**{display.day(day['day'], board.today)}**")
    for event in day["events"]:
        what = " · ".join(part for part in (
            (event.category or "").replace("_", " ").title(), event.type) if part)
        length = display.duration(event.moving_time) if event.moving_time else ""
        st.caption(f"{what}  \n{plain(event.name or '')} {length}".rstrip())
    for p in day["proposals"]:
        st.markdown(f"{MARK[p.status]}  \n{p.sport} · {plain(p.name)} · "
                    f"{display.duration(p.duration_s)}")
    if not day["events"] and not day["proposals"]:
        st.caption("rest")


page()
