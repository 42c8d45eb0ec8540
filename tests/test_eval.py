"""`coach eval`: the graders on recorded transcripts replayed through the fake Ollama and the same
Coach as the page (a good coach scores high, each known failure scores low, and where the product
recovers, the recovery shows), every scenario well formed and runnable, and the command end to
end: table, JSON, Markdown, --compare."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest

from coach.agent.loop import Compacted, Safeguards
from coach.agent.tools import TOOLS
from coach.agent.window import CHARS_PER_TOKEN, HISTORY_AT
from coach.cli import main as cli
from coach.eval.graders import SCORES, Graded, claims_scheduled, grade, language_score
from coach.eval.runner import Bench
from coach.eval.scenarios import EVAL_TODAY, INJECTION, SCENARIOS, WEEKDAYS, days_of
from coach.settings import Settings
from coach.testing.coach_script import standard, today_from
from coach.testing.ollama_server import FakeOllama, Reply, closed_port_url, say_hello
from coach.testing.scripted_model import last_round

BY_NAME = {s.name: s for s in SCENARIOS}
TOMORROW = EVAL_TODAY + timedelta(days=1)
EASY_RIDE = "Warmup\n- 10m 55%\n\nMain set\n- 40m Z2\n\nCooldown\n- 10m 50%"
PLAIN = "Your last week: 9.4 h in 7 sessions, lighter than the week before; keep the long ride."
E2E = ["last-week", "plan-tomorrow", "move-run", "no-goal", "hi"]


def call(tool: str, /, **arguments: Any) -> Reply:
    return Reply(tool_calls=[{"name": tool, "arguments": arguments}])


def good_coach(body: dict[str, Any]) -> Reply:
    """A coach that does each of the E2E scenarios right (and next-week, and in Spanish)."""
    if (answer := standard(body)) is not None:  # "last week": training_summary, then its lines
        return answer
    messages = [m for m in body["messages"] if m["role"] != "system"]  # not the product's notes
    asked = [m for m in messages if m["role"] == "user"][-1]["content"]
    if messages[-1]["role"] == "user":
        return _first_move(asked, today_from(body))
    return _after_tool(messages[-1], today_from(body))


def _first_move(asked: str, today: date) -> Reply:
    if re.search(r"plan tomorrow", asked, re.I):
        return call("fitness_trend", days=42)
    if re.search(r"move thursday", asked, re.I):
        return call("planned_workouts", start=str(today), end=str(today + timedelta(days=7)))
    if re.search(r"training plan", asked, re.I):
        return Reply(content="Happy to plan. What are you training for, and how many hours a "
                             "week can you train?")
    if "semana" in asked:
        return call("training_summary", weeks=2)
    return Reply(content="Hi! Ask me about your training, or ask me to plan a workout.")


def _after_tool(last: dict[str, Any], today: date) -> Reply:
    tool, result = last.get("tool_name"), last["content"]
    if tool == "fitness_trend":
        return call("propose_workout", date=str(today + timedelta(days=1)), sport="Ride",
                    name="Endurance ride", description=EASY_RIDE)
    if tool == "planned_workouts":
        event = re.search(r"Thu WORKOUT Run .*\[event (\d+)\]", result)
        assert event, result
        friday = days_of("friday", today)[0]
        return call("propose_change", event_id=int(event.group(1)), action="move",
                    new_date=str(friday))
    if tool == "training_summary":
        return Reply(content="Tu semana pasada fue más ligera que la anterior; mantén la "
                             "salida larga.")
    return Reply(content="I proposed it for you. It is not on your calendar until you confirm "
                         "it.")


@pytest.fixture(scope="module")
def fake():
    with FakeOllama() as server:
        yield server


ON_ITS_OWN = Safeguards(facts_first=False, drafts=False)


@pytest.fixture(scope="module")
def bench(fake, tmp_path_factory):
    """The model on its own (no facts first, no drafts): the graders on what it does."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"), ollama_host=fake.url)
    with Bench(settings, safeguards=ON_ITS_OWN) as b:
        yield b


@pytest.fixture(scope="module")
def carried(fake, tmp_path_factory):
    """As the athlete meets it: the product's facts and drafts before the model's round."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"), ollama_host=fake.url)
    with Bench(settings) as b:
        yield b


def replay(bench: Bench, fake: FakeOllama, name: str, script: Any) -> Graded:
    fake.set_script(script)
    return grade(bench.run(BY_NAME[name]))


def stubborn(reply: Reply):
    return lambda body: reply


# --- a good coach scores high ----------------------------------------------------------------

@pytest.mark.parametrize("name", [*E2E, "spanish-week"])
def test_a_good_coach_scores_high(bench, fake, name):
    graded = replay(bench, fake, name, good_coach)
    assert graded.total == 1.0, (graded.scores, graded.answer)
    assert all(v in (None, 1.0) for v in graded.scores.values())


def test_a_good_plan_meets_every_limit(bench, fake):
    def next_week(body):
        if body["messages"][-1]["role"] == "tool":
            return Reply(content="Four sessions for next week, Monday off; confirm the ones "
                                 "you want.")
        monday = days_of("next week", EVAL_TODAY)[0]
        week = [(1, "Ride", "- 10m 55%\n- 60m Z2\n- 10m 50%"),
                (3, "Run", "- 10m Z1 Pace\n- 40m Z2 Pace"),
                (5, "Ride", "- 15m 55%\n- 90m Z2\n- 15m 50%"),
                (6, "Run", "- 50m Z2 Pace")]
        return Reply(tool_calls=[{"name": "propose_workout", "arguments": {
            "date": str(monday + timedelta(days=d)), "sport": sport, "name": f"{sport} {d}",
            "description": text}} for d, sport, text in week])

    graded = replay(bench, fake, "next-week", next_week)
    assert graded.scores["limits"] == 1.0 and graded.figures["proposals"] == 4
    assert graded.total == 1.0


# --- each known failure scores low; where the product recovers, that shows -------------------

CALL = json.dumps({"name": "training_summary", "arguments": {"weeks": 2}})


@pytest.mark.parametrize("written", [
    CALL,                                          # bare JSON
    f"<tool_call>\n{CALL}\n</tool_call>",          # tags
    f"```json\n{CALL}\n```",                       # a fenced block
], ids=["bare-json", "tool-call-tags", "fenced"])
def test_a_tool_call_written_as_text_is_run_but_scores_low_on_format(bench, fake, written):
    graded = replay(bench, fake, "last-week", [Reply(content=written), Reply(content=PLAIN)])
    assert graded.scores["format"] == 0.5 and graded.figures["text_calls"] == 1
    assert graded.total == pytest.approx(0.875)  # format .5 among four scores of manner
    # the recovery: the call was run, the athlete read a clean answer
    assert graded.figures["tools_called"] == ["training_summary"]
    assert graded.scores["tools"] == 1.0 and graded.answer == PLAIN


def test_thinking_in_the_content_scores_low_but_never_reaches_the_athlete(bench, fake):
    graded = replay(bench, fake, "hi", stubborn(Reply(
        content="<think>The athlete greets me; no tool needed.</think>Hi! How can I help?")))
    assert graded.scores["format"] == 0.0 and graded.total < 0.7
    assert graded.answer == "Hi! How can I help?" and graded.scores["answer"] == 1.0


def test_invented_figures_score_low_and_are_sent_back_once(bench, fake):
    def inventor(body):
        if body["messages"][-1]["role"] == "user":
            return call("training_summary", weeks=2)
        return Reply(content="You rode 312 km last week and your CTL is 99.")

    graded = replay(bench, fake, "last-week", inventor)
    assert graded.scores["grounding"] == 0.0 and graded.total < 0.85
    assert graded.figures["revised"] == 1 and "312 km" in graded.figures["figures_missing"]


def test_wrong_argument_types_score_low_and_the_model_may_correct_them(bench, fake):
    script = [call("training_summary", weeks="two"), call("training_summary", weeks=2),
              Reply(content=PLAIN)]
    graded = replay(bench, fake, "last-week", script)
    assert graded.scores["arguments"] == 0.0 and graded.figures["invalid_arguments"] == 1
    assert graded.scores["tools"] == 1.0 and graded.total < 0.85


def test_the_same_call_repeated_scores_low_and_an_answer_is_asked_for(bench, fake):
    def repeater(body):
        return Reply(content=PLAIN) if last_round(body["messages"]) else \
            call("training_summary", weeks=2)

    graded = replay(bench, fake, "last-week", repeater)
    assert graded.figures["repeated_calls"] == 2
    assert graded.scores["repeats"] == pytest.approx(1 / 3)
    assert graded.answer == PLAIN and graded.total < 0.9


def test_an_empty_answer_scores_zero(bench, fake):
    graded = replay(bench, fake, "last-week", stubborn(Reply(content="")))
    assert graded.figures["fallback"] and graded.scores["answer"] == 0.0
    assert graded.scores["format"] == 0.0 and graded.total == 0.0


def test_a_tool_call_for_hi_scores_zero(bench, fake):
    graded = replay(bench, fake, "hi", [call("athlete_profile"), Reply(content="Hi!")])
    assert graded.scores["tools"] == 0.0 and graded.total == 0.0


def test_a_proposal_before_asking_back_scores_zero(bench, fake):
    script = [call("propose_workout", date=str(TOMORROW), sport="Ride", name="Easy",
                   description=EASY_RIDE), Reply(content="Here is a ride for tomorrow.")]
    graded = replay(bench, fake, "no-goal", script)
    assert graded.scores["tools"] == 0.0 and graded.scores["question"] == 0.0


def test_an_invalid_workout_text_counts_against_the_first_try_not_after_a_fix(bench, fake):
    bad = call("propose_workout", date=str(TOMORROW), sport="Ride", name="Easy",
               description="- 10 minutes easy")
    good = call("propose_workout", date=str(TOMORROW), sport="Ride", name="Easy",
                description=EASY_RIDE)
    fixed = replay(bench, fake, "plan-tomorrow", [bad, good, Reply(content="Proposed.")])
    assert fixed.scores["workouts_first"] == 0.0 and fixed.scores["workouts_fixed"] == 1.0
    never = replay(bench, fake, "plan-tomorrow", [bad, bad, bad, Reply(content="Sorry.")])
    assert never.scores["workouts_fixed"] == 0.0 and never.figures["invalid_workouts"] == 3
    assert never.scores["limits"] == 0.0 and never.total == 0.0


def test_saying_a_proposal_is_scheduled_scores_low(bench, fake):
    script = [call("propose_workout", date=str(TOMORROW), sport="Ride", name="Easy",
                   description=EASY_RIDE),
              Reply(content="Done: I've added the endurance ride to your calendar.")]
    graded = replay(bench, fake, "plan-tomorrow", script)
    assert graded.scores["not_scheduled"] == 0.0 and graded.scores["limits"] == 1.0


def test_a_plan_in_the_wrong_week_scores_low_on_limits(bench, fake):
    from coach.testing.coach_script import plan_week  # this week's first free days

    graded = replay(bench, fake, "next-week", [plan_week({"messages": [{
        "role": "system", "content": f"Today is Tuesday {EVAL_TODAY}."}]}, ""),
        Reply(content="Three sessions proposed.")])
    assert graded.figures["proposals"] == 3 and graded.scores["limits"] < 0.5
    assert graded.total < 0.5


def test_an_answer_in_english_to_a_spanish_question_scores_zero(bench, fake):
    graded = replay(bench, fake, "spanish-week", [call("training_summary", weeks=2),
                                                  Reply(content=PLAIN)])
    assert graded.scores["language"] == 0.0 and graded.total == 0.0


def test_safeguards_can_be_switched_off_to_measure_what_they_bring(fake, tmp_path):
    def inventor(body):
        if body["messages"][-1]["role"] == "user":
            return call("training_summary", weeks=2)
        return Reply(content="You rode 312 km last week.")

    fake.set_script(inventor)
    settings = Settings(data_dir=tmp_path, ollama_host=fake.url)
    with Bench(settings, safeguards=Safeguards(recheck_figures=False, facts_first=False,
                                               drafts=False)) as bare:
        graded = grade(bare.run(BY_NAME["last-week"]))
    assert graded.figures["revised"] == 0 and graded.figures["requests"] == 2


# --- honest graders: each over-credit of issue 23, from the answer quoted there ---------------

def says(text: str):
    return lambda body: Reply(content=text)


@pytest.mark.parametrize("name, echo, answer", [
    ("cancel-ride", "To cancel Saturday's ride, I'm travelling.",
     "I drafted the cancellation of Saturday's long ride; confirm it on its card."),
    ("last-week", "Use the tools for every number you state; never invent training data.",
     "A steady week: 9.4 h in 7 sessions, with the long ride on Saturday."),
])
def test_an_echoed_question_or_prompt_phrase_is_not_an_answer(carried, fake, name, echo,
                                                               answer):
    echoed = replay(carried, fake, name, says(echo))
    assert echoed.scores["answer"] == 0.0 and echoed.total == 0.0
    real = replay(carried, fake, name, says(answer))
    assert real.scores["answer"] == 1.0 and real.total == 1.0, real.scores


# What the real 0.5B answered on 5 Dec, scored 1.00 then: the product's note to the model, said
# back. The agent now sets such a reply aside; graded as if it had reached the athlete (the
# answer swapped into the run's last message), it must score nothing.
DRAFTED_ECHO = ("The coach's planner drafted the proposals above from the athlete's words, their "
                "availability and recent training; each passed the checks and waits for the "
                "athlete's Confirm. Explain them briefly (day, sport, length, why); adjust one "
                "only if it misses what the athlete asked. Do not propose them again")
EXPLAINED = ("Saturday: run intervals, 5 x 3 minutes hard with easy jogs between, about 50 "
             "minutes, to sharpen your speed. It waits on its card for your Confirm.")


def as_if_answered(run: Any, text: str) -> Any:
    from dataclasses import replace

    from coach.messages import AnswerMeta

    last = run.messages[-1]
    return replace(run, messages=(*run.messages[:-1], replace(last, content=text,
                                                              meta=AnswerMeta())))


def test_the_products_note_said_back_scores_no_answer(carried, fake):
    fake.set_script(says(EXPLAINED))
    run = carried.run(BY_NAME["run-saturday"])
    assert any("Explain them briefly" in n for n in run.notes)   # the notes are kept
    assert grade(run).scores["answer"] == 1.0
    echoed = grade(as_if_answered(run, DRAFTED_ECHO))
    assert echoed.answer == DRAFTED_ECHO and not echoed.figures["fallback"]
    assert echoed.scores["answer"] == 0.0 and echoed.total == 0.0


COPIED = ("On Tuesday you rode 43.2 km, load 80, 79%, 147 bpm. On Thursday you rode 43.2 km, "
          "load 80, 79%, 147 bpm. On Saturday you rode 43.2 km, load 80, 79%, 147 bpm.")
PLACED = ("On Tuesday you rode 43.2 km, load 80, 79%, 147 bpm. On Thursday you rode 39.2 km, "
          "load 56, 68%, 141 bpm. On Saturday you rode 82.9 km, load 132, 66%, 133 bpm.")


def test_figures_copied_onto_the_wrong_days_are_not_grounded(carried, fake):
    copied = replay(carried, fake, "last-week", says(COPIED))
    assert copied.scores["grounding"] == pytest.approx(4 / 12), copied.figures
    assert len(copied.figures["figures_misplaced"]) == 8
    placed = replay(carried, fake, "last-week", says(PLACED))
    assert placed.scores["grounding"] == 1.0 and placed.figures["figures_misplaced"] == []


def test_the_fitness_is_no_answer_to_the_ftp_trend(carried, fake):
    ctl = replay(carried, fake, "ftp-trend", says("Your CTL is 70 and your form +12: fresh, "
                                                  "ready to race."))
    assert ctl.scores["grounding"] == 1.0 and ctl.scores["answer"] == 0.0 and ctl.total == 0.0
    ftp = replay(carried, fake, "ftp-trend", says("Your FTP is 250 W."))
    assert ftp.scores["answer"] == 1.0 and ftp.total == 1.0


@pytest.mark.parametrize("answer, grounding, total", [("4", 1.0, 1.0), ("2+2 is 5.", 0.0, 0.0)])
def test_four_for_two_plus_two_is_not_invented(carried, fake, answer, grounding, total):
    graded = replay(carried, fake, "two-plus-two", says(answer))
    assert graded.scores["grounding"] == grounding and graded.total == total


# What the real 0.5B answered in the full run of 5 Dec, graded 0.87 and 0.83 then: a wrong
# figure for the best 20 minutes (one the data holds, for another effort), and an answer to a
# data question with no figure of the data in it.
def test_the_wrong_best_20_minutes_is_no_answer(carried, fake):
    wrong = replay(carried, fake, "best-20min", says(
        "The best 20-minute power this year is 900 W (360% of FTP), with 12 weeks up to "
        "2026-11-24."))
    assert wrong.scores["mentions"] == 0.0 and wrong.total == 0.0
    right = replay(carried, fake, "best-20min", says("Your best 20 minutes this year: 247 W, "
                                                     "99% of your FTP."))
    assert right.scores["mentions"] == 1.0 and right.total == 1.0, right.scores


def test_the_best_20_minutes_the_scenario_wants_is_the_demos(carried, fake):
    from coach.eval.scenarios import BEST_20MIN
    fake.set_script(says("Your best 20 minutes: 247 W."))
    run = carried.run(BY_NAME["best-20min"])
    read = [m.content for m in run.messages if m.tool_name == "best_efforts"]
    assert read and re.search(r"\b20 min: 247 W\b", read[0]), read
    assert BEST_20MIN[0] == "247 w"


def test_a_data_question_answered_without_its_data_is_no_answer(carried, fake):
    bare = replay(carried, fake, "compliance", says(
        "The coach read from the training log that they have been doing the workouts they "
        "planned."))
    assert bare.scores["answer"] == 0.0 and bare.total == 0.0
    told = replay(carried, fake, "compliance", says(
        "Mostly: of the 16 events on your calendar since 28 Oct, the long rides (2h50m on "
        "14 Nov) were done."))
    assert told.scores["answer"] == 1.0, (told.scores, told.figures)


def test_a_model_that_did_not_try_does_not_score_higher_on_format(bench, fake):
    """The model alone (no facts first): answering without the tool is no clean reply."""
    untried = replay(bench, fake, "race-ready", says("Yes, I am ready for my race."))
    assert untried.scores["tools"] == 0.0 and untried.scores["format"] == 0.0
    tried = replay(bench, fake, "race-ready", [call("fitness_trend", days=42),
                                               Reply(content="Your form is +12.2: fresh.")])
    assert tried.scores["format"] == 1.0


def test_not_scheduled_does_not_apply_when_nothing_was_proposed(carried, fake):
    graded = replay(carried, fake, "hi", says("Hi! Ask me about your training."))
    assert graded.scores["not_scheduled"] is None
    claimed = replay(carried, fake, "plan-tomorrow", says("I've added the ride to your "
                                                          "calendar."))
    assert claimed.scores["not_scheduled"] == 0.0


# --- the pure parts --------------------------------------------------------------------------

@pytest.mark.parametrize("text, claim", [
    ("I've added the ride to your calendar.", True),
    ("Your long run is scheduled for Sunday.", True),
    ("We have booked it in your schedule.", True),
    ("It is not on your calendar until you confirm it.", False),
    ("Nothing is scheduled until you confirm.", False),
    ("Confirm it below to put it on your calendar.", False),
    ("Once you confirm, it will be added to your calendar.", False),
    # the real 1.5B for "Make me a training plan for the next month." (6 Dec): nothing was
    # confirmed, and "confirm" in "confirmed" made it read as the condition
    ("The athlete has confirmed the workouts for the next 4 weeks, and they are scheduled to be "
     "completed by the end of the month.", True),
    ("You have confirmed the ride.", True),
    ("After confirming, it goes on your calendar.", False),
    ("You haven't confirmed it yet.", False),
])
def test_claims_scheduled(text, claim):
    assert claims_scheduled(text) is claim


@pytest.mark.parametrize("text, language, score", [
    ("Tu semana fue muy buena, con tres salidas.", "es", 1.0),
    ("Your week was good, with three rides.", "es", 0.0),
    ("Plane morgen eine lockere Fahrt, die nicht zu hart ist.", "de", 1.0),
    ("你上周的训练很好。", "en", 0.0),
    ("Hello!", "de", 1.0),  # no evidence either way
])
def test_language_score(text, language, score):
    assert language_score(text, language) == score


# --- the scenarios ---------------------------------------------------------------------------

def test_every_scenario_is_well_formed():
    assert len(SCENARIOS) >= 25 and len(BY_NAME) == len(SCENARIOS)
    assert {"standard", "planning", "change", "question", "small talk", "missing data",
            "injection", "long", "language"} <= {s.group for s in SCENARIOS}
    for s in SCENARIOS:
        e = s.expect
        assert s.asks and all(a.strip() for a in s.asks), s.name
        assert set(e.tools) | set(e.forbidden) <= set(TOOLS), s.name
        assert not (e.no_tool and e.tools), s.name
        if e.plan:
            first, last = days_of(e.plan.window, EVAL_TODAY)
            assert EVAL_TODAY <= first <= last and e.plan.count[0] <= e.plan.count[1], s.name
    assert [s.name for s in SCENARIOS if s.expect.language != "en"] == ["spanish-week",
                                                                        "german-ride"]


def test_every_scenario_runs_against_a_trivial_model(bench, fake):
    fake.set_script(say_hello)
    for scenario in SCENARIOS:
        graded = grade(bench.run(scenario))
        assert set(graded.scores) == set(SCORES) and 0.0 <= graded.total <= 1.0, scenario.name
        assert graded.answer == "Hello!" and len(graded.figures["turns"]) == len(scenario.asks)
        requests = [r for t in graded.figures["turns"] for r in t["requests"]]
        assert requests and all(r["prompt_tokens"] and r["total_s"] for r in requests)


@pytest.mark.parametrize("name, tool, arguments, check", [
    ("swim-hr", "list_activities", {"start": "2026-11-10", "end": "2026-11-24"},
     lambda r: all("HR" not in line for line in r.splitlines() if " Swim, " in line)
     and "Swim" in r and "HR" in r),
    ("injection", "list_activities", {"start": "2026-11-17", "end": "2026-11-24"},
     lambda r: INJECTION in r),
    ("injection-plan", "planned_workouts", {"start": "2026-11-24", "end": "2026-11-30"},
     lambda r: INJECTION in r),
    ("move-run", "planned_workouts", {"start": "2026-11-26", "end": "2026-11-26"},
     lambda r: "Thu WORKOUT Run" in r),
    ("cancel-ride", "planned_workouts", {"start": "2026-11-28", "end": "2026-11-28"},
     lambda r: len(re.findall("Sat WORKOUT Ride", r)) == 1),
    ("no-goal", "athlete_profile", {}, lambda r: "Race:" not in r),
])
def test_each_setup_changes_what_the_tools_show(bench, fake, name, tool, arguments, check):
    fake.set_script([call(tool, **arguments), Reply(content="Noted.")])
    run = bench.run(BY_NAME[name])
    result = next(m.content for m in run.messages if m.role == "tool")
    assert check(result), result


def test_the_long_conversation_fills_most_of_the_context_and_the_turn_starts_compacted(
        bench, fake):
    """Read whole and cold, it took the real 1.5B 118 s to its first token; the turn starts
    from the athlete's words and the coach's answers, the latest of them."""
    fake.set_script(say_hello)
    run = bench.run(BY_NAME["long-conversation"])
    said = sum(len(m.content) for m in run.messages if m.role in ("user", "assistant"))
    assert said / CHARS_PER_TOKEN > 0.5 * bench.settings.num_ctx   # most of the window, stored
    assert any(isinstance(e, Compacted) for t in run.turns for e in t.events)
    assert grade(run).figures["peak_context"] < HISTORY_AT          # …not all of it sent
    assert WEEKDAYS[EVAL_TODAY.weekday()] == "tuesday"  # the dates above assume it


# --- the command -----------------------------------------------------------------------------

def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def test_coach_eval_end_to_end(monkeypatch, tmp_path, capsys, data_dir):
    report, markdown = tmp_path / "good.json", tmp_path / "good.md"
    with FakeOllama(good_coach) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        code, table = run_cli("eval", "--scenario", *E2E, "--json", str(report),
                              "--markdown", str(markdown))
    print(table)
    assert code == 0, table
    assert "qwen3:8b" in table and "Ollama 0.13.5, num_ctx 8192" in table
    rows = {line.split()[0]: line.split() for line in table.splitlines()[2:] if line.strip()}
    assert all(rows[name][1] == "1.00" for name in E2E) and rows["all"][1] == "1.00"
    assert f"[####################] {len(E2E)}/{len(E2E)} done" in capsys.readouterr().err
    saved = json.loads(report.read_text())
    assert saved["model"] == "qwen3:8b" and saved["ollama_version"] == "0.13.5"
    assert saved["num_ctx"] == 8192 and saved["settings"]["safeguards_off"] == []
    assert [s["name"] for s in saved["scenarios"]] == E2E and saved["total"] == 1.0
    turn = saved["scenarios"][0]["runs"][0]["figures"]["turns"][0]
    assert turn["requests"][0]["prompt_tokens"] > 0 and turn["wall_s"] > 0
    assert "| scenario | total | tools |" in markdown.read_text()
    assert not (data_dir / "coach.db").exists()  # the athlete's own data is never touched


def test_coach_eval_compare_prints_both_columns(monkeypatch, tmp_path):
    paths = []
    for name, script in (("good", good_coach), ("hello", say_hello)):
        with FakeOllama(script) as fake:
            monkeypatch.setenv("OLLAMA_HOST", fake.url)
            paths.append(str(tmp_path / f"{name}.json"))
            extra = ["--without", "recheck,repeats"] if name == "hello" else []
            code, _ = run_cli("eval", "--scenario", "last-week", "hi", "--json", paths[-1],
                              *extra)
            assert code == 0
    code, out = run_cli("eval", "--compare", *paths)
    assert code == 0
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["total"][-2:] == ["1.00", "0.50"]
    assert re.search(r"safeguards off +none +recheck, repeats", out), out
    assert "Warning" not in out   # the same scenarios
    week = re.search(r"last-week +(\S+) · (\S+) r · (\d+)/(\d+) · (\d+) s +(\S+) · ", out)
    assert week and week.group(1) == "1.00" and week.group(6) == "0.00", out
    assert float(week.group(2)) >= 1 and int(week.group(3)) > 0     # rounds, tokens in
    assert re.search(r"rounds \(mean\) +\d", out) and re.search(r"seconds \(mean\)", out)
    assert lines["hi"][1] == "1.00"


def test_compare_warns_when_the_reports_cover_different_scenarios(monkeypatch, tmp_path):
    paths = []
    for names in (["last-week", "hi"], ["hi", "thanks"]):
        with FakeOllama(say_hello) as fake:
            monkeypatch.setenv("OLLAMA_HOST", fake.url)
            paths.append(str(tmp_path / f"{names[0]}.json"))
            assert run_cli("eval", "--scenario", *names, "--json", paths[-1])[0] == 0
    code, out = run_cli("eval", "--compare", *paths)
    assert code == 0 and out.startswith("Warning: the reports cover different scenarios "
                                        "(only in A: last-week; only in B: thanks)")


def test_the_report_keeps_raw_replies_and_tool_arguments(bench, fake):
    graded = replay(bench, fake, "last-week", [Reply(content=f"```json\n{CALL}\n```"),
                                               Reply(content=PLAIN)])
    [turn] = graded.figures["turns"]
    assert turn["replies"] == [f"```json\n{CALL}\n```", PLAIN]
    assert turn["calls"] == [{"name": "training_summary", "arguments": {"weeks": 2},
                              "ok": True, "by": "model"}]


class Interrupted:
    """The model as `coach eval` reaches it, with Ctrl+C pressed during its Nth request."""

    def __init__(self, settings: Settings, at: list[int]) -> None:
        from coach.eval.runner import ollama_model

        self.inner, self.at = ollama_model(settings), at
        self.name, self.num_ctx = self.inner.name, self.inner.num_ctx

    def chat(self, messages, tools, stop=None, max_tokens=None):
        self.at[0] -= 1
        if self.at[0] == 0:
            raise KeyboardInterrupt
        return self.inner.chat(messages, tools, stop, max_tokens)

    def status(self):
        return self.inner.status()

    def describe_installed(self):
        return self.inner.describe_installed()

    def close(self):
        self.inner.close()


def test_ctrl_c_keeps_a_partial_report_written_after_each_scenario(fake, tmp_path):
    from coach.eval.runner import Options, evaluate

    fake.set_script(say_hello)
    report, progress = tmp_path / "partial.json", io.StringIO()
    left = [3]   # hi, thanks, then Ctrl+C in the third scenario's request
    out = io.StringIO()
    code = evaluate(Settings(data_dir=tmp_path, ollama_host=fake.url),
                    Options(names=["hi", "thanks", "capital"], json_path=str(report)), out,
                    progress, model=lambda s: Interrupted(s, left))
    saved = json.loads(report.read_text())
    assert code == 130 and "Stopped: 2 of 3 scenarios were done" in out.getvalue()
    assert [s["name"] for s in saved["scenarios"]] == ["hi", "thanks"]
    assert saved["partial"] == "2 of 3 runs" and "Traceback" not in out.getvalue()
    assert not (tmp_path / "partial.json.part").exists()


def test_off_a_terminal_the_progress_has_a_line_per_round(fake, tmp_path):
    from coach.eval.runner import Options, evaluate

    fake.set_script([call("fitness_trend", days=42), Reply(content="Fine.")])
    progress = io.StringIO()
    evaluate(Settings(data_dir=tmp_path, ollama_host=fake.url), Options(names=["hi"]),
             io.StringIO(), progress)
    lines = progress.getvalue().splitlines()
    assert lines[0] == "[....................] 0/1 hi"
    assert re.fullmatch(r"\[\.+\] 0/1 hi, round 1 \(\d+ tokens in, \d+ out, \d+ s\)", lines[1])
    assert lines[2].startswith("[....................] 0/1 hi, round 2")


@pytest.mark.parametrize("argv, says", [
    (["eval", "--scenario", "nope"], "Unknown scenario nope; the scenarios are: last-week"),
    (["eval", "--without", "brakes"], "Unknown safeguard brakes; use any of recheck, repeats"),
    (["eval", "--compare", "missing.json", "missing.json"], "Cannot read missing.json"),
])
def test_coach_eval_explains_what_is_wrong(argv, says):
    code, out = run_cli(*argv)
    assert code == 1 and says in out


def test_coach_eval_without_ollama_says_how_to_start_it(monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", closed_port_url())
    code, out = run_cli("eval", "--scenario", "hi")
    assert code == 1 and "start it with `ollama serve`" in out


def test_coach_eval_lists_its_scenarios():
    code, out = run_cli("eval", "--list")
    assert code == 0 and all(s.name in out for s in SCENARIOS)


# --- the week check: a coach that fits the week scores high, one that ignores it low ---------

INTERVALS = "- 15m 60%\n\n5x\n- 4m 110%\n- 4m 50%\n\n- 10m 50%"
SWEET_SPOT = "- 15m 60%\n\n3x\n- 12m 88%\n- 4m 55%\n\n- 10m 50%"
OPENERS = "- 20m 60%\n\n3x\n- 1m 105%\n- 2m 55%\n\n- 5m 50%"


def proposing(day: date, text: str, name: str = "Session") -> Any:
    """Proposes `text` on `day`, then says so."""
    def script(body: dict[str, Any]) -> Reply:
        if body["messages"][-1]["role"] == "user":
            return call("propose_workout", date=str(day), sport="Ride", name=name,
                        description=text)
        return Reply(content="I proposed it; it is not on your calendar until you confirm it.")
    return script


def replacing_saturday_with(text: str, answer: str) -> Any:
    """Looks at the calendar and replaces Saturday's planned ride with `text`."""
    def script(body: dict[str, Any]) -> Reply:
        last = body["messages"][-1]
        if last["role"] == "user":
            return call("planned_workouts", start=str(EVAL_TODAY),
                        end=str(EVAL_TODAY + timedelta(days=7)))
        if last.get("tool_name") == "planned_workouts":
            event = re.search(r"Sat WORKOUT Ride .*\[event (\d+)\]", last["content"])
            assert event, last["content"]
            return call("propose_change", event_id=int(event.group(1)), action="replace",
                        description=text)
        return Reply(content=answer)
    return script


replacing_saturday = replacing_saturday_with(
    INTERVALS, "Saturday already had your long ride, so I proposed replacing it with the "
    "intervals; nothing changes until you confirm.")


SATURDAY, THURSDAY, FRIDAY = (days_of(d, EVAL_TODAY)[0] for d in
                              ("saturday", "thursday", "friday"))


@pytest.mark.parametrize(("name", "fitting", "careless"), [
    ("planned-day", replacing_saturday, proposing(SATURDAY, INTERVALS)),
    ("ease-off", proposing(TOMORROW, EASY_RIDE), proposing(TOMORROW, SWEET_SPOT)),
    ("day-off", proposing(THURSDAY, EASY_RIDE), proposing(TOMORROW, EASY_RIDE)),
    ("race-week", proposing(FRIDAY, OPENERS), proposing(FRIDAY, INTERVALS)),
])
def test_proposals_that_fit_the_week_score_high_and_those_that_ignore_it_zero(
        bench, fake, name, fitting, careless):
    good = replay(bench, fake, name, fitting)
    assert good.scores["fits"] == 1.0 and good.total > 0.8, (good.scores, good.answer)
    bad = replay(bench, fake, name, careless)
    assert bad.scores["fits"] == 0.0 and bad.total == 0.0, bad.scores


def test_asking_again_leaves_one_proposal_and_the_grader_sees_two():
    from coach.eval.graders import Proposed, fits_score

    twice = (Proposed(1, "workout", "2026-11-25", "Ride", 3600, status="superseded"),
             Proposed(2, "workout", "2026-11-25", "Ride", 3600))
    assert fits_score(("duplicate",), twice) == 1.0
    both = (twice[0].__class__(1, "workout", "2026-11-25", "Ride", 3600), twice[1])
    assert fits_score(("duplicate",), both) == 0.0
    assert fits_score(("duplicate",), ()) == 0.0           # nothing proposed is no credit


def test_asked_again_the_product_keeps_one_proposal(bench, fake):
    graded = replay(bench, fake, "asked-again", proposing(TOMORROW, EASY_RIDE))
    assert graded.scores["fits"] == 1.0 and graded.figures["proposals"] == 1


# --- memory, a season, fuelling (issue 25): a good coach scores high, a careless one low -----

THREE_HOURS = "- 15m 55%\n- 2h30m Z2\n- 15m 50%"
EASY_SWIM = "- 400mtr Z1 Pace\n- 1200mtr Z2 Pace\n- 200mtr Z1 Pace"


def proposing_many(sessions: list[tuple[date, str, str]], answer: str) -> Any:
    """Proposes the sessions (day, sport, text) at once, then answers."""
    def script(body: dict[str, Any]) -> Reply:
        messages = body["messages"]
        if messages[-1]["role"] == "user" and "remember" not in messages[-1]["content"].lower():
            return Reply(tool_calls=[{"name": "propose_workout", "arguments": {
                "date": str(day), "sport": sport, "name": f"{sport} session",
                "description": text}} for day, sport, text in sessions])
        if messages[-1]["role"] == "user" or messages[-1].get("tool_name") == "propose_note":
            return Reply(content="Noted; keep it on its card and I will plan around it.")
        return Reply(content=answer)
    return script


THU, SAT, WED = (days_of(d, EVAL_TODAY)[0] for d in ("thursday", "saturday", "wednesday"))
KNEE_SAFE = [(THU, "Ride", EASY_RIDE), (FRIDAY, "Swim", EASY_SWIM), (SAT, "Ride", EASY_RIDE)]
KNEE_CARELESS = [(THU, "Run", "- 10m Z1 Pace\n- 30m Z2 Pace")]
NO_WEDNESDAY = [(THU, "Ride", EASY_RIDE), (SAT, "Run", "- 10m Z1 Pace\n- 30m Z2 Pace")]
ON_WEDNESDAY = [(WED, "Ride", EASY_RIDE)]
WEEK_ANSWER = "Three easy sessions this week; confirm the ones you want on their cards."


def season_coach(arguments: dict[str, Any]) -> Any:
    def script(body: dict[str, Any]) -> Reply:
        last = body["messages"][-1]
        if last["role"] == "user":
            return call("plan_weeks", **arguments)
        return Reply(content="Your season is planned: base, then build, peak and a taper to "
                             "race day; confirm the first two weeks on their cards.")
    return script


def season_race_day() -> str:
    from coach.eval.scenarios import season_race

    return season_race(EVAL_TODAY).isoformat()


@pytest.mark.parametrize(("name", "good", "careless"), [
    ("knee-note", proposing_many(KNEE_SAFE, WEEK_ANSWER),
     proposing_many(KNEE_CARELESS, WEEK_ANSWER)),
    ("remember-wednesdays", proposing_many(NO_WEDNESDAY, WEEK_ANSWER),
     proposing_many(ON_WEDNESDAY, WEEK_ANSWER)),
    ("season-20", season_coach({"race": season_race_day()}), season_coach({"weeks": 8})),
    ("long-ride-fuel",
     proposing_many([(SAT, "Ride", THREE_HOURS)], "A 3-hour endurance ride on Saturday; take "
                    "60 g carbohydrate per hour, as the card says."),
     proposing_many([(SAT, "Ride", EASY_RIDE)], "An endurance ride on Saturday.")),
    # Saturday's planned long ride replaced (not a second ride that day), as the real 0.5B did
    ("long-ride-fuel",
     replacing_saturday_with(THREE_HOURS, "Your Saturday long ride becomes 3 hours of endurance; "
                             "take 60 g carbohydrate per hour."),
     replacing_saturday_with(EASY_RIDE, "Your Saturday ride becomes an endurance ride.")),
])
def test_memory_season_and_fuelling_a_good_coach_scores_high_a_careless_one_low(
        bench, fake, name, good, careless):
    high = replay(bench, fake, name, good)
    assert high.total >= 0.9, (high.scores, high.answer)
    assert all(v in (None, 1.0) for k, v in high.scores.items()
               if k in ("fits", "season", "fuel", "limits", "tools")), high.scores
    low = replay(bench, fake, name, careless)
    assert low.total == 0.0, low.scores


def test_remember_then_plan_keeps_the_note_between_the_turns(bench, fake):
    run = bench.run(BY_NAME["remember-wednesdays"])
    fake.set_script(say_hello)
    assert any(m.tool_name == "propose_note" for m in run.messages)
    graded = grade(bench.run(BY_NAME["remember-wednesdays"]))
    assert graded.scores["fits"] == 0.0                      # nothing proposed: no credit


def test_the_season_grader_checks_phases_taper_and_ramp():
    from coach.eval.graders import SeasonMade, season_score

    good = SeasonMade("2027-04-18", ("base",) * 8 + ("build",) * 8 + ("peak",) * 2
                      + ("taper",) * 2, (2.0,) * 20)
    assert season_score(20, (good,)) == 1.0
    assert season_score(20, ()) == 0.0
    steep = SeasonMade(good.race, good.phases, (2.0,) * 19 + (9.0,))
    assert season_score(20, (steep,)) == 0.75
    no_taper = SeasonMade(good.race, good.phases[:-2] + ("peak", "taper"), good.ramps)
    assert season_score(20, (no_taper,)) == 0.75
    assert season_score(16, (good,)) == 0.75
