"""Local Coach page: chat with a local model about your training; confirm what it proposes."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import streamlit as st

from coach import turns
from coach.agent import AgentError
from coach.errors import CoachError, SettingsError
from coach.llm import ModelStatus
from coach.session import Coach, check_model
from coach.settings import (
    Settings,
    default_data_dir,
    forget_everything,
    is_loopback,
    load_settings,
    reset_saved_settings,
    save_api_key,
    save_settings,
)
from ui.cards import flash, show_flash
from ui.components import render_conversation, render_events
from ui.text import plain, safe_markdown

st.set_page_config(page_title="Local Coach", layout="wide")


@st.cache_data(ttl=10, show_spinner=False)
def model_status(host: str, model: str, allow_remote: bool) -> ModelStatus:
    """Ollama health, re-checked at most every 10 s so reruns stay fast."""
    return check_model(load_settings())


def sidebar(coach: Coach) -> int | None:
    """Athlete, sync, conversations and settings; returns the chosen conversation id."""
    with st.sidebar:
        st.title("Local Coach")
        athlete = coach.store.athlete(coach.athlete_id) if coach.athlete_id else None
        who = athlete.name if athlete and athlete.name else "not synced yet"
        st.caption(f"Athlete: {plain(who)}" + (" · demo athlete" if coach.demo else ""))
        sync_panel(coach)
        conversation_id = conversation_picker(coach)
        settings_panel(coach.settings)
    return conversation_id


def sync_panel(coach: Coach) -> None:
    athlete_id = coach.athlete_id
    state = coach.store.sync_state(athlete_id) if athlete_id else None
    if st.button("Sync now", key="sync", help="Fetch new activities, wellness and calendar"):
        run_sync(coach)
    if state and state.last_sync_at:
        when = datetime.fromisoformat(state.last_sync_at).astimezone()
        st.caption(f"Last sync: {when:%d %b %H:%M}")
    if state and state.last_error:
        st.warning(safe_markdown(f"Last sync failed: {state.last_error}"))


def run_sync(coach: Coach, quiet: bool = False) -> None:
    bar = st.progress(0.0, text="Starting sync…")
    try:
        report = coach.sync(progress=lambda p: bar.progress(p.fraction, text=p.message))
    except CoachError as e:
        bar.empty()
        st.error(safe_markdown(f"Sync failed: {e}"))
        return
    if quiet and not report.changed and not report.notes:
        bar.empty()
        return
    bar.progress(1.0, text=plain(report.summary()))
    for note in report.notes:
        st.toast(plain(f"Sent a confirmation that was waiting: {note}"))


def conversation_picker(coach: Coach) -> int | None:
    if coach.athlete_id is None:
        return None
    if st.button("New conversation", key="new-conversation"):
        st.session_state.conversation_id = coach.new_conversation()
    conversations = coach.conversations()
    if not conversations:
        return None
    ids = [c["id"] for c in conversations]
    current = st.session_state.get("conversation_id") or _query_conversation()
    if current not in ids:
        current = ids[0]
    titles = {c["id"]: c["title"] for c in conversations}
    chosen = st.selectbox("Conversation", ids, index=ids.index(current),
                          format_func=lambda i: titles[i], key=f"picker-{current}")
    st.session_state.conversation_id = chosen
    st.query_params["c"] = str(chosen)
    return int(chosen)


def _query_conversation() -> int | None:
    value = st.query_params.get("c")
    return int(value) if value and value.isdigit() else None


def settings_panel(settings: Settings) -> None:
    """Key, athlete id, Ollama host and model. The key is never shown back."""
    with st.expander("Settings", expanded=False), st.form("settings"):
        env = {k for k, v in settings.sources.items() if v == "env"}
        key_note = {"env": "set by COACH_INTERVALS_API_KEY", "file": "a key is saved",
                    "none": "none: demo athlete"}[settings.api_key_source]
        key = st.text_input(f"Intervals.icu API key ({key_note})", type="password", value="",
                            disabled=settings.api_key_source == "env",
                            help="Intervals.icu → Settings → Developer Settings → API key")
        athlete_id = st.text_input("Athlete id (0 = the key's owner)", settings.athlete_id,
                                   disabled="athlete_id" in env)
        host = st.text_input("Ollama host", settings.ollama_host, disabled="ollama_host" in env)
        model = st.text_input("Model", settings.model, disabled="model" in env)
        think = st.toggle("Reasoning (slower, sometimes better plans)", settings.think,
                          disabled="think" in env)
        if st.form_submit_button("Save settings"):
            save_from_form(settings, key, athlete_id, host, model, think, env)
    st.caption("Only what you confirm leaves this machine, to your own Intervals.icu account; "
               f"everything else stays in {settings.data_dir}.")
    if st.button("Forget me…", key="forget", help="Delete the local database, saved settings "
                 "and the stored key"):
        st.session_state.forgetting = True
    if st.session_state.get("forgetting"):
        forget_dialog(settings)


@st.dialog("Forget everything Local Coach keeps?", dismissible=False)
def forget_dialog(settings: Settings) -> None:
    st.write("This deletes your synced history, conversations, proposals, saved settings and "
             f"the stored API key from {settings.data_dir}. Your Intervals.icu account is not "
             "touched.")
    delete, cancel = st.columns(2)
    if delete.button("Delete it all", key="forget-confirm", type="primary"):
        deleted = forget_everything(settings.data_dir)
        st.session_state.clear()
        st.cache_data.clear()
        flash(("Deleted: " + ", ".join(deleted) + ".") if deleted else "There was nothing to "
              "delete.")
        st.rerun()
    if cancel.button("Cancel", key="forget-cancel"):
        st.session_state.forgetting = False
        st.rerun()


def save_from_form(settings: Settings, key: str, athlete_id: str, host: str, model: str,
                   think: bool, env: set[str]) -> None:
    values = {"athlete_id": athlete_id.strip() or "0", "ollama_host": host.strip(),
              "model": model.strip(), "think": think}
    try:
        save_settings(settings.data_dir, {k: v for k, v in values.items() if k not in env})
        if key.strip():
            save_api_key(settings.data_dir, key)
    except SettingsError as e:
        st.error(safe_markdown(str(e)))
        return
    st.cache_data.clear()
    st.rerun()


def banners(coach: Coach) -> bool:
    """Demo and model banners; returns True when the model can be used."""
    if coach.demo:
        st.info("You are trying Local Coach on a demo athlete with a year of synthetic "
                "training. Confirmed workouts go to a local demo calendar. To coach on your own "
                "data, add your Intervals.icu API key under Settings in the sidebar.")
    s = coach.settings
    if s.allow_remote_model and not is_loopback(s.ollama_host):
        st.warning(f"The model server {s.ollama_host} is not on this machine: your questions "
                   "and training data are sent to it (COACH_ALLOW_REMOTE_MODEL is on).")
    if os.environ.get("OLLAMA_API_KEY"):
        st.warning("OLLAMA_API_KEY is set in your environment. Local Coach never sends it; "
                   "unset it if you do not use Ollama's cloud.")
    status = model_status(s.ollama_host, s.model, s.allow_remote_model)
    if not status.ok:
        st.error(safe_markdown(status.problem or "The model is not available."))
    return status.ok


def chat(coach: Coach, conversation_id: int | None, model_ok: bool) -> None:
    turn = turns.running(conversation_id) if conversation_id is not None else None
    if conversation_id is not None:
        messages = coach.messages(conversation_id)
        if turn is not None:  # the answer in progress is drawn live, not from the database
            last_user = max((i for i, m in enumerate(messages) if m["role"] == "user"),
                            default=len(messages) - 1)
            messages = messages[:last_user + 1]
        render_conversation(coach, messages)
        if turn is not None:
            live_answer(turn)
    used = coach.context_use(conversation_id) if conversation_id is not None else None
    if used is not None:
        st.caption(f"Model context: {used:.0%} of {coach.settings.num_ctx:,} tokens used"
                   + (" — older tool results are being left out to make room"
                      if used > 0.75 else ""))
    prompt = st.chat_input("Ask your coach about your training…",
                           disabled=not model_ok or turn is not None)
    if not prompt:
        return
    if conversation_id is None:
        conversation_id = coach.new_conversation()
        st.session_state.conversation_id = conversation_id
    if coach.add_user_message(conversation_id, prompt):
        turns.start(lambda: Coach(load_settings()), conversation_id)
    st.rerun()


@st.fragment(run_every=0.4)
def live_answer(turn: turns.RunningTurn) -> None:
    """Redraw the answer in progress a few times a second; when it is done, redraw the page
    from the database (with the cards and their buttons)."""
    if turn.done.is_set():
        ended = turn.snapshot()[-1] if turn.events else None
        if isinstance(ended, AgentError) and not ended.message.startswith("You stopped"):
            flash(ended.message)
        st.rerun()
    with st.chat_message("assistant"):
        render_events(turn.snapshot())
        if st.button("Stop answer", key="stop-answer"):
            turn.stop.set()


def default_settings_dir() -> Path:
    return Path(os.environ.get("COACH_DATA_DIR") or default_data_dir()).expanduser()


def auto_sync(coach: Coach) -> None:
    """Once per browser session: the first sync, or (with an account) the news since the last
    one, which also sends confirmations that waited for Intervals.icu."""
    if st.session_state.get("auto_synced"):
        return
    st.session_state.auto_synced = True  # even if it fails: the button is there to retry
    if coach.needs_first_sync():
        st.caption("Loading your training history for the first time…")
        run_sync(coach)
    elif not coach.demo:
        run_sync(coach, quiet=True)


def main() -> None:
    try:
        settings = load_settings()
    except SettingsError as e:
        st.error(safe_markdown(str(e)))
        if st.button("Reset saved settings", help="Forget the values saved from this page "
                     "(not your API key)"):
            reset_saved_settings(default_settings_dir())
            st.rerun()
        return
    show_flash()
    with Coach(settings) as coach:
        auto_sync(coach)
        conversation_id = sidebar(coach)
        model_ok = banners(coach)
        chat(coach, conversation_id, model_ok)


main()
