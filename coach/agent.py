"""The conversation loop: model → tools → model, reporting through events. No Streamlit here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from coach.errors import CoachError
from coach.llm import ChatModel, ToolCall
from coach.tools import TOOLS, Tool, ToolContext, ToolResult, call_tool, catalog

MAX_TOOL_ROUNDS = 6
MAX_PROPOSALS_PER_TURN = 14
HISTORY_TURNS = 10  # earlier turns keep only the athlete's words and the coach's answers


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class ToolStarted:
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ToolFinished:
    name: str
    arguments: dict[str, Any]
    result: str
    ok: bool
    proposal_id: int | None


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int | None
    output_tokens: int | None
    num_ctx: int


@dataclass(frozen=True)
class AgentError:
    message: str


@dataclass(frozen=True)
class TurnDone:
    text: str
    proposal_ids: tuple[int, ...]


Event = TextDelta | ToolStarted | ToolFinished | Usage | AgentError | TurnDone
Save = Callable[[dict[str, Any], int | None], None]


def load_prompt(name: str) -> str:
    return resources.files("prompts").joinpath(name).read_text(encoding="utf-8")


def fit_history(messages: list[dict[str, Any]], turns: int = HISTORY_TURNS) -> list[dict]:
    """Older turns without their tool traffic; the last `turns` user turns kept whole."""
    user_idx = [i for i, m in enumerate(messages) if m["role"] == "user"]
    cut = user_idx[-turns] if len(user_idx) >= turns else 0
    older = [m for m in messages[:cut]
             if m["role"] == "user" or (m["role"] == "assistant" and not m.get("tool_calls")
                                        and m.get("content"))]
    recent = messages[cut:]
    return [_clean(m) for m in older + recent]


def _clean(m: dict[str, Any]) -> dict[str, Any]:
    out = {"role": m["role"], "content": m.get("content") or ""}
    if m.get("tool_calls"):
        out["tool_calls"] = m["tool_calls"]
    if m.get("tool_name"):
        out["tool_name"] = m["tool_name"]
    return out


class Agent:
    """Runs one athlete turn: at most MAX_TOOL_ROUNDS rounds of tool calls, then an answer."""

    def __init__(self, model: ChatModel, system_prompt: str,
                 tools: dict[str, Tool] = TOOLS) -> None:
        self.model, self.system_prompt, self.tools = model, system_prompt, tools

    def run_turn(self, history: list[dict[str, Any]], ctx: ToolContext,
                 on_event: Callable[[Event], None], save: Save) -> None:
        """`history` ends with the new user message; every new message goes to `save`."""
        messages = [{"role": "system", "content": self.system_prompt}, *fit_history(history)]
        proposals: list[int] = []
        hinted = False
        try:
            for round_no in range(MAX_TOOL_ROUNDS + 1):
                tools = catalog(self.tools) if round_no < MAX_TOOL_ROUNDS else []
                if not tools:
                    messages.append({"role": "system", "content": _FINAL_ROUND})
                content, calls = self._ask(messages, tools, on_event)
                if not calls and not content.strip() and not hinted:
                    hinted = True  # an empty reply: the model called a tool that does not exist
                    messages.append({"role": "system", "content": self._hint()})
                    continue
                assistant = _assistant(content, calls)
                save(assistant, None)
                messages.append(assistant)
                if not calls:
                    on_event(TurnDone(content, tuple(proposals)))
                    return
                for call in calls:
                    result = self._run_tool(ctx, call, len(proposals), on_event)
                    if result.proposal_id is not None:
                        proposals.append(result.proposal_id)
                    tool_message = {"role": "tool", "tool_name": call.name, "content": result.text}
                    save(tool_message, result.proposal_id)
                    messages.append(tool_message)
        except CoachError as e:
            on_event(AgentError(str(e)))

    def _ask(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             on_event: Callable[[Event], None]) -> tuple[str, list[ToolCall]]:
        content: list[str] = []
        calls: list[ToolCall] = []
        for chunk in self.model.chat(messages, tools):
            if chunk.content:
                content.append(chunk.content)
                on_event(TextDelta(chunk.content))
            calls.extend(chunk.tool_calls)
            if chunk.done:
                on_event(Usage(chunk.prompt_tokens, chunk.output_tokens, self.model.num_ctx))
        return "".join(content), calls

    def _run_tool(self, ctx: ToolContext, call: ToolCall, proposals_so_far: int,
                  on_event: Callable[[Event], None]) -> ToolResult:
        on_event(ToolStarted(call.name, call.arguments))
        if call.name.startswith("propose") and proposals_so_far >= MAX_PROPOSALS_PER_TURN:
            result = ToolResult(f"Error: at most {MAX_PROPOSALS_PER_TURN} proposals per answer; "
                                "stop proposing and summarise.", ok=False)
        else:
            result = call_tool(ctx, call.name, call.arguments, self.tools)
        on_event(ToolFinished(call.name, call.arguments, result.text, result.ok,
                              result.proposal_id))
        return result

    def _hint(self) -> str:
        return (f"Your last reply was empty. The only tools are: {', '.join(self.tools)}. "
                "Call one of them, or answer in plain text.")


_FINAL_ROUND = ("You have used all tool calls for this answer. Answer the athlete now in plain "
                "text with what you found; do not call tools.")


def _assistant(content: str, calls: Iterable[ToolCall]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    calls = list(calls)
    if calls:
        message["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}}
                                 for c in calls]
    return message
