"""Synced stores for the demo athlete and a synthetic 10-year athlete, shared by slow tests."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

from coach import demo
from coach.demo.calendar import DemoCalendar
from coach.intervals import IntervalsClient
from coach.store import Store
from coach.sync import sync_history
from coach_testing.intervals_fake import API_KEY, FakeIntervals

TODAY = date(2026, 11, 26)  # a Thursday
TEN_YEARS = 3650


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
