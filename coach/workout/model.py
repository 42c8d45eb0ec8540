"""The workout model: sports, target kinds, defaults and the typed steps, repeats and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

SPORTS = ("Ride", "Run", "Swim")
TARGET_KINDS = (
    "power_pct", "watts", "power_zone", "mmp_pct", "hr_pct", "lthr_pct", "hr_zone",
    "pace_pct", "pace_zone", "pace_abs", "freeride",
)
POWER_KINDS = frozenset({"power_pct", "watts", "power_zone", "mmp_pct"})
PACE_KINDS = frozenset({"pace_pct", "pace_zone", "pace_abs"})
HR_KINDS = frozenset({"hr_pct", "lthr_pct", "hr_zone"})
MAX_SECONDS = 8 * 3600
MAX_REPEATS = 50
# Far beyond any real workout (the longest builder workouts run to a few dozen lines); text
# over this is refused before it is parsed, so a pasted file cannot stall the app.
MAX_TEXT_CHARS = 20_000
MAX_TEXT_LINES = 300
DISTANCE_UNITS = {"mtr": 1.0, "km": 1000.0, "mi": 1609.344}
PACE_UNITS = {
    "/km": 1000.0, "/mi": 1609.344, "/100m": 100.0, "/100y": 91.44,
    "/500m": 500.0, "/400m": 400.0, "/250m": 250.0,
}
# Intervals.icu default power zones: upper bounds in % FTP; 999 marks the open-ended top zone.
DEFAULT_POWER_ZONES = (55.0, 75.0, 90.0, 105.0, 120.0, 150.0, 999.0)
# Friel-style HR zones in % LTHR; the top zone is capped at 110 % LTHR, roughly max HR.
DEFAULT_HR_ZONES_PCT_LTHR = (81.0, 89.0, 93.0, 99.0, 102.0, 106.0, 110.0)
# Run pace zones in % of threshold speed, as in a live Intervals.icu sport-settings sample.
DEFAULT_PACE_ZONES = (77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0)
# Without a target, rides include coasting (IF ~0.5); runs and swims cannot coast (IF ~0.65).
DEFAULT_IF = {"Ride": 0.5, "Run": 0.65, "Swim": 0.65}
# A distance step with no pace target is assumed easy: 80 % of threshold speed.
EASY_PACE_FRACTION = 0.8
# Rough critical-power model for `% MMP`: MMP(t) ~ FTP * (1 + W'/(FTP * t)) with W'/FTP ~ 80 s.
MMP_W_PRIME_SECONDS = 80.0


@lru_cache(maxsize=256)
def sport_family(activity_type: str) -> str | None:
    """Map an Intervals.icu activity type (`VirtualRide`, `TrailRun`...) to Ride, Run or Swim."""
    name = activity_type.strip().lower()
    for family in SPORTS:
        if name.endswith(family.lower()):
            return family
    return "Ride" if name in ("cyclocross", "velomobile", "handcycle") else None


@dataclass(frozen=True)
class Thresholds:
    """The athlete's sport settings for one sport; every field is optional."""

    ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace: float | None = None  # metres/second, as Intervals.icu stores it
    power_zones: tuple[float, ...] = ()  # upper bounds in % FTP
    hr_zones: tuple[float, ...] = ()  # upper bounds in bpm
    pace_zones: tuple[float, ...] = ()  # upper bounds in % of threshold pace
    # The athlete's recent average speed in this sport (m/s): times a distance step when no
    # pace target or threshold pace can, and the check says so.
    recent_speed: float | None = None


@dataclass(frozen=True)
class Issue:
    """A problem found in workout text; line 0 means the whole workout."""

    line: int
    message: str


@dataclass(frozen=True)
class Target:
    """One step target; `low == high` unless a range. Pace_abs values are seconds per `unit`."""

    kind: str
    low: float = 0.0
    high: float = 0.0
    unit: str = ""  # pace_abs only: "/km", "/100m"...; "" means the sport's default unit
    mmp_s: int | None = None  # mmp_pct only: the effort duration, `60% MMP 5m` -> 300

    @property
    def is_range(self) -> bool:
        """True when the target has distinct start and end values."""
        return self.low != self.high


@dataclass(frozen=True)
class Step:
    """One `- ...` line: cue text, a length, an optional target and cadence."""

    cue: str = ""  # free text before the first length/target token
    duration_s: int | None = None
    distance_m: float | None = None
    distance_unit: str = ""  # "mtr", "km" or "mi" as written, so `2km` renders as `2km`
    press_lap: bool = False
    ramp: bool = False
    target: Target | None = None
    cadence_low: int | None = None
    cadence_high: int | None = None
    note: str = ""  # free text after the first length/target token, kept so nothing is lost
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Repeat:
    """A block of steps repeated `count` times, introduced by `Nx` or `Header Nx`."""

    header: str
    count: int
    steps: tuple[Step, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Section:
    """A header or free-text line such as `Warmup`."""

    text: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Workout:
    """A parsed workout: sections, steps and repeat blocks in order."""

    items: tuple[Section | Step | Repeat, ...] = ()


@dataclass(frozen=True)
class WorkoutCheck:
    """The verdict on a workout text plus its estimated numbers."""

    ok: bool
    duration_s: int
    distance_m: float | None
    load: float | None
    errors: list[Issue]
    warnings: list[Issue]
    workout: Workout | None
    zone_times: dict[int, int] = field(default_factory=dict)  # zone -> seconds; 0 = unknown zone


@dataclass(frozen=True)
class Segment:
    """One pass of a step on the workout's time axis, with its intensity in % of threshold."""

    start_s: int  # seconds from the workout start, repeats expanded
    end_s: int
    start_pct: float | None  # %FTP, %LTHR or % threshold speed; None when unknown
    end_pct: float | None  # differs from start_pct only for ramps
    zone: int | None  # 1-based zone of the midpoint intensity; None when unknown
    label: str  # the step's tokens for a tooltip, e.g. `8m 95-100% (2/3)`
    line: int
    # The athlete's zone upper bounds in the same % units: zone_times() cuts ramps at them.
    zone_bounds: tuple[float, ...] = ()
