"""Validate workout text for a sport and estimate its duration, distance, load and zone times."""

from __future__ import annotations

import re
from dataclasses import replace

from coach.workout.messages import say
from coach.workout.model import (
    MAX_REPEATS,
    MAX_SECONDS,
    MAX_TEXT_CHARS,
    MAX_TEXT_LINES,
    PACE_KINDS,
    POWER_KINDS,
    Issue,
    Repeat,
    Section,
    Step,
    Target,
    Thresholds,
    Workout,
    WorkoutCheck,
    sport_family,
)
from coach.workout.numbers import (
    flatten,
    step_seconds,
    step_speed,
    workout_distance,
    workout_load,
    zone_mid,
    zone_table,
)
from coach.workout.parse import clean_token, parse
from coach.workout.render import (
    format_duration,
    render_duration,
    render_length,
    render_target,
    repeat_label,
    short_number,
)
from coach.workout.timeline import timeline, zone_times

_REPEAT_LOOKALIKE = re.compile(r"\d+\s*[xX×]\s*\d")

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
        self.assumed = False  # a distance step was timed from the recent speed

    def error(self, line: int, key: str, **values: object) -> None:
        self.errors.append(Issue(line, say(key, **values)))

    def warn(self, line: int, key: str, **values: object) -> None:
        self.warnings.append(Issue(line, say(key, **values)))

    def structure(self, workout: Workout) -> None:
        """Whole-workout and repeat-block rules."""
        if self.family is None:
            self.warn(0, "sport", sport=self.sport)
        if next(flatten(workout), None) is None:
            self.error(0, "empty")
        for item in workout.items:
            if isinstance(item, Section) and _REPEAT_LOOKALIKE.search(item.text):
                self.warn(item.line, "lookalike", text=item.text)
            elif isinstance(item, Repeat) and not 1 <= item.count <= MAX_REPEATS:
                self.error(item.line, "count", count=item.count)
            if isinstance(item, Repeat) and not item.steps:
                self.error(item.line, "no_steps", label=repeat_label(item))

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
        zones = zone_table(target.kind, self.th)
        for value in sorted({target.low, target.high}) if zones else ():
            if zone_mid(zones, value) is None:
                self.error(step.line, "zone", zone=short_number(value), count=len(zones))

    def length(self, step: Step) -> None:
        """A step needs a non-zero length under 8 h, and `m` must not be meant as metres."""
        if step.duration_s is None and step.distance_m is None:
            if not step.press_lap and step.line not in self.syntax_lines:
                self.error(step.line, "no_length")
        elif step.duration_s == 0 or step.distance_m == 0:
            self.error(step.line, "zero")
        elif (n := self.minutes_as_metres(step)) is not None and n >= 100:
            self.error(step.line, "metres", n=n, time=render_duration(n * 60))
        elif n in (25, 50, 75) and self.family == "Swim":
            self.warn(step.line, "metres_short", n=n)
        elif (step.duration_s or 0) > MAX_SECONDS:
            self.error(step.line, "long_step", time=render_duration(step.duration_s or 0))

    def minutes_as_metres(self, step: Step) -> int | None:
        """N when a swim or run step's duration was written `Nm`, which often means metres."""
        if self.family not in ("Swim", "Run") or not step.duration_s or step.duration_s % 60:
            return None
        raw = self.lines[step.line - 1] if 0 < step.line <= len(self.lines) else ""
        for token in raw.strip().lstrip("-").split():
            m = re.fullmatch(r"(\d+)m", clean_token(token))
            if m and int(m[1]) * 60 == step.duration_s:
                return int(m[1])
        return None

    def sport_rules(self, line: int, target: Target) -> None:
        """Pace cannot drive a ride, power cannot drive a swim, running power needs a run FTP."""
        shown = render_target(target)
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
        self.error(line, "threshold", t=render_target(target), missing=missing, sport=sport,
                   instead=instead)

    def likely_typos(self, step: Step) -> None:
        """Warnings for likely typos: reversed ranges, huge %FTP, ramps with one value."""
        target = step.target
        if target is not None and target.kind != "freeride":
            shown = render_target(target)
            if step.ramp and not target.is_range:
                self.warn(step.line, "ramp_one", t=shown)
            if not step.ramp and target.high < target.low and target.kind != "pace_abs":
                fixed = render_target(replace(target, low=target.high, high=target.low))
                self.warn(step.line, "reversed", t=shown, fixed=fixed)
            if target.kind == "power_pct" and max(target.low, target.high) > 200:
                self.warn(step.line, "over_200", t=shown)
        low, high = step.cadence_low, step.cadence_high
        if low is not None and high is not None and high < low:
            self.warn(step.line, "reversed", t=f"{low}-{high}rpm", fixed=f"{high}-{low}rpm")

    def seconds(self, step: Step) -> float:
        """Seconds one pass of a step takes. A step that cannot be timed is an error (never
        counted as nothing); one timed from the athlete's recent speed says so."""
        if step.duration_s is None and step.distance_m:
            speed = step_speed(step, self.family, self.th)
            if not speed:
                self.error(step.line, "no_pace", d=render_length(step),
                           sport=(self.family or "this sport").lower())
            elif speed == self.th.recent_speed and not self.th.threshold_pace \
                    and not _absolute_pace(step) and not self.assumed:
                self.assumed = True
                self.warn(step.line, "assumed_speed", d=render_length(step),
                          sport=(self.family or "").lower(), speed=speed_text(speed, self.family))
        elif step.duration_s is None and step.press_lap:
            self.error(step.line, "lap_only")
        return step_seconds(step, self.family, self.th)


def check(text: str, sport: str, thresholds: Thresholds | None = None) -> WorkoutCheck:
    """Validate workout text for a sport; estimate duration, distance, load and time in zones."""
    too_long = oversize(text)
    if too_long:
        return WorkoutCheck(ok=False, duration_s=0, distance_m=None, load=None,
                            errors=[Issue(0, too_long)], warnings=[], workout=None, zone_times={})
    workout, syntax = parse(text)
    checker = _Checker(text, sport, thresholds, syntax)
    checker.structure(workout)
    for step, _ in flatten(workout):
        checker.step(step)
    timed = [(step, count, checker.seconds(step)) for step, count in flatten(workout)]
    duration = sum(seconds * count for _, count, seconds in timed)
    longest = max((step.duration_s or 0 for step, _, _ in timed), default=0)
    if duration > MAX_SECONDS and longest <= MAX_SECONDS:  # one over-long step says it already
        checker.error(0, "long_total", time=format_duration(round(duration)))
    errors = sorted(checker.errors, key=lambda issue: issue.line)
    laid_out = not syntax and _expandable(workout)
    return WorkoutCheck(
        ok=not errors,
        duration_s=round(duration),
        distance_m=workout_distance(workout),
        load=workout_load(timed, checker.family, checker.th),
        errors=errors,
        warnings=sorted(checker.warnings, key=lambda issue: issue.line),
        workout=None if syntax else workout,
        zone_times=zone_times(timeline(workout, sport, thresholds)) if laid_out else {},
    )


def _absolute_pace(step: Step) -> bool:
    return step.target is not None and step.target.kind == "pace_abs"


def speed_text(speed: float, family: str | None) -> str:
    """A speed as athletes of the sport say it: km/h on a bike, pace per km or per 100 m."""
    if family == "Ride":
        return f"{speed * 3.6:.1f} km/h"
    metres = 100 if family == "Swim" else 1000
    minutes, seconds = divmod(round(metres / speed), 60)
    return f"{minutes}:{seconds:02d} /{'100m' if family == 'Swim' else 'km'}"


def oversize(text: str) -> str:
    """Why `text` is too long to be a workout, or "" (checked before anything is parsed)."""
    if len(text) > MAX_TEXT_CHARS:
        return say("too_long", size=f"over {MAX_TEXT_CHARS:,} characters")
    lines = len(text.splitlines())
    if lines > MAX_TEXT_LINES:
        return say("too_long", size=f"{lines:,} lines")
    return ""


def _expandable(workout: Workout) -> bool:
    """False for a typo such as `5000x`, whose timeline would hold millions of segments."""
    return all(item.count <= MAX_REPEATS for item in workout.items if isinstance(item, Repeat))
