"""A completed session as the API's Activity JSON: power, heart rate, pace, zone times and the
interval summary, derived from its workout text with a little day-to-day variation."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from coach.demo.sessions import (
    DEMO_ATHLETE_ID,
    FTP,
    HR_ZONES,
    LTHR,
    MAX_HR,
    PACE_ZONES,
    POWER_ZONES,
    RUN_PACE,
    SWIM_PACE,
    TIMEZONE,
    Session,
    Step,
    blocks,
    dur,
    flat,
    load_of,
    totals_of,
)


def start_time(d: date, slot: int, count: int, rng: random.Random) -> datetime:
    """Local start: weekdays in the evening (a swim first on double days), weekends later."""
    weekend = d.weekday() >= 5
    first = 8.5 if weekend else 7.0 if count > 1 else 18.0
    hour = (17.0 if weekend else 18.5) if slot else first
    return datetime.combine(d, time()) + timedelta(seconds=hour * 3600 + rng.randint(0, 2700))


def utc(local: datetime) -> str:
    """Europe/Madrid local time as UTC "Z" (EU summer time: last Sunday Mar..last Sunday Oct)."""
    ends = [date(local.year, m, 31) for m in (3, 10)]
    start, end = (e - timedelta(days=(e.weekday() + 1) % 7) for e in ends)
    offset = 2 if start <= local.date() < end else 1
    return (local - timedelta(hours=offset)).isoformat() + "Z"


def zone_secs(parts: list[tuple[float, float]], bounds: list, total: int) -> list[int]:
    """Spread (seconds, value) over zones (80% own, 10% each neighbour), summing to `total`."""
    acc = [0.0] * len(bounds)
    for secs, value in parts:
        z = next(i for i, b in enumerate(bounds) if value <= b or i == len(bounds) - 1)
        for zz, share in ((z, 0.8), (max(z - 1, 0), 0.1), (min(z + 1, len(bounds) - 1), 0.1)):
            acc[zz] += secs * share
    out = [int(x * total / sum(acc)) for x in acc]
    out[out.index(max(out))] += total - sum(out)
    return out


def interval_summary(s: Session, kt: float, ki: float) -> list[str]:
    """Intervals.icu-style lines for repeat blocks, e.g. "3x 12m 226w" or "6x 3m9s 4:15/km"."""
    out = []
    for reps, steps in (block for block in blocks(s) if block[0] > 1):
        work = steps[0]
        if s.sport.endswith("Ride"):
            value = f"{round(FTP * work.frac * ki)}w"
        else:
            run = s.sport == "Run"
            per, unit, pace = (1000, "km", RUN_PACE) if run else (100, "100m", SWIM_PACE)
            secs = round(per / (pace * work.frac * ki))
            value = f"{secs // 60}:{secs % 60:02d}/{unit}"
        out.append(f"{reps}x {dur(work.secs * kt)} {value}")
    return out


def activity_json(s: Session, start: datetime, act_id: str, rng: random.Random) -> dict:
    """One completed activity in the API's Activity shape, derived from its workout text."""
    kt, ki = (1.0, 1.0) if s.race else (rng.uniform(0.94, 1.06), rng.uniform(0.97, 1.03))
    fixed = s.sport == "Swim"  # pool distance is what was planned; other distances scale
    steps = [Step(st.secs * kt, st.frac * ki, st.metres * (1 if fixed else kt * ki))
             for st in flat(s)]
    secs, intensity, metres = totals_of(steps)
    moving, base = round(secs), "Ride" if s.sport.endswith("Ride") else s.sport
    rpe = max(1, min(10, round(2 + (intensity - 0.55) * 14 + moving / 7200 + rng.gauss(0, 0.6))))
    load, has_hr = load_of(moving, intensity), base != "Swim" or rng.random() > 0.1  # some lack HR
    a: dict[str, object] = {
        "id": act_id, "icu_athlete_id": DEMO_ATHLETE_ID, "start_date_local": start.isoformat(),
        "start_date": utc(start), "timezone": TIMEZONE, "type": s.sport, "name": s.name,
        "source": "ZWIFT" if s.sport == "VirtualRide" and rng.random() < 0.75 else "GARMIN_CONNECT",
        "external_id": str(22_000_000_000 + int(act_id[1:])), "file_type": "fit",
        "moving_time": moving, "icu_training_load": load, "has_heartrate": has_hr,
        "icu_intensity": round(intensity * 100, 2), "trainer": s.sport == "VirtualRide",
        "commute": False, "race": s.race, "icu_rpe": rpe, "session_rpe": rpe * moving // 60,
        "feel": rng.choices([1, 2, 3, 4, 5], [2, 5, 3, 1, 0.3])[0], "lthr": LTHR[base],
        "athlete_max_hr": MAX_HR[base], "icu_resting_hr": 48,
    }
    if has_hr:
        a |= heart_rate(steps, base, moving, load, rng)
    a |= (ride_fields if base == "Ride" else paced_fields)(s, steps, moving, intensity, rng)
    if summary := interval_summary(s, kt, ki):
        a["interval_summary"] = summary
    return a


def heart_rate(steps: list[Step], base: str, moving: int, load: int, rng: random.Random) -> dict:
    """Heart-rate fields: each step's HR follows its intensity, offset a little per day."""
    offset = rng.gauss(0, 2.5)
    hrs = [min(MAX_HR[base] - 2, LTHR[base] * (0.5 + 0.5 * st.frac) + offset) for st in steps]
    avg = sum(h * st.secs for h, st in zip(hrs, steps, strict=True)) / sum(st.secs for st in steps)
    parts = [(st.secs, h) for h, st in zip(hrs, steps, strict=True)]
    return {
        "average_heartrate": round(avg),
        "max_heartrate": min(MAX_HR[base], round(max(hrs) + rng.uniform(4, 10))),
        "icu_hr_zones": HR_ZONES[base],
        "icu_hr_zone_times": zone_secs(parts, HR_ZONES[base], moving),
        "hr_load": round(load * rng.uniform(0.85, 1.05)), "hr_load_type": "HRSS",
    }


def ride_fields(s: Session, steps: list[Step], moving: int, intensity: float,
                 rng: random.Random) -> dict:
    """Power, speed and power-zone fields of a ride."""
    indoor = s.sport == "VirtualRide"
    mean = sum(st.secs * st.frac for st in steps) / sum(st.secs for st in steps)
    norm, avg = round(FTP * intensity), round(FTP * mean * (1.0 if indoor else 0.95))
    speed = (6.5 if indoor else 5.5) + 3.5 * intensity + rng.gauss(0, 0.3)
    km = speed * moving / 1000
    zones = zone_secs([(st.secs, st.frac * 100) for st in steps], POWER_ZONES, moving)
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
        "power_load": load_of(moving, intensity), "icu_power_zones": POWER_ZONES,
        "icu_zone_times": [{"id": f"Z{i + 1}", "secs": v} for i, v in enumerate(zones)]
        + [{"id": "SS", "secs": round(sweet)}],
        "average_cadence": round(rng.uniform(84, 92), 1), "calories": round(avg * moving / 1000),
    }


def paced_fields(s: Session, steps: list[Step], moving: int, intensity: float,
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
        "pace_zone_times": zone_secs(parts, PACE_ZONES, moving),
        "pace_load": load_of(moving, intensity), "pace_load_type": "SWIM" if swim else "RUN",
        "average_cadence": round(cadence, 1),
        "calories": round(moving / 3600 * 520 * intensity if swim else metres / 1000 * 70),
    }
    if swim and not s.race:
        out |= {"pool_length": 25.0, "lengths": round(metres / 25)}
    if not swim:
        out |= {"average_stride": round(speed * 60 / (cadence * 2), 2), "gap_model": "STRAVA_RUN"}
    return out


def strava_stub(d: date) -> dict:
    """A Strava-imported activity as the API returns it: an empty stub."""
    return {"id": str(17_000_000_000 + d.toordinal() * 13), "icu_athlete_id": DEMO_ATHLETE_ID,
            "start_date_local": f"{d.isoformat()}T17:30:00", "source": "STRAVA",
            "_note": "STRAVA activities are not available via the API"}
