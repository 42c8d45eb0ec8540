"""Pieces every page uses: model status, sync with a progress bar, first-run guidance."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from coach.app import Coach, ModelStatus, Settings, SyncProgress, setup
from coach.errors import CoachError

from .models import model_offers
from .text import plain, safe_markdown

INSTALL_OLLAMA = """Local Coach needs a model running in Ollama on this machine:

1. Install Ollama from https://ollama.com/download and start it: `ollama serve`
2. Pull a model that can call tools: `ollama pull {model}`
3. Check everything with `coach doctor`

The rest of the app (your history, fitness and plan) works meanwhile."""


@st.cache_data(ttl=10, show_spinner=False)
def model_status(host: str, model: str, allow_remote: bool, _settings: Settings) -> ModelStatus:
    """Ollama health, re-checked at most every 10 s so reruns stay fast (cached by the
    arguments that matter; the settings object itself is not hashed)."""
    return setup.check_model(_settings)


def current_model_status(coach: Coach) -> ModelStatus:
    s = coach.settings
    return model_status(s.ollama_host, s.model, s.allow_remote_model, s)


def run_sync(coach: Coach, quiet: bool = False) -> None:
    """Sync with a progress bar (counts as it goes); a failure is one sentence."""
    bar = st.progress(0.0, text="Starting sync…")
    try:
        report = coach.sync(progress=lambda p: _show(bar, p))
    except CoachError as e:
        bar.empty()
        st.error(safe_markdown(f"Sync failed: {e}"))
        return
    if quiet and not report.changed and not report.notes and not report.warnings:
        bar.empty()
        return
    bar.progress(1.0, text=plain(report.summary()))
    for warning in report.warnings:
        st.warning(safe_markdown(warning))
    for note in report.notes:
        st.toast(plain(f"Sent a confirmation that was waiting: {note}"))


def _show(bar: DeltaGenerator, progress: SyncProgress) -> None:
    bar.progress(progress.fraction, text=plain(progress.message))


def sync_banner(coach: Coach) -> None:
    """What the last syncs left missing, with a Retry, on every page until a sync succeeds."""
    health = coach.sync_health()
    if health.ok:
        return
    with st.container(border=True, key="sync-banner"):
        if health.last_error and coach.athlete_id is None:  # else the sidebar says it
            st.error(safe_markdown(health.last_error))
        for line in health.missing:
            st.warning(safe_markdown(line))
        if st.button("Retry sync", key="retry-sync"):
            run_sync(coach)


def auto_sync(coach: Coach) -> None:
    """Once per browser session: the first sync, or (with an account) what is new since the
    last one, which also sends confirmations that waited for Intervals.icu."""
    if st.session_state.get("auto_synced"):
        return
    st.session_state.auto_synced = True  # even if it fails: the button is there to retry
    if coach.needs_first_sync():
        st.caption("Loading your training history for the first time…")
        run_sync(coach)
    elif not coach.demo:
        run_sync(coach, quiet=True)


def last_sync_caption(coach: Coach) -> None:
    state = coach.sync_state()
    if state and state.last_sync_at:
        when = datetime.fromisoformat(state.last_sync_at).astimezone()
        st.caption(f"Last sync: {when:%d %b %H:%M}")
    else:
        st.caption("Not synced yet")
    if state and state.last_error:
        st.warning(safe_markdown(f"Last sync failed: {state.last_error}"))


def welcome(coach: Coach) -> None:
    """First run without an account: what the demo is, and how to connect a real one."""
    if not coach.demo:
        return
    st.info("You are trying Local Coach on a demo athlete with a year of synthetic training. "
            "Confirmed workouts go to a local demo calendar, not to Intervals.icu. To coach on "
            "your own data, open **Settings & privacy** and paste your Intervals.icu API key "
            "(Intervals.icu → Settings → Developer Settings; your athlete id is at the bottom "
            "of that page and in the address bar, like i123456).")


def model_banners(coach: Coach) -> str | None:
    """Warnings about the model, and the ways to get a usable one; returns why the coach
    cannot answer (shown beside every control that needs it), None when it can."""
    s = coach.settings
    for warning in coach.model_warnings():
        st.warning(safe_markdown(warning))
    status = current_model_status(coach)
    if status.ok:
        return None
    st.error(safe_markdown(status.problem or "The model is not available."))
    if status.reachable:
        model_offers(coach, status)
    if not status.reachable or not status.model_present:
        with st.expander("How to set up the model", expanded=not status.reachable):
            st.markdown(safe_markdown(INSTALL_OLLAMA.format(model=s.model)))
    return no_model_reason(coach, status)


def no_model_reason(coach: Coach, status: ModelStatus) -> str:
    """Why the coach cannot answer, short enough for a chat box on a phone."""
    model = coach.settings.model
    if not status.reachable:
        return "Ollama cannot be reached: see above"
    if not status.model_present:
        return f"{model} is not installed: see above"
    return f"{model} cannot call tools: see above"
