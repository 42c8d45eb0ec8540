"""Best efforts from power and pace curves, and paces for people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coach import display

# --- Best efforts -----------------------------------------------------------------------------

RUN_DISTANCES = ((1000.0, "1 km"), (5000.0, "5 km"), (10000.0, "10 km"),
                 (21097.5, "half marathon"), (42195.0, "marathon"))
DISTANCE_TOLERANCE = 0.02  # a pace-curve point within 2% of a race distance stands for it


@dataclass(frozen=True)
class CurvePoint:
    """One point of a power (W) or HR (bpm) curve: the best value held for `secs`."""

    secs: int
    value: float


@dataclass(frozen=True)
class BestEffort:
    """Best value for a wanted duration `secs`, read at `curve_secs` (= secs, or just shorter)."""

    secs: int
    value: float
    label: str
    curve_secs: int


@dataclass(frozen=True)
class PaceBest:
    """Best time (s) over a standard running distance (m), and its pace (s per km)."""

    distance_m: float
    label: str
    secs: float
    pace_s_per_km: float


def best_efforts(points: Iterable[CurvePoint],
                 wanted_secs: Sequence[int] = (5, 60, 300, 1200, 3600)) -> list[BestEffort]:
    """Best value per wanted duration, from the exact or the nearest shorter curve point."""
    curve = sorted(points, key=lambda p: p.secs)
    out = []
    for wanted in wanted_secs:
        # Past the curve's longest point the athlete has no such effort; a shorter one would lie.
        if not curve or wanted > curve[-1].secs:
            continue
        shorter = [p for p in curve if p.secs <= wanted]
        if shorter:
            out.append(BestEffort(wanted, shorter[-1].value, duration_label(wanted),
                                  shorter[-1].secs))
    return out


def pace_best(distance_m_points: Iterable[tuple[float, float]]) -> list[PaceBest]:
    """Best times for 1 km … marathon from pace-curve points (distance m, seconds)."""
    points = list(distance_m_points)
    out = []
    for distance, label in RUN_DISTANCES:
        near = [p for p in points if abs(p[0] - distance) <= distance * DISTANCE_TOLERANCE]
        if near:
            metres, secs = min(near, key=lambda p: abs(p[0] - distance))
            pace = secs / metres * 1000  # the point's pace, held over the exact distance
            out.append(PaceBest(distance, label, pace * distance / 1000, pace))
    return out


def format_pace(seconds_per_km: float) -> str:
    """270 -> "4:30 /km" (the product's one way to write a pace: `coach.display.pace`)."""
    return display.pace(seconds_per_km, "/km")


def duration_label(secs: int) -> str:
    """5 -> "5 s", 1200 -> "20 min", 5400 -> "1 h 30 min"."""
    h, rest = divmod(secs, 3600)
    parts = [f"{n} {unit}" for n, unit in ((h, "h"), (rest // 60, "min"), (rest % 60, "s")) if n]
    return " ".join(parts) or "0 s"
