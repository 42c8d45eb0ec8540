"""coach.display: one way to write numbers, dates and durations for people."""

from __future__ import annotations

import ast
import math
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach import display
from coach.display import MISSING

TODAY = date(2026, 12, 3)
MISSING_VALUES = [None, math.nan, float("nan"), math.inf, -math.inf, "", "abc", True]


def test_module_is_pure_standard_library():
    path = Path(display.__file__)
    tree = ast.parse(path.read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
                for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree)
                 if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


@pytest.mark.parametrize("fn", [display.duration, display.hours, display.km, display.pct,
                                display.watts, display.wkg, display.bpm, display.load,
                                display.number, display.signed, display.pace,
                                display.pace_km, display.pace_100m, display.day,
                                display.day_month, display.week_of])
@pytest.mark.parametrize("value", MISSING_VALUES, ids=repr)
def test_missing_is_a_dash(fn, value):
    assert fn(value) == MISSING == "—"


@pytest.mark.parametrize("seconds, text", [
    (0, "0s"), (0.4, "0s"), (45, "45s"), (59.6, "1m"), (60, "1m"), (65, "1m05s"),
    (150, "2m30s"), (599, "9m59s"), (599.6, "10m"), (600, "10m"), (629, "10m"),
    (630, "11m"), (2700, "45m"), (3569, "59m"), (3570, "1h"), (3600, "1h"),
    (3629, "1h"), (3630, "1h01m"), (3930, "1h06m"), (5880, "1h38m"), (7200, "2h"),
    (36000, "10h"), (90000, "25h"), (Decimal("150"), "2m30s"),
])
def test_duration(seconds, text):
    assert display.duration(seconds) == text


def test_negative_duration_is_missing():
    assert display.duration(-1) == MISSING


@pytest.mark.parametrize("value, text", [
    (5.9, "5h54m"), (1.63, "1h38m"), (0.75, "45m"), (0, "0s"), (7.5, "7h30m"), (10, "10h"),
])
def test_hours_are_durations(value, text):
    assert display.hours(value) == text


@pytest.mark.parametrize("fn, value, text", [
    (display.km, 12345, "12.3 km"), (display.km, 12350, "12.4 km"), (display.km, 150, "0.2 km"),
    (display.km, 0, "0.0 km"), (display.km, 160000, "160.0 km"), (display.km, 42195, "42.2 km"),
    (display.pct, 82.2333, "82%"), (display.pct, 82.5, "83%"), (display.pct, 0.4, "0%"),
    (display.pct, 100, "100%"), (display.pct, -0.4, "0%"),
    (display.watts, 245.4, "245 W"), (display.watts, 245.5, "246 W"),
    (display.wkg, 3.456, "3.46 W/kg"), (display.wkg, 4, "4.00 W/kg"),
    (display.bpm, 151.5, "152 bpm"), (display.bpm, 48, "48 bpm"),
    (display.load, 379.5, "380"), (display.load, 61.8, "62"), (display.load, 0, "0"),
    (display.signed, 3.2, "+3"), (display.signed, -8.4, "-8"), (display.signed, -0.3, "0"),
    (display.signed, 0, "0"),
])
def test_numbers(fn, value, text):
    assert fn(value) == text


def test_number_rounds_half_away_from_zero_as_written():
    assert display.number(2.5) == "3"          # not banker's 2
    assert display.number(0.125, 2) == "0.13"
    assert display.number(1.005, 2) == "1.01"  # as written, though the float is 1.00499...
    assert display.number(-2.5) == "-3"
    assert display.number(-0.04, 1) == "0.0"   # never "-0.0"
    assert display.number(5.25, 1, "km") == "5.3 km"
    assert display.number(1e6) == "1000000"


@pytest.mark.parametrize("fn, value, text", [
    (display.pace, 285, "4:45 /km"), (display.pace, 284.6, "4:45 /km"),
    (display.pace, 59.5, "1:00 /km"), (display.pace, 600, "10:00 /km"),
    (display.pace_km, 1000 / 285, "4:45 /km"), (display.pace_km, 3.70, "4:30 /km"),
    (display.pace_100m, 100 / 112, "1:52 /100m"), (display.pace_100m, 1.0, "1:40 /100m"),
])
def test_paces(fn, value, text):
    assert fn(value) == text


def test_pace_in_another_unit_and_impossible_speeds():
    assert display.pace(112, "/100m") == "1:52 /100m"
    assert display.pace_km(0) == display.pace_km(-3) == display.pace(0) == MISSING


@pytest.mark.parametrize("value, text", [
    (date(2026, 12, 3), "Thu 3 Dec"), ("2026-12-04", "Fri 4 Dec"),
    ("2026-01-01T07:30:00", "Thu 1 Jan"), (datetime(2026, 9, 7, 23, 59), "Mon 7 Sep"),
    (date(2025, 12, 4), "Thu 4 Dec 2025"), ("2027-01-04", "Mon 4 Jan 2027"),
    ("2026-02-30", MISSING), ("not a date", MISSING), (20261203, MISSING),
])
def test_day(value, text):
    assert display.day(value, TODAY) == text


def test_day_month_and_week_of():
    assert display.day_month("2026-09-07", TODAY) == "7 Sep"
    assert display.day_month("2025-12-29", TODAY) == "29 Dec 2025"
    assert display.week_of(date(2026, 9, 7), TODAY) == "week of 7 Sep"
    assert display.week_of("2025-12-29", TODAY) == "week of 29 Dec 2025"


def test_dates_ignore_the_locale_and_default_to_today():
    import locale
    before = locale.setlocale(locale.LC_TIME)
    try:
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        pass  # no German locale here: the English names are checked all the same
    try:
        this_year = date(date.today().year, 5, 4)
        assert display.day(this_year) == f"{display.DAYS[this_year.weekday()]} 4 May"
    finally:
        locale.setlocale(locale.LC_TIME, before)


@pytest.mark.parametrize("values, total, shares", [
    ([33.3, 33.3, 33.4], 100, [33, 33, 34]),
    ([0.5, 0.5, 99], 100, [1, 0, 99]),
    ([1, 1, 1], 100, [34, 33, 33]),
    ([78.4, 14.6, 7.0], 100, [78, 15, 7]),
    ([77.5, 15.4, 7.6], 100, [77, 15, 8]),  # the independent rounding gave 78 + 15 + 8 = 101
    ([12.3, 2.3, 1.1], 100, [78, 15, 7]),
    ([0, 0, 5], 100, [0, 0, 100]),
    ([None, math.nan, 2, -3], 100, [0, 0, 100, 0]),
    ([1, 2], 10, [3, 7]),
    ([2, 1], 0, [0, 0]),
    ([0, 0], 100, [0, 0]),
    ([], 100, []),
])
def test_largest_remainder(values, total, shares):
    assert display.largest_remainder(values, total) == shares


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1,
                max_size=12).filter(lambda v: sum(v) > 0),
       st.integers(min_value=1, max_value=1000))
def test_largest_remainder_always_adds_up(values, total):
    shares = display.largest_remainder(values, total)
    assert sum(shares) == total
    assert all(s >= 0 for s in shares)
    whole = sum(values)
    for value, share in zip(values, shares, strict=True):
        assert abs(share - value * total / whole) < 1   # each within one of its quota
        if value == 0:
            assert share == 0
