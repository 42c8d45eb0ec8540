"""An in-memory Intervals.icu that routes on method and path and records every request.

Use it through `httpx.MockTransport(fake.handler)` or as a real local HTTP server (`fake.serve()`);
both seams run the same `handler`. Paths, field names and error shapes follow the reference
(/work/shared/reference/intervals-api.md) and the OpenAPI document in tests/fixtures.

This module owns the fake itself: authentication, routing, request records, failure injection,
holds, rate limit and the contract check. What each endpoint answers lives in `intervals_routes`
and `intervals_events`, the sample data in `intervals_samples`, served mode in `intervals_served`.
"""

from __future__ import annotations

import base64
import copy
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from .intervals_calls import (
    JSON_CONTENT_TYPE,
    ApiError,
    Call,
    Reply,
    default_error_body,
    json_response,
    now,
    spring_404,
)
from .intervals_events import planned_seconds
from .intervals_routes import ROUTES
from .intervals_samples import SAMPLE_ATHLETE, SAMPLE_CURVES, SAMPLE_HR_CURVES
from .intervals_served import ServedFake
from .openapi import Contract, ContractError

API_KEY = "test-key-0123456789"
FIRST_EVENT_ID = 104700001
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON, None when empty, the raw text when it was not JSON
    headers: dict[str, str]


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


# --- The fake -----------------------------------------------------------------------------------


class FakeIntervals:
    """Intervals.icu for one athlete, authenticated with a personal API key."""

    latency_s: float = 0.0
    rate_limit_per_s: float | None = None
    # The rate limit's one-second window is read on this clock; a test can move it on.
    clock: Callable[[], float] = staticmethod(time.monotonic)
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
        self._seed_events(events)

    def _seed_events(self, events: Iterable[dict[str, Any]]) -> None:
        for event in copy.deepcopy(list(events)):
            event_id = event.get("id") or self.new_event_id()
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
                return json_response(
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
            response = json_response(status, copy.deepcopy(payload))
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
                "timestamp": now(),
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
        now = self.clock()
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
                return json_response(injection.status, body, injection.headers)
        return None

    def new_event_id(self) -> int:
        """The next free event id (the event routes take theirs here too)."""
        event_id = self._next_event_id
        self._next_event_id += 1
        return event_id


def _parse_body(content: bytes) -> tuple[Any, bool]:
    if not content:
        return None, True
    text = content.decode("utf-8", errors="replace")
    try:
        return json.loads(text), True
    except ValueError:
        return text, False
