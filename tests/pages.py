"""Driving the app with Streamlit's AppTest: open it (a new browser session, on a page), wait
for the answers running in the background, and read what it shows. Shared by the AppTest
files; their fixtures (`ollama`, `fresh_page_caches`) are in conftest.py."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from coach.app import answers

APP = Path(__file__).resolve().parents[1] / "ui" / "app.py"


def open_page(view: str | None = None) -> AppTest:
    """A new browser session (a first visit or a reload), on `view` (`views/<view>.py`)."""
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    return at.switch_page(f"views/{view}.py").run() if view else at


def wait_for_answers() -> None:
    """Answers run in a background thread: wait for them (AppTest drives no timed refresh)."""
    assert answers.wait_all(30), "the answer did not finish"


def no_failure(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "header", "subheader", "info",
                                  "success", "warning") for e in getattr(at, kind)]
    return " ".join(str(p) for p in parts)
