"""Multi-week plans from the store: the inputs the planner needs (recent weeks, fitness at the
start, what is already booked, the sports), the plan proposed as pending proposals grouped by
week, and each week's targets against what is planned now. Sends nothing (only
`coach.proposals.publish` writes, after the athlete confirms)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from coach import analysis, workout
from coach.analysis import Availability, BlockRequest, Booked, WeekLoad, WeekPlan
from coach.proposals.create import fuel_of, workout_row
from coach.records import thresholds_for
from coach.scope import Scope, athlete_notes, planned_loads, require_athlete, totals
from coach.store import PlanRecord, Proposal, ProposalKind
from coach.store import ProposalStatus as S

MAX_WEEKS = 8
RECENT = 6              # weeks done shown beside the plan
MIN_SHARE = 0.1         # a sport with less of the recent hours gets no sessions
RACES = ("RACE_A", "RACE_B")
BOOKED = (S.PENDING, S.FAILED, S.PUBLISHING)  # open proposals not yet on the calendar


def plan_start(today: date) -> date:
    """Plans start on the Monday after today: whole weeks, each with its targets."""
    return today + timedelta(days=7 - today.weekday())


def next_race(scope: Scope, start: date, end: date,
              categories: tuple[str, ...] = RACES) -> date | None:
    """The first A or B race (or those of `categories`) on the calendar between `start` and
    `end`."""
    return next((date.fromisoformat(e.day) for e in scope.store.events(scope.athlete_id, start, end)
                 if e.category in categories), None)


def booked_days(scope: Scope, start: date, end: date, per_hour: float = 50.0) -> dict[date, Booked]:
    """Planned workouts per day: on the calendar, or proposed and not rejected. A workout with
    no load is counted at `per_hour` load an hour."""
    found: dict[date, Booked] = {}

    def add(day: str, seconds: float | None, load: float | None) -> None:
        when, minutes = date.fromisoformat(day[:10]), (seconds or 0) / 60
        was = found.get(when, Booked())
        found[when] = Booked(was.minutes + minutes, was.load + (
            load if load is not None else minutes / 60 * per_hour), was.count + 1)

    for e in scope.store.events(scope.athlete_id, start, end):
        if e.category == "WORKOUT":
            add(e.day, e.moving_time, e.icu_training_load)
    for p in scope.store.proposals(athlete_id=scope.athlete_id, statuses=BOOKED):
        if p.kind == ProposalKind.WORKOUT and start.isoformat() <= p.day <= end.isoformat():
            add(p.day, p.duration_s, p.load)
    return found


def recent_weeks(scope: Scope, start: date) -> tuple[list[WeekLoad], dict[str, float]]:
    """The 6 complete weeks before the week in progress when a plan starting `start` is made,
    oldest first, and each sport's share of their hours."""
    first = start - timedelta(weeks=RECENT + 1)
    facts = totals(scope, first, start - timedelta(days=8))
    weeks = analysis.weekly_summaries(facts, first, RECENT)
    hours: dict[str, float] = {}
    for w in weeks:
        for sport, (h, *_) in w.by_sport.items():
            hours[sport] = hours.get(sport, 0.0) + h
    total = sum(hours.values())
    shares = {s: h / total for s, h in hours.items() if total and h / total >= MIN_SHARE}
    return [WeekLoad(w.monday, w.hours, w.load) for w in weeks], shares


def with_notes(scope: Scope, availability: Availability) -> Availability:
    """The athlete's availability with the weekdays their notes keep free of training."""
    off = analysis.note_days_off(athlete_notes(scope))
    return replace(availability, days_off=tuple(sorted({*availability.days_off, *off})))


def plannable_sports(scope: Scope, shares: dict[str, float],
                     day: date | None = None) -> dict[str, float]:
    """The sports the plan may use: the usual ones whose threshold the workouts need (FTP for
    rides, threshold pace for runs and swims) and that no note of the athlete's rules out (from
    `day`), their shares made to add up to 1."""
    athlete = require_athlete(scope)
    avoided = analysis.avoided_sports(athlete_notes(scope), day)
    shares = {s: share for s, share in shares.items() if s not in avoided}

    def ready(sport: str) -> bool:
        th = thresholds_for(athlete, sport)
        return bool(th.ftp if sport == "Ride" else th.threshold_pace)

    usable = {s: share for s, share in shares.items() if s in workout.SPORTS and ready(s)}
    if not usable:
        usable = {s: 1.0 for s in workout.SPORTS if ready(s) and s not in avoided}
        usable = dict(list(usable.items())[:1])
    if not usable and avoided:
        raise ValueError(f"the athlete's notes rule out {', '.join(sorted(avoided))}: no sport "
                         "with a threshold is left to plan. Ask them what they can do.")
    if not usable:
        raise ValueError("the athlete has no FTP or threshold pace in Intervals.icu; the "
                         "workouts need one. Ask them to set it, then try again.")
    total = sum(usable.values())
    return {s: share / total for s, share in usable.items()}


def start_fitness(scope: Scope, start: date, daily_load: float = 0.0) -> analysis.DayFitness:
    """CTL and ATL on the day before `start`: the last known day, carried forward with what
    is planned and proposed until then; without any, the recent daily load stands for both."""
    oldest = scope.today - timedelta(days=60)
    found = [w for w in scope.store.wellness(scope.athlete_id, oldest, scope.today)
             if w.ctl is not None and w.atl is not None]
    before = start - timedelta(days=1)
    if not found:
        return analysis.DayFitness(before, daily_load, daily_load)
    last = analysis.DayFitness(date.fromisoformat(found[-1].id), found[-1].ctl or 0.0,
                               found[-1].atl or 0.0)
    days = (before - last.day).days
    if days <= 0:
        return last
    return analysis.forecast(last, planned_loads(scope, last.day, days), days)[-1]


@dataclass(frozen=True)
class NewPlan:
    plan_id: int
    weeks: list[WeekPlan]
    request: BlockRequest
    proposal_ids: list[int]
    replaced: int = 0           # pending workouts of earlier plans withdrawn


def withdraw_older(scope: Scope, start: date, end: date) -> int:
    """A new plan replaces what earlier plans still propose in its weeks: their pending
    workouts there are rejected (they were never sent), so only one plan can be confirmed."""
    older = [p.id for p in scope.store.proposals(athlete_id=scope.athlete_id, statuses=[S.PENDING])
             if p.plan_id is not None and start.isoformat() <= p.day <= end.isoformat()]
    return scope.store.withdraw(older, "replaced by a newer plan") if older else 0


def make_plan(scope: Scope, *, weeks: int, race: date | None, availability: Availability,
              conversation_id: int | None, turn: str | None) -> NewPlan:
    """Compute the weeks and store them with their workouts as pending proposals."""
    start = plan_start(scope.today)
    if race is not None and race < start:
        raise ValueError(f"the race on {race} is before the plan's first Monday {start}; plan "
                         "that week with propose_workout.")
    end = start + timedelta(weeks=weeks, days=-1)
    race = race if race is not None and race <= end else next_race(scope, start, end)
    recent, shares = recent_weeks(scope, start)
    hours, load = analysis.base_week(recent, 0.0)
    availability = with_notes(scope, availability)
    with scope.store.atomic():
        replaced = withdraw_older(scope, start, end)
        request = BlockRequest(start, weeks, start_fitness(scope, start, load / 7), recent,
                               availability, plannable_sports(scope, shares, start),
                               booked_days(scope, start, end, load / hours), race)
        planned = analysis.plan_block(request)
        plan_id, ids = _store(scope, planned, request, conversation_id, turn)
    return NewPlan(plan_id, planned, request, ids, replaced)


def _store(scope: Scope, planned: list[WeekPlan], request: BlockRequest,
           conversation_id: int | None, turn: str | None) -> tuple[int, list[int]]:
    with scope.store.atomic():
        plan_id = scope.store.create_plan(
            athlete_id=scope.athlete_id, conversation_id=conversation_id, turn=turn,
            start=request.start.isoformat(),
            race=request.race.isoformat() if request.race else None,
            weeks=[_targets(w) for w in planned])
        # The planner's minutes and load are the workout checker's own numbers (tests hold
        # every template to it); the card and Confirm check each text again, as always.
        rows = [{**workout_row(athlete_id=scope.athlete_id, conversation_id=conversation_id,
                               turn=turn, day=s.day, sport=s.sport, name=s.name,
                               description=s.text, duration_s=s.minutes * 60, load=s.load,
                               carbs_per_hour=session_fuel(scope, s)),
                 "plan_week": week.monday.isoformat()}
                for week in planned for s in week.sessions]
        ids = scope.store.add_plan_workouts(plan_id, rows) if rows else []
    return plan_id, ids


def session_fuel(scope: Scope, s: analysis.PlannedSession) -> int | None:
    """A laid-out session's carbohydrate target; under an hour none, so none is checked."""
    if s.minutes < 60:
        return None
    th = thresholds_for(require_athlete(scope), s.sport)
    return fuel_of(s.sport, workout.check(s.text, s.sport, th))


def _targets(w: WeekPlan) -> dict[str, object]:
    return {"monday": w.monday.isoformat(), "kind": w.kind, "hours": w.hours, "load": w.load,
            "ramp": w.ramp, "ctl": round(w.end.ctl, 1), "notes": list(w.notes)}


# --- the plan as it stands now ----------------------------------------------------------------

@dataclass(frozen=True)
class WeekStatus:
    """One plan week now: its targets, what is planned in it (calendar and open proposals),
    whether that adds up (±10 %), and the plan's proposals of that week."""

    monday: date
    kind: str
    target_hours: float
    target_load: float
    planned_hours: float
    planned_load: float
    proposed_hours: float                 # of the planned hours, not on the calendar yet
    ramp: float
    notes: tuple[str, ...]
    proposals: tuple[Proposal, ...]

    @property
    def adds_up(self) -> bool:
        return analysis.within(self.planned_hours, self.target_hours) and \
            analysis.within(self.planned_load, self.target_load)


def plan_status(scope: Scope, plan: PlanRecord) -> list[WeekStatus]:
    """Each week of the plan as it stands now (workouts confirmed, rejected, moved…)."""
    proposals = scope.store.plan_proposals(plan.id)
    pending = scope.store.proposals(athlete_id=scope.athlete_id, statuses=BOOKED)
    out = []
    for week in plan.weeks:
        monday = date.fromisoformat(week["monday"])
        sunday = (monday + timedelta(days=6)).isoformat()
        booked = booked_days(scope, monday, monday + timedelta(days=6)).values()
        proposed = sum(p.duration_s for p in pending if p.kind == ProposalKind.WORKOUT and
                       week["monday"] <= p.day <= sunday) / 3600
        out.append(WeekStatus(
            monday, week["kind"], week["hours"], week["load"],
            round(sum(b.minutes for b in booked) / 60, 2), round(sum(b.load for b in booked), 1),
            round(proposed, 2), week["ramp"], tuple(week["notes"]),
            tuple(p for p in proposals if p.plan_week == week["monday"])))
    return out


def done_weeks(scope: Scope, plan: PlanRecord) -> list[WeekLoad]:
    """The 6 complete weeks before the plan was made (its targets were based on them), and
    the week it was made in, up to today."""
    start = date.fromisoformat(plan.start)
    current = start - timedelta(days=7)
    facts = totals(scope, current, min(scope.today, start - timedelta(days=1)))
    [week] = analysis.weekly_summaries(facts, current, 1)
    return [*recent_weeks(scope, start)[0], WeekLoad(current, week.hours, week.load)]
