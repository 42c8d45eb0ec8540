"""The numbers of one step: intensity against the athlete's thresholds, speed, seconds and load."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from coach.workout.model import (
    DEFAULT_HR_ZONES_PCT_LTHR,
    DEFAULT_IF,
    DEFAULT_PACE_ZONES,
    DEFAULT_POWER_ZONES,
    EASY_PACE_FRACTION,
    MMP_W_PRIME_SECONDS,
    PACE_KINDS,
    PACE_UNITS,
    Repeat,
    Step,
    Target,
    Thresholds,
    Workout,
    sport_family,
)


def flatten(workout: Workout) -> Iterator[tuple[Step, int]]:
    """Each step once, with how many times it runs."""
    for item in workout.items:
        if isinstance(item, Step):
            yield item, 1
        elif isinstance(item, Repeat):
            yield from ((step, max(item.count, 0)) for step in item.steps)


def zone_mid(uppers: tuple[float, ...], zone: float) -> float | None:
    """Midpoint of zone n given upper bounds; None if there is no such zone."""
    n = int(zone)
    if n != zone or not 1 <= n <= len(uppers):
        return None
    top = uppers[n - 1]
    # Z1 has no floor in the settings: take 80 % of its top; the open top zone (999) 10 % above
    # its floor. Both are rough but keep Z1 easy and Z7 hard.
    floor = uppers[n - 2] if n > 1 else uppers[0] * 0.8
    return floor * 1.1 if top >= 300 else (floor + top) / 2


def unit_metres(unit: str, family: str | None) -> float:
    """Metres per pace unit; `5:00 Pace` uses the sport's default (/100m swims, /km otherwise)."""
    return PACE_UNITS.get(unit) or (100.0 if family == "Swim" else 1000.0)


def zone_table(kind: str, th: Thresholds) -> tuple[float, ...]:
    """The athlete's zone upper bounds for a zone kind, or the defaults; () if not a zone."""
    if kind == "power_zone":
        return th.power_zones or DEFAULT_POWER_ZONES
    if kind == "hr_zone":
        return th.hr_zones or DEFAULT_HR_ZONES_PCT_LTHR
    return (th.pace_zones or DEFAULT_PACE_ZONES) if kind == "pace_zone" else ()


def zone_fraction(kind: str, zone: float, th: Thresholds) -> float | None:
    """Zone midpoint as a fraction of threshold; HR zones in bpm need LTHR to convert."""
    mid = zone_mid(zone_table(kind, th), zone)
    if kind == "hr_zone" and th.hr_zones:
        return mid / th.lthr if mid and th.lthr else None
    return mid / 100 if mid else None


def intensity_fraction(target: Target, value: float, th: Thresholds,
                       family: str | None) -> float | None:
    """Intensity factor of one target value (1.0 = threshold), or None without a reference."""
    kind = target.kind
    if kind in ("power_pct", "lthr_pct", "pace_pct"):
        return value / 100  # `105% Pace` is 5 % faster than threshold: IF is speed-based
    if kind == "watts":
        return value / th.ftp if th.ftp else None
    if kind == "mmp_pct":
        return value / 100 * (1 + MMP_W_PRIME_SECONDS / (target.mmp_s or 3600))
    if kind == "hr_pct":
        return value / 100 * th.max_hr / th.lthr if th.max_hr and th.lthr else None
    if kind.endswith("zone"):
        return zone_fraction(kind, value, th)
    if kind == "pace_abs" and th.threshold_pace and value > 0:
        return unit_metres(target.unit, family) / value / th.threshold_pace
    return None


def step_speed(step: Step, family: str | None, th: Thresholds) -> float | None:
    """Expected speed in m/s over a distance step, from its pace target or threshold pace."""
    target = step.target
    if target is not None and target.kind == "pace_abs" and min(target.low, target.high) > 0:
        metres = unit_metres(target.unit, family)
        return (metres / target.low + metres / target.high) / 2
    if not th.threshold_pace:
        return th.recent_speed or None
    if target is not None and target.kind in ("pace_pct", "pace_zone"):
        low, high = (intensity_fraction(target, v, th, family) for v in (target.low, target.high))
        if low and high:
            return th.threshold_pace * (low + high) / 2
    return th.threshold_pace * EASY_PACE_FRACTION


def intensity_squared(step: Step, family: str | None, th: Thresholds) -> float | None:
    """Mean IF² of a step; a ramp integrates a straight line: (a² + ab + b²) / 3."""
    target = step.target
    if target is None or target.kind == "freeride":
        return DEFAULT_IF.get(family or "Ride", 0.5) ** 2
    a, b = (intensity_fraction(target, v, th, family) for v in (target.low, target.high))
    if a is None or b is None:
        return None
    return (a * a + a * b + b * b) / 3 if step.ramp else ((a + b) / 2) ** 2


def training_load(seconds: float, intensity_factor: float) -> float:
    """Training load of an effort: hours × IF² × 100 (Intervals.icu's and TrainingPeaks' TSS)."""
    return seconds / 36 * intensity_factor**2


def workout_load(timed: list[tuple[Step, int, float]], family: str | None,
                 th: Thresholds) -> float | None:
    """Training load = Σ IF² × hours × 100; None if any target lacks its threshold reference."""
    total = 0.0
    for step, count, seconds in timed:
        square = intensity_squared(step, family, th)
        if square is None:
            return None  # a partial sum would understate the load without saying so
        total += square * seconds * count / 36  # training_load() with IF² already squared
    return round(total, 2)


def step_seconds(step: Step, family: str | None, th: Thresholds) -> float:
    """Seconds one pass of a step takes; 0 when it cannot be estimated."""
    if step.duration_s is not None:
        return float(step.duration_s)
    if step.distance_m is not None and (speed := step_speed(step, family, th)):
        return step.distance_m / speed
    return 0.0


def workout_distance(workout: Workout) -> float | None:
    known = [(s.distance_m, n) for s, n in flatten(workout) if s.distance_m is not None]
    return sum(d * n for d, n in known) if known else None


@dataclass(frozen=True)
class StepPass:
    """One pass of a step, repeats expanded: how long it takes, how hard, how far."""

    step: Step
    seconds: float
    intensity_sq: float | None  # mean IF² (a ramp integrates its line); None without thresholds
    metres: float | None  # the step's distance, or time × expected speed when a pace is known

    @property
    def fraction(self) -> float | None:
        """The step's intensity as a fraction of threshold (quadratic mean for ramps)."""
        return math.sqrt(self.intensity_sq) if self.intensity_sq is not None else None


def passes(workout: Workout, sport: str, thresholds: Thresholds | None = None) -> list[StepPass]:
    """Every step in the order it is done, with its numbers (the demo builds activities so)."""
    family, th = sport_family(sport), thresholds or Thresholds()
    out = []
    for item in workout.items:
        steps = item.steps * max(item.count, 0) if isinstance(item, Repeat) else \
            (item,) if isinstance(item, Step) else ()
        for step in steps:
            seconds = step_seconds(step, family, th)
            speed = step_speed(step, family, th) if step.distance_m is None else None
            metres = step.distance_m if step.distance_m is not None else \
                seconds * speed if speed and _paced(step) else None
            out.append(StepPass(step, seconds, intensity_squared(step, family, th), metres))
    return out


def _paced(step: Step) -> bool:
    return step.target is not None and step.target.kind in PACE_KINDS
