"""Wellness against the athlete's own baseline: HRV, resting HR, sleep, weight, how they feel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from coach import analysis
from coach.agent.tool_texts.common import today_line, weekday
from coach.records import Wellness
from coach.scope import Scope

WELLNESS_MEASURES: list[tuple[str, str, str, Callable[[analysis.Baseline], str] | None]] = [
    ("HRV (rMSSD)", "hrv", "ms", analysis.hrv_band),
    ("Resting HR", "restingHR", "bpm", analysis.resting_hr_band),
    ("Sleep", "sleepHours", "h", None),
    ("Weight", "weight", "kg", None),
]
SUBJECTIVE = ("sleepQuality", "soreness", "fatigue", "stress", "mood", "motivation")


def wellness_trend(scope: Scope, days: int) -> str:
    oldest = scope.today - timedelta(days=max(days, 60))
    found = scope.store.wellness(scope.athlete_id, oldest, scope.today)
    if not any(w.hrv or w.restingHR or w.sleepSecs or w.weight for w in found):
        return (f"{today_line(scope)}\nNo wellness data: no device or app sends HRV, resting HR, "
                "sleep or weight to Intervals.icu.")
    lines = [today_line(scope), "Wellness, last 7 days against the athlete's own 60-day baseline "
             f"({scope.today - timedelta(days=60)} to {scope.today}):"]
    lines += [_baseline_line(label, unit, analysis.baseline(_series(found, field), scope.today),
                             band) for label, field, unit, band in WELLNESS_MEASURES]
    lines += _subjective_lines(found)
    lines.append("Recent days:")
    lines += [_wellness_line(w) for w in found[-min(days, 7):]]
    return "\n".join(lines)


def _subjective_lines(found: list[Wellness]) -> list[str]:
    means = analysis.subjective_summary(
        [(date.fromisoformat(w.id), {k: getattr(w, k) for k in SUBJECTIVE}) for w in found])
    lines = []
    for field in SUBJECTIVE:
        scale = analysis.SUBJECTIVE_SCALES[field]
        value = means.get(field)
        lines.append(f"{field} 7-day mean: {value:.1f} (scale {scale})" if value is not None
                     else f"{field}: no data (scale {scale})")
    return lines


def _series(found: list[Wellness], field: str) -> list[tuple[date, float | None]]:
    if field == "sleepHours":
        return [(date.fromisoformat(w.id), w.sleepSecs / 3600 if w.sleepSecs else None)
                for w in found]
    return [(date.fromisoformat(w.id), getattr(w, field)) for w in found]


def _baseline_line(label: str, unit: str, b: analysis.Baseline,
                   band: Callable[[analysis.Baseline], str] | None) -> str:
    if b.recent is None:
        return f"{label}: no data in the last 7 days."
    base = f"{b.baseline:.1f} {unit}" if b.baseline is not None else "no baseline"
    verdict = f" ({band(b)})" if band else ""
    return (f"{label}: 7-day mean {b.recent:.1f} {unit} vs 60-day {base}{verdict} "
            f"[{b.recent_days} days with data].")


def _wellness_line(w: Wellness) -> str:
    parts = [f"HRV {w.hrv:.0f} ms" if w.hrv else "", f"RHR {w.restingHR:.0f} bpm"
             if w.restingHR else "", f"sleep {w.sleepSecs / 3600:.1f} h" if w.sleepSecs else "",
             f"weight {w.weight:.1f} kg" if w.weight else "",
             f"fatigue {w.fatigue}" if w.fatigue is not None else "",
             f"soreness {w.soreness}" if w.soreness is not None else ""]
    shown = ", ".join(p for p in parts if p)
    return f"{w.id} {weekday(date.fromisoformat(w.id))}: {shown or 'no data'}"
