"""What a small model has to read: the first turn's size, and how much of each request repeats
the one before it as an unchanged prefix (so the model server can reuse what it already read).

A laptop CPU reads roughly 150 prompt tokens a second before the model writes a word, so every
character of the first turn is waiting time, and a prefix that changes costs a full re-read.
Measured through the same Coach, agent and real `ollama` client as the page, against the fake
Ollama server (which counts prompt tokens as a quarter of the characters it receives).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from coach.agent.loop import Compacted
from coach.agent.tools import call_tool, catalog
from coach.app.session import Coach
from coach.scope import Scope
from coach.settings import Settings
from coach.testing.ollama_server import FakeOllama, Reply

NUM_CTX = 8192
QUESTIONS = [  # (the athlete's question, the tool a good coach calls for it)
    ("How was my last week?", "training_summary", {"weeks": 2}),
    ("How is my form?", "fitness_trend", {"days": 42}),
    ("Why is my HRV down?", "wellness_trend", {"days": 14}),
    ("What did I do this month?", "list_activities", {"start": -30, "end": 0}),
    ("What is planned next?", "planned_workouts", {"start": 0, "end": 14}),
    ("What are my zones?", "athlete_profile", {}),
    ("What are my best efforts?", "best_efforts", {}),
]


@dataclass(frozen=True)
class PromptFigures:
    first_turn_chars: int
    worst_unshared_pct: float       # of the previous request, compacting turn aside
    compactions: list[int]          # the turns that compacted
    requests: int


def first_turn_chars(coach: Coach, today: date) -> int:
    """System prompt with the athlete card, the tool catalog, and the first tool result of
    "How was my last week?"."""
    ctx = Scope(coach.store, coach.athlete_id or "", today)
    result = call_tool(ctx, "training_summary", {"weeks": 2}).text
    return len(coach.system_prompt(ctx)) + len(json.dumps(catalog())) + len(result)


def conversation(turns: int = 20, today: date | None = None) -> PromptFigures:
    """A 20-turn conversation on the demo athlete that fills the context past the compaction
    threshold; every request the model receives is compared with the one before it."""
    with tempfile.TemporaryDirectory(prefix="coach-prompt-") as tmp, \
            FakeOllama(script=_coach) as fake:
        settings = Settings(data_dir=Path(tmp), ollama_host=fake.url, num_ctx=NUM_CTX,
                            model="qwen3:8b")
        with Coach(settings, today=today) as coach:
            coach.sync()
            first = first_turn_chars(coach, coach.today())
            compactions, starts = _talk(coach, turns, lambda: len(fake.chat_requests))
        bodies = list(fake.chat_requests)
    shares = [_shared(a, b) for a, b in zip(bodies, bodies[1:], strict=False)]
    kept = [s for i, s in enumerate(shares, start=1)
            if not (i in starts and starts.index(i) in compactions)]
    return PromptFigures(first, round(100 * (1 - min(kept)), 2), compactions, len(bodies))


def _talk(coach: Coach, turns: int, sent: Callable[[], int]) -> tuple[list[int], list[int]]:
    """Ask the questions in turn: the turns that compacted, and each turn's first request."""
    conversation_id = coach.new_conversation()
    compactions, starts = [], []
    for n in range(turns):
        question = QUESTIONS[n % len(QUESTIONS)][0]
        events: list[Any] = []
        starts.append(sent())
        coach.ask(conversation_id, question, events.append)
        if any(isinstance(e, Compacted) for e in events):
            compactions.append(n)
    return compactions, starts


def _coach(body: dict[str, Any]) -> Reply:
    """Each question: its tool (unless the product ran it first), then an answer quoting the
    last result's second line."""
    messages = [m for m in body["messages"][1:] if m["role"] != "system"]  # not the notes
    last = messages[-1]
    if last["role"] == "user":
        _, tool, arguments = next(q for q in QUESTIONS if q[0] == last["content"])
        return Reply(tool_calls=[{"name": tool, "arguments": _dated(arguments, body)}])
    lines = (last.get("content") or "").splitlines()
    return Reply(content="From your data: " + (lines[1] if len(lines) > 1 else lines[0]))


def _dated(arguments: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    from coach.testing.coach_script import today_from

    today = today_from(body)
    return {k: (today.fromordinal(today.toordinal() + v).isoformat()
                if k in ("start", "end") else v) for k, v in arguments.items()}


def _shared(before: dict[str, Any], after: dict[str, Any]) -> float:
    """Share of the previous request that the next one repeats unchanged, from its start."""
    a, b = _wire(before), _wire(after)
    return len(os.path.commonprefix([a, b])) / len(a) if a else 1.0


def _wire(body: dict[str, Any]) -> str:
    return json.dumps(body.get("tools") or []) + json.dumps(body["messages"])
