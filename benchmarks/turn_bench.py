"""Figure 4: what a turn costs besides the model, with a scripted model making 3 tool calls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from benchmarks.athlete import ATHLETE_ID
from benchmarks.figures import BenchmarkError
from coach.agent.loop import AgentError, ToolFinished, TurnDone, TurnEvent
from coach.app.session import Coach
from coach.model.client import ChatChunk, ModelStatus
from coach.settings import Settings
from coach.testing.intervals_fake import API_KEY
from coach.testing.scripted_model import ScriptedModel, Turn, calls, say

QUESTION = "Am I ready for my race?"
TOOL_CALLS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("athlete_profile", {}), ("fitness_trend", {"days": 42}), ("training_summary", {"weeks": 4}))
ANSWER = ("You are ready: your fitness is at its peak for the year, you are fresh, and the last "
          "four weeks were consistent. Keep this week easy and sharpen with short efforts.")


def three_tool_calls(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Turn:
    """The model asks for three tools, then answers."""
    return calls(*TOOL_CALLS) if messages[-1]["role"] == "user" else say(ANSWER)


class TimedModel:
    """The scripted model, keeping the time spent inside it apart from ours."""

    def __init__(self) -> None:
        self.inner = ScriptedModel(three_tool_calls)
        self.name, self.num_ctx = self.inner.name, self.inner.num_ctx
        self.seconds = 0.0

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: Any = None, max_tokens: int | None = None) -> Iterator[ChatChunk]:
        started = time.perf_counter()
        chunks = list(self.inner.chat(messages, tools, max_tokens=max_tokens))
        self.seconds += time.perf_counter() - started
        return iter(chunks)

    def status(self) -> ModelStatus:
        return self.inner.status()

    def describe_installed(self) -> dict[str, str]:
        return self.inner.describe_installed()

    def close(self) -> None:
        self.inner.close()


def turn_overheads(data_dir: Path, today: date, turns: int) -> list[float]:
    """Seconds per turn, model time excluded, for `turns` turns of one new conversation.
    Each turn is what the page's answer thread does: a Coach of its own (settings, store),
    the athlete's message saved, the system prompt built, the agent run, every message saved."""
    settings = Settings(data_dir=data_dir, api_key=SecretStr(API_KEY), api_key_source="env",
                        intervals_url="http://127.0.0.1:9", athlete_id=ATHLETE_ID)
    with Coach(settings, today=today) as coach:
        conversation_id = coach.new_conversation()
    return [_one_turn(settings, today, conversation_id) for _ in range(turns)]


def _one_turn(settings: Settings, today: date, conversation_id: int) -> float:
    model, events = TimedModel(), list[TurnEvent]()
    started = time.perf_counter()
    with Coach(settings, model=model, today=today) as coach:
        coach.ask(conversation_id, QUESTION, events.append)
    seconds = time.perf_counter() - started - model.seconds
    _check(events)
    return seconds


def _check(events: list[TurnEvent]) -> None:
    """A turn that failed measures nothing: say why."""
    errors = [e.message for e in events if isinstance(e, AgentError)]
    failed = [f"{e.name}: {e.result}" for e in events if isinstance(e, ToolFinished) and not e.ok]
    finished = [e for e in events if isinstance(e, ToolFinished)]
    if errors or failed or len(finished) != len(TOOL_CALLS) or \
            not any(isinstance(e, TurnDone) for e in events):
        raise BenchmarkError(f"the scripted turn did not complete: {errors + failed}")
