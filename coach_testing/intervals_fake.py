"""An in-memory Intervals.icu that routes on method and path and records every request.

Use it through `httpx.MockTransport(fake.handler)` or as a real local HTTP server (`fake.serve()`);
both seams run the same `handler`. Paths, field names and error shapes follow the reference
(/work/shared/reference/intervals-api.md) and the OpenAPI document in tests/fixtures.
"""

from __future__ import annotations

import base64
import copy
import http
import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from coach_testing.openapi import Contract, ContractError

API_KEY = "test-key-0123456789"
JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
FIRST_EVENT_ID = 104700001
NAME_LIMIT = 80
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
EVENT_CATEGORIES = frozenset({
    "WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK", "INJURED",
    "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET", "SET_FITNESS",
})  # fmt: skip
STUB_FIELDS = ("id", "icu_athlete_id", "start_date_local", "source", "_note")  # schema `Hidden`
# Server-owned or request-only fields a client cannot set on an event.
EVENT_READ_ONLY = frozenset(
    {"id", "athlete_id", "uid", "updated", "workout_doc", "oauth_client_id"}
)
EVENT_REQUEST_ONLY = frozenset({"filename", "file_contents", "file_contents_base64", "workout"})

# --- Sample payloads (reference §7.1-7.3). Deep-copy before mutating: `copy.deepcopy(SAMPLE_...)`.

SAMPLE_ATHLETE: dict[str, Any] = {
    "id": "i123456", "name": "Ana Ruiz", "firstname": "Ana", "lastname": "Ruiz",
    "email": "ana@example.com", "sex": "F", "city": "Madrid", "country": "Spain",
    "timezone": "Europe/Madrid", "locale": "es", "measurement_preference": "meters",
    "weight_pref_lb": False, "fahrenheit": False, "icu_weight": 61.5, "icu_resting_hr": 48,
    "icu_date_of_birth": "1990-05-15", "plan": "SUPPORTER",
    "sportSettings": [
        {
            "id": 1340913, "athlete_id": "i123456",
            "types": ["Ride", "VirtualRide", "MountainBikeRide", "GravelRide", "TrackRide",
                      "Cyclocross"],
            "ftp": 250, "indoor_ftp": 245, "w_prime": 18000, "lthr": 165, "max_hr": 185,
            "warmup_time": 1200, "cooldown_time": 600,
            "power_zones": [55, 75, 90, 105, 120, 150, 999],
            "power_zone_names": ["Active Recovery", "Endurance", "Tempo", "Threshold", "VO2 Max",
                                 "Anaerobic", "Neuromuscular"],
            "sweet_spot_min": 84, "sweet_spot_max": 97,
            "hr_zones": [137, 150, 157, 164, 169, 174, 185],
            "hr_zone_names": ["Recovery", "Aerobic", "Tempo", "SubThreshold", "SuperThreshold",
                              "Aerobic Capacity", "Anaerobic"],
            "hr_load_type": "HRSS", "load_order": "POWER_HR_PACE",
            "mmp_model": {"type": "FFT_CURVES", "criticalPower": 242, "wPrime": 17500,
                          "pMax": 820, "ftp": 248},
            "created": "2025-02-28T13:30:16.589+00:00",
            "updated": "2026-03-01T08:56:23.068+00:00",
        },
        {
            "id": 1340914, "athlete_id": "i123456", "types": ["Run", "VirtualRun", "TrailRun"],
            "lthr": 170, "max_hr": 190, "threshold_pace": 3.7, "pace_units": "MINS_KM",
            "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
            "pace_zone_names": ["Zone 1", "Zone 2", "Zone 3", "Zone 4", "Zone 5a", "Zone 5b",
                                "Zone 5c"],
            "pace_load_type": "RUN", "gap_model": "STRAVA_RUN",
            "hr_zones": [142, 155, 162, 169, 174, 179, 190], "load_order": "PACE_HR_POWER",
        },
        {
            "id": 1340915, "athlete_id": "i123456", "types": ["Swim", "OpenWaterSwim"],
            "threshold_pace": 1.0, "pace_units": "SECS_100M", "pace_load_type": "SWIM",
            "lthr": 160, "max_hr": 180,
        },
        {   # the settings every other sport falls back to (Intervals.icu's "Other")
            "id": 1340916, "athlete_id": "i123456",
            "types": ["Rowing", "NordicSki", "WeightTraining", "Hike", "Walk", "Other"],
            "lthr": 160, "max_hr": 185, "hr_zones": [130, 145, 152, 159, 164, 169, 185],
            "hr_load_type": "HRSS", "load_order": "HR_POWER_PACE",
        },
    ],
    "custom_items": [],
}  # fmt: skip

SAMPLE_ACTIVITIES: list[dict[str, Any]] = [
    {
        "id": "i150000003", "icu_athlete_id": "i123456", "start_date_local": "2026-03-12T07:05:00",
        "start_date": "2026-03-12T06:05:00Z", "timezone": "Europe/Madrid", "type": "Swim",
        "name": "Pool 2k", "source": "GARMIN_CONNECT", "external_id": "22600000003",
        "file_type": "fit", "distance": 2000.0, "moving_time": 2280, "elapsed_time": 2900,
        "pool_length": 25.0, "lengths": 80, "average_speed": 0.877, "max_speed": 1.21,
        "pace": 0.877, "threshold_pace": 1.0, "has_heartrate": True, "average_heartrate": 132,
        "max_heartrate": 158, "calories": 410, "icu_training_load": 43, "pace_load": 43,
        "pace_load_type": "SWIM", "hr_load": 35, "hr_load_type": "HRSS", "icu_intensity": 87.7,
        "lthr": 160, "icu_resting_hr": 48, "icu_weight": 61.5, "trainer": False, "icu_rpe": 5,
        "feel": 2, "stream_types": ["time", "heartrate", "distance", "velocity_smooth", "cadence"],
        "icu_ctl": 62.87, "icu_atl": 69.31, "created": "2026-03-12T08:10:11.201+00:00",
        "analyzed": "2026-03-12T08:10:11.650+00:00",
    },
    # A Strava import: the API serves only the `Hidden` stub, never type/load.
    {
        "id": "20171057567", "icu_athlete_id": "i123456", "start_date_local": "2026-03-11T12:30:00",
        "source": "STRAVA", "_note": "STRAVA activities are not available via the API",
    },
    {
        "id": "i150000002", "icu_athlete_id": "i123456", "start_date_local": "2026-03-11T18:30:00",
        "start_date": "2026-03-11T17:30:00Z", "timezone": "Europe/Madrid", "type": "Run",
        "name": "Tempo 10k", "source": "GARMIN_CONNECT", "external_id": "22600000002",
        "file_type": "fit", "distance": 10020.0, "icu_distance": 10020.0, "moving_time": 2880,
        "elapsed_time": 2950, "total_elevation_gain": 48.0, "total_elevation_loss": 47.0,
        "average_speed": 3.479, "max_speed": 4.41, "pace": 3.479, "gap": 3.51,
        "gap_model": "STRAVA_RUN", "threshold_pace": 3.7,
        "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
        "pace_zone_times": [300, 420, 2160, 0, 0, 0, 0], "has_heartrate": True,
        "average_heartrate": 158, "max_heartrate": 174,
        "icu_hr_zones": [142, 155, 162, 169, 174, 179, 190],
        "icu_hr_zone_times": [240, 610, 1720, 310, 0, 0, 0], "average_cadence": 86.5,
        "average_stride": 1.2, "calories": 640, "icu_training_load": 71, "pace_load": 71,
        "pace_load_type": "RUN", "hr_load": 68, "hr_load_type": "HRSS", "icu_intensity": 94.0,
        "lthr": 170, "athlete_max_hr": 190, "trimp": 92.4, "icu_warmup_time": 300,
        "icu_cooldown_time": 300, "trainer": False, "icu_rpe": 6, "feel": 2,
        "paired_event_id": 104649834, "compliance": 97.5, "icu_ctl": 63.35, "icu_atl": 73.69,
    },
    {
        "id": "i150000001", "icu_athlete_id": "i123456", "start_date_local": "2026-03-10T09:00:12",
        "start_date": "2026-03-10T08:00:12Z", "timezone": "Europe/Madrid", "type": "Ride",
        "name": "Sweet spot 3x15", "source": "GARMIN_CONNECT", "external_id": "22600000001",
        "file_type": "fit", "device_name": "Garmin Edge 840", "distance": 45200.0,
        "moving_time": 5400, "elapsed_time": 5620, "icu_recording_time": 5480,
        "total_elevation_gain": 410.0, "average_speed": 8.37, "max_speed": 16.2,
        "device_watts": True, "power_meter": "Favero Assioma", "icu_ftp": 250,
        "icu_average_watts": 195, "icu_weighted_avg_watts": 215, "icu_intensity": 86.0,
        "icu_variability_index": 1.103, "icu_joules": 1068600, "icu_joules_above_ftp": 42000,
        "icu_efficiency_factor": 1.49, "icu_power_hr": 1.35, "decoupling": 3.8,
        "icu_training_load": 111, "power_load": 111, "hr_load": 98, "hr_load_type": "HRSS",
        "icu_power_zones": [55, 75, 90, 105, 120, 150, 999],
        "icu_zone_times": [
            {"id": "Z1", "secs": 610}, {"id": "Z2", "secs": 1650}, {"id": "Z3", "secs": 1210},
            {"id": "Z4", "secs": 1830}, {"id": "Z5", "secs": 60}, {"id": "Z6", "secs": 25},
            {"id": "Z7", "secs": 15}, {"id": "SS", "secs": 2650},
        ],
        "has_heartrate": True, "average_heartrate": 144, "max_heartrate": 168,
        "icu_hr_zones": [137, 150, 157, 164, 169, 174, 185],
        "icu_hr_zone_times": [900, 1700, 1900, 800, 100, 0, 0], "average_cadence": 89.2,
        "calories": 1020, "lthr": 165, "icu_resting_hr": 48, "icu_weight": 61.5,
        "trainer": False, "commute": False, "race": False, "icu_rpe": 7, "feel": 2,
        "session_rpe": 630, "icu_rolling_ftp": 251, "icu_rolling_ftp_delta": 0,
        "carbs_used": 210, "interval_summary": ["3x 15m1s 232w", "1x 10m 170w"],
        "stream_types": ["time", "watts", "cadence", "heartrate", "distance", "altitude",
                         "latlng", "velocity_smooth", "temp"],
        "icu_ctl": 63.17, "icu_atl": 74.14, "created": "2026-03-10T10:45:02.117+00:00",
        "analyzed": "2026-03-10T10:45:02.903+00:00",
    },
]  # fmt: skip

SAMPLE_WELLNESS: list[dict[str, Any]] = [
    {
        "id": "2026-03-10", "ctl": 63.17, "atl": 74.14, "rampRate": 3.1, "ctlLoad": 111.0,
        "atlLoad": 111.0,
        "sportInfo": [{"type": "Ride", "eftp": 251.2, "wPrime": 17500.0, "pMax": 820.0}],
        "updated": "2026-03-10T21:02:40.118+00:00", "weight": 61.4, "restingHR": 47,
        "hrv": 72.0, "hrvSDNN": None, "sleepSecs": 27360, "sleepScore": 84.0, "sleepQuality": 2,
        "avgSleepingHR": 51.0, "soreness": 1, "fatigue": 2, "stress": 1, "mood": 2,
        "motivation": 2, "injury": None, "spO2": None, "steps": 9120, "readiness": None,
        "vo2max": None, "comments": None, "kcalConsumed": None, "locked": None,
    },
    {
        "id": "2026-03-11", "ctl": 63.35, "atl": 73.69, "rampRate": 2.9, "ctlLoad": 71.0,
        "atlLoad": 71.0,
        "sportInfo": [{"type": "Ride", "eftp": 251.2, "wPrime": 17500.0, "pMax": 820.0}],
        "updated": "2026-03-11T20:15:09.402+00:00", "weight": 61.6, "restingHR": 49,
        "hrv": 64.0, "sleepSecs": 25200, "sleepScore": 78.0, "sleepQuality": 2,
        "avgSleepingHR": 53.0, "soreness": 2, "fatigue": 2, "stress": 2, "mood": 2,
        "motivation": 2, "steps": 11840,
    },
    {
        "id": "2026-03-12", "ctl": 62.87, "atl": 69.31, "rampRate": 1.8, "ctlLoad": 43.0,
        "atlLoad": 43.0,
        "sportInfo": [{"type": "Ride", "eftp": 250.9, "wPrime": 17480.0, "pMax": 818.0}],
        "updated": "2026-03-12T19:40:55.771+00:00", "weight": 61.3, "restingHR": 48,
        "hrv": 69.0, "sleepSecs": 28800, "sleepScore": 88.0, "sleepQuality": 1,
        "avgSleepingHR": 50.0, "soreness": 1, "fatigue": 1, "stress": 1, "mood": 1,
        "motivation": 1, "steps": 7400,
    },
]  # fmt: skip


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON, None when empty, the raw text when it was not JSON
    headers: dict[str, str]


@dataclass
class Call:
    """What a route function gets: path parameters, query and parsed body."""

    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    body_ok: bool


Reply = tuple[int, Any]
RouteFn = Callable[["FakeIntervals", Call], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    template: str  # the path template in the OpenAPI document
    fn: RouteFn


@dataclass
class _Injection:
    status: int
    body: Any
    path_contains: str
    times: int
    headers: dict[str, str]
    raw: bytes | None
    timeout: bool = False


# Every request our client sends (User-Agent: local-coach) and every response the fake serves
# is checked against the official OpenAPI document; what it does not allow lands here, and
# tests/conftest.py fails the test that caused it. OPERATIONS_SEEN lists what was exercised.
CONTRACT_VIOLATIONS: list[str] = []
OPERATIONS_SEEN: set[tuple[str, str, str]] = set()


class ApiError(Exception):
    """Raised inside a route to answer with an error status and body."""

    def __init__(self, status: int, error: str | None = None, body: Any = None) -> None:
        super().__init__(error)
        self.status = status
        self.body = body if body is not None else {"status": status, "error": error}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def spring_404(path: str) -> dict[str, Any]:
    """The body Spring sends for a route that does not exist."""
    return {"timestamp": _now(), "status": 404, "error": "Not Found", "path": path}


def default_error_body(status: int, path: str) -> dict[str, Any]:
    """The error body Intervals.icu sends for `status` (reference §5.2)."""
    if status == 404:
        return spring_404(path)
    if status == 403:
        return {"status": 403, "error": "Access denied"}
    if status == 401:
        return {"status": 401, "error": "Unauthorized"}
    return {"status": status, "error": _reason(status)}


def _parse_local(value: str, *, end_of_day: bool = False) -> datetime:
    """A local ISO date or date-time; a bare date means its start (or end) of day."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, datetime.max.time() if end_of_day else datetime.min.time())
        return datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"Invalid local date '{value}'") from None


def _query_int(query: dict[str, str], name: str) -> int | None:
    if name not in query:
        return None
    try:
        return int(query[name])
    except ValueError:
        raise ApiError(400, f"Failed to convert '{name}' value '{query[name]}' to int") from None


def _only_fields(records: list[dict[str, Any]], fields: str | None) -> list[dict[str, Any]]:
    """`fields=a,b`: keep only those keys and drop nulls, as the real API does."""
    if not fields:
        return records
    wanted = {f.strip() for f in fields.split(",")}
    return [{k: v for k, v in r.items() if k in wanted and v is not None} for r in records]


# --- Routes -------------------------------------------------------------------------------------


def get_athlete(fake: FakeIntervals, call: Call) -> Reply:
    return 200, fake.athlete


def list_activities(fake: FakeIntervals, call: Call) -> Reply:
    if "oldest" not in call.query:
        raise ApiError(
            400,
            "Required request parameter 'oldest' for method parameter type String is not present",
        )
    oldest = _parse_local(call.query["oldest"])
    newest = datetime.now()
    if "newest" in call.query:
        newest = _parse_local(call.query["newest"], end_of_day=True)
    # Stored stubs need a start_date_local to be placed in a window; without one they never match.
    found = [
        a
        for a in fake.activities
        if a.get("start_date_local") and oldest <= _parse_local(a["start_date_local"]) <= newest
    ]
    found.sort(key=lambda a: a["start_date_local"], reverse=True)
    limit = _query_int(call.query, "limit")
    if limit is not None:
        found = found[:limit]
    served = [_stub(a) if a.get("source") == "STRAVA" else a for a in found]
    return 200, _only_fields(served, call.query.get("fields"))


def _stub(activity: dict[str, Any]) -> dict[str, Any]:
    return {k: activity[k] for k in STUB_FIELDS if k in activity}


def list_wellness(fake: FakeIntervals, call: Call) -> Reply:
    oldest = call.query.get("oldest", "0000-01-01")[:10]
    newest = call.query.get("newest", "9999-12-31")[:10]
    found = sorted((w for w in fake.wellness if oldest <= w["id"] <= newest), key=lambda w: w["id"])
    return 200, _only_fields(found, call.query.get("fields"))


def get_wellness(fake: FakeIntervals, call: Call) -> Reply:
    for record in fake.wellness:
        if record["id"] == call.params["date"]:
            return 200, record
    raise ApiError(404, f"Wellness record for {call.params['date']} not found")


def update_wellness(fake: FakeIntervals, call: Call) -> Reply:
    """PUT one day's wellness: create-or-update, "only fields provided are changed", -1 unsets
    a numeric field (reference §3.5)."""
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected a Wellness object")
    day = _parse_local(call.params["date"]).date().isoformat()
    record = next((w for w in fake.wellness if w["id"] == day), None)
    if record is None:
        record = {"id": day}
        fake.wellness.append(record)
    for key, value in call.body.items():
        if key != "id":
            record[key] = None if value == -1 else value
    record["updated"] = _now()
    return 200, record


def list_events(fake: FakeIntervals, call: Call) -> Reply:
    oldest = _parse_local(call.query.get("oldest", date.today().isoformat())).date()
    newest_default = (oldest + timedelta(days=6)).isoformat()
    newest = _parse_local(call.query.get("newest", newest_default)).date()
    categories = {c for c in call.query.get("category", "").split(",") if c}
    found = [
        e
        for e in fake.events.values()
        if oldest <= _parse_local(e["start_date_local"]).date() <= newest
        and (not categories or e.get("category") in categories)
    ]
    found.sort(key=lambda e: (e["start_date_local"], e["id"]))
    limit = _query_int(call.query, "limit")
    return 200, found[:limit] if limit is not None else found


def get_event(fake: FakeIntervals, call: Call) -> Reply:
    return 200, fake._event_or_404(call)


def create_event(fake: FakeIntervals, call: Call) -> Reply:
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    return 200, fake._store_new_event(call.body)


def create_events_bulk(fake: FakeIntervals, call: Call) -> Reply:
    if not call.body_ok or not isinstance(call.body, list):
        raise ApiError(400, "JSON parse error: expected an array of EventEx")
    try:
        for item in call.body:
            _validate_event(item)
    except ApiError as e:
        # The only observed bulk validation error is an array (reference §3.6 / §5.2).
        raise ApiError(e.status, body=[e.body]) from None
    upsert = call.query.get("upsert", "false").lower() == "true"
    return 200, [
        fake._upsert_event(item) if upsert else fake._store_new_event(item) for item in call.body
    ]


def update_event(fake: FakeIntervals, call: Call) -> Reply:
    event = fake._event_or_404(call)
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    merged = {**event, **_writable(call.body)}
    _validate_event(merged)
    event.clear()
    event.update(_with_server_fields(merged, fake.planned_seconds))
    return 200, event


def delete_event(fake: FakeIntervals, call: Call) -> Reply:
    event = fake._event_or_404(call)
    del fake.events[event["id"]]
    return 200, {}


def bulk_delete_events(fake: FakeIntervals, call: Call) -> Reply:
    if not call.body_ok or not isinstance(call.body, list):
        raise ApiError(400, "JSON parse error: expected an array of DoomedEvent")
    deleted = 0
    for doomed in call.body:
        if not isinstance(doomed, dict):
            raise ApiError(400, "JSON parse error: expected an array of DoomedEvent")
        if doomed.get("external_id") is not None:
            # external_id wins over id and only matches the caller's OAuth app: never an API key.
            matches = [
                e
                for e in fake.events.values()
                if fake._owned_by_caller(e) and e.get("external_id") == doomed["external_id"]
            ]
        else:
            matches = [fake.events[doomed["id"]]] if doomed.get("id") in fake.events else []
        for event in matches:
            del fake.events[event["id"]]
            deleted += 1
    return 200, {"eventsDeleted": deleted}


def _validate_event(body: Any) -> None:
    if not isinstance(body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    if not body.get("category"):
        raise ApiError(422, "category is required")
    if body["category"] not in EVENT_CATEGORIES:
        raise ApiError(400, f'JSON parse error: unknown category "{body["category"]}"')
    if not body.get("start_date_local"):
        raise ApiError(422, "start_date_local is required")
    _parse_local(body["start_date_local"])
    if len(body.get("name") or "") > NAME_LIMIT:
        raise ApiError(422, "Name is too long")


def _writable(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in EVENT_READ_ONLY | EVENT_REQUEST_ONLY}


_DURATION = re.compile(r"(?<![\w.])(?:(\d+)h)?(?:(\d+)m(?!tr|i))?(?:(\d+)s)?(?![\w%])")
_REPEAT = re.compile(r"(?:^|\s)(\d+)x\s*$")


def planned_seconds(description: str) -> int | None:
    """Intervals.icu's moving time for time-based workout text, computed independently of
    coach.workout: durations on `- ` lines, times the count of their `Nx` block."""
    total, count = 0, 1
    for line in description.splitlines():
        text = line.strip()
        if not text:
            count = 1
        elif text.startswith("-"):
            found = next((m for m in _DURATION.finditer(text) if m.group(0)), None)
            if found:
                h, m, sec = (int(g or 0) for g in found.groups())
                total += count * (h * 3600 + m * 60 + sec)
        elif _REPEAT.search(text):
            count = int(_REPEAT.search(text).group(1))  # type: ignore[union-attr]
    return total or None


def _with_server_fields(event: dict[str, Any],
                        seconds: Callable[[str], int | None] = planned_seconds) -> dict[str, Any]:
    """Recompute what Intervals.icu derives from an event's own fields."""
    start = _parse_local(event["start_date_local"]).date()
    event["end_date_local"] = f"{start + timedelta(days=1)}T00:00:00"
    description = event.get("description") or ""
    steps = [line[2:].strip() for line in description.splitlines() if line.startswith("- ")]
    moving = seconds(description) if steps else None
    event["workout_doc"] = (
        {"steps": [{"text": s} for s in steps], "duration": moving} if steps else None
    )
    event["moving_time"] = moving if steps else event.get("moving_time")
    event["updated"] = _now()
    return event


def get_curves(fake: FakeIntervals, call: Call) -> Reply:
    sport = call.query.get("type")
    if not sport and "power" in call.path:
        raise ApiError(400, "Required request parameter 'type' for method parameter type "
                            "String is not present")
    wanted = [c for c in (call.query.get("curves") or "").split(",") if c]
    found = [c for c in fake.curves.get(sport or "Run", []) if not wanted or c["id"] in wanted]
    return 200, {"list": copy.deepcopy(found), "activities": {}}


def get_hr_curves(fake: FakeIntervals, call: Call) -> Reply:
    wanted = [c for c in (call.query.get("curves") or "").split(",") if c]
    found = [c for c in fake.hr_curves.get(call.query.get("type") or "Ride", [])
             if not wanted or c["id"] in wanted]
    return 200, {"list": copy.deepcopy(found), "activities": {}}


def _power_curve(period: str, scale: float) -> dict[str, Any]:
    secs = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600]
    return {"id": period, "label": period, "secs": secs,
            "values": [round(min(900.0, 240 + 18000 / t) * scale) for t in secs]}


def _pace_curve(period: str, scale: float, metres: list[int], speed: float) -> dict[str, Any]:
    secs = [round(d / (speed * scale * (d / metres[-1]) ** -0.07)) for d in metres]
    return {"id": period, "label": period, "distance": metres, "secs": secs, "values": secs}


def _hr_curve(period: str, top: int) -> dict[str, Any]:
    secs = [5, 60, 300, 1200, 3600]
    return {"id": period, "label": period, "secs": secs,
            "values": [top - round(4 * i) for i in range(len(secs))]}


_PERIODS = {"42d": 0.95, "84d": 0.97, "1y": 1.0, "all": 1.0}
# Best efforts as DataCurveSet lists: power for rides, pace (distance -> seconds) for runs and
# swims, heart rate for every sport (GET …/hr-curves).
SAMPLE_CURVES: dict[str, list[dict[str, Any]]] = {
    "Ride": [_power_curve(p, s) for p, s in _PERIODS.items()],
    "Run": [_pace_curve(p, s, [400, 1000, 1609, 5000, 10000], 3.7) for p, s in _PERIODS.items()],
    "Swim": [_pace_curve(p, s, [100, 200, 400, 800, 1500], 1.0) for p, s in _PERIODS.items()],
}
SAMPLE_HR_CURVES: dict[str, list[dict[str, Any]]] = {
    sport: [_hr_curve(p, top) for p in _PERIODS] for sport, top in
    (("Ride", 182), ("Run", 188), ("Swim", 176))}


ATHLETE = r"/api/v1/athlete/(?P<athlete>[^/]+)"
EVENT_ID = r"(?P<event_id>\d+)"
ROUTES: list[Route] = [
    Route(m, re.compile(ATHLETE + suffix), "/api/v1/athlete/{id}" + template, fn)
    for m, suffix, template, fn in [
        ("GET", "", "", get_athlete),
        ("GET", "/activities", "/activities", list_activities),
        ("GET", "/wellness", "/wellness{ext}", list_wellness),
        ("GET", r"/wellness/(?P<date>[^/]+)", "/wellness/{date}", get_wellness),
        ("PUT", r"/wellness/(?P<date>[^/]+)", "/wellness/{date}", update_wellness),
        ("GET", "/events", "/events{format}", list_events),
        ("GET", "/power-curves", "/power-curves{ext}", get_curves),
        ("GET", "/pace-curves", "/pace-curves{ext}", get_curves),
        ("GET", "/hr-curves", "/hr-curves{ext}", get_hr_curves),
        ("POST", "/events", "/events", create_event),
        ("POST", "/events/bulk", "/events/bulk", create_events_bulk),
        ("PUT", "/events/bulk-delete", "/events/bulk-delete", bulk_delete_events),
        ("GET", "/events/" + EVENT_ID, "/events/{eventId}", get_event),
        ("PUT", "/events/" + EVENT_ID, "/events/{eventId}", update_event),
        ("DELETE", "/events/" + EVENT_ID, "/events/{eventId}", delete_event),
    ]
]


# --- The fake -----------------------------------------------------------------------------------


class FakeIntervals:
    """Intervals.icu for one athlete, authenticated with a personal API key."""

    latency_s: float = 0.0
    rate_limit_per_s: float | None = None
    # The OAuth app the caller writes as. None models a personal API key, which owns no events
    # for external_id matching (upsert, bulk-delete): the pessimistic reading of reference §6.
    caller_oauth_client_id: int | None = None
    delay_after_write_s: float = 0.0   # a write is stored at once but answered this late
    # How this "Intervals.icu" turns workout text into a moving time; tests may replace it.
    planned_seconds: Callable[[str], int | None] = staticmethod(planned_seconds)

    def __init__(
        self,
        *,
        athlete: dict[str, Any] | None = None,
        activities: Iterable[dict[str, Any]] = (),
        wellness: Iterable[dict[str, Any]] = (),
        events: Iterable[dict[str, Any]] = (),
        curves: dict[str, list[dict[str, Any]]] | None = None,
        api_key: str = API_KEY,
        athlete_id: str = "i123456",
        contract: bool = True,
    ) -> None:
        self.athlete = copy.deepcopy(athlete if athlete is not None else SAMPLE_ATHLETE)
        # The real athlete record carries the account's own API key (schema WithSportSettings).
        self.athlete.setdefault("icu_api_key", api_key)
        self.athlete.setdefault("icu_friend_invite_token", "invite-0f0f0f")
        # Athletes this key coaches: their own fakes, reached through this one's paths.
        self.coached: dict[str, FakeIntervals] = {}
        # Best-effort curves by activity type ("Ride": power; "Run"/"Swim": pace), DataCurve
        self.curves: dict[str, list[dict[str, Any]]] = copy.deepcopy(
            SAMPLE_CURVES if curves is None else curves)
        self.hr_curves: dict[str, list[dict[str, Any]]] = copy.deepcopy(SAMPLE_HR_CURVES)
        self.activities: list[dict[str, Any]] = copy.deepcopy(list(activities))
        self.wellness: list[dict[str, Any]] = copy.deepcopy(list(wellness))
        self.api_key = api_key
        self.athlete_id = athlete_id
        self.requests: list[RecordedRequest] = []
        self.writes: list[RecordedRequest] = []
        self.events: dict[int, dict[str, Any]] = {}
        self._next_event_id = FIRST_EVENT_ID
        self._injections: list[_Injection] = []
        self.contract = Contract.load() if contract else None
        self.held: dict[str, threading.Event] = {}  # path fragment -> released when set
        self.holding = threading.Event()            # a request is waiting at a hold
        self._after_write: list[int] = []
        self._admitted: deque[float] = deque()
        self._lock = threading.RLock()
        for event in copy.deepcopy(list(events)):
            event_id = event.get("id") or self._new_event_id()
            self.events[event_id] = {**event, "id": event_id}
            self._next_event_id = max(self._next_event_id, event_id + 1)

    # -- failure injection

    def fail_next(
        self,
        status: int,
        *,
        body: Any = None,
        path_contains: str = "",
        times: int = 1,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        timeout: bool = False,
    ) -> None:
        """Answer the next `times` requests whose path contains `path_contains` with an error
        (any status, any body or raw bytes), or with a read timeout (`timeout=True`)."""
        extra = dict(headers or {})
        if status == 429:
            extra.setdefault("Retry-After", "1")
        with self._lock:
            self._injections.append(
                _Injection(status, body, path_contains, times, extra, raw, timeout))

    def fail_path(self, path_contains: str, status: int = 500, *, timeout: bool = False,
                  raw: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        """Make every request to a path fail from now on, until `heal()`."""
        self.fail_next(status, path_contains=path_contains, times=10**9, timeout=timeout, raw=raw,
                       headers=headers)

    def hold(self, path_contains: str) -> threading.Event:
        """Requests to this path wait until the returned event is set (`holding` is set while
        one waits): for killing a client in the middle of a step."""
        release = self.held[path_contains] = threading.Event()
        return release

    def heal(self) -> None:
        """Forget every injected failure: Intervals.icu is healthy again."""
        with self._lock:
            self._injections.clear()
            self._after_write.clear()

    def fail_after_write(self, status: int = 504, times: int = 1) -> None:
        """Let the next successful write(s) take effect but answer with `status`."""
        with self._lock:
            self._after_write.extend([status] * times)

    # -- seams

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer one request; for `httpx.MockTransport(fake.handler)`."""
        request.read()
        body, body_ok = _parse_body(request.content)
        recorded = RecordedRequest(
            request.method, request.url.path, dict(request.url.params), body, dict(request.headers)
        )
        with self._lock:
            self.requests.append(recorded)
            if request.method in WRITE_METHODS:
                self.writes.append(recorded)
        if self.contract is not None and request.headers.get("user-agent") == "local-coach":
            self._check_request(request, body)
        self._wait_if_held(recorded.path)
        if self.latency_s:
            time.sleep(self.latency_s)
        with self._lock:
            if self._over_rate_limit():
                return _json_response(
                    429, default_error_body(429, recorded.path), {"Retry-After": "1"}
                )
            injected = self._take_injection(recorded.path, request)
            if injected is not None:
                return injected
            call = Call(recorded.path, {}, recorded.query, body, body_ok)
            status, payload = self._dispatch(request, call)
            if self.contract is not None and 200 <= status < 300:
                self._check_response(request.method, recorded.path, status, payload)
            if request.method in WRITE_METHODS and status < 400 and self._after_write:
                status = self._after_write.pop(0)
                payload = default_error_body(status, recorded.path)
            response = _json_response(status, copy.deepcopy(payload))
        if request.method in WRITE_METHODS and self.delay_after_write_s:
            time.sleep(self.delay_after_write_s)  # the write is done; its answer is late
        return response

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)

    def serve(self) -> ServedFake:
        """Start a real HTTP server on 127.0.0.1 that answers through `handler`."""
        return ServedFake(self)

    # -- internals

    def _dispatch(self, request: httpx.Request, call: Call) -> Reply:
        denied = self._auth_error(request.headers.get("authorization"))
        if denied is not None:
            return denied
        if call.path == "/api/v1/athletes" and request.method == "GET":
            return 200, self._roster()
        path_matched = False
        for route in ROUTES:
            match = route.pattern.fullmatch(call.path)
            if match is None:
                continue
            path_matched = True
            if route.method != request.method:
                continue
            call.params = match.groupdict()
            target = self.coached.get(call.params["athlete"])
            if call.params["athlete"] not in ("0", self.athlete_id) and target is None:
                return 403, {"status": 403, "error": "Access denied"}
            try:
                return route.fn(target or self, call)
            except ApiError as e:
                return e.status, e.body
        if path_matched:
            return 405, {
                "timestamp": _now(),
                "status": 405,
                "error": "Method Not Allowed",
                "path": call.path,
            }
        return 404, spring_404(call.path)

    def _roster(self) -> list[dict[str, Any]]:
        """GET /api/v1/athletes: the caller (with its own key, like the real record) and the
        athletes it coaches."""
        own = {k: self.athlete.get(k) for k in ("id", "name", "icu_api_key")}
        return [own, *({"id": a, "name": f.athlete.get("name"), "icu_coach": False}
                       for a, f in self.coached.items())]

    def _auth_error(self, authorization: str | None) -> Reply | None:
        if authorization is None:
            return 401, {"status": 401, "error": "Unauthorized"}
        scheme, _, credentials = authorization.partition(" ")
        expected = base64.b64encode(f"API_KEY:{self.api_key}".encode()).decode()
        if scheme.lower() != "basic" or credentials.strip() != expected:
            return 403, {"status": 403, "error": "Access denied"}
        return None

    def _over_rate_limit(self) -> bool:
        if self.rate_limit_per_s is None:
            return False
        now = time.monotonic()
        while self._admitted and now - self._admitted[0] >= 1.0:
            self._admitted.popleft()
        if len(self._admitted) >= self.rate_limit_per_s:
            return True
        self._admitted.append(now)
        return False

    def _check_request(self, request: httpx.Request, body: Any) -> None:
        assert self.contract is not None
        try:
            op = self.contract.check_request(request.method, request.url.path, request.url.params,
                                             body if request.content else None)
        except ContractError as e:
            CONTRACT_VIOLATIONS.append(f"request {request.method} {request.url}: {e}")
        else:
            OPERATIONS_SEEN.add((op.method, op.template, op.operation_id))

    def _check_response(self, method: str, path: str, status: int, payload: Any) -> None:
        assert self.contract is not None
        try:
            self.contract.check_response(method, path, status, payload)
        except ContractError as e:
            CONTRACT_VIOLATIONS.append(f"response to {method} {path}: {e}")

    def _wait_if_held(self, path: str) -> None:
        for fragment, release in list(self.held.items()):
            if fragment in path and not release.is_set():
                self.holding.set()
                release.wait()

    def _take_injection(self, path: str, request: httpx.Request) -> httpx.Response | None:
        for injection in self._injections:
            if injection.path_contains in path:
                injection.times -= 1
                if injection.times <= 0:
                    self._injections.remove(injection)
                if injection.timeout:
                    raise httpx.ReadTimeout("the fake Intervals.icu did not answer",
                                            request=request)
                if injection.raw is not None:
                    headers = {"Content-Type": JSON_CONTENT_TYPE, **injection.headers}
                    return httpx.Response(injection.status, content=injection.raw, headers=headers)
                body = injection.body
                if body is None:
                    body = default_error_body(injection.status, path)
                return _json_response(injection.status, body, injection.headers)
        return None

    def _new_event_id(self) -> int:
        event_id = self._next_event_id
        self._next_event_id += 1
        return event_id

    def _event_or_404(self, call: Call) -> dict[str, Any]:
        event = self.events.get(int(call.params["event_id"]))
        if event is None:
            raise ApiError(404, f"Event {call.params['event_id']} not found")
        return event

    def _store_new_event(self, body: dict[str, Any]) -> dict[str, Any]:
        _validate_event(body)
        event = {
            **_writable(body),
            "id": self._new_event_id(),
            "athlete_id": self.athlete_id,
            "uid": str(uuid.uuid4()),
            "oauth_client_id": self.caller_oauth_client_id,
        }
        self.events[event["id"]] = _with_server_fields(event, self.planned_seconds)
        return event

    def _upsert_event(self, body: dict[str, Any]) -> dict[str, Any]:
        for event in self.events.values():
            if (
                body.get("external_id") is not None
                and self._owned_by_caller(event)
                and event.get("external_id") == body["external_id"]
            ):
                event.update(_with_server_fields({**event, **_writable(body)},
                                                 self.planned_seconds))
                return event
        return self._store_new_event(body)

    def _owned_by_caller(self, event: dict[str, Any]) -> bool:
        owner = self.caller_oauth_client_id
        return owner is not None and event.get("oauth_client_id") == owner


def _parse_body(content: bytes) -> tuple[Any, bool]:
    if not content:
        return None, True
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text), True
    except ValueError:
        return text, False


def _json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(payload).encode(),
        headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})},
    )


# --- Served mode --------------------------------------------------------------------------------


class ServedFake:
    """A running local server for a `FakeIntervals`; stop it with `.stop()` or a `with` block."""

    def __init__(self, fake: FakeIntervals) -> None:
        self.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(fake))
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> ServedFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_class(fake: FakeIntervals) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            content = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}",
                headers=list(self.headers.items()),
                content=content,
            )
            try:
                response = fake.handler(request)
            except httpx.TimeoutException:  # injected: answer nothing, the client times out
                self.close_connection = True
                return
            except Exception as e:  # a fake bug: answer rather than hang the client
                response = _json_response(500, {"status": 500, "error": repr(e)})
            self.send_response(response.status_code)
            skip = {"content-length", "transfer-encoding", "connection"}
            for name, value in response.headers.multi_items():
                if name.lower() not in skip:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler
