"""The season on the Plan page: phase bands with each week's target against what was done and
the races marked, the fitness forecast to race day, the weeks as a table, race-day fuelling, and
a pause with a return week when a check-in or an injury note calls for one. Opening it
re-targets the season from what was done (the engine does; this only draws)."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from coach import display
from coach.app import Coach, season

from . import charts
from .cards import act, flash
from .text import plain

PHASES = {"base": "base", "build": "build", "peak": "peak", "taper": "taper",
          "return": "return to training"}


def season_section(coach: Coach) -> None:
    """The season to the A race, or the way to plan one."""
    today = coach.today()
    view = season.view(coach)
    with st.container(border=True, key="season"):
        if view is None:
            _no_season(coach, today)
            return
        _header(view, today)
        _pause(coach, view, today)
        st.altair_chart(charts.season_chart(view.weeks, view.races, today=today),
                        width="stretch")
        st.caption("Each week's target hours (grey) beside what you did (blue), on the colour "
                   "of its phase; a lighter week every 4th; ▼ marks a race.")
        st.markdown("**Fitness forecast to race day** (if the weekly targets are met)")
        st.altair_chart(charts.season_forecast_chart(view.fitness, view.races, today=today),
                        width="stretch")
        st.markdown(f"Race morning: fitness (CTL) **{view.race_morning.ctl:.0f}**, form "
                    f"**{view.race_morning.form:+.0f}** ({plain(view.race_form)}).")
        if view.fuel:
            st.markdown(f"**Race-day fuelling:** {plain(view.fuel)}")
        with st.expander(f"The {len(view.weeks)} weeks"):
            st.table(_rows(view, today), hide_index=True)


def _no_season(coach: Coach, today: date) -> None:
    race = season.next_race(coach)
    if race is None:
        st.caption("No season: add an A or B race within 30 weeks in Intervals.icu, then plan "
                   "a season to it here (or ask the coach).")
        return
    day, name = race
    st.markdown(f"**No season yet** to {plain(name)} on {display.day(day, today)}.")
    st.caption("A season sets each week's hours and load to the race (base, build, peak, "
               "taper, a lighter week every 4th), proposes the next 2 weeks' workouts, and "
               "lays out each later week when it comes, from what you actually did.")
    if st.button("Plan my season", key="plan-season", type="primary"):
        act(lambda: _planned(coach, day))


def _planned(coach: Coach, day: date) -> None:
    made = season.make(coach, day)
    flash(f"Season planned: {len(made.season.weeks)} weeks to race day; "
          f"{len(made.proposal_ids)} workouts proposed for its first 2 weeks (below).",
          "success")


def _header(view: season.SeasonView, today: date) -> None:
    current = view.current
    where = (f"week {current['n']} of {len(view.weeks)} · {PHASES[current['phase']]}"
             if current else f"{len(view.weeks)} weeks from {display.day(view.start, today)}")
    st.markdown(f"**Season to {plain(view.race_name)}** · {display.day(view.race, today)} · "
                f"{where}")
    if current:
        done = display.hours(current["done hours"] or 0)
        st.caption(f"This week: {done} done of a {display.hours(current['target hours'])} "
                   "target. Targets follow what you did: a missed week lowers the next ones, "
                   "it is never added to them.")
    if view.laid_out:
        st.info(f"{view.laid_out} workouts laid out for the week ahead from what you did: "
                "confirm them under Proposals.")
    if view.paused:
        st.caption(f"Paused: {plain(view.paused['reason'])} Back to training "
                   f"{display.day(view.paused['back'], today)}, with an easy return week.")


def _pause(coach: Coach, view: season.SeasonView, today: date) -> None:
    """Offered when a check-in said ill or injured, or an injury note was kept."""
    if view.offer is None:
        return
    st.warning(f"{plain(view.offer.reason)} Pause the season? You get an easy return week "
               "from the day you are back, and the weeks left are re-phased to the same race.")
    back = st.date_input("Back to training on", view.offer.back, min_value=today,
                         max_value=view.race, key="season-back")
    if st.button("Pause and plan a return week", key="pause-season"):
        when = back if isinstance(back, date) else today + timedelta(days=1)
        act(lambda: _paused(coach, when, view.offer.reason if view.offer else ""))


def _paused(coach: Coach, back: date, reason: str) -> None:
    shown = season.pause(coach, back, reason)
    flash(f"Season paused: a return week from {display.day(back)}, {shown.laid_out} easy "
          "workouts proposed (below).", "success")


def _rows(view: season.SeasonView, today: date) -> list[dict[str, str]]:
    return [{"": f"{w['n']}" + (" ◀" if w["when"] == "this week" else ""),
             "week of": display.day_month(w["week"], today),
             "phase": PHASES[w["phase"]] + (" (lighter)" if w["lighter"] else ""),
             "target": f"{display.hours(w['target hours'])} · load {w['target load']}",
             "done": f"{display.hours(w['done hours'])} · load {w['done load']}"
             if w["done hours"] is not None else "",
             "fitness (CTL)": f"{w['ctl']:.0f}"} for w in view.weeks]
