"""Athlete notes, the pure side: the card the model reads (pinned and newest first within its
budget) and the rule that turns notes in English, Spanish or German into constraints the
proposal check reports as findings for the athlete to decide."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.analysis import Concern, Session, Severity
from coach.analysis.notes import (
    CARD_BUDGET,
    LINE_MOST,
    Note,
    NoteKind,
    NoteRule,
    avoided_sports,
    check_notes,
    note_constraints,
    note_days_off,
    notes_card,
)

WRITTEN = datetime(2026, 3, 1, 9, 0)
WEDNESDAY = date(2026, 3, 4)
SATURDAY = WEDNESDAY + timedelta(days=3)


def note(text: str, kind: NoteKind = NoteKind.INJURY, **changes: object) -> Note:
    return Note(kind, text, changes.pop("created", WRITTEN), **changes)  # type: ignore[arg-type]


def rules(text: str, kind: NoteKind = NoteKind.INJURY) -> set[tuple[str, str | None, int | None]]:
    return {(c.rule.value, c.sport, c.weekday) for c in note_constraints([note(text, kind)])}


# --- the note and the card ----------------------------------------------------------------

def test_a_note_needs_text_and_a_sensible_length():
    with pytest.raises(ValueError, match="needs some text"):
        note("  \n ")
    with pytest.raises(ValueError, match="at most 1000 characters"):
        note("x" * 1001)
    assert note("x", updated=WRITTEN + timedelta(days=2)).changed == WRITTEN + timedelta(days=2)


def test_the_card_puts_pinned_notes_first_then_the_newest():
    old = note("Ironman Vitoria in July", NoteKind.GOAL, pinned=True)
    older = note("Long ride on Saturday", NoteKind.PREFERENCE,
                 created=WRITTEN - timedelta(days=9))
    newest = note("Left knee sore,\n  no running", since=date(2026, 2, 27),
                  created=WRITTEN + timedelta(days=1))
    edited = note("No Wednesdays", NoteKind.CONSTRAINT, created=WRITTEN - timedelta(days=30),
                  updated=WRITTEN + timedelta(hours=1))
    assert notes_card([older, edited, newest, old]).splitlines() == [
        "- pinned goal: Ironman Vitoria in July",
        "- injury since 2026-02-27: Left knee sore, no running",
        "- constraint: No Wednesdays",
        "- preference: Long ride on Saturday"]
    assert notes_card([]) == ""


def test_the_card_keeps_to_its_budget_and_says_what_it_left_out():
    many = [note(f"Note number {i} " + "x" * 60, NoteKind.PREFERENCE,
                 created=WRITTEN + timedelta(minutes=i)) for i in range(20)]
    card = notes_card(many)
    lines = card.splitlines()
    assert len(card) <= CARD_BUDGET
    assert lines[0].startswith("- preference: Note number 19 ")          # the newest first
    assert lines[-1] == f"(+{20 - len(lines) + 1} more notes not shown)"


def test_one_long_note_cannot_take_the_whole_card():
    long = note("knee " * 150, pinned=True)
    card = notes_card([long, note("No Wednesdays", NoteKind.CONSTRAINT)])
    first, second = card.splitlines()
    assert len(first) == LINE_MOST and first.endswith("…")
    assert second == "- constraint: No Wednesdays"


@given(st.lists(st.tuples(st.text(min_size=1, max_size=300).filter(str.strip), st.booleans()),
                max_size=30), st.integers(min_value=0, max_value=1200))
def test_the_card_never_goes_over_any_budget(texts, budget):
    notes = [note(t, NoteKind.GOAL, pinned=p, created=WRITTEN + timedelta(minutes=i))
             for i, (t, p) in enumerate(texts)]
    assert len(notes_card(notes, budget)) <= budget


# --- what notes rule ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Left knee sore on stairs, no running", {("avoid", "Run", None)}),
    ("Knee", {("avoid", "Run", None)}),
    ("Achilles niggle since the marathon", {("avoid", "Run", None)}),
    ("No impact for two weeks", {("avoid", "Run", None)}),
    ("Rodilla izquierda: nada de impacto", {("avoid", "Run", None)}),
    ("No puedo correr", {("avoid", "Run", None)}),
    ("Schmerzen im Knie", {("avoid", "Run", None)}),
    ("Kein Laufen bis April", {("avoid", "Run", None)}),
    ("Shoulder pain, no swimming", {("avoid", "Swim", None)}),
    ("Schulter", {("avoid", "Swim", None)}),
    ("Sore back after the crash", set()),
])
def test_an_injury_note_rules_out_the_sport_it_names_or_that_takes_the_impact(text, expected):
    assert rules(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("I can't train on Wednesdays", {("day off", None, 2)}),
    ("no Wednesday", {("day off", None, 2)}),
    ("Wednesdays off", {("day off", None, 2)}),
    ("No puedo entrenar los miércoles", {("day off", None, 2)}),
    ("Mittwochs kein Training", {("day off", None, 2)}),
    ("Sonntag frei und Mittwoch frei", {("day off", None, 6), ("day off", None, 2)}),
    ("Long ride on Saturday", {("long on", "Ride", 5)}),
    ("Salida larga el sábado", {("long on", "Ride", 5)}),
    ("Tirada larga los domingos", {("long on", "Run", 6)}),
    ("Lange Ausfahrt am Samstag", {("long on", "Ride", 5)}),
    ("No running two days in a row", {("not two days in a row", "Run", None)}),
    ("Nunca correr dos días seguidos", {("not two days in a row", "Run", None)}),
    ("Nicht zwei Tage hintereinander laufen", {("not two days in a row", "Run", None)}),
    ("No swimming on Mondays", {("avoid", "Swim", 0)}),
    ("Indoor on weekdays", set()),
    ("I love running on Wednesdays", set()),
])
def test_preferences_and_constraints_in_three_languages(text, expected):
    assert rules(text, NoteKind.PREFERENCE) == expected


def test_goals_and_races_rule_nothing_out():
    assert rules("Sub-3 marathon, no excuses, no running walks", NoteKind.GOAL) == set()
    assert rules("A race: no Wednesday training before it", NoteKind.RACE) == set()
    assert rules("Knee", NoteKind.PREFERENCE) == set()         # a body part rules only in injury


def test_the_planner_gets_days_off_and_the_sports_to_leave_out():
    notes = [note("Left knee: no running", since=date(2026, 3, 10)),
             note("Can't train on Wednesdays or Fridays", NoteKind.CONSTRAINT),
             note("no swimming on Mondays", NoteKind.PREFERENCE)]
    assert note_days_off(notes) == (2, 4)
    assert avoided_sports(notes) == {"Run"}
    assert avoided_sports(notes, date(2026, 3, 9)) == set()      # before the note's since
    assert [c.rule for c in note_constraints(notes)].count(NoteRule.AVOID) == 2


# --- the findings -------------------------------------------------------------------------

KNEE = note("Left knee sore, no running", since=date(2026, 3, 1))
NO_WEDNESDAY = note("can't train on Wednesdays", NoteKind.CONSTRAINT)
LONG_SATURDAY = note("long ride on Saturday", NoteKind.PREFERENCE)
RUNS_APART = note("no running two days in a row", NoteKind.PREFERENCE)
ALL = [KNEE, NO_WEDNESDAY, LONG_SATURDAY, RUNS_APART]


def test_an_injury_note_flags_a_run_and_lets_a_ride_through():
    thursday = WEDNESDAY + timedelta(days=1)
    [found] = check_notes(Session(thursday, "TrailRun", "Easy run", 45, 40), ALL)
    assert found.concern == Concern.NOTE and found.severity == Severity.DECIDE
    assert not found.blocks
    assert found.message == ("Your injury note rules out runs. Choose another sport, or keep it "
                             "if the note no longer holds. Your note: “Left knee sore, no "
                             "running”.")
    assert found.accept == "a run your notes rule out"
    assert check_notes(Session(thursday, "VirtualRide", "Endurance", 60, 45), ALL) == []
    before = Session(date(2026, 2, 28), "Run", "Easy run", 45, 40)
    assert check_notes(before, [KNEE]) == []                     # before the injury


def test_a_day_off_in_the_notes_flags_any_session_that_day():
    for sport in ("Ride", "Swim", "WeightTraining"):
        [found] = check_notes(Session(WEDNESDAY, sport, "Session", 40, 20), [NO_WEDNESDAY])
        assert found.concern == Concern.NOTE
        assert found.message.startswith("Your notes keep Wednesdays free of training.")
    assert check_notes(Session(SATURDAY, "Ride", "Session", 40, 20), [NO_WEDNESDAY]) == []


def test_a_long_ride_belongs_on_the_day_the_notes_give_it():
    thursday = WEDNESDAY + timedelta(days=1)
    [found] = check_notes(Session(thursday, "Ride", "Long ride", 180, 150), [LONG_SATURDAY])
    assert found.concern == Concern.NOTE
    assert "This long ride is on a Thursday; your notes put it on Saturdays." in found.message
    for fine in (Session(SATURDAY, "Ride", "Long ride", 180, 150),
                 Session(thursday, "Ride", "Endurance", 90, 60),
                 Session(thursday, "Run", "Long run", 120, 110)):
        assert check_notes(fine, [LONG_SATURDAY]) == []


def test_runs_on_two_days_in_a_row_are_flagged_when_the_notes_say_so():
    friday = WEDNESDAY + timedelta(days=2)
    run = Session(friday, "Run", "Easy run", 40, 35, proposal_id=9)
    beside = [Session(friday - timedelta(days=1), "TrailRun", "Trail", 50, 45, event_id=1)]
    [found] = check_notes(run, [RUNS_APART], beside)
    assert "another run the day before or after" in found.message
    assert check_notes(run, [RUNS_APART], [Session(friday - timedelta(days=2), "Run", "x", 40)]
                       ) == []
    assert check_notes(run, [RUNS_APART], [run]) == []              # itself is no neighbour
    assert check_notes(run, [RUNS_APART], [Session(friday + timedelta(days=1), "Ride", "x", 40)]
                       ) == []
