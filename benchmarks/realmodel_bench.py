"""Real figures from a real small model (Qwen2.5-Coder-0.5B in llama.cpp, when installed): the
prompt tokens of a first turn as the model counted them, and the time to its first token on
this machine, through the same Coach, agent and `ollama` client as the page."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coach.agent.loop import Usage
from coach.app.session import Coach, Settings
from coach.model.client import ChatChunk, OllamaChat

QUESTION = "How was my last week of training?"


@dataclass(frozen=True)
class FirstTurn:
    prompt_tokens: int
    first_token_s: float


@dataclass(frozen=True)
class WarmTurns:
    """The page opened (the model warmed), then everyday questions: the first one's time to
    first token, and the prompt tokens the model read anew (not from its cache) per answer."""

    warm_s: float
    first_token_s: float
    evaluated_per_answer: float
    answers: int


class _Timed(OllamaChat):
    """OllamaChat that notes when the first piece of its first reply arrived."""

    started: float | None = None
    first: float | None = None

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: Any = None, max_tokens: int | None = None) -> Iterator[ChatChunk]:
        self.started = self.started or time.perf_counter()
        for chunk in super().chat(messages, tools, stop, max_tokens):
            if self.first is None and (chunk.content or chunk.tool_calls or chunk.done):
                self.first = time.perf_counter()
            yield chunk


def unavailable() -> str | None:
    """Why the real model cannot be measured here, or None."""
    from coach.testing.realmodel_install import unavailable_reason

    reason = unavailable_reason()
    return None if reason is None else (f"{reason}; install it with `python -m "
                                        "coach.testing.realmodel install` (about 500 MB)")


def first_turn(today: date) -> FirstTurn:
    """The first request of a first question, cold (the model has read nothing yet)."""
    from coach.testing.realmodel import serve
    from coach.testing.realmodel_install import MODEL_NAME, installed_model

    with tempfile.TemporaryDirectory(prefix="coach-realmodel-") as tmp, \
            serve(installed_model(), log_path=Path(tmp) / "llama.log") as real:
        model = _Timed(real.url, MODEL_NAME, num_ctx=8192, max_tokens=64, read_timeout_s=600)
        settings = Settings(data_dir=Path(tmp), ollama_host=real.url, model=MODEL_NAME)
        with Coach(settings, model=model, today=today) as coach:
            coach.sync()
            events: list[Any] = []
            coach.ask(coach.new_conversation(), QUESTION, events.append)
    usage = next(e for e in events if isinstance(e, Usage))
    assert model.started is not None and model.first is not None
    return FirstTurn(usage.prompt_tokens or 0, model.first - model.started)


WARM_QUESTIONS = ("How was my last week of training?", "How is my fitness?",
                  "What's on my calendar for the rest of this week?")


def warm_turns(today: date, questions: tuple[str, ...] = WARM_QUESTIONS,
               model_name: str | None = None) -> WarmTurns:
    """As the page does: warm the model when the Coach page opens, then ask; the first
    question's time to first token, and what each answer cost the model to read."""
    from coach.app import warmup
    from coach.testing.realmodel import serve
    from coach.testing.realmodel_install import MODEL_NAME, installed_model

    with tempfile.TemporaryDirectory(prefix="coach-realmodel-") as tmp, \
            serve(installed_model(), log_path=Path(tmp) / "llama.log") as real:
        model = _Timed(real.url, model_name or MODEL_NAME, num_ctx=8192, max_tokens=64,
                       read_timeout_s=600)
        settings = Settings(data_dir=Path(tmp), ollama_host=real.url,
                            model=model_name or MODEL_NAME)
        with Coach(settings, model=model, today=today) as coach:
            coach.sync()
            warmup.forget()
            began = time.perf_counter()
            warmup.warm_now(coach)
            warm_s = time.perf_counter() - began
            warmed = len(real.backend.evaluated)
            conversation = coach.new_conversation()
            model.started = model.first = None
            first = 0.0
            for n, question in enumerate(questions):
                coach.ask(conversation, question, lambda e: None)
                if n == 0:
                    assert model.started is not None and model.first is not None
                    first = model.first - model.started
        read = [new for new, _ in real.backend.evaluated[warmed:]]
    return WarmTurns(warm_s, first, sum(read) / len(questions), len(questions))
