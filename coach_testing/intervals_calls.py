"""What a route of the fake Intervals.icu works with: the `Account` it reads and changes (the
fake's data, as a protocol, so the routes need not import the fake that routes to them), the
`Call` it gets and the `Reply` it returns, `ApiError` and the error bodies Intervals.icu
sends, readers for the values in a call (local dates, integers, `fields=`) that answer a bad
value as Intervals.icu does, and `json_response`, an answer as Intervals.icu writes it.
"""

from __future__ import annotations

import http
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import httpx

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


class Account(Protocol):
    """One athlete's data on the fake server, as the routes read and change it (FakeIntervals)."""

    athlete: dict[str, Any]
    athlete_id: str
    activities: list[dict[str, Any]]
    wellness: list[dict[str, Any]]
    events: dict[int, dict[str, Any]]
    curves: dict[str, list[dict[str, Any]]]
    hr_curves: dict[str, list[dict[str, Any]]]
    caller_oauth_client_id: int | None
    planned_seconds: Callable[[str], int | None]

    def new_event_id(self) -> int: ...


class Handles(Protocol):
    """What a served fake forwards each request to."""

    def handler(self, request: httpx.Request) -> httpx.Response: ...


@dataclass
class Call:
    """What a route function gets: path parameters, query and parsed body."""

    path: str
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    body_ok: bool


Reply = tuple[int, Any]


class ApiError(Exception):
    """Raised inside a route to answer with an error status and body."""

    def __init__(self, status: int, error: str | None = None, body: Any = None) -> None:
        super().__init__(error)
        self.status = status
        self.body = body if body is not None else {"status": status, "error": error}


def now() -> str:
    """The current time as Intervals.icu writes it: UTC, milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def spring_404(path: str) -> dict[str, Any]:
    """The body Spring sends for a route that does not exist."""
    return {"timestamp": now(), "status": 404, "error": "Not Found", "path": path}


def default_error_body(status: int, path: str) -> dict[str, Any]:
    """The error body Intervals.icu sends for `status` (reference §5.2)."""
    if status == 404:
        return spring_404(path)
    if status == 403:
        return {"status": 403, "error": "Access denied"}
    if status == 401:
        return {"status": 401, "error": "Unauthorized"}
    return {"status": status, "error": _reason(status)}


def parse_local(value: str, *, end_of_day: bool = False) -> datetime:
    """A local ISO date or date-time; a bare date means its start (or end) of day."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, datetime.max.time() if end_of_day else datetime.min.time())
        return datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"Invalid local date '{value}'") from None


def query_int(query: dict[str, str], name: str) -> int | None:
    if name not in query:
        return None
    try:
        return int(query[name])
    except ValueError:
        raise ApiError(400, f"Failed to convert '{name}' value '{query[name]}' to int") from None


def only_fields(records: list[dict[str, Any]], fields: str | None) -> list[dict[str, Any]]:
    """`fields=a,b`: keep only those keys and drop nulls, as the real API does."""
    if not fields:
        return records
    wanted = {f.strip() for f in fields.split(",")}
    return [{k: v for k, v in r.items() if k in wanted and v is not None} for r in records]


def json_response(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> httpx.Response:
    """`payload` as JSON, with the content type Intervals.icu sends."""
    return httpx.Response(
        status,
        content=json.dumps(payload).encode(),
        headers={"Content-Type": JSON_CONTENT_TYPE, **(headers or {})},
    )
