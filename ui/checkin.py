"""The morning check-in on the Coach page: how you feel on Intervals.icu's wellness scales, and
this morning's HRV, resting HR and sleep against your own normal range. Submitting puts it to
the coach in a new conversation; sending it to Intervals.icu wellness needs its own Confirm."""

from __future__ import annotations

from functools import partial

import streamlit as st

from coach import display
from coach.app import Coach, answers, checkins
from coach.errors import CoachError

from .cards import act, flash
from .text import plain, safe_markdown

WARNINGS = {("hrv", "below"), ("restingHR", "above"), ("sleep", "below")}
VERDICTS = {"as planned": ("success", "train as planned"), "ease off": ("warning", "ease off"),
            "rest": ("error", "rest")}


def checkin_panel(coach: Coach, blocked: str | None) -> None:
    """The form, collapsed under a one-line summary (it would fill the first screen), with
    today's check-in in its summary once done."""
    done = checkins.latest(coach)
    form = checkins.prefill(coach)
    with st.expander(_summary(form, done), expanded=False):
        _measures(form)
        _scales(coach, form, blocked)


def _summary(form: checkins.Form, done: checkins.Checkin | None) -> str:
    """"Morning check-in · done today: ease off", or what stands out this morning."""
    if done is not None:
        verdict = VERDICTS.get(done.verdict, ("info", done.verdict))[1]
        sent = " · sent to Intervals.icu" if done.status == checkins.CheckinStatus.SENT else ""
        return f"Morning check-in · done today: {verdict}{sent}"
    outside = [f"{label} {m.position} your normal range" for field, label, _ in
               checkins.MEASURES if (m := form.measures[field]).position in ("below", "above")]
    return "Morning check-in · not done today" + "".join(f" · {o}" for o in outside)


def checkin_of(coach: Coach, conversation_id: int) -> None:
    """Above the check-in's own conversation: its verdict and sending it to Intervals.icu."""
    done = checkins.latest(coach)
    if done is not None and done.conversation_id == conversation_id:
        _today(coach, done)


def _measures(form: checkins.Form) -> None:
    st.caption(f"This morning, {display.day(form.day)}, from your synced wellness, against "
               "your own normal range (your last 60 days):")
    for column, (field, label, _) in zip(st.columns(3), checkins.MEASURES, strict=True):
        m = form.measures[field]
        value = checkins.amount(field, m.value) if m.value is not None else display.MISSING
        outside = m.position in ("below", "above")
        column.metric(label, value, delta=_outside(field, m) if outside else None,
                      delta_arrow="down" if m.position == "below" else "up",
                      delta_color="red" if (field, m.position) in WARNINGS else "gray")
        if m.value is None:
            column.caption("Not measured today or last night")
        elif m.band is None:
            column.caption("No normal range yet: fewer than 14 days measured")
        else:
            night = "" if m.day == form.day else f" (from {display.day(m.day)})"
            within = "" if outside else ": within it"
            column.caption(f"Your normal range {checkins.band_text(field, m)}{within}{night}")


def _outside(field: str, m: checkins.Measure) -> str:
    """How far outside the normal range: "25 ms below your normal range"."""
    assert m.value is not None and m.band is not None
    edge = m.band.low if m.position == "below" else m.band.high
    return f"{checkins.amount(field, abs(m.value - edge))} {m.position} your normal range"


def _scales(coach: Coach, form: checkins.Form, blocked: str | None) -> None:
    with st.form("checkin-form", border=False):
        feelings = {s.field: st.radio(
            s.label, s.values, index=s.values.index(form.defaults[s.field]), horizontal=True,
            format_func=partial(_answer, s), key=f"checkin-{s.field}")
            for s in checkins.SCALES}
        st.caption("Intervals.icu's own wellness scales: lower is better. The check-in stays "
                   "on this machine; sending it to Intervals.icu is a separate step.")
        if st.form_submit_button("Check in and ask the coach", type="primary",
                                 disabled=blocked is not None, help=blocked):
            _submit(coach, feelings)
        if blocked is not None:
            st.caption(f"Checking in asks the coach — {plain(blocked)}.")


def _answer(scale: checkins.Scale, value: int) -> str:
    """"2 Good": a value of an Intervals.icu scale with its word."""
    return f"{value} {scale.word(value)}"


def _submit(coach: Coach, feelings: dict[str, int]) -> None:
    """Save the check-in, open its conversation and let the coach answer (like the chat)."""
    try:
        submitted = checkins.submit(coach, feelings)
    except CoachError as e:
        flash(str(e))
        st.rerun()
    conversation_id = submitted.checkin.conversation_id
    assert conversation_id is not None
    st.session_state.conversation_id = conversation_id
    st.query_params["c"] = str(conversation_id)
    if coach.add_user_message(conversation_id, submitted.question):
        answers.start(coach.spawn, conversation_id)
    st.rerun()


def _today(coach: Coach, c: checkins.Checkin) -> None:
    """Today's check-in: the verdict and its reasons, and sending it to Intervals.icu."""
    with st.container(border=True, key=f"checkin-{c.id}"):
        kind, verdict = VERDICTS.get(c.verdict, ("info", c.verdict))
        reasons = f": {', '.join(c.reasons)}" if c.reasons else ""
        getattr(st, kind)(f"Today's check-in says **{verdict}**{reasons}.")
        st.caption(f"You said {checkins.feelings_text(c.feelings)}. Saved on this machine.")
        _send_state(coach, c)


def _send_state(coach: Coach, c: checkins.Checkin) -> None:
    where = "the demo athlete's wellness (kept on this machine)" if coach.demo else \
        "your Intervals.icu wellness"
    day = display.day(c.day)
    if c.status == checkins.CheckinStatus.SENT:
        st.success(f"Sent to {where} for {day}.")
        return
    if c.status == checkins.CheckinStatus.FAILED:
        _failed(c, where)
    elif c.status == checkins.CheckinStatus.SENDING:
        st.caption("Sending to Intervals.icu…")
    confirming = f"checkin-confirm-{c.id}"
    if not st.session_state.get(confirming):
        label = "Send this check-in to Intervals.icu" if c.status == checkins.CheckinStatus.LOCAL \
            else "Retry sending"
        if st.button(label, key=f"checkin-send-{c.id}"):
            st.session_state[confirming] = True
            st.rerun()
        return
    st.info(f"{where[0].upper()}{where[1:]} for {day} will get: "
            f"{checkins.feelings_text(c.feelings)}. Nothing else there changes.")
    left, right, _ = st.columns([1, 1, 4])
    if left.button("Confirm send", key=f"checkin-confirm-send-{c.id}", type="primary"):
        st.session_state.pop(confirming, None)
        st.session_state.pop(f"checkin-dismissed-{c.id}", None)  # this try's outcome shows
        act(lambda: checkins.send(coach, c.id))
    if right.button("Cancel", key=f"checkin-cancel-{c.id}"):
        st.session_state.pop(confirming, None)
        st.rerun()


def _failed(c: checkins.Checkin, where: str) -> None:
    """Why the send failed, until the athlete dismisses it (a new failure shows again)."""
    dismissed = f"checkin-dismissed-{c.id}"
    if st.session_state.get(dismissed) == c.error:
        return
    st.error(safe_markdown(f"Not sent to {where}: {c.error} The check-in itself is saved on "
                           "this machine."))
    if st.button("Dismiss", key=f"checkin-dismiss-{c.id}"):
        st.session_state[dismissed] = c.error
        st.rerun()
