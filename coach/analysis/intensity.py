"""Intensity distribution: time below, around and above threshold, from zone times."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coach.analysis.volume import ActivityFacts

# --- Intensity distribution -------------------------------------------------------------------

ZONE_SOURCES = ("power", "pace", "hr")  # per activity, the first one with data is used


def zone_secs_from_ids(zone_times: Iterable[Mapping[str, Any]]) -> tuple[int, ...]:
    """Seconds per zone Z1..Zn from icu_zone_times items; "SS" (sweet spot) overlaps Z3-Z4."""
    secs = {str(z.get("id")): z.get("secs") for z in zone_times}
    zones = sorted(int(k[1:]) for k in secs if k[:1] == "Z" and k[1:].isdigit())
    return tuple(int(secs[f"Z{n}"] or 0) for n in range(1, zones[-1] + 1)) if zones else ()


def threshold_split(zone_secs: Sequence[int]) -> tuple[int, int, int]:
    """Seconds (below, around, above) threshold: Z1-Z2, Z3-Z4, Z5 and up."""
    # Intervals' 7 zones: Z1-Z2 recovery/endurance, Z3 tempo and Z4 threshold, Z5-Z7 VO2max and
    # anaerobic. HR and pace zones are cut the same way.
    return sum(zone_secs[:2]), sum(zone_secs[2:4]), sum(zone_secs[4:])


@dataclass(frozen=True)
class ZoneTotals:
    """One source's seconds per zone (Z1 first) over every activity that had that source."""

    zone_secs: tuple[int, ...]
    activities: int  # activities with zone times from this source
    used: int        # of those, activities whose threshold split came from this source


@dataclass(frozen=True)
class IntensityDistribution:
    """Time below / around / above threshold, each activity counted once from its best source."""

    below_secs: int
    around_secs: int
    above_secs: int
    by_source: dict[str, ZoneTotals]  # "power", "pace", "hr"; sources nobody had are left out
    no_zone_data: int                 # activities with data but no zone times at all
    unavailable: int                  # Strava stubs: no data, never counted as zero time

    @property
    def shares_pct(self) -> tuple[float, float, float] | None:
        total = self.below_secs + self.around_secs + self.above_secs
        if not total:
            return None
        return (100 * self.below_secs / total, 100 * self.around_secs / total,
                100 * self.above_secs / total)


def intensity_distribution(activities: Iterable[ActivityFacts],
                           sport: str | None = None) -> IntensityDistribution:
    """Time in zones for `sport` (all sports when None); stubs have no sport, so always count."""
    zone_sums: dict[str, list[int]] = {}
    counts = {s: [0, 0] for s in ZONE_SOURCES}  # source -> [activities, used]
    split, missing, stubs = [0, 0, 0], 0, 0
    for a in activities:
        if a.unavailable:
            stubs += 1
            continue
        if sport is not None and (a.sport or "").lower() != sport.lower():
            continue
        sources = {s: z for s, z in zip(ZONE_SOURCES, _zones(a), strict=True) if sum(z)}
        missing += not sources
        for source, zones in sources.items():
            _add(zone_sums.setdefault(source, []), zones)
            counts[source][0] += 1
        if sources:
            best = next(s for s in ZONE_SOURCES if s in sources)
            counts[best][1] += 1
            split = [t + s for t, s in zip(split, threshold_split(sources[best]), strict=True)]
    by_source = {s: ZoneTotals(tuple(z), *counts[s]) for s, z in zone_sums.items()}
    return IntensityDistribution(split[0], split[1], split[2], by_source, missing, stubs)


def _zones(a: ActivityFacts) -> tuple[tuple[int, ...], ...]:
    return a.power_zone_secs, a.pace_zone_secs, a.hr_zone_secs  # in ZONE_SOURCES order


def _add(total: list[int], zones: Sequence[int]) -> None:
    total.extend([0] * (len(zones) - len(total)))
    for i, secs in enumerate(zones):
        total[i] += secs
