"""A model scripted as a plain function of the message history, behind the ChatModel protocol."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.errors import ModelError
from coach.model.client import ChatChunk, ModelStatus, ToolCall


@dataclass(frozen=True)
class Turn:
    """What the scripted model says: text, tool calls, or both."""

    text: str = ""
    calls: Sequence[ToolCall] = ()
    fail: str | None = None  # raise ModelError with this message instead of answering


def say(text: str) -> Turn:
    return Turn(text=text)


def call(tool: str, /, **arguments: Any) -> Turn:
    return Turn(calls=[ToolCall(tool, arguments)])


def calls(*pairs: tuple[str, dict[str, Any]]) -> Turn:
    return Turn(calls=[ToolCall(n, a) for n, a in pairs])


Script = Callable[[list[dict[str, Any]], list[dict[str, Any]]], Turn]


@dataclass
class ScriptedModel:
    script: Script
    name: str = "scripted"
    num_ctx: int = 8192
    requests: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = field(
        default_factory=list)
    caps: list[int | None] = field(default_factory=list)  # each request's max_tokens

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: Any = None, max_tokens: int | None = None) -> Iterator[ChatChunk]:
        self.requests.append(([dict(m) for m in messages], tools))
        self.caps.append(max_tokens)
        turn = self.script(messages, tools)
        if turn.fail:
            raise ModelError(turn.fail)
        for word in _words(turn.text):
            yield ChatChunk(content=word)
        yield ChatChunk(tool_calls=tuple(turn.calls), done=True, prompt_tokens=100,
                        output_tokens=20)


    def status(self) -> ModelStatus:
        return ModelStatus("scripted", True, [self.name], True, ["tools"])

    def describe_installed(self) -> dict[str, str]:
        return {self.name: f"{self.name} · scripted · tools ✓"}

    def close(self) -> None:
        """Nothing to close: no connection."""


def last_round(messages: list[dict[str, Any]]) -> bool:
    """The agent's last request of a turn: an answer is asked for (tools are still sent, so
    that every request starts alike, but calls in it are not run)."""
    return any(m["role"] == "system" and m["content"].startswith("You have used all tool")
               for m in messages[1:])


def sequence(*turns: Turn) -> Script:
    """A script that answers with the given turns in order."""
    remaining = list(turns)

    def script(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Turn:
        assert remaining, "scripted model ran out of turns"
        return remaining.pop(0)
    return script


def _words(text: str) -> list[str]:
    parts = text.split(" ")
    return [p + (" " if i < len(parts) - 1 else "") for i, p in enumerate(parts) if text]
