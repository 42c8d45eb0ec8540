"""How every tool text writes figures: a unit on every number, dates with weekdays,
athlete-written text quoted as data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coach import workout
from coach.messages import quote
from coach.records import Activity
from coach.scope import Scope

MAX_LIST_LINES = 40


def activity_line(a: Activity) -> str:
    when = f"{a.day} {weekday(date.fromisoformat(a.day))}" if a.day else "unknown date"
    if a.unavailable:
        return f"{when} Strava import: data unavailable through the Intervals.icu API [id {a.id}]"
    parts = [a.type or "Activity", quote(a.name or "")]
    if a.moving_time:
        parts.append(workout.format_duration(int(a.moving_time)))
    distance = a.icu_distance or a.distance
    if distance:
        parts.append(f"{distance / 1000:.1f} km")
    if a.icu_training_load is not None:
        parts.append(f"load {a.icu_training_load:.0f}")
    if a.icu_intensity:
        parts.append(f"intensity {a.icu_intensity:.0f}%")
    if a.icu_weighted_avg_watts:
        parts.append(f"NP {a.icu_weighted_avg_watts:.0f} W")
    if a.average_heartrate:
        parts.append(f"avg HR {a.average_heartrate:.0f} bpm")
    elif a.moving_time:   # said, so a model asked about heart rate does not borrow another's
        parts.append("no heart rate recorded")
    if a.race:
        parts.append("RACE")
    return f"{when} " + ", ".join(parts) + f" [id {a.id}]"


def today_line(scope: Scope) -> str:
    return f"Today is {scope.today:%A} {scope.today.isoformat()}."


def weekday(day: date) -> str:
    return f"{day:%a}"


def num(value: float | None, unit: str) -> str:
    return f"{value:.0f} {unit}" if value else "not set"


def pace(speed: float | None, sport: str) -> str:
    if not speed:
        return "not set"
    per = 100 if sport == "Swim" else 1000
    secs = round(per / speed)
    return f"{secs // 60}:{secs % 60:02d} /{'100m' if sport == 'Swim' else 'km'}"


def zones(bounds: Sequence[float]) -> str:
    return ", ".join(f"Z{i + 1} {b:g}" for i, b in enumerate(bounds) if b < 900) + \
        f", Z{len(bounds)} above"
