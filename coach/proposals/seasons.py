"""A season to the A race from the store: the pure season (`analysis.season`) made from the
athlete's recent weeks, fitness, availability and notes; stored as a plan record whose later
weeks are targets only; the next 2 weeks laid out as pending proposals through the same path as
any plan (so every workout passes the week check); re-targeted from what was done when the
athlete opens the season or syncs; paused for illness or injury with a return week.

Sends nothing: only `coach.proposals.publish` writes, after the athlete confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from coach import analysis
from coach.analysis import (
    Availability,
    DayFitness,
    NoteKind,
    Season,
    SeasonPhase,
    SeasonRequest,
    SeasonWeek,
    WeekLoad,
)
from coach.proposals import plans
from coach.proposals.create import workout_row
from coach.scope import Scope, athlete_notes, planned_loads, totals
from coach.store import PlanRecord, Proposal, now_iso
from coach.store import ProposalStatus as S

MAX_WEEKS = analysis.MAX_SEASON_WEEKS
AHEAD_DAYS = 14              # weeks starting within this many days are laid out as workouts
OFFER_DAYS = 3               # a check-in this recent saying ill or injured offers a pause
ILL = 3                      # Intervals.icu's injury scale: 3 Poor, 4 Injured
LIVE = (S.PENDING, S.FAILED, S.PUBLISHING, S.PUBLISHED)


@dataclass(frozen=True)
class NewSeason:
    plan_id: int
    season: Season
    request: SeasonRequest
    proposal_ids: list[int]
    replaced: int = 0


@dataclass(frozen=True)
class PauseOffer:
    """Why the season could pause now, and the day training would resume by default."""

    reason: str
    back: date


@dataclass(frozen=True)
class SeasonNow:
    """The current season as it stands: its record, the season re-targeted today, the
    workouts newly laid out, and an offer to pause if a check-in or note calls for one."""

    record: PlanRecord
    season: Season
    laid_out: list[int]
    offer: PauseOffer | None


# --- making one -------------------------------------------------------------------------------

def weeks_to(race: date, today: date) -> int:
    """Weeks from the plan's first Monday to the race week, both included."""
    return (race - plans.plan_start(today)).days // 7 + 1


def make_season(scope: Scope, *, race: date, availability: Availability,
                conversation_id: int | None, turn: str | None) -> NewSeason:
    """Compute the season to `race`, store it, and lay out its first 2 weeks as proposals."""
    start = plans.plan_start(scope.today)
    if not 1 <= weeks_to(race, scope.today) <= MAX_WEEKS:
        raise ValueError(f"the race on {race} is {weeks_to(race, scope.today)} weeks from the "
                         f"season's first Monday {start}; a season covers 1 to {MAX_WEEKS} "
                         "weeks.")
    recent, shares = plans.recent_weeks(scope, start)
    hours, load = analysis.base_week(recent, 0.0)
    with scope.store.atomic():
        replaced = plans.withdraw_older(scope, start, race)
        req = _request(scope, start, race, availability, start,
                       plans.start_fitness(scope, start, load / 7), recent, shares,
                       load / hours)
        season = analysis.plan_season(req)
        laid = [w for w in season.weeks if w.plan]
        plan_id = scope.store.create_plan(
            athlete_id=scope.athlete_id, conversation_id=conversation_id, turn=turn,
            start=start.isoformat(), race=race.isoformat(), weeks=weeks_json(season),
            season=_state(req.fitness, start, _race_name(scope, race), laid))
        ids = _lay_out(scope, plan_id, laid, conversation_id, turn)
    return NewSeason(plan_id, season, req, ids, replaced)


def _request(scope: Scope, start: date, race: date, availability: Availability, first: date,
             fitness: DayFitness, recent: list[WeekLoad], shares: dict[str, float],
             per_hour: float = 50.0) -> SeasonRequest:
    """What the pure season needs, read from the store: the availability with the notes' days
    off, the sports no note rules out, and what is booked from `first` to the race."""
    return SeasonRequest(start, race, fitness, recent, plans.with_notes(scope, availability),
                         plans.plannable_sports(scope, shares, first),
                         plans.booked_days(scope, first, race, per_hour))


def _state(fitness: DayFitness, as_of: date, race_name: str,
           laid: list[SeasonWeek]) -> dict[str, Any]:
    """What re-targeting and pausing need besides the weeks: the fitness the season started
    from, the week it was last re-targeted from, the race's name, the weeks laid out so far
    (a week the athlete rejected is not laid out again), and the last pause."""
    return {"fitness": {"ctl": round(fitness.ctl, 2), "atl": round(fitness.atl, 2)},
            "as_of": as_of.isoformat(), "race_name": race_name, "paused": None,
            "laid": [w.monday.isoformat() for w in laid]}


def race_day_fuel(scope: Scope, race: date) -> str | None:
    """The race-day fuelling line for the A or B race on `race` (None when the race on the
    calendar has no duration to read a range from)."""
    for e in scope.store.events(scope.athlete_id, race, race):
        if (e.category or "").startswith("RACE") and e.moving_time:
            return analysis.race_fuel(e.moving_time / 60, e.name or "your race")
    return None


def _race_name(scope: Scope, race: date) -> str:
    return next((e.name or "your race" for e in scope.store.events(scope.athlete_id, race, race)
                 if (e.category or "").startswith("RACE")), "your race")


def weeks_json(season: Season) -> list[dict[str, Any]]:
    """Each week as the plan record keeps it (a block plan's fields, and the season's)."""
    out = []
    for w in season.weeks:
        week: dict[str, Any] = {
            "monday": w.monday.isoformat(), "kind": w.kind, "hours": round(w.hours, 2),
            "load": round(w.load, 1), "ramp": round(w.ramp, 2), "ctl": round(w.end.ctl, 1),
            "atl": round(w.end.atl, 1), "notes": list(w.notes), "phase": w.phase.value,
            "recovery": w.recovery}
        if w.done is not None:
            week |= {"done_hours": round(w.done.hours, 2), "done_load": round(w.done.load, 1)}
        out.append(week)
    return out


def season_of(record: PlanRecord) -> Season:
    """The stored season (its weeks; the forecast is made again when it is re-targeted)."""
    weeks = tuple(SeasonWeek(
        date.fromisoformat(w["monday"]), SeasonPhase(w["phase"]), bool(w["recovery"]),
        w["kind"], w["hours"], w["load"],
        DayFitness(date.fromisoformat(w["monday"]) + timedelta(days=6), w["ctl"], w["atl"]),
        w["ramp"], done=WeekLoad(date.fromisoformat(w["monday"]), w["done_hours"],
                                 w["done_load"]) if "done_hours" in w else None,
        notes=tuple(w["notes"])) for w in record.weeks)
    race = date.fromisoformat(record.race or weeks[-1].monday.isoformat())
    return Season(race, weeks, (), weeks[-1].end)


def current_record(scope: Scope) -> PlanRecord | None:
    """The newest season whose race is today or ahead."""
    return next((r for r in scope.store.seasons(scope.athlete_id)
                 if r.race and r.race >= scope.today.isoformat()), None)


# --- re-targeting from what was done ----------------------------------------------------------

def refresh(scope: Scope, availability: Availability) -> SeasonNow | None:
    """The current season re-targeted from the weeks done (a missed week lowers the next ones,
    it is not stacked on them), the weeks starting within 2 weeks laid out as workouts if they
    are not yet (or again, when their target changed and none of their workouts was
    confirmed), and stored; None without a season."""
    record = current_record(scope)
    if record is None:
        return None
    race = date.fromisoformat(record.race or "")
    first = max(date.fromisoformat(record.start), analysis.monday(scope.today))
    with scope.store.atomic():
        season = _retargeted(scope, record, availability, first)
        again = _stale_weeks(scope, record, season)
        if again:
            scope.store.withdraw([i for ids in again.values() for i in ids],
                                 "re-targeted from what was done")
            season = _retargeted(scope, record, availability, first)
        laid = set(_laid(record)) - set(again)
        due = [w for w in season.weeks if w.plan is not None and w.monday.isoformat() not in
               laid and scope.today < w.monday <= scope.today + timedelta(days=AHEAD_DAYS)]
        weeks, state = weeks_json(season), {
            **(record.season or {}), "as_of": first.isoformat(),
            "laid": sorted(laid | {w.monday.isoformat() for w in due})}
        if (_figures(weeks), state) != (_figures(record.weeks), record.season):
            scope.store.update_season(record.id, weeks, state)  # a page redraw writes nothing
        ids = _lay_out(scope, record.id, due, record.conversation_id, record.turn)
    record = scope.store.plan(record.id) or record
    return SeasonNow(record, season, ids, pause_offer(scope, record, race))


def _retargeted(scope: Scope, record: PlanRecord, availability: Availability,
                first: date) -> Season:
    start, race = date.fromisoformat(record.start), date.fromisoformat(record.race or "")
    recent, shares = plans.recent_weeks(scope, first)
    req = _request(scope, start, race, availability, first, _start_of(record, start), recent,
                   shares)
    return analysis.retarget_season(req, season_of(record), done_weeks(scope, start, first),
                                    fitness_on(scope, first - timedelta(days=1)))


def _start_of(record: PlanRecord, start: date) -> DayFitness:
    fitness = (record.season or {}).get("fitness") or {}
    return DayFitness(start - timedelta(days=1), fitness.get("ctl", 0.0), fitness.get("atl", 0.0))


def done_weeks(scope: Scope, start: date, first: date) -> list[WeekLoad]:
    """Hours and load done each week of the season from `start` up to `first` (excluded)."""
    weeks = (first - start).days // 7
    if weeks <= 0:
        return []
    facts = totals(scope, start, first - timedelta(days=1))
    return [WeekLoad(w.monday, w.hours, w.load)
            for w in analysis.weekly_summaries(facts, start, weeks)]


def fitness_on(scope: Scope, day: date) -> DayFitness:
    """CTL and ATL at the end of `day`: the last known day up to it, carried forward with what
    is planned and proposed until then."""
    found = [w for w in scope.store.wellness(scope.athlete_id, day - timedelta(days=60), day)
             if w.ctl is not None and w.atl is not None]
    if not found:
        return DayFitness(day, 0.0, 0.0)
    last = DayFitness(date.fromisoformat(found[-1].id), found[-1].ctl or 0.0,
                      found[-1].atl or 0.0)
    days = (day - last.day).days
    if days <= 0:
        return last
    return analysis.forecast(last, planned_loads(scope, last.day, days), days)[-1]


def _season_proposals(scope: Scope, plan_id: int) -> dict[str, list[Proposal]]:
    """The season's live proposals (not rejected, superseded or undone) by week."""
    by_week: dict[str, list[Proposal]] = {}
    for p in scope.store.plan_proposals(plan_id):
        if p.status in LIVE and p.plan_week:
            by_week.setdefault(p.plan_week, []).append(p)
    return by_week


def _figures(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The weeks without their notes (which say how a target was held, not what it is)."""
    return [{k: v for k, v in w.items() if k != "notes"} for w in weeks]


def _laid(record: PlanRecord) -> list[str]:
    return list((record.season or {}).get("laid") or [])


def _stale_weeks(scope: Scope, record: PlanRecord, season: Season) -> dict[str, list[int]]:
    """Weeks ahead whose target moved by more than 10 % and of which the athlete confirmed no
    workout, with their pending workouts: they are laid out again."""
    old = {w["monday"]: (w["hours"], w["load"]) for w in record.weeks}
    live = _season_proposals(scope, record.id)
    stale: dict[str, list[int]] = {}
    for w in season.weeks:
        key = w.monday.isoformat()
        proposals = live.get(key, [])
        if w.monday <= scope.today or not proposals or key not in old or \
                any(p.status != S.PENDING for p in proposals):
            continue
        hours, load = old[key]
        if not (analysis.within(w.hours, hours) and analysis.within(w.load, load)):
            stale[key] = [p.id for p in proposals]
    return stale


def _lay_out(scope: Scope, plan_id: int, weeks: list[SeasonWeek], conversation_id: int | None,
             turn: str | None, first_day: date | None = None) -> list[int]:
    """The weeks' sessions (from `first_day` on) as pending proposals of the season's plan."""
    rows = [{**workout_row(athlete_id=scope.athlete_id, conversation_id=conversation_id,
                           turn=turn, day=s.day, sport=s.sport, name=s.name,
                           description=s.text, duration_s=s.minutes * 60, load=s.load,
                           carbs_per_hour=plans.session_fuel(scope, s)),
             "plan_week": w.monday.isoformat()}
            for w in weeks if w.plan is not None for s in w.plan.sessions
            if first_day is None or s.day >= first_day]
    return scope.store.add_plan_workouts(plan_id, rows) if rows else []


# --- a pause for illness or injury ------------------------------------------------------------

def pause_offer(scope: Scope, record: PlanRecord, race: date) -> PauseOffer | None:
    """A check-in of the last 3 days that said ill or injured, or an injury note kept since the
    season was made, offers a pause with a return week (the athlete decides); one a pause
    already answered offers nothing more."""
    handled = (record.season or {}).get("handled") or {}
    back = min(scope.today + timedelta(days=1), race)
    for c in reversed(scope.store.checkins(scope.athlete_id)):
        recent = (scope.today - date.fromisoformat(c.day)).days <= OFFER_DAYS
        if recent and c.id > handled.get("checkin", 0) and (c.feelings.get("injury") or 0) >= ILL:
            words = "injured" if c.feelings.get("injury") == 4 else "ill or hurting"
            return PauseOffer(f"Your check-in on {c.day} said you are {words}.", back)
    for n in athlete_notes(scope):
        if n.kind == NoteKind.INJURY and n.id not in handled.get("notes", []) and \
                n.changed.isoformat() >= record.created_at:
            return PauseOffer(f"Your injury note: “{' '.join(n.text.split())[:80]}”.", back)
    return None


def _handled(scope: Scope) -> dict[str, Any]:
    """What a pause answers: the check-ins and injury notes there are now."""
    checkins = scope.store.checkins(scope.athlete_id)
    return {"checkin": max((c.id for c in checkins), default=0),
            "notes": [n.id for n in athlete_notes(scope) if n.kind == NoteKind.INJURY]}


def pause(scope: Scope, availability: Availability, back: date, reason: str) -> SeasonNow:
    """Pause the current season: its pending workouts from `back` on are withdrawn (planned
    before the illness), an easy return week from `back`, then the weeks left re-phased to the
    same race; the return week (and the next, if due) laid out as proposals."""
    record = current_record(scope)
    if record is None:
        raise ValueError("there is no season to pause: plan one to your A race first.")
    start, race = date.fromisoformat(record.start), date.fromisoformat(record.race or "")
    if not scope.today <= back <= race:
        raise ValueError(f"training resumes from today ({scope.today}) to race day ({race}), "
                         f"not on {back}.")
    monday = analysis.monday(back)
    fitness = fitness_on(scope, min(scope.today, back) - timedelta(days=1))
    with scope.store.atomic():
        pending = [p.id for p in scope.store.plan_proposals(record.id)
                   if p.status == S.PENDING and p.day >= back.isoformat()]
        if pending:
            scope.store.withdraw(pending, "the season is paused: a return week instead")
        recent, shares = plans.recent_weeks(scope, max(monday, start))
        req = _request(scope, start, race, availability, back, _start_of(record, start),
                       recent, shares)
        season = analysis.pause_season(req, season_of(record),
                                       done_weeks(scope, start, max(monday, start)), fitness,
                                       back)
        last = scope.today + timedelta(days=AHEAD_DAYS)
        due = [w for w in season.weeks if w.plan is not None and w.monday <= last]
        scope.store.update_season(record.id, weeks_json(season), {
            **(record.season or {}), "as_of": monday.isoformat(),
            "laid": sorted({*_laid(record), *(w.monday.isoformat() for w in due)}),
            "paused": {"back": back.isoformat(), "reason": reason, "at": now_iso()},
            "handled": _handled(scope)})
        ids = _lay_out(scope, record.id, due, record.conversation_id, record.turn, back)
    record = scope.store.plan(record.id) or record
    return SeasonNow(record, season, ids, None)
