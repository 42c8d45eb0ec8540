"""What every report shares: the Reading seen by the tools, and how figures are written: a
unit on every number, dates with weekdays, athlete-written text quoted as data."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Protocol

from coach import analysis, workout
from coach.records import Activity, Athlete
from coach.store import Store

MAX_LIST_LINES = 40


class Reading(Protocol):
    store: Store
    athlete_id: str
    today: date


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
    if a.race:
        parts.append("RACE")
    return f"{when} " + ", ".join(parts) + f" [id {a.id}]"


def totals(r: Reading, start: date, end: date) -> list[analysis.ActivityFacts]:
    """Facts for weekly and monthly totals, from the store's columns (no JSON parsing)."""
    return [_column_facts(row) for row in r.store.activity_totals(r.athlete_id, start, end)
            if row["day"]]


def zone_facts(r: Reading, start: date, end: date) -> list[analysis.ActivityFacts]:
    """Facts with zone times, for intensity over long periods (no whole-record parsing)."""
    out = []
    for row in r.store.activity_zone_times(r.athlete_id, start, end):
        if row["day"]:
            power, hr, pace = (z if isinstance(z, list) else [] for z in _zones(row["zones"]))
            out.append(_column_facts(row, power_zone_secs=analysis.zone_secs_from_ids(power),
                                     hr_zone_secs=tuple(hr), pace_zone_secs=tuple(pace)))
    return out


def _column_facts(row: dict[str, Any], **zones: Any) -> analysis.ActivityFacts:
    return analysis.ActivityFacts(date.fromisoformat(row["day"]),
                                  workout.sport_family(row["type"] or "") or row["type"],
                                  row["moving_time"], row["distance"], row["load"],
                                  bool(row["unavailable"]), **zones)


def _zones(text: str | None) -> list[Any]:
    """[power, HR, pace] zone times of one activity; three empty lists if unreadable."""
    try:
        zones = json.loads(text) if text else None
    except ValueError:
        zones = None
    return zones if isinstance(zones, list) and len(zones) == 3 else [[], [], []]


def facts_between(r: Reading, start: date, end: date) -> list[analysis.ActivityFacts]:
    return [f for a in r.store.activities(r.athlete_id, start, end) if (f := facts(a))]


def facts(a: Activity) -> analysis.ActivityFacts | None:
    if not a.day:
        return None
    extra: dict[str, Any] = a.model_extra or {}
    return analysis.ActivityFacts(
        date.fromisoformat(a.day), workout.sport_family(a.type or "") or a.type,
        a.moving_time, a.icu_distance or a.distance, a.icu_training_load, a.unavailable,
        power_zone_secs=analysis.zone_secs_from_ids(extra.get("icu_zone_times") or []),
        hr_zone_secs=tuple(extra.get("icu_hr_zone_times") or ()),
        pace_zone_secs=tuple(extra.get("pace_zone_times") or ()),
        paired_event_id=a.paired_event_id, compliance_pct=a.compliance, activity_id=a.id,
        name=a.name or "")


def require_athlete(r: Reading) -> Athlete:
    athlete = r.store.athlete(r.athlete_id)
    if athlete is None:
        raise ValueError("no athlete data yet: the athlete must sync with Intervals.icu first")
    return athlete


def today_line(r: Reading) -> str:
    return f"Today is {r.today:%A} {r.today.isoformat()}."


def weekday(day: date) -> str:
    return f"{day:%a}"


def quote(text: str) -> str:
    """Athlete-written text as a JSON string, so it reads as data rather than instructions."""
    return json.dumps(" ".join(text.split())[:120], ensure_ascii=False)


def num(value: float | None, unit: str) -> str:
    return f"{value:.0f} {unit}" if value else "not set"


def pace(speed: float | None, sport: str) -> str:
    if not speed:
        return "not set"
    per = 100 if sport == "Swim" else 1000
    secs = round(per / speed)
    return f"{secs // 60}:{secs % 60:02d} /{'100m' if sport == 'Swim' else 'km'}"


def zones(bounds: list[float]) -> str:
    return ", ".join(f"Z{i + 1} {b:g}" for i, b in enumerate(bounds) if b < 900) + \
        f", Z{len(bounds)} above"
