"""Checking a proposal, in one place, whoever makes it (the model's tools or the Plan page):
the day, the planned workout it changes, the workout text against the athlete's own settings
(a strength or mobility session's plain words by `analysis.strength_problems` instead).
A proposal that cannot be made raises `ProposalInvalid`: each caller turns it into what it
needs (the model an `Error: …` it can act on, the athlete a sentence)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from coach import analysis, workout
from coach.analysis import WEIGHT_TRAINING
from coach.errors import ProposalError
from coach.records import Event, thresholds_for
from coach.scope import Scope, require_athlete
from coach.store import ProposalKind, Store

MAX_PROBLEMS = 6  # lines of a workout text's problems told


class ProposalInvalid(ProposalError):
    """A proposal that cannot be made: `str(e)` says what is wrong (with the workout text's
    problems by line), `fix` how the model can correct it ("{tool}" names its tool)."""

    def __init__(self, reason: str, fix: str = "", problems: Sequence[str] = ()) -> None:
        super().__init__("\n".join([f"{reason}:" if problems else reason, *problems]))
        self.reason, self.fix, self.problems = reason, fix, tuple(problems)

    def for_model(self, tool: str) -> str:
        """The words the model reads after `Error: `."""
        fix = self.fix.format(tool=tool)
        if self.problems:
            return f"{self.reason}, {fix}:\n" + "\n".join(self.problems)
        return f"{self.reason}; {fix}" if fix else self.reason


@dataclass(frozen=True)
class CheckedChange:
    """A change that may be proposed: the planned workout as it is now, and what changes."""

    event: Event
    kind: ProposalKind
    new_day: date | None
    check: workout.WorkoutCheck | None  # the new text's, for a replace


STRENGTH_FIX = ("write plain words with its minutes, e.g. `Strength 40 min: squats, lunges, "
                "planks`, and call {tool} again")


def athlete_thresholds(store: Store, athlete_id: str, sport: str) -> workout.Thresholds:
    """The athlete's settings for a sport, with their recent speed in it from the synced
    activities (what times a distance step when no pace target or threshold pace can)."""
    moves = [(workout.sport_family(m["type"] or ""), m["moving_time"], m["distance"])
             for m in store.recent_moves(athlete_id)]
    return replace(thresholds_for(store.athlete(athlete_id), sport),
                   recent_speed=analysis.recent_speed(moves, sport))


def scope_thresholds(scope: Scope, sport: str) -> workout.Thresholds:
    """`athlete_thresholds` for the scope's athlete, who must be synced."""
    require_athlete(scope)
    return athlete_thresholds(scope.store, scope.athlete_id, sport)


def check_text(store: Store, athlete_id: str, sport: str, text: str,
               minutes: int | None = None) -> workout.WorkoutCheck:
    """Validate workout text against the athlete's own settings for that sport; a strength
    session's words (lasting `minutes` unless they say how long)."""
    if sport == WEIGHT_TRAINING:
        return check_strength(text, minutes)
    return workout.check(text, sport, athlete_thresholds(store, athlete_id, sport))


def check_strength(text: str, minutes: int | None = None, name: str = "") -> workout.WorkoutCheck:
    """A strength or mobility session: plain words, 15 to 90 minutes (stated in its words or
    name, else `minutes`), no steps and no endurance targets; its load at a low intensity."""
    problems = analysis.strength_problems(text)
    length = analysis.stated_minutes(text, name) or minutes
    if length is None:
        problems.append("say how long it lasts, e.g. `Strength 40 min: …`")
    elif not analysis.strength.SHORTEST <= length <= analysis.strength.LONGEST:
        problems.append(f"a strength session lasts {analysis.strength.SHORTEST} to "
                        f"{analysis.strength.LONGEST} minutes, not {length}")
    if workout.oversize(text):
        problems.append(str(workout.oversize(text)))
    kind = analysis.strength_kind(text, name)
    return workout.WorkoutCheck(
        ok=not problems, duration_s=(length or 0) * 60, distance_m=None,
        load=analysis.strength_load(length, kind) if length else None,
        errors=[workout.Issue(0, p) for p in problems], warnings=[], workout=None)


def check_workout(scope: Scope, day: date, sport: str, text: str,
                  name: str = "") -> workout.WorkoutCheck:
    """A new workout: a day from today on and a valid text (the athlete must be synced)."""
    if day < scope.today:
        raise ProposalInvalid(f"{day} is in the past", f"propose a date from {scope.today} on.")
    if sport == WEIGHT_TRAINING:
        check = check_strength(text, name=name)
        if not check.ok:
            raise ProposalInvalid("the workout text has problems", STRENGTH_FIX,
                                  [i.message for i in check.errors[:MAX_PROBLEMS]])
        return check
    check = workout.check(text, sport, scope_thresholds(scope, sport))
    _require_valid(check)
    return check


def check_change(scope: Scope, event_id: int, kind: ProposalKind, new_day: date | None,
                 text: str = "") -> CheckedChange:
    """A move (to `new_day`), a replace (by `text`) or a delete of a future planned workout."""
    event = scope.store.event(scope.athlete_id, event_id)
    if event is None or event.category != "WORKOUT":
        raise ProposalInvalid(f"no planned workout with id {event_id}",
                              "call planned_workouts to see the ids.")
    if date.fromisoformat(event.day) < scope.today:
        raise ProposalInvalid(f"workout {event.id} was on {event.day}, in the past; only "
                              "future workouts can be changed.")
    if kind == ProposalKind.MOVE:
        return CheckedChange(event, kind, _move_day(scope, event, new_day), None)
    if kind == ProposalKind.REPLACE:
        return CheckedChange(event, kind, None, _replacement(scope, event, text))
    return CheckedChange(event, kind, None, None)


def _move_day(scope: Scope, event: Event, new_day: date | None) -> date:
    if new_day is None:
        raise ProposalInvalid("move needs new_date (YYYY-MM-DD).")
    if new_day < scope.today or new_day.isoformat() == event.day:
        raise ProposalInvalid(f"new_date must be a different day from {scope.today} on.")
    return new_day


def _replacement(scope: Scope, event: Event, text: str) -> workout.WorkoutCheck:
    if not text.strip():
        raise ProposalInvalid("replace needs description: the new workout text.")
    sport = workout.sport_family(event.type or "") or "Ride"
    check = workout.check(text, sport, scope_thresholds(scope, sport))
    _require_valid(check)
    return check


def _require_valid(check: workout.WorkoutCheck) -> None:
    if not check.ok:
        raise ProposalInvalid("the workout text has problems", "fix them and call {tool} again",
                              [f"line {i.line}: {i.message}" for i in check.errors[:MAX_PROBLEMS]])
