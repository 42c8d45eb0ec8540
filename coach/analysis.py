"""Training analysis on plain values: fitness, form, weekly load, wellness baselines. Pure."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

CTL_DAYS = 42
ATL_DAYS = 7


@dataclass(frozen=True)
class DayFitness:
    day: date
    ctl: float
    atl: float

    @property
    def form(self) -> float:
        return self.ctl - self.atl


@dataclass(frozen=True)
class ActivityFacts:
    """What analysis needs of one activity (unavailable = a Strava stub with no data)."""

    day: date
    sport: str | None
    moving_time_s: float | None
    distance_m: float | None
    load: float | None
    unavailable: bool = False


@dataclass(frozen=True)
class WeekSummary:
    monday: date
    hours: float
    distance_km: float
    load: float
    sessions: int
    unavailable: int
    by_sport: dict[str, tuple[float, float, float, int]]  # sport -> (hours, km, load, sessions)


@dataclass(frozen=True)
class Baseline:
    """A measure's recent average against the athlete's own longer baseline."""

    recent: float | None
    baseline: float | None
    spread: float | None
    recent_days: int
    baseline_days: int

    @property
    def delta(self) -> float | None:
        if self.recent is None or self.baseline is None:
            return None
        return self.recent - self.baseline


def next_fitness(prev: DayFitness, load: float, day: date) -> DayFitness:
    """One day of the exponentially weighted fitness (42 d) and fatigue (7 d) model."""
    return DayFitness(day, prev.ctl + (load - prev.ctl) / CTL_DAYS,
                      prev.atl + (load - prev.atl) / ATL_DAYS)


def form_band(form: float, ctl: float) -> str:
    """Intervals.icu-style form zone from form as a share of fitness."""
    if ctl <= 0:
        return "no fitness data"
    pct = form / ctl * 100
    if pct > 20:
        return "transition: very fresh, fitness is being lost"
    if pct > 5:
        return "fresh: ready to race"
    if pct > -10:
        return "grey zone: maintaining"
    if pct > -30:
        return "optimal: productive training"
    return "high risk: overreaching"


def ramp_band(ramp_per_week: float) -> str:
    if ramp_per_week < -2:
        return "fitness falling"
    if ramp_per_week <= 3:
        return "steady"
    if ramp_per_week <= 6:
        return "productive build"
    if ramp_per_week <= 8:
        return "aggressive build"
    return "too fast: injury and illness risk"


def ramp_rate(series: Sequence[DayFitness], day: date) -> float | None:
    """CTL change over the 7 days up to `day` (CTL points per week)."""
    by_day = {f.day: f for f in series}
    now, before = by_day.get(day), by_day.get(day - timedelta(days=7))
    return None if now is None or before is None else now.ctl - before.ctl


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


def _summarise(week: date, items: list[ActivityFacts]) -> WeekSummary:
    by_sport: dict[str, list[float]] = {}
    for a in items:
        if a.unavailable:
            continue
        totals = by_sport.setdefault(a.sport or "Other", [0.0, 0.0, 0.0, 0])
        totals[0] += (a.moving_time_s or 0) / 3600
        totals[1] += (a.distance_m or 0) / 1000
        totals[2] += a.load or 0
        totals[3] += 1
    sports = {s: (t[0], t[1], t[2], int(t[3])) for s, t in by_sport.items()}
    return WeekSummary(week, sum(v[0] for v in sports.values()),
                       sum(v[1] for v in sports.values()), sum(v[2] for v in sports.values()),
                       sum(v[3] for v in sports.values()), sum(a.unavailable for a in items),
                       sports)


def baseline(values: Iterable[tuple[date, float | None]], today: date, recent_days: int = 7,
             baseline_days: int = 60) -> Baseline:
    """Mean of the last `recent_days` against the mean and spread of the last `baseline_days`."""
    recent_start = today - timedelta(days=recent_days)
    base_start = today - timedelta(days=baseline_days)
    pairs = [(d, v) for d, v in values if v is not None and base_start <= d < today]
    recent = [v for d, v in pairs if d >= recent_start]
    base = [v for _, v in pairs]
    return Baseline(statistics.fmean(recent) if recent else None,
                    statistics.fmean(base) if base else None,
                    statistics.pstdev(base) if len(base) > 1 else None,
                    len(recent), len(base))


def hrv_band(b: Baseline) -> str:
    """HRV (rMSSD) is read against the athlete's own normal range, not population values."""
    if b.delta is None or not b.spread:
        return "not enough data for a baseline"
    z = b.delta / b.spread
    if z < -1:
        return "below normal range: possible fatigue, illness or stress"
    if z > 1:
        return "above normal range"
    return "within normal range"


def resting_hr_band(b: Baseline) -> str:
    if b.delta is None:
        return "not enough data for a baseline"
    if b.delta >= 5:
        return "elevated: possible fatigue or illness"
    if b.delta <= -3:
        return "lower than usual"
    return "normal"
