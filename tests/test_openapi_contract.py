"""The OpenAPI contract checker itself, against the real Intervals.icu document in fixtures/."""

from __future__ import annotations

import copy
import json
import time
from typing import Any

import httpx
import pytest

from coach.testing.openapi import (
    OPTIONAL_PARAMS,
    QUIRKS,
    SPEC_PATH,
    Contract,
    ContractError,
    Operation,
)

A = "/api/v1/athlete/i123456"
NEW_EVENT = {
    "category": "WORKOUT",
    "start_date_local": "2026-03-14T00:00:00",
    "type": "Ride",
    "name": "x",
    "description": "- 10m 60%",
    "external_id": "abc",
}
WELLNESS_BODY = {"weight": 61.4, "restingHR": 47, "hrv": 72.0, "sleepSecs": 27360,
                 "soreness": 1, "comments": "slept badly", "locked": True}


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load()


@pytest.fixture(scope="module")
def raw_spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


# --- requests the client sends: (method, path, query, body) -> operationId, template -------------

KNOWN_GOOD: list[tuple[str, str, dict[str, Any], Any, str, str]] = [
    ("GET", "/api/v1/athlete/0", {}, None, "getAthlete", "/api/v1/athlete/{id}"),
    ("GET", f"{A}/activities", {"oldest": "2026-01-01", "newest": "2026-03-01T23:59:59"}, None,
     "listActivities", "/api/v1/athlete/{id}/activities"),
    ("GET", f"{A}/activities.csv", {}, None,
     "downloadActivitiesAsCSV", "/api/v1/athlete/{id}/activities.csv"),
    ("GET", f"{A}/wellness", {"oldest": "2026-01-01", "newest": "2026-03-01"}, None,
     "listWellnessRecords", "/api/v1/athlete/{id}/wellness{ext}"),
    ("GET", f"{A}/wellness.csv", {"oldest": "2026-01-01", "cols": "weight,hrv"}, None,
     "listWellnessRecords", "/api/v1/athlete/{id}/wellness{ext}"),
    ("GET", f"{A}/events", {"oldest": "2026-01-01", "newest": "2026-03-01"}, None,
     "listEvents", "/api/v1/athlete/{id}/events{format}"),
    ("GET", f"{A}/events.csv", {"category": ["WORKOUT", "NOTE"], "limit": "5"}, None,
     "listEvents", "/api/v1/athlete/{id}/events{format}"),
    ("GET", f"{A}/events/123", {}, None, "showEvent", "/api/v1/athlete/{id}/events/{eventId}"),
    ("POST", f"{A}/events", {}, NEW_EVENT, "createEvent", "/api/v1/athlete/{id}/events"),
    ("POST", f"{A}/events/bulk", {"upsert": "true"}, [NEW_EVENT],
     "createMultipleEvents", "/api/v1/athlete/{id}/events/bulk"),
    ("PUT", f"{A}/events/123", {}, {"start_date_local": "2026-03-15T00:00:00"},
     "updateEvent", "/api/v1/athlete/{id}/events/{eventId}"),
    ("PUT", f"{A}/events/bulk-delete", {}, [{"id": 123}, {"external_id": "abc"}],
     "deleteEventsBulk", "/api/v1/athlete/{id}/events/bulk-delete"),
    ("DELETE", f"{A}/events/123", {}, None,
     "deleteEvent", "/api/v1/athlete/{id}/events/{eventId}"),
    ("DELETE", f"{A}/events/123", {"others": "false"}, None,
     "deleteEvent", "/api/v1/athlete/{id}/events/{eventId}"),
    ("GET", f"{A}/power-curves", {"type": "Ride", "curves": "42d,84d,1y,all"}, None,
     "listAthletePowerCurves", "/api/v1/athlete/{id}/power-curves{ext}"),
    ("GET", f"{A}/power-curves.csv", {"type": "Ride", "curves": ["42d", "84d"]}, None,
     "listAthletePowerCurves", "/api/v1/athlete/{id}/power-curves{ext}"),
    ("GET", f"{A}/pace-curves", {"type": "Run", "curves": "42d,84d,1y,all", "gap": "true"}, None,
     "listAthletePaceCurves", "/api/v1/athlete/{id}/pace-curves{ext}"),
    ("GET", f"{A}/hr-curves", {"type": "Ride", "curves": "42d"}, None,
     "listAthleteHRCurves", "/api/v1/athlete/{id}/hr-curves{ext}"),
    ("GET", "/api/v1/athletes", {}, None, "listAthletes", "/api/v1/athletes"),
    ("PUT", f"{A}/wellness/2026-03-10", {}, WELLNESS_BODY,
     "updateWellness", "/api/v1/athlete/{id}/wellness/{date}"),
    ("GET", f"{A}/wellness/2026-03-10", {}, None,
     "getRecord", "/api/v1/athlete/{id}/wellness/{date}"),
    ("GET", f"{A}/activities/search", {"q": "#race"}, None,
     "searchForActivities", "/api/v1/athlete/{id}/activities/search"),
    ("GET", f"{A}/activities/i1,i2", {"intervals": "true"}, None,
     "getActivities", "/api/v1/athlete/{athleteId}/activities/{ids}"),
    ("GET", "/api/v1/activity/i150000001", {"intervals": "true"}, None,
     "getActivity", "/api/v1/activity/{id}"),
    ("GET", "/api/v1/activity/i1/power-curves", {}, None,
     "listActivityPowerCurves_1", "/api/v1/activity/{id}/power-curves{ext}"),
    ("GET", "/api/v1/activity/i1/power-curve.csv", {}, None,
     "getActivityPowerCurve", "/api/v1/activity/{id}/power-curve{ext}"),
    ("GET", f"{A}/events/123/download.zwo", {}, None,
     "downloadWorkout_1", "/api/v1/athlete/{id}/events/{eventId}/download{ext}"),
]


@pytest.mark.parametrize(("method", "path", "query", "body", "op_id", "template"), KNOWN_GOOD,
                         ids=[f"{g[0]} {g[1]}" for g in KNOWN_GOOD])
def test_known_good_requests_pass(contract: Contract, method: str, path: str,
                                  query: dict[str, Any], body: Any, op_id: str,
                                  template: str) -> None:
    op = contract.check_request(method, path, query, body)
    assert op == Operation(method, template, op_id)
    assert contract.operation(method, path) == op


# --- requests the document does not allow -------------------------------------------------------

KNOWN_BAD: list[tuple[str, str, dict[str, Any], Any, list[str]]] = [
    ("GET", f"{A}/fitness", {}, None, ["GET", f"{A}/fitness", "no path"]),
    ("GET", "/api/v2/athlete/0", {}, None, ["no path"]),
    ("PATCH", f"{A}/events/123", {}, {}, ["no PATCH", "GET /api/v1/athlete/{id}/events/{eventId}"]),
    ("GET", f"{A}/activities", {"oldest": "2026-01-01", "page": "2"}, None,
     ["listActivities", "query parameter 'page' is not declared", "oldest"]),
    ("GET", f"{A}/activities", {"newest": "2026-03-01"}, None,
     ["required query parameter 'oldest' is missing"]),
    ("GET", f"{A}/activities", {"oldest": ["2026-01-01", "2026-02-01"]}, None,
     ["'oldest'", "given 2 times"]),
    ("GET", f"{A}/activities", {"oldest": "2026-01-01", "limit": "ten"}, None,
     ["'limit'", "'ten' is not an integer"]),
    ("GET", f"{A}/power-curves", {"type": "Bike"}, None,
     ["listAthletePowerCurves", "'type'", "'Bike' is not one of"]),
    ("GET", f"{A}/power-curves", {"curves": "42d"}, None,
     ["required query parameter 'type' is missing"]),
    ("GET", f"{A}/pace-curves", {"type": "Run", "pmType": "MS_2P"}, None,
     ["'pmType'", "'MS_2P' is not one of [CS]"]),
    ("DELETE", f"{A}/events/123", {"others": "yes"}, None, ["'others'", "not a boolean"]),
    ("GET", f"{A}/events/abc", {}, None,
     ["showEvent", "path parameter 'eventId'", "'abc' is not an integer"]),
    ("PUT", f"{A}/events/-5", {}, {"name": "x"}, ["path parameter 'eventId'"]),
    ("GET", f"{A}/events/123", {}, {"name": "x"}, ["showEvent", "declares no request body"]),
    ("DELETE", f"{A}/events/123", {}, {}, ["deleteEvent", "declares no request body"]),
    ("POST", f"{A}/events", {}, None, ["createEvent", "request body is required"]),
    ("POST", f"{A}/events", {}, [NEW_EVENT], ["createEvent", "at $:", "is not of type 'object'"]),
    ("POST", f"{A}/events", {}, {**NEW_EVENT, "category": "WORKOUTS"}, ["$.category", "WORKOUTS"]),
    ("POST", f"{A}/events", {}, {**NEW_EVENT, "moving_time": "1h"},
     ["$.moving_time", "'1h' is not of type 'integer'"]),
    ("POST", f"{A}/events/bulk", {}, NEW_EVENT, ["createMultipleEvents", "not of type 'array'"]),
    ("PUT", f"{A}/wellness/2026-03-10", {}, {"restingHR": 47.5},
     ["updateWellness", "$.restingHR", "47.5 is not of type 'integer'"]),
    ("PUT", f"{A}/wellness/2026-03-10", {}, {"weight": None},
     ["$.weight", "None is not of type 'number'"]),
    ("GET", f"{A}/wellness.c$v", {}, None, ["no path"]),
]


@pytest.mark.parametrize(("method", "path", "query", "body", "expected"), KNOWN_BAD,
                         ids=[f"{b[0]} {b[1]} {sorted(b[2])}" for b in KNOWN_BAD])
def test_known_bad_requests_fail_with_a_clear_message(contract: Contract, method: str, path: str,
                                                      query: dict[str, Any], body: Any,
                                                      expected: list[str]) -> None:
    with pytest.raises(ContractError) as failure:
        contract.check_request(method, path, query, body)
    message = str(failure.value)
    assert message.startswith(f"{method} {path}"), message
    for part in expected:
        assert part in message, message


def test_contract_error_is_an_assertion_error() -> None:
    assert issubclass(ContractError, AssertionError)


def test_unknown_path_suggests_close_templates(contract: Contract) -> None:
    with pytest.raises(ContractError, match=r"closest templates: .*/api/v1/athlete/\{id\}/"):
        contract.operation("GET", "/api/v1/athlete/{id}/wellnes")


def test_literal_segments_win_over_placeholders(contract: Contract) -> None:
    put = contract.operation("PUT", f"{A}/events/bulk-delete")
    assert put.operation_id == "deleteEventsBulk"
    # GET has no literal bulk-delete template, so it is an event id, and not a number.
    with pytest.raises(ContractError, match="'bulk-delete' is not an integer"):
        contract.check_request("GET", f"{A}/events/bulk-delete", {}, None)


def test_ext_placeholder_takes_only_an_extension(contract: Contract) -> None:
    # `power-curves` must not be read as `power-curve{ext}` with ext="s".
    assert contract.operation("GET", "/api/v1/activity/i1/power-curves").operation_id == (
        "listActivityPowerCurves_1")
    assert contract.operation("GET", "/api/v1/activity/i1/power-curve").operation_id == (
        "getActivityPowerCurve")


def test_optional_despite_spec_parameters_are_documented(raw_spec: dict[str, Any]) -> None:
    """Each OPTIONAL_PARAMS entry is a parameter the document really marks required."""
    required = {
        (op["operationId"], p["name"])
        for item in raw_spec["paths"].values() for op in item.values()
        for p in op.get("parameters", []) if p.get("in") == "query" and p.get("required")
    }
    assert set(OPTIONAL_PARAMS) <= required


# --- responses the fake serves -------------------------------------------------------------------

EVENT = {
    "id": 104700001, "athlete_id": "i123456", "uid": "3f0c2c9e-6a51-4f4e-9a3e-1c7d2f1b8a10",
    "external_id": "abc", "category": "WORKOUT", "start_date_local": "2026-03-14T08:00:00",
    "end_date_local": "2026-03-15T00:00:00", "type": "Ride", "name": "Sweet Spot 3x12",
    "description": "Main Set 3x\n- 12m 88-92% 85-95rpm\n- 4m 55%", "indoor": True,
    "color": None, "moving_time": 2880, "icu_training_load": 45, "icu_intensity": 80.0,
    "icu_ftp": 250, "joules": 500000, "target": "AUTO", "icu_ctl": 63.9, "icu_atl": 71.2,
    "tags": ["coach"], "push_errors": [], "created": "2026-03-12T20:01:33.512+00:00",
    "workout_doc": {
        "target": "POWER", "duration": 2880, "ftp": 250, "description": None,
        "steps": [
            {"text": "Main Set", "reps": 3, "duration": 960, "steps": [
                {"duration": 720, "power": {"start": 88, "end": 92, "units": "%ftp"}},
                {"duration": 240, "power": {"value": 55, "units": "%ftp"}},
            ]},
        ],
        "zoneTimes": [120, 0], "locales": [],
    },
    "updated": "2026-03-12T20:01:33.512+00:00",
}
ACTIVITIES = [
    {"id": "i150000001", "icu_athlete_id": "i123456", "start_date_local": "2026-03-10T09:00:12",
     "start_date": "2026-03-10T08:00:12Z", "timezone": "Europe/Madrid", "type": "Ride",
     "name": "Sweet spot 3x15", "source": "GARMIN_CONNECT", "external_id": "22600000001",
     "distance": 45200.0, "moving_time": 5400, "elapsed_time": 5620, "icu_ftp": 250,
     "icu_average_watts": 195, "icu_weighted_avg_watts": 215, "icu_intensity": 86.0,
     "icu_training_load": 111, "icu_power_zones": [55, 75, 90, 105, 120, 150, 999],
     "icu_zone_times": [{"id": "Z1", "secs": 610}, {"id": "SS", "secs": 2650}],
     "icu_hr_zone_times": [900, 1700, 1900, 800, 100, 0, 0], "average_heartrate": 144,
     "trainer": False, "icu_rpe": 7, "feel": 2, "paired_event_id": None, "gear": None,
     "interval_summary": ["3x 15m1s 232w"], "stream_types": ["time", "watts"],
     "icu_ctl": 63.17, "icu_atl": 74.14, "created": "2026-03-10T10:45:02.117+00:00",
     "analyzed": "2026-03-10T10:45:02.903+00:00"},
    {"id": "i150000002", "type": "Run", "start_date_local": "2026-03-11T18:30:00",
     "distance": 10020.0, "moving_time": 2880, "pace": 3.479, "threshold_pace": 3.7,
     "pace_load_type": "RUN", "hr_load_type": "HRSS", "icu_training_load": 71},
    {"id": "20171057567", "source": "STRAVA"},
]
WELLNESS = [
    {"id": "2026-03-10", "ctl": 63.17, "atl": 74.14, "rampRate": 3.1, "ctlLoad": 111.0,
     "atlLoad": 111.0, "sportInfo": [{"type": "Ride", "eftp": 251.2, "wPrime": 17500.0,
                                      "pMax": 820.0}],
     "updated": "2026-03-10T21:02:40.118+00:00", "weight": 61.4, "restingHR": 47, "hrv": 72.0,
     "hrvSDNN": None, "sleepSecs": 27360, "sleepScore": 84.0, "sleepQuality": 2,
     "soreness": 1, "injury": None, "menstrualPhase": None, "locked": None, "comments": None},
    {"id": "2026-03-11", "ctl": 63.35, "atl": 73.69, "restingHR": 49, "steps": 11840},
]
ATHLETE = {
    "id": "i123456", "name": "Ana Ruiz", "email": "ana@example.com", "sex": "F",
    "timezone": "Europe/Madrid", "locale": "es", "icu_weight": 61.5, "icu_resting_hr": 48,
    "icu_date_of_birth": "1990-05-15", "plan": "SUPPORTER", "height_units": None,
    "icu_api_key": "secret-key", "custom_items": [],
    "sportSettings": [
        {"id": 1340913, "athlete_id": "i123456", "types": ["Ride", "VirtualRide"], "ftp": 250,
         "indoor_ftp": 245, "w_prime": 18000, "lthr": 165, "max_hr": 185,
         "power_zones": [55, 75, 90, 105, 120, 150, 999], "hr_zones": [137, 150, 157, 185],
         "hr_load_type": "HRSS", "load_order": "POWER_HR_PACE", "custom_field_values": {"x": 1},
         "mmp_model": {"type": "FFT_CURVES", "criticalPower": 242, "wPrime": 17500, "pMax": 820,
                       "ftp": 248},
         "created": "2025-02-28T13:30:16.589+00:00", "updated": "2026-03-01T08:56:23.068+00:00"},
        {"id": 1340914, "types": ["Run", "TrailRun"], "threshold_pace": 3.7,
         "pace_units": "MINS_KM", "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
         "pace_load_type": "RUN", "gap_model": "STRAVA_RUN", "ftp": None},
    ],
}
CURVES = {
    "list": [
        {"id": "42d", "label": "42 days", "start_date_local": "2026-01-30T00:00:00",
         "end_date_local": "2026-03-13T00:00:00", "days": 42, "secs": [5, 60, 300, 1200],
         "values": [820, 410, 300, 262], "activity_id": ["i1", "i1", "i2", "i2"],
         "start_index": [10, 20, 30, 40], "end_index": [15, 80, 330, 1240], "weight": 61.5},
        {"id": "1y", "secs": [5, 60], "distance": [30.5, 400.0], "values": [830, 415],
         "filters": [{"field_id": "type", "value": ["Ride"]}]},
    ],
    "activities": {"i1": {"id": "i1", "name": "Sprints", "type": "Ride"}},
}

GOOD_RESPONSES: list[tuple[str, str, int, Any]] = [
    ("GET", f"{A}/events/104700001", 200, EVENT),
    ("POST", f"{A}/events", 200, EVENT),
    ("PUT", f"{A}/events/104700001", 200, EVENT),
    ("POST", f"{A}/events/bulk", 200, [EVENT, {**EVENT, "workout_doc": None}]),
    ("GET", f"{A}/events", 200, [EVENT]),
    ("DELETE", f"{A}/events/104700001", 200, {}),
    ("DELETE", f"{A}/events/104700001", 200, {"id": 104700001}),
    ("PUT", f"{A}/events/bulk-delete", 200, {"eventsDeleted": 2}),
    ("GET", f"{A}/activities", 200, ACTIVITIES),
    ("GET", "/api/v1/activity/20171057567", 200, ACTIVITIES[2]),
    ("GET", f"{A}/wellness", 200, WELLNESS),
    ("PUT", f"{A}/wellness/2026-03-10", 200, WELLNESS[0]),
    ("GET", "/api/v1/athlete/0", 200, ATHLETE),
    ("GET", "/api/v1/athletes", 200, [{"id": "i123456", "name": "Ana", "icu_coach": False}]),
    ("GET", f"{A}/power-curves", 200, CURVES),
    ("GET", f"{A}/pace-curves", 200, {"list": [], "activities": {}}),
    ("GET", f"{A}/wellness.csv", 200, "id,weight\n2026-03-10,61.4\n"),
    ("GET", f"{A}/events/1", 404, {"status": 404, "error": "Event 1 not found"}),
    ("GET", f"{A}/activities", 429, {"status": 429, "error": "Too many requests"}),
]


@pytest.mark.parametrize(("method", "path", "status", "body"), GOOD_RESPONSES,
                         ids=[f"{g[0]} {g[1]} {g[2]}" for g in GOOD_RESPONSES])
def test_realistic_responses_pass(contract: Contract, method: str, path: str, status: int,
                                  body: Any) -> None:
    contract.check_response(method, path, status, body)


def _with(data: Any, *path_and_value: Any) -> Any:
    *path, value = path_and_value
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


BAD_RESPONSES: list[tuple[str, str, int, Any, list[str]]] = [
    ("GET", f"{A}/events/1", 200, _with(EVENT, "moving_time", "48m"),
     ["showEvent", "$.moving_time", "'48m' is not of type 'integer', 'null'"]),
    ("GET", f"{A}/events/1", 200, _with(EVENT, "category", "WORKOUTS"),
     ["$.category", "'WORKOUTS' is not one of"]),
    ("GET", f"{A}/events/1", 200, _with(EVENT, "workout_doc", "- 10m 60%"),
     ["$.workout_doc", "not of type 'object', 'null'"]),
    ("GET", f"{A}/events/1", 200, _with(EVENT, "updated", "yesterday"),
     ["$.updated", "'yesterday' is not a 'date-time'"]),
    ("GET", f"{A}/events/1", 200, None, ["None is not of type 'object'"]),
    ("GET", f"{A}/events", 200, EVENT, ["listEvents", "is not of type 'array'"]),
    ("GET", f"{A}/events", 200, [EVENT, None], ["$[1]", "None is not of type 'object'"]),
    ("GET", f"{A}/activities", 200, _with(ACTIVITIES, 0, "icu_training_load", 111.5),
     ["$[0].icu_training_load", "111.5 is not of type 'integer', 'null'"]),
    ("GET", f"{A}/activities", 200, _with(ACTIVITIES, 0, "icu_zone_times", 0, "secs", "610"),
     ["$[0].icu_zone_times[0].secs"]),
    ("GET", f"{A}/wellness", 200, _with(WELLNESS, 1, "restingHR", "49"),
     ["listWellnessRecords", "$[1].restingHR", "'49' is not of type 'integer', 'null'"]),
    ("GET", "/api/v1/athlete/0", 200, _with(ATHLETE, "sportSettings", 0, "mmp_model", "type",
                                            "CP"),
     ["getAthlete", "$.sportSettings[0].mmp_model.type", "'CP' is not one of"]),
    ("GET", "/api/v1/athlete/0", 200, [ATHLETE], ["is not of type 'object'"]),
    ("GET", f"{A}/power-curves", 200, _with(CURVES, "list", 0, "values", [820.5, 410]),
     ["$.list[0].values[0]", "820.5 is not of type 'integer'"]),
    ("POST", f"{A}/events", 201, EVENT, ["createEvent", "status 201 is not declared"]),
]


@pytest.mark.parametrize(("method", "path", "status", "body", "expected"), BAD_RESPONSES,
                         ids=[f"{b[0]} {b[1]} {b[2]} {i}" for i, b in enumerate(BAD_RESPONSES)])
def test_wrong_responses_fail(contract: Contract, method: str, path: str, status: int, body: Any,
                              expected: list[str]) -> None:
    with pytest.raises(ContractError) as failure:
        contract.check_response(method, path, status, body)
    message = str(failure.value)
    assert message.startswith(f"{method} {path}"), message
    for part in expected:
        assert part in message, message


def test_response_for_unknown_path_fails(contract: Contract) -> None:
    with pytest.raises(ContractError, match="no path"):
        contract.check_response("GET", f"{A}/fitness", 200, [])


# --- quirks --------------------------------------------------------------------------------------


def test_every_quirk_corrects_what_the_document_still_says(raw_spec: dict[str, Any]) -> None:
    """If Intervals.icu fixes its document, the quirk must be reviewed (and maybe dropped)."""
    for pointer in QUIRKS:
        node: Any = raw_spec
        for part in pointer.split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        assert node == {"type": "object"}, pointer


def test_without_quirks_a_real_workout_doc_fails(raw_spec: dict[str, Any]) -> None:
    strict = Contract(raw_spec, quirks={})
    with pytest.raises(ContractError, match=r"\$\.workout_doc\.\w+: .* is not of type 'object'"):
        strict.check_response("GET", f"{A}/events/1", 200, EVENT)


def test_a_stale_quirk_fails_loading(raw_spec: dict[str, Any]) -> None:
    spec = copy.deepcopy(raw_spec)
    del spec["components"]["schemas"]["Event"]["properties"]["workout_doc"]
    with pytest.raises(ValueError, match="Event/properties/workout_doc"):
        Contract(spec)


def test_quirks_do_not_weaken_the_rest_of_a_schema(contract: Contract) -> None:
    with pytest.raises(ContractError, match=r"\$\.color"):
        contract.check_response("GET", f"{A}/events/1", 200, _with(EVENT, "color", 3))


def test_spec_facts_the_client_relies_on(raw_spec: dict[str, Any]) -> None:
    """Surprises in the document, pinned so a new version is noticed."""
    paths = raw_spec["paths"]
    assert "get" in paths["/api/v1/athletes"]
    assert "/api/v1/athlete/{id}/activities{ext}" not in paths  # only a literal activities.csv
    schemas = raw_spec["components"]["schemas"]
    assert "created" not in schemas["Event"]["properties"]
    assert "icu_api_key" in schemas["WithSportSettings"]["properties"]
    assert "icu_api_key" in schemas["AthleteWithTags"]["properties"]


# --- load and speed ------------------------------------------------------------------------------


def test_load_is_cached_and_defaults_to_the_fixture() -> None:
    assert Contract.load() is Contract.load()
    assert Contract.load() is Contract.load(SPEC_PATH)
    assert SPEC_PATH.name == "intervals-openapi.json" and SPEC_PATH.exists()


def _mean_seconds(fn: Any, repeat: int) -> float:
    fn()  # warm up (compiles and caches the validator)
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def test_checks_are_fast_after_warm_up(contract: Contract) -> None:
    request = _mean_seconds(lambda: contract.check_request("POST", f"{A}/events", {}, NEW_EVENT),
                            500)
    listing = _mean_seconds(lambda: contract.check_request(
        "GET", f"{A}/activities", {"oldest": "2026-01-01", "newest": "2026-03-01"}, None), 500)
    event = _mean_seconds(lambda: contract.check_response("GET", f"{A}/events/1", 200, EVENT), 500)
    assert request < 1e-3 and listing < 1e-3 and event < 1e-3, (request, listing, event)


# --- matching forms the real document does not use ----------------------------------------------


def _tiny_spec() -> dict[str, Any]:
    integer_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    ext = {"name": "ext", "in": "path", "required": True, "schema": {"type": "string"}}
    ok = {"200": {"description": "OK", "content": {"*/*": {"schema": {"type": "object"}}}}}
    return {
        "openapi": "3.0.1",
        "paths": {
            "/api/v1/thing/{id}{ext}": {"get": {"operationId": "getThing",
                                                "parameters": [integer_id, ext],
                                                "responses": ok}},
            "/api/v1/thing/latest": {"get": {"operationId": "latestThing", "responses": ok}},
        },
        "components": {"schemas": {}},
    }


def test_id_with_extension_placeholder() -> None:
    tiny = Contract(_tiny_spec(), quirks={})
    assert tiny.check_request("GET", "/api/v1/thing/12.csv").operation_id == "getThing"
    assert tiny.check_request("GET", "/api/v1/thing/12").operation_id == "getThing"
    assert tiny.operation("GET", "/api/v1/thing/latest").operation_id == "latestThing"
    with pytest.raises(ContractError, match="path parameter 'id': 'ab' is not an integer"):
        tiny.check_request("GET", "/api/v1/thing/ab.csv")
    tiny.check_response("GET", "/api/v1/thing/12.csv", 200, "id,name\n")  # CSV: not checked
    with pytest.raises(ContractError, match="is not of type 'object'"):
        tiny.check_response("GET", "/api/v1/thing/12", 200, [1])


def test_query_given_as_httpx_params_or_python_values(contract: Contract) -> None:
    params = httpx.QueryParams([("category", "WORKOUT"), ("category", "NOTE"), ("limit", "3")])
    assert contract.check_request("GET", f"{A}/events", params).operation_id == "listEvents"
    contract.check_request("DELETE", f"{A}/events/1", {"others": True})
    contract.check_request("GET", f"{A}/events", {"limit": 3, "resolve": False})
    with pytest.raises(ContractError, match="'limit': given 2 times"):
        contract.check_request("GET", f"{A}/events", httpx.QueryParams("limit=1&limit=2"))


# --- the fast path agrees with jsonschema --------------------------------------------------------

_ODD_VALUES: list[Any] = ["x", "2026-03-10T00:00:00Z", 7, 7.5, True, None, [1], {}]


def _mutations(data: Any, path: tuple[Any, ...] = ()) -> Any:
    """Every body obtained by replacing one value (at any depth) with an odd one."""
    for value in _ODD_VALUES:
        yield path, value
    if isinstance(data, dict):
        children: list[tuple[Any, Any]] = list(data.items())
    else:
        children = list(enumerate(data)) if isinstance(data, list) else []
    for key, child in children:
        yield from _mutations(child, (*path, key))


def _schema_pointer(contract: Contract, method: str, path: str, request: bool) -> str:
    match = contract._match(method, path)
    if request:
        return contract._pointer(match, "requestBody", "content", "application/json", "schema")
    pointer = contract._response_pointer(match, path, 200)
    assert pointer is not None
    return pointer


@pytest.mark.parametrize(("method", "path", "request_body", "body"), [
    ("GET", f"{A}/events/1", False, EVENT),
    ("GET", f"{A}/activities", False, ACTIVITIES[1:]),
    ("GET", f"{A}/wellness", False, WELLNESS),
    ("GET", "/api/v1/athlete/0", False, ATHLETE),
    ("GET", f"{A}/power-curves", False, CURVES),
    ("GET", "/api/v1/activity/i1", False, ACTIVITIES[1]),  # anyOf of three schemas
    ("POST", f"{A}/events", True, EVENT),
    ("PUT", f"{A}/events/bulk-delete", True, [{"id": 1}, {"external_id": "x"}]),
    ("PUT", f"{A}/wellness/2026-03-10", True, WELLNESS[0]),
])
def test_fast_checks_agree_with_jsonschema(contract: Contract, method: str, path: str,
                                           request_body: bool, body: Any) -> None:
    """The compiled closures give jsonschema's verdict on every one-value mutation of a body."""
    from coach.testing.openapi import REQUEST_URI, RESPONSE_URI

    base = REQUEST_URI if request_body else RESPONSE_URI
    pointer = _schema_pointer(contract, method, path, request_body)
    fast = contract._fast_check(base, pointer)
    assert fast is not None, pointer
    slow = contract._validator(base, pointer)
    verdicts = set()
    for where, value in _mutations(body):
        mutated = _with(body, *where, value) if where else value
        verdict = slow.is_valid(mutated)
        assert fast(mutated) == verdict, (where, value)
        verdicts.add(verdict)
    assert verdicts == {True, False}
