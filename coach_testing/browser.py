"""Drive Debian Chromium against a running `coach` (Playwright, imported when used), recording
every request so a test or benchmark can fail on anything that leaves 127.0.0.1."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .app import CHROMIUM, running_app

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "http://localhost:", "ws://localhost:",
                  "data:", "blob:", "about:")


@dataclass
class Traffic:
    """Every request and websocket the page made; `external` is what left 127.0.0.1."""

    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)

    @property
    def external(self) -> list[str]:
        return [u for u in self.requests + self.websockets if not u.startswith(LOCAL_PREFIXES)]


@contextmanager
def browser_page(traffic: Traffic) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})

        def guard(route: Any) -> None:
            url = route.request.url
            traffic.requests.append(url)
            if url.startswith(LOCAL_PREFIXES):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", guard)
        page.on("websocket", lambda ws: traffic.websockets.append(ws.url))
        try:
            yield page
        finally:
            browser.close()


IDLE = ("[data-testid='stApp'][data-test-connection-state='CONNECTED']"
        "[data-test-script-state='notRunning']")


def wait_idle(page: Any, timeout_ms: int = 60_000, settle_s: float = 0.6) -> None:
    """Wait until the page is connected, no script run is going on and nothing on the page is
    stale, and it stays so for `settle_s` (a rerun asked for a moment ago may start late)."""
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        idle = page.locator(IDLE).count() == 1 and \
            page.locator("[data-stale='true']").count() == 0
        if not idle:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle_s:
            return
        time.sleep(0.1)
    raise AssertionError("the page did not become idle")


def screenshot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("SCREENSHOTS_DIR", "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@contextmanager
def app_page(tmp_path: Path, env: dict[str, str], traffic: Traffic,
             log_name: str = "app.log") -> Iterator[Any]:
    """`coach` started with `env`, and a browser page open on it, idle."""
    with running_app(tmp_path, env, tmp_path / log_name) as app, browser_page(traffic) as page:
        page.goto(app.url)
        wait_idle(page)
        yield page


def send(page: Any, text: str) -> None:
    """Type a message into the chat box and send it."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
