"""Availability on the Settings page: when the athlete can train, set once; multi-week plans
put their workouts only there."""

from __future__ import annotations

import dataclasses

import streamlit as st

from coach.analysis import WEEKDAYS, Availability
from coach.app import Coach
from coach.errors import SettingsError

from . import browser_session
from .cards import flash
from .text import safe_markdown


def availability_form(coach: Coach) -> None:
    """Hours per weekday, days off, the longest session and two a day; saved with the other
    settings."""
    st.subheader("When you can train")
    st.caption("Multi-week plans put workouts only on these days, within these hours.")
    now = coach.settings.availability or Availability()
    with st.form("availability"):
        off = st.multiselect("Days off", list(range(7)), default=list(now.days_off),
                             format_func=lambda i: WEEKDAYS[i], key="days-off")
        columns = st.columns(7)
        hours = [column.number_input(f"{name} (h)", 0.0, 16.0, float(now.hours[i]), step=0.25,
                                     key=f"hours-{name.lower()}")
                 for i, (name, column) in enumerate(zip(WEEKDAYS, columns, strict=True))]
        longest, twice = st.columns(2)
        max_min = longest.number_input("Longest session (minutes)", 30, 600,
                                       now.max_session_min, step=15, key="max-session")
        two = twice.toggle("Two sessions a day allowed", now.two_a_day, key="two-a-day")
        if st.form_submit_button("Save availability"):
            _save(coach, Availability(tuple(hours), tuple(sorted(off)), int(max_min), two))


def _save(coach: Coach, availability: Availability) -> None:
    try:
        coach.save_settings({"availability": dataclasses.asdict(availability)})
    except SettingsError as e:
        st.error(safe_markdown(str(e)))
        return
    browser_session.settings_changed()
    flash("Availability saved.", "success")
    st.rerun()
