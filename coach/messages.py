"""Conversations and their messages, typed, from the store through the agent to the page: who speaks
(`Role`), what is said, the tool calls an answer makes, and what is kept with an answer
(`AnswerMeta`: its grounding check, or that the model managed none); and athlete-written text
quoted for the model as data (`quote`). Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from coach.records import ToolCall


class Role(StrEnum):
    SYSTEM = "system"        # the system prompt, and our hints during an answer
    USER = "user"            # the athlete
    ASSISTANT = "assistant"  # the coach: text, tool calls, or both
    TOOL = "tool"            # a tool's result


@dataclass(frozen=True)
class AnswerMeta:
    """What is kept with an answer besides its text."""

    grounding: str | None = None     # its figures checked (`Grounding.to_json()`)
    first_answer: str | None = None  # the answer before its figures were sent back to be checked
    fallback: bool = False           # the model managed no answer: the text is our sentence
    sent: tuple[str, ...] = ()       # …and what the model sent instead
    focused: bool = False            # written by the model in a short request of its own
    added: str | None = None         # the product's own words after the model's (see `Agent`)

    def to_json(self) -> dict[str, Any]:
        """Only what is set (an empty dict for a message without meta)."""
        out: dict[str, Any] = {}
        if self.grounding is not None:
            out["grounding"] = self.grounding
        if self.first_answer is not None:
            out["first_answer"] = self.first_answer
        if self.fallback:
            out |= {"fallback": True, "sent": list(self.sent)}
        if self.focused:
            out["focused"] = True
        if self.added is not None:
            out["added"] = self.added
        return out

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> AnswerMeta:
        value = value or {}
        return cls(value.get("grounding"), value.get("first_answer"),
                   bool(value.get("fallback")), tuple(value.get("sent") or ()),
                   bool(value.get("focused")), value.get("added"))


@dataclass(frozen=True)
class Conversation:
    """One conversation of one athlete, and how full the model's context was after its last
    answer (`context_tokens` of `num_ctx`); messages before `compacted_before` are compacted."""

    id: int
    athlete_id: str
    title: str
    created_at: str
    updated_at: str
    context_tokens: int | None = None
    num_ctx: int | None = None
    compacted_before: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Conversation:
        return cls(row["id"], row["athlete_id"], row["title"], row["created_at"],
                   row["updated_at"], row.get("context_tokens"), row.get("num_ctx"),
                   row.get("compacted_before"))


@dataclass(frozen=True)
class Message:
    """One message; those read from the store carry their `id`, conversation and proposal."""

    role: Role
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    tool_name: str | None = None     # of a tool result
    meta: AnswerMeta = field(default_factory=AnswerMeta)
    id: int | None = None
    conversation_id: int | None = None
    proposal_id: int | None = None   # the proposal a tool result made
    note_id: int | None = None       # the athlete note a tool result proposed

    def to_chat(self) -> dict[str, Any]:
        """The message as the model's chat API reads it (Ollama's format)."""
        out: dict[str, Any] = {"role": self.role.value, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = calls_to_json(self.tool_calls)
        if self.tool_name:
            out["tool_name"] = self.tool_name
        return out


def calls_to_json(calls: tuple[ToolCall, ...]) -> list[dict[str, Any]]:
    return [{"function": {"name": c.name, "arguments": c.arguments}} for c in calls]


def calls_from_json(value: list[dict[str, Any]] | None) -> tuple[ToolCall, ...]:
    return tuple(ToolCall(c["function"]["name"], c["function"].get("arguments") or {})
                 for c in value or [])


def quote(text: str) -> str:
    """Athlete-written text as a JSON string, so it reads as data rather than instructions."""
    return json.dumps(" ".join(text.split())[:120], ensure_ascii=False)
