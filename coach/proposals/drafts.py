"""The planner's drafts for one day, a few days or one week, from what the athlete asked (days,
hours, sport, effort, days off) and what the store knows (their usual sports, availability, what
is booked, recent weeks, today's check-in). Drafts are workouts, not proposals: the caller
proposes each one through `coach.proposals.create`, so every check applies to them as to the
model's own. Reads only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from coach import analysis, workout
from coach.analysis import EASE_OFF, REST, Availability, BlockRequest, Concern, PlannedSession
from coach.analysis import layout as days
from coach.analysis.blocks import plan_week
from coach.proposals.fit import draft_findings
from coach.proposals.plans import (
    plan_start,
    plannable_sports,
    recent_weeks,
    start_fitness,
)
from coach.records import Event
from coach.scope import Scope

EASY, HARD = "easy", "hard"
# A session's length when the athlete names none, in minutes: (easy or unsaid, hard).
TYPICAL = {"Ride": (60, 75), "Run": (45, 60), "Swim": (45, 50)}
SHORTER = 0.75      # "make it easier" without a length: three quarters of the planned time
EASY_SHARE = 0.0    # endurance intensity of an easy session (0 = the sport's easiest)
STEADY_SHARE = 0.4  # …of a session the athlete said nothing about


def usual_sports(scope: Scope, wanted: Sequence[str] = ()) -> dict[str, float]:
    """The sports a draft may use and their shares: those asked for, else the athlete's usual
    ones that have a threshold to aim at."""
    shares = plannable_sports(scope, recent_weeks(scope, plan_start(scope.today))[1])
    if wanted:
        return {s: 1 / len(wanted) for s in wanted}
    return shares


def effort_today(scope: Scope, effort: str | None) -> str | None:
    """The effort asked for; without one, easy when today's check-in said to ease off or rest."""
    if effort is not None:
        return effort
    checkins = scope.store.checkins(scope.athlete_id, scope.today.isoformat())
    eased = bool(checkins) and checkins[-1].verdict in (EASE_OFF, REST)
    return EASY if eased else None


def session(day: date, sport: str, minutes: int | None, effort: str | None,
            availability: Availability) -> PlannedSession:
    """One workout: the length asked for, else a typical one that fits the day; a hard set
    when asked for hard, the easiest endurance when asked for easy."""
    if minutes is None:
        typical = TYPICAL.get(sport, (60, 75))[effort == HARD]
        room = round(availability.hours[day.weekday()] * 60) or typical
        minutes = min(typical, room)
    cap = min(days.SPORT_CAP.get(sport, 600), availability.max_session_min)
    minutes = max(days.MIN_SESSION // 2, min(cap, days.STEP * round(minutes / days.STEP)))
    share = EASY_SHARE if effort == EASY else STEADY_SHARE
    return days.build(day, minutes, sport, 0 if effort == HARD else None,
                      days.endurance_pct(sport, share))


def day_drafts(scope: Scope, on: Sequence[date], *, sports: Sequence[str] = (),
               hours: float | None = None, effort: str | None = None) -> list[PlannedSession]:
    """One workout on each day named; `hours` is their total."""
    availability = scope.availability or Availability()
    shares = usual_sports(scope, sports)
    sport = max(shares, key=lambda s: shares[s])
    minutes = round(hours * 60 / len(on)) if hours else None
    effort = effort_today(scope, effort)
    return [session(day, sports[i % len(sports)] if sports else sport, minutes, effort,
                    availability) for i, day in enumerate(on)]


def week_drafts(scope: Scope, start: date, end: date, *, sports: Sequence[str] = (),
                hours: float | None = None) -> list[PlannedSession]:
    """The workouts of the days from `start` to `end` (at most a week), laid out as a plan
    week is: `hours` in all (else the athlete's usual week, for the days asked), on the days
    the availability allows, two hard sessions at most, the load kept under the ramp limit.
    The week is laid out whole, as asked: what is already planned on its days is left to the
    proposal checks, which say so on each card."""
    start = max(start, scope.today)
    monday = start - timedelta(days=start.weekday())
    end = min(end, monday + timedelta(days=6))
    if end < start:
        return []
    availability = _only(scope.availability or Availability(), monday, start, end)
    recent, _ = recent_weeks(scope, plan_start(scope.today))
    base_hours, base_load = analysis.base_week(recent, 0.0)
    share = sum(availability.hours) / max(sum((scope.availability or Availability()).hours), 1)
    target_hours = hours if hours else base_hours * share
    per_hour = base_load / base_hours if base_hours else 50.0
    request = BlockRequest(monday, 1, start_fitness(scope, monday, base_load / 7), recent,
                           availability, usual_sports(scope, sports), {})
    week = plan_week(request, monday, "build", (target_hours, target_hours * per_hour),
                              request.fitness)
    return list(week.sessions)


def _only(availability: Availability, monday: date, start: date, end: date) -> Availability:
    """The availability with no time on the days of the week outside `start`..`end`."""
    hours = tuple(h if start <= monday + timedelta(days=i) <= end else 0.0
                  for i, h in enumerate(availability.hours))
    return replace(availability, hours=hours)


def replacement(scope: Scope, event: Event, sport: str, *, hours: float | None = None,
                effort: str | None = None) -> PlannedSession:
    """A workout to replace a planned one on its day: the length asked for, else the planned
    one's (a quarter shorter when easier)."""
    day = date.fromisoformat(event.day or scope.today.isoformat())
    planned = round((event.moving_time or 0) / 60) or None
    minutes = round(hours * 60) if hours else \
        round(planned * SHORTER) if planned and effort == EASY else planned
    return session(day, sport, minutes, effort, scope.availability or Availability())


# --- fitting a day's draft into the week ---------------------------------------------------------

SEARCH_DAYS = 6  # a draft on a day off moves to the next free day within this many


@dataclass(frozen=True)
class Fitted:
    """A day's draft made to fit the week: the workout, and the planned workout it replaces
    when the day already had one of its sport (one update, not a second session)."""

    session: PlannedSession
    replaces: Event | None = None


def fit_draft(scope: Scope, draft: PlannedSession, effort: str | None) -> Fitted:
    """The check's concerns answered before the athlete sees the draft: an easier session
    after an ease-off check-in or in a race week (openers there), the next free day instead
    of a day off, and a planned workout of the same sport on the day replaced by the draft."""
    concerns = _concerns(scope, draft)
    if Concern.RACE_WEEK in concerns:
        draft = days.build(draft.day, min(draft.minutes, 45), draft.sport, 0,
                           days.endurance_pct(draft.sport, EASY_SHARE), taper=True)
    elif Concern.READINESS in concerns and effort != HARD:
        draft = session(draft.day, draft.sport, draft.minutes, EASY,
                        scope.availability or Availability())
    if Concern.DAY_OFF in concerns:
        draft = _next_free(scope, draft) or draft
    elif Concern.SAME_DAY in concerns:
        planned = [e for e in scope.store.events(scope.athlete_id, draft.day, draft.day)
                   if e.category == "WORKOUT"]
        same = [e for e in planned if workout.sport_family(e.type or "") == draft.sport]
        if len(planned) == 1 and same:
            return Fitted(draft, same[0])
    return Fitted(draft)


def _concerns(scope: Scope, draft: PlannedSession) -> set[str]:
    return {f.concern for f in draft_findings(scope, draft.day, draft.sport, draft.name,
                                               draft.text, draft.minutes, draft.load)}


def _next_free(scope: Scope, draft: PlannedSession) -> PlannedSession | None:
    """The same workout on the first following day the check finds free."""
    for n in range(1, SEARCH_DAYS + 1):
        moved = replace(draft, day=draft.day + timedelta(days=n))
        if not _concerns(scope, moved) & {Concern.DAY_OFF, Concern.SAME_DAY}:
            return moved
    return None
