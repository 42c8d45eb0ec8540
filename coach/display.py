"""One way to write numbers for people: pages, charts' tooltips, the CLI and the exports.

Pure (standard library only, no I/O, no locale): every function takes a number (or a date)
and returns the text a person reads. `None`, NaN and infinities become `MISSING` ("—").

The choices, once for the whole product:

* durations: `1h38m` (hours and two-digit minutes from one hour up, `2h` when whole),
  `45m` (whole minutes from 10 minutes), `2m30s` / `45s` (seconds kept under 10 minutes,
  where they matter). The same letters as Intervals.icu workout text (`10m`, `1h`), so no
  `1:38` that reads like a pace. Workout *syntax* keeps `workouts.format_duration` (exact
  seconds, it goes back into Intervals.icu); what people read uses `duration`.
* hours (weekly totals, sleep): the duration style, `hours(5.9)` -> `5h54m`.
* distance: km with one decimal, `12.3 km`.
* percentages: whole, no space, `78%`; shares that must add up use `largest_remainder`.
* power `245 W`, power-to-weight `3.45 W/kg` (two decimals: 0.01 W/kg is ~0.7 W),
  heart rate `152 bpm`, load `380` (whole Intervals.icu load units), form `+3` / `-8`.
* paces: `4:45 /km` (runs), `1:52 /100m` (swims); from a speed in m/s (what Intervals.icu
  stores) or from seconds per unit.
* dates: `Thu 4 Dec`, with the year when it is not today's year (`Thu 4 Dec 2025`); short
  `4 Dec` on chart axes; weeks `week of 7 Sep` (the Monday). English names, whatever the
  machine's locale.
* rounding: half away from zero on the decimal value written (82.5 -> `83%`, 0.15 km ->
  `0.2 km`), never Python's banker's rounding; no `-0`.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

MISSING = "—"

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- numbers


def is_missing(value: Any) -> bool:
    """None, NaN, an infinity, an empty string or something that is not a number."""
    if value is None or isinstance(value, bool):
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def rounded(value: float, decimals: int = 0) -> Decimal:
    """`value` rounded half away from zero to `decimals` places, as written in decimal."""
    try:
        exact = Decimal(repr(float(value)))
    except InvalidOperation:  # pragma: no cover - guarded by is_missing
        exact = Decimal(float(value))
    result = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return result.copy_abs() if result.is_zero() else result


def number(value: Any, decimals: int = 0, unit: str = "") -> str:
    """`number(82.2333) -> "82"`, `number(5.25, 1, "km") -> "5.3 km"`."""
    if is_missing(value):
        return MISSING
    text = f"{rounded(value, decimals):f}"
    return f"{text} {unit}" if unit else text


def signed(value: Any, decimals: int = 0) -> str:
    """With its sign, for differences and form: `+3`, `-8`, `0`."""
    if is_missing(value):
        return MISSING
    r = rounded(value, decimals)
    return f"+{r:f}" if r > 0 else f"{r:f}"


def km(metres: Any) -> str:
    """`12345 -> "12.3 km"`."""
    return MISSING if is_missing(metres) else number(float(metres) / 1000, 1, "km")


def pct(value: Any) -> str:
    """A value already in percent: `82.2333 -> "82%"`."""
    return MISSING if is_missing(value) else f"{number(value)}%"


def watts(value: Any) -> str:
    return number(value, 0, "W")


def wkg(value: Any) -> str:
    return number(value, 2, "W/kg")


def bpm(value: Any) -> str:
    return number(value, 0, "bpm")


def load(value: Any) -> str:
    """Intervals.icu training load (and CTL/ATL), whole units: `380`."""
    return number(value, 0)


# ------------------------------------------------------------------------- durations


def duration(seconds: Any) -> str:
    """`5880 -> "1h38m"`, `7200 -> "2h"`, `2700 -> "45m"`, `150 -> "2m30s"`, `45 -> "45s"`."""
    if is_missing(seconds) or float(seconds) < 0:
        return MISSING
    secs = int(rounded(seconds))
    if secs >= 3570:  # rounds to an hour or more
        hours, minutes = divmod(int(rounded(secs / 60)), 60)
        return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
    if secs >= 600:
        return f"{int(rounded(secs / 60))}m"
    minutes, rest = divmod(secs, 60)
    if not minutes:
        return f"{rest}s"
    return f"{minutes}m{rest:02d}s" if rest else f"{minutes}m"


def hours(value: Any) -> str:
    """Hours as a duration: `5.9 -> "5h54m"`, `0.75 -> "45m"`."""
    return MISSING if is_missing(value) else duration(float(value) * 3600)


# ----------------------------------------------------------------------------- paces


def pace(seconds_per_unit: Any, unit: str = "/km") -> str:
    """`pace(285) -> "4:45 /km"`, `pace(112, "/100m") -> "1:52 /100m"`."""
    if is_missing(seconds_per_unit) or float(seconds_per_unit) <= 0:
        return MISSING
    minutes, secs = divmod(int(rounded(seconds_per_unit)), 60)
    return f"{minutes}:{secs:02d} {unit}"


def pace_km(speed_m_s: Any) -> str:
    """From a speed in m/s (Intervals.icu's unit): `3.5088 -> "4:45 /km"`."""
    if is_missing(speed_m_s) or float(speed_m_s) <= 0:
        return MISSING
    return pace(1000 / float(speed_m_s), "/km")


def pace_100m(speed_m_s: Any) -> str:
    """From a speed in m/s: `0.893 -> "1:52 /100m"`."""
    if is_missing(speed_m_s) or float(speed_m_s) <= 0:
        return MISSING
    return pace(100 / float(speed_m_s), "/100m")


# ----------------------------------------------------------------------------- dates


def as_date(value: Any) -> date | None:
    """A date from a date, a datetime or an ISO text (`2026-11-23`, `2026-11-23T07:00:00`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _year(d: date, today: date | None) -> str:
    return "" if d.year == (today or date.today()).year else f" {d.year}"


def day(value: Any, today: date | None = None) -> str:
    """`Thu 4 Dec`, or `Thu 4 Dec 2025` when not in today's year."""
    d = as_date(value)
    if d is None:
        return MISSING
    return f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}{_year(d, today)}"


def day_month(value: Any, today: date | None = None) -> str:
    """The short form for chart axes: `4 Dec`, or `4 Dec 2025` when not in today's year."""
    d = as_date(value)
    if d is None:
        return MISSING
    return f"{d.day} {MONTHS[d.month - 1]}{_year(d, today)}"


def week_of(monday: Any, today: date | None = None) -> str:
    """`week of 7 Sep` (the week's Monday), with the year when not today's year."""
    d = as_date(monday)
    return MISSING if d is None else f"week of {day_month(d, today)}"


# ---------------------------------------------------------------------------- shares


def largest_remainder(values: list[Any], total: int = 100) -> list[int]:
    """Whole numbers proportional to `values` that add up to exactly `total` (Hamilton's
    method): floors first, then one more to the largest remainders; ties go to the larger
    value, then to the earlier one. Missing or negative values count as 0; all zero -> all 0.
    `[33.3, 33.3, 33.4] -> [33, 33, 34]`, `[0.5, 0.5, 99] -> [1, 0, 99]`."""
    weights = [Fraction(0) if is_missing(v) or float(v) <= 0 else Fraction(float(v))
               for v in values]
    whole = sum(weights)
    if not whole or total <= 0:
        return [0] * len(values)
    quotas = [w * total / whole for w in weights]
    floors = [int(q) for q in quotas]  # quotas are >= 0: int() is the floor
    left = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(quotas[i] - floors[i]), -weights[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors
