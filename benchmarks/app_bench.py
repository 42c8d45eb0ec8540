"""Figures 6 and 7: `coach` start-up to a healthy server, and its memory after one chat turn."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.athlete import ATHLETE_ID
from benchmarks.figures import BenchmarkError
from coach.app.session import KEY_OWNER
from coach.store import Store
from coach.testing.app import CHROMIUM, free_port, stop_process

HEALTH_POLL_S = 0.02
START_TIMEOUT_S = 60.0
QUESTION = "Please plan a workout for me"  # the coach script: fitness_trend, then a proposal
# urllib would send 127.0.0.1 through an HTTP(S)_PROXY from the environment.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen[bytes]
    start_seconds: float  # from launching the process to /_stcore/health answering ok
    launched: float       # time.perf_counter() when the process was launched
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def prepare_data_dir(template_db: Path, data_dir: Path) -> Path:
    """A data folder holding the synced store, as after the athlete's first sync."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / "coach.db"
    shutil.copyfile(template_db, db_path)
    with closing(Store(db_path)) as store:
        store.set_meta(KEY_OWNER, ATHLETE_ID)  # what Coach.sync records for the key's owner
    return data_dir


def app_env(data_dir: Path, intervals_url: str, ollama_url: str) -> dict[str, str]:
    """The environment of a user with an Intervals.icu key; none of the caller's COACH_ vars."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    from coach.testing.intervals_fake import API_KEY

    return {**clean, "COACH_DATA_DIR": str(data_dir), "COACH_INTERVALS_URL": intervals_url,
            "COACH_INTERVALS_API_KEY": API_KEY, "OLLAMA_HOST": ollama_url}


@contextmanager
def running_app(env: dict[str, str], cwd: Path) -> Iterator[RunningApp]:
    """`python -m coach.cli --port N`, timed until healthy; stopped on exit."""
    port = free_port()
    log_path = cwd / f"coach-{port}.log"
    with open(log_path, "wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "coach.cli", "--port", str(port)],
                                   cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process, log_path)
        yield RunningApp(url, process, time.perf_counter() - started, started, log_path)
    finally:
        stop_process(process)


def browser_missing() -> str | None:
    """Why figure 7 cannot be measured here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is not installed (Debian package chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def usable_seconds(app: RunningApp, athlete_name: str) -> float:
    """From launching `coach` to a page a person can use: the athlete named in the sidebar
    and the chat box on screen (the page's first run is done)."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    from coach.testing.browser import Traffic, browser_page

    try:
        with browser_page(Traffic()) as page:
            page.goto(app.url)
            expect(page.get_by_text(f"Athlete: {athlete_name}")).to_be_visible(timeout=60_000)
            expect(page.get_by_test_id("stChatInputTextArea")).to_be_visible(timeout=60_000)
            return time.perf_counter() - app.launched
    except (AssertionError, PlaywrightError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise BenchmarkError(f"the page did not become usable ({first}); app log:\n"
                             f"{app.log_tail()}") from None


def rss_after_turn(app: RunningApp, athlete_name: str) -> float:
    """Load the page, check the athlete is shown, ask one question that makes the coach call
    a tool and propose a workout, wait for the card; then the app's RSS in MB."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect

    from coach.testing.browser import Traffic, browser_page, send, wait_idle

    traffic = Traffic()
    try:
        with browser_page(traffic) as page:
            page.goto(app.url)
            wait_idle(page)
            expect(page.get_by_text(f"Athlete: {athlete_name}")).to_be_visible(timeout=30_000)
            send(page, QUESTION)
            page.get_by_role("button", name="Confirm").wait_for(timeout=60_000)
            wait_idle(page)
            rss = tree_rss_mb(app.process.pid)
    except (AssertionError, PlaywrightError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise BenchmarkError(f"the chat turn in the page did not complete ({first}); "
                             f"app log:\n{app.log_tail()}") from None
    if traffic.external:
        raise BenchmarkError(f"the page requested outside addresses: {traffic.external}")
    return rss


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants (VmRSS), in MB (10^6 bytes)."""
    return sum(_vm_rss_kb(p) for p in _tree(pid)) * 1024 / 1e6


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            pending += [int(c) for c in task.read_text().split()]
    return found


def _vm_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.perf_counter() + START_TIMEOUT_S
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise BenchmarkError(f"coach exited early:\n{log_path.read_text(errors='replace')}")
        try:
            with _LOCAL.open(url + "/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(HEALTH_POLL_S)
    raise BenchmarkError(f"coach was not healthy after {START_TIMEOUT_S:.0f} s:\n"
                         f"{log_path.read_text(errors='replace')}")
