"""Synced stores for the demo athlete and a synthetic 10-year athlete, shared by slow tests,
an account whose records carry nulls, and one whose HRV is low this morning (check-ins)."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from coach import demo
from coach.demo.calendar import DemoCalendar
from coach.demo.sessions import TIMEZONE
from coach.intervals.client import IntervalsClient
from coach.intervals.sync import sync_history
from coach.store import Store

from .intervals_fake import API_KEY, FakeIntervals

TODAY = date(2026, 11, 26)  # a Thursday
TEN_YEARS = 3650
PLANNED_ID = 104799999  # the workout planned today in `low_hrv_account`
HARD_TEXT = "Warmup\n- 15m 60%\n\nMain set 3x\n- 10m 100%\n- 5m 55%\n\nCooldown\n- 10m 50%"


def demo_store(folder: Path, today: date = TODAY) -> Store:
    store = Store(folder / "demo.db")
    sync_history(DemoCalendar(store, today), store, today)
    return store


def long_history_fake(today: date = TODAY, days: int = TEN_YEARS) -> FakeIntervals:
    """The demo generator run over `days`, served as a real account (athlete i123456)."""
    data = demo.generate(today, days=days)
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": "Long History"}
    activities = [{**a, "icu_athlete_id": "i123456"} for a in data.activities]
    return FakeIntervals(athlete=athlete, activities=activities, wellness=data.wellness,
                         events=data.events,
                         curves={s: demo.curves(s) for s in ("Ride", "Run", "Swim")})


def ten_year_store(folder: Path, today: date = TODAY) -> Store:
    fake = long_history_fake(today)
    store = Store(folder / "ten-years.db")
    with IntervalsClient("https://intervals.icu", API_KEY, transport=fake.transport(),
                         sleep=lambda s: None) as client:
        sync_history(client, store, today)
    return store


SPARSE_STRAVA_ID = "20171057567"  # 11 digits: a page that shows it shows a raw id


def sparse_account(today: date | None = None) -> FakeIntervals:
    """The demo year served as a real account (athlete i123456) whose records carry nulls and
    gaps, as real accounts do: activities without HR, power, distance, intensity, load, time
    or name; no sleep ever, wellness days without HRV, resting HR or CTL/ATL; events without moving
    time, load or name; and a Strava stub yesterday. Null fields are sent as `null` or left
    out, in turns."""
    today = today or date.today()
    data = demo.generate(today)
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": "Sam Sparse"}
    gaps = {  # every n-th record (at offset k) loses these fields
        (2, 0): ("average_heartrate", "max_heartrate", "icu_hr_zone_times", "hr_load"),
        (3, 0): ("icu_average_watts", "icu_weighted_avg_watts", "icu_zone_times"),
        (4, 1): ("distance", "icu_distance", "average_speed", "pace"),
        (5, 2): ("icu_intensity", "icu_training_load", "pace_zone_times"),
        (7, 3): ("moving_time", "elapsed_time", "calories", "compliance"),
        (11, 4): ("name", "icu_rpe", "average_cadence", "total_elevation_gain"),
    }
    activities = [_with_gaps({**a, "icu_athlete_id": "i123456"}, i, gaps)
                  for i, a in enumerate(data.activities)]
    activities.append({"id": SPARSE_STRAVA_ID, "icu_athlete_id": "i123456",
                       "start_date_local": f"{today - timedelta(days=1)}T12:30:00",
                       "source": "STRAVA",
                       "_note": "STRAVA activities are not available via the API"})
    # no sleep at all (no device sends it): the page says so instead of drawing a chart
    wellness = [_with_gaps(w, i, {(1, 0): ("sleepSecs", "sleepScore"), (2, 0): ("hrv", "hrvSDNN"),
                                  (5, 2): ("restingHR",), (13, 6): ("ctl", "atl", "rampRate")})
                for i, w in enumerate(data.wellness)]
    events = [_with_gaps(e, i, {(2, 0): ("moving_time", "icu_training_load", "distance"),
                                (3, 1): ("name", "icu_intensity")})
              for i, e in enumerate(data.events)]
    return FakeIntervals(athlete=athlete, activities=activities, wellness=wellness,
                         events=events, curves={"Ride": demo.curves("Ride")})


def _with_gaps(record: dict[str, Any], index: int,
               gaps: dict[tuple[int, int], tuple[str, ...]]) -> dict[str, Any]:
    out = copy.deepcopy(record)
    for (every, offset), fields in gaps.items():
        if index % every != offset:
            continue
        for n, name in enumerate(fields):
            if (index + n) % 2:
                out.pop(name, None)      # left out
            else:
                out[name] = None         # sent as null
    return out


def athletes_today() -> date:
    """Today where the demo athlete lives, as the app computes it."""
    return datetime.now(ZoneInfo(TIMEZONE)).date()


def low_hrv_account(today: date, days: int = 120, hrv: float | None = 38.0) -> FakeIntervals:
    """The demo generator's history as a real account (i123456): this morning's HRV far below
    the athlete's normal range, resting HR and sleep normal, and a threshold ride planned today
    (nothing else planned today or tomorrow)."""
    data = demo.generate(today, days=days)
    soon = {today.isoformat(), (today + timedelta(days=1)).isoformat()}
    events = [e for e in data.events if e["start_date_local"][:10] not in soon]
    events.append({"id": PLANNED_ID, "category": "WORKOUT", "type": "Ride",
                   "start_date_local": f"{today}T00:00:00", "name": "Threshold 3x10",
                   "description": HARD_TEXT, "moving_time": 4200, "icu_training_load": 80})
    wellness = copy.deepcopy(data.wellness)
    wellness[-1].update(hrv=hrv, restingHR=47, sleepSecs=26400)  # today's record
    athlete = {**copy.deepcopy(data.athlete), "id": "i123456", "name": "Ana Ruiz"}
    activities = [{**a, "icu_athlete_id": "i123456"} for a in data.activities]
    return FakeIntervals(athlete=athlete, activities=activities, wellness=wellness,
                         events=events, curves={s: demo.curves(s) for s in ("Ride", "Run")})
