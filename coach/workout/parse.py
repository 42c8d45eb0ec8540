"""Workout text -> the typed model, with line-numbered syntax errors; never raises."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from coach.workout.messages import say
from coach.workout.model import (
    DISTANCE_UNITS,
    PACE_UNITS,
    Issue,
    Repeat,
    Section,
    Step,
    Target,
    Workout,
)
from coach.workout.render import render_target, repeat_label

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


# ---------------------------------------------------------------------------- tokens


def clean_token(token: str) -> str:
    """Drop trailing punctuation so `40-50 rpm,` still reads as a cadence."""
    return token.rstrip(",;")


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
    clean = clean_token(token)
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
    token = clean_token(tokens[i])
    after = clean_token(tokens[i + 1]).lower() if i + 1 < len(tokens) else ""
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
    seconds = _duration(clean_token(tokens[i + 2])) if i + 2 < len(tokens) else None
    if seconds is None:
        return None, 2, say("mmp", token=m[0])
    return Target(kind, low, high, mmp_s=seconds), 3, None


def _pace_target(m: re.Match[str], after: str) -> _Read:
    """An absolute pace such as `7:15-7:00/km Pace`."""
    units = {u.lower() for u in (m[2], m[4]) if u}
    unit = min(units, default="")
    if len(units) > 1:
        return None, 1, say("pace_units", token=m[0])
    if unit and unit not in PACE_UNITS:
        return None, 1, say("pace_unit", token=unit, units=", ".join(f"`{u}`" for u in PACE_UNITS))
    if after != "pace":
        return None, 1, say("pace_word", token=m[0])
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
        word = clean_token(self.note[0]) if self.note else ""
        target = step.target
        if word.lower() in _PCT_SUFFIX and target and target.kind in ("power_pct", "power_zone"):
            # Rendered as `80% Pace`, this word would silently turn the target into another kind.
            self._issue(say("stray_suffix", word=word, t=render_target(target)))
        return step

    def _take(self, i: int) -> int:
        for reader in (self._press_lap, self._ramp, self._length, self._cadence, self._target):
            if used := reader(i):
                return used
        self._word(self.tokens[i])
        return 1

    def _peek(self, i: int) -> str:
        return clean_token(self.tokens[i]).lower() if i < len(self.tokens) else ""

    def _issue(self, message: str) -> None:
        self.issues.append(Issue(self.line, message))

    def _set(self, group: str, token: str, **values: Any) -> None:
        if group in self.groups:
            self._issue(say(f"second_{group}", token=token))
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
            self._set("target", clean_token(self.tokens[i + 1]), target=target, ramp=True)
        elif not self.groups:
            return 0  # "Ramp up 10m ..." before any length is cue text
        else:
            self._issue(say("ramp_range"))
        return 1 + used

    def _length(self, i: int) -> int:
        token = clean_token(self.tokens[i])
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
        token = clean_token(self.tokens[i])
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
            self._set("target", clean_token(self.tokens[i]), target=target)
        return used

    def _word(self, token: str) -> None:
        clean = clean_token(token)
        if re.fullmatch(r"\d+[xX]", clean):
            self._issue(say("inline_repeat", token=clean))
        elif re.fullmatch(r"\d+\.\d+[hms]", clean):
            self._issue(say("decimal", token=clean))
        elif clean[:1].isdigit() or re.match(r"[zZ]\d", clean):
            self._issue(say("unknown", token=clean))
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
                self.issues.append(Issue(number, say("blank_after", line=line, outer=self._outer)))
                self._close()
            self.items.append(Section(line, line=number))
        self.previous = line

    def finish(self) -> tuple[Workout, list[Issue]]:
        """The workout and its syntax issues (already in line order)."""
        self._close()
        return Workout(tuple(self.items)), self.issues

    @property
    def _outer(self) -> str:
        return repeat_label(self.block) if self.block else ""

    def _close(self) -> None:
        if self.block is not None:
            self.items.append(replace(self.block, steps=tuple(self.block_steps)))
            self.block = None

    def _repeat(self, m: re.Match[str], line: str, number: int) -> None:
        if self.block:
            self.issues.append(Issue(number, say("nested", outer=self._outer, line=line)))
            self._close()
        elif self.previous.startswith("-"):
            self.issues.append(Issue(number, say("blank_before", line=line)))
        elif self.previous:
            message = say("join_label", line=line, label=self.previous, count=m[2])
            self.issues.append(Issue(number, message))
        self.block = Repeat(m[1] or "", int(m[2]), line=number)
        self.block_steps = []


def parse(text: str) -> tuple[Workout, list[Issue]]:
    """Parse workout text into a Workout plus its syntax errors; never raises."""
    builder = _Builder()
    for number, raw in enumerate(text.splitlines(), start=1):
        builder.feed(raw.strip(), number)
    return builder.finish()

