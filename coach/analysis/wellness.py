"""Wellness against the athlete's own baseline: HRV, resting HR, and the subjective scales."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta


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


# --- Wellness scales and year summary ---------------------------------------------------------

SUBJECTIVE_SCALES = {  # Intervals.icu wellness model; lower is better on every one
    "sleepQuality": "1 excellent, 2 good, 3 average, 4 poor",
    "soreness": "0 none … 4 extreme",
    "fatigue": "0 none … 4 extreme",
    "stress": "0 none … 4 extreme",
    "mood": "1 excellent … 4 poor",
    "motivation": "1 excellent … 4 poor",
    "injury": "1 excellent, 2 niggle, 3 poor, 4 injured",
    "hydration": "1 well hydrated … 4 very dehydrated",
}


def subjective_summary(days: Iterable[tuple[date, Mapping[str, int | None]]],
                       end: date | None = None) -> dict[str, float | None]:
    """Mean of each subjective field over the 7 days up to `end` (default: the latest day)."""
    records = list(days)
    if not records:
        return dict.fromkeys(SUBJECTIVE_SCALES)
    end = end or max(d for d, _ in records)
    week = [r for d, r in records if end - timedelta(days=6) <= d <= end]
    values = {k: [v for r in week if (v := r.get(k)) is not None] for k in SUBJECTIVE_SCALES}
    return {k: statistics.fmean(v) if v else None for k, v in values.items()}
