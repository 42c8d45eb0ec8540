"""Plan: the next 14 days, week by week: planned workouts, pending, published and failed
proposals, each with its card."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coach import dashboard
from coach.session import ProposalStatus as S
from coach.workout import format_duration
from ui import context
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
    days = dashboard.plan_days(coach.board(), 14)
    for week in (days[:7], days[7:]):
        columns = st.columns(7)
        for column, day in zip(columns, week, strict=True):
            with column:
                when = date.fromisoformat(day["day"])
                st.markdown(f"**{when:%a %d %b}**")
                for event in day["events"]:
                    minutes = format_duration(int(event.moving_time)) if event.moving_time \
                        else ""
                    st.caption(f"{event.category.replace('_', ' ').title()} · {event.type or ''}"
                               f"  \n{plain(event.name or '')} {minutes}")
                for p in day["proposals"]:
                    st.markdown(f"{MARK[p.status]}  \n{p.sport} · {plain(p.name)}")
                if not day["events"] and not day["proposals"]:
                    st.caption("rest")
        st.divider()
    open_cards = [p for d in days for p in d["proposals"]]
    if open_cards:
        st.subheader("Proposals")
        for proposal in open_cards:
            proposal_card(coach, proposal)
    else:
        st.caption("No proposals in the next 14 days: ask the coach on the Coach page.")


page()
