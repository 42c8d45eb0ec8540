"""No runaway (issue 23, part 3): a reply that goes ~300 tokens with nothing the athlete could
read, or that repeats itself, is cut and used as far as it goes; while text is held back the
page and `coach chat` hear that the model is working (tokens, seconds); each request's reply cap
fits what is asked."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from coach.agent.loop import (
    ANSWER_CAP,
    ROUND_CAP,
    RUNAWAY_TOKENS,
    Agent,
    Cut,
    Safeguards,
    TextDelta,
    ToolFinished,
    TurnDone,
    Working,
)
from coach.agent.textcalls import repeats_from
from coach.app.session import Coach
from coach.app.setup import resolve_settings
from coach.cli.commands import WorkingLine
from coach.messages import Message, Role
from coach.scope import Scope
from coach.testing.intervals_samples import SAMPLE_TODAY as TODAY
from coach.testing.ollama_server import FakeOllama, Reply
from coach.testing.scripted_model import ScriptedModel, say, sequence

CALL = {"name": "fitness_trend", "arguments": {"days": 42}}


def turn(store, script, text="How am I doing?", safeguards: Safeguards | None = None):
    model = ScriptedModel(script)
    conversation = store.create_conversation("i123456")
    store.add_message(conversation, Message(Role.USER, text))
    events: list = []
    agent = Agent(model, "system prompt", safeguards=safeguards or Safeguards())
    agent.run_turn(store.messages(conversation), Scope(store, "i123456", TODAY, conversation),
                   events.append, lambda m, pid: store.add_message(conversation, m, pid))
    return model, events


def test_a_reply_of_json_that_never_ends_is_cut_at_300_tokens_and_its_calls_run(synced):
    endless = " ".join([json.dumps(CALL)] + [f'{{"step": {i}, "value":' for i in range(400)])
    model, events = turn(synced, sequence(say(endless), say("Your form is fine.")))
    cut = [e for e in events if isinstance(e, Cut)]
    assert cut == [Cut("runaway", RUNAWAY_TOKENS)]
    assert [e.name for e in events if isinstance(e, ToolFinished)] == ["fitness_trend"]
    assert events[-1] == TurnDone("Your form is fine.", (), grounding=events[-1].grounding)


def test_without_the_safeguard_the_whole_reply_is_read(synced):
    endless = " ".join([json.dumps(CALL)] + [f'{{"step": {i}, "value":' for i in range(400)])
    _, events = turn(synced, sequence(say(endless), say("Your form is fine.")),
                     safeguards=Safeguards(cut_runaway=False))
    assert not [e for e in events if isinstance(e, Cut)]


def test_prose_is_never_cut_for_its_length(synced):
    long = " ".join(f"Point {i} of a long but readable answer." for i in range(120))
    _, events = turn(synced, lambda messages, tools: say(long))
    assert not [e for e in events if isinstance(e, Cut)] and events[-1].text == long


def test_a_reply_that_repeats_itself_is_cut_and_kept_up_to_the_repeat(synced):
    looping = "Your week was solid. " + "Keep the long ride on Saturday. " * 30
    _, events = turn(synced, sequence(say(looping)))
    assert [e.reason for e in events if isinstance(e, Cut)] == ["repeats"]
    assert events[-1].text == "Your week was solid. Keep the long ride on Saturday."


def test_while_text_is_held_back_the_athlete_hears_the_model_is_working(synced):
    held = json.dumps({"name": "fitness_trend", "arguments": {"days": 42, "note": "x " * 60}})
    _, events = turn(synced, sequence(say(held), say("Fine.")))
    working = [e for e in events if isinstance(e, Working)]
    assert working and [w.tokens for w in working] == sorted(w.tokens for w in working)
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    assert all(events.index(w) < first_text for w in working)


def test_each_request_is_capped_for_what_it_asks(synced):
    model, _ = turn(synced, sequence(say("Hi!")), text="hi")
    assert model.caps == [ROUND_CAP]              # the model may still call tools
    model, _ = turn(synced, sequence(say("Fine.")), text="How is my fitness?")
    assert model.caps == [ANSWER_CAP]             # the facts are in hand: an answer


@pytest.mark.parametrize("text, at", [
    ("A. Your week was good. Your week was good. Your week was good.", 23),
    ("One line\nOne line here\nOne line here\nOne line here\n", 23),
    ("Nothing repeats here, just one sentence. And another one.", None),
])
def test_where_a_reply_starts_repeating(text, at):
    assert repeats_from(text) == at


def test_the_cut_reaches_ollama_through_the_real_client(monkeypatch, tmp_path):
    """Through the fake Ollama: the request is closed early, and the num_predict sent is the
    cap for the ask."""
    runaway = "```json\n" + json.dumps(CALL) + "\n```\n" + "{" * 1600
    replies = [Reply(content=runaway), Reply(content="Your form is fine.")]
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    with FakeOllama(script=replies) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        with Coach(resolve_settings(), today=date(2026, 11, 24)) as coach:
            coach.sync()
            events: list = []
            coach.ask(coach.new_conversation(), "hi there", events.append)
        caps = [r["options"]["num_predict"] for r in fake.chat_requests]
    assert [e.reason for e in events if isinstance(e, Cut)] == ["runaway"]
    assert [e.name for e in events if isinstance(e, ToolFinished)] == ["fitness_trend"]
    assert caps == [ROUND_CAP, ROUND_CAP]
    assert events[-1].text == "Your form is fine."


def test_coach_chat_shows_the_model_working_and_clears_it():
    out = io.StringIO()
    line = WorkingLine(out)
    line.show(Working(64, 6.2))
    line.show(Working(80, 8.0))
    assert out.getvalue() == "  [working: 64 tokens, 6 s]\n"   # off a terminal: every 64
