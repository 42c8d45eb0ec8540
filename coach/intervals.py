"""Intervals.icu client: the only module that speaks HTTP to Intervals.icu."""

from __future__ import annotations

import collections
import email.utils
import time
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coach.errors import CoachError

NAME_LIMIT = 80  # Intervals.icu rejects longer workout names with 422 "Name is too long"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER_S = 30.0
RATE_LIMIT = 10       # requests per RATE_WINDOW_S, per the Intervals.icu developer
RATE_WINDOW_S = 1.1   # a little over a second: the server counts a request when it arrives


class IntervalsError(CoachError):
    """Intervals.icu could not do what was asked."""

    status: int | None = None


class IntervalsAuthError(IntervalsError):
    """The API key was refused."""


class IntervalsNotFound(IntervalsError):
    """The athlete or item does not exist."""


class IntervalsValidationError(IntervalsError):
    """Intervals.icu rejected the data we sent."""


class IntervalsUnavailable(IntervalsError):
    """Intervals.icu did not answer in time, or answered with a server error."""


class IntervalsBadResponse(IntervalsError):
    """Intervals.icu answered with something that is not the expected JSON."""


_M = TypeVar("_M", bound=BaseModel)


class _Model(BaseModel):
    # Tolerate fields we do not know (the API has ~160 per athlete); keep them for the raw copy.
    model_config = ConfigDict(extra="allow")


class SportSettings(_Model):
    id: int | None = None
    types: list[str] = Field(default_factory=list)
    ftp: float | None = None
    indoor_ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace: float | None = None
    pace_units: str | None = None
    power_zones: list[float] | None = None
    hr_zones: list[float] | None = None
    pace_zones: list[float] | None = None


# Fields of the athlete record that are secrets (the spec's Athlete schemas include the API
# key itself): dropped at the boundary so they never reach the store, a page or the model.
SECRET_FIELDS = frozenset({"icu_api_key", "icu_friend_invite_token", "password", "api_key"})


def _without_secrets(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k not in SECRET_FIELDS and
                not k.endswith(("_token", "_secret", "_api_key"))}
    return data


class Athlete(_Model):
    id: str

    _no_secrets = model_validator(mode="before")(_without_secrets)
    name: str | None = None
    timezone: str | None = None
    icu_weight: float | None = None
    icu_resting_hr: float | None = None
    sportSettings: list[SportSettings] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class Activity(_Model):
    id: str
    start_date_local: str | None = None
    type: str | None = None
    name: str | None = None
    description: str | None = None
    source: str | None = None
    moving_time: float | None = None
    elapsed_time: float | None = None
    distance: float | None = None
    icu_distance: float | None = None
    total_elevation_gain: float | None = None
    average_heartrate: float | None = None
    icu_training_load: float | None = None
    icu_intensity: float | None = None
    icu_average_watts: float | None = None
    icu_weighted_avg_watts: float | None = None
    icu_rpe: float | None = None
    race: bool | None = None
    paired_event_id: int | None = None
    compliance: float | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_str(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @property
    def unavailable(self) -> bool:
        """Strava-sourced activities come back as empty stubs: their data is not in the API."""
        return self.source == "STRAVA" and self.type is None

    @property
    def day(self) -> str | None:
        return self.start_date_local[:10] if self.start_date_local else None


class Wellness(_Model):
    id: str  # the local date YYYY-MM-DD
    ctl: float | None = None
    atl: float | None = None
    rampRate: float | None = None
    weight: float | None = None
    restingHR: float | None = None
    hrv: float | None = None
    sleepSecs: float | None = None
    sleepScore: float | None = None
    sleepQuality: int | None = None
    soreness: int | None = None
    fatigue: int | None = None
    stress: int | None = None
    mood: int | None = None
    motivation: int | None = None


class Event(_Model):
    id: int
    start_date_local: str
    category: str | None = None
    type: str | None = None
    name: str | None = None
    description: str | None = None
    external_id: str | None = None
    moving_time: float | None = None
    icu_training_load: float | None = None
    workout_doc: dict[str, Any] | None = None

    @property
    def day(self) -> str:
        return self.start_date_local[:10]


class Curve(_Model):
    """A best-effort curve: power (secs → watts) or pace (distance in metres → secs)."""

    id: str
    label: str | None = None
    secs: list[float] = Field(default_factory=list)
    values: list[float] = Field(default_factory=list)
    distance: list[float] | None = None
    start_date_local: str | None = None
    end_date_local: str | None = None


CURVE_PERIODS = ("42d", "84d", "1y", "all")


class NewEvent(BaseModel):
    """A planned workout as sent to Intervals.icu (POST /events)."""

    category: str = "WORKOUT"
    start_date_local: str
    type: str
    name: str
    description: str
    external_id: str

    _trim = field_validator("name")(lambda v: trim_name(v))


def trim_name(name: str) -> str:
    """Workout names fit Intervals.icu's 80-character limit (longer ones get 422)."""
    name = " ".join(name.split())
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1].rstrip() + "…"


class CalendarSource(Protocol):
    """What sync and publishing need from Intervals.icu (the demo athlete implements it too)."""

    def athlete(self) -> Athlete: ...
    def activities(self, oldest: date, newest: date) -> list[Activity]: ...
    def wellness(self, oldest: date, newest: date) -> list[Wellness]: ...
    def events(self, oldest: date, newest: date) -> list[Event]: ...
    def event(self, event_id: int) -> Event: ...
    def curves(self, sport: str) -> list[Curve]: ...
    def create_event(self, event: NewEvent) -> Event: ...
    def update_event(self, event_id: int, changes: dict[str, Any]) -> Event: ...
    def delete_event(self, event_id: int) -> None: ...


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
        return _parse_list(Athlete, self._request("GET", "/api/v1/athletes"), "athletes")

    def activities(self, oldest: date, newest: date) -> list[Activity]:
        params = {"oldest": oldest.isoformat(), "newest": f"{newest.isoformat()}T23:59:59"}
        data = self._request("GET", f"{self._athlete_path}/activities", params=params)
        return _parse_list(Activity, data, "activities")

    def wellness(self, oldest: date, newest: date) -> list[Wellness]:
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        data = self._request("GET", f"{self._athlete_path}/wellness", params=params)
        return _parse_list(Wellness, data, "wellness")

    def events(self, oldest: date, newest: date) -> list[Event]:
        params = {"oldest": oldest.isoformat(), "newest": newest.isoformat()}
        data = self._request("GET", f"{self._athlete_path}/events", params=params)
        return _parse_list(Event, data, "events")

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
        return _parse_list(Curve, data.get("list") or [], kind)

    def create_event(self, event: NewEvent) -> Event:
        data = self._request("POST", f"{self._athlete_path}/events",
                             json=event.model_dump(), retry_unsafe=False)
        return _parse(Event, data, "created event")

    def update_event(self, event_id: int, changes: dict[str, Any]) -> Event:
        """PUT only the fields that change (date, text, name); safe to repeat."""
        data = self._request("PUT", f"{self._athlete_path}/events/{event_id}", json=changes)
        return _parse(Event, data, "updated event")

    def delete_event(self, event_id: int) -> None:
        self._request("DELETE", f"{self._athlete_path}/events/{event_id}")

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


def _parse_list(model: type[_M], data: Any, what: str) -> list[_M]:
    if not isinstance(data, list):
        raise IntervalsBadResponse(f"Intervals.icu sent unexpected {what}: expected a list.")
    return [_parse(model, item, what) for item in data]


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'body'}: {first['msg']}"

