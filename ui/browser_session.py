"""This browser session as the page files see it: the Coach of the current script run (each
browser session runs its script in its own thread, so this is per thread, never shared), and
the settings, resolved once per browser session (reading the keyring on every rerun would be
slow and could prompt).

The settings hold the API key, so they never go into `st.session_state` (which Streamlit may
serialize and which debugging tools show): they stay in this process under a random handle,
and the session keeps only the handle."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

import streamlit as st

from coach.app import Coach, Settings, setup

KEPT = 64  # browser sessions whose settings stay resolved; an older one resolves them again
_HANDLE = "settings-handle"
_local = threading.local()
_resolved: OrderedDict[str, Settings] = OrderedDict()  # handle -> settings, newest last
_lock = threading.Lock()


def set_coach(coach: Coach) -> None:
    _local.coach = coach


def coach() -> Coach:
    current: Coach | None = getattr(_local, "coach", None)
    if current is None:
        raise RuntimeError("browser_session.coach() is only available while ui/app.py runs")
    return current


def settings() -> Settings:
    """This browser session's settings; SettingsError when they cannot be read."""
    handle = st.session_state.get(_HANDLE)
    if handle is None:
        handle = st.session_state[_HANDLE] = uuid.uuid4().hex
    with _lock:
        if (known := _resolved.get(handle)) is not None:
            _resolved.move_to_end(handle)
            return known
    resolved = setup.resolve_settings()
    with _lock:
        _resolved[handle] = resolved
        while len(_resolved) > KEPT:
            _resolved.popitem(last=False)
    return resolved


def settings_changed() -> None:
    """Saved settings, a new key or another athlete: resolve them again on the next run."""
    with _lock:
        _resolved.pop(st.session_state.get(_HANDLE, ""), None)


def new_coach() -> Coach:
    """A Coach for a callback or another thread, with this session's settings."""
    return Coach(settings())
