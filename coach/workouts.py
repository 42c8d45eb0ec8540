"""Intervals.icu workout text: the typed model, parse and render (numbers: workout_numbers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

SPORTS = ("Ride", "Run", "Swim")
TARGET_KINDS = (
    "power_pct", "watts", "power_zone", "mmp_pct", "hr_pct", "lthr_pct", "hr_zone",
    "pace_pct", "pace_zone", "pace_abs", "freeride",
)
POWER_KINDS = frozenset({"power_pct", "watts", "power_zone", "mmp_pct"})
PACE_KINDS = frozenset({"pace_pct", "pace_zone", "pace_abs"})
HR_KINDS = frozenset({"hr_pct", "lthr_pct", "hr_zone"})
MAX_SECONDS = 8 * 3600
MAX_REPEATS = 50
DISTANCE_UNITS = {"mtr": 1.0, "km": 1000.0, "mi": 1609.344}
PACE_UNITS = {
    "/km": 1000.0, "/mi": 1609.344, "/100m": 100.0, "/100y": 91.44,
    "/500m": 500.0, "/400m": 400.0, "/250m": 250.0,
}
# Intervals.icu default power zones: upper bounds in % FTP; 999 marks the open-ended top zone.
DEFAULT_POWER_ZONES = (55.0, 75.0, 90.0, 105.0, 120.0, 150.0, 999.0)
# Friel-style HR zones in % LTHR; the top zone is capped at 110 % LTHR, roughly max HR.
DEFAULT_HR_ZONES_PCT_LTHR = (81.0, 89.0, 93.0, 99.0, 102.0, 106.0, 110.0)
# Run pace zones in % of threshold speed, as in a live Intervals.icu sport-settings sample.
DEFAULT_PACE_ZONES = (77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0)
# Without a target, rides include coasting (IF ~0.5); runs and swims cannot coast (IF ~0.65).
DEFAULT_IF = {"Ride": 0.5, "Run": 0.65, "Swim": 0.65}
# A distance step with no pace target is assumed easy: 80 % of threshold speed.
EASY_PACE_FRACTION = 0.8
# Rough critical-power model for `% MMP`: MMP(t) ~ FTP * (1 + W'/(FTP * t)) with W'/FTP ~ 80 s.
MMP_W_PRIME_SECONDS = 80.0

_NUM = r"\d+(?:\.\d+)?"
_PCT = re.compile(rf"({_NUM})%?(?:-({_NUM}))?%")
_WATTS = re.compile(rf"({_NUM})[wW]?(?:-({_NUM}))?[wW]")
_ZONE = re.compile(r"[zZ](\d+)(?:-[zZ]?(\d+))?")
_PACE = re.compile(r"(\d+:[0-5]\d)(/\w+)?(?:-(\d+:[0-5]\d)(/\w+)?)?")
_CADENCE = re.compile(r"(\d+)(?:-(\d+))?rpm", re.IGNORECASE)
_BARE = re.compile(r"(\d+)(?:-(\d+))?")
_DISTANCE = re.compile(rf"({_NUM})(mtr|km|mi)", re.IGNORECASE)
_HMS = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_M_S = re.compile(r"(\d+)m(\d+)")
_QUOTES = re.compile(r"(?:(\d+)')?(?:(\d+)\")?")
_VALUE_LIKE = re.compile(r"[zZ]?\d[\w.:/%]*")
_REPEAT = re.compile(r"(?:(.*\S)\s+)?(\d+)\s*[xX]")
_PCT_SUFFIX = {
    "hr": "hr_pct", "lthr": "lthr_pct", "pace": "pace_pct", "mmp": "mmp_pct", "ftp": "power_pct",
}


def sport_family(activity_type: str) -> str | None:
    """Map an Intervals.icu activity type (`VirtualRide`, `TrailRun`...) to Ride, Run or Swim."""
    name = activity_type.strip().lower()
    for family in SPORTS:
        if name.endswith(family.lower()):
            return family
    return "Ride" if name in ("cyclocross", "velomobile", "handcycle") else None


@dataclass(frozen=True)
class Thresholds:
    """The athlete's sport settings for one sport; every field is optional."""

    ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace: float | None = None  # metres/second, as Intervals.icu stores it
    power_zones: tuple[float, ...] = ()  # upper bounds in % FTP
    hr_zones: tuple[float, ...] = ()  # upper bounds in bpm
    pace_zones: tuple[float, ...] = ()  # upper bounds in % of threshold pace


@dataclass(frozen=True)
class Issue:
    """A problem found in workout text; line 0 means the whole workout."""

    line: int
    message: str


@dataclass(frozen=True)
class Target:
    """One step target; `low == high` unless a range. Pace_abs values are seconds per `unit`."""

    kind: str
    low: float = 0.0
    high: float = 0.0
    unit: str = ""  # pace_abs only: "/km", "/100m"...; "" means the sport's default unit
    mmp_s: int | None = None  # mmp_pct only: the effort duration, `60% MMP 5m` -> 300

    @property
    def is_range(self) -> bool:
        """True when the target has distinct start and end values."""
        return self.low != self.high


@dataclass(frozen=True)
class Step:
    """One `- ...` line: cue text, a length, an optional target and cadence."""

    cue: str = ""  # free text before the first length/target token
    duration_s: int | None = None
    distance_m: float | None = None
    distance_unit: str = ""  # "mtr", "km" or "mi" as written, so `2km` renders as `2km`
    press_lap: bool = False
    ramp: bool = False
    target: Target | None = None
    cadence_low: int | None = None
    cadence_high: int | None = None
    note: str = ""  # free text after the first length/target token, kept so nothing is lost
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Repeat:
    """A block of steps repeated `count` times, introduced by `Nx` or `Header Nx`."""

    header: str
    count: int
    steps: tuple[Step, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Section:
    """A header or free-text line such as `Warmup`."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Workout:
    """A parsed workout: sections, steps and repeat blocks in order."""

    items: tuple[Section | Step | Repeat, ...] = ()


@dataclass(frozen=True)
class WorkoutCheck:
    """The verdict on a workout text plus its estimated numbers."""

    ok: bool
    duration_s: int
    distance_m: float | None
    load: float | None
    errors: list[Issue]
    warnings: list[Issue]
    workout: Workout | None
    zone_times: dict[int, int] = field(default_factory=dict)  # zone -> seconds; 0 = unknown zone


@dataclass(frozen=True)
class Segment:
    """One pass of a step on the workout's time axis, with its intensity in % of threshold."""

    start_s: int  # seconds from the workout start, repeats expanded
    end_s: int
    start_pct: float | None  # %FTP, %LTHR or % threshold speed; None when unknown
    end_pct: float | None  # differs from start_pct only for ramps
    zone: int | None  # 1-based zone of the midpoint intensity; None when unknown
    label: str  # the step's tokens for a tooltip, e.g. `8m 95-100% (2/3)`
    line: int
    # The athlete's zone upper bounds in the same % units: zone_times() cuts ramps at them.
    zone_bounds: tuple[float, ...] = ()


# ---------------------------------------------------------------------------- messages

# Every message names the offending syntax in backticks and says how to fix it. The messages of
# check() are in coach.workout_numbers.
_MSG = {
    "unknown": "`{token}` is not understood; write e.g. `10m`, `30s`, `400mtr`, `75%` or `Z2`",
    "decimal": "`{token}` is not a duration; write whole units, e.g. `1h30m` or `2m30s`",
    "inline_repeat": "`{token}` on a step is not supported; put `{token}` on its own line above",
    "second_length": "`{token}` is a second duration or distance; split it into two steps",
    "second_target": "`{token}` is a second target on this step; use one target per step",
    "second_cadence": "`{token}` is a second cadence on this step; keep one, e.g. `90rpm`",
    "second_press_lap": "`{token}` appears twice on this step; write `press lap` once",
    "stray_suffix": "`{word}` must come right after its value, e.g. `{t} {word}`",
    "ramp_range": "`ramp` must be followed by its range, e.g. `ramp 50-75%`",
    "mmp": "`MMP` needs the effort duration after it, e.g. `{token} MMP 5m`",
    "pace_units": "`{token}` mixes pace units; use one, e.g. `3:00-4:00/100m Pace`",
    "pace_unit": "`{token}` is not a pace unit; use one of {units}",
    "pace_word": "add `Pace` after `{token}`, e.g. `{token} Pace`",
    "nested": "nested repeats are not supported; end the `{outer}` block with a blank line "
    "before `{line}`, or write the inner steps out in full",
    "blank_before": "add a blank line before `{line}`",
    "join_label": "add a blank line before `{line}`, or label the repeat: `{label} {count}x`",
    "blank_after": "add a blank line before `{line}` to end the `{outer}` block",
}


def _say(key: str, **values: object) -> str:
    """A message from the table, filled in."""
    return _MSG[key].format(**values)


# ---------------------------------------------------------------------------- tokens


def _clean(token: str) -> str:
    """Drop trailing punctuation so `40-50 rpm,` still reads as a cadence."""
    return token.rstrip(",;")


def _num(value: float) -> str:
    """Shortest text that parses back to the same number (`75`, `87.5`)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _pair(match: re.Match[str]) -> tuple[float, float]:
    return float(match[1]), float(match[2] or match[1])


def _duration(token: str) -> int | None:
    """Seconds for `30s`, `10m`, `1h2m30s`, `1m30`, `5'`, `1'30"`; None if not a duration."""
    if not token[:1].isdigit():
        return None
    if m := _HMS.fullmatch(token):
        hours, minutes, seconds = (int(g or 0) for g in m.groups())
        return hours * 3600 + minutes * 60 + seconds
    if m := _M_S.fullmatch(token):
        return int(m[1]) * 60 + int(m[2])
    if m := _QUOTES.fullmatch(token):
        return int(m[1] or 0) * 60 + int(m[2] or 0)
    return None


def _mmss(text: str) -> float:
    minutes, seconds = text.split(":")
    return float(int(minutes) * 60 + int(seconds))


def _mergeable(token: str) -> bool:
    """True for a target-like value that may sit either side of a spaced range dash."""
    clean = _clean(token)
    return bool(_VALUE_LIKE.fullmatch(clean)) and _duration(clean) is None


def _merge_ranges(tokens: list[str]) -> list[str]:
    """Join `315w - 330w` into `315w-330w`: Intervals.icu accepts spaces around a range dash."""
    out: list[str] = []
    for token in tokens:
        if len(out) > 1 and out[-1] == "-" and _mergeable(out[-2]) and _mergeable(token):
            out[-2:] = [f"{out[-2]}-{token}"]
        else:
            out.append(token)
    return out


_Read = tuple[Target | None, int, str | None]  # (target, tokens used, error message)


def _read_target(tokens: list[str], i: int) -> _Read:
    """Read a target starting at tokens[i]."""
    if i >= len(tokens):
        return None, 0, None
    token = _clean(tokens[i])
    after = _clean(tokens[i + 1]).lower() if i + 1 < len(tokens) else ""
    if token.lower() == "freeride":
        return Target("freeride"), 1, None
    if m := _PCT.fullmatch(token):
        return _percent_target(m, after, tokens, i)
    if m := _WATTS.fullmatch(token):
        return Target("watts", *_pair(m)), 1, None
    if m := _ZONE.fullmatch(token):
        kind = {"hr": "hr_zone", "pace": "pace_zone"}.get(after, "power_zone")
        return Target(kind, *_pair(m)), 1 if kind == "power_zone" else 2, None
    if m := _PACE.fullmatch(token):
        return _pace_target(m, after)
    return None, 0, None


def _percent_target(m: re.Match[str], after: str, tokens: list[str], i: int) -> _Read:
    """A `%` target: power by default, or HR / LTHR / Pace / MMP by the word after it."""
    kind = _PCT_SUFFIX.get(after, "power_pct")
    low, high = _pair(m)
    if kind != "mmp_pct":
        return Target(kind, low, high), 2 if after in _PCT_SUFFIX else 1, None
    seconds = _duration(_clean(tokens[i + 2])) if i + 2 < len(tokens) else None
    if seconds is None:
        return None, 2, _say("mmp", token=m[0])
    return Target(kind, low, high, mmp_s=seconds), 3, None


def _pace_target(m: re.Match[str], after: str) -> _Read:
    """An absolute pace such as `7:15-7:00/km Pace`."""
    units = {u.lower() for u in (m[2], m[4]) if u}
    unit = min(units, default="")
    if len(units) > 1:
        return None, 1, _say("pace_units", token=m[0])
    if unit and unit not in PACE_UNITS:
        return None, 1, _say("pace_unit", token=unit, units=", ".join(f"`{u}`" for u in PACE_UNITS))
    if after != "pace":
        return None, 1, _say("pace_word", token=m[0])
    return Target("pace_abs", _mmss(m[1]), _mmss(m[3] or m[1]), unit=unit), 2, None


class _StepReader:
    """Reads one step line left to right; other words become cue (before) or note (after) text."""

    def __init__(self, body: str, line: int) -> None:
        self.tokens = _merge_ranges(body.split())
        self.line = line
        self.issues: list[Issue] = []
        self.values: dict[str, Any] = {}
        self.groups: set[str] = set()  # which of length/target/cadence/press_lap are set
        self.cue: list[str] = []
        self.note: list[str] = []

    def read(self) -> Step:
        """Consume every token and build the step."""
        i = 0
        while i < len(self.tokens):
            i += self._take(i)
        step = Step(cue=" ".join(self.cue), note=" ".join(self.note), line=self.line, **self.values)
        word = _clean(self.note[0]) if self.note else ""
        target = step.target
        if word.lower() in _PCT_SUFFIX and target and target.kind in ("power_pct", "power_zone"):
            # Rendered as `80% Pace`, this word would silently turn the target into another kind.
            self._issue(_say("stray_suffix", word=word, t=_render_target(target)))
        return step

    def _take(self, i: int) -> int:
        for reader in (self._press_lap, self._ramp, self._length, self._cadence, self._target):
            if used := reader(i):
                return used
        self._word(self.tokens[i])
        return 1

    def _peek(self, i: int) -> str:
        return _clean(self.tokens[i]).lower() if i < len(self.tokens) else ""

    def _issue(self, message: str) -> None:
        self.issues.append(Issue(self.line, message))

    def _set(self, group: str, token: str, **values: Any) -> None:
        if group in self.groups:
            self._issue(_say(f"second_{group}", token=token))
        else:
            self.groups.add(group)
            self.values.update(values)

    def _press_lap(self, i: int) -> int:
        if self._peek(i) != "press" or self._peek(i + 1) != "lap":
            return 0
        self._set("press_lap", "press lap", press_lap=True)
        return 2

    def _ramp(self, i: int) -> int:
        if self._peek(i) != "ramp":
            return 0
        target, used, error = _read_target(self.tokens, i + 1)
        if error:
            self._issue(error)
        elif target is not None:
            self._set("target", _clean(self.tokens[i + 1]), target=target, ramp=True)
        elif not self.groups:
            return 0  # "Ramp up 10m ..." before any length is cue text
        else:
            self._issue(_say("ramp_range"))
        return 1 + used

    def _length(self, i: int) -> int:
        token = _clean(self.tokens[i])
        if (seconds := _duration(token)) is not None:
            self._set("length", token, duration_s=seconds)
        elif m := _DISTANCE.fullmatch(token):
            unit = m[2].lower()
            self._set("length", token, distance_m=float(m[1]) * DISTANCE_UNITS[unit],
                      distance_unit=unit)
        else:
            return 0
        return 1

    def _cadence(self, i: int) -> int:
        token = _clean(self.tokens[i])
        if m := _CADENCE.fullmatch(token):
            used = 1
        elif (m := _BARE.fullmatch(token)) and self._peek(i + 1) == "rpm":
            used = 2
        else:
            return 0
        self._set("cadence", token, cadence_low=int(m[1]), cadence_high=int(m[2] or m[1]))
        return used

    def _target(self, i: int) -> int:
        target, used, error = _read_target(self.tokens, i)
        if error:
            self._issue(error)
        elif target is not None:
            self._set("target", _clean(self.tokens[i]), target=target)
        return used

    def _word(self, token: str) -> None:
        clean = _clean(token)
        if re.fullmatch(r"\d+[xX]", clean):
            self._issue(_say("inline_repeat", token=clean))
        elif re.fullmatch(r"\d+\.\d+[hms]", clean):
            self._issue(_say("decimal", token=clean))
        elif clean[:1].isdigit() or re.match(r"[zZ]\d", clean):
            self._issue(_say("unknown", token=clean))
        else:
            (self.note if self.groups else self.cue).append(token)


# ---------------------------------------------------------------------------- parse


class _Builder:
    """Assembles lines into sections, steps and repeat blocks, noting layout problems."""

    def __init__(self) -> None:
        self.items: list[Section | Step | Repeat] = []
        self.issues: list[Issue] = []
        self.block: Repeat | None = None  # the open repeat block; its steps collect below
        self.block_steps: list[Step] = []
        self.previous = ""  # the previous line; "" at the start or after a blank line

    def feed(self, line: str, number: int) -> None:
        """Take one stripped line."""
        if not line:
            self._close()
        elif line.startswith("-"):
            reader = _StepReader(line[1:], number)
            (self.block_steps if self.block else self.items).append(reader.read())
            self.issues.extend(reader.issues)
        elif m := _REPEAT.fullmatch(line):
            self._repeat(m, line, number)
        else:
            if self.block:
                self.issues.append(Issue(number, _say("blank_after", line=line, outer=self._outer)))
                self._close()
            self.items.append(Section(line, line=number))
        self.previous = line

    def finish(self) -> tuple[Workout, list[Issue]]:
        """The workout and its syntax issues (already in line order)."""
        self._close()
        return Workout(tuple(self.items)), self.issues

    @property
    def _outer(self) -> str:
        return _repeat_label(self.block) if self.block else ""

    def _close(self) -> None:
        if self.block is not None:
            self.items.append(replace(self.block, steps=tuple(self.block_steps)))
            self.block = None

    def _repeat(self, m: re.Match[str], line: str, number: int) -> None:
        if self.block:
            self.issues.append(Issue(number, _say("nested", outer=self._outer, line=line)))
            self._close()
        elif self.previous.startswith("-"):
            self.issues.append(Issue(number, _say("blank_before", line=line)))
        elif self.previous:
            message = _say("join_label", line=line, label=self.previous, count=m[2])
            self.issues.append(Issue(number, message))
        self.block = Repeat(m[1] or "", int(m[2]), line=number)
        self.block_steps = []


def parse(text: str) -> tuple[Workout, list[Issue]]:
    """Parse workout text into a Workout plus its syntax errors; never raises."""
    builder = _Builder()
    for number, raw in enumerate(text.splitlines(), start=1):
        builder.feed(raw.strip(), number)
    return builder.finish()


# ---------------------------------------------------------------------------- render

# How each target kind is written after its number(s); zones also get a `Z` before each number.
_SUFFIX = {
    "power_pct": "%", "watts": "w", "mmp_pct": "% MMP", "hr_pct": "% HR", "lthr_pct": "% LTHR",
    "pace_pct": "% Pace", "power_zone": "", "hr_zone": " HR", "pace_zone": " Pace",
}


def _render_duration(seconds: int) -> str:
    """Canonical Intervals.icu duration: `1h2m30s`, `10m`, `30s`."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{secs}s" if secs else "") or "0s"


def _render_pace(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _render_target(target: Target) -> str:
    """Canonical text of a target, e.g. `88-92%`, `Z2 HR`, `7:15-7:00/km Pace`."""
    if target.kind == "freeride":
        return "freeride"
    if target.kind == "pace_abs":
        low, high = _render_pace(target.low), _render_pace(target.high)
        return f"{low if low == high else f'{low}-{high}'}{target.unit} Pace"
    prefix = "Z" if target.kind.endswith("zone") else ""
    low, high = f"{prefix}{_num(target.low)}", f"{prefix}{_num(target.high)}"
    text = (low if low == high else f"{low}-{high}") + _SUFFIX.get(target.kind, "%")
    if target.kind == "mmp_pct" and target.mmp_s is not None:
        text += f" {_render_duration(target.mmp_s)}"
    return text


def _render_length(step: Step) -> str:
    if step.duration_s is not None:
        return _render_duration(step.duration_s)
    if step.distance_m is None:
        return ""
    unit = step.distance_unit or "mtr"
    return f"{_num(round(step.distance_m / DISTANCE_UNITS[unit], 6))}{unit}"


def _render_step(step: Step) -> str:
    """`- [cue] <length> [press lap] [ramp] <target> [cadence] [note]`."""
    cadence = ""
    if step.cadence_low is not None:
        low, high = step.cadence_low, step.cadence_high or step.cadence_low
        cadence = f"{low}rpm" if high == low else f"{low}-{high}rpm"
    parts = [
        step.cue, _render_length(step), "press lap" if step.press_lap else "",
        "ramp" if step.ramp else "", _render_target(step.target) if step.target else "",
        cadence, step.note,
    ]
    return " ".join(["-", *(part for part in parts if part)])


def _repeat_label(repeat: Repeat) -> str:
    return f"{repeat.header} {repeat.count}x".strip()


def render(workout: Workout) -> str:
    """Canonical Intervals.icu text, with blank lines around repeats and between sections."""
    lines: list[str] = []
    previous: Section | Step | Repeat | None = None
    for item in workout.items:
        if lines and (not isinstance(item, Step) or isinstance(previous, Repeat)):
            lines.append("")
        if isinstance(item, Section):
            lines.append(item.text)
        elif isinstance(item, Repeat):
            lines.append(_repeat_label(item))
            lines.extend(_render_step(step) for step in item.steps)
        else:
            lines.append(_render_step(item))
        previous = item
    return "\n".join(lines)


def format_duration(seconds: int) -> str:
    """Human display of a duration: `1h05m`, `45m`, `2m30s`, `30s`."""
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}s" if secs else ""
    if hours:
        return f"{hours}h" + (f"{minutes:02d}m" if minutes or secs else "") + tail
    return f"{minutes}m{tail}" if minutes else f"{secs}s"



# ---------------------------------------------------------------------------- numbers

# The numbers live in coach.workout_numbers, which imports this module's model; importing it
# inside these functions keeps `workouts.check` and friends working without an import cycle.


def check(text: str, sport: str, thresholds: Thresholds | None = None) -> WorkoutCheck:
    """Validate workout text for a sport; estimate duration, distance, load and time in zones."""
    from coach import workout_numbers

    return workout_numbers.check(text, sport, thresholds)


def timeline(workout: Workout, sport: str, thresholds: Thresholds | None = None) -> list[Segment]:
    """The workout as segments of intensity over time, repeats expanded."""
    from coach import workout_numbers

    return workout_numbers.timeline(workout, sport, thresholds)


def zone_times(segments: list[Segment]) -> dict[int, int]:
    """Seconds in each zone over a timeline; key 0 holds time of unknown intensity."""
    from coach import workout_numbers

    return workout_numbers.zone_times(segments)
