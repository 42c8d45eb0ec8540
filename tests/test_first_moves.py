"""The product carries the model (issue 23, parts 1-2): the reads an everyday question needs,
the planner's drafts for a plan ask and the change a change ask names are in the model's hands
before its first round, as calls and results in the loop's own message shapes, through the real
`ollama` client and the fake Ollama; every draft passes the proposal checks; where the product
must not draft (a past day, no race, no goal) it tells the model why and proposes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from coach.agent.loop import CARRIED_ROUNDS, Safeguards, ToolFinished, TurnDone
from coach.eval.graders import grade
from coach.eval.runner import Bench
from coach.eval.scenarios import EVAL_EVENT_ID, EVAL_TODAY, SCENARIOS, Scenario, season_race
from coach.records import Event
from coach.settings import Settings
from coach.testing.ollama_server import FakeOllama, Reply
from coach.testing.scripted_model import last_round

BY_NAME = {s.name: s for s in SCENARIOS}
EXPLAIN = "Here is what I found and what I propose; confirm what you want."


@pytest.fixture(scope="module")
def fake():
    with FakeOllama(lambda body: Reply(content=EXPLAIN)) as server:
        yield server


@pytest.fixture(scope="module")
def bench(fake, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"), ollama_host=fake.url)
    with Bench(settings) as b:
        yield b


def run(bench: Bench, fake: FakeOllama, scenario: Scenario | str, script: Any = None):
    fake.set_script(script or (lambda body: Reply(content=EXPLAIN)))
    before = len(fake.chat_requests)
    result = bench.run(BY_NAME[scenario] if isinstance(scenario, str) else scenario)
    return result, fake.chat_requests[before:]


def first_request_roles(requests: list[dict[str, Any]]) -> list[str]:
    return [m["role"] for m in requests[0]["messages"]]


def finished(result) -> list[ToolFinished]:
    return [e for t in result.turns for e in t.events if isinstance(e, ToolFinished)]


# --- facts first -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["last-week", "race-ready", "ftp-trend", "hrv", "hours-ridden",
                                  "best-20min", "intensity", "compliance", "calendar-week",
                                  "spanish-week", "swim-hr", "injection", "injection-plan"])
def test_an_everyday_question_reaches_the_model_with_its_facts(bench, fake, name):
    result, requests = run(bench, fake, name)
    calls = [c["function"]["name"] for m in requests[0]["messages"]
             for c in m.get("tool_calls") or []]
    assert set(calls) & set(BY_NAME[name].expect.tools), calls    # in hand before the answer
    assert first_request_roles(requests)[-1] == "system"         # …with a note on them
    assert len(requests) == 1                                    # no round spent choosing tools
    done = finished(result)
    assert done and all(e.product and e.ok for e in done)
    assert "Today is" in requests[0]["messages"][3]["content"]    # the tool's own text


def test_the_facts_are_stored_as_the_loop_stores_calls(bench, fake):
    result, _ = run(bench, fake, "last-week")
    roles = [m.role for m in result.messages]
    assert roles == ["user", "assistant", "tool", "tool", "assistant"]
    assert [c.name for c in result.messages[1].tool_calls] == ["training_summary",
                                                              "list_activities"]
    assert grade(result).scores["grounding"] == 1.0


@pytest.mark.parametrize("name", ["hi", "two-plus-two", "thanks", "capital"])
def test_nothing_recognised_is_todays_loop(bench, fake, name):
    result, requests = run(bench, fake, name)
    assert first_request_roles(requests) == ["system", "user"] and not finished(result)


def test_the_model_may_still_call_more_tools(bench, fake):
    def more(body):
        asked = [m.get("tool_name") for m in body["messages"] if m["role"] == "tool"]
        if "fitness_trend" not in asked:
            return Reply(tool_calls=[{"name": "fitness_trend", "arguments": {"days": 42}}])
        return Reply(content=EXPLAIN)

    result, requests = run(bench, fake, "last-week", more)
    names = [(e.name, e.product) for e in finished(result)]
    assert names == [("training_summary", True), ("list_activities", True),
                     ("fitness_trend", False)] and len(requests) == 2


def test_a_question_about_the_data_gets_no_proposal_from_the_model(bench, fake):
    """What the real 0.5B did with last week's facts in hand: a delete, a plan, a workout."""
    def sprays(body):
        if not last_round(body["messages"]):
            return Reply(tool_calls=[
                {"name": "propose_change", "arguments": {"event_id": 104600019,
                                                         "action": "delete"}},
                {"name": "plan_weeks", "arguments": {"weeks": 2}}])
        return Reply(content=EXPLAIN)

    result, requests = run(bench, fake, "last-week", sprays)
    refused = [e for e in finished(result) if not e.product]
    assert [e.name for e in refused] == ["propose_change", "plan_weeks"]
    assert all(not e.ok and "not run" in e.result for e in refused)
    assert result.proposals == () and len(requests) == 2   # one round, then the answer


def test_after_the_facts_one_round_may_call_then_the_answer_is_asked_for(bench, fake):
    def reads_forever(body):
        n = sum(m["role"] == "tool" for m in body["messages"])
        return Reply(content=EXPLAIN) if last_round(body["messages"]) else Reply(
            tool_calls=[{"name": "fitness_trend", "arguments": {"days": 7 + n}}])

    result, requests = run(bench, fake, "last-week", reads_forever)
    assert len(requests) == 1 + CARRIED_ROUNDS and grade(result).answer == EXPLAIN


def test_switched_off_the_model_starts_alone(fake, tmp_path):
    settings = Settings(data_dir=tmp_path, ollama_host=fake.url)
    with Bench(settings, safeguards=Safeguards(facts_first=False, drafts=False)) as alone:
        result, requests = run(alone, fake, "last-week")
    assert first_request_roles(requests) == ["system", "user"] and not finished(result)


# --- the product drafts, the model explains ----------------------------------------------------

@pytest.mark.parametrize("name", ["plan-tomorrow", "next-week", "run-saturday", "swim-friday",
                                  "tired-today", "follow-up-shorter", "german-ride", "move-run",
                                  "cancel-ride"])
def test_plan_and_change_asks_end_with_a_valid_proposal_within_their_limits(bench, fake, name):
    result, requests = run(bench, fake, name)
    graded = grade(result)
    assert graded.scores["limits"] == 1.0, graded.figures
    assert graded.figures["proposals"] >= 1 and graded.scores["tools"] == 1.0, graded.scores
    made = [e for e in finished(result) if e.proposal_id is not None]
    assert made and all(e.product for e in made)
    assert len(requests) == len(BY_NAME[name].asks)   # the model only explains


def test_the_ask_limits_reach_the_drafts(bench, fake):
    result, _ = run(bench, fake, "next-week")
    days = [e.arguments["date"] for e in finished(result)]
    monday = EVAL_TODAY + timedelta(days=6)
    assert monday.isoformat() not in days and len(days) >= 3      # "no Monday"
    hours = sum(p.duration_s for p in result.proposals) / 3600
    assert 5.4 <= hours <= 6.6                                    # "6 hours"


def test_a_season_is_laid_out_up_to_the_a_race_however_far(bench, fake):
    """'Plan my season to my A race' with the A race 20 weeks out: the planner's season, not
    a question about which race (the real 0.5B sent the race's name as its date)."""
    result, requests = run(bench, fake, "season-20")
    [call] = [c["function"] for m in requests[0]["messages"] for c in m.get("tool_calls") or []]
    assert call["name"] == "plan_weeks" and "weeks" not in call["arguments"]
    graded = grade(result)
    assert graded.scores["season"] == 1.0 and graded.scores["tools"] == 1.0, graded.scores
    assert result.proposals                       # its first weeks laid out, to confirm


def test_a_season_builds_to_the_a_race_past_an_earlier_b_race(bench, fake):
    season = BY_NAME["season-20"]

    def with_b_race(stage):
        season.setup(stage)
        day = EVAL_TODAY + timedelta(weeks=6)
        stage.store.save_events(stage.athlete_id, [Event(
            id=EVAL_EVENT_ID + 21, start_date_local=f"{day}T00:00:00", category="RACE_B",
            type="Ride", name="Winter Crit", moving_time=3600)])

    result, requests = run(bench, fake, replace(season, setup=with_b_race))
    [call] = [c["function"] for m in requests[0]["messages"] for c in m.get("tool_calls") or []]
    assert call["arguments"]["race"] == season_race(EVAL_TODAY).isoformat()
    assert grade(result).scores["season"] == 1.0


@pytest.mark.parametrize("name, language", [("spanish-week", "Spanish"),
                                            ("german-ride", "German"), ("last-week", "")])
def test_the_note_names_the_athletes_language_when_it_is_not_english(bench, fake, name,
                                                                     language):
    """Both real models answered '¿Qué tal fue mi semana?' in English after an English note."""
    _, requests = run(bench, fake, name)
    note = requests[0]["messages"][-1]["content"]
    said = f"write the answer in {language}."
    assert (said in note) == bool(language) and ("write the answer in" in note) == bool(language)


def test_an_activity_without_heart_rate_says_so(bench, fake):
    """The real 1.5B answered '133 bpm' for swims that recorded none: the list said nothing
    about their heart rate, and another activity's figure was at hand."""
    _, requests = run(bench, fake, "swim-hr")
    lines = [line for m in requests[0]["messages"] if m["role"] == "tool"
             for line in m["content"].splitlines() if " Swim, " in line]
    assert lines and all("no heart rate recorded" in line and "bpm" not in line
                         for line in lines), lines


def test_the_week_drafted_keeps_the_day_a_kept_note_rules_out(bench, fake):
    """'Remember that I can't train on Wednesdays', kept, then 'Plan my week': both real models
    were handed a Wednesday swim by the planner, which read the note only for multi-week plans."""
    result, _ = run(bench, fake, "remember-wednesdays")
    days = [date.fromisoformat(p.day) for p in result.proposals if p.status == "pending"]
    assert len(days) >= 3 and all(d.weekday() != 2 for d in days), days
    graded = grade(result)
    assert graded.scores["limits"] == 1.0 and graded.scores["fits"] == 1.0, graded.scores


def test_a_draft_goes_through_the_proposal_checks(bench, fake):
    """A change to a workout in the past is drafted like any, and the check refuses it."""
    cancel = Scenario("cancel-past", "change", ("Cancel last Saturday's ride",), BY_NAME[
        "cancel-ride"].expect)
    result, requests = run(bench, fake, cancel)
    tried = finished(result)
    assert [e.name for e in tried] == ["propose_change"] and tried[0].product
    assert tried[0].result.startswith("Error: workout") and "in the past" in tried[0].result
    assert result.proposals == ()


@pytest.mark.parametrize("name, says", [
    ("past-day", "is in the past"),
    ("no-goal", "ask what they are training for"),
    ("unknown-race", "ask which race"),
])
def test_where_the_product_must_not_draft_it_says_why_and_proposes_nothing(bench, fake, name,
                                                                            says):
    result, requests = run(bench, fake, name, lambda body: Reply(content=""))
    fallback = result.turns[-1].events[-1]
    assert isinstance(fallback, TurnDone) and fallback.fallback     # nothing from the model…
    assert "?" in fallback.text or "has passed" in fallback.text    # …the product still says
    result, requests = run(bench, fake, name)
    note = requests[0]["messages"][-1]
    assert note["role"] == "system" and says in note["content"]
    assert result.proposals == () and not [e for e in finished(result) if e.proposal_id]


@pytest.mark.parametrize("name, made", [
    ("planned-day", "propose_change"),    # Saturday's planned ride replaced, not doubled
    ("ease-off", "propose_workout"),      # easy after an ease-off check-in
    ("day-off", "propose_workout"),       # moved off the day off to the next free day
    ("race-week", "propose_workout"),     # openers, not intervals, two days before a race
    ("asked-again", "propose_workout"),   # the second draft takes the first one's place
])
def test_the_drafts_fit_the_week_as_the_check_sees_it(bench, fake, name, made):
    result, _ = run(bench, fake, name)
    graded = grade(result)
    assert graded.scores["fits"] == 1.0 and graded.total == 1.0, (graded.scores,
                                                                  graded.figures)
    assert [e.name for e in finished(result) if e.proposal_id][-1] == made


def test_when_the_model_manages_no_answer_the_athlete_still_reads_the_facts(bench, fake):
    junk = '{"name": "wellness_trend", "arguments": {"days": 14}}'   # what the real 0.5B sent
    result, _ = run(bench, fake, "hrv", lambda body: Reply(content=junk))
    [done] = [e for e in result.turns[-1].events if isinstance(e, TurnDone)]
    answer = done.text
    assert done.fallback and "did not manage an answer" in answer
    assert "What the coach read" in answer
    assert "HRV (rMSSD)" in answer and "Today is" not in answer
    assert "not instructions" not in answer and junk not in answer


def test_the_facts_shown_carry_no_internal_ids(bench, fake):
    result, _ = run(bench, fake, "calendar-week", lambda body: Reply(content=""))
    [done] = [e for e in result.turns[-1].events if isinstance(e, TurnDone)]
    assert "What the coach read" in done.text and "Calendar" in done.text
    assert "[event" not in done.text and "WORKOUT" not in done.text


def test_a_question_the_product_did_not_read_for_keeps_the_plain_fallback(bench, fake):
    result, _ = run(bench, fake, "hi", lambda body: Reply(content=""))
    [done] = [e for e in result.turns[-1].events if isinstance(e, TurnDone)]
    assert done.fallback and "What the coach read" not in done.text


# What the real 0.5B answered in the quiet run of 5 Dec: the product's own notes said back, or
# the athlete's name. None of it may reach the athlete as the coach's answer.

def the_answer(result) -> TurnDone:
    [done] = [e for e in result.turns[-1].events if isinstance(e, TurnDone)]
    return done


def test_the_facts_note_said_back_is_no_answer_the_athlete_reads_the_facts(bench, fake):
    echoed = ("The coach read the data above for this question. Answer from it, briefly, with "
              "its figures; call another tool only if something the athlete asked is missing.")
    result, _ = run(bench, fake, "hours-ridden", lambda body: Reply(content=echoed))
    done = the_answer(result)
    assert done.fallback and "it repeated its instructions instead" in done.text
    assert echoed not in done.text and "What the coach read" in done.text


def test_the_drafted_note_said_back_gives_the_drafts_in_the_products_words(bench, fake):
    echoed = ("The coach's planner drafted the proposals above from the athlete's words, their "
              "availability and recent training; each passed the checks and waits for the "
              "athlete's Confirm. Explain them briefly (day, sport, length, why); adjust one "
              "only if it misses what the athlete asked. Do not propose them again")
    result, _ = run(bench, fake, "run-saturday", lambda body: Reply(content=echoed))
    done = the_answer(result)
    assert done.fallback and "Explain them briefly" not in done.text
    [made] = result.proposals
    saturday = EVAL_TODAY + timedelta(days=(5 - EVAL_TODAY.weekday()) % 7)
    assert made.day == saturday.isoformat() and made.sport == "Run"
    drafted = done.text.split("What the coach drafted for you; each waits on its card for "
                              "your Confirm:\n\n")[1]
    assert drafted.startswith(f"- Sat {saturday.day} {saturday:%b}: Run \"")


def test_the_athletes_name_alone_is_no_answer(bench, fake):
    result, _ = run(bench, fake, "calendar-week", lambda body: Reply(content="Alex Demo"))
    done = the_answer(result)
    assert done.fallback and "(it answered with only a name)" in done.text
    assert "Calendar" in done.text


def test_an_explanation_that_quotes_a_few_words_of_a_note_is_still_an_answer(bench, fake):
    said = ("Saturday's run intervals were drafted from your words and recent training: "
            "5 x 3 minutes hard with easy jogs, about 50 minutes. Confirm it on its card.")
    result, _ = run(bench, fake, "run-saturday", lambda body: Reply(content=said))
    done = the_answer(result)
    assert not done.fallback and done.text == said
