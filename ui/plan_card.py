"""A multi-week plan's card: each week's targets beside what is planned in it and the 6 weeks
done before, a flag on a week whose workouts do not add up to its target, and Confirm, Reject
and Undo by week or for the whole plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from coach import display
from coach.app import Coach, plan
from coach.app import ProposalStatus as S
from coach.app.plan import WeekStatus

from . import charts
from .cards import act, proposal_card
from .text import plain

KINDS = {"build": "build", "recovery": "easier week", "taper": "race week"}
MARKS = {S.PENDING: "○", S.PUBLISHING: "…", S.PUBLISHED: "✓", S.FAILED: "✗",
         S.REJECTED: "–", S.UNDOING: "…", S.UNDONE: "↶", S.SUPERSEDED: "–"}
OPEN = (S.PENDING, S.FAILED)


def weeks_card(coach: Coach, card: plan.PlanCard) -> None:
    """The plan's weeks against their targets, then each week with its buttons."""
    today = coach.today()
    with st.container(border=True, key=f"plan-weeks-{card.plan_id}"):
        race = f" to the race on {display.day(card.race, today)}" if card.race else ""
        st.markdown(f"**Plan: {len(card.weeks)} weeks from {display.day(card.start, today)}"
                    f"{race}**")
        st.caption("Weekly targets first, from your last weeks and your fitness (CTL rising "
                   "at most 7 a week, an easier week every 4th); then the workouts, on the "
                   "days your availability allows. Each week's workouts should land within "
                   "10% of its targets.")
        table, chart = st.columns([5, 3])
        table.table(_rows(card, today), hide_index=True)
        chart.altair_chart(charts.plan_week_chart(plan.card_chart_rows(card), today=today),
                           width="stretch")
        for i, week in enumerate(card.weeks, start=1):
            if not week.adds_up:
                st.warning(f"Week {i} ({display.week_of(week.monday, today)}) does not add up: "
                           f"{_amount(week.planned_hours, week.planned_load)} planned for a "
                           f"target of {_amount(week.target_hours, week.target_load)}.")
        _plan_buttons(coach, card)
        for i, week in enumerate(card.weeks, start=1):
            _week(coach, card.plan_id, i, week, today)


def _amount(hours: float, load: float) -> str:
    return f"{display.hours(hours)} · load {display.load(load)}"


def _rows(card: plan.PlanCard, today: date) -> list[dict[str, Any]]:
    """The weeks done, then the plan's weeks: planned against target, and the check."""
    rows = [{"week of": display.day_month(w.monday, today),
             "": "done" if w.monday + timedelta(days=6) < today else "done so far",
             "hours": display.hours(w.hours), "load": display.load(w.load),
             "target hours": "", "target load": "", "within 10%": ""} for w in card.done]
    for i, w in enumerate(card.weeks, start=1):
        rows.append({"week of": display.day_month(w.monday, today),
                     "": f"{i} · {KINDS.get(w.kind, w.kind)}",
                     "hours": display.hours(w.planned_hours),
                     "load": display.load(w.planned_load),
                     "target hours": display.hours(w.target_hours),
                     "target load": display.load(w.target_load), "within 10%": _check(w)})
    return rows


def _check(w: WeekStatus) -> str:
    """`✓` (both within 10%), or how far the hours (else the load) are off their target."""
    if w.adds_up:
        return "✓"
    for planned, target, what in ((w.planned_hours, w.target_hours, "hours"),
                                  (w.planned_load, w.target_load, "load")):
        off = (planned - target) / target if target else 0.0
        if abs(off) > 0.1:
            return f"⚠ {what} {display.number(abs(off) * 100)}% " + \
                ("over" if off > 0 else "under")
    return "⚠ off target"


def _plan_buttons(coach: Coach, card: plan.PlanCard) -> None:
    open_ids = [i for w in card.weeks for i in plan.week_ids(w, OPEN)]
    if not open_ids:
        return
    left, right, _ = st.columns([1, 1, 3])
    if left.button("Confirm all", key=f"confirm-plan-{card.plan_id}", type="primary"):
        act(lambda: coach.confirm_all(open_ids))
    if right.button("Reject all", key=f"reject-plan-{card.plan_id}"):
        act(lambda: coach.reject_all(open_ids))


def _week(coach: Coach, plan_id: int, n: int, week: WeekStatus, today: date) -> None:
    """One week: its line, its days, its buttons, and its workouts' cards (folded)."""
    flag = "" if week.adds_up else " · ⚠ does not add up"
    calendar = week.planned_hours - week.proposed_hours
    already = f" ({display.hours(calendar)} of it already on your calendar)" \
        if calendar > 0.01 else ""
    st.markdown(f"**Week {n} · {display.week_of(week.monday, today)} · "
                f"{KINDS.get(week.kind, week.kind)}** — target "
                f"{_amount(week.target_hours, week.target_load)}; planned "
                f"{_amount(week.planned_hours, week.planned_load)}{already}{flag}")
    for offset, column in enumerate(st.columns(7)):
        day = week.monday + timedelta(days=offset)
        cell = column.container(key=f"plan-{plan_id}-day-{day.isoformat()}")
        cell.caption(display.day(day, today))
        for p in week.proposals:
            if (p.new_day or p.day) == day.isoformat():
                cell.markdown(f"{MARKS[p.status]} {p.sport}  \n{plain(p.name)}  \n"
                              f"{display.duration(p.duration_s)}")
    _week_buttons(coach, plan_id, n, week)
    if week.proposals:
        count = len(week.proposals)
        with st.expander(f"The {count} workout{'s' if count > 1 else ''} of week {n}"):
            for proposal in week.proposals:
                proposal_card(coach, proposal)


def _week_buttons(coach: Coach, plan_id: int, n: int, week: WeekStatus) -> None:
    open_ids = plan.week_ids(week, OPEN)
    published = plan.week_ids(week, (S.PUBLISHED,))
    if not open_ids and not published:
        return
    confirm, reject, undo, _ = st.columns([1, 1, 1, 2])
    if open_ids and confirm.button(f"Confirm week {n}", key=f"confirm-week-{plan_id}-{n}"):
        act(lambda: coach.confirm_all(open_ids))
    if open_ids and reject.button(f"Reject week {n}", key=f"reject-week-{plan_id}-{n}"):
        act(lambda: coach.reject_all(open_ids))
    if published and undo.button(f"Undo week {n}", key=f"undo-week-{plan_id}-{n}"):
        act(lambda: [coach.undo(pid) for pid in published])
