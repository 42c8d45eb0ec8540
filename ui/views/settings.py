"""Settings & privacy: connections, key, athlete, model, when you train, the notes the coach
keeps in mind, where the data lives, Forget me."""

from __future__ import annotations

__package__ = "coach.ui.views"  # Streamlit runs this file by path: its relative imports need it

import streamlit as st

from coach.app import Coach, Settings, answers
from coach.app.setup import ENV_VARS
from coach.errors import CoachError, SettingsError

from .. import browser_session
from ..availability import availability_form
from ..cards import flash
from ..models import models_section
from ..notes import notes_section
from ..shared import current_model_status, last_sync_caption
from ..text import plain, safe_markdown

WHAT_LEAVES = """**What leaves this machine:** only requests to your own Intervals.icu account
(reading your history; writing a workout you confirmed) and to your model server, which is on
this machine. Nothing goes to any cloud AI, no usage statistics are sent, and the page loads
nothing from the internet. Your history, conversations and proposals stay in the folder below;
the API key is never shown to the model, written to the logs or the database, or shown here."""


def connections(coach: Coach) -> None:
    st.subheader("Connections")
    left, right = st.columns(2)
    with left:
        if coach.demo:
            st.info("Intervals.icu: not connected — running on the demo athlete.")
        else:
            key = KEY_SOURCES[coach.settings.api_key_source]
            st.success(f"Intervals.icu: connected with the key {key}, athlete "
                       f"{coach.athlete_id or coach.settings.athlete_id}.")
        last_sync_caption(coach)
    with right:
        status = current_model_status(coach)
        if status.ok:
            st.success(f"Ollama at {plain(status.host)}: {plain(coach.settings.model)} ready, "
                       "can call tools.")
        else:
            st.error(safe_markdown(status.problem or "The model is not available."))


KEY_SOURCES = {"env": "from COACH_INTERVALS_API_KEY", "keyring": "saved in the OS keyring",
               "file": "saved in the data folder", "none": "(none)"}
FIELD_LABELS = {"athlete_id": "Athlete id", "ollama_host": "Ollama host", "model": "Model",
                "num_ctx": "Context window", "think": "Reasoning"}


def account_form(settings: Settings) -> None:
    st.subheader("Intervals.icu and the model")
    env = {k for k, v in settings.sources.items() if v == "env"}
    status = current_model_status(browser_session.coach())
    locked_caption(env)
    with st.form("settings"):
        key_note = {"env": "set by COACH_INTERVALS_API_KEY", "keyring": "saved in the OS "
                    "keyring", "file": "a key is saved", "none": "none: demo athlete"}[
                    settings.api_key_source]
        key = st.text_input(f"Intervals.icu API key ({key_note})", type="password", value="",
                            disabled=settings.api_key_source == "env",
                            help="Intervals.icu → Settings → Developer Settings → API key")
        athlete_id = st.text_input("Athlete id (0 = the key's owner)", settings.athlete_id,
                                   **locking("athlete_id", env))
        host = st.text_input("Ollama host", settings.ollama_host, **locking("ollama_host", env))
        model = model_picker(settings, status.installed, env)
        num_ctx = st.number_input("Context window (num_ctx, tokens)", 2048, 131072,
                                  settings.num_ctx, step=1024, **locking("num_ctx", env))
        think = st.toggle("Reasoning (slower, sometimes better plans)", settings.think,
                          **locking("think", env))
        if st.form_submit_button("Save settings"):
            save(settings, env, key, {"athlete_id": athlete_id.strip() or "0",
                                      "ollama_host": host.strip(), "model": model.strip(),
                                      "num_ctx": int(num_ctx), "think": think})


def locked_caption(env: set[str]) -> None:
    """Which fields the environment sets, said once above the form (a tooltip is easy to miss,
    and a phone has none)."""
    locked = [f"{label} ({ENV_VARS[field]})" for field, label in FIELD_LABELS.items()
              if field in env]
    if locked:
        st.caption(f"Set by environment variables, so locked here: {', '.join(locked)}. To "
                   "change them, start Local Coach without those variables, or with other "
                   "values.")


def locking(field: str, env: set[str]) -> dict:
    """A field the environment sets: disabled, with the variable to change named on it."""
    if field not in env:
        return {"disabled": False}
    variable = ENV_VARS[field]
    return {"disabled": True, "help": f"Set by the environment variable {variable}: to change "
            f"it, start Local Coach with another {variable}, or without it to set it here"}


def model_picker(settings: Settings, installed: list[str], env: set[str]) -> str:
    """Installed models with a badge for tool support and size; any name can be typed."""
    details = browser_session.coach().model_details()
    if not installed:
        return st.text_input("Model", settings.model, **locking("model", env))
    options = list(dict.fromkeys([settings.model, *installed]))
    return st.selectbox("Model", options, index=0, **locking("model", env),
                        format_func=lambda name: details.get(name, name), accept_new_options=True)


def save(settings: Settings, env: set[str], key: str, values: dict) -> None:
    try:
        changed = {k: v for k, v in values.items() if k not in env}
        browser_session.coach().save_settings(changed, key)
    except SettingsError as e:
        st.error(safe_markdown(str(e)))
        return
    browser_session.settings_changed()
    st.cache_data.clear()
    st.session_state.auto_synced = False  # a new key or athlete: sync again
    st.rerun()


def coach_mode(coach: Coach) -> None:
    if coach.demo:
        return
    st.subheader("Coach mode")
    st.caption("A coach's API key can see the athletes it coaches; each keeps its own history, "
               "conversations and proposals. Switch in the sidebar.")
    if st.button("Load the athletes I coach", key="load-roster"):
        try:
            roster = coach.load_roster()
        except CoachError as e:
            st.error(safe_markdown(str(e)))
            return
        flash(f"{len(roster)} athletes: " + ", ".join(plain(a["name"] or a["id"])
                                                       for a in roster)
              + (". Switch between them in the sidebar." if len(roster) > 1 else "."),
              "success")
        st.rerun()  # the sidebar's switcher is drawn before this page


def data_and_privacy(coach: Coach) -> None:
    st.subheader("Your data")
    st.markdown(WHAT_LEAVES)
    size = coach.data_size()
    st.caption(f"Stored in {plain(str(coach.settings.data_dir))} ({size / 1_048_576:.1f} MB).")
    busy = answers.any_running()
    if st.button("Forget me…", key="forget", disabled=busy,
                 help="Wait for the coach's answer to finish first" if busy else
                 "Delete the local database, saved settings and the stored key"):
        st.session_state.forgetting = True
    if st.session_state.get("forgetting"):
        forget_dialog(coach)


@st.dialog("Forget everything Local Coach keeps?", dismissible=False)
def forget_dialog(coach: Coach) -> None:
    settings = coach.settings
    st.write("This deletes your synced history, conversations, proposals, check-ins, reviews, "
             f"notes, saved settings and the stored API key from {plain(str(settings.data_dir))}. "
             "Your Intervals.icu account is not touched, and nothing is read from it again "
             "until you ask.")
    if settings.api_key_source == "env":
        st.warning("Your API key comes from the environment variable "
                   "`COACH_INTERVALS_API_KEY`: Local Coach never stored it and cannot delete "
                   "it. Unset it before you start Local Coach again, or your account will be "
                   "read again then.")
    delete, cancel = st.columns(2)
    if delete.button("Delete it all", key="forget-confirm", type="primary"):
        forgotten = coach.forget_everything()
        browser_session.settings_changed()
        st.session_state.clear()
        st.cache_data.clear()
        deleted = forgotten.deleted
        text = ("Deleted: " + ", ".join(deleted) + ".") if deleted else "There was nothing to " \
            "delete."
        if forgotten.problems:
            flash(text + "\n\n**Not deleted:** " + " ".join(forgotten.problems), "error")
        else:
            flash(text, "success")
        st.rerun()
    if cancel.button("Cancel", key="forget-cancel"):
        st.session_state.forgetting = False
        st.rerun()


def page() -> None:
    coach = browser_session.coach()
    st.header("Settings & privacy")
    connections(coach)
    account_form(coach.settings)
    models_section(coach)
    availability_form(coach)
    notes_section(coach)
    coach_mode(coach)
    data_and_privacy(coach)


page()
