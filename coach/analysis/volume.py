"""Weekly and monthly hours, distance, load and sessions by sport."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ActivityFacts:
    """What analysis needs of one activity (unavailable = a Strava stub with no data)."""

    day: date
    sport: str | None
    moving_time_s: float | None
    distance_m: float | None
    load: float | None
    unavailable: bool = False
    power_zone_secs: tuple[int, ...] = ()  # seconds in power Z1..Z7 (icu_zone_times, not "SS")
    hr_zone_secs: tuple[int, ...] = ()     # seconds in HR Z1.. (icu_hr_zone_times)
    pace_zone_secs: tuple[int, ...] = ()   # seconds in pace Z1.. (pace_zone_times)
    paired_event_id: int | None = None     # the planned workout this activity fulfilled
    compliance_pct: float | None = None    # Intervals' match of this activity to that plan, %
    activity_id: str = ""
    name: str = ""


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    hours: float
    distance_km: float
    load: float
    sessions: int
    unavailable: int
    by_sport: dict[str, tuple[float, float, float, int]]  # sport -> (hours, km, load, sessions)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_summaries(activities: Iterable[ActivityFacts], first_monday: date,
                     weeks: int) -> list[WeekSummary]:
    """Per-week totals (Monday-based), oldest first, empty weeks included."""
    buckets: dict[date, list[ActivityFacts]] = {
        first_monday + timedelta(weeks=i): [] for i in range(weeks)}
    for activity in activities:
        week = monday(activity.day)
        if week in buckets:
            buckets[week].append(activity)
    return [_summarise(week, items) for week, items in buckets.items()]


RECENT_MOVES = 10  # the newest activities of a sport its recent speed averages
FEWEST_MOVES = 3   # fewer than this and no speed is claimed


def recent_speed(moves: Iterable[tuple[str | None, float, float]], sport: str) -> float | None:
    """An athlete's recent average speed in a sport family (m/s): total distance over total
    moving time of its newest `RECENT_MOVES` activities, given as (family, seconds, metres)
    newest first; None with fewer than `FEWEST_MOVES`."""
    mine = [(secs, metres) for family, secs, metres in moves
            if family == sport and secs > 0 and metres > 0][:RECENT_MOVES]
    if len(mine) < FEWEST_MOVES:
        return None
    return sum(m for _, m in mine) / sum(s for s, _ in mine)


def _summarise(week: date, items: list[ActivityFacts]) -> WeekSummary:
    sports = _by_sport(items)
    return WeekSummary(week, *_totals(sports), sum(a.unavailable for a in items), sports)


def _by_sport(items: Iterable[ActivityFacts]) -> dict[str, tuple[float, float, float, int]]:
    """sport -> (hours, km, load, sessions); stubs are left out, callers count them apart."""
    by_sport: dict[str, list[float]] = {}
    for a in items:
        if a.unavailable:
            continue
        totals = by_sport.setdefault(a.sport or "Other", [0.0, 0.0, 0.0, 0])
        totals[0] += (a.moving_time_s or 0) / 3600
        totals[1] += (a.distance_m or 0) / 1000
        totals[2] += a.load or 0
        totals[3] += 1
    return {s: (t[0], t[1], t[2], int(t[3])) for s, t in by_sport.items()}


def _totals(sports: dict[str, tuple[float, float, float, int]]) -> tuple[float, float, float, int]:
    return (sum(v[0] for v in sports.values()), sum(v[1] for v in sports.values()),
            sum(v[2] for v in sports.values()), sum(v[3] for v in sports.values()))


@dataclass(frozen=True)
class MonthSummary:
    month: date  # first day of the month
    hours: float
    km: float
    load: float
    sessions: int
    unavailable: int  # Strava stubs: sessions without data, not in the totals
    by_sport: dict[str, tuple[float, float, float, int]]  # sport -> (hours, km, load, sessions)


def year_summary(activities: Iterable[ActivityFacts], today: date,
                 months_back: int = 12) -> list[MonthSummary]:
    """The `months_back` calendar months up to and including today's (12: a year), oldest
    first, empty months included."""
    months = [_month_start(today, back) for back in range(months_back - 1, -1, -1)]
    buckets: dict[date, list[ActivityFacts]] = {m: [] for m in months}
    for a in activities:
        if a.day <= today and a.day.replace(day=1) in buckets:
            buckets[a.day.replace(day=1)].append(a)
    return [MonthSummary(m, *_totals(sports := _by_sport(items)),
                         sum(a.unavailable for a in items), sports)
            for m, items in buckets.items()]


def _month_start(today: date, months_back: int) -> date:
    year, month0 = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    return date(year, month0 + 1, 1)
