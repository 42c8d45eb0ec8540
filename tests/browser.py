"""Browser-test helpers: the pytest side (skip without Chromium, except under CI=true); the
rest lives in coach_testing.browser so the benchmarks can use it too."""

from __future__ import annotations

import os
import shutil

import pytest

from coach_testing.app import CHROMIUM, free_port, listening_addresses, running_app, stop_process
from coach_testing.browser import (
    Traffic,
    app_page,
    browser_page,
    screenshot,
    send,
    wait_idle,
)

__all__ = ["CHROMIUM", "Traffic", "app_page", "browser_page", "free_port", "listening_addresses",
           "require_browser",
           "running_app", "screenshot", "send", "stop_process", "wait_idle"]


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
