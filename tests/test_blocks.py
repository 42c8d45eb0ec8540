"""The multi-week planner, pure: weekly targets from the recent weeks, the CTL ramp held under
7 a week, an easier week every 4th, a taper in the race week, and each week's workouts laid out
on the days the availability allows, adding up to the targets within 10%."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach import workout
from coach.analysis import (
    MAX_RAMP,
    Availability,
    BlockRequest,
    Booked,
    DayFitness,
    WeekLoad,
    forecast,
    plan_block,
    ramp_ceiling,
    within,
)
from coach.analysis.layout import allocate, day_slots

START = date(2026, 11, 30)  # a Monday
TRIATHLON = {"Ride": 0.6, "Run": 0.25, "Swim": 0.15}
DEMO_WEEKS: list[tuple[float, float]] = [(9.3, 521), (10.2, 592), (9.8, 560), (5.8, 298),
                                         (9.8, 559), (9.4, 534)]


def recent(weeks: list[tuple[float, float]] = DEMO_WEEKS) -> list[WeekLoad]:
    return [WeekLoad(START - timedelta(weeks=len(weeks) - i), h, load)
            for i, (h, load) in enumerate(weeks)]


def request(**changes: object) -> BlockRequest:
    values: dict[str, object] = {
        "start": START, "weeks": 4, "fitness": DayFitness(START - timedelta(days=1), 72, 65),
        "recent": recent(), "availability": Availability(days_off=(0,)), "sports": TRIATHLON,
        "booked": {}, "race": None}
    return BlockRequest(**(values | changes))  # type: ignore[arg-type]


def test_four_weeks_build_then_an_easier_week_each_adding_up():
    weeks = plan_block(request())
    assert [w.kind for w in weeks] == ["build", "build", "build", "recovery"]
    assert [w.monday for w in weeks] == [START + timedelta(weeks=i) for i in range(4)]
    base = sum(h for h, _ in DEMO_WEEKS[-4:]) / 4
    assert weeks[0].hours == pytest.approx(base * 1.05, rel=0.01)
    assert weeks[0].hours < weeks[1].hours < weeks[2].hours
    assert weeks[3].hours < 0.8 * weeks[2].hours and weeks[3].load < 0.7 * weeks[2].load
    for w in weeks:
        assert w.adds_up and not w.notes, w
        assert within(w.planned_hours, w.hours) and within(w.planned_load, w.load)


def test_no_workout_on_a_day_off_and_none_longer_than_allowed():
    availability = Availability(hours=(2, 1, 1.5, 1, 1, 4, 4), days_off=(0, 4),
                                max_session_min=120)
    for w in plan_block(request(availability=availability)):
        assert w.sessions
        assert {s.day.weekday() for s in w.sessions}.isdisjoint({0, 4})
        assert all(s.minutes <= 120 for s in w.sessions)
        by_day: dict[date, int] = {}
        for s in w.sessions:
            by_day[s.day] = by_day.get(s.day, 0) + s.minutes
        assert all(m <= availability.hours[d.weekday()] * 60 for d, m in by_day.items())
        assert len(by_day) == len(w.sessions)  # one a day


def test_two_a_day_splits_a_long_day_into_two_sports():
    availability = Availability(hours=(0, 1, 1, 1, 1, 5, 5), max_session_min=120,
                                two_a_day=True)
    weeks = plan_block(request(availability=availability, recent=recent([(11, 600)] * 6)))
    doubles = [[s for s in w.sessions if s.day == d] for w in weeks
               for d in {s.day for s in w.sessions}]
    assert any(len(d) == 2 for d in doubles)
    assert all(len({s.sport for s in d}) == len(d) for d in doubles)
    assert all(s.minutes <= 120 for w in weeks for s in w.sessions)


def test_the_ramp_stays_under_the_safe_limit_for_a_detrained_athlete():
    # 10 h a week of history but a CTL of 15: building from there would ramp far too fast
    weeks = plan_block(request(fitness=DayFitness(START - timedelta(days=1), 15, 10),
                               recent=recent([(10, 600)] * 6),
                               availability=Availability(hours=(3,) * 7)))
    assert all(w.ramp <= MAX_RAMP for w in weeks)
    assert any("ramp" in note for w in weeks for note in w.notes)
    assert weeks[0].load <= ramp_ceiling(15)


def test_the_reported_ramp_is_the_forecast_of_the_laid_out_days():
    req = request()
    weeks = plan_block(req)
    loads: dict[date, float] = {}
    for w in weeks:
        for s in w.sessions:
            loads[s.day] = loads.get(s.day, 0.0) + s.load
    series = forecast(req.fitness, loads, 28)
    ends = [req.fitness.ctl] + [series[6 + 7 * i].ctl for i in range(4)]
    assert [w.ramp for w in weeks] == pytest.approx(
        [b - a for a, b in zip(ends, ends[1:], strict=False)], abs=0.01)


def test_a_race_week_is_a_taper_and_the_plan_ends_with_it():
    race = START + timedelta(weeks=2, days=6)        # the third Sunday
    weeks = plan_block(request(weeks=6, race=race))
    assert [w.kind for w in weeks] == ["build", "build", "taper"]
    taper = weeks[-1]
    assert taper.load < 0.6 * weeks[1].load
    assert all(s.day < race for s in taper.sessions)
    day_before = [s for s in taper.sessions if s.day == race - timedelta(days=1)]
    assert all(s.minutes <= 45 for s in day_before)


def test_booked_workouts_count_toward_the_week_and_their_days_are_left_alone():
    booked = {START + timedelta(days=1): Booked(60, 70, 1),
              START + timedelta(days=5): Booked(180, 150, 1)}
    first = plan_block(request(booked=booked))[0]
    assert first.booked_hours == 4.0 and first.booked_load == 220
    assert {s.day for s in first.sessions}.isdisjoint(booked)
    assert first.adds_up


def test_a_full_calendar_caps_the_target_at_what_the_days_allow():
    booked = {START + timedelta(days=i): Booked(60, 50, 1) for i in range(1, 6)}
    first = plan_block(request(booked=booked))[0]
    assert [s.day.weekday() for s in first.sessions] == [6]   # only Sunday is free
    assert first.hours == pytest.approx(5 + 3)
    assert any("availability" in note for note in first.notes)


def test_without_history_the_plan_starts_from_fitness_or_a_modest_default():
    from_ctl = plan_block(request(recent=recent([(0, 0)] * 6)))[0]
    assert from_ctl.load == pytest.approx(7 * 72 * 1.05, rel=0.02)
    nothing = plan_block(request(recent=[], fitness=DayFitness(START, 0, 0)))[0]
    assert nothing.hours == pytest.approx(5 * 1.05, rel=0.01)


def test_every_workout_is_valid_text_whose_numbers_the_checker_agrees_with():
    for w in plan_block(request(weeks=8, race=START + timedelta(weeks=7, days=6))):
        for s in w.sessions:
            check = workout.check(s.text, s.sport)
            assert check.ok, (s.name, s.text, check.errors)
            assert check.duration_s == s.minutes * 60
            assert check.load == pytest.approx(s.load, abs=0.01)


def test_allocation_uses_whole_five_minutes_and_never_a_too_short_session():
    slots = day_slots(START, Availability(), {})
    alloc = allocate(slots, 200)
    assert sum(alloc.values()) == 200
    assert all(m % 5 == 0 and m >= 30 for m in alloc.values())
    assert allocate(slots, 20) == {}


@settings(max_examples=40, deadline=None)
@given(hours=st.lists(st.sampled_from([0, 0.75, 1, 1.5, 2, 3, 4]), min_size=7, max_size=7),
       off=st.sets(st.integers(0, 6), max_size=3), history=st.floats(3, 14),
       per_hour=st.floats(40, 60), two=st.booleans())
def test_any_availability_is_respected_and_weeks_add_up(hours, off, history, per_hour, two):
    availability = Availability(tuple(hours), tuple(sorted(off)), 150, two)
    weeks = plan_block(request(availability=availability,
                               recent=recent([(history, history * per_hour)] * 6)))
    for w in weeks:
        assert w.ramp <= MAX_RAMP
        assert all(s.day.weekday() not in off and hours[s.day.weekday()] > 0
                   for s in w.sessions)
        # a target the days and sports cannot meet is lowered, and its note says so
        assert w.adds_up, w
        assert all(w.load == pytest.approx(w.planned_load, abs=0.1) for n in w.notes
                   if "reach" in n)
