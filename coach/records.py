"""The typed records every module shares (Athlete, Activity, Wellness, Event, Curve…) and the
`CalendarSource` protocol that Intervals.icu and the demo athlete both implement.

Parsed at the edge: unknown fields are kept (the API has ~160 per athlete), secrets are dropped
before anything is stored. Pure: pydantic only, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coach.workout import SPORTS, Thresholds, sport_family

NAME_LIMIT = 80  # Intervals.icu rejects longer workout names with 422 "Name is too long"


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
    injury: int | None = None


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
    """A planned workout as sent to Intervals.icu (POST /events); the optional fields are left
    out of the body when they are None."""

    category: str = "WORKOUT"
    start_date_local: str
    type: str
    name: str
    description: str
    external_id: str
    moving_time: int | None = None       # s: a strength session's length (no steps to time)
    carbs_per_hour: int | None = None    # g/h: the fuelling target (EventEx.carbs_per_hour)

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
    def update_wellness(self, day: date, fields: dict[str, int]) -> Wellness: ...

    def athletes(self) -> list[Athlete]: ...
    def take_skipped(self) -> list[Skipped]: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class ToolCall:
    """A tool call the model made: structured by the model server, or read from its text."""

    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Skipped:
    """A record that did not parse and was left out (the others of its list were kept)."""

    what: str            # "activity", "wellness day", "calendar event"…
    id: str | None
    sentence: str        # for the sync report


def thresholds_for(athlete: Athlete | None, sport: str) -> Thresholds:
    """The athlete's sport settings for a sport family (Ride, Run, Swim)."""
    if athlete is None:
        return Thresholds()
    for s in athlete.sportSettings:
        if any(sport_family(t) == sport for t in s.types):
            return Thresholds(
                ftp=s.ftp, lthr=s.lthr, max_hr=s.max_hr, threshold_pace=s.threshold_pace,
                power_zones=tuple(s.power_zones or ()), hr_zones=tuple(s.hr_zones or ()),
                pace_zones=tuple(s.pace_zones or ()))
    return Thresholds()


__all__ = ["SPORTS", "Activity", "Athlete", "CalendarSource", "Curve", "Event", "NewEvent",
           "Skipped", "SportSettings", "ToolCall", "Wellness", "thresholds_for", "trim_name"]
