"""Deterministic demo athlete: a year of triathlon training in Intervals.icu API JSON shapes.

Pure (standard library only, no I/O). Every dict mirrors what the real API returns (reference §7),
so the app reads demo data with the same code as real responses. Each session is written as
Intervals.icu workout text first; durations, distances and loads are derived from that text.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

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
# Intensity (fraction of threshold) at the middle of each zone, for "Z2", "Z2 HR", "Z2 Pace".
ZONE_FRAC = {
    "": [0.5, 0.67, 0.83, 0.98, 1.12, 1.35, 1.6],
    "Pace": [0.72, 0.83, 0.91, 0.97, 1.02, 1.07, 1.15],
    "HR": [0.6, 0.76, 0.88, 0.95, 1.02, 1.08, 1.15],
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
class DemoData:
    """The demo athlete's profile, activities (newest first), wellness (by date) and events."""

    athlete: dict
    activities: list[dict]
    wellness: list[dict]
    events: list[dict]


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


def _dur(secs: float) -> str:
    """Format seconds as a workout duration token (1h30m, 12m, 30s)."""
    h, rest = divmod(int(round(secs)), 3600)
    m, s = divmod(rest, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if m else "") + (f"{s}s" if s else "") or "0s"


def _step(line: str, sport: str) -> Step:
    """Parse one "- " step line (duration or distance first, then the target)."""
    first, target = line[2:].split(" ", 1)
    if pct := re.search(r"(\d+)(?:-(\d+))?%", target):
        frac = (int(pct[1]) + int(pct[2] or pct[1])) / 200
    else:
        kind = "Pace" if "Pace" in target else "HR" if "HR" in target else ""
        frac = ZONE_FRAC[kind][int(re.findall(r"Z(\d)", target)[0]) - 1]
    speed = {"Run": RUN_PACE, "Swim": SWIM_PACE}.get(sport, 0.0) * frac
    if dist := re.fullmatch(r"(\d+)(mtr|km)", first):
        metres = int(dist[1]) * (1000 if dist[2] == "km" else 1)
        return Step(metres / speed, frac, metres)
    parts = re.findall(r"(\d+)([hms])", first)
    secs = sum(int(n) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in parts)
    return Step(secs, frac, 0.0 if sport == "Swim" else secs * speed)  # timed swim steps = rest


def _blocks(s: Session) -> list[tuple[int, list[Step]]]:
    """The workout text as (repeats, steps) blocks; a header ending in "Nx" repeats its block."""
    out = []
    for chunk in s.text.split("\n\n"):
        lines = chunk.splitlines()
        reps = None if lines[0].startswith("- ") else re.search(r"(\d+)x$", lines[0])
        steps = [_step(x, s.sport) for x in lines if x.startswith("- ")]
        out.append((int(reps[1]) if reps else 1, steps))
    return out


def _flat(s: Session) -> list[Step]:
    """All steps of a session in order, repeats expanded."""
    return [step for reps, steps in _blocks(s) for _ in range(reps) for step in steps]


def _totals(steps: list[Step]) -> tuple[float, float, float]:
    """Seconds, intensity factor (quadratic mean) and metres of a list of steps."""
    secs = sum(st.secs for st in steps)
    intensity = math.sqrt(sum(st.secs * st.frac**2 for st in steps) / secs)
    return secs, intensity, sum(st.metres for st in steps)


def _load(secs: float, intensity: float) -> int:
    """Training load: hours × IF² × 100."""
    return round(secs / 36 * intensity**2)


def _mins(minutes: float) -> str:
    """A duration token for `minutes` rounded to 5 (at least 10)."""
    return _dur(max(10, 5 * round(minutes / 5)) * 60)


def _ride(kind: str, vol: float, build: int, indoor: bool = True) -> Session:
    """A ride: quality set (rotating), endurance or long with a tempo finish."""
    sport = "VirtualRide" if indoor else "Ride"
    if kind == "quality":
        name, reps, work, target, rest = RIDE_SETS[build % len(RIDE_SETS)]
        main = f"Main set {reps}x\n- {work}m {target} 85-95rpm\n- {rest}m 55%"
        return Session(sport, name, f"{RIDE_WARMUP}\n\n{main}\n\nCooldown\n- 10m ramp 65-45%")
    if kind == "endurance":
        main = f"Main set\n- {_mins(75 * vol - 20)} 65-75% 85-95rpm"
        text = f"Warmup\n- 10m ramp 50-70%\n\n{main}\n\nCooldown\n- 10m 55%"
        return Session(sport, "Endurance ride", text)
    tempo = "\n- 20m 80-85%" if vol >= 0.9 else ""
    main = f"Main set\n- {_mins(190 * vol - 25 - 20 * bool(tempo))} Z2{tempo}"
    text = f"Warmup\n- 15m ramp 50-70%\n\n{main}\n\nCooldown\n- 10m Z1"
    return Session("Ride", "Long ride", text)


def _run(kind: str, vol: float, build: int) -> Session:
    """A run: quality set (rotating), easy on heart rate, or long on pace."""
    if kind == "quality":
        return Session("Run", *RUN_SETS[build % len(RUN_SETS)])
    if kind == "easy":
        return Session("Run", "Easy run", f"- {_mins(45 * vol)} Z2 HR")
    main = f"Main set\n- {_mins(90 * vol - 15)} 78-84% Pace"
    return Session("Run", "Long run", f"Warmup\n- 10m Z1 Pace\n\n{main}\n\nCooldown\n- 5m Z1 Pace")


def _pool(vol: float) -> Session:
    """Aerobic pool swim of 200 m repeats, named by its distance."""
    n = min(10, max(4, round(7 * vol)))
    main = f"Main set {n}x\n- 200mtr 86-90% Pace\n- 50mtr Z1 Pace"
    text = f"Warmup\n- 400mtr Z2 Pace\n\n{main}\n\nCooldown\n- 200mtr Z1 Pace"
    return Session("Swim", f"Pool {(600 + 250 * n) / 1000:.1f}k", text)


def _day_sessions(d: date, rng: random.Random) -> list[Session]:
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
            return [_pool(vol * 0.8)] if not easy and rng.random() < 0.25 else []
        case 1:
            key = _ride("endurance" if easy else "quality", vol * 0.8, build)
            return ([] if easy else [_pool(vol)]) + [plan(key)]
        case 2:
            return [plan(_run("easy" if easy else "quality", vol, build))]
        case 3:
            return [_ride("endurance", vol, build, indoor=d.month in (11, 12, 1, 2))]
        case 4:
            extra = [] if easy or rng.random() < 0.5 else [_run("easy", vol * 0.8, build)]
            return [plan(Session("Swim", "Swim CSS 10x100", CSS_SWIM)), *extra]
        case 5:
            return [plan(_ride("long", vol, build, indoor=False))]
        case _:
            return [plan(_run("long", vol, build))]


def _start(d: date, slot: int, count: int, rng: random.Random) -> datetime:
    """Local start: weekdays in the evening (a swim first on double days), weekends later."""
    weekend = d.weekday() >= 5
    first = 8.5 if weekend else 7.0 if count > 1 else 18.0
    hour = (17.0 if weekend else 18.5) if slot else first
    return datetime.combine(d, time()) + timedelta(seconds=hour * 3600 + rng.randint(0, 2700))


def _utc(local: datetime) -> str:
    """Europe/Madrid local time as UTC "Z" (EU summer time: last Sunday Mar..last Sunday Oct)."""
    ends = [date(local.year, m, 31) for m in (3, 10)]
    start, end = (e - timedelta(days=(e.weekday() + 1) % 7) for e in ends)
    offset = 2 if start <= local.date() < end else 1
    return (local - timedelta(hours=offset)).isoformat() + "Z"


def _zone_secs(parts: list[tuple[float, float]], bounds: list, total: int) -> list[int]:
    """Spread (seconds, value) over zones (80% own, 10% each neighbour), summing to `total`."""
    acc = [0.0] * len(bounds)
    for secs, value in parts:
        z = next(i for i, b in enumerate(bounds) if value <= b or i == len(bounds) - 1)
        for zz, share in ((z, 0.8), (max(z - 1, 0), 0.1), (min(z + 1, len(bounds) - 1), 0.1)):
            acc[zz] += secs * share
    out = [int(x * total / sum(acc)) for x in acc]
    out[out.index(max(out))] += total - sum(out)
    return out


def _summary(s: Session, kt: float, ki: float) -> list[str]:
    """Intervals.icu-style lines for repeat blocks, e.g. "3x 12m 226w" or "6x 3m9s 4:15/km"."""
    out = []
    for reps, steps in (block for block in _blocks(s) if block[0] > 1):
        work = steps[0]
        if s.sport.endswith("Ride"):
            value = f"{round(FTP * work.frac * ki)}w"
        else:
            run = s.sport == "Run"
            per, unit, pace = (1000, "km", RUN_PACE) if run else (100, "100m", SWIM_PACE)
            secs = round(per / (pace * work.frac * ki))
            value = f"{secs // 60}:{secs % 60:02d}/{unit}"
        out.append(f"{reps}x {_dur(work.secs * kt)} {value}")
    return out


def _activity(s: Session, start: datetime, act_id: str, rng: random.Random) -> dict:
    """One completed activity in the API's Activity shape, derived from its workout text."""
    kt, ki = (1.0, 1.0) if s.race else (rng.uniform(0.94, 1.06), rng.uniform(0.97, 1.03))
    fixed = s.sport == "Swim"  # pool distance is what was planned; other distances scale
    steps = [Step(st.secs * kt, st.frac * ki, st.metres * (1 if fixed else kt * ki))
             for st in _flat(s)]
    secs, intensity, metres = _totals(steps)
    moving, base = round(secs), "Ride" if s.sport.endswith("Ride") else s.sport
    rpe = max(1, min(10, round(2 + (intensity - 0.55) * 14 + moving / 7200 + rng.gauss(0, 0.6))))
    load, has_hr = _load(moving, intensity), base != "Swim" or rng.random() > 0.1  # some lack HR
    a: dict[str, object] = {
        "id": act_id, "icu_athlete_id": DEMO_ATHLETE_ID, "start_date_local": start.isoformat(),
        "start_date": _utc(start), "timezone": TIMEZONE, "type": s.sport, "name": s.name,
        "source": "ZWIFT" if s.sport == "VirtualRide" and rng.random() < 0.75 else "GARMIN_CONNECT",
        "external_id": str(22_000_000_000 + int(act_id[1:])), "file_type": "fit",
        "moving_time": moving, "icu_training_load": load, "has_heartrate": has_hr,
        "icu_intensity": round(intensity * 100, 2), "trainer": s.sport == "VirtualRide",
        "commute": False, "race": s.race, "icu_rpe": rpe, "session_rpe": rpe * moving // 60,
        "feel": rng.choices([1, 2, 3, 4, 5], [2, 5, 3, 1, 0.3])[0], "lthr": LTHR[base],
        "athlete_max_hr": MAX_HR[base], "icu_resting_hr": 48,
    }
    if has_hr:
        a |= _heart_rate(steps, base, moving, load, rng)
    a |= (_ride_fields if base == "Ride" else _paced_fields)(s, steps, moving, intensity, rng)
    if summary := _summary(s, kt, ki):
        a["interval_summary"] = summary
    return a


def _heart_rate(steps: list[Step], base: str, moving: int, load: int, rng: random.Random) -> dict:
    """Heart-rate fields: each step's HR follows its intensity, offset a little per day."""
    offset = rng.gauss(0, 2.5)
    hrs = [min(MAX_HR[base] - 2, LTHR[base] * (0.5 + 0.5 * st.frac) + offset) for st in steps]
    avg = sum(h * st.secs for h, st in zip(hrs, steps, strict=True)) / sum(st.secs for st in steps)
    parts = [(st.secs, h) for h, st in zip(hrs, steps, strict=True)]
    return {
        "average_heartrate": round(avg),
        "max_heartrate": min(MAX_HR[base], round(max(hrs) + rng.uniform(4, 10))),
        "icu_hr_zones": HR_ZONES[base],
        "icu_hr_zone_times": _zone_secs(parts, HR_ZONES[base], moving),
        "hr_load": round(load * rng.uniform(0.85, 1.05)), "hr_load_type": "HRSS",
    }


def _ride_fields(s: Session, steps: list[Step], moving: int, intensity: float,
                 rng: random.Random) -> dict:
    """Power, speed and power-zone fields of a ride."""
    indoor = s.sport == "VirtualRide"
    mean = sum(st.secs * st.frac for st in steps) / sum(st.secs for st in steps)
    norm, avg = round(FTP * intensity), round(FTP * mean * (1.0 if indoor else 0.95))
    speed = (6.5 if indoor else 5.5) + 3.5 * intensity + rng.gauss(0, 0.3)
    km = speed * moving / 1000
    zones = _zone_secs([(st.secs, st.frac * 100) for st in steps], POWER_ZONES, moving)
    sweet = sum(st.secs for st in steps if 0.84 <= st.frac <= 0.97)
    pause = rng.randint(0, 60) if indoor else round(moving * rng.uniform(0.03, 0.1))
    return {
        "distance": round(km * 1000, 1), "icu_distance": round(km * 1000, 1),
        "elapsed_time": moving + pause, "average_speed": round(speed, 3),
        "total_elevation_gain": round(km * rng.uniform(*((3, 8) if indoor else (6, 14))), 1),
        "max_speed": round(speed * (1.4 if indoor else 2.0), 2),
        "device_name": "Zwift" if indoor else "Garmin Edge 840", "device_watts": True,
        "icu_ftp": FTP, "icu_average_watts": avg, "icu_weighted_avg_watts": norm,
        "icu_variability_index": round(norm / avg, 3), "icu_joules": avg * moving,
        "power_load": _load(moving, intensity), "icu_power_zones": POWER_ZONES,
        "icu_zone_times": [{"id": f"Z{i + 1}", "secs": v} for i, v in enumerate(zones)]
        + [{"id": "SS", "secs": round(sweet)}],
        "average_cadence": round(rng.uniform(84, 92), 1), "calories": round(avg * moving / 1000),
    }


def _paced_fields(s: Session, steps: list[Step], moving: int, intensity: float,
                  rng: random.Random) -> dict:
    """Distance, pace and pace-zone fields of a run or a swim."""
    swim, metres = s.sport == "Swim", sum(st.metres for st in steps)
    threshold, speed = SWIM_PACE if swim else RUN_PACE, metres / moving
    parts = [(st.secs, st.frac * 100) for st in steps if st.metres]
    cadence = rng.uniform(26, 32) if swim else rng.uniform(84, 89)
    out = {
        "distance": round(metres, 1), "icu_distance": round(metres, 1),
        "elapsed_time": round(moving * (rng.uniform(1.15, 1.3) if swim else rng.uniform(1, 1.04))),
        "average_speed": round(speed, 3), "pace": round(speed, 3),
        "max_speed": round(speed * 1.3, 2), "device_name": "Garmin Forerunner 965",
        "total_elevation_gain": 0.0 if swim else round(metres / 1000 * rng.uniform(4, 12), 1),
        "threshold_pace": threshold, "pace_zones": PACE_ZONES,
        "pace_zone_times": _zone_secs(parts, PACE_ZONES, moving),
        "pace_load": _load(moving, intensity), "pace_load_type": "SWIM" if swim else "RUN",
        "average_cadence": round(cadence, 1),
        "calories": round(moving / 3600 * 520 * intensity if swim else metres / 1000 * 70),
    }
    if swim and not s.race:
        out |= {"pool_length": 25.0, "lengths": round(metres / 25)}
    if not swim:
        out |= {"average_stride": round(speed * 60 / (cadence * 2), 2), "gap_model": "STRAVA_RUN"}
    return out


def _strava_stub(d: date) -> dict:
    """A Strava-imported activity as the API returns it: an empty stub."""
    return {"id": str(17_000_000_000 + d.toordinal() * 13), "icu_athlete_id": DEMO_ATHLETE_ID,
            "start_date_local": f"{d.isoformat()}T17:30:00", "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API"}


def _event(event_id: int, d: date, seed: int, **fields: object) -> dict:
    """A calendar event in the API's Event shape."""
    uid = uuid.UUID(int=random.Random(seed * 7919 + event_id).getrandbits(128), version=4)
    return {
        "id": event_id, "uid": str(uid), "athlete_id": DEMO_ATHLETE_ID,
        "start_date_local": f"{d.isoformat()}T00:00:00",
        "end_date_local": f"{(d + timedelta(days=1)).isoformat()}T00:00:00",
        "indoor": False, "color": None, "target": "AUTO", "external_id": None,
    } | fields


def _workout_event(s: Session, d: date, event_id: int, seed: int) -> dict:
    """A planned WORKOUT event with its workout text and the numbers the server derives."""
    secs, intensity, metres = _totals(_flat(s))
    ride = s.sport.endswith("Ride")
    return _event(
        event_id, d, seed, category="WORKOUT", type="Ride" if ride else s.sport, name=s.name,
        description=s.text, indoor=s.sport == "VirtualRide", moving_time=round(secs),
        distance=None if ride else round(metres, 1), icu_training_load=_load(secs, intensity),
        icu_intensity=round(intensity * 100, 1), icu_ftp=FTP if ride else None,
    )


def _race_event(today: date, event_id: int, seed: int) -> dict:
    """The A race on the Sunday ~8 weeks ahead; typed Ride because the bike leg is the longest."""
    ahead = today + timedelta(days=56)
    return _event(
        event_id, ahead + timedelta(days=(6 - ahead.weekday()) % 7), seed, category="RACE_A",
        type="Ride", name="Demo Olympic Triathlon (1.5k swim, 40k bike, 10k run)",
        description="A race of the season. Goal: under 2:30.", moving_time=9000,
        distance=51500.0, icu_training_load=None, icu_intensity=None, icu_ftp=None,
    )


def _body(d: date, form: float, yesterday: float, run_km: float, rng: random.Random) -> dict:
    """Body, sleep and subjective wellness of one day; `form` is ATL − CTL (fatigue up = worse)."""
    weekend, doy = d.weekday() >= 5, d.timetuple().tm_yday
    rhr = min(62, max(41, round(47 + 0.15 * form + rng.gauss(0, 1.2))))
    sleep = min(34200, max(18000, round(rng.gauss(26400 + 1800 * weekend, 2400) / 60) * 60))
    score = round(min(98, max(40, 55 + (sleep - 21600) / 240 + rng.gauss(0, 5))))
    fatigue = round(min(4, max(0, form / 10 + 1 + rng.gauss(0, 0.6))))
    clock, hrv = f"{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}", rng.gauss(0, 5)
    out = {
        "updated": f"{d.isoformat()}T20:{clock}.000+00:00",
        "weight": round(70 + 0.8 * math.cos(2 * math.pi * (doy - 20) / 365.25)
                        + 0.3 * math.sin(d.toordinal() / 9) + rng.gauss(0, 0.25), 1),
        "restingHR": rhr, "hrv": float(round(max(38, 72 - 0.3 * form - yesterday / 25 + hrv))),
        "hrvSDNN": None, "sleepSecs": sleep, "sleepScore": float(score),
        "sleepQuality": 1 if score >= 85 else 2 if score >= 72 else 3 if score >= 60 else 4,
        "avgSleepingHR": float(rhr + rng.randint(2, 5)),
        "soreness": round(min(4, max(0, yesterday / 80 + rng.gauss(0, 0.6)))), "fatigue": fatigue,
        "stress": round(min(4, max(0, rng.gauss(0.6 if weekend else 1.3, 0.7)))),
        "mood": round(min(4, max(1, 1.8 + 0.3 * fatigue + rng.gauss(0, 0.6)))),
        "motivation": round(min(4, max(1, 1.6 + 0.3 * fatigue + rng.gauss(0, 0.6)))),
        "injury": None, "spO2": None, "readiness": None, "vo2max": None, "comments": None,
        "steps": max(2000, round(rng.gauss(9000, 2500) + run_km * 1300)),
        "kcalConsumed": None, "locked": None,
    }
    if rng.random() < 0.03:  # watch not worn overnight
        out |= dict.fromkeys(("hrv", "sleepSecs", "sleepScore", "sleepQuality", "avgSleepingHR"))
    if rng.random() < 0.1:  # questionnaire not filled in
        out |= dict.fromkeys(("soreness", "fatigue", "stress", "mood", "motivation"))
    return out


def _wellness(start: date, days: int, acts: list[dict], seed: int) -> list[dict]:
    """One record per day of history plus today (model fields only), CTL/ATL by 42/7-day EWMA."""
    loads: dict[str, int] = {}
    run_km: dict[str, float] = {}
    for a in acts:
        day = a["start_date_local"][:10]
        loads[day] = loads.get(day, 0) + a.get("icu_training_load", 0)
        if a.get("type") == "Run":
            run_km[day] = run_km.get(day, 0.0) + a["distance"] / 1000
    ctl, atl, history, out = CTL_START, ATL_START, [CTL_START] * 7, []
    for i in range(days + 1):
        d = start + timedelta(days=i)
        key, rng = d.isoformat(), random.Random(seed * 1_000_003 + d.toordinal() * 2 + 1)
        load = loads.get(key, 0)
        ctl, atl = ctl + (load - ctl) / 42, atl + (load - atl) / 7
        history.append(ctl)
        eftp = round(FTP + 0.4 * (ctl - 55) + rng.gauss(0, 0.8), 1)
        body = _body(d, atl - ctl, loads.get((d - timedelta(days=1)).isoformat(), 0),
                     run_km.get(key, 0.0), rng)
        out.append({
            "id": key, "ctl": round(ctl, 2), "atl": round(atl, 2),
            "rampRate": round(ctl - history[-8], 2), "ctlLoad": float(load), "atlLoad": float(load),
            "sportInfo": [{"type": "Ride", "eftp": eftp, "wPrime": 18000.0, "pMax": 820.0}],
        } | (dict.fromkeys(body) if i == days else body))
    return out


def _athlete(weight: float) -> dict:
    """The athlete profile with sportSettings, as GET /api/v1/athlete/0 returns it."""
    common = {"athlete_id": DEMO_ATHLETE_ID, "hr_load_type": "HRSS", "load_order": "PACE_HR_POWER"}
    paced = common | {"pace_zones": PACE_ZONES}
    ride = common | {
        "id": 900001, "types": ["Ride", "VirtualRide", "MountainBikeRide", "GravelRide"],
        "ftp": FTP, "indoor_ftp": 245, "w_prime": 18000, "p_max": 820, "lthr": 165, "max_hr": 185,
        "power_zones": POWER_ZONES, "sweet_spot_min": 84, "sweet_spot_max": 97,
        "power_zone_names": ["Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max",
                             "Anaerobic", "Neuromuscular"],
        "hr_zones": HR_ZONES["Ride"], "load_order": "POWER_HR_PACE", "warmup_time": 1200,
    }
    run = paced | {
        "id": 900002, "types": ["Run", "VirtualRun", "TrailRun"], "lthr": 170, "max_hr": 190,
        "threshold_pace": RUN_PACE, "pace_units": "MINS_KM", "pace_load_type": "RUN",
        "gap_model": "STRAVA_RUN", "hr_zones": HR_ZONES["Run"],
    }
    swim = paced | {
        "id": 900003, "types": ["Swim", "OpenWaterSwim"], "lthr": 160, "max_hr": 180,
        "threshold_pace": SWIM_PACE, "pace_units": "SECS_100M", "pace_load_type": "SWIM",
        "hr_zones": HR_ZONES["Swim"],
    }
    return {
        "id": DEMO_ATHLETE_ID, "name": "Alex Demo", "firstname": "Alex", "lastname": "Demo",
        "sex": "M", "city": "Valencia", "country": "Spain", "timezone": TIMEZONE, "locale": "en",
        "measurement_preference": "meters", "weight_pref_lb": False, "fahrenheit": False,
        "icu_weight": weight, "icu_resting_hr": 48, "icu_date_of_birth": "1988-04-12",
        "plan": "FREE", "sportSettings": [ride, run, swim], "custom_items": [],
    }


def generate(today: date, *, days: int = 365, seed: int = 7) -> DemoData:
    """Build the demo athlete: `days` of history up to yesterday plus the calendar around today."""
    start = today - timedelta(days=days)
    stub_days = {start + timedelta(days=days * k // 4) for k in (1, 2, 3)}
    acts: list[dict] = []
    events: list[dict] = []
    for i in range(days + PLAN_AHEAD_DAYS):
        d = start + timedelta(days=i)
        rng = random.Random(seed * 1_000_003 + d.toordinal() * 2)  # per day: stable schedules
        sessions, cursor = _day_sessions(d, rng), None
        for slot, s in enumerate(sessions):
            event = None
            if s.planned and d >= today - timedelta(days=PLAN_PAST_DAYS):
                event = _workout_event(s, d, FIRST_EVENT_ID + len(events), seed)
                events.append(event)
            if d >= today or (not s.race and rng.random() < SKIP_CHANCE):
                continue
            begin = cursor or _start(d, slot, len(sessions), rng)
            a = _activity(s, begin, f"i{150_000_000 + (d.toordinal() - 730_000) * 10 + slot}", rng)
            if s.race:  # race legs follow each other after a short transition
                cursor = begin + timedelta(seconds=a["elapsed_time"] + 120)
            if event:
                done, planned = a["icu_training_load"], event["icu_training_load"]
                ratio = min(done, planned) / max(done, planned, 1)
                a |= {"paired_event_id": event["id"], "compliance": round(100 * ratio, 1)}
            acts.append(a)
        if d in stub_days and d < today:
            acts.append(_strava_stub(d))
    events.append(_race_event(today, FIRST_EVENT_ID + len(events), seed))
    wellness = _wellness(start, days, acts, seed)
    by_day = {w["id"]: w for w in wellness}
    for a in acts:
        if a["source"] != "STRAVA":
            w = by_day[a["start_date_local"][:10]]
            a |= {"icu_ctl": w["ctl"], "icu_atl": w["atl"]}
    acts.sort(key=lambda a: (a["start_date_local"], a["id"]), reverse=True)
    weight = next((w["weight"] for w in reversed(wellness) if w.get("weight")), 70.0)
    return DemoData(_athlete(weight), acts, wellness, events)


CURVE_SCALE = {"42d": 0.95, "84d": 0.97, "1y": 1.0, "all": 1.0}
POWER_SECS = (5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
RUN_METRES = (400, 1000, 1609, 5000, 10000, 21097)
SWIM_METRES = (100, 200, 400, 800, 1500)


def curves(sport: str) -> list[dict]:
    """Best-effort curves in the API's DataCurve shape: a critical-power model for rides, a
    Riegel-style speed decline for runs and swims, a little lower in the shorter periods."""
    out = []
    for period, scale in CURVE_SCALE.items():
        if sport == "Ride":
            watts = [round(min(900.0, 240 + 18000 / t) * scale) for t in POWER_SECS]
            out.append({"id": period, "label": period, "secs": list(POWER_SECS),
                        "values": watts})
        else:
            base, metres = (RUN_PACE, RUN_METRES) if sport == "Run" else (SWIM_PACE, SWIM_METRES)
            ref = 10000 if sport == "Run" else 1500
            secs = [round(d / (base * scale * (d / ref) ** -0.07)) for d in metres]
            out.append({"id": period, "label": period, "distance": list(metres),
                        "secs": secs, "values": secs})
    return out
