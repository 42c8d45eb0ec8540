"""What `coach` serves: the Streamlit pages (ui/app.py) behind the guard that lets only the
athlete's own page read or act (ui/guard.py). `streamlit run` finds `app` and serves it."""

from __future__ import annotations

__package__ = "coach.ui"  # Streamlit runs this file by path: its relative imports need it

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from .guard import OwnPageOnly

app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(OwnPageOnly)])
