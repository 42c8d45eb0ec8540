"""kill -9 at the worst moments: the database stays intact and nothing is duplicated."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from coach.app.session import Coach
from coach.settings import load_settings
from coach.testing.athletes import long_history_fake
from coach.testing.intervals_fake import API_KEY
from tests.waiting import wait_until


def coach_process(args, env_extra, data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    env |= {"COACH_DATA_DIR": str(data_dir), **env_extra}
    return subprocess.Popen([sys.executable, "-m", "coach.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    except sqlite3.OperationalError:  # the table is not there yet
        return 0


def test_kill_during_a_full_sync_then_sync_again(tmp_path, monkeypatch):
    fake = long_history_fake()
    fake.latency_s = 0.15
    data_dir = tmp_path / "data"
    db = data_dir / "coach.db"
    with fake.serve() as served:
        env = {"COACH_INTERVALS_URL": served.url, "COACH_INTERVALS_API_KEY": API_KEY}
        process = coach_process(["sync"], env, data_dir)
        wait_until(lambda: count(db, "activities") > 0)      # some years are in, not all
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        partial = count(db, "activities")
        assert 0 < partial < len(fake.activities)
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        fake.latency_s = 0
        with Coach(load_settings()) as coach:
            report = coach.sync()
            assert coach.store.sync_state("i123456").full_done
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [r[0] for r in conn.execute("SELECT id FROM activities")]
    assert len(ids) == len(set(ids)) == len(fake.activities)
    assert report.full


def test_kill_after_the_create_reached_intervals_then_confirm_again(tmp_path, monkeypatch):
    fake = long_history_fake()
    data_dir = tmp_path / "data"
    with fake.serve() as served:
        monkeypatch.setenv("COACH_INTERVALS_URL", served.url)
        monkeypatch.setenv("COACH_INTERVALS_API_KEY", API_KEY)
        with Coach(load_settings()) as coach:
            coach.sync()
            proposal = _propose(coach)
        before = len(fake.events)
        fake.delay_after_write_s = 30            # stored at once, answered far too late
        env = {"COACH_INTERVALS_URL": served.url, "COACH_INTERVALS_API_KEY": API_KEY}
        process = coach_process(["proposals", "confirm", str(proposal)], env, data_dir)
        wait_until(lambda: len(fake.events) == before + 1)   # it reached Intervals.icu
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        fake.delay_after_write_s = 0
        with Coach(load_settings()) as coach:
            assert coach.proposal(proposal).status == "publishing"   # the crash left it so
            result = coach.confirm(proposal)
        assert result.status == "published"
        assert len(fake.events) == before + 1                       # adopted, not re-created
        assert len([w for w in fake.writes if w.method == "POST"]) == 1


def _propose(coach) -> int:
    from datetime import timedelta

    from coach.proposals.check import check_text
    from coach.proposals.create import create_proposal

    day = coach.today() + timedelta(days=2)
    text = "- 10m 60%\n- 40m Z2\n- 10m 50%"
    return create_proposal(coach.store, athlete_id=coach.athlete_id, conversation_id=None,
                           day=day, sport="Ride", name="Endurance", description=text,
                           check=check_text(coach.store, coach.athlete_id, "Ride", text)).id
