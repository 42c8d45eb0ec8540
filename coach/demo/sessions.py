"""The demo athlete's settings and week: what each day holds, written as Intervals.icu workout
text and measured by the same checker that validates the coach's proposals (`coach.workout`)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from coach import workout

DEMO_ATHLETE_ID = "demo"
TIMEZONE = "Europe/Madrid"
FTP = 250
RUN_PACE = 3.70  # threshold pace, m/s (4:30/km)
SWIM_PACE = 1.0  # threshold pace, m/s (1:40/100m)
POWER_ZONES = [55, 75, 90, 105, 120, 150, 999]
PACE_ZONES = [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0]
LTHR = {"Ride": 165, "Run": 170, "Swim": 160}
MAX_HR = {"Ride": 185, "Run": 190, "Swim": 180}
HR_ZONES = {
    "Ride": [137, 150, 157, 164, 169, 174, 185],
    "Run": [142, 155, 162, 169, 174, 179, 190],
    "Swim": [134, 146, 152, 159, 164, 168, 180],
}
FIRST_EVENT_ID = 104600001
PLAN_PAST_DAYS = 21
PLAN_AHEAD_DAYS = 21
SKIP_CHANCE = 0.06
CTL_START = ATL_START = 45.0
RACES = ((4, 19, "10k"), (6, 21, "tri"), (10, 11, "half"))  # on the Sunday nearest month/day

RIDE_WARMUP = "Warmup\n- 10m ramp 50-75% 90rpm\n- 5m 65%"
RIDE_SETS = (  # name, reps, work minutes, target, rest minutes
    ("Sweet spot 3x12", 3, 12, "88-92%", 4),
    ("VO2 5x4", 5, 4, "112-118%", 4),
    ("Sweet spot 2x20", 2, 20, "88-94%", 5),
    ("Threshold 4x8", 4, 8, "98-102%", 4),
)
RUN_SETS = (
    ("Tempo run 3x10", "Warmup\n- 15m 75-80% Pace\n\nMain set 3x\n- 10m 90-92% Pace\n"
     "- 3m 70% Pace\n\nCooldown\n- 10m Z1 Pace"),
    ("Intervals 6x800m", "Warmup\n- 2km Z2 Pace\n\nMain set 6x\n- 800mtr 103-107% Pace\n"
     "- 400mtr Z1 Pace\n\nCooldown\n- 10m Z1 Pace"),
    ("Progression run", "Main set\n- 20m Z2 Pace\n- 15m Z3 Pace\n- 10m 95-98% Pace\n\n"
     "Cooldown\n- 10m Z1 Pace"),
)
CSS_SWIM = ("Warmup\n- 400mtr Z2 Pace\n\nMain set 10x\n- 100mtr 98-102% Pace\n- 15s Z1 Pace\n\n"
            "Pull\n- 400mtr 85% Pace\n\nCooldown\n- 200mtr Z1 Pace")
RACE_DAYS = {
    "10k": [("Run", "Spring 10k race", "- 10km 102% Pace")],
    "half": [("Run", "Autumn half marathon", "- 21100mtr 92% Pace")],
    "tri": [("Swim", "Sprint triathlon - swim", "- 750mtr 95% Pace"),
            ("Ride", "Sprint triathlon - bike", "- 36m 92%"),
            ("Run", "Sprint triathlon - run", "- 5km 100% Pace")],
}


@dataclass(frozen=True)
class Step:
    """One workout step: seconds, intensity (fraction of threshold) and metres covered."""

    secs: float
    frac: float
    metres: float


@dataclass(frozen=True)
class Session:
    """A scheduled session; `planned` ones also appear as calendar WORKOUT events."""

    sport: str
    name: str
    text: str
    planned: bool = False
    race: bool = False


def dur(secs: float) -> str:
    """Format seconds as a workout duration token (1h30m, 12m, 30s)."""
    h, rest = divmod(int(round(secs)), 3600)
    m, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "") or "0s"


def thresholds(family: str) -> workout.Thresholds:
    """The demo athlete's sport settings, as the workout checker reads them."""
    pace = {"Run": RUN_PACE, "Swim": SWIM_PACE}.get(family)
    return workout.Thresholds(
        ftp=FTP if family == "Ride" else None, lthr=LTHR[family], max_hr=MAX_HR[family],
        threshold_pace=pace, power_zones=tuple(POWER_ZONES) if family == "Ride" else (),
        hr_zones=tuple(HR_ZONES[family]), pace_zones=tuple(PACE_ZONES) if pace else ())


def family_of(sport: str) -> str:
    return "Ride" if sport.endswith("Ride") else sport


@lru_cache(maxsize=256)
def parsed_text(text: str) -> workout.Workout:
    parsed, issues = workout.parse(text)
    assert not issues, f"demo workout text does not parse: {issues}"
    return parsed


@lru_cache(maxsize=256)
def steps_of(parsed: workout.Workout, family: str) -> tuple[Step, ...]:
    """The workout's steps in order, repeats expanded, read by the workout checker."""
    speed = {"Run": RUN_PACE}.get(family, 0.0)  # timed swim steps are rests; rides: see speed
    out = []
    for p in workout.passes(parsed, family, thresholds(family)):
        frac = p.fraction or 0.6
        metres = p.step.distance_m if p.step.distance_m is not None else \
            p.seconds * speed * frac
        out.append(Step(p.seconds, frac, metres))
    return tuple(out)


def blocks(s: Session) -> list[tuple[int, list[Step]]]:
    """The repeat blocks of the workout text as (repeats, steps of one repeat)."""
    family = family_of(s.sport)
    return [(item.count, list(steps_of(workout.Workout(item.steps), family)))
            for item in parsed_text(s.text).items if isinstance(item, workout.Repeat)]


def flat(s: Session) -> list[Step]:
    """All steps of a session in order, repeats expanded."""
    return list(steps_of(parsed_text(s.text), family_of(s.sport)))


def totals_of(steps: list[Step]) -> tuple[float, float, float]:
    """Seconds, intensity factor (quadratic mean) and metres of a list of steps."""
    secs = sum(st.secs for st in steps)
    intensity = math.sqrt(sum(st.secs * st.frac**2 for st in steps) / secs)
    return secs, intensity, sum(st.metres for st in steps)


def load_of(secs: float, intensity: float) -> int:
    """Training load, as the workout checker computes it: hours × IF² × 100."""
    return round(workout.training_load(secs, intensity))


def mins(minutes: float) -> str:
    """A duration token for `minutes` rounded to 5 (at least 10)."""
    return dur(max(10, 5 * round(minutes / 5)) * 60)


def ride(kind: str, vol: float, build: int, indoor: bool = True) -> Session:
    """A ride: quality set (rotating), endurance or long with a tempo finish."""
    sport = "VirtualRide" if indoor else "Ride"
    if kind == "quality":
        name, reps, work, target, rest = RIDE_SETS[build % len(RIDE_SETS)]
        main = f"Main set {reps}x\n- {work}m {target} 85-95rpm\n- {rest}m 55%"
        return Session(sport, name, f"{RIDE_WARMUP}\n\n{main}\n\nCooldown\n- 10m ramp 65-45%")
    if kind == "endurance":
        main = f"Main set\n- {mins(75 * vol - 20)} 65-75% 85-95rpm"
        text = f"Warmup\n- 10m ramp 50-70%\n\n{main}\n\nCooldown\n- 10m 55%"
        return Session(sport, "Endurance ride", text)
    tempo = "\n- 20m 80-85%" if vol >= 0.9 else ""
    main = f"Main set\n- {mins(190 * vol - 25 - 20 * bool(tempo))} Z2{tempo}"
    text = f"Warmup\n- 15m ramp 50-70%\n\n{main}\n\nCooldown\n- 10m Z1"
    return Session("Ride", "Long ride", text)


def run(kind: str, vol: float, build: int) -> Session:
    """A run: quality set (rotating), easy on heart rate, or long on pace."""
    if kind == "quality":
        return Session("Run", *RUN_SETS[build % len(RUN_SETS)])
    if kind == "easy":
        return Session("Run", "Easy run", f"- {mins(45 * vol)} Z2 HR")
    main = f"Main set\n- {mins(90 * vol - 15)} 78-84% Pace"
    return Session("Run", "Long run", f"Warmup\n- 10m Z1 Pace\n\n{main}\n\nCooldown\n- 5m Z1 Pace")


def pool(vol: float) -> Session:
    """Aerobic pool swim of 200 m repeats, named by its distance."""
    n = min(10, max(4, round(7 * vol)))
    main = f"Main set {n}x\n- 200mtr 86-90% Pace\n- 50mtr Z1 Pace"
    text = f"Warmup\n- 400mtr Z2 Pace\n\n{main}\n\nCooldown\n- 200mtr Z1 Pace"
    return Session("Swim", f"Pool {(600 + 250 * n) / 1000:.1f}k", text)


def day_sessions(d: date, rng: random.Random) -> list[Session]:
    """The sessions on the schedule for one date, in the order they are done."""
    for month, day, kind in RACES:
        if d.weekday() == 6 and abs((d - date(d.year, month, day)).days) <= 3:
            return [Session(*race, race=True) for race in RACE_DAYS[kind]]
    week = (d.toordinal() - 1) // 7  # ordinal 1 is a Monday: weeks run Monday..Sunday
    easy, build = week % 4 == 3, week - week // 4  # 3 build weeks, then 1 recovery week
    season = 1 + 0.12 * math.sin(2 * math.pi * (d.timetuple().tm_yday - 80) / 365.25)
    vol = season * (1.0, 1.06, 1.12, 0.7)[week % 4]
    plan = lambda s: replace(s, planned=True)  # noqa: E731
    match d.weekday():
        case 0:
            return [pool(vol * 0.8)] if not easy and rng.random() < 0.25 else []
        case 1:
            key = ride("endurance" if easy else "quality", vol * 0.8, build)
            return ([] if easy else [pool(vol)]) + [plan(key)]
        case 2:
            return [plan(run("easy" if easy else "quality", vol, build))]
        case 3:
            return [ride("endurance", vol, build, indoor=d.month in (11, 12, 1, 2))]
        case 4:
            extra = [] if easy or rng.random() < 0.5 else [run("easy", vol * 0.8, build)]
            return [plan(Session("Swim", "Swim CSS 10x100", CSS_SWIM)), *extra]
        case 5:
            return [plan(ride("long", vol, build, indoor=False))]
        case _:
            return [plan(run("long", vol, build))]
