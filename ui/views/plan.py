"""Plan: the season to the A race (or the way to plan one), then this week and the next 4,
Monday to Sunday: what is done, planned and proposed each day, and each week's hours against
the recent weeks. A planned workout can be moved, replaced or deleted from the calendar itself:
that makes a change proposal, confirmed on its card."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

from datetime import date

import streamlit as st

from coach import display
from coach.app import Coach, Proposal, plan
from coach.app import ProposalKind as K
from coach.app import ProposalStatus as S
from coach.records import Event
from coach.workout import MAX_TEXT_CHARS

from .. import browser_session, charts
from ..cards import act, flash, proposal_card
from ..plan_card import weeks_card
from ..season import season_section
from ..text import plain

MARK = {S.PENDING: "○ proposed", S.PUBLISHING: "… publishing", S.PUBLISHED: "✓ confirmed",
        S.FAILED: "✗ not published"}
CHANGE = {K.WORKOUT: "", K.MOVE: "move: ", K.REPLACE: "new text: ", K.DELETE: "delete: "}


def page() -> None:
    coach = browser_session.coach()
    st.header("Plan: the next 4 weeks")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your plan.")
        return
    season_section(coach)
    weeks, recent = plan.calendar(coach), plan.recent_hours(coach)
    for week in weeks:
        week_row(coach, week, recent)
    st.subheader("Hours per week")
    chart, _ = st.columns([3, 2])  # eleven weeks of bars read best at about half the page
    chart.altair_chart(charts.plan_week_chart(plan.week_rows(coach), today=coach.today()),
                       width="stretch")
    chart.caption("Done, still planned on your calendar, and proposed by the coach (on your "
                  "calendar once you confirm them).")
    proposals(coach, [p for w in weeks for d in w.days for p in d.proposals])


def week_row(coach: Coach, week: plan.CalendarWeek, recent: float | None) -> None:
    """A week's totals against the recent weeks, then its seven days."""
    today = coach.today()
    parts = {"done": week.done_hours, "planned": week.planned_hours,
             "proposed": week.proposed_hours}
    total = sum(parts.values())
    said = ", ".join(f"{what} {display.hours(h)}" for what, h in parts.items() if h)
    versus = f" · your last 6 weeks: {display.hours(recent)} a week" if recent else ""
    title = display.week_of(week.monday, today)
    st.markdown(f"**{title[0].upper() + title[1:]}** — "
                f"{f'{display.hours(total)}: {said}' if total else 'nothing yet'}{versus}")
    for column, day in zip(st.columns(7), week.days, strict=True):
        with column:
            calendar_day(coach, day, today)
    st.divider()


def calendar_day(coach: Coach, day: plan.CalendarDay, today: date) -> None:
    """One day: its date, what was done, what is planned (with Change) and proposed."""
    label = display.day(day.day, today)
    st.markdown(f"**{label}**" if day.day == today else label)
    for a in day.done:
        length = display.duration(a.moving_time) if a.moving_time else ""
        sport = a.type or ("Strava import" if a.unavailable else "activity")
        st.caption(f"✓ done · {plain(sport)}  \n{plain(a.name or '')} {length}".rstrip())
    confirmed = {p.event_id: p for p in day.proposals if p.status == S.PUBLISHED}
    for event in day.events:
        if event.id not in confirmed:
            what = event.type if event.category == "WORKOUT" and event.type else \
                (event.category or "").replace("_", " ").title()
            length = display.duration(event.moving_time) if event.moving_time else ""
            st.caption(f"{plain(what)}  \n{plain(event.name or '')} {length}".rstrip())
        if event.category == "WORKOUT" and day.day >= today:
            change_control(coach, event, today)
    for p in day.proposals:
        st.markdown(f"{MARK[p.status]}  \n{CHANGE[p.kind]}{p.sport} · {plain(p.name)} · "
                    f"{display.duration(p.duration_s)}")
    if not (day.done or day.events or day.proposals):
        st.caption("rest")


def change_control(coach: Coach, event: Event, today: date) -> None:
    """Move, replace or delete a planned workout: each proposes the change, nothing more."""
    with st.popover("Change", key=f"change-{event.id}"):
        st.markdown(f"**{plain(event.name or 'Workout')}** · {display.day(event.day, today)}")
        new_day = st.selectbox("Move to", plan.move_days(coach, event), index=None,
                               format_func=lambda d: display.day(d, today),
                               placeholder="Pick a day", key=f"move-day-{event.id}")
        if st.button("Propose the move", key=f"move-{event.id}", disabled=new_day is None):
            propose(coach, event.id, "move", new_day=new_day)
        text = st.text_area("Workout text", (event.description or "")[:MAX_TEXT_CHARS],
                            height=140, max_chars=MAX_TEXT_CHARS,
                            key=f"replace-text-{event.id}")
        if st.button("Propose this text", key=f"replace-{event.id}"):
            propose(coach, event.id, "replace", text=text)
        if st.button("Propose deleting it", key=f"delete-{event.id}"):
            propose(coach, event.id, "delete")


def propose(coach: Coach, event_id: int, action: str, *, new_day: date | None = None,
            text: str = "") -> None:
    def make() -> None:
        made = plan.propose_change(coach, event_id, K(action), new_day, text)
        flash(f"Change proposed for {plain(made.name)}: confirm it on its card below.",
              "success")
    act(make)


def proposals(coach: Coach, shown: list[Proposal]) -> None:
    """The cards: one per multi-week plan (by week), then each other proposal."""
    plan_ids = list(dict.fromkeys(p.plan_id for p in shown if p.plan_id is not None))
    others = [p for p in shown if p.plan_id is None]
    if not shown:
        st.caption("No proposals in these weeks: ask the coach on the Coach page, or change a "
                   "planned workout above.")
        return
    st.subheader("Proposals")
    for plan_id in plan_ids:
        card = plan.plan_card(coach, [p for p in shown if p.plan_id == plan_id])
        if card is not None:
            weeks_card(coach, card)
    for proposal in others:
        proposal_card(coach, proposal)


page()
