"""A season to an A race, pure: up to 30 weeks in phases (base, build, peak, taper, with a lighter
week every 3rd or 4th), each week's hours and load from the athlete's fitness, recent weeks and
availability, the CTL ramp held to the block planner's limit, and the forecast to race morning.

Only the next weeks are laid out as workouts (`blocks.plan_week`); later weeks carry targets
and are laid out when they come, from what was actually done (`retarget_season`). A missed
session is not a debt: a short week lowers what follows, which climbs back a step a week,
instead of stacking the missed load onto later weeks. An illness or injury pauses the season
(`pause_season`): an easy return week, then the weeks left re-phased to the same race day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from coach.analysis.blocks import (
    BUILD_STEP,
    FACTORS,
    LOAD_PER_HOUR,
    MAX_RAMP,
    TOLERANCE,
    BlockRequest,
    WeekLoad,
    WeekPlan,
    base_week,
    plan_week,
    ramp_ceiling,
)
from coach.analysis.fitness import DayFitness, forecast, form_band
from coach.analysis.layout import (
    Availability,
    Booked,
    PlannedSession,
    allocate,
    assign_sports,
    build,
    day_slots,
    endurance_pct,
    split,
)


class SeasonPhase(StrEnum):
    BASE = "base"          # volume, mostly endurance
    BUILD = "build"        # intensity rises
    PEAK = "peak"          # race-like sessions, less volume
    TAPER = "taper"        # volume down, some intensity kept, fresh on race day
    RETURN = "return"      # back from illness or injury: short and easy


MAX_SEASON_WEEKS = 30
LONG_SEASON = 12        # weeks: from here the week before the race week is lighter too
BUILD_WEEKS = 8         # the build before the peak; a longer season puts base in front of it
LAID_OUT = 2            # weeks laid out as workouts; later ones are laid out when they come
# The busiest week is at most half again the base week: the rest of a season's growth comes
# from the fitness it builds, and the ramp limit and availability cap it before that anyway.
GROWTH_CAP = 1.5
# Hours and load of the level for an ordinary week of each phase: base trades a little
# intensity for volume, build adds it, peak keeps the intensity on less volume.
PHASE_FACTORS = {SeasonPhase.BASE: (1.0, 0.95), SeasonPhase.BUILD: (1.0, 1.05),
                 SeasonPhase.PEAK: (0.9, 1.0)}
# The week before the race week of a long season: volume down, intensity kept (a taper cuts
# volume, not intensity); the race week itself uses the block planner's taper.
TAPER_BEFORE = (0.8, 0.75)
RESUME_FLOOR = 0.6      # after a missed week, the next resumes at least at the recovery share…
RESUME_STEP = 0.1       # …plus a step, and climbs back a step a week to the season's targets
RETURN_SHARE = 0.5      # a return week: half the base week's hours…
RETURN_LONGEST = 60     # …in sessions of at most an hour


@dataclass(frozen=True)
class SeasonRequest:
    """What a season is made from; `fitness` is on the day before `start` (a Monday), `race` is
    the A race's day, and `recovery_every` 3 or 4 puts a lighter week every 3rd or 4th week."""

    start: date
    race: date
    fitness: DayFitness
    recent: Sequence[WeekLoad]
    availability: Availability
    sports: Mapping[str, float]                  # sport -> share of the hours
    booked: Mapping[date, Booked] = field(default_factory=dict)
    recovery_every: int = 4
    laid_out: int = LAID_OUT

    def __post_init__(self) -> None:
        if self.start.weekday():
            raise ValueError(f"a season starts on a Monday, not on {self.start:%A} {self.start}")
        if self.fitness.day != self.start - timedelta(days=1):
            raise ValueError(f"fitness must be on {self.start - timedelta(days=1)}, the day "
                             f"before the start, not on {self.fitness.day}")
        if not 1 <= self.weeks <= MAX_SEASON_WEEKS:
            raise ValueError(f"the race on {self.race} must be 1 to {MAX_SEASON_WEEKS} weeks from "
                             f"{self.start}, race week included")
        if self.recovery_every not in (3, 4):
            raise ValueError("recovery_every must be 3 or 4 (a lighter week every 3rd or 4th)")

    @property
    def weeks(self) -> int:
        """Weeks from the start to the race week, both included."""
        return (self.race - self.start).days // 7 + 1


@dataclass(frozen=True)
class SeasonWeek:
    """One week of a season: its phase, targets and fitness at its end if they are met; the
    laid-out workouts for the next weeks only; what was done once it is over."""

    monday: date
    phase: SeasonPhase
    recovery: bool                               # the lighter week of its cycle
    kind: str                                    # the block planner's build | recovery | taper
    hours: float
    load: float
    end: DayFitness
    ramp: float                                  # CTL change over the week
    plan: WeekPlan | None = None
    done: WeekLoad | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Season:
    """The weeks done and to come, and the fitness each day to race morning if the targets of
    the weeks to come are met."""

    race: date
    weeks: tuple[SeasonWeek, ...]
    daily: tuple[DayFitness, ...]                # from the first week to come
    race_morning: DayFitness                     # the evening before the race

    @property
    def ahead(self) -> tuple[SeasonWeek, ...]:
        """The weeks still to come."""
        return tuple(w for w in self.weeks if w.done is None)

    @property
    def race_form(self) -> str:
        """The form band on race morning."""
        return form_band(self.race_morning.form, self.race_morning.ctl)


def season_phases(weeks: int, recovery_every: int = 4) -> list[tuple[SeasonPhase, bool]]:
    """Each week's phase to the race week (the last), and whether it is a lighter week."""
    taper = 2 if weeks >= LONG_SEASON else 1
    rest = max(weeks - taper, 0)
    peak = 2 if rest >= 6 else 1 if rest >= 3 else 0
    build_weeks = min(BUILD_WEEKS, rest - peak)
    names = ([SeasonPhase.BASE] * (rest - peak - build_weeks) + [SeasonPhase.BUILD] * build_weeks
             + [SeasonPhase.PEAK] * peak + [SeasonPhase.TAPER] * min(taper, weeks))
    return [(p, p in (SeasonPhase.BASE, SeasonPhase.BUILD) and (i + 1) % recovery_every == 0)
            for i, p in enumerate(names)]


def plan_season(req: SeasonRequest) -> Season:
    """The season from `req.start` to race day: phases, targets, the next weeks laid out."""
    marks = season_phases(req.weeks, req.recovery_every)
    targets = _targets(base_week(req.recent, req.fitness.ctl), marks)
    weeks, loads = _ahead(req, req.start, marks, targets, req.fitness)
    return _assemble(req.race, [], weeks, loads, req.fitness)


def resume_share(week: SeasonWeek, done: WeekLoad) -> float:
    """The share of its target the next week resumes at, from how much of `week` was done."""
    if week.load <= 0:
        return 1.0
    did = done.load / week.load
    if did >= 1 - TOLERANCE:
        return 1.0
    return min(1.0, max(did, RESUME_FLOOR) + RESUME_STEP)


def retarget_season(req: SeasonRequest, season: Season, done: Sequence[WeekLoad],
             fitness: DayFitness) -> Season:
    """The weeks from the day after `fitness` re-targeted from the `done` weeks before them."""
    first = fitness.day + timedelta(days=1)
    if first.weekday():
        raise ValueError(f"fitness must be on a Sunday, not on {fitness.day:%A} {fitness.day}")
    past, ahead = _past(season, done, first), [w for w in season.weeks if w.monday >= first]
    if not ahead:
        raise ValueError(f"the season to {season.race} has no weeks after {fitness.day}")
    share = resume_share(past[-1], past[-1].done or WeekLoad(first, 0, 0)) if past else 1.0
    targets = [_Target(w.hours * s, w.load * s) for w, s in zip(ahead, _climb(share, len(ahead)),
                                                              strict=True)]
    weeks, loads = _ahead(req, first, [(w.phase, w.recovery) for w in ahead], targets, fitness)
    if share < 1:
        why = f"resumes at {share:.0%} of its target after a short week"
        weeks[0] = replace(weeks[0], notes=(why, *weeks[0].notes))
    return _assemble(season.race, past, weeks, loads, fitness)


def pause_season(req: SeasonRequest, season: Season, done: Sequence[WeekLoad], fitness: DayFitness,
          back: date) -> Season:
    """Illness or injury: a return week from `back`, then the weeks left re-phased to the race."""
    # Re-phasing the weeks left takes the pause out of base first; for an injury the caller
    # passes `req.sports` without the sport it rules out.
    if not fitness.day < back <= req.race:
        raise ValueError(f"the return on {back} must be after {fitness.day} and by the race")
    monday = back - timedelta(days=back.weekday())
    req = replace(req, recent=[*req.recent, *done])
    ret, ret_loads = return_week(req, back, fitness)
    rest = (req.race - monday).days // 7
    if not rest:
        return _assemble(req.race, _past(season, done, monday), [ret], ret_loads, fitness)
    marks = season_phases(rest, req.recovery_every)
    share = min(1.0, max(RETURN_SHARE, RESUME_FLOOR) + RESUME_STEP)
    targets = [replace(t, share=(t.share[0] * s, t.share[1] * s)) for t, s in zip(
        _targets(base_week(req.recent, ret.end.ctl), marks), _climb(share, rest), strict=True)]
    later = replace(req, laid_out=max(req.laid_out - 1, 0))
    weeks, loads = _ahead(later, monday + timedelta(weeks=1), marks, targets, ret.end)
    return _assemble(req.race, _past(season, done, monday), [ret, *weeks], ret_loads | loads,
                     fitness)


def return_week(req: SeasonRequest, back: date, fitness: DayFitness
                ) -> tuple[SeasonWeek, dict[date, float]]:
    """Half the base week's hours from `back`, in easy sessions of an hour at most."""
    monday = back - timedelta(days=back.weekday())
    sessions = _easy_sessions(req, back, RETURN_SHARE * base_week(req.recent, fitness.ctl)[0])
    loads: dict[date, float] = {}
    for s in sessions:
        loads[s.day] = loads.get(s.day, 0.0) + s.load
    end = forecast(fitness, loads, (monday + timedelta(days=6) - fitness.day).days)[-1]
    h, lo = sum(s.minutes for s in sessions) / 60, sum(s.load for s in sessions)
    plan = WeekPlan(monday, "recovery", round(h, 2), round(lo, 1), sessions, 0.0, 0.0, end,
                    round(end.ctl - fitness.ctl, 2), ("return to training: easy, no intensity",))
    return SeasonWeek(monday, SeasonPhase.RETURN, True, "recovery", plan.hours, plan.load, end,
                      plan.ramp, plan, notes=plan.notes), loads


def _easy_sessions(req: SeasonRequest, back: date, hours: float) -> tuple[PlannedSession, ...]:
    """`hours` from `back` to Sunday, one session a day of an hour at most, each at its sport's
    easiest endurance intensity; workouts booked that week are left out (the caller removes
    them: they were planned before the illness)."""
    easy = replace(req.availability, two_a_day=False,
                   max_session_min=min(RETURN_LONGEST, req.availability.max_session_min))
    monday = back - timedelta(days=back.weekday())
    slots = [s for s in day_slots(monday, easy, {}, req.race) if s.day >= back]
    parts = assign_sports(split(slots, allocate(slots, hours * 60), easy.max_session_min),
                          req.sports)
    return tuple(build(day, minutes, sport, None, endurance_pct(sport, 0.0))
                 for day, minutes, sport in parts)


def _climb(share: float, weeks: int) -> list[float]:
    """From `share` back to the full target, a step a week."""
    return [min(1.0, share + RESUME_STEP * i) for i in range(weeks)]


# --- the weeks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Target:
    """An ordinary week's hours and load at the season's level, and the share of each this
    week takes (a lighter week, a taper); availability caps the ordinary week first."""

    hours: float
    load: float
    share: tuple[float, float] = (1.0, 1.0)


def _targets(base: tuple[float, float], marks: Sequence[tuple[SeasonPhase, bool]]) -> list[_Target]:
    """The level grows a build step each ordinary base or build week, up to the growth cap, and
    each week takes its phase's share of it."""
    level, out = 1.0, []
    for i, (phase, recovery) in enumerate(marks):
        if phase in (SeasonPhase.BASE, SeasonPhase.BUILD) and not recovery:
            level = min(level * BUILD_STEP, GROWTH_CAP)
        if phase == SeasonPhase.TAPER:
            share = FACTORS["taper"] if i == len(marks) - 1 else TAPER_BEFORE
        else:
            share = FACTORS["recovery"] if recovery else PHASE_FACTORS.get(phase, (1.0, 1.0))
        out.append(_Target(base[0] * level, base[1] * level, share))
    return out


def _ahead(req: SeasonRequest, first: date, marks: Sequence[tuple[SeasonPhase, bool]],
           targets: Sequence[_Target], state: DayFitness
           ) -> tuple[list[SeasonWeek], dict[date, float]]:
    """The weeks from `first`: the first `req.laid_out` as workouts, the rest as targets."""
    block = BlockRequest(first, len(marks), state, req.recent, req.availability, req.sports,
                         req.booked, req.race)
    weeks: list[SeasonWeek] = []
    loads: dict[date, float] = {}
    for i, ((phase, recovery), target) in enumerate(zip(marks, targets, strict=True)):
        draft = _held(req, first + timedelta(weeks=i), (phase, recovery), target, state)
        week, days = _laid_out(block, draft, state) if i < req.laid_out else \
            _estimated(req, draft, state)
        weeks.append(week)
        loads |= days
        state = week.end
    return weeks, loads


def _held(req: SeasonRequest, monday: date, mark: tuple[SeasonPhase, bool], target: _Target,
          state: DayFitness) -> SeasonWeek:
    """A week's target: the ordinary week held to the availability (hours that do not fit become
    intensity, as far as the sessions can carry), its share, the days before a race, the ramp."""
    hours, load, notes = target.hours, target.load, []
    usual, room = (_room(monday, req.availability, race) for race in (None, req.race))
    if hours > usual and target.share[0] == 1.0:
        notes.append(f"availability allows {usual:.1f} h")
    hours, load = min(hours, usual), min(load, usual * LOAD_PER_HOUR[1])
    hours, load = hours * target.share[0], load * target.share[1]
    if hours > room:
        hours, load = room, load * room / hours
        notes.append(f"{room:.1f} h before the race")
    load = min(max(load, hours * LOAD_PER_HOUR[0]), hours * LOAD_PER_HOUR[1])
    ceiling = ramp_ceiling(state.ctl, MAX_RAMP - 0.5)
    if load > ceiling:
        hours, load = hours * ceiling / load, ceiling
        notes.append(f"held to a CTL ramp of {MAX_RAMP:g}/week")
    return SeasonWeek(monday, *mark, _kind(mark, monday, req.race), hours, load, state, 0.0,
                      notes=tuple(notes))


def _room(monday: date, availability: Availability, race: date | None) -> float:
    """Hours the week's days allow new sessions."""
    return sum(s.free for s in day_slots(monday, availability, {}, race)) / 60


def _kind(mark: tuple[SeasonPhase, bool], monday: date, race: date) -> str:
    if monday <= race <= monday + timedelta(days=6):
        return "taper"
    return "recovery" if mark[1] else "build"


def _laid_out(block: BlockRequest, draft: SeasonWeek, state: DayFitness
              ) -> tuple[SeasonWeek, dict[date, float]]:
    """The week's workouts by the block planner, which holds them to the same limits."""
    plan = plan_week(block, draft.monday, draft.kind, (draft.hours, draft.load), state)
    days = [draft.monday + timedelta(days=i) for i in range(7)]
    loads = {d: block.booked.get(d, Booked()).load for d in days}
    for s in plan.sessions:
        loads[s.day] += s.load
    notes = tuple(dict.fromkeys((*draft.notes, *plan.notes)))
    return replace(draft, hours=plan.hours, load=plan.load, end=plan.end, ramp=plan.ramp,
                   plan=plan, notes=notes), loads


def _estimated(req: SeasonRequest, draft: SeasonWeek, state: DayFitness
               ) -> tuple[SeasonWeek, dict[date, float]]:
    """A target-only week, its load spread evenly over its training days for the forecast; if
    that still ramps too fast, both targets come down 5 % until it does not."""
    days = [s.day for s in day_slots(draft.monday, req.availability, {}, req.race) if s.free]
    hours, load = draft.hours, draft.load
    for _ in range(20):
        loads = {d: load / len(days) for d in days}
        end = forecast(state, loads, 7)[-1]
        if end.ctl - state.ctl <= MAX_RAMP:
            break
        hours, load = hours * 0.95, load * 0.95
    return replace(draft, hours=round(hours, 2), load=round(load, 1), end=end,
                   ramp=round(end.ctl - state.ctl, 2)), loads


def _past(season: Season, done: Sequence[WeekLoad], first: date) -> list[SeasonWeek]:
    """The season's weeks before `first`, each with what was done (nothing if never given)."""
    by_monday = {w.monday: w for w in done}
    return [replace(w, done=by_monday.get(w.monday, w.done or WeekLoad(w.monday, 0.0, 0.0)))
            for w in season.weeks if w.monday < first]


def _assemble(race: date, past: Sequence[SeasonWeek], ahead: Sequence[SeasonWeek],
              loads: Mapping[date, float], start: DayFitness) -> Season:
    """The season with the daily forecast from `start` to the evening before the race."""
    days = (race - start.day).days - 1
    daily = tuple(forecast(start, loads, days)) if days > 0 else ()
    return Season(race, (*past, *ahead), daily, daily[-1] if daily else start)
