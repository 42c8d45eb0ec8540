"""Readiness on a check-in morning: HRV, resting HR and sleep against the athlete's own normal
range, and how they feel on Intervals.icu's wellness scales, turned into one of three verdicts
(as planned, ease off, rest). Deterministic: the coach explains it, it does not decide it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from coach.analysis.wellness import Baseline

AS_PLANNED, EASE_OFF, REST = "as planned", "ease off", "rest"
MIN_BASELINE_DAYS = 14  # fewer measured days than this in 60 is no normal range yet
# The narrowest normal range per measure: day-to-day noise is not a signal.
BAND_FLOORS = {"hrv": 3.0, "restingHR": 2.0, "sleep": 0.5}


@dataclass(frozen=True)
class Scale:
    """One of Intervals.icu's subjective wellness fields, with its values and words."""

    field: str                            # the Intervals.icu wellness field
    label: str
    options: tuple[tuple[int, str], ...]  # best first, as Intervals.icu numbers them
    default: int

    @property
    def values(self) -> list[int]:
        return [value for value, _ in self.options]

    def word(self, value: int) -> str:
        return dict(self.options)[value]


_FOUR = ((1, "Excellent"), (2, "Good"), (3, "Avg"), (4, "Poor"))
_NONE_TO_EXTREME = ((0, "No"), (1, "Low"), (2, "Avg"), (3, "High"), (4, "Extreme"))
SCALES: tuple[Scale, ...] = (  # Intervals.icu's wellness model; lower is better on every one
    Scale("sleepQuality", "Sleep quality", _FOUR, 2),
    Scale("soreness", "Soreness", _NONE_TO_EXTREME, 1),
    Scale("stress", "Stress", _NONE_TO_EXTREME, 1),
    Scale("motivation", "Motivation", _FOUR, 2),
    Scale("injury", "Illness / injury", ((1, "Excellent"), (2, "Niggle"), (3, "Poor"),
                                         (4, "Injured")), 1),
)
SCALE = {s.field: s for s in SCALES}


@dataclass(frozen=True)
class Band:
    """The athlete's normal range: their 60-day mean ± one standard deviation (or the floor)."""

    low: float
    high: float
    days: int


def normal_band(b: Baseline, floor: float = 0.0) -> Band | None:
    if b.baseline is None or b.spread is None or b.baseline_days < MIN_BASELINE_DAYS:
        return None
    half = max(b.spread, floor)
    return Band(b.baseline - half, b.baseline + half, b.baseline_days)


@dataclass(frozen=True)
class Measure:
    """This morning's value of a measure (from `day`'s wellness), with the normal range."""

    value: float | None
    band: Band | None
    day: date | None = None

    @property
    def position(self) -> str | None:
        if self.value is None or self.band is None:
            return None
        if self.value < self.band.low:
            return "below"
        return "above" if self.value > self.band.high else "within"


@dataclass(frozen=True)
class Verdict:
    level: str               # AS_PLANNED, EASE_OFF or REST
    flags: tuple[str, ...]   # what pointed that way, keys of FLAG_WORDS

    @property
    def reasons(self) -> list[str]:
        return [FLAG_WORDS[f] for f in self.flags]


FLAG_WORDS = {
    "hrv_low": "HRV below normal range", "rhr_high": "resting HR above normal range",
    "sleep_short": "less sleep than normal", "sleep_poor": "poor sleep quality",
    "sore": "high soreness", "stressed": "high stress", "unmotivated": "low motivation",
    "niggle": "a niggle", "ill_or_injured": "ill or injured",
}
# (field, flag, from this value on) — each scale's worst end
_FEELING_FLAGS = (("sleepQuality", "sleep_poor", 4), ("soreness", "sore", 3),
                  ("stress", "stressed", 3), ("motivation", "unmotivated", 4),
                  ("injury", "ill_or_injured", 3), ("injury", "niggle", 2))


def check_feelings(values: Mapping[str, int]) -> dict[str, int]:
    """The five answers, each a value of its Intervals.icu scale; ValueError names a wrong one."""
    checked = {}
    for scale in SCALES:
        value = values.get(scale.field, scale.default)
        if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
            allowed = ", ".join(f"{v} {w}" for v, w in scale.options)
            raise ValueError(f"{scale.label} must be one of {allowed}; got {value!r}.")
        checked[scale.field] = value
    return checked


def morning_verdict(hrv: Measure, resting_hr: Measure, sleep: Measure,
                    feelings: Mapping[str, int]) -> Verdict:
    """Rest when ill or injured, when HRV is low and resting HR high together, or when four
    signs point down; ease off on any one sign; otherwise train as planned."""
    flags = [flag for flag, hit in (("hrv_low", hrv.position == "below"),
                                    ("rhr_high", resting_hr.position == "above"),
                                    ("sleep_short", sleep.position == "below")) if hit]
    for field, flag, worst in _FEELING_FLAGS:
        value = feelings.get(field)
        if value is not None and value >= worst and "ill_or_injured" not in flags:
            flags.append(flag)
    if "ill_or_injured" in flags or {"hrv_low", "rhr_high"} <= set(flags) or len(flags) >= 4:
        return Verdict(REST, tuple(flags))
    return Verdict(EASE_OFF if flags else AS_PLANNED, tuple(flags))
