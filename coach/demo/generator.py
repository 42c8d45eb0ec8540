"""Deterministic demo athlete: a year of triathlon training in Intervals.icu API JSON shapes.

Pure (no I/O). Every dict mirrors what the real API returns (reference §7),
so the app reads demo data with the same code as real responses. Each session is written as
Intervals.icu workout text first; durations, distances and loads are derived from that text by
the same checker that validates the coach's proposals (`coach.workout`).
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from coach.demo.activities import activity_json, start_time, strava_stub
from coach.demo.sessions import (
    ATL_START,
    CTL_START,
    DEMO_ATHLETE_ID,
    FIRST_EVENT_ID,
    FTP,
    HR_ZONES,
    PACE_ZONES,
    PLAN_AHEAD_DAYS,
    PLAN_PAST_DAYS,
    POWER_ZONES,
    RUN_PACE,
    SKIP_CHANCE,
    SWIM_PACE,
    TIMEZONE,
    Session,
    day_sessions,
    flat,
    load_of,
    totals_of,
)


@dataclass(frozen=True)
class DemoData:
    """The demo athlete's profile, activities (newest first), wellness (by date) and events."""

    athlete: dict
    activities: list[dict]
    wellness: list[dict]
    events: list[dict]


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
    secs, intensity, metres = totals_of(flat(s))
    ride = s.sport.endswith("Ride")
    return _event(
        event_id, d, seed, category="WORKOUT", type="Ride" if ride else s.sport, name=s.name,
        description=s.text, indoor=s.sport == "VirtualRide", moving_time=round(secs),
        distance=None if ride else round(metres, 1), icu_training_load=load_of(secs, intensity),
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
        sessions, cursor = day_sessions(d, rng), None
        for slot, s in enumerate(sessions):
            event = None
            if s.planned and d >= today - timedelta(days=PLAN_PAST_DAYS):
                event = _workout_event(s, d, FIRST_EVENT_ID + len(events), seed)
                events.append(event)
            if d >= today or (not s.race and rng.random() < SKIP_CHANCE):
                continue
            begin = cursor or start_time(d, slot, len(sessions), rng)
            act_id = f"i{150_000_000 + (d.toordinal() - 730_000) * 10 + slot}"
            a = activity_json(s, begin, act_id, rng)
            if s.race:  # race legs follow each other after a short transition
                cursor = begin + timedelta(seconds=a["elapsed_time"] + 120)
            if event:
                done, planned = a["icu_training_load"], event["icu_training_load"]
                ratio = min(done, planned) / max(done, planned, 1)
                a |= {"paired_event_id": event["id"], "compliance": round(100 * ratio, 1)}
            acts.append(a)
        if d in stub_days and d < today:
            acts.append(strava_stub(d))
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
