"""Plan: the season to the A race (or the way to plan one), then this week and the next 4,
Monday to Sunday: what is done, planned and proposed each day, and each week's hours against
the recent weeks. A planned workout can be moved, replaced or deleted from the calendar itself:
that makes a change proposal, confirmed on its card."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

from datetime import date, timedelta

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
# a planned workout that a confirmed proposal put on the calendar (or changed) says so
CONFIRMED = {K.WORKOUT: "✓ confirmed", K.MOVE: "✓ moved here", K.REPLACE: "✓ new text",
             K.DELETE: "✓ deleted"}
OPEN = (S.PENDING, S.FAILED, S.PUBLISHING)
WEEK = "plan-week"   # the week shown, 0 = this week (a UI flag, kept while the session lasts)


def page() -> None:
    coach = browser_session.coach()
    st.header("Plan: the next 4 weeks")
    if coach.athlete_id is None:
        st.info("Sync with Intervals.icu (the button in the sidebar) to see your plan.")
        return
    season_section(coach)
    weeks, recent = plan.calendar(coach), plan.recent_hours(coach)
    shown = week_picker(coach, weeks, recent)
    week = weeks[shown]
    every = list({p.id: p for w in weeks for d in w.days for p in d.proposals}.values())
    elsewhere(weeks, shown, every, coach.today())
    week_days(coach, week, every)
    # the cards of this week's own proposals sit under its days, where the athlete acted
    here = [p for p in every if p.plan_id is None and in_week(p, week.monday)]
    for proposal in here:
        proposal_card(coach, proposal)
    st.subheader("Hours per week")
    chart, _ = st.columns([3, 2])  # eleven weeks of bars read best at about half the page
    chart.altair_chart(charts.plan_week_chart(plan.week_rows(coach), today=coach.today()),
                       width="stretch")
    chart.caption("Done, still planned on your calendar, and proposed by the coach (on your "
                  "calendar once you confirm them).")
    proposals(coach, [p for p in every if p not in here], bool(here))


def in_week(p: Proposal, monday: date, moved_in: bool = False) -> bool:
    """Proposed for a day of the week, or moving a workout out of it (`moved_in`: only the
    day it lands on counts)."""
    last = (monday + timedelta(days=6)).isoformat()
    days = (p.new_day or p.day,) if moved_in else (p.day, p.new_day)
    return any(d and monday.isoformat() <= d <= last for d in days)


def week_picker(coach: Coach, weeks: list[plan.CalendarWeek], recent: float | None) -> int:
    """The shown week's totals and Previous / Next: one week at a time keeps a phone's page
    short (seven days stack into one column there)."""
    last = len(weeks) - 1
    shown = min(max(int(st.session_state.get(WEEK, 0)), 0), last)
    st.markdown(week_line(weeks[shown], coach.today(), recent))
    with st.container(horizontal=True, vertical_alignment="center", key="plan-week-picker"):
        st.button("← Previous week", key="week-previous", on_click=show_week,
                  args=(shown - 1,), disabled=shown == 0,
                  help="This week is the first one the plan shows." if shown == 0 else None)
        st.button("Next week →", key="week-next", on_click=show_week, args=(shown + 1,),
                  disabled=shown == last,
                  help=f"The plan shows {last + 1} weeks: this one and the next {last}."
                  if shown == last else None)
        st.caption(f"Week {shown + 1} of {last + 1}")
    return shown


def elsewhere(weeks: list[plan.CalendarWeek], shown: int, every: list[Proposal],
              today: date) -> None:
    """What the coach proposed (and was confirmed) in the weeks not shown, so none goes
    unseen: `Other weeks: week of 7 Dec: 2 ○ proposed, 1 ✓ confirmed`."""
    said = []
    for i, week in enumerate(weeks):
        landing = [p for p in every if in_week(p, week.monday, moved_in=True)]
        counts = [f"{n} {mark}" for mark, n in (
            (MARK[S.PENDING], sum(p.status in (S.PENDING, S.FAILED) for p in landing)),
            (MARK[S.PUBLISHED], sum(p.status == S.PUBLISHED for p in landing))) if n]
        if counts and i != shown:
            where = "this week" if i == 0 else display.week_of(week.monday, today)
            said.append(f"{where}: {', '.join(counts)}")
    if said:
        st.caption(f"Other weeks: {' · '.join(said)}.")


def show_week(index: int) -> None:
    st.session_state[WEEK] = index


def week_line(week: plan.CalendarWeek, today: date, recent: float | None) -> str:
    """`**This week** — 4h44m: done 1h49m, planned 2h55m · your last 6 weeks: …`."""
    parts = {"done": week.done_hours, "planned": week.planned_hours,
             "proposed": week.proposed_hours}
    total = sum(parts.values())
    said = ", ".join(f"{what} {display.hours(h)}" for what, h in parts.items() if h)
    versus = f" · your last 6 weeks: {display.hours(recent)} a week" if recent else ""
    title = "this week" if week.monday <= today else display.week_of(week.monday, today)
    return (f"**{title[0].upper() + title[1:]}** — "
            f"{f'{display.hours(total)}: {said}' if total else 'nothing yet'}{versus}")


def week_days(coach: Coach, week: plan.CalendarWeek, every: list[Proposal]) -> None:
    """The week's seven days side by side (stacked on a phone)."""
    today = coach.today()
    moves = {p.target_event_id: p for p in every if p.kind == K.MOVE and p.status in OPEN}
    gone = [p for p in every if p.kind == K.MOVE and p.status == S.PUBLISHED]
    for column, day in zip(st.columns(7), week.days, strict=True):
        with column, st.container(key=f"plan-day-{day.day.isoformat()}"):
            calendar_day(coach, day, today, moves,
                         [p for p in gone if p.day == day.day.isoformat()])


def calendar_day(coach: Coach, day: plan.CalendarDay, today: date,
                 moves: dict[int | None, Proposal], moved_out: list[Proposal]) -> None:
    """One day: its date, what was done, what is planned (with Change) and proposed, and
    what a confirmed move took to another day."""
    label = display.day(day.day, today)
    st.markdown(f"**{label}**" if day.day == today else label)
    for a in day.done:
        sport = a.type or ("Strava import" if a.unavailable else "activity")
        st.caption(f"✓ done · {plain(sport)}  \n"
                   f"{plain(plan.titled(a.name or '', a.moving_time))}".rstrip())
    confirmed = {p.event_id: p for p in day.proposals if p.status == S.PUBLISHED}
    for event in day.events:
        planned_event(coach, event, day, confirmed.get(event.id), moves.get(event.id), today)
    for p in day.proposals:
        if p.status == S.PUBLISHED and p.event_id in {e.id for e in day.events}:
            continue     # shown as the planned workout it became
        st.markdown(f"{MARK[p.status]}  \n{CHANGE[p.kind]}{p.sport} · "
                    f"{plain(plan.titled(p.name, p.duration_s))}")
    for p in moved_out:
        st.caption(f"✓ moved to {display.day(p.new_day, today)}  \n{plain(p.name)}")
    if not (day.done or day.events or day.proposals or moved_out):
        st.caption("rest")


def planned_event(coach: Coach, event: Event, day: plan.CalendarDay,
                  confirmed: Proposal | None, move: Proposal | None, today: date) -> None:
    """A planned workout (or race, or note): what, its name and length, then its Change."""
    what = event.type if event.category == "WORKOUT" and event.type else \
        (event.category or "").replace("_", " ").title()
    mark = f"{CONFIRMED[confirmed.kind]} · " if confirmed else ""
    name = plan.titled(event.name or "", day.lengths.get(event.id))
    st.caption(f"{mark}{plain(what)}  \n{plain(name)}".rstrip())
    if move is not None and move.new_day:
        st.caption(f"○ move to {display.day(move.new_day, today)} proposed")
    if event.category == "WORKOUT" and day.day >= today:
        change_control(coach, event, today)


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


def proposals(coach: Coach, shown: list[Proposal], any_above: bool) -> None:
    """The cards not under the week shown: one per multi-week plan (by week), then the other
    weeks' proposals (`any_above`: the week shown has its own)."""
    plan_ids = list(dict.fromkeys(p.plan_id for p in shown if p.plan_id is not None))
    others = [p for p in shown if p.plan_id is None]
    if not shown:
        if not any_above:
            st.caption("No proposals in these weeks: ask the coach on the Coach page, or "
                       "change a planned workout above.")
        return
    st.subheader("Proposals")
    for plan_id in plan_ids:
        card = plan.plan_card(coach, [p for p in shown if p.plan_id == plan_id])
        if card is not None:
            weeks_card(coach, card)
    for proposal in others:
        proposal_card(coach, proposal)


page()
