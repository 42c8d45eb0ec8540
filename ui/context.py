"""The Coach of the current script run, for the page files (each browser session runs its
script in its own thread, so this is per thread, never shared), and the settings, resolved once
per browser session (reading the keyring on every rerun would be slow and could prompt)."""

from __future__ import annotations

import threading

import streamlit as st

from coach.app import Coach, Settings, setup

_local = threading.local()
_SETTINGS = "resolved-settings"


def set_coach(coach: Coach) -> None:
    _local.coach = coach


def coach() -> Coach:
    current: Coach | None = getattr(_local, "coach", None)
    if current is None:
        raise RuntimeError("ui.context.coach() is only available while ui/app.py runs a page")
    return current


def settings() -> Settings:
    """This browser session's settings; SettingsError when they cannot be read."""
    resolved = st.session_state.get(_SETTINGS)
    if resolved is None:
        resolved = st.session_state[_SETTINGS] = setup.resolve_settings()
    return resolved


def settings_changed() -> None:
    """Saved settings, a new key or another athlete: resolve them again on the next run."""
    st.session_state.pop(_SETTINGS, None)


def new_coach() -> Coach:
    """A Coach for a callback or another thread, with this session's settings."""
    return Coach(settings())
