"""The numbers of a workout: validation, duration, distance, load and an intensity timeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise

# coach.workouts holds the model, parser and renderer; the two modules are one unit split for
# size, so this one shares the other's private rendering helpers.
from coach.workouts import (
    DEFAULT_HR_ZONES_PCT_LTHR,
    DEFAULT_IF,
    DEFAULT_PACE_ZONES,
    DEFAULT_POWER_ZONES,
    EASY_PACE_FRACTION,
    HR_KINDS,
    MAX_REPEATS,
    MAX_SECONDS,
    MMP_W_PRIME_SECONDS,
    PACE_KINDS,
    PACE_UNITS,
    POWER_KINDS,
    Issue,
    Repeat,
    Section,
    Segment,
    Step,
    Target,
    Thresholds,
    Workout,
    WorkoutCheck,
    _clean,
    _num,
    _render_duration,
    _render_step,
    _render_target,
    _repeat_label,
    format_duration,
    parse,
    sport_family,
)

_REPEAT_LOOKALIKE = re.compile(r"\d+\s*[xX×]\s*\d")

# ---------------------------------------------------------------------------- messages

# Like the parser's messages: each names the offending syntax in backticks and says how to fix it.
_MSG = {
    "empty": "The workout has no steps: write each step on its own line starting with `- `, "
    "e.g. `- 10m 60%`",
    "sport": "`{sport}` is not a ride, run or swim; sport-specific checks were skipped",
    "lookalike": "`{text}` is only a label; to repeat the steps below, write e.g. `Main set 4x`",
    "count": "`{count}x` is not a valid repeat count; use `1x` to `50x`",
    "no_steps": "`{label}` has no steps; put them right below it, each starting with `- `",
    "no_length": "this step has no duration or distance; add one, e.g. `- 10m 60%`",
    "zero": "this step has zero length; give it a duration such as `30s`",
    "metres": "`{n}m` means {n} minutes; for metres write `{n}mtr` (for time write `{time}`)",
    "metres_short": "`{n}m` means {n} minutes; for metres write `{n}mtr`",
    "long_step": "`{time}` is longer than 8 hours; shorten it (`m` is minutes, metres are `mtr`)",
    "long_total": "the workout lasts {time}, over 8 hours; shorten it or split it in two",
    "ride_pace": "`{t}` is a pace target, which a ride cannot use; use `75%`, `Z2` or `Z2 HR`",
    "swim_power": "`{t}` is a power target, which a swim cannot use; use `Z2 Pace` or `Z2 HR`",
    "run_power": "`{t}` needs a running FTP; set it in Intervals.icu or use `Z2 Pace` or `Z2 HR`",
    "threshold": "`{t}` needs {missing}; set it for {sport} in Intervals.icu or use {instead}",
    "zone": "`Z{zone}` is not one of your zones; use `Z1` to `Z{count}`",
    "no_target": "this step has no target; add one such as {example} so the effort is clear",
    "ramp_one": "`ramp {t}` has one value; give a start and end, e.g. `ramp 50-75%`",
    "reversed": "`{t}` has the larger number first; write `{fixed}`",
    "over_200": "`{t}` is over 200% of FTP; check the number",
    "no_pace": "cannot estimate duration of distance step without threshold pace (counted as 0); "
    "set it in Intervals.icu or use e.g. `5:00/km Pace`",
    "lap_only": "a `press lap` step without a duration counts as 0; add one, e.g. `2m press lap`",
}


def _say(key: str, **values: object) -> str:
    """A message from the table, filled in."""
    return _MSG[key].format(**values)


# ---------------------------------------------------------------------------- numbers


def _flatten(workout: Workout) -> Iterator[tuple[Step, int]]:
    """Each step once, with how many times it runs."""
    for item in workout.items:
        if isinstance(item, Step):
            yield item, 1
        elif isinstance(item, Repeat):
            yield from ((step, max(item.count, 0)) for step in item.steps)


def _zone_mid(uppers: tuple[float, ...], zone: float) -> float | None:
    """Midpoint of zone n given upper bounds; None if there is no such zone."""
    n = int(zone)
    if n != zone or not 1 <= n <= len(uppers):
        return None
    top = uppers[n - 1]
    # Z1 has no floor in the settings: take 80 % of its top; the open top zone (999) 10 % above
    # its floor. Both are rough but keep Z1 easy and Z7 hard.
    floor = uppers[n - 2] if n > 1 else uppers[0] * 0.8
    return floor * 1.1 if top >= 300 else (floor + top) / 2


def _unit_metres(unit: str, family: str | None) -> float:
    """Metres per pace unit; `5:00 Pace` uses the sport's default (/100m swims, /km otherwise)."""
    return PACE_UNITS.get(unit) or (100.0 if family == "Swim" else 1000.0)


def _zones(kind: str, th: Thresholds) -> tuple[float, ...]:
    """The athlete's zone upper bounds for a zone kind, or the defaults; () if not a zone."""
    if kind == "power_zone":
        return th.power_zones or DEFAULT_POWER_ZONES
    if kind == "hr_zone":
        return th.hr_zones or DEFAULT_HR_ZONES_PCT_LTHR
    return (th.pace_zones or DEFAULT_PACE_ZONES) if kind == "pace_zone" else ()


def _zone_fraction(kind: str, zone: float, th: Thresholds) -> float | None:
    """Zone midpoint as a fraction of threshold; HR zones in bpm need LTHR to convert."""
    mid = _zone_mid(_zones(kind, th), zone)
    if kind == "hr_zone" and th.hr_zones:
        return mid / th.lthr if mid and th.lthr else None
    return mid / 100 if mid else None


def _fraction(target: Target, value: float, th: Thresholds, family: str | None) -> float | None:
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
        return _zone_fraction(kind, value, th)
    if kind == "pace_abs" and th.threshold_pace and value > 0:
        return _unit_metres(target.unit, family) / value / th.threshold_pace
    return None


def _speed(step: Step, family: str | None, th: Thresholds) -> float | None:
    """Expected speed in m/s over a distance step, from its pace target or threshold pace."""
    target = step.target
    if target is not None and target.kind == "pace_abs" and min(target.low, target.high) > 0:
        metres = _unit_metres(target.unit, family)
        return (metres / target.low + metres / target.high) / 2
    if not th.threshold_pace:
        return None
    if target is not None and target.kind in ("pace_pct", "pace_zone"):
        low, high = (_fraction(target, v, th, family) for v in (target.low, target.high))
        if low and high:
            return th.threshold_pace * (low + high) / 2
    return th.threshold_pace * EASY_PACE_FRACTION


def _intensity_squared(step: Step, family: str | None, th: Thresholds) -> float | None:
    """Mean IF² of a step; a ramp integrates a straight line: (a² + ab + b²) / 3."""
    target = step.target
    if target is None or target.kind == "freeride":
        return DEFAULT_IF.get(family or "Ride", 0.5) ** 2
    a, b = (_fraction(target, v, th, family) for v in (target.low, target.high))
    if a is None or b is None:
        return None
    return (a * a + a * b + b * b) / 3 if step.ramp else ((a + b) / 2) ** 2


def _load(timed: list[tuple[Step, int, float]], family: str | None, th: Thresholds) -> float | None:
    """Training load = Σ IF² × hours × 100; None if any target lacks its threshold reference."""
    total = 0.0
    for step, count, seconds in timed:
        square = _intensity_squared(step, family, th)
        if square is None:
            return None  # a partial sum would understate the load without saying so
        total += square * seconds * count / 36
    return round(total, 2)


def _step_seconds(step: Step, family: str | None, th: Thresholds) -> float:
    """Seconds one pass of a step takes; 0 when it cannot be estimated."""
    if step.duration_s is not None:
        return float(step.duration_s)
    if step.distance_m is not None and (speed := _speed(step, family, th)):
        return step.distance_m / speed
    return 0.0


def _distance(workout: Workout) -> float | None:
    known = [(s.distance_m, n) for s, n in _flatten(workout) if s.distance_m is not None]
    return sum(d * n for d, n in known) if known else None


# ---------------------------------------------------------------------------- check

_TARGET_EXAMPLE = {"Ride": "`65%`", "Run": "`Z2 Pace`", "Swim": "`Z2 Pace`"}
_NEEDS_FTP = (("ftp",), "an FTP", "heart rate such as `Z2 HR`")
_NEEDS_PACE = (("threshold_pace",), "a threshold pace", "`5:00/km Pace` or `2:00/100m Pace`")
# kind -> (settings of which any one will do, what is missing, what to use instead)
_NEEDS = {
    "power_pct": _NEEDS_FTP, "power_zone": _NEEDS_FTP,
    "pace_pct": _NEEDS_PACE, "pace_zone": _NEEDS_PACE,
    "lthr_pct": (("lthr",), "a threshold heart rate (LTHR)", "`% HR` of max heart rate"),
    "hr_pct": (("max_hr",), "a max heart rate", "`% LTHR`"),
    "hr_zone": (("hr_zones", "lthr"), "heart-rate zones or an LTHR", "power or pace targets"),
}


class _Checker:
    """Collects errors and warnings for one workout text and sport."""

    def __init__(self, text: str, sport: str, given: Thresholds | None, syntax: list[Issue]):
        self.sport = sport
        self.family = sport_family(sport)
        self.given = given  # None means "skip threshold checks"
        self.th = given or Thresholds()
        self.lines = text.splitlines()
        self.syntax_lines = {issue.line for issue in syntax}
        self.errors = list(syntax)
        self.warnings: list[Issue] = []

    def error(self, line: int, key: str, **values: object) -> None:
        self.errors.append(Issue(line, _say(key, **values)))

    def warn(self, line: int, key: str, **values: object) -> None:
        self.warnings.append(Issue(line, _say(key, **values)))

    def structure(self, workout: Workout) -> None:
        """Whole-workout and repeat-block rules."""
        if self.family is None:
            self.warn(0, "sport", sport=self.sport)
        if next(_flatten(workout), None) is None:
            self.error(0, "empty")
        for item in workout.items:
            if isinstance(item, Section) and _REPEAT_LOOKALIKE.search(item.text):
                self.warn(item.line, "lookalike", text=item.text)
            elif isinstance(item, Repeat) and not 1 <= item.count <= MAX_REPEATS:
                self.error(item.line, "count", count=item.count)
            if isinstance(item, Repeat) and not item.steps:
                self.error(item.line, "no_steps", label=_repeat_label(item))

    def step(self, step: Step) -> None:
        """All per-step rules."""
        self.length(step)
        self.likely_typos(step)
        target = step.target
        if target is None and step.line in self.syntax_lines:
            return  # the syntax error says what is wrong; "no target" would be noise
        if target is None:
            example = _TARGET_EXAMPLE.get(self.family or "", "`Z2 HR`")
            self.warn(step.line, "no_target", example=example)
            return
        self.sport_rules(step.line, target)
        if self.given is not None:
            self.thresholds(step.line, target)
        zones = _zones(target.kind, self.th)
        for value in sorted({target.low, target.high}) if zones else ():
            if _zone_mid(zones, value) is None:
                self.error(step.line, "zone", zone=_num(value), count=len(zones))

    def length(self, step: Step) -> None:
        """A step needs a non-zero length under 8 h, and `m` must not be meant as metres."""
        if step.duration_s is None and step.distance_m is None:
            if not step.press_lap and step.line not in self.syntax_lines:
                self.error(step.line, "no_length")
        elif step.duration_s == 0 or step.distance_m == 0:
            self.error(step.line, "zero")
        elif (n := self.minutes_as_metres(step)) is not None and n >= 100:
            self.error(step.line, "metres", n=n, time=_render_duration(n * 60))
        elif n in (25, 50, 75) and self.family == "Swim":
            self.warn(step.line, "metres_short", n=n)
        elif (step.duration_s or 0) > MAX_SECONDS:
            self.error(step.line, "long_step", time=_render_duration(step.duration_s or 0))

    def minutes_as_metres(self, step: Step) -> int | None:
        """N when a swim or run step's duration was written `Nm`, which often means metres."""
        if self.family not in ("Swim", "Run") or not step.duration_s or step.duration_s % 60:
            return None
        raw = self.lines[step.line - 1] if 0 < step.line <= len(self.lines) else ""
        for token in raw.strip().lstrip("-").split():
            m = re.fullmatch(r"(\d+)m", _clean(token))
            if m and int(m[1]) * 60 == step.duration_s:
                return int(m[1])
        return None

    def sport_rules(self, line: int, target: Target) -> None:
        """Pace cannot drive a ride, power cannot drive a swim, running power needs a run FTP."""
        shown = _render_target(target)
        if self.family == "Ride" and target.kind in PACE_KINDS:
            self.error(line, "ride_pace", t=shown)
        elif self.family == "Swim" and target.kind in POWER_KINDS:
            self.error(line, "swim_power", t=shown)
        elif self.family == "Run" and target.kind in POWER_KINDS:
            if self.given is not None and self.given.ftp is None:
                self.warn(line, "run_power", t=shown)

    def thresholds(self, line: int, target: Target) -> None:
        """Relative targets need the matching sport setting in Intervals.icu."""
        need = _NEEDS.get(target.kind)
        if need is None or any(getattr(self.th, name) for name in need[0]):
            return
        if target.kind in POWER_KINDS and self.family != "Ride":
            return  # running power only warns; swim power is already an error
        if target.kind in PACE_KINDS and self.family == "Ride":
            return  # already an error: a ride cannot use pace at all
        _, missing, instead = need
        sport = self.family or "this sport"
        self.error(line, "threshold", t=_render_target(target), missing=missing, sport=sport,
                   instead=instead)

    def likely_typos(self, step: Step) -> None:
        """Warnings for likely typos: reversed ranges, huge %FTP, ramps with one value."""
        target = step.target
        if target is not None and target.kind != "freeride":
            shown = _render_target(target)
            if step.ramp and not target.is_range:
                self.warn(step.line, "ramp_one", t=shown)
            if not step.ramp and target.high < target.low and target.kind != "pace_abs":
                fixed = _render_target(replace(target, low=target.high, high=target.low))
                self.warn(step.line, "reversed", t=shown, fixed=fixed)
            if target.kind == "power_pct" and max(target.low, target.high) > 200:
                self.warn(step.line, "over_200", t=shown)
        low, high = step.cadence_low, step.cadence_high
        if low is not None and high is not None and high < low:
            self.warn(step.line, "reversed", t=f"{low}-{high}rpm", fixed=f"{high}-{low}rpm")

    def seconds(self, step: Step) -> float:
        """Seconds one pass of a step takes; 0 (with a warning) when it cannot be estimated."""
        if step.duration_s is None and step.distance_m is not None:
            if not _speed(step, self.family, self.th):
                self.warn(step.line, "no_pace")
        elif step.duration_s is None and step.press_lap:
            self.warn(step.line, "lap_only")
        return _step_seconds(step, self.family, self.th)


def check(text: str, sport: str, thresholds: Thresholds | None = None) -> WorkoutCheck:
    """Validate workout text for a sport; estimate duration, distance, load and time in zones."""
    workout, syntax = parse(text)
    checker = _Checker(text, sport, thresholds, syntax)
    checker.structure(workout)
    for step, _ in _flatten(workout):
        checker.step(step)
    timed = [(step, count, checker.seconds(step)) for step, count in _flatten(workout)]
    duration = sum(seconds * count for _, count, seconds in timed)
    longest = max((step.duration_s or 0 for step, _, _ in timed), default=0)
    if duration > MAX_SECONDS and longest <= MAX_SECONDS:  # one over-long step says it already
        checker.error(0, "long_total", time=format_duration(round(duration)))
    errors = sorted(checker.errors, key=lambda issue: issue.line)
    laid_out = not syntax and _expandable(workout)
    return WorkoutCheck(
        ok=not errors,
        duration_s=round(duration),
        distance_m=_distance(workout),
        load=_load(timed, checker.family, checker.th),
        errors=errors,
        warnings=sorted(checker.warnings, key=lambda issue: issue.line),
        workout=None if syntax else workout,
        zone_times=zone_times(timeline(workout, sport, thresholds)) if laid_out else {},
    )


def _expandable(workout: Workout) -> bool:
    """False for a typo such as `5000x`, whose timeline would hold millions of segments."""
    return all(item.count <= MAX_REPEATS for item in workout.items if isinstance(item, Repeat))


# ---------------------------------------------------------------------------- timeline

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
    low, high = (_fraction(target, v, th, family) for v in (target.low, target.high))
    if low is None or high is None:
        return None, None
    if not step.ramp:
        low = high = (low + high) / 2
    return round(low * 100, 2), round(high * 100, 2)


def _zone_bounds(kind: str, th: Thresholds) -> tuple[float, ...]:
    """Zone upper bounds in % of threshold for a target kind; () when they cannot be known."""
    table = _ZONE_TABLE.get(kind, "")
    bounds = _zones(table, th)
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
    return int(target.low) if _zone_mid(_zones(target.kind, th), target.low) else None


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
    tokens = _render_step(replace(step, cue="", note="")).removeprefix("-").strip()
    return f"{tokens}{suffix}".strip()


def timeline(workout: Workout, sport: str, thresholds: Thresholds | None = None) -> list[Segment]:
    """The workout as segments of intensity over time, repeats expanded."""
    family, th = sport_family(sport), thresholds or Thresholds()
    segments: list[Segment] = []
    clock = 0.0  # a float, so distance steps' fractional seconds add up before rounding
    for step, suffix in _passes(workout):
        seconds = _step_seconds(step, family, th)
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
