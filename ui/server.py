"""What `coach` serves: the Streamlit pages (ui/app.py) behind the guard that lets only the
athlete's own page read or act (ui/guard.py). `streamlit run` finds `app` and serves it."""

from __future__ import annotations

__package__ = "coach.ui"  # Streamlit runs this file by path: its relative imports need it

import importlib
import threading
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from .guard import OwnPageOnly

# What the pages import takes seconds (the engine, pandas, the PDF and chart libraries). Read
# it while the server starts, beside it, so the first page finds it loaded instead of staying
# blank after the server answers (a first page used to come about 4 s after health).
PAGE_IMPORTS = ("coach.app", "altair", "pandas")


def preload() -> None:
    for name in PAGE_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # the page will say what is missing when it imports it
            pass


threading.Thread(target=preload, name="preload-page-imports", daemon=True).start()
app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(OwnPageOnly)])
