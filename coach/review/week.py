"""The weekly review: the week's facts read from the store (its section is written by
`coach.review.text`), and the coach's commentary found in the review's conversation. The review
is stored with that conversation by `coach.app.reviews`, so the commentary is grounded like
every answer (the section is in the athlete's message, hence seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from coach import analysis, workout
from coach.errors import CoachError
from coach.grounding import Grounding
from coach.messages import Message, Role
from coach.records import Wellness
from coach.scope import Scope, as_facts
from coach.store import Store

REQUEST = "Comment briefly on this week and give one suggestion for next week."
SPORTS = ("Ride", "Run", "Swim")
WEEKS_TO_PICK = 12


class ReviewError(CoachError):
    """A week that cannot be reviewed (not a week, or still ahead)."""


@dataclass(frozen=True)
class Commentary:
    """The coach's answer to the review: its text, the grounding line and its messages."""

    text: str
    grounding: str  # "All 3 figures found in your data", "" when it names no figure
    ok: bool        # every figure found
    fallback: bool  # the model managed no answer: `text` is the honest sentence
    messages: list[Message]


# --- the week from the store ------------------------------------------------------------------


def read_week(store: Store, athlete_id: str, monday: date,
              today: date) -> analysis.WeekReview:
    """The ISO week starting `monday` from the synced history (days after `today`: to come)."""
    sunday = monday + timedelta(days=6)
    activities = [f for a in store.activities(athlete_id, monday, sunday)
                  if (f := as_facts(a))]
    planned = [analysis.PlannedFacts(date.fromisoformat(e.day), e.id,
                                     workout.sport_family(e.type or ""), e.name or "",
                                     e.moving_time, e.icu_training_load)
               for e in store.events(athlete_id, monday, sunday) if e.category == "WORKOUT"]
    days = store.wellness(athlete_id, monday - timedelta(days=60), sunday)
    fitness = [analysis.DayFitness(date.fromisoformat(w.id), w.ctl, w.atl)
               for w in days if w.ctl is not None and w.atl is not None]
    wellness = {"hrv": [(date.fromisoformat(w.id), w.hrv) for w in days],
                "resting_hr": [(date.fromisoformat(w.id), w.restingHR) for w in days],
                "sleep_hours": [(date.fromisoformat(w.id), w.sleepSecs / 3600 if w.sleepSecs
                                 else None) for w in days]}
    week_days = [w for w in days if w.id >= monday.isoformat()]
    return analysis.week_review(monday, today, activities, planned, fitness, wellness,
                                _curves(store, athlete_id), _day_loads(week_days),
                                _history(store, athlete_id, monday, today,
                                         bool(activities or days)))


def _day_loads(days: list[Wellness]) -> dict[date, float]:
    """Each day's load as Intervals.icu counts it in fitness (the wellness record's ctlLoad,
    which includes the Strava imports whose details the API hides)."""
    loads = {}
    for w in days:
        value = (w.model_extra or {}).get("ctlLoad")
        if isinstance(value, int | float):
            loads[date.fromisoformat(w.id)] = float(value)
    return loads


def _history(store: Store, athlete_id: str, monday: date, today: date,
             week_has_data: bool) -> analysis.HistorySpan:
    """Whether the synced history reaches back to the week; its first day when it does not.
    Only a week without an activity or a wellness day (nor one in the 60 days before it)
    needs the look back."""
    if week_has_data or store.activity_totals(athlete_id, date.min, monday):
        return analysis.HistorySpan()
    later = [date.fromisoformat(row["day"]) for row in
             store.activity_totals(athlete_id, monday, today) if row["day"]]
    if not later:  # no activity at all: the first wellness day, if any
        later = [date.fromisoformat(w.id) for w in store.wellness(athlete_id, monday, today)]
    return analysis.HistorySpan(False, min(later, default=None))


def _curves(store: Store, athlete_id: str) -> list[analysis.CurveFacts]:
    out = []
    for sport in SPORTS:
        for period, curve in store.curves(athlete_id, sport).items():
            ids = list((curve.model_extra or {}).get("activity_id") or [])
            xs = curve.secs if sport == "Ride" else (curve.distance or [])
            values = curve.values if sport == "Ride" else (curve.secs or curve.values)
            points = tuple((float(x), float(v), str(ids[i]) if i < len(ids) and ids[i]
                            else None) for i, (x, v) in enumerate(zip(xs, values, strict=False)))
            out.append(analysis.CurveFacts(sport, period, "power" if sport == "Ride" else
                                           "pace", points))
    return out


def week_choices(today: date, weeks: int = WEEKS_TO_PICK) -> list[str]:
    """This week (so far) and the weeks before it, newest first."""
    return [analysis.iso_week(today - timedelta(weeks=i)) for i in range(weeks + 1)]


def parse_week(week: str, today: date) -> date:
    """The Monday of `week`; ReviewError for text that is no ISO week or a week ahead."""
    try:
        monday = analysis.week_monday(week)
    except ValueError as e:
        raise ReviewError(str(e)) from e
    if monday > today:
        raise ReviewError(f"Week {week} has not started yet: pick this week or an earlier "
                          "one.")
    return monday


# --- the review and its commentary ----------------------------------------------------------


def make_review(scope: Scope, week: str | None = None) -> tuple[str, analysis.WeekReview]:
    """The ISO week to review (default: the last full one, written "2026-W48") and its facts;
    ReviewError before the first sync, for text that is no week, or for a week ahead."""
    if not scope.athlete_id:
        raise ReviewError("Nothing synced yet: sync with Intervals.icu, then review a week.")
    monday = parse_week(week or analysis.last_full_week(scope.today), scope.today)
    return analysis.iso_week(monday), read_week(scope.store, scope.athlete_id, monday,
                                                scope.today)


def awaits_commentary(messages: list[Message]) -> bool:
    """The review's request is still unanswered (no model then, or the answer was cut short)."""
    return bool(messages) and messages[-1].role == Role.USER


def commentary_in(messages: list[Message]) -> Commentary | None:
    """The coach's answer to the review's request in its conversation, if there is one yet
    (later questions in that conversation are not the commentary)."""
    first_user = next((i for i, m in enumerate(messages) if m.role == Role.USER), None)
    if first_user is None:
        return None
    answer = messages[first_user + 1:]
    answer = answer[:next((i for i, m in enumerate(answer) if m.role == Role.USER),
                          len(answer))]
    final = [m for m in answer if m.role == Role.ASSISTANT and m.content]
    if not final:
        return None
    meta = final[-1].meta
    grounding = Grounding.from_json(meta.grounding) if meta.grounding else None
    return Commentary(final[-1].content, grounding.line() if grounding else "",
                      grounding.ok if grounding else True, meta.fallback, answer)
