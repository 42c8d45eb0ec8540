"""Fitness (CTL, 42-day load average), fatigue (ATL, 7-day), form, ramp rate, and the
forecast if the planned workouts are done."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


# --- Load forecast ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastSummary:
    """Fitness on a target day if the planned loads are done, and the ATL peak on the way."""

    fitness: DayFitness
    form_band: str
    peak_atl: float
    peak_atl_day: date


def forecast(last: DayFitness, planned_loads: Mapping[date, float], days: int) -> list[DayFitness]:
    """CTL/ATL for the `days` after `last`, with the planned load each day (0 when none)."""
    out, prev = [], last
    for i in range(1, days + 1):
        day = last.day + timedelta(days=i)
        prev = next_fitness(prev, planned_loads.get(day, 0.0), day)
        out.append(prev)
    return out


def forecast_summary(last: DayFitness, planned_loads: Mapping[date, float],
                     target: date) -> ForecastSummary:
    """Form and its band on `target` (e.g. race day) and the highest ATL on the way."""
    if target <= last.day:
        raise ValueError(f"target {target} is not after the last known day {last.day}")
    series = forecast(last, planned_loads, (target - last.day).days)
    peak = max(series, key=lambda f: f.atl)
    return ForecastSummary(series[-1], form_band(series[-1].form, series[-1].ctl), peak.atl,
                           peak.day)
