"""Helpers for real-browser tests: start `coach` as a subprocess, drive Debian Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]
LOCAL_PREFIXES = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def running_app(cwd: Path, env: dict[str, str], log_path: Path) -> Iterator[RunningApp]:
    """`coach --port N` started from `cwd`, as a user would; waits for /_stcore/health."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "--port", str(port)], cwd=cwd,
            env={**clean, **env}, stdout=log, stderr=subprocess.STDOUT)
    app = RunningApp(f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        _wait_healthy(app)
        yield app
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, and kill if it does not end within 15 s."""
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _wait_healthy(app: RunningApp, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise AssertionError(f"coach exited early:\n{app.log()}")
        try:
            with urllib.request.urlopen(app.url + "/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"coach did not become healthy:\n{app.log()}")


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, read from /proc/net/tcp{,6}."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(_decode_address(addr))
    return found


def _decode_address(hex_addr: str) -> str:
    raw = bytes.fromhex(hex_addr)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


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
