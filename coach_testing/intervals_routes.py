"""The routes of the fake Intervals.icu: athlete, activities, wellness and curves answered here,
the event calendar's from `intervals_events`, and `ROUTES`, the table that maps method and path
(with the template the OpenAPI document names it by) to a route function.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .intervals_calls import (
    Account,
    ApiError,
    Call,
    Reply,
    now,
    only_fields,
    parse_local,
    query_int,
)
from .intervals_events import (
    bulk_delete_events,
    create_event,
    create_events_bulk,
    delete_event,
    get_event,
    list_events,
    update_event,
)

STUB_FIELDS = ("id", "icu_athlete_id", "start_date_local", "source", "_note")  # schema `Hidden`

RouteFn = Callable[[Account, Call], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    template: str  # the path template in the OpenAPI document
    fn: RouteFn


def get_athlete(fake: Account, call: Call) -> Reply:
    return 200, fake.athlete


def list_activities(fake: Account, call: Call) -> Reply:
    if "oldest" not in call.query:
        raise ApiError(
            400,
            "Required request parameter 'oldest' for method parameter type String is not present",
        )
    oldest = parse_local(call.query["oldest"])
    newest = datetime.now()
    if "newest" in call.query:
        newest = parse_local(call.query["newest"], end_of_day=True)
    # Stored stubs need a start_date_local to be placed in a window; without one they never match.
    found = [
        a
        for a in fake.activities
        if a.get("start_date_local") and oldest <= parse_local(a["start_date_local"]) <= newest
    ]
    found.sort(key=lambda a: a["start_date_local"], reverse=True)
    limit = query_int(call.query, "limit")
    if limit is not None:
        found = found[:limit]
    served = [_stub(a) if a.get("source") == "STRAVA" else a for a in found]
    return 200, only_fields(served, call.query.get("fields"))


def _stub(activity: dict[str, Any]) -> dict[str, Any]:
    return {k: activity[k] for k in STUB_FIELDS if k in activity}


def list_wellness(fake: Account, call: Call) -> Reply:
    oldest = call.query.get("oldest", "0000-01-01")[:10]
    newest = call.query.get("newest", "9999-12-31")[:10]
    found = sorted((w for w in fake.wellness if oldest <= w["id"] <= newest), key=lambda w: w["id"])
    return 200, only_fields(found, call.query.get("fields"))


def get_wellness(fake: Account, call: Call) -> Reply:
    for record in fake.wellness:
        if record["id"] == call.params["date"]:
            return 200, record
    raise ApiError(404, f"Wellness record for {call.params['date']} not found")


def update_wellness(fake: Account, call: Call) -> Reply:
    """PUT one day's wellness: create-or-update, "only fields provided are changed", -1 unsets
    a numeric field (reference §3.5)."""
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected a Wellness object")
    day = parse_local(call.params["date"]).date().isoformat()
    record = next((w for w in fake.wellness if w["id"] == day), None)
    if record is None:
        record = {"id": day}
        fake.wellness.append(record)
    for key, value in call.body.items():
        if key != "id":
            record[key] = None if value == -1 else value
    record["updated"] = now()
    return 200, record


def get_curves(fake: Account, call: Call) -> Reply:
    sport = call.query.get("type")
    if not sport and "power" in call.path:
        raise ApiError(400, "Required request parameter 'type' for method parameter type "
                            "String is not present")
    wanted = [c for c in (call.query.get("curves") or "").split(",") if c]
    found = [c for c in fake.curves.get(sport or "Run", []) if not wanted or c["id"] in wanted]
    return 200, {"list": copy.deepcopy(found), "activities": {}}


def get_hr_curves(fake: Account, call: Call) -> Reply:
    wanted = [c for c in (call.query.get("curves") or "").split(",") if c]
    found = [c for c in fake.hr_curves.get(call.query.get("type") or "Ride", [])
             if not wanted or c["id"] in wanted]
    return 200, {"list": copy.deepcopy(found), "activities": {}}


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

