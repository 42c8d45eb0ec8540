"""The event calendar of the fake Intervals.icu: its routes (list, get, create, bulk create or
upsert, update, delete, bulk delete), the rules an event must meet, and the fields the server
derives from an event's own (end date, workout_doc, moving time from the workout text).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from .intervals_calls import (
    Account,
    ApiError,
    Call,
    Reply,
    now,
    parse_local,
    query_int,
)

NAME_LIMIT = 80
EVENT_CATEGORIES = frozenset({
    "WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE", "PLAN", "HOLIDAY", "SICK", "INJURED",
    "SET_EFTP", "FITNESS_DAYS", "SEASON_START", "TARGET", "SET_FITNESS",
})  # fmt: skip
# Server-owned or request-only fields a client cannot set on an event.
EVENT_READ_ONLY = frozenset(
    {"id", "athlete_id", "uid", "updated", "workout_doc", "oauth_client_id"}
)
EVENT_REQUEST_ONLY = frozenset({"filename", "file_contents", "file_contents_base64", "workout"})


def list_events(fake: Account, call: Call) -> Reply:
    oldest = parse_local(call.query.get("oldest", date.today().isoformat())).date()
    newest_default = (oldest + timedelta(days=6)).isoformat()
    newest = parse_local(call.query.get("newest", newest_default)).date()
    categories = {c for c in call.query.get("category", "").split(",") if c}
    found = [
        e
        for e in fake.events.values()
        if oldest <= parse_local(e["start_date_local"]).date() <= newest
        and (not categories or e.get("category") in categories)
    ]
    found.sort(key=lambda e: (e["start_date_local"], e["id"]))
    limit = query_int(call.query, "limit")
    return 200, found[:limit] if limit is not None else found


def get_event(fake: Account, call: Call) -> Reply:
    return 200, _event_or_404(fake, call)


def create_event(fake: Account, call: Call) -> Reply:
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    return 200, _store_new_event(fake, call.body)


def create_events_bulk(fake: Account, call: Call) -> Reply:
    if not call.body_ok or not isinstance(call.body, list):
        raise ApiError(400, "JSON parse error: expected an array of EventEx")
    try:
        for item in call.body:
            _validate_event(item)
    except ApiError as e:
        # The only observed bulk validation error is an array (reference §3.6 / §5.2).
        raise ApiError(e.status, body=[e.body]) from None
    upsert = call.query.get("upsert", "false").lower() == "true"
    store = _upsert_event if upsert else _store_new_event
    return 200, [store(fake, item) for item in call.body]


def update_event(fake: Account, call: Call) -> Reply:
    event = _event_or_404(fake, call)
    if not call.body_ok or not isinstance(call.body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    merged = {**event, **_writable(call.body)}
    _validate_event(merged)
    event.clear()
    event.update(_with_server_fields(merged, fake.planned_seconds))
    return 200, event


def delete_event(fake: Account, call: Call) -> Reply:
    event = _event_or_404(fake, call)
    del fake.events[event["id"]]
    return 200, {}


def bulk_delete_events(fake: Account, call: Call) -> Reply:
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
                if _owned_by_caller(fake, e) and e.get("external_id") == doomed["external_id"]
            ]
        else:
            matches = [fake.events[doomed["id"]]] if doomed.get("id") in fake.events else []
        for event in matches:
            del fake.events[event["id"]]
            deleted += 1
    return 200, {"eventsDeleted": deleted}


# --- Event rules --------------------------------------------------------------------------------


def _event_or_404(fake: Account, call: Call) -> dict[str, Any]:
    event = fake.events.get(int(call.params["event_id"]))
    if event is None:
        raise ApiError(404, f"Event {call.params['event_id']} not found")
    return event


def _store_new_event(fake: Account, body: dict[str, Any]) -> dict[str, Any]:
    _validate_event(body)
    event = {
        **_writable(body),
        "id": fake.new_event_id(),
        "athlete_id": fake.athlete_id,
        "uid": str(uuid.uuid4()),
        "oauth_client_id": fake.caller_oauth_client_id,
    }
    fake.events[event["id"]] = _with_server_fields(event, fake.planned_seconds)
    return event


def _upsert_event(fake: Account, body: dict[str, Any]) -> dict[str, Any]:
    for event in fake.events.values():
        if (
            body.get("external_id") is not None
            and _owned_by_caller(fake, event)
            and event.get("external_id") == body["external_id"]
        ):
            event.update(_with_server_fields({**event, **_writable(body)},
                                             fake.planned_seconds))
            return event
    return _store_new_event(fake, body)


def _owned_by_caller(fake: Account, event: dict[str, Any]) -> bool:
    owner = fake.caller_oauth_client_id
    return owner is not None and event.get("oauth_client_id") == owner


def _validate_event(body: Any) -> None:
    if not isinstance(body, dict):
        raise ApiError(400, "JSON parse error: expected an EventEx object")
    if not body.get("category"):
        raise ApiError(422, "category is required")
    if body["category"] not in EVENT_CATEGORIES:
        raise ApiError(400, f'JSON parse error: unknown category "{body["category"]}"')
    if not body.get("start_date_local"):
        raise ApiError(422, "start_date_local is required")
    parse_local(body["start_date_local"])
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
    start = parse_local(event["start_date_local"]).date()
    event["end_date_local"] = f"{start + timedelta(days=1)}T00:00:00"
    description = event.get("description") or ""
    steps = [line[2:].strip() for line in description.splitlines() if line.startswith("- ")]
    moving = seconds(description) if steps else None
    event["workout_doc"] = (
        {"steps": [{"text": s} for s in steps], "duration": moving} if steps else None
    )
    event["moving_time"] = moving if steps else event.get("moving_time")
    event["updated"] = now()
    return event

