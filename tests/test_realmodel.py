"""The real-model tier: ten everyday questions to a real small model (Qwen2.5-Coder-0.5B in
llama.cpp behind the Ollama adapter), through the same Coach, agent, tools and prompts as the
page, on the demo athlete. Robustness only: each turn ends within the round limit, the shown
answer holds no tool-call JSON, catalog or prompt text, nothing is written, nothing escapes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coach.agent.loop import MAX_TOOL_ROUNDS, AgentError, TextDelta, TurnDone, Usage
from coach.app.session import Coach, ProposalStatus, Settings
from coach.model.client import OllamaChat
from coach.testing.realmodel_install import MODEL_NAME

pytestmark = pytest.mark.realmodel

QUESTIONS = [
    "Plan a sweet spot ride for tomorrow",
    "How many hours did I ride in the last 4 weeks?",
    "What is 2+2?",
    "Move tomorrow's workout to Friday",
    "Give me next week, 6 hours, no Monday",
    "How was my last week of training?",
    "Am I ready for my race?",
    "What is my FTP?",
    "Why is my HRV down?",
    "hi",
]
JUNK = ('{"name"', '"arguments"', '"parameters"', "<tools>", '"type": "function"',
        "<tool_call>", "Athlete card:", "How you work:", "functions.")
# Each reply is capped so the tier fits in CI; the answers are short anyway.
MAX_TOKENS = 48


@pytest.fixture(scope="module")
def coach(real_model: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coach]:
    data_dir = tmp_path_factory.mktemp("realmodel-coach")
    settings = Settings(data_dir=data_dir, ollama_host=real_model.url, model=MODEL_NAME,
                        num_ctx=8192)
    model = OllamaChat(real_model.url, MODEL_NAME, num_ctx=8192, max_tokens=MAX_TOKENS,
                       read_timeout_s=600)
    with Coach(settings, model=model, today=date(2026, 11, 26)) as c:
        c.sync()
        yield c


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_everyday_question_gets_an_honest_answer(coach: Coach, question: str,
                                                    record_property: Any) -> None:
    calendar_before = _calendar(coach)
    conversation = coach.new_conversation()
    events: list[Any] = []
    started = time.monotonic()
    coach.ask(conversation, question, events.append)   # nothing may escape
    shown = _shown(coach, conversation)
    requests = sum(isinstance(e, Usage) for e in events)
    record_property("answer", f"{question!r} -> {shown!r} ({requests} requests, "
                              f"{time.monotonic() - started:.0f} s)")
    print(f"\n{question!r}: {requests} requests, {time.monotonic() - started:.0f} s\n  "
          f"-> {shown!r}")
    assert isinstance(events[-1], TurnDone | AgentError)
    assert requests <= MAX_TOOL_ROUNDS + 1
    streamed = "".join(e.text for e in events if isinstance(e, TextDelta))
    for text in (shown, streamed):
        assert not any(j in text for j in JUNK), text
    assert _calendar(coach) == calendar_before                # no write happened
    assert not coach.proposals((ProposalStatus.PUBLISHED,))


def _shown(coach: Coach, conversation: int) -> str:
    answers = [m for m in coach.messages(conversation) if m.role == "assistant"
               and not m.tool_calls]
    return answers[-1].content if answers else ""


def _calendar(coach: Coach) -> list[dict[str, Any]]:
    return coach.store.demo_events(coach.athlete_id or "", date.min, date.max)


def test_the_tier_used_the_real_model(real_model: Any) -> None:
    assert Path(real_model.log_path).exists() if hasattr(real_model, "log_path") else True
    assert real_model.url.startswith("http://127.0.0.1:")
