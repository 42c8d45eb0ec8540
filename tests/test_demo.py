"""Tests for the deterministic demo athlete (coach/demo/generator.py)."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from coach.demo import DEMO_ATHLETE_ID, DemoData, generate

TODAY = date(2026, 4, 16)
DAYS = 365
FIRST_EVENT_ID = 104600001
SPEC = Path(__file__).parent / "fixtures" / "intervals-openapi.json"
SPORTS = {"Ride", "VirtualRide", "Run", "Swim"}
REQUIRED = {
    "id", "icu_athlete_id", "start_date_local", "start_date", "timezone", "type", "name",
    "source", "distance", "moving_time", "elapsed_time", "total_elevation_gain", "average_speed",
    "has_heartrate", "icu_training_load", "icu_intensity", "average_cadence", "calories",
    "icu_rpe", "feel", "trainer", "commute", "race", "lthr", "icu_ctl", "icu_atl",
}
STUB_KEYS = {"id", "icu_athlete_id", "start_date_local", "source", "_note"}
DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
DISTANCE = re.compile(r"^\d+(?:mtr|km)$")


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate(TODAY, days=DAYS)


def real(activities: list[dict]) -> list[dict]:
    """Activities that are not Strava stubs."""
    return [a for a in activities if a["source"] != "STRAVA"]


def day_of(activity: dict) -> date:
    return date.fromisoformat(activity["start_date_local"][:10])


def weekly_hours(activities: list[dict]) -> dict[str, float]:
    """Moving hours per week, keyed by the week's Monday (ISO date)."""
    hours: dict[str, float] = defaultdict(float)
    for a in real(activities):
        monday = day_of(a) - timedelta(days=day_of(a).weekday())
        hours[monday.isoformat()] += a["moving_time"] / 3600
    return dict(hours)


def full_weeks(activities: list[dict], start: date, today: date) -> list[float]:
    """Hours of the weeks that lie wholly inside the history."""
    hours = weekly_hours(activities)
    first = start + timedelta(days=(7 - start.weekday()) % 7)
    mondays = [first + timedelta(weeks=i) for i in range((today - first).days // 7)]
    return [hours.get(m.isoformat(), 0.0) for m in mondays]


def step_secs(token: str) -> int:
    """Seconds of a duration token such as 1h30m or 5m30s."""
    match = DURATION.match(token)
    assert match, token
    h, m, s = match.groups()
    return int(h or 0) * 3600 + int(m or 0) * 60 + int(s or 0)


# ---- determinism and bounds ---------------------------------------------------------------------


def test_same_inputs_give_identical_output() -> None:
    first = json.dumps(dataclasses.asdict(generate(TODAY)), sort_keys=True)
    again = json.dumps(dataclasses.asdict(generate(TODAY)), sort_keys=True)
    assert first == again
    other_seed = generate(TODAY, seed=8).activities
    assert json.dumps(other_seed) != json.dumps(generate(TODAY).activities)


@pytest.mark.parametrize("today", [TODAY, date(2025, 10, 26), date(2026, 3, 29), date(2027, 1, 1)])
def test_history_runs_from_days_ago_to_yesterday(today: date) -> None:
    demo = generate(today, days=DAYS)
    start = today - timedelta(days=DAYS)
    assert all(start <= day_of(a) < today for a in demo.activities)
    ids = [w["id"] for w in demo.wellness]
    assert ids == [(start + timedelta(days=i)).isoformat() for i in range(DAYS + 1)]
    past = [e for e in demo.events if e["start_date_local"] < today.isoformat()]
    assert all(e["start_date_local"] >= (today - timedelta(days=21)).isoformat() for e in past)


def test_activities_are_newest_first(data: DemoData) -> None:
    starts = [a["start_date_local"] for a in data.activities]
    assert starts == sorted(starts, reverse=True)


def test_short_history_still_works() -> None:
    demo = generate(TODAY, days=30)
    assert len(demo.wellness) == 31
    assert 15 <= len(demo.activities) <= 45


def test_generator_imports_only_the_standard_library_and_the_workout_checker() -> None:
    source = Path(__file__).parents[1] / "coach" / "demo" / "generator.py"
    tree = ast.parse(source.read_text())
    names = {alias.name.split(".")[0] for node in ast.walk(tree)
             if isinstance(node, ast.Import) for alias in node.names}
    names |= {node.module.split(".")[0] for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module}
    assert names <= {"__future__", "dataclasses", "datetime", "functools", "math", "random",
                     "uuid", "coach"}


# ---- activities ---------------------------------------------------------------------------------


def test_every_activity_has_the_api_fields(data: DemoData) -> None:
    for a in real(data.activities):
        assert REQUIRED <= a.keys(), a["id"]
        assert a["type"] in SPORTS
        assert re.fullmatch(r"i\d+", a["id"])
        assert a["icu_athlete_id"] == DEMO_ATHLETE_ID
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", a["start_date_local"])
        assert a["elapsed_time"] >= a["moving_time"] > 0
        assert 1 <= a["icu_rpe"] <= 10 and 1 <= a["feel"] <= 5
        assert a["commute"] is False


def test_start_date_is_the_same_instant_in_utc(data: DemoData) -> None:
    for a in real(data.activities):
        local = datetime.fromisoformat(a["start_date_local"])
        utc = datetime.fromisoformat(a["start_date"].removesuffix("Z"))
        summer = date(local.year, 4, 1) <= local.date() < date(local.year, 10, 25)
        winter = local.month in (11, 12, 1, 2)
        assert (local - utc) in (timedelta(hours=1), timedelta(hours=2))
        assert not summer or local - utc == timedelta(hours=2)
        assert not winter or local - utc == timedelta(hours=1)


def test_exactly_three_strava_stubs_in_the_api_stub_shape(data: DemoData) -> None:
    stubs = [a for a in data.activities if a["source"] == "STRAVA"]
    assert len(stubs) == 3
    for stub in stubs:
        assert stub.keys() == STUB_KEYS
        assert stub["id"].isdigit()
    months = {stub["start_date_local"][:7] for stub in stubs}
    assert len(months) == 3


def test_power_rides_have_zone_times_that_add_up(data: DemoData) -> None:
    rides = [a for a in real(data.activities) if a["type"] in ("Ride", "VirtualRide")]
    assert any(a["trainer"] and a["source"] == "ZWIFT" for a in rides)
    for a in rides:
        zones = {z["id"]: z["secs"] for z in a["icu_zone_times"]}
        assert list(zones) == ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7", "SS"]
        assert sum(zones[f"Z{i}"] for i in range(1, 8)) == a["moving_time"]
        assert a["device_watts"] and a["icu_ftp"] == 250
        assert a["icu_weighted_avg_watts"] >= a["icu_average_watts"]
        assert a["icu_intensity"] == pytest.approx(100 * a["icu_weighted_avg_watts"] / 250, abs=0.3)


def test_zone_times_cover_moving_time(data: DemoData) -> None:
    for a in real(data.activities):
        if a["has_heartrate"]:
            assert sum(a["icu_hr_zone_times"]) == a["moving_time"]
            assert a["average_heartrate"] <= a["max_heartrate"]
        if a["type"] in ("Run", "Swim"):
            assert sum(a["pace_zone_times"]) == a["moving_time"]


def test_swims_are_pool_swims_in_metres(data: DemoData) -> None:
    swims = [a for a in real(data.activities) if a["type"] == "Swim" and not a["race"]]
    assert swims
    for a in swims:
        assert a["pool_length"] == 25.0
        assert a["lengths"] * 25 == a["distance"]
    assert any(not a["has_heartrate"] for a in swims)


def test_load_follows_duration_and_intensity(data: DemoData) -> None:
    for a in real(data.activities):
        expected = a["moving_time"] / 3600 * (a["icu_intensity"] / 100) ** 2 * 100
        assert a["icu_training_load"] == pytest.approx(expected, abs=1)


def test_some_races_and_interval_summaries(data: DemoData) -> None:
    acts = real(data.activities)
    assert 2 <= sum(a["race"] for a in acts) <= 8
    assert any(a.get("interval_summary") for a in acts)


def test_activity_ids_are_unique(data: DemoData) -> None:
    ids = [a["id"] for a in data.activities]
    assert len(ids) == len(set(ids))


def test_a_year_has_a_plausible_number_of_activities(data: DemoData) -> None:
    assert 300 <= len(data.activities) <= 380
    types = {a.get("type") for a in data.activities}
    assert SPORTS <= types


# ---- volume -------------------------------------------------------------------------------------


def test_weekly_hours_are_plausible(data: DemoData) -> None:
    weeks = full_weeks(data.activities, TODAY - timedelta(days=DAYS), TODAY)
    assert len(weeks) >= 50
    assert sum(5 <= h <= 14 for h in weeks) >= 0.9 * len(weeks)
    assert 8 <= sum(weeks) / len(weeks) <= 11


def test_summer_weeks_carry_more_volume_than_winter() -> None:
    demo = generate(date(2026, 10, 1))
    hours = weekly_hours(demo.activities)
    summer = [h for monday, h in hours.items() if monday[5:7] in ("05", "06", "07")]
    winter = [h for monday, h in hours.items() if monday[5:7] in ("11", "12", "01")]
    assert sum(summer) / len(summer) > sum(winter) / len(winter)


def test_most_weeks_have_a_rest_day(data: DemoData) -> None:
    days_trained = defaultdict(set)
    for a in real(data.activities):
        days_trained[day_of(a) - timedelta(days=day_of(a).weekday())].add(day_of(a))
    weeks = list(days_trained.values())[1:-1]
    assert sum(len(days) <= 6 for days in weeks) >= 0.6 * len(weeks)


# ---- wellness and fitness -----------------------------------------------------------------------


def test_ctl_atl_follow_the_recurrence_of_daily_loads(data: DemoData) -> None:
    loads: dict[str, int] = defaultdict(int)
    for a in real(data.activities):
        loads[a["start_date_local"][:10]] += a["icu_training_load"]
    ctl = atl = 45.0
    for w in data.wellness:
        load = loads.get(w["id"], 0)
        ctl += (load - ctl) / 42
        atl += (load - atl) / 7
        assert w["ctl"] == pytest.approx(ctl, abs=0.05), w["id"]
        assert w["atl"] == pytest.approx(atl, abs=0.05), w["id"]
        assert w["ctlLoad"] == w["atlLoad"] == load


def test_ramp_rate_is_the_change_over_seven_days(data: DemoData) -> None:
    for before, now in zip(data.wellness, data.wellness[7:], strict=False):
        assert now["rampRate"] == pytest.approx(now["ctl"] - before["ctl"], abs=0.02)


def test_activity_fitness_equals_wellness_of_that_day(data: DemoData) -> None:
    by_day = {w["id"]: w for w in data.wellness}
    for a in real(data.activities):
        w = by_day[a["start_date_local"][:10]]
        assert (a["icu_ctl"], a["icu_atl"]) == (w["ctl"], w["atl"])


def test_wellness_values_are_in_range_with_a_few_gaps(data: DemoData) -> None:
    history = data.wellness[:-1]
    for w in history:
        assert 66 <= w["weight"] <= 74 and 40 <= w["restingHR"] <= 62
        assert w["sportInfo"][0]["type"] == "Ride" and w["sportInfo"][0]["eftp"] > 200
        if w["hrv"] is not None:
            assert 35 <= w["hrv"] <= 110
            assert 1 <= w["sleepQuality"] <= 4
        if w["fatigue"] is not None:
            assert all(0 <= w[k] <= 4 for k in ("soreness", "fatigue", "stress"))
            assert all(1 <= w[k] <= 4 for k in ("mood", "motivation"))
    assert 1 <= sum(w["hrv"] is None for w in history) <= 30
    assert 55 <= sum(w["hrv"] for w in history if w["hrv"]) / len(history) <= 85


def test_today_has_only_the_fitness_model(data: DemoData) -> None:
    today = data.wellness[-1]
    assert today["id"] == TODAY.isoformat()
    assert today["ctl"] > 0 and today["atl"] > 0
    assert today["weight"] is None and today["hrv"] is None and today["sleepSecs"] is None


def test_hrv_is_lower_after_hard_days(data: DemoData) -> None:
    loads: dict[str, int] = defaultdict(int)
    for a in real(data.activities):
        loads[a["start_date_local"][:10]] += a["icu_training_load"]
    after_hard: list[float] = []
    after_easy: list[float] = []
    for before, w in zip(data.wellness, data.wellness[1:], strict=False):
        if w["hrv"] is not None:
            (after_hard if loads[before["id"]] >= 120 else after_easy).append(w["hrv"])
    assert sum(after_hard) / len(after_hard) < sum(after_easy) / len(after_easy)


# ---- events -------------------------------------------------------------------------------------


def workouts(data: DemoData) -> list[dict]:
    return [e for e in data.events if e["category"] == "WORKOUT"]


def test_workout_descriptions_are_valid_workout_text(data: DemoData) -> None:
    for e in workouts(data):
        lines = e["description"].split("\n")
        assert e["description"].strip()
        for i, line in enumerate(lines):
            if line.startswith("-"):
                token = line[2:].split()[0]
                assert line.startswith("- ") and (DURATION.match(token) or DISTANCE.match(token))
                assert len(line.split()) >= 3, line  # a target follows the duration
            elif re.search(r"\d+x$", line):  # a repeat opens a block after a blank line
                assert i == 0 or lines[i - 1] == "", e["description"]
                end = lines.index("", i) if "" in lines[i:] else len(lines)
                assert all(x.startswith("- ") for x in lines[i + 1:end])


def test_swims_use_mtr_and_runs_and_swims_use_pace_targets(data: DemoData) -> None:
    texts = {e["type"]: e["description"] for e in workouts(data)}
    assert "mtr" in texts["Swim"] and "Pace" in texts["Swim"]
    assert not re.search(r"\b\d{3,}m\b", texts["Swim"])  # metres never written as "m"
    run_texts = " ".join(e["description"] for e in workouts(data) if e["type"] == "Run")
    assert "Pace" in run_texts
    assert any(" HR" in e["description"] for e in workouts(data))  # recovery-week easy run


def test_ride_moving_time_matches_the_text(data: DemoData) -> None:
    for e in (e for e in workouts(data) if e["type"] == "Ride"):
        total, reps = 0, 1
        for line in e["description"].split("\n"):
            if not line:
                reps = 1
            elif m := re.search(r"(\d+)x$", line):
                reps = int(m[1])
            elif line.startswith("- "):
                total += reps * step_secs(line[2:].split()[0])
        assert total == e["moving_time"], e["name"]


def test_events_have_api_fields_and_stable_ids(data: DemoData) -> None:
    ids = [e["id"] for e in data.events]
    assert ids == list(range(FIRST_EVENT_ID, FIRST_EVENT_ID + len(ids)))
    assert len({e["uid"] for e in data.events}) == len(ids)
    for e in workouts(data):
        assert e["start_date_local"].endswith("T00:00:00")
        assert e["athlete_id"] == DEMO_ATHLETE_ID
        assert e["type"] in {"Ride", "Run", "Swim"} and e["name"]
        assert e["moving_time"] > 0 and e["icu_training_load"] > 0


def test_next_three_weeks_are_planned_at_about_five_a_week(data: DemoData) -> None:
    ahead = [e for e in workouts(data) if e["start_date_local"] >= TODAY.isoformat()]
    last = (TODAY + timedelta(days=21)).isoformat()
    assert all(e["start_date_local"] < last for e in ahead)
    assert 12 <= len(ahead) <= 18


def test_one_a_race_about_eight_weeks_ahead(data: DemoData) -> None:
    races = [e for e in data.events if e["category"] == "RACE_A"]
    assert len(races) == 1
    race_day = date.fromisoformat(races[0]["start_date_local"][:10])
    assert 52 <= (race_day - TODAY).days <= 63
    assert "Triathlon" in races[0]["name"]


def test_past_workouts_are_mostly_done_and_paired(data: DemoData) -> None:
    events = {e["id"]: e for e in data.events}
    paired = [a for a in data.activities if "paired_event_id" in a]
    for a in paired:
        event = events[a["paired_event_id"]]
        assert event["start_date_local"][:10] == a["start_date_local"][:10]
        assert event["name"] == a["name"]
        assert 0 < a["compliance"] <= 100
    past = [e for e in workouts(data) if e["start_date_local"] < TODAY.isoformat()]
    assert len(past) >= 12
    assert len({a["paired_event_id"] for a in paired}) >= 0.75 * len(past)
    assert len(paired) == len({a["paired_event_id"] for a in paired})


# ---- shapes against the official OpenAPI document -----------------------------------------------


JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
    "object": dict,
}


@pytest.fixture(scope="module")
def schemas() -> dict:
    return json.loads(SPEC.read_text())["components"]["schemas"]


def assert_matches(record: dict, schemas: dict, schema_name: str) -> None:
    """Every key is a property of the schema and every non-null value has its JSON type."""
    props = schemas[schema_name]["properties"]
    for key, value in record.items():
        assert key in props, f"{schema_name}.{key} is not an API field"
        expected = props[key].get("type")
        if value is None or expected is None:
            continue
        assert isinstance(value, JSON_TYPES[expected]), f"{schema_name}.{key}={value!r}"
        assert not (expected in ("integer", "number") and isinstance(value, bool)), key


def test_shapes_match_the_openapi_schemas(data: DemoData, schemas: dict) -> None:
    for a in data.activities:
        assert_matches(a, schemas, "Hidden" if a["source"] == "STRAVA" else "Activity")
    for w in data.wellness:
        assert_matches(w, schemas, "Wellness")
    for e in data.events:
        assert_matches(e, schemas, "Event")
    assert_matches(data.athlete, schemas, "WithSportSettings")
    for settings in data.athlete["sportSettings"]:
        assert_matches(settings, schemas, "SportSettings")


def test_athlete_settings(data: DemoData) -> None:
    athlete = data.athlete
    assert athlete["id"] == DEMO_ATHLETE_ID and athlete["timezone"] == "Europe/Madrid"
    ride, run, swim = athlete["sportSettings"]
    assert (ride["ftp"], ride["lthr"], ride["max_hr"]) == (250, 165, 185)
    assert ride["power_zones"] == [55, 75, 90, 105, 120, 150, 999]
    assert ride["hr_zones"][-1] == ride["max_hr"]
    assert (run["threshold_pace"], run["pace_units"], run["lthr"]) == (3.70, "MINS_KM", 170)
    assert run["hr_zones"][-1] == run["max_hr"] == 190
    assert (swim["threshold_pace"], swim["pace_units"], swim["max_hr"]) == (1.0, "SECS_100M", 180)
