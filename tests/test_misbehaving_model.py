"""Replays of what a real small model (Qwen2.5-Coder-0.5B through llama.cpp) did with six
everyday questions, through the fake Ollama server and the same Coach as the page: the athlete
never reads tool-call syntax, prompt text or the tool catalog, and gets an honest sentence when
the model manages no answer. The product's own first moves (facts, drafts) are off here: these
are the model's own rounds, and how the loop recovers from them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from coach.agent.loop import Safeguards, TextDelta, ToolFinished, TurnDone
from coach.app.session import Coach
from coach.app.setup import resolve_settings
from coach.testing.ollama_server import FakeOllama, Reply
from coach.testing.scripted_model import last_round

TODAY = date(2026, 11, 26)  # a Thursday
TOMORROW = str(TODAY + timedelta(days=1))
SWEET_SPOT = "Warmup\n- 10m 60%\n\nMain set 3x\n- 12m 88-92%\n- 4m 55%\n\nCooldown\n- 10m 50%"
JUNK = ('{"name"', '"arguments"', "<tools>", '"type": "function"', "```", "<tool_call>",
        "Athlete card:", "How you work:")


@dataclass
class Seen:
    """What the athlete saw: the words streamed live, the answer kept, the tools that ran."""

    streamed: str
    answer: str
    tools: list[str]
    proposals: int
    fallback: bool
    requests: int
    grounding: str


def ask(question: str, script, monkeypatch, tmp_path) -> Seen:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    with FakeOllama(script=script) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        with Coach(resolve_settings(), today=TODAY) as coach:
            coach.safeguards = Safeguards(facts_first=False, drafts=False)
            coach.sync()
            conversation = coach.new_conversation()
            events: list = []
            coach.ask(conversation, question, events.append)
            answer = [m for m in coach.messages(conversation) if m.role == "assistant"][-1]
            proposals = len(coach.proposals())
        requests = len(fake.chat_requests)
    done = [e for e in events if isinstance(e, TurnDone)]
    return Seen("".join(e.text for e in events if isinstance(e, TextDelta)), answer.content,
                [e.name for e in events if isinstance(e, ToolFinished)], proposals,
                bool(done and getattr(done[-1], "fallback", False)), requests,
                getattr(done[-1], "grounding", "") if done else "")


def clean(seen: Seen) -> None:
    for shown in (seen.streamed, seen.answer):
        assert not any(j in shown for j in JUNK), shown


def as_text(tool: str, **arguments) -> str:
    return json.dumps({"name": tool, "arguments": arguments})


def stubborn(reply: Reply):
    """A model that says the same thing whatever it is told."""
    return lambda body: reply


def test_plan_a_sweet_spot_ride_ten_calls_one_per_line_are_run_not_shown(monkeypatch,
                                                                        tmp_path):
    ten = "\n".join([as_text("athlete_profile"), as_text("fitness_trend", days=42),
                     as_text("propose_workout", date=TOMORROW, sport="Ride",
                             name="Sweet spot 3x12", description=SWEET_SPOT),
                     *[as_text("planned_workouts", start=TOMORROW, end=TOMORROW)] * 7])
    script = [Reply(content=as_text("athlete_profile")), Reply(content=ten),
              Reply(content="I proposed Sweet spot 3x12 for tomorrow: confirm it if it suits.")]
    seen = ask("Plan a sweet spot ride for tomorrow", script, monkeypatch, tmp_path)
    clean(seen)
    assert seen.proposals == 1 and "propose_workout" in seen.tools
    assert seen.answer.startswith("I proposed Sweet spot 3x12")


def test_hours_ridden_the_catalog_echoed_back_is_never_the_answer(monkeypatch, tmp_path):
    echo = '<tools> {"type": "function", "function": {"name": "training_summary", ' \
           '"description": "Hours, distance, load and sessions by sport"}} </tools>'
    seen = ask("How many hours did I ride in the last 4 weeks?", stubborn(Reply(content=echo)),
               monkeypatch, tmp_path)
    clean(seen)
    assert seen.fallback and "it repeated its instructions instead" in seen.answer
    assert "`coach eval` compares them" in seen.answer


def test_two_plus_two_the_same_call_six_times_runs_once_then_an_answer_is_asked(monkeypatch,
                                                                               tmp_path):
    def script(body):
        if last_round(body["messages"]):
            return Reply(content="2 + 2 = 4.")
        return Reply(tool_calls=[{"name": "athlete_profile", "arguments": {}}])

    seen = ask("What is 2+2?", script, monkeypatch, tmp_path)
    clean(seen)
    assert seen.answer == "2 + 2 = 4."
    assert seen.tools == ["athlete_profile"] * 3   # run once, then answered from the first
    assert seen.requests == 4                      # not the round limit: 3 calls, then answer


def test_move_tomorrows_workout_an_invented_id_repeated_ends_in_a_sentence(monkeypatch,
                                                                          tmp_path):
    invented = as_text("propose_change", event_id=12345, action="move", new_date="friday")
    seen = ask("Move tomorrow's workout to Friday", stubborn(Reply(content=invented)),
               monkeypatch, tmp_path)
    clean(seen)
    assert seen.proposals == 0 and seen.fallback
    assert "it sent tool calls instead" in seen.answer


def test_next_week_a_fenced_call_to_a_tool_that_does_not_exist_is_not_shown(monkeypatch,
                                                                           tmp_path):
    fenced = '```json\n{"name": "plan_week", "arguments": {"hours": 6, "skip": "Monday"}}\n```'
    script = [Reply(content=fenced),
              Reply(content="I need your goal first: what are you training for?")]
    seen = ask("Give me next week, 6 hours, no Monday", script, monkeypatch, tmp_path)
    clean(seen)
    assert seen.tools == ["plan_week"]             # answered with the real tool names
    assert seen.answer == "I need your goal first: what are you training for?"


@pytest.mark.parametrize("reply", [Reply(content="I was on the calendar for 2 weeks.")])
def test_last_week_an_answer_without_tools_is_shown_with_its_figures_checked(
        reply, monkeypatch, tmp_path):
    seen = ask("How was my last week of training?", stubborn(reply), monkeypatch, tmp_path)
    clean(seen)
    assert seen.requests == 2              # sent back once to check "2 weeks" with the tools
    assert seen.answer == "I was on the calendar for 2 weeks."
    assert seen.grounding == "1 figure not found in your data: 2 weeks"
