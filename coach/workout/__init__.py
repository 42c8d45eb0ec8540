"""Intervals.icu workout text, pure (no I/O): the typed model (`model`), text -> model (`parse`),
model -> text (`render`), the numbers of a step (`numbers`), validation with line-numbered
errors that teach the fix (`check`, `messages`), and the intensity timeline (`timeline`).

It knows the traps: `m` is minutes (metres are `mtr`), repeat blocks need blank lines around
them, absolute pace needs `Pace`. Everything else imports from here, not from the submodules.
"""

from coach.workout.check import check, oversize
from coach.workout.model import (
    DISTANCE_UNITS,
    HR_KINDS,
    MAX_TEXT_CHARS,
    MAX_TEXT_LINES,
    PACE_KINDS,
    PACE_UNITS,
    POWER_KINDS,
    SPORTS,
    TARGET_KINDS,
    Issue,
    Repeat,
    Section,
    Segment,
    Step,
    Target,
    Thresholds,
    Workout,
    WorkoutCheck,
    sport_family,
)
from coach.workout.numbers import StepPass, passes, training_load
from coach.workout.parse import parse
from coach.workout.render import format_duration, render
from coach.workout.timeline import timeline, zone_times

__all__ = [
    "DISTANCE_UNITS", "HR_KINDS", "MAX_TEXT_CHARS", "MAX_TEXT_LINES", "PACE_KINDS",
    "PACE_UNITS", "POWER_KINDS", "SPORTS", "TARGET_KINDS", "Issue", "Repeat", "Section",
    "Segment", "Step", "StepPass", "Target", "Thresholds", "Workout", "WorkoutCheck", "check",
    "format_duration", "oversize", "parse", "passes", "render", "sport_family", "timeline",
    "training_load", "zone_times",
]
