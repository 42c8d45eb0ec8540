"""A sync never strands the athlete: each step × each failure, what is stored, the exit code and
the sentence; then kill -9 in the middle of each step and sync again: nothing lost or doubled."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from coach.app.session import Coach, Settings
from coach.cli import main as cli
from coach.intervals.client import IntervalsClient
from coach.testing.athletes import long_history_fake
from coach.testing.intervals_fake import API_KEY, FakeIntervals

TODAY = date(2026, 3, 13)
FAILURES = {  # how Intervals.icu fails -> the words the athlete reads
    "403": ("Intervals.icu refused access (403)", dict(status=403)),
    "404": ("Intervals.icu has no such item (404", dict(status=404)),
    "500": ("Intervals.icu had a server error (500)", dict(status=500)),
    "503": ("Intervals.icu had a server error (503)", dict(status=503)),
    "timeout": ("Intervals.icu did not answer in time", dict(timeout=True)),
    "malformed": ("not valid JSON", dict(status=200, raw=b'[{"id": "i1", "type": "Ri')),
}
REQUIRED = {"athlete": "", "activities": "/activities", "wellness": "/wellness"}
OPTIONAL = {  # step -> (path it reads, the start of its warning)
    "calendar": ("/events", "Your calendar (planned workouts and races) was not updated: "),
    "best efforts (Ride)": ("/power-curves", "Best efforts for Ride were not updated: "),
    "best efforts (Run, Swim)": ("/pace-curves", "Best efforts for Run were not updated: "),
    "athlete list": ("/api/v1/athletes", "The list of athletes you coach was not updated: "),
}


def sample_account(today: date = TODAY) -> FakeIntervals:
    """A month of the demo athlete's training served as a real account, with curves."""
    return long_history_fake(today, days=30)


def coach_for(fake: FakeIntervals, data_dir: Path) -> Coach:
    settings = Settings(data_dir=data_dir, api_key=SecretStr(API_KEY), api_key_source="env")
    client = IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                             sleep=lambda s: None)
    return Coach(settings, today=TODAY, calendar=client)


def sync(fake: FakeIntervals, data_dir: Path) -> tuple[int, str]:
    out = io.StringIO()
    with coach_for(fake, data_dir) as coach:
        code = cli.sync_in_terminal(coach, False, out)
    return code, out.getvalue()


def stored(data_dir: Path, table: str) -> int:
    with sqlite3.connect(data_dir / "coach.db") as conn:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def fail(fake: FakeIntervals, path: str, how: dict) -> None:
    if path:
        fake.fail_path(path, how.get("status", 500), timeout=how.get("timeout", False),
                       raw=how.get("raw"))
    else:  # the athlete record is the first request of every sync
        fake.fail_next(how.get("status", 500), times=5, timeout=how.get("timeout", False),
                       raw=how.get("raw"))


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("step", REQUIRED)
def test_a_required_step_that_fails_fails_the_sync_and_keeps_what_was_read(
        step, failure, data_dir):
    fake = sample_account()
    words, how = FAILURES[failure]
    fail(fake, REQUIRED[step], how)
    code, out = sync(fake, data_dir)
    assert code == 1
    assert "Sync failed: " in out and words in out and "Traceback" not in out
    if step == "athlete":
        assert stored(data_dir, "athletes") == 0
        with coach_for(fake, data_dir) as coach:  # the page says why there is no athlete yet
            assert coach.athlete_id is None and words in (coach.sync_health().last_error or "")
    else:
        assert stored(data_dir, "athletes") == 1   # the athlete is known: pages and chat work
        with coach_for(fake, data_dir) as coach:
            assert coach.athlete_id == "i123456"
            health = coach.sync_health()
            assert any("not been loaded" in m or "partly loaded" in m for m in health.missing)
        kept = 0 if step == "activities" else len(fake.activities)
        assert stored(data_dir, "activities") == kept
    fake.heal()
    code, out = sync(fake, data_dir)
    assert code == 0
    assert stored(data_dir, "activities") == len(fake.activities)
    assert stored(data_dir, "wellness") == len(fake.wellness)
    with coach_for(fake, data_dir) as coach:
        assert coach.sync_health().ok


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("step", OPTIONAL)
def test_an_optional_step_that_fails_is_one_warning_and_is_retried(step, failure, data_dir):
    fake = sample_account()
    path, warning = OPTIONAL[step]
    words, how = FAILURES[failure]
    fail(fake, path, how)
    code, out = sync(fake, data_dir)
    assert code == 0, out
    lines = [line for line in out.splitlines() if line.startswith("Warning: ")]
    mine = [line for line in lines if warning in line]
    assert len(mine) == 1 and words in mine[0] and mine[0].endswith("at the next sync.")
    assert stored(data_dir, "activities") == len(fake.activities)
    assert stored(data_dir, "wellness") == len(fake.wellness)
    with coach_for(fake, data_dir) as coach:
        assert any(warning.split(" not updated")[0] in m for m in coach.sync_health().missing)
    fake.heal()
    before = len(fake.requests)
    code, out = sync(fake, data_dir)
    assert code == 0 and "Warning" not in out
    assert any(path in r.path for r in fake.requests[before:])     # retried
    with coach_for(fake, data_dir) as coach:
        assert coach.sync_health().ok
    assert stored(data_dir, "events") == len(fake.events)
    assert stored(data_dir, "curves") == sum(len(c) for c in fake.curves.values())


def test_a_failed_calendar_is_backfilled_in_full_not_only_the_short_window(data_dir):
    fake = sample_account()
    sync(fake, data_dir)                                   # first sync: a year of calendar
    fake.fail_path("/events", 503)
    assert sync(fake, data_dir)[0] == 0
    fake.heal()
    before = len(fake.requests)
    sync(fake, data_dir)
    [read] = [r for r in fake.requests[before:] if r.path.endswith("/events")]
    assert (TODAY - date.fromisoformat(read.query["oldest"])).days == 365


def test_a_record_that_does_not_parse_is_skipped_by_id_and_the_others_are_stored(data_dir):
    fake = sample_account()
    bad = fake.activities[0]["id"]
    # as Intervals.icu might one day send it (an injected answer: the fake itself keeps to
    # the OpenAPI document)
    fake.fail_next(200, path_contains="/activities",
                   body=[{**fake.activities[0], "icu_training_load": "lots"}, *fake.activities[1:]])
    code, out = sync(fake, data_dir)
    assert code == 0
    assert f"Warning: The activity {bad} was left out" in out
    assert stored(data_dir, "activities") == len(fake.activities) - 1


def test_a_record_that_stops_parsing_keeps_its_earlier_copy(data_dir):
    fake = sample_account()
    sync(fake, data_dir)
    first = fake.activities[0]["id"]
    fake.fail_next(200, path_contains="/activities",
                   body=[{**fake.activities[0], "moving_time": {"new": "shape"}},
                         *fake.activities[1:]])
    code, out = sync(fake, data_dir)
    assert code == 0 and f"The activity {first} was left out" in out
    assert stored(data_dir, "activities") == len(fake.activities)


# --- kill -9 in the middle of each step ------------------------------------------------------

STEPS = {"athlete": "", "activities": "/activities", "wellness": "/wellness",
         "calendar": "/events", "power curves": "/power-curves", "pace curves": "/pace-curves",
         "athlete list": "/api/v1/athletes"}


@pytest.mark.parametrize("step", STEPS)
def test_kill_9_in_each_step_then_sync_again_loses_and_doubles_nothing(step, tmp_path):
    fake = sample_account(date.today())  # the killed `coach sync` runs on the real today
    data_dir = tmp_path / "data"
    with fake.serve() as served:
        release = fake.hold(STEPS[step])
        process = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "sync"], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, env={**clean_env(), "COACH_DATA_DIR": str(data_dir),
                                            "COACH_INTERVALS_URL": served.url,
                                            "COACH_INTERVALS_API_KEY": API_KEY})
        assert fake.holding.wait(30)              # the sync is inside this step right now
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        release.set()
        fake.held.clear()
        if (data_dir / "coach.db").exists():
            with sqlite3.connect(data_dir / "coach.db") as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        out = io.StringIO()
        code = sync_served(served.url, data_dir, out)
    assert code == 0, out.getvalue()
    assert stored(data_dir, "activities") == len(fake.activities)
    assert stored(data_dir, "wellness") == len(fake.wellness)
    assert stored(data_dir, "events") == len(fake.events)
    assert stored(data_dir, "curves") == sum(len(c) for c in fake.curves.values())
    assert stored(data_dir, "athletes") == 1


def sync_served(url: str, data_dir: Path, out: io.StringIO) -> int:
    settings = Settings(data_dir=data_dir, api_key=SecretStr(API_KEY), api_key_source="env",
                        intervals_url=url)
    with Coach(settings) as coach:
        return cli.sync_in_terminal(coach, False, out)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}

