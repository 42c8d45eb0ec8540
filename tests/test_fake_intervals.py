"""The Intervals.icu fake: its contract with the official OpenAPI document, and its behaviour."""

from __future__ import annotations

import base64
import copy
import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from coach.testing.intervals_fake import API_KEY, FIRST_EVENT_ID, FakeIntervals
from coach.testing.intervals_routes import ROUTES
from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS
from coach.testing.intervals_served import ServedFake

SPEC = json.loads((Path(__file__).parent / "fixtures" / "intervals-openapi.json").read_text())
BASE = "/api/v1/athlete/0"
WORKOUT = {
    "category": "WORKOUT",
    "start_date_local": "2026-03-14T08:00:00",
    "type": "Ride",
    "name": "Sweet Spot 3x12",
    "description": "Warmup\n- 10m ramp 50-75% 90rpm\n\nMain Set 3x\n- 12m 88-92%\n- 4m 55%",
    "external_id": "coach:2026-03-14:ride",
}


# --- A small OpenAPI checker: keys and basic JSON types, following $ref ---------------------------


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type_ok(value: Any, expected: str | None) -> bool:
    if expected is None or value is None:  # the spec marks nothing non-nullable
        return True
    if expected == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    kinds = {"string": str, "boolean": bool, "array": list, "object": dict}
    return isinstance(value, kinds[expected])


def schema_errors(value: Any, schema: dict[str, Any] | str, where: str = "$") -> list[str]:
    """Every key unknown to `schema` and every value of the wrong JSON type, recursively."""
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    schema = _resolve(schema)
    if not _type_ok(value, schema.get("type")):
        return [f"{where}: {value!r} is not {schema['type']}"]
    errors = []
    if "enum" in schema and value is not None and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in enum")
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                errors.append(f"{where}: unknown key {key!r}")
            else:
                errors += schema_errors(item, schema["properties"][key], f"{where}.{key}")
    # additionalProperties values are not checked: springdoc renders Map<String, Object> (e.g.
    # Event.workout_doc) as "additionalProperties: object" although real values are any JSON.
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors


def test_schema_checker_reports_unknown_keys_wrong_types_and_enums() -> None:
    bad = {"id": 1, "average_watts": 200, "moving_time": 1.5, "source": "NOPE"}
    bad["icu_zone_times"] = [{"id": "Z1", "secs": "60"}]
    errors = schema_errors(bad, "Activity")
    assert "$: unknown key 'average_watts'" in errors
    assert "$.id: 1 is not string" in errors
    assert "$.moving_time: 1.5 is not integer" in errors
    assert "$.source: 'NOPE' not in enum" in errors
    assert "$.icu_zone_times[0].secs: '60' is not integer" in errors
    assert schema_errors({"id": "i1", "moving_time": None}, "Activity") == []


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def fake() -> FakeIntervals:
    return FakeIntervals(activities=reversed(SAMPLE_ACTIVITIES), wellness=reversed(SAMPLE_WELLNESS))


@pytest.fixture
def client(fake: FakeIntervals) -> Iterator[httpx.Client]:
    with httpx.Client(
        transport=fake.transport(), base_url="https://intervals.icu", auth=("API_KEY", API_KEY)
    ) as c:
        yield c


@pytest.fixture
def served(fake: FakeIntervals) -> Iterator[ServedFake]:
    with fake.serve() as s:
        yield s


@pytest.fixture
def http(served: ServedFake) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url, auth=("API_KEY", API_KEY), timeout=5) as c:
        yield c


# --- Contract with the OpenAPI document ---------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.template}")
def test_every_route_exists_in_the_openapi_document(route: Any) -> None:
    assert route.method.lower() in SPEC["paths"].get(route.template, {})


def test_served_payloads_match_the_schemas(client: httpx.Client) -> None:
    athlete = client.get(BASE).json()
    assert schema_errors(athlete, "WithSportSettings") == []
    assert {"Ride", "Run", "Swim"} <= {t for s in athlete["sportSettings"] for t in s["types"]}

    activities = client.get(f"{BASE}/activities", params={"oldest": "2026-01-01"}).json()
    assert len(activities) == 4
    for activity in activities:
        schema = "Hidden" if activity.get("source") == "STRAVA" else "Activity"
        assert schema_errors(activity, schema) == [], activity["id"]

    wellness = client.get(f"{BASE}/wellness", params={"oldest": "2026-03-01"}).json()
    wellness.append(client.get(f"{BASE}/wellness/2026-03-11").json())
    assert len(wellness) == 4
    for record in wellness:
        assert schema_errors(record, "Wellness") == [], record["id"]

    created = client.post(f"{BASE}/events", json=WORKOUT).json()
    bulk = client.post(f"{BASE}/events/bulk", json=[{**WORKOUT, "name": "Other"}]).json()
    listed = client.get(f"{BASE}/events", params={"oldest": "2026-03-14"}).json()
    for event in [created, *bulk, *listed]:
        assert schema_errors(event, "Event") == []
    deleted = client.put(f"{BASE}/events/bulk-delete", json=[{"id": created["id"]}]).json()
    assert schema_errors(deleted, "DeleteEventsResponse") == []


def test_sample_constants_are_not_shared_with_the_fake(fake: FakeIntervals) -> None:
    fake.athlete["name"] = "Changed"
    fake.activities[0]["name"] = "Changed"
    assert SAMPLE_ATHLETE["name"] == "Ana Ruiz"
    assert "Changed" not in {a.get("name") for a in SAMPLE_ACTIVITIES}


# --- Auth and routing ---------------------------------------------------------------------------


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_no_authorization_header_is_401(fake: FakeIntervals) -> None:
    with httpx.Client(transport=fake.transport(), base_url="https://intervals.icu") as c:
        response = c.get(BASE)
    assert response.status_code == 401
    assert response.json() == {"status": 401, "error": "Unauthorized"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": _basic("API_KEY", "wrong")},
        {"Authorization": _basic("i123456", API_KEY)},
        {"Authorization": f"Bearer {API_KEY}"},
        {"Authorization": "Basic not-base64"},
    ],
    ids=["wrong-key", "athlete-id-as-username", "bearer", "garbage"],
)
def test_bad_credentials_are_403_access_denied(fake: FakeIntervals, headers: dict) -> None:
    with httpx.Client(transport=fake.transport(), base_url="https://intervals.icu") as c:
        response = c.get(BASE, headers=headers)
    assert response.status_code == 403
    assert response.json() == {"status": 403, "error": "Access denied"}


def test_athlete_id_may_be_zero_or_real_but_not_another(client: httpx.Client) -> None:
    assert client.get("/api/v1/athlete/0").json()["id"] == "i123456"
    assert client.get("/api/v1/athlete/i123456").status_code == 200
    other = client.get("/api/v1/athlete/i999/activities", params={"oldest": "2026-01-01"})
    assert (other.status_code, other.json()) == (403, {"status": 403, "error": "Access denied"})


def test_unknown_route_is_spring_404_and_wrong_method_405(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/fitness")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404 and body["error"] == "Not Found"
    assert body["path"] == "/api/v1/athlete/0/fitness" and body["timestamp"]
    assert response.headers["content-type"] == "application/json;charset=UTF-8"
    assert client.delete(f"{BASE}/activities").status_code == 405


# --- Activities and wellness --------------------------------------------------------------------


def test_activities_require_oldest(client: httpx.Client) -> None:
    response = client.get(f"{BASE}/activities")
    assert response.status_code == 400
    assert "'oldest'" in response.json()["error"]


def test_activities_filter_by_local_date_inclusive_newest_first(client: httpx.Client) -> None:
    response = client.get(
        f"{BASE}/activities", params={"oldest": "2026-03-11", "newest": "2026-03-12"}
    )
    ids = [a["id"] for a in response.json()]
    assert ids == ["i150000003", "i150000002", "20171057567"]
    later = client.get(f"{BASE}/activities", params={"oldest": "2026-03-11T13:00:00"}).json()
    assert [a["id"] for a in later] == ["i150000003", "i150000002"]
    limited = client.get(f"{BASE}/activities", params={"oldest": "2026-01-01", "limit": 2}).json()
    assert [a["id"] for a in limited] == ["i150000003", "i150000002"]
    none = client.get(f"{BASE}/activities", params={"oldest": "2026-03-13"}).json()
    assert none == []


def test_strava_activities_are_served_as_stubs(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.activities.append(
        {
            "id": "999",
            "source": "STRAVA",
            "start_date_local": "2026-03-09T10:00:00",
            "type": "Ride",
            "icu_training_load": 80,
            "moving_time": 3600,
        }
    )
    served = client.get(f"{BASE}/activities", params={"oldest": "2026-03-09"}).json()
    stubs = {a["id"]: a for a in served if a.get("source") == "STRAVA"}
    assert stubs["999"] == {
        "id": "999",
        "source": "STRAVA",
        "start_date_local": "2026-03-09T10:00:00",
    }
    assert set(stubs["20171057567"]) == {
        "id",
        "icu_athlete_id",
        "start_date_local",
        "source",
        "_note",
    }


def test_fields_keeps_only_named_keys_and_drops_nulls(client: httpx.Client) -> None:
    params = {"oldest": "2026-03-10", "newest": "2026-03-10", "fields": "id,hrvSDNN,hrv"}
    assert client.get(f"{BASE}/wellness", params=params).json() == [
        {"id": "2026-03-10", "hrv": 72.0}
    ]


def test_wellness_in_range_oldest_first(client: httpx.Client) -> None:
    all_days = client.get(
        f"{BASE}/wellness", params={"oldest": "2026-03-10", "newest": "2026-03-12"}
    )
    assert [w["id"] for w in all_days.json()] == ["2026-03-10", "2026-03-11", "2026-03-12"]
    one = client.get(f"{BASE}/wellness", params={"oldest": "2026-03-11", "newest": "2026-03-11"})
    assert [w["id"] for w in one.json()] == ["2026-03-11"]
    assert client.get(f"{BASE}/wellness/2026-03-12").json()["hrv"] == 69.0
    assert client.get(f"{BASE}/wellness/2026-03-13").status_code == 404


# --- Events -------------------------------------------------------------------------------------


def test_event_crud(fake: FakeIntervals, client: httpx.Client) -> None:
    created = client.post(f"{BASE}/events", json=WORKOUT)
    assert created.status_code == 200
    event = created.json()
    assert event["id"] == FIRST_EVENT_ID and event["athlete_id"] == "i123456"
    assert len(event["uid"]) == 36 and event["updated"]
    assert event["end_date_local"] == "2026-03-15T00:00:00"
    assert [s["text"] for s in event["workout_doc"]["steps"]] == [
        "10m ramp 50-75% 90rpm",
        "12m 88-92%",
        "4m 55%",
    ]
    assert fake.events[event["id"]]["name"] == "Sweet Spot 3x12"
    assert client.get(f"{BASE}/events/{event['id']}").json() == event

    updated = client.put(f"{BASE}/events/{event['id']}", json={"name": "Shorter", "id": 1}).json()
    assert (updated["id"], updated["name"], updated["type"]) == (event["id"], "Shorter", "Ride")

    assert client.delete(f"{BASE}/events/{event['id']}").json() == {}
    assert fake.events == {}
    assert client.get(f"{BASE}/events/{event['id']}").status_code == 404
    assert client.put(f"{BASE}/events/{event['id']}", json={"name": "x"}).status_code == 404
    assert client.delete(f"{BASE}/events/{event['id']}").status_code == 404


def test_event_list_filters_dates_and_category_in_date_order(client: httpx.Client) -> None:
    for day, category in [
        ("2026-03-16", "WORKOUT"),
        ("2026-03-14", "NOTE"),
        ("2026-03-20", "WORKOUT"),
    ]:
        client.post(
            f"{BASE}/events",
            json={**WORKOUT, "start_date_local": f"{day}T00:00:00", "category": category},
        )
    params = {"oldest": "2026-03-14", "newest": "2026-03-16"}
    listed = client.get(f"{BASE}/events", params=params).json()
    assert [e["start_date_local"][:10] for e in listed] == ["2026-03-14", "2026-03-16"]
    workouts = client.get(f"{BASE}/events", params={**params, "category": "WORKOUT,RACE_A"}).json()
    assert [e["start_date_local"][:10] for e in workouts] == ["2026-03-16"]


def test_event_list_defaults_to_today_plus_six_days(client: httpx.Client) -> None:
    today = date.today()
    for offset in (0, 6, 7):
        day = (today + timedelta(days=offset)).isoformat()
        client.post(f"{BASE}/events", json={**WORKOUT, "start_date_local": f"{day}T00:00:00"})
    listed = client.get(f"{BASE}/events").json()
    assert [e["start_date_local"][:10] for e in listed] == [
        today.isoformat(),
        (today + timedelta(days=6)).isoformat(),
    ]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"name": "x" * 81}, "Name is too long"),
        ({"category": None}, "category is required"),
        ({"start_date_local": None}, "start_date_local is required"),
    ],
)
def test_invalid_event_is_422(fake: FakeIntervals, client: httpx.Client, change, error) -> None:
    response = client.post(f"{BASE}/events", json={**WORKOUT, **change})
    assert (response.status_code, response.json()) == (422, {"status": 422, "error": error})
    bulk = client.post(f"{BASE}/events/bulk", json=[WORKOUT, {**WORKOUT, **change}])
    assert (bulk.status_code, bulk.json()) == (422, [{"status": 422, "error": error}])
    assert fake.events == {}
    assert client.post(f"{BASE}/events", json={**WORKOUT, "name": "x" * 80}).status_code == 200


def test_bulk_upsert_never_matches_for_an_api_key(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    first = client.post(f"{BASE}/events/bulk", params={"upsert": "true"}, json=[WORKOUT]).json()
    again = client.post(f"{BASE}/events/bulk", params={"upsert": "true"}, json=[WORKOUT]).json()
    assert first[0]["id"] != again[0]["id"]
    assert [e["external_id"] for e in fake.events.values()] == [WORKOUT["external_id"]] * 2


def test_upsert_and_delete_by_external_id_work_for_an_oauth_app(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    fake.caller_oauth_client_id = 77  # not reachable with an API key; proves the rule is wired
    first = client.post(f"{BASE}/events/bulk", params={"upsert": "true"}, json=[WORKOUT]).json()
    renamed = {**WORKOUT, "name": "Renamed"}
    again = client.post(f"{BASE}/events/bulk", params={"upsert": "true"}, json=[renamed]).json()
    assert again[0]["id"] == first[0]["id"] and again[0]["oauth_client_id"] == 77
    assert [e["name"] for e in fake.events.values()] == ["Renamed"]
    doomed = [{"external_id": WORKOUT["external_id"]}]
    assert client.put(f"{BASE}/events/bulk-delete", json=doomed).json() == {"eventsDeleted": 1}


def test_bulk_delete_by_id_but_not_by_external_id(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    ids = [e["id"] for e in client.post(f"{BASE}/events/bulk", json=[WORKOUT, WORKOUT]).json()]
    by_external = [{"external_id": WORKOUT["external_id"], "id": ids[0]}]
    response = client.put(f"{BASE}/events/bulk-delete", json=by_external)
    assert response.json() == {"eventsDeleted": 0}
    response = client.put(f"{BASE}/events/bulk-delete", json=[{"id": ids[0]}, {"id": 1}])
    assert response.json() == {"eventsDeleted": 1}
    assert list(fake.events) == [ids[1]]


def test_seeded_events_keep_ids_and_new_ids_follow() -> None:
    seeded = FakeIntervals(events=[{**WORKOUT, "id": 104800000}])
    with httpx.Client(
        transport=seeded.transport(), base_url="https://intervals.icu", auth=("API_KEY", API_KEY)
    ) as c:
        assert c.get(f"{BASE}/events/104800000").json()["name"] == WORKOUT["name"]
        assert c.post(f"{BASE}/events", json=WORKOUT).json()["id"] == 104800001


# --- Failure injection and recording ------------------------------------------------------------


def test_fail_next_429_has_retry_after_then_recovers(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    fake_path = f"{BASE}/activities"
    fake.fail_next(429, path_contains="/activities", times=2)
    assert client.get(BASE).status_code == 200  # path does not match: untouched
    for _ in range(2):
        response = client.get(fake_path, params={"oldest": "2026-03-10"})
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"
        assert response.json() == {"status": 429, "error": "Too Many Requests"}
    assert client.get(fake_path, params={"oldest": "2026-03-10"}).status_code == 200


def test_fail_next_raw_sends_bytes_as_is(fake: FakeIntervals, client: httpx.Client) -> None:
    fake.fail_next(502, raw=b"<html>Bad Gateway</html>", headers={"Content-Type": "text/html"})
    response = client.get(BASE)
    assert (response.status_code, response.content) == (502, b"<html>Bad Gateway</html>")
    assert response.headers["content-type"] == "text/html"
    fake.fail_next(200, raw=b'{"id": "i1234')
    with pytest.raises(json.JSONDecodeError):
        client.get(BASE).json()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (401, {"status": 401, "error": "Unauthorized"}),
        (403, {"status": 403, "error": "Access denied"}),
        (422, {"status": 422, "error": "Unprocessable Entity"}),
        (503, {"status": 503, "error": "Service Unavailable"}),
    ],
)
def test_fail_next_default_bodies(fake: FakeIntervals, client: httpx.Client, status, expected):
    fake.fail_next(status)
    response = client.get(BASE)
    assert (response.status_code, response.json()) == (status, expected)
    assert client.get(BASE).status_code == 200


def test_fail_next_404_is_spring_shaped_and_custom_body_wins(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    fake.fail_next(404)
    body = client.get(BASE).json()
    assert (body["error"], body["path"]) == ("Not Found", BASE)
    fake.fail_next(500, body={"status": 500, "error": "MethodArgumentTypeMismatchException"})
    assert client.get(BASE).json()["error"] == "MethodArgumentTypeMismatchException"


def test_fail_after_write_stores_the_event_but_answers_an_error(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    fake.fail_after_write()
    assert client.get(BASE).status_code == 200  # reads are not affected
    response = client.post(f"{BASE}/events", json=WORKOUT)
    assert response.status_code == 504
    assert response.json() == {"status": 504, "error": "Gateway Timeout"}
    assert [e["name"] for e in fake.events.values()] == [WORKOUT["name"]]
    assert client.post(f"{BASE}/events", json=WORKOUT).status_code == 200
    assert len(fake.events) == 2


def test_requests_and_writes_are_recorded(fake: FakeIntervals, client: httpx.Client) -> None:
    client.get(f"{BASE}/activities", params={"oldest": "2026-03-10", "limit": "5"})
    client.post(f"{BASE}/events/bulk", params={"upsert": "true"}, json=[WORKOUT])
    client.put(f"{BASE}/events/bulk-delete", json=[{"id": 1}])
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", f"{BASE}/activities"),
        ("POST", f"{BASE}/events/bulk"),
        ("PUT", f"{BASE}/events/bulk-delete"),
    ]
    assert fake.requests[0].query == {"oldest": "2026-03-10", "limit": "5"}
    assert fake.requests[0].body is None
    assert fake.requests[0].headers["authorization"].startswith("Basic ")
    assert fake.writes == fake.requests[1:]
    assert fake.writes[0].query == {"upsert": "true"} and fake.writes[0].body == [WORKOUT]


def test_rate_limit_and_latency_through_the_transport(
    fake: FakeIntervals, client: httpx.Client
) -> None:
    fake.rate_limit_per_s = 2
    statuses = [client.get(BASE).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    fake.rate_limit_per_s = None
    fake.latency_s = 0.05
    started = time.monotonic()
    client.get(BASE)
    assert time.monotonic() - started >= 0.05


# --- Served over real HTTP ----------------------------------------------------------------------


def test_served_athlete_and_activities_match_the_transport(
    fake: FakeIntervals, client: httpx.Client, http: httpx.Client
) -> None:
    assert http.get(BASE).json() == client.get(BASE).json() == fake.athlete
    assert fake.athlete["icu_api_key"] == API_KEY    # as the real record (WithSportSettings)
    params = {"oldest": "2026-03-10", "newest": "2026-03-12"}
    over_http = http.get(f"{BASE}/activities", params=params)
    assert over_http.headers["content-type"] == "application/json;charset=UTF-8"
    assert over_http.json() == client.get(f"{BASE}/activities", params=params).json()
    assert [a["id"] for a in over_http.json()] == [
        "i150000003",
        "i150000002",
        "20171057567",
        "i150000001",
    ]
    assert fake.requests[0].path == BASE and fake.requests[0].headers["host"].startswith("127.")


def test_served_create_and_list_events(fake: FakeIntervals, http: httpx.Client) -> None:
    created = http.post(f"{BASE}/events", json=WORKOUT)
    assert created.status_code == 200
    listed = http.get(f"{BASE}/events", params={"oldest": "2026-03-14", "newest": "2026-03-14"})
    assert listed.json() == [created.json()]
    assert fake.writes[0].body == WORKOUT


def test_served_wrong_key_is_403(served: ServedFake) -> None:
    with httpx.Client(base_url=served.url, auth=("API_KEY", "nope")) as c:
        response = c.get(BASE)
    assert (response.status_code, response.json()) == (
        403,
        {"status": 403, "error": "Access denied"},
    )


def test_served_latency_is_applied(fake: FakeIntervals, http: httpx.Client) -> None:
    fake.latency_s = 0.2
    started = time.monotonic()
    assert http.get(BASE).status_code == 200
    assert time.monotonic() - started >= 0.2


def test_served_rate_limit_answers_429_then_recovers(fake: FakeIntervals, http: httpx.Client):
    now = [1000.0]
    fake.clock = lambda: now[0]
    fake.rate_limit_per_s = 3
    responses = [http.get(BASE) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert responses[-1].headers["retry-after"] == "1"
    assert responses[-1].json() == {"status": 429, "error": "Too Many Requests"}
    now[0] += 1.05                       # a second later, on the fake's clock
    assert http.get(BASE).status_code == 200


def test_served_raw_bytes_and_stop_is_idempotent(fake: FakeIntervals) -> None:
    fake.fail_next(200, raw=b'[{"id": "i1"')
    with fake.serve() as served, httpx.Client(base_url=served.url, auth=("API_KEY", API_KEY)) as c:
        response = c.get(f"{BASE}/activities", params={"oldest": "2026-03-10"})
        assert response.content == b'[{"id": "i1"'
    served.stop()
    with pytest.raises(httpx.ConnectError), httpx.Client(base_url=served.url) as c:
        c.get(BASE)


def _without_uid(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in e.items() if k not in {"uid", "updated"}} for e in events]


def test_handler_and_served_record_the_same_request(fake: FakeIntervals) -> None:
    other = FakeIntervals(
        activities=copy.deepcopy(SAMPLE_ACTIVITIES), wellness=copy.deepcopy(SAMPLE_WELLNESS)
    )
    params = {"upsert": "true"}
    with httpx.Client(
        transport=fake.transport(), base_url="https://intervals.icu", auth=("API_KEY", API_KEY)
    ) as c:
        via_transport = c.post(f"{BASE}/events/bulk", params=params, json=[WORKOUT])
    with other.serve() as served, httpx.Client(base_url=served.url, auth=("API_KEY", API_KEY)) as c:
        via_http = c.post(f"{BASE}/events/bulk", params=params, json=[WORKOUT])
    assert _without_uid(via_transport.json()) == _without_uid(via_http.json())
    a, b = fake.writes[0], other.writes[0]
    assert (a.method, a.path, a.query, a.body) == (b.method, b.path, b.query, b.body)
