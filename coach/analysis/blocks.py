"""Multi-week plans: weekly hours and load targets first, from the athlete's recent weeks, with
the fitness (CTL) ramp kept under a safe limit, a lighter week every fourth week and a taper in
the race week; then each week's sessions laid out on the days the athlete can train (`layout`).

Every number is computed here from the history; nothing comes from the model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from coach.analysis.fitness import CTL_DAYS, DayFitness, forecast
from coach.analysis.layout import (
    Availability,
    Booked,
    PlannedSession,
    Slot,
    allocate,
    assign_sports,
    build,
    day_slots,
    endurance_pct,
    key_sessions,
    solve_intensity,
    split,
)

MAX_RAMP = 7.0                 # CTL points per week: faster raises injury and illness risk
BUILD_STEP = 1.05              # each build week 5 % above the one before
FACTORS = {"build": (1.0, 1.0), "recovery": (0.7, 0.6), "taper": (0.6, 0.5)}  # hours, load
KEYS = {"build": 2, "recovery": 0, "taper": 1}   # hard sessions a week
RECENT_WEEKS = 4               # the base: the mean of the last 4 complete weeks
LOAD_PER_HOUR = (35.0, 60.0)   # what the session templates can reach
DEFAULT_WEEK = (5.0, 250.0)    # hours and load without any history
TOLERANCE = 0.10               # a week's workouts within 10 % of its targets


@dataclass(frozen=True)
class WeekLoad:
    """Hours and load of one week (Monday), done or planned."""

    monday: date
    hours: float
    load: float


@dataclass(frozen=True)
class BlockRequest:
    """What a plan is made from; `fitness` is on the day before `start` (a Monday)."""

    start: date
    weeks: int
    fitness: DayFitness
    recent: Sequence[WeekLoad]
    availability: Availability
    sports: Mapping[str, float]                  # sport -> share of the hours
    booked: Mapping[date, Booked]
    race: date | None = None


@dataclass(frozen=True)
class WeekPlan:
    """One week: its kind and targets, the new sessions, what was already booked, and the
    fitness at its end if everything is done."""

    monday: date
    kind: str                                    # build | recovery | taper
    hours: float
    load: float
    sessions: tuple[PlannedSession, ...]
    booked_hours: float
    booked_load: float
    end: DayFitness
    ramp: float                                  # CTL change over the week
    notes: tuple[str, ...] = ()

    @property
    def planned_hours(self) -> float:
        return self.booked_hours + sum(s.minutes for s in self.sessions) / 60

    @property
    def planned_load(self) -> float:
        return self.booked_load + sum(s.load for s in self.sessions)

    @property
    def adds_up(self) -> bool:
        return within(self.planned_hours, self.hours) and within(self.planned_load, self.load)


def within(planned: float, target: float, tolerance: float = TOLERANCE) -> bool:
    """Is `planned` within `tolerance` (a share) of `target`?"""
    return abs(planned - target) <= tolerance * target if target > 0 else planned <= 0


def week_kind(index: int, monday: date, race: date | None) -> str:
    if race is not None and monday <= race <= monday + timedelta(days=6):
        return "taper"
    return "recovery" if index % 4 == 3 else "build"


def base_week(recent: Sequence[WeekLoad], ctl: float) -> tuple[float, float]:
    """Weekly hours and load to build from: the mean of the last complete weeks with training,
    else what the fitness (CTL) implies, else a modest default; the load per hour kept to what
    the sessions can reach."""
    weeks = [w for w in recent[-RECENT_WEEKS:] if w.hours > 0]
    if weeks:
        hours, load = (sum(w.hours for w in weeks) / len(weeks),
                       sum(w.load for w in weeks) / len(weeks))
    elif ctl > 0:
        hours, load = 7 * ctl / 50, 7 * ctl
    else:
        hours, load = DEFAULT_WEEK
    per_hour = min(max(load / hours, LOAD_PER_HOUR[0]), LOAD_PER_HOUR[1])
    return hours, hours * per_hour


def ramp_ceiling(ctl: float, ramp: float = MAX_RAMP) -> float:
    """The weekly load that raises CTL by `ramp` in a week when spread evenly over its days."""
    kept = (1 - 1 / CTL_DAYS) ** 7
    return 7 * (ctl + ramp / (1 - kept))


def plan_block(req: BlockRequest) -> list[WeekPlan]:
    """The weeks of the plan, up to and including the race week."""
    hours, load = base_week(req.recent, req.fitness.ctl)
    weeks: list[WeekPlan] = []
    level, state = 1.0, req.fitness
    for i in range(req.weeks):
        monday = req.start + timedelta(weeks=i)
        kind = week_kind(i, monday, req.race)
        level *= BUILD_STEP if kind == "build" else 1.0
        h, lo = FACTORS[kind]
        week = plan_week(req, monday, kind, (hours * level * h, load * level * lo), state)
        weeks.append(week)
        state = week.end
        if kind == "taper":
            break
    return weeks


def plan_week(req: BlockRequest, monday: date, kind: str, target: tuple[float, float],
              start: DayFitness) -> WeekPlan:
    """Targets held to the availability and the ramp limit, then the sessions laid out; if the
    laid-out week still ramps too fast, both targets come down 5 % and it is laid out again."""
    hours, load = target
    slots = day_slots(monday, req.availability, req.booked, req.race)
    days = [monday + timedelta(days=i) for i in range(7)]
    booked = [req.booked.get(d, Booked()) for d in days]
    booked_h, booked_l = sum(b.minutes for b in booked) / 60, sum(b.load for b in booked)
    notes = []
    room = booked_h + sum(s.free for s in slots) / 60
    if hours > room:
        hours, load = room, load * room / hours
        notes.append(f"availability allows {room:.1f} h")
    ceiling = ramp_ceiling(start.ctl, MAX_RAMP - 0.5)
    if load > ceiling:
        hours, load = hours * ceiling / load, ceiling
        notes.append(f"held to a CTL ramp of {MAX_RAMP:g}/week")
    for _ in range(10):
        sessions = lay_out(slots, req, hours - booked_h, load - booked_l, kind)
        loads = {d: b.load for d, b in zip(days, booked, strict=True)}
        for s in sessions:
            loads[s.day] += s.load
        end = forecast(start, loads, 7)[-1]
        if end.ctl - start.ctl <= MAX_RAMP:
            break
        hours, load = hours * 0.95, load * 0.95
    hours, load = _reachable(sessions, (booked_h, booked_l), (hours, load), notes)
    return WeekPlan(monday, kind, round(hours, 2), round(load, 1), tuple(sessions),
                    round(booked_h, 2), round(booked_l, 1), end, round(end.ctl - start.ctl, 2),
                    tuple(notes))


def _reachable(sessions: list[PlannedSession], booked: tuple[float, float],
               target: tuple[float, float], notes: list[str]) -> tuple[float, float]:
    """A target the week's days and sports cannot meet (sessions of at least 30 minutes, each
    sport's easiest and hardest intensity) becomes what they give, and the note says so."""
    hours, load = target
    if booked[0] > hours * (1 + TOLERANCE):
        notes.append("already planned is above the target")
        return hours, load
    if not sessions:
        return hours, load
    planned_h = booked[0] + sum(s.minutes for s in sessions) / 60
    planned_l = booked[1] + sum(s.load for s in sessions)
    if not within(planned_h, hours):
        notes.append(f"{hours:.1f} h do not fit in sessions of 30 min or more")
        hours = planned_h
    if not within(planned_l, load):
        notes.append(f"load {load:.0f} is out of reach for these sessions")
        load = planned_l
    return hours, load


def lay_out(slots: list[Slot], req: BlockRequest, hours: float, load: float,
            kind: str) -> list[PlannedSession]:
    """The new sessions of a week: `hours` over the free days, a sport each, the hard ones
    chosen, and the endurance intensity that meets `load`."""
    alloc = allocate(slots, hours * 60)
    parts = assign_sports(split(slots, alloc, req.availability.max_session_min), req.sports)
    if not parts:
        return []
    taper = kind == "taper"
    best: tuple[float, list[int], float] | None = None
    default = min(KEYS[kind], len(parts))
    for count in sorted(range(min(3, len(parts)) + 1), key=lambda n: (abs(n - default), n)):
        keys = key_sessions(parts, count)
        if len(keys) < count:
            continue
        t, total = solve_intensity(parts, keys, load, taper)
        if best is None or abs(total - load) < abs(best[2] - load) - 0.02 * load:
            best = (t, keys, total)
    assert best is not None
    t, keys, _ = best
    return [build(day, minutes, sport, keys.index(i) if i in keys else None,
                  endurance_pct(sport, t), taper)
            for i, (day, minutes, sport) in enumerate(parts)]
