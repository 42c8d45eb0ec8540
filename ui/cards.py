"""Proposal cards and plans: what will land on the calendar, and the buttons that put it there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any, Literal

import streamlit as st

from coach import display
from coach.analysis import MOST_CARBS, WEIGHT_TRAINING, Concern, Session
from coach.app import Coach, Proposal
from coach.app import ProposalKind as K
from coach.app import ProposalStatus as S
from coach.errors import CoachError
from coach.workout import MAX_TEXT_CHARS, WorkoutCheck, sport_family, timeline

from . import browser_session, charts
from .text import plain, safe_markdown

WAITING_LABEL = "Waiting to publish"


Flash = Literal["error", "success", "info"]
_SHOW: dict[Flash, Callable[[str], Any]] = {"error": st.error, "success": st.success,
                                            "info": st.info}


def flash(message: str, kind: Flash = "error") -> None:
    """Show a message at the top of the next run (actions rerun the page)."""
    st.session_state["flash"] = (kind, message)


def show_flash() -> None:
    kind, message = st.session_state.pop("flash", ("error", None))
    if message:
        _SHOW.get(kind, st.error)(safe_markdown(message))


def act(action: Callable[[], Any]) -> None:
    """Run a button's action; a refusal becomes a sentence, not a stack trace."""
    try:
        action()
    except CoachError as e:
        flash(str(e))
    st.rerun()


# --- one proposal ---------------------------------------------------------------------------

def proposal_card(coach: Coach, proposal: Proposal) -> None:
    """Date, sport, name, the exact workout text with its preview, and the buttons."""
    with st.container(border=True, key=f"proposal-{proposal.id}"):
        kind = {K.WORKOUT: "", K.MOVE: "Move · ", K.REPLACE: "Replace · ",
                K.DELETE: "Delete · "}[proposal.kind]
        st.markdown(f"**{kind}{plain(proposal.name)}** · {plain(sport_of(proposal))} · "
                    f"{display.day(proposal.day, coach.today())}")
        check = coach.check_proposal(proposal)
        if proposal.kind in (K.MOVE, K.DELETE):
            _change_summary(proposal)
        else:
            if proposal.kind == K.REPLACE:
                _before_text(proposal)
            _workout(coach, proposal, check)
        _state(coach, proposal, check)


def sport_of(p: Proposal) -> str:
    """The sport as the athlete's calendar names it: a change of a planned VirtualRide keeps
    its own type (the proposal holds its sport family, Ride, for the checks)."""
    own = str((p.before_event or {}).get("type") or "")
    return own if own and sport_family(own) == p.sport else p.sport


def _change_summary(p: Proposal) -> None:
    before = p.before_event or {}
    when = display.day(before.get("start_date_local") or p.day)
    if p.kind == K.MOVE and p.new_day:
        st.markdown(f"{when} → **{display.day(p.new_day)}**")
    else:
        st.markdown(f"Will be removed from {when}:")
    st.code(before.get("description") or "(no workout text)", language=None)


def _before_text(p: Proposal) -> None:
    st.caption("Before")
    st.code((p.before_event or {}).get("description") or "(no workout text)", language=None)
    st.caption("After")


def _workout(coach: Coach, p: Proposal, check: WorkoutCheck) -> None:
    if p.status in (S.PENDING, S.FAILED):
        st.text_input("Name", p.name, key=f"name-{p.id}", max_chars=200,
                      on_change=_save_name, args=(p.id,))
        st.text_area("Workout text (you can edit it)", p.description, key=f"text-{p.id}",
                     height=min(60 + 22 * p.description.count("\n"), 320),
                     max_chars=MAX_TEXT_CHARS, on_change=_save_edit, args=(p.id,))
    else:
        st.code(p.description, language=None)
    for issue in check.errors:
        st.error(safe_markdown(f"Line {issue.line}: {issue.message}" if issue.line
                               else issue.message))
    for issue in check.warnings:
        st.warning(safe_markdown(f"Line {issue.line}: {issue.message}"))
    if check.workout is not None:
        _preview(coach, p, check)
    elif p.sport == WEIGHT_TRAINING and check.ok:
        st.caption(f"{display.duration(check.duration_s)} · estimated load "
                   f"{display.load(check.load)} · strength: no power, pace or heart-rate "
                   "targets")
    if p.kind in (K.WORKOUT, K.REPLACE):
        _fuel(coach, p)


def _fuel(coach: Coach, p: Proposal) -> None:
    """The carbohydrate target sent with the workout (editable while it waits), and the rule
    it comes from; nothing for a session too short to need one."""
    rule = coach.fuelling(p)
    if p.carbs_per_hour is None and (rule is None or not rule.high):
        return
    if p.status in (S.PENDING, S.FAILED):
        st.number_input("Carbohydrate per hour (g), sent with the workout; 0 for none", 0,
                        MOST_CARBS, p.carbs_per_hour or 0, step=5, key=f"carbs-{p.id}",
                        on_change=_save_fuel, args=(p.id,))
    elif p.carbs_per_hour:
        st.markdown(f"Fuelling: **{p.carbs_per_hour} g carbohydrate per hour**")
    if rule is not None:
        st.caption(rule.text)


def _save_fuel(proposal_id: int) -> None:
    grams = st.session_state.get(f"carbs-{proposal_id}")
    with browser_session.new_coach() as coach:
        try:
            coach.set_fuel(proposal_id, int(grams) if grams is not None else None)
        except CoachError as e:
            flash(str(e))


def _save_edit(proposal_id: int) -> None:
    text = st.session_state.get(f"text-{proposal_id}", "")
    with browser_session.new_coach() as coach:
        try:
            coach.edit(proposal_id, text)
        except CoachError as e:
            flash(str(e))


def _save_name(proposal_id: int) -> None:
    name = st.session_state.get(f"name-{proposal_id}", "")
    with browser_session.new_coach() as coach:
        try:
            coach.rename(proposal_id, name)
        except CoachError as e:
            flash(str(e))


def _preview(coach: Coach, p: Proposal, check: WorkoutCheck) -> None:
    """Intensity over time (ramps as ramps, coloured by zone), with the numbers beside it."""
    assert check.workout is not None
    rows = []
    for i, seg in enumerate(timeline(check.workout, p.sport, coach.thresholds(p.sport))):
        zone = seg.zone or 0
        for t, pct in ((seg.start_s, seg.start_pct), (seg.end_s, seg.end_pct)):
            rows.append({"segment": i, "minute": t / 60, "intensity": pct or 40.0,
                         "zone": f"Z{zone}" if zone else "no target", "step": seg.label})
    if rows:
        st.altair_chart(charts.workout_chart(rows), width="stretch")
    st.caption(_numbers(check))


def _numbers(check: WorkoutCheck) -> str:
    parts = [display.duration(check.duration_s)]
    if check.distance_m:
        parts.append(display.km(check.distance_m))
    parts.append(f"estimated load {display.load(check.load)}" if check.load is not None
                 else "load unknown")
    zones = " · ".join(f"Z{z} {display.duration(s)}"
                       for z, s in sorted(check.zone_times.items()) if z and s)
    return " · ".join(parts) + (f" — time in zones: {zones}" if zones else "")


_STATUS_TEXT = {
    S.PENDING: "Waiting for your decision. Nothing is on your calendar yet.",
    S.PUBLISHING: "Publishing to your calendar…",
    S.REJECTED: "Rejected. Nothing was sent.",
    S.UNDOING: "Undoing…",
}


def _state(coach: Coach, p: Proposal, check: WorkoutCheck) -> None:
    where = "the demo calendar" if coach.demo else "your Intervals.icu calendar"
    if p.status in (S.UNDONE, S.REJECTED, S.SUPERSEDED):
        _closed(coach, p)
        return
    if p.status == S.PUBLISHED:
        done = {K.WORKOUT: f"Confirmed: on {where}.",
                K.MOVE: f"Confirmed: moved on {where}.",
                K.REPLACE: f"Confirmed: replaced on {where}.",
                K.DELETE: f"Confirmed: deleted from {where}."}[p.kind]
        st.success(done)
        if p.verify_note:
            st.warning(safe_markdown(p.verify_note))
        if p.error:
            st.error(safe_markdown(p.error))
        if st.button("Undo", key=f"undo-{p.id}"):
            act(lambda: coach.undo(p.id))
        return
    if p.status in _STATUS_TEXT:
        st.caption(_STATUS_TEXT[p.status])
    if p.status == S.FAILED:
        label = WAITING_LABEL if p.waiting else "Not published"
        st.error(safe_markdown(f"{label}: {p.error}"))
    if p.status in (S.PENDING, S.FAILED) or (p.status == S.PUBLISHING and coach.stale(p)):
        _decide(coach, p, check)


def _closed(coach: Coach, p: Proposal) -> None:
    """Undone, rejected or replaced: what happened, and the way to propose it again."""
    then = coach.proposal(p.superseded_by) if p.superseded_by else None
    if p.status == S.SUPERSEDED and then is not None and then.kind == K.REPLACE:
        st.caption(f"You chose it to replace {plain(_before_name(then))} on that day:")
        _state(coach, then, coach.check_proposal(then))
        return
    if p.status == S.UNDONE:
        st.info("Undone: your calendar is as it was before.")
    else:
        st.caption("Rejected. Nothing was sent." if p.status == S.REJECTED else
                   "A newer proposal of the same session took its place. Nothing was sent.")
    if then is not None and p.status != S.SUPERSEDED:
        st.caption("Proposed again:")
        proposal_card(coach, then)
    elif then is None and p.kind == K.WORKOUT and st.button(
            "Propose again", key=f"again-{p.id}", help="The same workout on the same day, "
            "checked against your week as it is now"):
        act(lambda: coach.propose_again(p.id))


def _before_name(p: Proposal) -> str:
    return str((p.before_event or {}).get("name") or "the planned workout")


def _decide(coach: Coach, p: Proposal, check: WorkoutCheck) -> None:
    """The week check's findings, and buttons that say what Confirm accepts."""
    found = coach.findings(p)
    for f in found:
        (st.error if f.blocks else st.warning)(safe_markdown(f.message))
    valid = (check.ok or p.kind in (K.MOVE, K.DELETE)) and not any(f.blocks for f in found)
    accepts = "; ".join(dict.fromkeys(f.accept for f in found if f.accept))
    clash = next((f.other for f in found if f.concern == Concern.SAME_DAY and f.other), None)
    columns = iter(st.columns([2, 2, 1, 2]))
    retry = p.status != S.PENDING
    if clash is not None and p.kind == K.WORKOUT and not retry:
        accepts = _choose(coach, p, clash, accepts, valid, columns)
    else:
        label = "Retry" if retry else "Confirm anyway" if accepts else "Confirm"
        if next(columns).button(label, key=f"confirm-{p.id}", type="primary", disabled=not valid,
                                help=_help(valid, accepts)):
            act(lambda: coach.confirm(p.id, accepts))
    if p.status != S.PUBLISHING and next(columns).button("Reject", key=f"reject-{p.id}"):
        act(lambda: coach.reject(p.id))
    if accepts and valid:
        st.caption(f"Confirming accepts: {plain(accepts)}.")
    elif clash is not None:
        st.caption("Replacing sends one update to the planned workout: this name and text take "
                   "its place.")


def _choose(coach: Coach, p: Proposal, other: Session, accepts: str, valid: bool,
            columns: Iterator[Any]) -> str:
    """Same day as another session: replace it, or (where two a day are allowed) add this;
    what the second-session button accepts ("" when there is none)."""
    name = plain(other.name)
    if other.event_id is not None:
        if next(columns).button(f"Replace {name}", key=f"confirm-{p.id}", type="primary",
                                disabled=not valid, help="One update to that planned workout: "
                                "this workout's name and text take its place"):
            act(lambda: coach.replace_with(p.id, other.event_id or 0))
    elif next(columns).button(f"Confirm instead of {name}", key=f"confirm-{p.id}",
                              type="primary", disabled=not valid,
                              help="The other proposal for that day is dropped"):
        act(lambda: coach.confirm_instead(p.id, other.proposal_id or 0))
    two_a_day = bool(coach.settings.availability and coach.settings.availability.two_a_day)
    if not two_a_day:
        return ""
    if next(columns).button("Add as a second session", key=f"second-{p.id}",
                            disabled=not valid, help=_help(valid, accepts)):
        act(lambda: coach.confirm(p.id, accepts))
    return accepts


def _help(valid: bool, accepts: str) -> str | None:
    if not valid:
        return "Fix what the card says first"
    return f"You accept: {accepts}" if accepts else None


# --- a plan: several proposals from one answer ----------------------------------------------

def plan_view(coach: Coach, proposals: list[Proposal]) -> None:
    """The week(s) the plan covers, Confirm all / Reject all, then each workout's card."""
    with st.container(border=True, key=f"plan-{proposals[0].id}"):
        st.markdown(f"**Plan: {len(proposals)} proposals**")
        _week_grid(proposals)
        _plan_summary(proposals)
        open_ids = [p.id for p in proposals if p.status in (S.PENDING, S.FAILED)]
        if open_ids:
            left, right, _ = st.columns([1, 1, 3])
            if left.button("Confirm all", key=f"confirm-all-{proposals[0].id}", type="primary"):
                act(lambda: coach.confirm_all(open_ids))
            if right.button("Reject all", key=f"reject-all-{proposals[0].id}"):
                act(lambda: coach.reject_all(open_ids))
        for proposal in proposals:
            proposal_card(coach, proposal)


_MARK = {S.PENDING: "○", S.PUBLISHING: "…", S.PUBLISHED: "✓", S.FAILED: "✗",
         S.REJECTED: "–", S.UNDOING: "…", S.UNDONE: "↶", S.SUPERSEDED: "–"}


def _week_grid(proposals: list[Proposal]) -> None:
    days = sorted(date.fromisoformat(p.new_day or p.day) for p in proposals)
    monday = days[0] - timedelta(days=days[0].weekday())
    while monday <= days[-1]:
        columns = st.columns(7)
        for offset, column in enumerate(columns):
            day = monday + timedelta(days=offset)
            items = [p for p in proposals if (p.new_day or p.day) == day.isoformat()]
            column.caption(display.day(day))
            for p in items:
                column.markdown(f"{_MARK[p.status]} {plain(sport_of(p))}  \n{plain(p.name)}  \n"
                                f"{display.duration(p.duration_s)}")
        monday += timedelta(days=7)


def _plan_summary(proposals: list[Proposal]) -> None:
    failed = [p for p in proposals if p.status == S.FAILED]
    published = [p for p in proposals if p.status == S.PUBLISHED]
    if published and failed:
        names = ", ".join(plain(p.name) for p in failed)
        st.warning(f"{len(published)} of {len(proposals)} confirmed; not published: {names}. "
                   "Their cards say why, with Retry.")
