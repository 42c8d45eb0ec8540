"""Local Coach: chat with a local model about your training; confirm what it proposes.

The entry point: settings, the athlete, the sidebar every page shares, and the navigation.
"""

from __future__ import annotations

__package__ = "coach.ui"  # Streamlit runs this file by path: its relative imports need it

from pathlib import Path

import streamlit as st

from coach.app import Coach, Settings, setup
from coach.errors import CoachError, SettingsError

from . import browser_session
from .cards import show_flash
from .shared import auto_sync, last_sync_caption, run_sync, sync_banner
from .text import distinct_labels, plain, safe_markdown

VIEWS = Path(__file__).parent / "views"
st.set_page_config(page_title="Local Coach", layout="wide")


def pages() -> list:
    return [st.Page(VIEWS / "coach.py", title="Coach", default=True),
            st.Page(VIEWS / "plan.py", title="Plan"),
            st.Page(VIEWS / "fitness.py", title="Fitness"),
            st.Page(VIEWS / "history.py", title="History"),
            st.Page(VIEWS / "review.py", title="Weekly review"),
            st.Page(VIEWS / "settings.py", title="Settings & privacy")]


def sidebar(coach: Coach) -> None:
    """Who is being coached, the athlete switcher, and sync."""
    with st.sidebar:
        st.title("Local Coach")
        athlete = coach.athlete()
        who = athlete.name if athlete and athlete.name else "not synced yet"
        st.caption(f"Athlete: {plain(who)}" + (" · demo athlete" if coach.demo else ""))
        athlete_switcher(coach)
        if st.button("Sync now", key="sync", help="Fetch new activities, wellness and calendar"):
            run_sync(coach)
        last_sync_caption(coach)


def athlete_switcher(coach: Coach) -> None:
    """A coach's key can see the athletes it coaches; each keeps its own data."""
    roster = coach.roster()
    if len(roster) < 2:
        return
    ids = [a["id"] for a in roster]
    current = coach.athlete_id if coach.athlete_id in ids else ids[0]
    names = distinct_labels([(a["id"], a["name"] or a["id"]) for a in roster])
    chosen = st.selectbox("Coaching", ids, index=ids.index(current),
                          format_func=lambda i: names[i], key="athlete-switcher")
    if chosen != current:
        coach.switch_athlete(chosen)
        browser_session.settings_changed()
        st.session_state.pop("conversation_id", None)
        st.session_state.auto_synced = False
        st.rerun()


def settings_error(error: SettingsError) -> None:
    st.error(safe_markdown(str(error)))
    if st.button("Reset saved settings", help="Forget the values saved from this page (not "
                 "your API key)"):
        setup.reset_saved_settings()
        browser_session.settings_changed()
        st.rerun()


ENV_KEY_KEPT = ("Your Intervals.icu API key comes from the environment variable "
                "`COACH_INTERVALS_API_KEY`, which Local Coach cannot unset, so your account "
                "has **not** been read again. To stop using it, close Local Coach (Ctrl+C where "
                "it runs) and start it without that variable.")


def forgotten(settings: Settings, pages: list) -> None:
    """After Forget me, on every page: what is gone, and nothing read or synced until the
    athlete asks (no database is even opened)."""
    st.navigation(pages, position="hidden")
    st.title("Local Coach")
    st.info("Local Coach keeps nothing about you on this machine now: your synced history, "
            "conversations, proposals, check-ins, reviews, notes and saved settings are "
            "deleted. Nothing is read from Intervals.icu until you ask.")
    env_key = settings.api_key_source == "env"
    if env_key:
        st.warning(ENV_KEY_KEPT)
    label = "Read my Intervals.icu account again" if env_key else "Start again (demo athlete)"
    if st.button(label, key="start-again", type="primary"):
        setup.start_again(settings)
        browser_session.settings_changed()
        st.session_state.auto_synced = False
        st.rerun()


def main() -> None:
    try:
        settings = browser_session.settings()
    except SettingsError as e:
        settings_error(e)
        return
    show_flash()
    if setup.was_forgotten(settings):
        forgotten(settings, pages())
        return
    try:
        coach = Coach(settings)
    except CoachError as e:  # e.g. a database that cannot be opened: a sentence, not a trace
        st.error(safe_markdown(str(e)))
        return
    with coach:
        browser_session.set_coach(coach)
        navigation = st.navigation(pages())
        auto_sync(coach)
        sidebar(coach)
        sync_banner(coach)
        navigation.run()


main()
