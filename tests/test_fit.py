"""The pure check every proposal passes through (coach.analysis.fit): one test per finding,
each with the case that must pass clean beside the one that must be flagged."""

from __future__ import annotations

from datetime import date, timedelta

from coach.analysis import (
    Availability,
    Concern,
    DayFitness,
    Race,
    Readiness,
    Session,
    Severity,
    Week,
    assess,
    counted,
    superseded,
)

TODAY = date(2026, 12, 4)         # a Friday
SATURDAY = TODAY + timedelta(days=1)
SWEET_SPOT = Session(SATURDAY, "Ride", "Sweet spot 3x12", 68, 65, {1: 20, 2: 12, 3: 36},
                     proposal_id=7, turn="b")
ENDURANCE = Session(SATURDAY, "Ride", "Endurance 2h", 120, 90, {2: 120}, event_id=91000055)
EASY = Session(SATURDAY, "Ride", "Easy spin", 45, 30, {1: 10, 2: 35}, proposal_id=8)


def concerns(findings):
    return [f.concern for f in findings]


def test_a_clean_session_on_a_free_day_has_no_findings():
    assert assess(EASY, Week(TODAY)) == []


def test_same_day_as_a_planned_workout_offers_replace_or_a_second_session():
    [found] = assess(SWEET_SPOT, Week(TODAY, [ENDURANCE]))
    assert found.concern == Concern.SAME_DAY and found.severity == Severity.DECIDE
    assert found.other == ENDURANCE and not found.blocks
    assert "Tomorrow already has Endurance 2h (2h00m), planned" in found.message
    assert "allows one session a day" in found.message and "Replace it" in found.message
    two = assess(SWEET_SPOT, Week(TODAY, [ENDURANCE], availability=Availability(two_a_day=True)))
    assert "add this as a second session" in two[0].message
    assert two[0].accept == "add as a second session"
    # a change to that very workout does not clash with it
    assert assess(SWEET_SPOT, Week(TODAY, [ENDURANCE]), replaces=ENDURANCE.event_id) == []


def test_same_day_as_another_pending_proposal():
    [found] = assess(SWEET_SPOT, Week(TODAY, [EASY]))
    assert found.concern == Concern.SAME_DAY and "already proposed" in found.message
    assert assess(SWEET_SPOT, Week(TODAY, [SWEET_SPOT])) == []        # itself is no clash


def test_the_same_session_asked_again_supersedes_the_older_one():
    older = Session(SATURDAY, "Ride", "Sweet spot 3x12", 68, 65, proposal_id=3, turn="a")
    same_answer = Session(SATURDAY, "Ride", "Second ride", 60, 40, proposal_id=6, turn="b")
    swim = Session(SATURDAY, "Swim", "Swim", 45, 30, proposal_id=5, turn="a")
    elsewhere = Session(TODAY, "Ride", "Ride", 60, 40, proposal_id=4, turn="a")
    assert superseded(SWEET_SPOT, [older, same_answer, swim, elsewhere]) == [3]


def test_ease_off_flags_36_minutes_in_z3_with_the_verdict_quoted():
    checkin = Readiness(TODAY, "ease off", ("HRV below your range",))
    [found] = assess(SWEET_SPOT, Week(TODAY, checkins=[checkin]))
    assert found.concern == Concern.READINESS and found.severity == Severity.DECIDE
    assert found.message.startswith("Your check-in today said ease off (HRV below your range)")
    assert "36 min in Z3 or above" in found.message
    assert assess(EASY, Week(TODAY, checkins=[checkin])) == []        # easy passes
    later = Session(TODAY + timedelta(days=2), "Ride", "Sweet spot", 68, 65, {3: 36})
    assert assess(later, Week(TODAY, checkins=[checkin])) == []       # two days on: no


def test_ease_off_compares_load_with_the_planned_session_and_rest_flags_any_session():
    checkin = Readiness(SATURDAY, "ease off")
    harder = Session(SATURDAY, "Ride", "Long easy", 150, 110, {2: 150}, proposal_id=9)
    found = assess(harder, Week(TODAY, [ENDURANCE], checkins=[checkin]), replaces=91000055)
    assert concerns(found) == [Concern.READINESS] and "above the planned session's (90)" in \
        found[0].message
    rest = assess(EASY, Week(TODAY, checkins=[Readiness(TODAY, "rest", ("ill",))]))
    assert concerns(rest) == [Concern.READINESS] and "said rest (ill)" in rest[0].message
    assert assess(EASY, Week(TODAY, checkins=[Readiness(TODAY, "as planned")])) == []


def test_availability_day_off_day_hours_and_longest_session():
    sunday_off = Availability(days_off=(5,))                          # Saturday off
    assert concerns(assess(EASY, Week(TODAY, availability=sunday_off))) == [Concern.DAY_OFF]
    long = Session(SATURDAY, "Ride", "Long ride", 240, 180, {2: 240}, proposal_id=10)
    found = assess(long, Week(TODAY))       # Saturdays have 3 h, sessions up to 180 min
    assert concerns(found) == [Concern.DAY_HOURS, Concern.LONGEST]
    assert "would take 4h00m; you have 3h00m on Saturdays" in found[0].message
    assert "longer than your longest session (3h00m)" in found[1].message
    assert assess(Session(SATURDAY, "Ride", "r", 190, 100), Week(TODAY)) == []  # within 10%


def test_week_load_over_its_target():
    monday = TODAY - timedelta(days=TODAY.weekday())
    planned = [Session(monday + timedelta(days=i), "Ride", "r", 60, 100, event_id=i)
               for i in range(4)]
    week = Week(TODAY, planned, target=(6.0, 420.0))
    assert assess(Session(TODAY, "Ride", "easy", 30, 20), week) == []
    found = assess(Session(TODAY, "Ride", "hard", 90, 110), week)
    assert concerns(found) == [Concern.WEEK_LOAD]
    assert "would reach load 510 against its target of 420" in found[0].message


def test_a_ctl_rise_above_the_ramp_limit():
    fitness = DayFitness(TODAY, 40.0, 40.0)
    steady = {TODAY + timedelta(days=i): 40.0 for i in range(1, 15)}
    assert assess(Session(SATURDAY, "Ride", "r", 90, 80), Week(TODAY, fitness=fitness,
                                                                 loads=steady)) == []
    heavy = {day: 85.0 for day in steady}
    found = assess(Session(SATURDAY, "Ride", "r", 180, 300),
                   Week(TODAY, fitness=fitness, loads=heavy))
    assert concerns(found) == [Concern.RAMP] and "above the safe 7 a week" in found[0].message


def test_race_week_allows_a_taper_only():
    race = Race(TODAY + timedelta(days=3), "Valencia Marathon", "A")
    week = Week(TODAY, races=[race])
    openers = Session(SATURDAY, "Run", "Openers", 40, 30, {2: 34, 5: 4})
    assert assess(openers, week) == []
    found = assess(SWEET_SPOT, week)
    assert concerns(found) == [Concern.RACE_WEEK]
    assert "Your A race Valencia Marathon" in found[0].message
    assert assess(SWEET_SPOT, Week(TODAY, races=[Race(race.day, "Local 10k", "C")])) == []
    eve = Session(race.day - timedelta(days=1), "Run", "Shakeout", 60, 40, {2: 60})
    assert concerns(assess(eve, week)) == [Concern.RACE_WEEK]


def test_counting_a_day_once_plus_the_proposals_that_would_not_clash():
    three_same = [Session(SATURDAY, "Ride", "Sweet spot", 68, 65, proposal_id=n, turn=str(n))
                  for n in (1, 2, 3)]
    kept = counted([ENDURANCE, *three_same], two_a_day=False)
    assert kept == [ENDURANCE]                                  # the calendar wins the day
    kept = counted(three_same, two_a_day=False)
    assert [s.proposal_id for s in kept] == [3]                 # one, the newest
    run = Session(SATURDAY, "Run", "Run", 30, 25, proposal_id=4)
    assert [s.proposal_id for s in counted([*three_same, run], two_a_day=True)] == [4, 3]


def test_a_later_day_is_written_with_its_month_as_a_calendar_writes_it():
    later = Session(TODAY + timedelta(days=5), "Ride", "Endurance 2h", 120, 90, {2: 120},
                    event_id=91000056)
    new = Session(later.day, "Ride", "Sweet spot 3x12", 68, 65, {3: 36}, proposal_id=9)
    [found] = assess(new, Week(TODAY, [later]))
    assert found.message.startswith("Wednesday 9 Dec already has Endurance 2h")
