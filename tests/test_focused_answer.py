"""When the model manages no answer in the whole conversation, it gets one short request of its
own: no tools, no history, only the athlete's message and what the product read or drafted for
it, in the athlete's language. What the real 0.5B sent in the full conversation (the planner's
note said back) is the junk here; through the real `ollama` client and the fake Ollama."""

from __future__ import annotations

import re
from typing import Any

import pytest

from coach import language
from coach.agent import textcalls
from coach.agent.loop import Safeguards, TurnDone
from coach.eval import graders
from coach.eval.graders import grade
from coach.eval.runner import Bench
from coach.eval.scenarios import SCENARIOS
from coach.settings import Settings
from coach.testing.ollama_server import FakeOllama, Reply

BY_NAME = {s.name: s for s in SCENARIOS}
# What the real 0.5B said for "Plan tomorrow's ride" on 5 Dec, in the full conversation
ECHOED = ("The coach's planner drafted the proposals above from the athlete's words, their "
          "availability and recent training; each passed the checks and waits for the athlete's "
          "Confirm.")
EXPLAINED = ("I drafted a one-hour endurance ride for Saturday, mostly steady with a short "
             "warm-up; it waits on its card for your Confirm.")


def junk_then(short_reply: str, junk: str = ECHOED):
    """Junk while the tools are offered (the whole conversation), `short_reply` without."""
    return lambda body: Reply(content=junk if body.get("tools") else short_reply)


@pytest.fixture(scope="module")
def fake():
    with FakeOllama(lambda body: Reply(content=EXPLAINED)) as server:
        yield server


@pytest.fixture(scope="module")
def bench(fake, tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("unused"), ollama_host=fake.url)
    with Bench(settings) as b:
        yield b


def run(bench: Bench, fake: FakeOllama, name: str, script: Any):
    fake.set_script(script)
    before = len(fake.chat_requests)
    result = bench.run(BY_NAME[name])
    return result, fake.chat_requests[before:]


def the_answer(result) -> TurnDone:
    [done] = [e for e in result.turns[-1].events if isinstance(e, TurnDone)]
    return done


def test_the_short_request_answer_reaches_the_athlete_and_counts_as_the_models(bench, fake):
    result, requests = run(bench, fake, "run-saturday", junk_then(EXPLAINED))
    done = the_answer(result)
    assert not done.fallback and done.text == EXPLAINED
    short = requests[-1]
    assert not short.get("tools") and [m["role"] for m in short["messages"]] == ["system",
                                                                                 "user"]
    asked = short["messages"][1]["content"]
    assert asked.startswith("Give me a run interval session for Saturday")
    assert 'Run "' in asked and "not on the calendar until the athlete confirms" in asked
    assert "English" in short["messages"][0]["content"]
    graded = grade(result)
    assert graded.scores["answer"] == 1.0 and graded.figures["focused"] is True
    [stored] = [m for m in result.messages if m.content == EXPLAINED]
    assert stored.meta.focused and not stored.meta.fallback


def test_the_short_request_holds_the_facts_read_for_a_question(bench, fake):
    said = "Your HRV averaged in its usual range this week; nothing suggests easing off."
    result, requests = run(bench, fake, "hrv", junk_then(said, junk=""))
    assert the_answer(result).text.startswith(said)     # then the figures: it states none
    asked = requests[-1]["messages"][1]["content"]
    assert "What the coach read from the training log:" in asked and "HRV" in asked
    assert "Today is" not in asked and "not instructions" not in asked


def test_the_short_request_carries_a_drafts_fuelling(bench, fake):
    """The real 0.5B explained the 3-hour ride it was handed and never said what to eat: the
    target is in the line it reads, and the task asks for it."""
    _, requests = run(bench, fake, "long-ride-fuel", junk_then(EXPLAINED))
    system, asked = (m["content"] for m in requests[-1]["messages"])
    assert "replace the planned workout by Ride" in asked
    assert "g carbohydrate per hour" in asked and "carbohydrate per hour" in system
    _, requests = run(bench, fake, "plan-tomorrow", junk_then(EXPLAINED))   # an easy hour
    assert "carbohydrate" not in requests[-1]["messages"][0]["content"]   # none: not asked


# What the real models said for "Build my taper for the race." with no race on the calendar
# (5 Dec): the product's note back (0.5B), "I'm sorry, but I can't assist with that." (1.5B)
NO_RACE_ECHO = ("No race is on the athlete's calendar. Before planning, ask which race it is "
                "and its date; propose nothing yet.")
ASKED_BACK = "Which race are you tapering for, and on what date is it?"


NO_GOAL_ECHO = ("The athlete asked for several weeks, but no race or goal is known. Before "
                "planning, ask what they are training for and how many hours a week they can "
                "train; propose nothing yet.")   # the real 0.5B's answer to "Make me a plan…"


@pytest.mark.parametrize("name, echo, says", [
    ("unknown-race", NO_RACE_ECHO, "Ask them which race they mean and its date"),
    ("no-goal", NO_GOAL_ECHO, "Ask them what they are training for"),
])
def test_when_the_product_asks_back_the_short_request_asks_the_model_to(bench, fake, name,
                                                                         echo, says):
    result, requests = run(bench, fake, name, junk_then(ASKED_BACK, junk=echo))
    done = the_answer(result)
    assert not done.fallback and done.text == ASKED_BACK
    system = requests[-1]["messages"][0]["content"]
    assert not requests[-1].get("tools") and says in system
    graded = grade(result)
    assert graded.scores["question"] == 1.0 and graded.scores["answer"] == 1.0, graded.scores


def test_asked_back_junk_again_is_no_answer_but_the_athlete_reads_the_question(bench, fake):
    result, _ = run(bench, fake, "unknown-race", junk_then(NO_RACE_ECHO, junk=NO_RACE_ECHO))
    done = the_answer(result)
    assert done.fallback and grade(result).scores["question"] == 0.0   # not the model's
    assert "did not manage an answer" in done.text
    assert "which race is it, and when?" in done.text and NO_RACE_ECHO not in done.text


REFUSED = "I'm sorry, but I can't assist with that."   # the real 1.5B, "Build my taper…", 5 Dec


def test_an_answer_that_asks_nothing_when_the_product_must_ask_back_gets_its_question(bench,
                                                                                      fake):
    result, _ = run(bench, fake, "unknown-race", lambda body: Reply(content=REFUSED))
    done = the_answer(result)
    assert not done.fallback and done.text.startswith(REFUSED)
    assert done.text.endswith("which race is it, and when? Add it there as an A or B race, or "
                              "tell the coach its date.")
    graded = grade(result)                     # the question is the product's, not the model's
    assert graded.answer == REFUSED and graded.scores["question"] == 0.0
    assert graded.figures["added_by_product"] is True


def test_an_answer_with_its_own_question_is_left_as_the_model_wrote_it(bench, fake):
    result, _ = run(bench, fake, "no-goal", lambda body: Reply(content=ASKED_BACK))
    assert the_answer(result).text == ASKED_BACK
    graded = grade(result)
    assert graded.scores["question"] == 1.0 and graded.figures["added_by_product"] is False


READY = "Yes, you are ready for your race."      # the real 1.5B, "Am I ready for my race?"


def test_a_data_answer_without_a_figure_is_followed_by_what_the_coach_read(bench, fake):
    result, _ = run(bench, fake, "race-ready", lambda body: Reply(content=READY))
    done = the_answer(result)
    assert not done.fallback and done.text.startswith(READY + "\n\nWhat the coach read")
    assert "CTL" in done.text and "Today is" not in done.text
    graded = grade(result)                  # the figures are the product's, not the model's
    assert graded.answer == READY and graded.scores["answer"] == 0.0
    assert graded.figures["added_by_product"] is True


def test_a_data_answer_with_its_figures_is_left_as_the_model_wrote_it(bench, fake):
    result, _ = run(bench, fake, "race-ready", lambda body: Reply(content=READY))
    figure = re.search(r"CTL (\d+\.\d)", the_answer(result).text)   # the latest, as read
    assert figure, the_answer(result).text
    said = f"Your fitness (CTL {figure.group(1)}) says you are ready."
    result, _ = run(bench, fake, "race-ready", lambda body: Reply(content=said))
    assert the_answer(result).text == said
    assert grade(result).figures["added_by_product"] is False


def test_the_short_request_asks_in_the_athletes_language(bench, fake):
    _, requests = run(bench, fake, "german-ride", junk_then("Morgen fährst du eine Stunde."))
    assert "in German" in requests[-1]["messages"][0]["content"]


@pytest.mark.parametrize("again", ["", "Alex Demo", '{"name": "propose_workout"}',
                                   "Say what the coach drafted for them (the day, the sport, "
                                   "how long) and why it suits them."])
def test_junk_again_leaves_the_products_honest_fallback(bench, fake, again):
    result, requests = run(bench, fake, "run-saturday", junk_then(again))
    done = the_answer(result)
    assert not requests[-1].get("tools")            # the short request was made…
    assert done.fallback and "What the coach drafted for you" in done.text   # …and failed
    assert grade(result).scores["answer"] == 0.0


def test_nothing_read_or_drafted_means_no_short_request(bench, fake):
    result, requests = run(bench, fake, "hi", lambda body: Reply(content=""))
    assert the_answer(result).fallback and all(r.get("tools") for r in requests)


def test_switched_off_there_is_no_short_request(fake, tmp_path):
    settings = Settings(data_dir=tmp_path, ollama_host=fake.url)
    with Bench(settings, safeguards=Safeguards(focused_answer=False)) as off:
        result, requests = run(off, fake, "run-saturday", junk_then(EXPLAINED))
    assert the_answer(result).fallback and all(r.get("tools") for r in requests)


@pytest.mark.parametrize(("text", "expected"), [
    ("Plane mir für morgen eine lockere Radausfahrt von einer Stunde.", "de"),
    ("¿Cómo fue mi última semana de entrenamiento?", "es"),
    ("How was my last week?", "en"),
    ("hi", "en"),                       # no common word: the default
    ("Plan mañana", "en"),              # none counted either
])
def test_the_language_is_guessed_from_common_words(text, expected):
    assert language.guess(text) == expected


# What the real 0.5B answered for "Give me next week, 6 hours, no Monday" on 5 Dec: the
# proposals' results copied, the notes to the model with them. The graders gave it 1.00.
COPIED = ('Day 1: Run "Easy run", 45m, estimated load 45. It is NOT on the calendar: the athlete '
          "sees it with Confirm and Reject buttons.\nChecked against the athlete's week; the "
          "card shows the athlete:\n- Tuesday 1 Dec already has Endurance ride (35 min), "
          "planned, and your availability allows one session a day. Replace it with this, or "
          "pick another day. [event_id 104600021] To fix: if the athlete did not ask for two "
          "sessions that day, propose another day, or call propose_change to replace the "
          "planned workout (its event_id) instead.")


def test_a_copied_proposal_result_is_no_answer(bench, fake):
    result, requests = run(bench, fake, "next-week", junk_then(EXPLAINED, junk=COPIED))
    done = the_answer(result)
    assert done.text == EXPLAINED and not requests[-1].get("tools")   # set aside, asked again
    assert COPIED not in done.text


def test_the_grader_gives_no_credit_to_a_copied_result(bench, fake):
    result, _ = run(bench, fake, "next-week", junk_then(COPIED, junk=COPIED))
    done = the_answer(result)
    assert done.fallback and "(it copied a tool's result instead)" in done.text
    assert not graders.clean_text(COPIED) and graders.clean_text(EXPLAINED)


def test_the_markers_of_a_copied_result_are_what_the_tools_write(bench, fake):
    _, requests = run(bench, fake, "next-week", junk_then(EXPLAINED))
    results = " ".join(m["content"] for m in requests[0]["messages"] if m["role"] == "tool")
    assert all(marker in results for marker in textcalls.TOOL_NOTE_MARKERS)
