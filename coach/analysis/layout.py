"""One week of a plan laid out: which days take a session and for how long (the athlete's
availability), which sport, which sessions are the hard ones, and at what endurance intensity
the week's load target is met. The workouts are built with `coach.workout`, so their text,
duration and load are exactly what the workout checker computes."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from coach import workout
from coach.workout import Repeat, Section, Step, Target, Workout

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MIN_SESSION = 30                        # minutes: shorter sessions are not laid out
STEP = 5                                # session lengths are whole 5 minutes
SPORT_CAP = {"Swim": 90, "Run": 150}    # longest session per sport, minutes
KEY_MIN = {"Ride": 50, "Run": 50, "Swim": 40}  # a hard session needs room for its set
KEY_DAYS = (1, 3, 2, 5, 4, 6, 0)        # where hard sessions go first: Tue, Thu, Wed, Sat…
# Endurance intensity per sport, easiest to hardest: % FTP (Ride), % threshold pace (Run, Swim)
ENDURANCE = {"Ride": (55, 78), "Run": (70, 86), "Swim": (72, 88)}
KIND = {"Ride": "power_pct", "Run": "pace_pct", "Swim": "pace_pct"}
# name, work minutes, work % low-high, rest minutes, most repeats
SETS = {
    "Ride": [("Threshold", 8, 95, 100, 4, 5), ("Sweet spot", 12, 88, 92, 4, 4)],
    "Run": [("Threshold run", 6, 97, 101, 2, 6), ("Tempo run", 10, 88, 92, 3, 4)],
    "Swim": [("CSS swim", 4, 97, 101, 1, 10), ("Swim tempo", 6, 90, 94, 1, 8)],
}
OPENERS = {"Ride": ("Openers", 1, 105, 110, 2, 4), "Run": ("Strides", 1, 105, 110, 2, 4),
           "Swim": ("Swim openers", 1, 100, 105, 1, 4)}
WARMUP = {"Ride": (50, 70), "Run": (65, 75), "Swim": (70, 75)}   # a 10-minute ramp
EASY = {"Ride": 50, "Run": 65, "Swim": 70}                       # rests and cool-downs
DAY_BEFORE_RACE = 45                    # minutes at most, the day before a race


@dataclass(frozen=True)
class Availability:
    """When the athlete can train: hours per weekday (Monday first), days off (0 = Monday),
    the longest session in minutes, and whether two sessions a day are allowed."""

    hours: tuple[float, ...] = (1.5, 1.5, 1.5, 1.5, 1.5, 3.0, 3.0)
    days_off: tuple[int, ...] = ()
    max_session_min: int = 180
    two_a_day: bool = False

    def __post_init__(self) -> None:
        if len(self.hours) != 7 or any(not 0 <= h <= 16 for h in self.hours):
            raise ValueError("hours needs 7 values from 0 to 16, Monday first")
        if any(not 0 <= d <= 6 for d in self.days_off) or len(set(self.days_off)) < len(
                self.days_off):
            raise ValueError("days_off are distinct weekdays from 0 (Monday) to 6 (Sunday)")
        if not MIN_SESSION <= self.max_session_min <= 600:
            raise ValueError(f"max_session_min must be from {MIN_SESSION} to 600 minutes")

    def describe(self) -> str:
        """`Mon off, Tue 1.5 h, …; sessions up to 180 min; one a day`."""
        days = ", ".join(f"{name} off" if i in self.days_off or not self.hours[i] else
                         f"{name} {self.hours[i]:g} h" for i, name in enumerate(WEEKDAYS))
        twice = "two a day allowed" if self.two_a_day else "one a day"
        return f"{days}; sessions up to {self.max_session_min} min; {twice}"


@dataclass(frozen=True)
class Booked:
    """What is already planned on a day (calendar workouts, open proposals)."""

    minutes: float = 0.0
    load: float = 0.0
    count: int = 0


@dataclass(frozen=True)
class Slot:
    day: date
    free: int    # minutes new sessions may take
    parts: int   # how many new sessions it may hold


@dataclass(frozen=True)
class PlannedSession:
    """A laid-out workout: its day, sport, name, Intervals.icu text, minutes and load."""

    day: date
    sport: str
    name: str
    text: str
    minutes: int
    load: float
    key: bool = False


def day_slots(monday: date, availability: Availability, booked: Mapping[date, Booked],
              race: date | None = None) -> list[Slot]:
    """The week's days with the minutes a new session may take: none on a day off, on or
    after race day; a booked day takes a second session only when two a day are allowed."""
    a, slots = availability, []
    for i in range(7):
        day = monday + timedelta(days=i)
        cap = 0 if i in a.days_off or (race is not None and day >= race) \
            else round(a.hours[i] * 60)
        if race is not None and day == race - timedelta(days=1):
            cap = min(cap, DAY_BEFORE_RACE)
        taken = booked.get(day, Booked())
        if taken.count:
            free, parts = (min(cap - round(taken.minutes), a.max_session_min), 1) \
                if a.two_a_day else (0, 0)
        else:
            parts = 2 if a.two_a_day else 1
            free = min(cap, a.max_session_min * parts)
        slots.append(Slot(day, STEP * (max(free, 0) // STEP), parts))
    return slots


def allocate(slots: list[Slot], minutes: float) -> dict[date, int]:
    """Spread `minutes` over the free days in proportion to their free time, leaving out the
    days that would get less than a useful session; whole 5 minutes, never above a day's free
    time."""
    active = [s for s in slots if s.free >= MIN_SESSION]
    shares: dict[date, float] = {}
    while active:
        total = min(minutes, sum(s.free for s in active))
        shares = {s.day: total * s.free / sum(x.free for x in active) for s in active}
        short = [s for s in active if shares[s.day] < MIN_SESSION]
        if not short:
            break
        active.remove(min(short, key=lambda s: (s.free, s.day)))
    if not active or minutes < MIN_SESSION:
        return {}
    alloc = {day: STEP * int(share // STEP) for day, share in shares.items()}
    rest = STEP * round(sum(shares.values()) / STEP) - sum(alloc.values())
    free = {s.day: s.free for s in active}
    order = sorted(shares, key=lambda d: (-(shares[d] - alloc[d]), d))
    while rest >= STEP and any(alloc[d] + STEP <= free[d] for d in order):
        for day in order:
            if rest >= STEP and alloc[day] + STEP <= free[day]:
                alloc[day], rest = alloc[day] + STEP, rest - STEP
    return alloc


def split(slots: list[Slot], alloc: dict[date, int], max_session: int) -> list[tuple[date, int]]:
    """Each day's minutes as one session, or two when longer than the longest session."""
    parts = {s.day: s.parts for s in slots}
    out = []
    for day, minutes in sorted(alloc.items()):
        if minutes > max_session and parts[day] > 1:
            first = STEP * round(minutes / 2 / STEP)
            out += [(day, first), (day, minutes - first)]
        elif minutes:
            out.append((day, min(minutes, max_session)))
    return out


def assign_sports(sessions: list[tuple[date, int]],
                  shares: Mapping[str, float]) -> list[tuple[date, int, str]]:
    """A sport for each session so the week's minutes follow the athlete's usual mix: the
    longest sessions first, each to the sport furthest behind its share that fits (no swim
    over 90 minutes, no run over 150, never the same sport twice in a day)."""
    sports = list(shares) or ["Ride"]
    total = sum(m for _, m in sessions)
    got = dict.fromkeys(sports, 0.0)
    chosen: dict[int, str] = {}
    for i in sorted(range(len(sessions)), key=lambda i: (-sessions[i][1], sessions[i][0])):
        day, minutes = sessions[i]
        same_day = {chosen[j] for j in chosen if sessions[j][0] == day}
        fits = [s for s in sports if minutes <= SPORT_CAP.get(s, 10**6) and s not in same_day]
        pool = fits or [max(sports, key=lambda s: SPORT_CAP.get(s, 10**6))]
        sport = max(pool, key=lambda s: (shares.get(s, 1.0) * total - got[s],
                                          -sports.index(s)))
        chosen[i] = sport
        got[sport] += minutes
    return [(day, min(m, SPORT_CAP.get(chosen[i], m)), chosen[i])
            for i, (day, m) in enumerate(sessions)]


def key_sessions(sessions: list[tuple[date, int, str]], count: int) -> list[int]:
    """Which sessions are the hard ones: long enough, never on consecutive days, not the
    week's longest (it stays easy), on the preferred weekdays first."""
    if count <= 0:
        return []
    longest = max(range(len(sessions)), key=lambda i: (sessions[i][1], sessions[i][0]))
    able = [i for i, (_, m, sport) in enumerate(sessions) if m >= KEY_MIN[sport] and
            (i != longest or len(sessions) == 1)]
    picked: list[int] = []
    for i in sorted(able, key=lambda i: (KEY_DAYS.index(sessions[i][0].weekday()), i)):
        day = sessions[i][0]
        if all(abs((sessions[j][0] - day).days) > 1 for j in picked) and len(picked) < count:
            picked.append(i)
    return sorted(picked)


@lru_cache(maxsize=2048)  # the intensity search builds the same sessions again and again
def build(day: date, minutes: int, sport: str, role: int | None, e: int,
          taper: bool = False) -> PlannedSession:
    """One workout: endurance at `e` % (role None), or hard set number `role` (openers in a
    taper) with the rest of its time at `e` %."""
    if role is not None:
        spec = OPENERS[sport] if taper else SETS[sport][role % len(SETS[sport])]
        found = _with_set(minutes, sport, spec, e)
        if found is not None:
            return _session(day, sport, *found, True)
    return _session(day, sport, _easy_name(sport, minutes), _endurance(minutes, sport, e))


def _session(day: date, sport: str, name: str, w: Workout,
             key: bool = False) -> PlannedSession:
    """Minutes and load as the checker computes them (load = Σ hours × IF² × 100)."""
    passes = workout.passes(w, sport)
    load = round(sum(p.seconds * (p.intensity_sq or 0.0) / 36 for p in passes), 2)
    minutes = round(sum(p.seconds for p in passes) / 60)
    return PlannedSession(day, sport, name, workout.render(w), minutes, load, key)


def _step(minutes: int, sport: str, low: float, high: float | None = None,
          ramp: bool = False) -> Step:
    return Step(duration_s=minutes * 60, ramp=ramp,
                target=Target(KIND[sport], low, low if high is None else high))


def _easy(minutes: int, sport: str, e: int) -> Step:
    return _step(minutes, sport, e - 2, e + 2)


def _endurance(minutes: int, sport: str, e: int) -> Workout:
    if minutes < 40:
        return Workout((_easy(minutes, sport, e),))
    return Workout((Section("Warmup"), _step(10, sport, *WARMUP[sport], ramp=True),
                    Section("Main set"), _easy(minutes - 20, sport, e),
                    Section("Cooldown"), _step(10, sport, EASY[sport])))


def _with_set(minutes: int, sport: str, spec: tuple[str, int, int, int, int, int],
              e: int) -> tuple[str, Workout] | None:
    name, work, low, high, rest, most = spec
    reps = min(most, (minutes - 25) // (work + rest))
    if reps < 2:
        return None
    left = minutes - 25 - reps * (work + rest)
    middle: tuple[Section | Step, ...] = (Section("Endurance"), _easy(left, sport, e)) \
        if left >= 10 else ()
    w = Workout((Section("Warmup"), _step(10, sport, *WARMUP[sport], ramp=True),
                 _step(5, sport, WARMUP[sport][1]),
                 Repeat("Main set", reps, (_step(work, sport, low, high),
                                           _step(rest, sport, EASY[sport]))),
                 *middle, Section("Cooldown"),
                 _step(10 + (0 if middle else left), sport, EASY[sport])))
    return f"{name} {reps}x{work}", w


def _easy_name(sport: str, minutes: int) -> str:
    if sport == "Swim":
        return "Aerobic swim"
    long = minutes >= (150 if sport == "Ride" else 90)
    return {"Ride": ("Endurance ride", "Long ride"), "Run": ("Easy run", "Long run")}[sport][long]


def solve_intensity(parts: list[tuple[date, int, str]], keys: list[int], load: float,
                    taper: bool = False) -> tuple[float, float]:
    """The endurance intensity (0 = each sport's easiest, 1 = its hardest) that brings the
    sessions' load closest to `load`, and the load it gives. Load is A + B·e² in the endurance
    percentage e of each session, so two builds per session give A and B."""
    terms = []
    for i, (day, minutes, sport) in enumerate(parts):
        role = keys.index(i) if i in keys else None
        low, high = ENDURANCE[sport]
        at_low = build(day, minutes, sport, role, low, taper).load
        at_high = build(day, minutes, sport, role, high, taper).load
        b = (at_high - at_low) / (high**2 - low**2)
        terms.append((at_low - b * low**2, b, low, high - low))

    def total(t: float) -> float:
        return sum(a + b * (low + t * width) ** 2 for a, b, low, width in terms)

    lo, hi = 0.0, 1.0
    for _ in range(30):  # the load grows with t: bisect
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if total(mid) < load else (lo, mid)
    t = min(max((lo + hi) / 2, 0.0), 1.0)
    return t, total(t)


def endurance_pct(sport: str, t: float) -> int:
    low, high = ENDURANCE[sport]
    return math.floor(low + t * (high - low) + 0.5)
