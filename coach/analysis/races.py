"""Race countdown and the training phase it implies."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# --- Race countdown ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RaceFacts:
    day: date
    name: str
    category: str  # RACE_A, RACE_B or RACE_C


@dataclass(frozen=True)
class Countdown:
    """Time to a race; weeks_to_go counts whole weeks (13 days = 1 week)."""

    race: RaceFacts
    days_to_go: int
    weeks_to_go: int
    phase: str


def race_countdown(today: date, races: Iterable[RaceFacts]) -> list[Countdown]:
    """Races from today on, soonest first, with the training phase the time to go suggests."""
    ahead = sorted((r for r in races if r.day >= today), key=lambda r: r.day)
    return [Countdown(r, (r.day - today).days, (r.day - today).days // 7,
                      race_phase((r.day - today).days)) for r in ahead]


def race_phase(days_to_go: int) -> str:
    """Phase by whole weeks to go: race day (0 days), taper ≤ 1, peak 2-3, build 4-12, base > 12."""
    weeks = days_to_go // 7
    if days_to_go == 0:
        return "race day"
    if weeks <= 1:
        return "taper"
    if weeks <= 3:
        return "peak"
    return "build" if weeks <= 12 else "base"
