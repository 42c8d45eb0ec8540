"""The workout as segments of intensity over time (repeats expanded), and time in each zone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

from coach.workout.model import (
    HR_KINDS,
    PACE_KINDS,
    POWER_KINDS,
    Repeat,
    Segment,
    Step,
    Target,
    Thresholds,
    Workout,
    sport_family,
)
from coach.workout.numbers import intensity_fraction, step_seconds, zone_mid, zone_table
from coach.workout.render import render_step

# The zone table each target kind is measured against.
_ZONE_TABLE = {
    **dict.fromkeys(POWER_KINDS, "power_zone"), **dict.fromkeys(HR_KINDS, "hr_zone"),
    **dict.fromkeys(PACE_KINDS, "pace_zone"),
}


def _passes(workout: Workout) -> Iterator[tuple[Step, str]]:
    """Each step in the order it is done, repeats expanded, with an `(i/n)` suffix for repeats."""
    for item in workout.items:
        if isinstance(item, Step):
            yield item, ""
        elif isinstance(item, Repeat):
            for i in range(1, item.count + 1):
                yield from ((step, f" ({i}/{item.count})") for step in item.steps)


def _pcts(step: Step, family: str | None, th: Thresholds) -> tuple[float | None, float | None]:
    """Start and end intensity in % of threshold; a range that is not a ramp holds its middle."""
    target = step.target
    if target is None or target.kind == "freeride":
        return None, None
    low, high = (intensity_fraction(target, v, th, family) for v in (target.low, target.high))
    if low is None or high is None:
        return None, None
    if not step.ramp:
        low = high = (low + high) / 2
    return round(low * 100, 2), round(high * 100, 2)


def _zone_bounds(kind: str, th: Thresholds) -> tuple[float, ...]:
    """Zone upper bounds in % of threshold for a target kind; () when they cannot be known."""
    table = _ZONE_TABLE.get(kind, "")
    bounds = zone_table(table, th)
    if table == "hr_zone" and th.hr_zones:  # the athlete's own HR zones are in bpm
        return tuple(bpm / th.lthr * 100 for bpm in bounds) if th.lthr else ()
    return bounds


def _zone_of(pct: float, bounds: tuple[float, ...]) -> int:
    """1-based zone holding an intensity: upper bounds are inclusive and the top zone is open."""
    return next((n for n, top in enumerate(bounds[:-1], start=1) if pct <= top), len(bounds))


def _named_zone(target: Target | None, th: Thresholds) -> int | None:
    """The zone a single-zone target such as `Z2 HR` names, if the athlete has that zone."""
    if target is None or not target.kind.endswith("zone") or target.is_range:
        return None
    return int(target.low) if zone_mid(zone_table(target.kind, th), target.low) else None


_Intensity = tuple[float | None, float | None, int | None, tuple[float, ...]]


def _intensity(step: Step, family: str | None, th: Thresholds) -> _Intensity:
    """A step's start and end % of threshold, zone and zone bounds; None where unknown."""
    start, end = _pcts(step, family, th)
    bounds = _zone_bounds(step.target.kind, th) if step.target else ()
    if start is None or end is None or not bounds:
        return start, end, _named_zone(step.target, th), ()
    return start, end, _zone_of((start + end) / 2, bounds), bounds


def _label(step: Step, suffix: str) -> str:
    """The step's tokens without its free text, e.g. `8m 95-100%`, then the repeat suffix."""
    tokens = render_step(replace(step, cue="", note="")).removeprefix("-").strip()
    return f"{tokens}{suffix}".strip()


def timeline(workout: Workout, sport: str, thresholds: Thresholds | None = None) -> list[Segment]:
    """The workout as segments of intensity over time, repeats expanded."""
    family, th = sport_family(sport), thresholds or Thresholds()
    segments: list[Segment] = []
    clock = 0.0  # a float, so distance steps' fractional seconds add up before rounding
    for step, suffix in _passes(workout):
        seconds = step_seconds(step, family, th)
        start_pct, end_pct, zone, bounds = _intensity(step, family, th)
        segments.append(Segment(round(clock), round(clock + seconds), start_pct, end_pct, zone,
                                _label(step, suffix), step.line, bounds))
        clock += seconds
    return segments


def _zone_pieces(segment: Segment) -> Iterator[tuple[int, int]]:
    """(zone, seconds) pieces of a segment; a ramp is cut where it crosses a zone bound."""
    a, b, start, end = segment.start_pct, segment.end_pct, segment.start_s, segment.end_s
    if a is None or b is None or a == b or start == end or not segment.zone_bounds:
        yield segment.zone or 0, end - start
        return
    # A ramp is a straight line, so it meets each bound between its ends at a known time.
    inside = (bound for bound in segment.zone_bounds[:-1] if min(a, b) < bound < max(a, b))
    cuts = sorted(start + round((end - start) * (bound - a) / (b - a)) for bound in inside)
    for t0, t1 in pairwise([start, *cuts, end]):
        middle = a + (b - a) * ((t0 + t1) / 2 - start) / (end - start)
        yield _zone_of(middle, segment.zone_bounds), t1 - t0


def zone_times(segments: list[Segment]) -> dict[int, int]:
    """Seconds in each zone over a timeline, by zone; key 0 holds time of unknown intensity."""
    times: dict[int, int] = {}
    for segment in segments:
        for zone, seconds in _zone_pieces(segment):
            if seconds:
                times[zone] = times.get(zone, 0) + seconds
    return dict(sorted(times.items()))
