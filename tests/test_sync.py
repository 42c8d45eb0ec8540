"""Full and incremental sync into a real SQLite store, from the fake Intervals.icu."""

import copy
from datetime import date, timedelta

import pytest

from coach.errors import IntervalsUnavailable
from coach.intervals.sync import sync_history
from coach.records import NewEvent
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES
from coach.testing.intervals_samples import SAMPLE_TODAY as TODAY


def snapshot(store):
    tables = ["athletes", "activities", "wellness", "events"]
    return {t: sorted(map(str, store.db.execute(
        f"SELECT * FROM [{t}]").fetchall())) for t in tables if t != "athletes"} | {
        "athletes": sorted(r[0] for r in store.db.execute("SELECT raw FROM athletes"))}


def year_of_rides(n_years=3):
    """One ride a week for n years before TODAY."""
    rides = []
    for week in range(52 * n_years):
        day = TODAY - timedelta(days=3 + 7 * week)
        rides.append({"id": f"i{900000 + week}", "icu_athlete_id": "i123456",
                      "start_date_local": f"{day}T08:00:00", "type": "Ride",
                      "name": f"Ride {week}", "source": "GARMIN_CONNECT", "moving_time": 3600,
                      "distance": 30000.0, "icu_training_load": 60})
    return rides


def test_first_sync_reads_everything_and_reports_progress(store, intervals, fake_intervals):
    seen = []
    report = sync_history(intervals, store, TODAY, progress=seen.append)
    assert report.full
    assert store.counts("i123456") == {"activities": 4, "wellness": 3, "events": 0}
    assert report.unavailable == 1 and "Strava" in report.summary()
    assert seen[0].message.startswith("Reading athlete") and seen[-1].fraction == 1.0
    assert [p.fraction for p in seen] == sorted(p.fraction for p in seen)
    assert store.athlete("i123456").sportSettings[0].ftp == 250


def test_full_sync_walks_back_in_yearly_windows_newest_first(store, fake_intervals, intervals):
    fake_intervals.activities = year_of_rides(3)
    sync_history(intervals, store, TODAY)
    windows = [r.query for r in fake_intervals.requests if r.path.endswith("/activities")]
    oldest = [w["oldest"] for w in windows]
    assert oldest == sorted(oldest, reverse=True)          # newest window first
    assert len(windows) == 5                                # 3 years with data + 2 empty ones
    assert store.counts("i123456")["activities"] == 156
    assert len(fake_intervals.requests) <= 16     # + athlete, events, 3 curves, athlete list


def test_resyncing_changes_nothing(store, intervals, fake_intervals):
    sync_history(intervals, store, TODAY)
    before = snapshot(store)
    report = sync_history(intervals, store, TODAY)
    assert not report.full and report.changed == 0
    assert snapshot(store) == before
    report = sync_history(intervals, store, TODAY, full=True)
    assert report.full and report.changed == 0 and snapshot(store) == before


def test_incremental_sync_rereads_14_days_and_picks_up_edits(store, intervals, fake_intervals):
    sync_history(intervals, store, TODAY)
    fake_intervals.requests.clear()
    edited = next(a for a in fake_intervals.activities if a.get("type") == "Run")
    edited["name"] = "Tempo 10k (renamed)"
    fake_intervals.activities.append({**copy.deepcopy(edited), "id": "i150000009",
                                      "start_date_local": f"{TODAY}T07:00:00"})
    report = sync_history(intervals, store, TODAY)
    assert report.activities_changed == 2
    assert len(fake_intervals.requests) <= 4 + 3     # and the curves, as activities changed
    window = next(r.query for r in fake_intervals.requests if r.path.endswith("/activities"))
    assert window["oldest"] == str(TODAY - timedelta(days=14))
    names = {a.name for a in store.activities("i123456", TODAY - timedelta(30), TODAY)}
    assert "Tempo 10k (renamed)" in names


def test_activities_deleted_on_intervals_disappear(store, intervals, fake_intervals):
    sync_history(intervals, store, TODAY)
    fake_intervals.activities = [a for a in fake_intervals.activities if a.get("type") != "Swim"]
    report = sync_history(intervals, store, TODAY)
    assert report.removed == 1 and store.counts("i123456")["activities"] == 3


def test_interrupted_full_sync_resumes_where_it_stopped(store, fake_intervals, intervals):
    fake_intervals.activities = year_of_rides(3)
    # the first window succeeds, then Intervals.icu goes down
    calls = {"n": 0}
    real = intervals.activities

    def flaky(oldest, newest):
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntervalsUnavailable("down")
        return real(oldest, newest)

    intervals.activities = flaky
    with pytest.raises(IntervalsUnavailable):
        sync_history(intervals, store, TODAY)
    state = store.sync_state("i123456")
    assert not state.full_done and state.full_cursor == str(TODAY - timedelta(days=364))
    assert state.last_error == "down"
    intervals.activities = real
    fake_intervals.requests.clear()
    sync_history(intervals, store, TODAY)
    first_window = next(r.query for r in fake_intervals.requests
                        if r.path.endswith("/activities"))
    assert first_window["newest"].startswith(str(TODAY - timedelta(days=365)))
    assert store.sync_state("i123456").full_done
    assert store.counts("i123456")["activities"] == 156


def test_calendar_events_synced_and_deleted_ones_pruned(store, intervals, fake_intervals):
    fake_intervals.events = {}
    created = intervals.create_event(NewEvent(
        start_date_local=f"{TODAY + timedelta(days=2)}T00:00:00", type="Run", name="Easy",
        description="- 30m Z2 Pace", external_id="x1"))
    sync_history(intervals, store, TODAY)
    assert [e.id for e in store.events("i123456", TODAY, TODAY + timedelta(7))] == [created.id]
    intervals.delete_event(created.id)
    sync_history(intervals, store, TODAY)
    assert store.events("i123456", TODAY, TODAY + timedelta(7)) == []


def test_sample_stub_is_the_only_unavailable(store, intervals):
    sync_history(intervals, store, TODAY)
    acts = store.activities("i123456", date(2026, 3, 1), TODAY)
    assert sum(a.unavailable for a in acts) == sum(
        1 for a in SAMPLE_ACTIVITIES if a.get("source") == "STRAVA")


def test_best_effort_curves_are_read_only_when_there_is_something_new(store, intervals,
                                                                       fake_intervals):
    from coach import demo

    fake_intervals.curves = {s: demo.curves(s) for s in ("Ride", "Run", "Swim")}
    sync_history(intervals, store, TODAY)
    assert set(store.curves("i123456", "Ride")) == {"42d", "84d", "1y", "all"}
    assert store.curves("i123456", "Run")["all"].distance[0] == 400
    fake_intervals.requests.clear()
    report = sync_history(intervals, store, TODAY)
    assert not report.curves_read and len(fake_intervals.requests) == 4
    fake_intervals.activities.append({"id": "i77", "start_date_local": f"{TODAY}T07:00:00",
                                      "type": "Ride", "source": "GARMIN_CONNECT"})
    fake_intervals.requests.clear()
    assert sync_history(intervals, store, TODAY).curves_read
    assert any(r.path.endswith("/power-curves") and r.query["type"] == "Ride"
               for r in fake_intervals.requests)
