"""Strength and mobility as `WeightTraining` events: a duration and a plain description that the
workout parser reads as no steps and no targets, a small load, and days that a week's layout
counts in its availability and its hours."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach import workout
from coach.analysis import (
    Availability,
    BlockRequest,
    Booked,
    Concern,
    DayFitness,
    Week,
    WeekLoad,
    assess,
    plan_block,
)
from coach.analysis.strength import (
    WEIGHT_TRAINING,
    StrengthKind,
    strength_as_session,
    strength_days,
    strength_hours,
    strength_problems,
    strength_session,
    with_strength,
)

MONDAY = date(2026, 3, 2)
SPEC = Path(__file__).parent / "fixtures" / "intervals-openapi.json"


@pytest.mark.parametrize("kind", list(StrengthKind))
@pytest.mark.parametrize("minutes", [15, 30, 40, 90])
def test_a_session_is_a_duration_and_plain_words(kind, minutes):
    s = strength_session(MONDAY, minutes, kind)
    assert s.sport == WEIGHT_TRAINING and s.moving_time == minutes * 60
    assert s.name == f"{kind.value.capitalize()} {minutes} min"
    assert f"{minutes} min" in s.description.splitlines()[0]
    parsed, issues = workout.parse(s.description)
    assert not issues and all(isinstance(i, workout.Section) for i in parsed.items)
    assert strength_problems(s.description) == []


def test_its_load_is_small_and_follows_a_stated_low_intensity():
    strength, mobility = (strength_session(MONDAY, 40, k) for k in StrengthKind)
    assert strength.load == pytest.approx(40 / 60 * 0.55**2 * 100, abs=0.1)
    assert mobility.load < strength.load < 25
    assert strength_session(MONDAY, 80).load == pytest.approx(2 * strength.load, abs=0.2)


def test_a_session_lasts_fifteen_to_ninety_minutes():
    for minutes in (10, 91):
        with pytest.raises(ValueError, match="15 to 90 minutes"):
            strength_session(MONDAY, minutes)


@pytest.mark.parametrize(("text", "flagged"), [
    ("- 10m 60%", "line 1 reads as a workout step"),
    ("Circuit 3x\n- 5m\n- 1m", "line 1 reads as a workout step"),
    ("Squats at 200w", "'200w'"), ("Easy spin in Z2", "'Z2'"), ("Jog 5:00/km", "'5:00/km'"),
    ("Row at 90% FTP", "'90% FTP'"), ("Keep under 150 bpm", "'bpm'")])
def test_endurance_steps_and_targets_are_flagged(text, flagged):
    assert any(flagged in p for p in strength_problems(text)), strength_problems(text)


def test_strength_words_are_not_flagged():
    words = "3 sets of 8 squats at 80% 1RM; 2 rounds, rest 90 s; 10 min walk"
    assert strength_problems(words) == []


def test_the_api_knows_weight_training_and_its_event_takes_a_duration_and_words():
    spec = json.loads(SPEC.read_text())
    event = spec["components"]["schemas"]["EventEx"]["properties"]
    assert {"type", "moving_time", "description", "name"} <= set(event)
    assert WEIGHT_TRAINING in event["can_train_sports"]["items"]["enum"]


def test_days_are_apart_on_free_days_and_clear_of_a_race():
    a = Availability(days_off=(0,))
    assert strength_days(MONDAY, Availability(), {}, 2, 40) == [MONDAY, MONDAY + timedelta(3)]
    assert strength_days(MONDAY, a, {}, 2, 40) == [MONDAY + timedelta(1), MONDAY + timedelta(3)]
    three = strength_days(MONDAY, Availability(), {}, 3, 40)
    assert all((b - a).days > 1 for a, b in zip(three, three[1:], strict=False))
    race = MONDAY + timedelta(days=5)                                    # Saturday
    near = strength_days(MONDAY, a, {}, 2, 40, race)
    assert near == [MONDAY + timedelta(1)]                               # not Thu, Fri or Sat
    booked = {MONDAY + timedelta(1): Booked(60, 50, 1)}
    assert MONDAY + timedelta(1) not in strength_days(MONDAY, a, booked, 2, 40)
    assert strength_days(MONDAY, Availability(hours=(0.5,) * 7), {}, 2, 40) == []


def test_a_week_counts_strength_in_its_hours_and_leaves_its_days_alone():
    a = Availability(days_off=(0,))
    days = strength_days(MONDAY, a, {}, 2, 45)
    gym = [strength_session(d, 45) for d in days]
    booked = with_strength({}, gym)
    assert booked[days[0]] == Booked(45, gym[0].load, 1) and strength_hours(gym) == 1.5
    req = BlockRequest(MONDAY, 1, DayFitness(MONDAY - timedelta(days=1), 60, 60),
                       [WeekLoad(MONDAY - timedelta(weeks=1), 9, 450)], a, {"Ride": 1.0},
                       booked)
    [week] = plan_block(req)
    assert week.booked_hours == 1.5 and week.booked_load == pytest.approx(sum(g.load for g in gym),
                                                                           abs=0.1)
    assert not {s.day for s in week.sessions} & set(days)                 # one a day
    assert week.adds_up


def test_booked_with_adds_to_what_is_already_there():
    day = MONDAY + timedelta(days=2)
    out = with_strength({day: Booked(60, 50, 1)}, [strength_session(day, 30)])
    assert out[day].minutes == 90 and out[day].count == 2 and out[day].load > 50


def test_the_proposal_check_sees_no_intensity_but_the_day_off():
    s = strength_as_session(strength_session(MONDAY, 40), proposal_id=4)
    assert s.sport == WEIGHT_TRAINING and s.at_threshold == 0 and s.proposal_id == 4
    found = assess(s, Week(MONDAY - timedelta(days=1), availability=Availability(days_off=(0,))))
    assert [f.concern for f in found] == [Concern.DAY_OFF]
