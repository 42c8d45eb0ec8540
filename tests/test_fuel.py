"""Carbohydrate per hour from the consensus ranges by duration (Thomas, Erdman & Burke 2016;
Jeukendrup 2014): sessions over 90 minutes, or long at threshold, get a whole-gram target for
the event's `carbs_per_hour`; shorter and easy ones get none; race day gets its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.analysis.fuel import FUEL_SOURCE, carb_band, race_fuel, session_fuel

SPEC = Path(__file__).parent / "fixtures" / "intervals-openapi.json"


@pytest.mark.parametrize(("minutes", "expected"), [
    (30, (0, 0)), (44, (0, 0)), (45, (0, 0)), (59, (0, 0)), (60, (30, 60)), (149, (30, 60)),
    (150, (60, 90)), (600, (60, 90)), (24 * 60 + 1, (60, 90))])
def test_the_consensus_range_by_duration(minutes, expected):
    assert carb_band(minutes)[:2] == expected


@pytest.mark.parametrize(("minutes", "at_threshold", "grams"), [
    (30, 0, None), (50, 30, None),        # under an hour: none, even when hard
    (75, 0, None), (90, 10, None),        # an hour to 90 min, easy: none
    (75, 20, 45), (80, 40, 60),           # an hour or more, long at threshold
    (91, 0, 30), (120, 20, 45), (149, 60, 60),
    (150, 0, 60), (180, 20, 75), (240, 40, 90), (300, 90, 90)])
def test_a_target_for_long_or_hard_sessions_only(minutes, at_threshold, grams):
    fuel = session_fuel(minutes, at_threshold)
    assert fuel.carbs_per_hour == grams
    if grams is not None:
        assert fuel.low <= grams <= fuel.high and grams % 5 == 0
        assert fuel.text.startswith(f"{grams} g carbohydrate per hour (")
    assert FUEL_SOURCE in fuel.text


def test_the_sentence_gives_the_range_and_says_when_to_mix_sugars():
    easy = session_fuel(180)
    assert "over 2.5 h: up to 90 g/h" in easy.text and "low end" in easy.text
    assert "glucose and fructose" not in easy.text          # 60 g/h: one source will do
    assert "glucose and fructose" in session_fuel(180, 45).text
    assert "1-2.5 h: 30-60 g/h" in session_fuel(100).text
    assert session_fuel(75).text.startswith("No carbohydrate target for an easy session of 1h15")
    assert "mouth rinse" in session_fuel(50, 30).text


def test_more_time_at_threshold_never_lowers_the_target():
    for minutes in (95, 130, 200):
        grams = [session_fuel(minutes, t).carbs_per_hour or 0 for t in range(0, 120, 5)]
        assert grams == sorted(grams) and grams[0] < grams[-1]


def test_race_day_takes_the_top_of_its_range():
    assert race_fuel(330, "Ironman 70.3").startswith(
        "Race day, Ironman 70.3 (5h30): 90 g carbohydrate per hour from the start")
    assert "glucose and fructose" in race_fuel(330)
    assert "60 g carbohydrate per hour" in race_fuel(70, "Olympic")
    assert "not needed" in race_fuel(40) and "g carbohydrate per hour" not in race_fuel(40)
    assert FUEL_SOURCE in race_fuel(40)


def test_the_target_fits_the_events_carbs_per_hour_field():
    schemas = json.loads(SPEC.read_text())["components"]["schemas"]
    for name in ("EventEx", "Event"):
        assert schemas[name]["properties"]["carbs_per_hour"] == {"type": "integer",
                                                                "format": "int32"}
    assert isinstance(session_fuel(200, 30).carbs_per_hour, int)
