"""The synthetic athlete: years of demo history with 300 planned events, as a fake account."""

from __future__ import annotations

import copy
import gc
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from coach.demo import generator as demo
from coach.testing.athletes import long_history_fake
from coach.testing.intervals_fake import FakeIntervals

ATHLETE_ID = "i123456"   # the id tests/athletes.py gives the long-history athlete
PLANNED_EVENTS = 300     # a plan followed through the year, as the issue describes


def athlete_today() -> date:
    """Today where the athlete lives: the app computes dates the same way."""
    return datetime.now(ZoneInfo(demo.TIMEZONE)).date()


def account(years: int, today: date) -> FakeIntervals:
    """`years` of generated history (wellness every day, ~1 activity a day) and 300 events."""
    fake = long_history_fake(today, days=365 * years)
    _plan_the_past(fake, PLANNED_EVENTS - len(fake.events))
    return fake


class CountingFake(FakeIntervals):
    """The fake, counting the requests it refused with 429 (rate limit) and the time it spent
    answering (its latency included), so a sync's wall time can be split into theirs and ours."""

    rate_limited: int = 0
    server_seconds: float = 0.0

    def handler(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = super().handler(request)
        self.server_seconds += time.perf_counter() - started
        if response.status_code == 429:
            self.rate_limited += 1
        return response


def fresh_copy(template: FakeIntervals) -> CountingFake:
    """The same account with no recorded requests and an empty rate-limit window."""
    return CountingFake(athlete=template.athlete, activities=template.activities,
                        wellness=template.wellness, events=list(template.events.values()),
                        curves=template.curves, athlete_id=template.athlete_id)


def keep_out_of_gc() -> None:
    """The fake account's data lives in this process, not in the app's: keep the cyclic
    garbage collector from scanning it during timings (a full pass over 10 years of it takes
    ~50 ms, which would land in some tool call or sync)."""
    gc.collect()
    gc.freeze()


def _plan_the_past(fake: FakeIntervals, missing: int) -> None:
    """The generator plans only three weeks around today; repeat its workouts further back,
    one a day, so the calendar the sync reads holds PLANNED_EVENTS events."""
    workouts = sorted((e for e in fake.events.values() if e.get("category") == "WORKOUT"),
                      key=lambda e: e["start_date_local"])
    if not workouts or missing <= 0:
        return
    first_day = date.fromisoformat(workouts[0]["start_date_local"][:10])
    next_id = max(fake.events) + 1
    for n in range(missing):
        day = first_day - timedelta(days=n + 1)
        event = copy.deepcopy(workouts[n % len(workouts)])
        event |= {"id": next_id + n, "uid": str(uuid.UUID(int=next_id + n, version=4)),
                  "start_date_local": f"{day}T00:00:00",
                  "end_date_local": f"{day + timedelta(days=1)}T00:00:00"}
        fake.events[event["id"]] = event
