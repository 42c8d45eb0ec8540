"""Browser-test helpers: the pytest side (skip without Chromium, except under CI=true); the
rest lives in coach.testing.browser so the benchmarks can use it too."""

from __future__ import annotations

import copy
import os
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach import demo
from coach.testing.app import CHROMIUM, free_port, listening_addresses, running_app, stop_process
from coach.testing.browser import (
    Traffic,
    app_page,
    browser_page,
    screenshot,
    send,
    wait_idle,
)
from coach.testing.intervals_fake import API_KEY, FakeIntervals

__all__ = ["CHROMIUM", "Traffic", "account_env", "app_page", "browser_page", "free_port",
           "listening_addresses", "nav", "real_account", "require_browser", "running_app",
           "screenshot", "send", "stop_process", "wait_idle"]


def _patient_expectations() -> None:
    # The page redraws after every action; on a busy 2-core CI machine a redraw can take a few
    # seconds, and during it the old element may briefly stand beside the new one.
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)


def require_browser() -> None:
    """Skip without Chromium on a developer machine; under CI=true a missing browser fails."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        _patient_expectations()
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {CHROMIUM} is missing: install Debian's chromium package")
    pytest.skip(f"{CHROMIUM} not installed (browser tests run in CI)")


def real_account() -> FakeIntervals:
    """The demo year served as a real Intervals.icu account (athlete i123456)."""
    data = demo.generate(date.today())
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": "Ana Ruiz"}
    activities = [{**a, "icu_athlete_id": "i123456"} for a in data.activities]
    return FakeIntervals(athlete=athlete, activities=activities, wellness=data.wellness,
                         events=data.events,
                         curves={s: demo.curves(s) for s in ("Ride", "Run", "Swim")})


def account_env(tmp_path: Path, intervals_url: str, ollama_url: str) -> dict[str, str]:
    """How a user with an account starts `coach`: environment variables."""
    return {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_INTERVALS_URL": intervals_url,
            "COACH_INTERVALS_API_KEY": API_KEY, "OLLAMA_HOST": ollama_url}


def nav(page: Any, title: str) -> None:
    """Open another page from the sidebar and wait until it is drawn."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).click()
    wait_idle(page)
