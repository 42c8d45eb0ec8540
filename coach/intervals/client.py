"""Intervals.icu client: the only module that speaks HTTP to Intervals.icu."""

from __future__ import annotations

import collections
import email.utils
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from coach.errors import (
    IntervalsAuthError,
    IntervalsBadResponse,
    IntervalsError,
    IntervalsNotFound,
    IntervalsUnavailable,
    IntervalsValidationError,
)
from coach.records import (
    CURVE_PERIODS,
    Activity,
    Athlete,
    Curve,
    Event,
    NewEvent,
    Skipped,
    Wellness,
)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER_S = 30.0
RATE_LIMIT = 10       # requests per RATE_WINDOW_S, per the Intervals.icu developer
RATE_WINDOW_S = 1.1   # a little over a second: the server counts a request when it arrives


_M = TypeVar("_M", bound=BaseModel)


class IntervalsClient:
    """Basic auth `API_KEY:<key>`, timeouts, backoff on 429/5xx, typed errors without the key."""

    def __init__(self, base_url: str, api_key: str, athlete_id: str = "0", *,
                 transport: httpx.BaseTransport | None = None, timeout: float = 20.0,
                 max_retries: int = 4, backoff_s: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.athlete_id = athlete_id or "0"
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self._sleep = sleep
        self.requests_sent = 0
        self._skipped: list[Skipped] = []
        self._sent: collections.deque[float] = collections.deque(maxlen=RATE_LIMIT)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), auth=httpx.BasicAuth("API_KEY", api_key),
            timeout=httpx.Timeout(timeout, connect=10.0), transport=transport,
            headers={"Accept": "application/json", "User-Agent": "local-coach"},
            follow_redirects=False)

    def __repr__(self) -> str:
        return f"IntervalsClient({self._http.base_url}, athlete={self.athlete_id!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> IntervalsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _athlete_path(self) -> str:
        return f"/api/v1/athlete/{self.athlete_id}"

    def athlete(self) -> Athlete:
        return _parse(Athlete, self._request("GET", self._athlete_path), "athlete")

    def athletes(self) -> list[Athlete]:
        """The key's owner and the athletes they follow or coach (API key only, not OAuth)."""
        return self._records(Athlete, self._request("GET", "/api/v1/athletes"), "athlete")

    def activities(self, oldest: date, newest: date) -> list[Activity]:
        params = {"oldest": oldest.isoformat(), "newest": f"{newest.isoformat()}T23:59:59"}
        data = self._request("GET", f"{self._athlete_path}/activities", params=params)
        return self._records(Activity, data, "activity")

    def wellness(self, oldest: date, newest: date) -> list[Wellness]:
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        data = self._request("GET", f"{self._athlete_path}/wellness", params=params)
        return self._records(Wellness, data, "wellness day")

    def events(self, oldest: date, newest: date) -> list[Event]:
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        data = self._request("GET", f"{self._athlete_path}/events", params=params)
        return self._records(Event, data, "calendar event")

    def take_skipped(self) -> list[Skipped]:
        """The records that did not parse and were left out, since last asked."""
        skipped, self._skipped = self._skipped, []
        return skipped

    def _records(self, model: type[_M], data: Any, what: str) -> list[_M]:
        """A list of records; one that does not parse is skipped with a sentence naming it,
        and the others are kept."""
        if not isinstance(data, list):
            raise IntervalsBadResponse(f"Intervals.icu sent an unexpected list of {what}s "
                                       "(not a list); try again later.")
        parsed = []
        for item in data:
            try:
                parsed.append(model.model_validate(item))
            except ValidationError as e:
                name = item.get("id") if isinstance(item, dict) else None
                self._skipped.append(Skipped(what, str(name) if name is not None else None, (
                    f"The {what} {name or '(without an id)'} was left out: Intervals.icu sent "
                    f"a value Local Coach does not understand ({_describe(e)}).")))
        return parsed

    def event(self, event_id: int) -> Event:
        data = self._request("GET", f"{self._athlete_path}/events/{event_id}")
        return _parse(Event, data, "event")

    def curves(self, sport: str) -> list[Curve]:
        """Best efforts over the standard periods: power for rides, pace for runs and swims."""
        kind = "power-curves" if sport == "Ride" else "pace-curves"
        data = self._request("GET", f"{self._athlete_path}/{kind}",
                             params={"type": sport, "curves": ",".join(CURVE_PERIODS)})
        if not isinstance(data, dict):
            raise IntervalsBadResponse(f"Intervals.icu sent unexpected {kind}: expected an "
                                       "object with a list.")
        return self._records(Curve, data.get("list") or [], "best-effort curve")

    def create_event(self, event: NewEvent) -> Event:
        data = self._request("POST", f"{self._athlete_path}/events",
                             json=event.model_dump(exclude_none=True), retry_unsafe=False)
        return _parse(Event, data, "created event")

    def update_event(self, event_id: int, changes: dict[str, Any]) -> Event:
        """PUT only the fields that change (date, text, name); safe to repeat."""
        data = self._request("PUT", f"{self._athlete_path}/events/{event_id}", json=changes)
        return _parse(Event, data, "updated event")

    def delete_event(self, event_id: int) -> None:
        self._request("DELETE", f"{self._athlete_path}/events/{event_id}")

    def update_wellness(self, day: date, fields: dict[str, int]) -> Wellness:
        """PUT only the given wellness fields of that day ("only fields provided are changed");
        safe to repeat."""
        data = self._request("PUT", f"{self._athlete_path}/wellness/{day.isoformat()}",
                             json=fields)
        return _parse(Wellness, data, "updated wellness day")

    def _request(self, method: str, path: str, *, retry_unsafe: bool = True,
                 **kwargs: Any) -> Any:
        """Send with retries; a POST is only retried when the server cannot have acted on it."""
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                self._pace()
                self.requests_sent += 1
                response = self._http.request(method, path, **kwargs)
            except httpx.ConnectError:
                if last:
                    raise IntervalsUnavailable(
                        f"Cannot reach Intervals.icu at {self._http.base_url}: check your "
                        "internet connection and try again.") from None
                self._sleep(self._delay(attempt, None))
                continue
            except httpx.TimeoutException:
                if last or not retry_unsafe:
                    raise IntervalsUnavailable(
                        "Intervals.icu did not answer in time; try again in a minute.") from None
                self._sleep(self._delay(attempt, None))
                continue
            except httpx.HTTPError as e:
                raise IntervalsUnavailable(
                    f"The connection to Intervals.icu failed ({type(e).__name__}); "
                    "try again in a minute.") from None
            status = response.status_code
            may_retry = status == 429 or retry_unsafe
            if status in RETRY_STATUSES and may_retry and not last:
                self._sleep(self._delay(attempt, response.headers.get("Retry-After")))
                continue
            return _decode(response, path)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self) -> None:
        """Stay under Intervals.icu's 10 requests/s rather than run into its 429s."""
        now = time.monotonic()
        if len(self._sent) == RATE_LIMIT and now - self._sent[0] < RATE_WINDOW_S:
            self._sleep(RATE_WINDOW_S - (now - self._sent[0]))
        self._sent.append(time.monotonic())

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        parsed = _retry_after_seconds(retry_after)
        if parsed is not None:
            return min(parsed, MAX_RETRY_AFTER_S)
        return min(self.backoff_s * (2**attempt), MAX_RETRY_AFTER_S)


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def _decode(response: httpx.Response, path: str) -> Any:
    status = response.status_code
    if status >= 400:
        raise _error_for(status, _server_message(response), path)
    if not response.content.strip():
        return None
    try:
        return response.json()
    except ValueError:
        raise IntervalsBadResponse(
            f"Intervals.icu sent a response that is not valid JSON (HTTP {status} for {path}); "
            "try again later.") from None


def _server_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"][:200]
    return ""


def _error_for(status: int, message: str, path: str) -> IntervalsError:
    said = f" (Intervals.icu said: {message})" if message else ""
    error: IntervalsError
    if status == 401:
        error = IntervalsAuthError("Intervals.icu did not accept the API key (401): paste the key "
                                   "from Intervals.icu → Settings → Developer Settings.")
    elif status == 403:
        error = IntervalsAuthError(
            "Intervals.icu refused access (403): check the API key, and that the athlete id is "
            f"yours or one you coach (use 0 for your own account){said}.")
    elif status == 404:
        error = IntervalsNotFound(f"Intervals.icu has no such item (404 for {path}): check the "
                                  f"athlete id in Settings{said}.")
    elif status == 422:
        error = IntervalsValidationError(f"Intervals.icu rejected the data (422){said}.")
    elif status == 429:
        error = IntervalsUnavailable("Intervals.icu is rate limiting requests (429); "
                                     "wait a minute and try again.")
    elif status >= 500:
        error = IntervalsUnavailable(f"Intervals.icu had a server error ({status}); "
                                     "try again in a few minutes.")
    else:
        error = IntervalsError(f"Intervals.icu answered {status} for {path}{said}.")
    error.status = status
    return error


def _parse(model: type[_M], data: Any, what: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise IntervalsBadResponse(
            f"Intervals.icu sent an unexpected {what} ({_describe(e)}); "
            "please report this.") from None


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'body'}: {first['msg']}"

