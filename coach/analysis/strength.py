"""Strength and mobility sessions, pure: a duration and a plain description, proposed as
Intervals.icu `WeightTraining` events, never with power, pace or heart-rate targets; and the
helpers that let a week's layout count them in the availability and in the week's hours.

From the reference (`shared/reference/intervals-api.md`, `intervals-openapi.json`):
`WeightTraining` is one of the sport types the OpenAPI document lists (`EventEx.type` is a free
string; the type enum of `SportInfo`, `Folder` and `EventEx.can_train_sports` holds
`WeightTraining`); there is no structured strength format, so an event takes a duration
(`moving_time`, seconds) and a `description`; and the server reads a description as workout
text, so a line that starts with `-` or a header ending in `3x` would become a step or a repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from coach import workout
from coach.analysis.fit import Session
from coach.analysis.layout import Availability, Booked, day_slots

WEIGHT_TRAINING = "WeightTraining"
# Load = hours × IF² × 100 with a stated low intensity: gym and mobility work count little
# toward endurance load, and without it a week of strength would look like a rest week.
INTENSITY = {"strength": 0.55, "mobility": 0.4}
SHORTEST, LONGEST = 15, 90            # minutes
DAYS_FIRST = (0, 3, 1, 4, 2, 5, 6)    # Mon, Thu, Tue, Fri…: away from the weekend's long days
CLEAR_BEFORE_RACE = 2                 # no strength in the 2 days before a race
# Endurance targets that have no place in a strength description (a % of 1RM is fine).
TARGETS = re.compile(r"\b(ftp|lthr|bpm|watts?|\d+\s*w|z[1-7]|\d+\s*%\s*(hr|ftp|lthr))\b"
                     r"|\d:\d\d\s*/(km|mi|100m|100y|500m)\b", re.IGNORECASE)


class StrengthKind(StrEnum):
    STRENGTH = "strength"
    MOBILITY = "mobility"


@dataclass(frozen=True)
class StrengthSession:
    """A strength or mobility session: a day, minutes and a plain description."""

    day: date
    kind: StrengthKind
    minutes: int
    name: str
    description: str

    @property
    def sport(self) -> str:
        """The event's `type`."""
        return WEIGHT_TRAINING

    @property
    def moving_time(self) -> int:
        """The event's `moving_time`, seconds."""
        return self.minutes * 60

    @property
    def load(self) -> float:
        """Training load at the kind's stated low intensity."""
        return strength_load(self.minutes, self.kind)


def strength_session(day: date, minutes: int = 40,
                     kind: StrengthKind = StrengthKind.STRENGTH) -> StrengthSession:
    """A session of `minutes` (15 to 90) with a plain description of what to do."""
    if not SHORTEST <= minutes <= LONGEST:
        raise ValueError(f"a {kind} session lasts {SHORTEST} to {LONGEST} minutes, not {minutes}")
    text = _STRENGTH if kind == StrengthKind.STRENGTH else _MOBILITY
    rounds = "2" if minutes < 35 else "3"
    name = f"{kind.value.capitalize()} {minutes} min"
    return StrengthSession(day, kind, minutes, name,
                           text.format(minutes=minutes, rounds=rounds).strip())


MINUTES = re.compile(r"(\d{1,3})\s*(?:min\b|mins\b|minutes\b|minutos\b|minuten\b|')",
                     re.IGNORECASE)
MOBILITY_WORDS = re.compile(r"mobility|stretch|yoga|movilidad|estiramient|dehn|beweglich",
                            re.IGNORECASE)


def stated_minutes(*texts: str) -> int | None:
    """The minutes a strength session's words state first (`Strength 40 min: …`), if any."""
    for text in texts:
        if found := MINUTES.search(text):
            return int(found.group(1))
    return None


def strength_kind(*texts: str) -> StrengthKind:
    """Mobility when the words say so (mobility, stretching, yoga), else strength."""
    return StrengthKind.MOBILITY if any(MOBILITY_WORDS.search(t) for t in texts) \
        else StrengthKind.STRENGTH


def strength_load(minutes: float, kind: StrengthKind) -> float:
    """Training load of `minutes` of the kind, at its stated low intensity."""
    return round(workout.training_load(minutes * 60, INTENSITY[kind]), 1)


def strength_problems(description: str) -> list[str]:
    """What in a strength description would read as an endurance workout or target."""
    found = [f"line {item.line} reads as a workout step; write it as a sentence"
             for item in workout.parse(description)[0].items
             if isinstance(item, workout.Step | workout.Repeat)]
    found += [f"'{m.group(0)}' is an endurance target; strength takes none"
              for m in TARGETS.finditer(description)]
    return found


def strength_days(monday: date, availability: Availability, booked: Mapping[date, Booked],
                  count: int, minutes: int, race: date | None = None) -> list[date]:
    """Up to `count` days with room for `minutes`, never two in a row, clear of a race."""
    free = {s.day: s.free for s in day_slots(monday, availability, booked, race)}
    picked: list[date] = []
    for day in (monday + timedelta(days=i) for i in DAYS_FIRST):
        near_race = race is not None and 0 <= (race - day).days <= CLEAR_BEFORE_RACE
        apart = all(abs((day - p).days) > 1 for p in picked)
        if len(picked) < count and free[day] >= minutes and apart and not near_race:
            picked.append(day)
    return sorted(picked)


def with_strength(booked: Mapping[date, Booked],
                sessions: Iterable[StrengthSession]) -> dict[date, Booked]:
    """`booked` with the sessions added, so a week's layout counts their time and load."""
    out = dict(booked)
    for s in sessions:
        b = out.get(s.day, Booked())
        out[s.day] = Booked(b.minutes + s.minutes, b.load + s.load, b.count + 1)
    return out


def strength_hours(sessions: Sequence[StrengthSession]) -> float:
    """The sessions' hours, for the week's total."""
    return sum(s.minutes for s in sessions) / 60


def strength_as_session(s: StrengthSession, proposal_id: int | None = None) -> Session:
    """The session as the proposal check sees it: no endurance intensity."""
    return Session(s.day, s.sport, s.name, s.minutes, s.load, proposal_id=proposal_id)


_STRENGTH = """
Strength, {minutes} min, bodyweight or light weights.
Warm up 5-10 min: easy cardio, leg swings, bodyweight squats.
Then {rounds} rounds: squats or split squats, Romanian deadlifts, step-ups, calf raises,
plank and side plank. 6-12 repetitions each, stopping with 2 in reserve; rest 1-2 min.
Finish with 5 min of easy stretching.
"""

_MOBILITY = """
Mobility, {minutes} min, easy.
Slow, controlled moves for the hips, hamstrings, calves, upper back and shoulders,
30-60 s each, {rounds} times through. Breathe easily; nothing should hurt.
"""
