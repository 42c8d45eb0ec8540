"""Availability on the Settings page: when the athlete can train, set once; multi-week plans
put their workouts only there."""

from __future__ import annotations

import dataclasses
from typing import Any

import streamlit as st

from coach.analysis import WEEKDAYS, Availability
from coach.app import Coach
from coach.errors import SettingsError

from . import browser_session
from .cards import flash
from .text import safe_markdown


def availability_form(coach: Coach) -> None:
    """Hours per weekday, days off, the longest session and two a day; saved with the other
    settings. Not a form: a day set off at once loses its hours field, with the reason."""
    st.subheader("When you can train")
    st.caption("Multi-week plans put workouts only on these days, within these hours.")
    now = coach.settings.availability or Availability()
    with st.container(border=True, key="availability"):
        off = st.multiselect("Days off", list(range(7)), default=list(now.days_off),
                             format_func=lambda i: WEEKDAYS[i], key="days-off")
        hours = [_day_hours(column, i, now.hours[i], i in off)
                 for i, column in enumerate(st.columns(7))]
        if off:
            st.caption(f"{', '.join(WEEKDAYS[i] for i in sorted(off))}: a day off has no hours; "
                       "remove it from Days off to train on it again.")
        longest, twice = st.columns(2)
        max_min = longest.number_input("Longest session (minutes)", 30, 600,
                                       now.max_session_min, step=15, key="max-session")
        two = twice.toggle("Two sessions a day allowed", now.two_a_day, key="two-a-day")
        if st.button("Save availability", key="save-availability"):
            _save(coach, Availability(tuple(hours), tuple(sorted(off)), int(max_min), two))


def _day_hours(column: Any, day: int, saved: float, off: bool) -> float:
    """A day's hours field; on a day off, a field that cannot be edited saying why (the saved
    hours come back if the day is trained again)."""
    name = WEEKDAYS[day]
    if off:
        column.text_input(f"{name} (h)", "day off", disabled=True, key=f"hours-{name.lower()}-off",
                          help=f"{name} is in Days off above: remove it there to train on it.")
        return saved
    return float(column.number_input(f"{name} (h)", 0.0, 16.0, float(saved), step=0.25,
                                     key=f"hours-{name.lower()}"))


def _save(coach: Coach, availability: Availability) -> None:
    try:
        coach.save_settings({"availability": dataclasses.asdict(availability)})
    except SettingsError as e:
        st.error(safe_markdown(str(e)))
        return
    browser_session.settings_changed()
    flash("Availability saved.", "success")
    st.rerun()
