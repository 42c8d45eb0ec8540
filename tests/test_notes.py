"""Athlete notes end to end through the store, the Coach the pages use, the model's tools and
the commands: kept per athlete, proposed on a card and kept only on Keep, "remember that …" made
a card before the model answers, on the athlete card the model reads, in every proposal's check,
deleted by Forget me and `coach forget`, and never sent to Intervals.icu."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from coach.agent.tools import TOOLS, call_tool
from coach.analysis import CARD_BUDGET, Concern, NoteKind
from coach.app import Coach, notes
from coach.cli import main as cli
from coach.errors import CoachError
from coach.messages import Role
from coach.scope import Scope, athlete_notes
from coach.settings import Settings, load_settings
from coach.store import NoteStatus, Store
from coach.testing.athletes import TODAY
from coach.testing.intervals_fake import FakeIntervals
from coach.testing.scripted_model import ScriptedModel, Turn, call, say
from tests.browser import account_env, real_account

KNEE = "Left knee sore since the marathon: no impact for now"
EASY_RUN = "- 10m Z1 Pace\n- 30m Z2 Pace"
EASY_RIDE = "- 10m 55%\n- 40m Z2\n- 10m 50%"


@pytest.fixture
def coach(tmp_path: Path) -> Iterator[Coach]:
    """The demo athlete, synced, on a fixed day."""
    with Coach(Settings(data_dir=tmp_path / "data"), today=TODAY) as c:
        c.sync()
        yield c


def with_model(coach: Coach, script) -> Coach:
    """Another Coach on the same data, answering with a scripted model."""
    return Coach(coach.settings, model=ScriptedModel(script), today=TODAY)


def propose(coach: Coach, day: date, sport: str, text: str) -> tuple[str, int | None]:
    result = call_tool(coach.scope(), "propose_workout", {
        "date": day.isoformat(), "sport": sport, "name": f"{sport} session", "description": text})
    return result.text, result.proposal_id


# --- the store and the door ------------------------------------------------------------------

def test_a_note_is_kept_edited_pinned_and_deleted_for_its_athlete_only(coach, tmp_path):
    made = notes.add(coach, NoteKind.INJURY, KNEE, since=date(2026, 11, 1))
    other = coach.store.add_note(athlete_id="i999", kind="goal", text="Someone else's goal")
    assert [n.id for n in notes.kept(coach)] == [made.id]
    with pytest.raises(CoachError, match=f"no note {other.id} for this athlete"):
        notes.delete(coach, other.id)
    goal = notes.add(coach, NoteKind.GOAL, "Sub 2:30 at the Olympic triathlon")
    notes.pin(coach, made.id)
    assert [n.id for n in notes.kept(coach)] == [made.id, goal.id]     # pinned first
    edited = notes.edit(coach, goal.id, kind=NoteKind.RACE, text="Olympic tri, A race",
                        since=None, pinned=False)
    assert (edited.kind, edited.text) == ("race", "Olympic tri, A race")
    notes.delete(coach, goal.id)
    assert coach.store.note(goal.id) is None                          # the row is gone
    assert [n.text for n in athlete_notes(coach.scope())] == [KNEE]
    with pytest.raises(CoachError, match="Not kept: A note needs some text"):
        notes.add(coach, NoteKind.GOAL, "   ")


def test_forget_me_deletes_the_notes_with_the_database(coach):
    notes.add(coach, NoteKind.INJURY, KNEE)
    path = Path(coach.settings.db_path)
    forgotten = coach.forget_everything()
    assert any("database" in d for d in forgotten.deleted) and not path.exists()
    fresh = Store(path)
    try:
        assert fresh.notes("demo", list(NoteStatus)) == []
    finally:
        fresh.close()


def test_coach_forget_deletes_the_notes(data_dir):
    with Coach(load_settings(), today=TODAY) as c:
        c.sync()
        notes.add(c, NoteKind.CONSTRAINT, "No training on Wednesdays")
    out = io.StringIO()
    assert cli.main(["forget", "--yes"], out=out) == 0
    assert "the database" in out.getvalue() and not (data_dir / "coach.db").exists()
    fresh = Store(data_dir / "coach.db")
    try:
        assert fresh.notes("demo", list(NoteStatus)) == []
    finally:
        fresh.close()


# --- what the model reads and proposes -------------------------------------------------------

def test_the_athlete_card_carries_the_notes_within_their_budget(coach):
    prompt = coach.system_prompt(coach.scope())
    assert "Notes the athlete keeps" not in prompt
    notes.add(coach, NoteKind.INJURY, KNEE)
    for i in range(12):
        notes.add(coach, NoteKind.PREFERENCE, f"Preference number {i}: " + "words " * 20)
    prompt = coach.system_prompt(coach.scope())
    block = prompt.split("Notes the athlete keeps (their words):\n")[1].split("\n\n")[0]
    assert len(block) <= CARD_BUDGET and "more notes not shown" in block
    assert "Preference number 11" in block and "Preference number 0:" not in block  # newest
    oldest = notes.kept(coach)[-2]                                  # after the knee note
    assert oldest.text.startswith("Preference number 0")
    notes.pin(coach, oldest.id)
    assert "- pinned preference: Preference number 0" in coach.system_prompt(coach.scope())


def test_the_model_proposes_a_note_that_is_kept_only_when_the_athlete_keeps_it(coach):
    scope = Scope(coach.store, "demo", TODAY, conversation_id=coach.new_conversation())
    result = call_tool(scope, "propose_note", {"text": KNEE})
    assert result.ok and result.note_id is not None
    assert "NOT kept until the athlete confirms" in result.text and "(injury)" in result.text
    assert athlete_notes(coach.scope()) == []                         # nothing kept yet
    assert "Notes the athlete keeps" not in coach.system_prompt(coach.scope())
    [waiting] = notes.waiting(coach)
    kept = notes.keep(coach, waiting.id, text=KNEE + " or jumping")
    assert kept.status == NoteStatus.KEPT and kept.text.endswith("or jumping")
    assert KNEE in coach.system_prompt(coach.scope())
    second = call_tool(scope, "propose_note", {"text": "I prefer to ride indoors on weekdays"})
    assert notes.dismiss(coach, second.note_id or 0).status == NoteStatus.DISMISSED
    assert len(athlete_notes(coach.scope())) == 1
    assert not call_tool(scope, "propose_note", {"text": "x" * 1001}).ok


def test_remember_that_becomes_a_card_before_the_model_answers(coach):
    seen = []

    def script(messages, tools):
        seen.append(messages)
        return say("Noted: confirm the note on its card and I will keep Wednesdays free.")

    conversation = coach.new_conversation()
    events = []
    with with_model(coach, script) as talking:
        talking.ask(conversation, "Remember that I can't train on Wednesdays", events.append)
    [waiting] = notes.waiting(coach)
    assert waiting.text == "I can't train on Wednesdays" and waiting.kind == "constraint"
    tool = [m for m in coach.messages(conversation) if m.role == Role.TOOL]
    assert [(m.tool_name, m.note_id) for m in tool] == [("propose_note", waiting.id)]
    assert "waits on its card" in json.dumps(seen[0])                # the model is told
    finished = [e for e in events if getattr(e, "note_id", None)]
    assert finished and finished[0].note_id == waiting.id


def test_an_ordinary_message_makes_no_note(coach):
    with with_model(coach, lambda m, t: say("Hello!")) as talking:
        talking.ask(coach.new_conversation(), "I remember that ride, it was hard",
                    lambda e: None)
    assert notes.waiting(coach) == [] and notes.kept(coach) == []


# --- the proposal check ----------------------------------------------------------------------

def test_a_knee_note_flags_a_run_and_lets_a_ride_through(coach):
    tomorrow = TODAY + timedelta(days=1)
    text, pid = propose(coach, tomorrow, "Run", EASY_RUN)
    assert "athlete's note" not in text
    notes.add(coach, NoteKind.INJURY, KNEE)
    text, pid = propose(coach, tomorrow + timedelta(days=1), "Run", EASY_RUN)
    assert "Your injury note rules out runs" in text and "respect the athlete's note" in text
    proposal = coach.proposal(pid or 0)
    assert proposal is not None
    found = coach.findings(proposal)
    assert [f.concern for f in found if f.concern == Concern.NOTE] == [Concern.NOTE]
    assert "Your note: “Left knee sore" in found[-1].message
    assert found[-1].accept == "a run your notes rule out"
    text, pid = propose(coach, tomorrow + timedelta(days=2), "Ride", EASY_RIDE)
    ride = coach.proposal(pid or 0)
    assert ride is not None and not [f for f in coach.findings(ride)
                                     if f.concern == Concern.NOTE]


def test_a_note_about_wednesdays_flags_any_session_that_day(coach):
    notes.add(coach, NoteKind.CONSTRAINT, "I can't train on Wednesdays")
    wednesday = TODAY + timedelta(days=(2 - TODAY.weekday()) % 7 or 7)
    text, _ = propose(coach, wednesday, "Ride", EASY_RIDE)
    assert "Your notes keep Wednesdays free of training" in text


# --- never sent anywhere ---------------------------------------------------------------------

@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeIntervals]:
    fake = real_account()
    with fake.serve() as served:
        for key, value in account_env(tmp_path, served.url, "http://127.0.0.1:9").items():
            monkeypatch.setenv(key, value)
        yield fake


def test_notes_are_never_sent_to_intervals(account):
    with Coach(load_settings()) as c:
        c.sync()
        notes.add(c, NoteKind.INJURY, KNEE)
        day = c.today() + timedelta(days=2)
        _, pid = propose(c, day, "Run", EASY_RUN)
        c.confirm(pid or 0, "a run your notes rule out")
        c.sync()
    assert account.writes, "the confirmed run was written"
    sent = json.dumps([r.body for r in account.requests]) + \
        json.dumps([[r.path, r.query] for r in account.requests])
    assert "knee" not in sent.lower() and "notes rule out" not in sent


# --- the terminal ----------------------------------------------------------------------------

def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def test_coach_notes_in_the_terminal(data_dir):
    with Coach(load_settings(), today=TODAY) as c:
        c.sync()
        conversation = c.new_conversation()
        proposed = call_tool(Scope(c.store, "demo", TODAY, conversation), "propose_note",
                             {"text": "My A race is the Olympic triathlon in January"})
    code, out = run("notes")
    assert code == 0 and "No notes yet" in out and "waiting for you" in out
    assert f"{proposed.note_id}  race: My A race" in out
    code, out = run("notes", "add", "Left", "knee", "sore:", "no", "running", "--pin")
    assert code == 0 and "pinned injury: Left knee sore: no running" in out
    code, out = run("notes", "keep", str(proposed.note_id))
    assert code == 0 and "Kept note" in out
    code, out = run("notes", "list")
    lines = [line for line in out.splitlines() if line.strip()]
    assert "pinned injury" in lines[0] and "race: My A race" in lines[1]
    note_id = lines[0].split()[0]
    assert run("notes", "unpin", note_id)[1].startswith("Unpinned")
    code, out = run("notes", "delete", note_id)
    assert code == 0 and "Deleted note" in out
    code, out = run("notes", "delete", "999")
    assert code == 1 and "There is no note 999" in out
    assert run("notes", "delete")[0] == 1


def test_propose_note_is_in_the_catalog_with_one_short_argument():
    tool = TOOLS["propose_note"]
    assert len(tool.description) <= 60 and list(tool.args.model_fields) == ["text"]


def test_a_chat_answer_says_how_to_keep_a_note(data_dir):
    from coach.cli import commands

    def script(messages, tools):
        return call("propose_note", text=KNEE) if messages[-1]["role"] == "user" else \
            Turn(text="Noted.")

    with Coach(load_settings(), model=ScriptedModel(script), today=TODAY) as c:
        c.sync()
        out = io.StringIO()
        commands.answer_in_terminal(c, c.new_conversation(), "My knee hurts", out)
        [waiting] = notes.waiting(c)
    assert f"keep it with `coach notes keep {waiting.id}`" in out.getvalue()


def test_a_plan_keeps_the_days_and_sports_the_notes_rule_out(coach):
    notes.add(coach, NoteKind.CONSTRAINT, "I can't train on Wednesdays")
    notes.add(coach, NoteKind.INJURY, KNEE)
    result = call_tool(coach.scope(), "plan_weeks", {"weeks": 3})
    assert result.ok, result.text
    made = [p for p in coach.proposals() if p.plan_id is not None]
    assert made and all(date.fromisoformat(p.day).weekday() != 2 for p in made)
    assert {p.sport for p in made} <= {"Ride", "Swim"}
    assert "Wed off" in result.text                   # the model reads why
