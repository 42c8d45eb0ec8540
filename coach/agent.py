"""The conversation loop: model → tools → model, reporting through events. No Streamlit here."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from coach.errors import CoachError
from coach.llm import ChatModel, ModelStopped, ToolCall
from coach.tools import TOOLS, Tool, ToolContext, ToolResult, call_tool, catalog

MAX_TOOL_ROUNDS = 6
MAX_PROPOSALS_PER_TURN = 14
MAX_TEXT_FIXES = 2  # after an invalid workout text, the model may try to fix it twice
INVALID_TEXT = "the workout text has problems"
GIVE_UP = ("\nThis was the last try: do not propose again in this answer; tell the athlete "
           "in words what you wanted to propose.")
HISTORY_TURNS = 10  # earlier turns keep only the athlete's words and the coach's answers
COMPACT_AT = 0.75   # past this share of num_ctx, compact before the next request
COMPACT_KEEP = 20   # when compacting: older words and answers kept, newest first
DROPPED = "[this earlier tool result was dropped to save context; call the tool again if needed]"


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

    @property
    def share(self) -> float:
        """How full the context window was after this response (the server truncates
        silently when it overflows, so we watch it ourselves)."""
        used = (self.prompt_tokens or 0) + (self.output_tokens or 0)
        return used / self.num_ctx if self.num_ctx else 0.0


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


def fit_history(messages: list[dict[str, Any]], turns: int = HISTORY_TURNS,
                keep_older: int | None = None) -> list[dict]:
    """Older turns without their tool traffic (the athlete's words and the coach's
    conclusions); the last `turns` user turns kept whole."""
    user_idx = [i for i, m in enumerate(messages) if m["role"] == "user"]
    cut = user_idx[-turns] if len(user_idx) >= turns else 0
    older = [m for m in messages[:cut]
             if m["role"] == "user" or (m["role"] == "assistant" and not m.get("tool_calls")
                                        and m.get("content"))]
    if keep_older is not None:
        older = older[-keep_older:] if keep_older else []
    recent = messages[cut:]
    return [_clean(m) for m in older + recent]


def compact_turn(messages: list[dict[str, Any]]) -> None:
    """Drop the results of this turn's earlier tool rounds; the latest round stays whole."""
    last_user = max(i for i, m in enumerate(messages) if m["role"] == "user")
    rounds = [i for i, m in enumerate(messages) if i > last_user and m.get("tool_calls")]
    if len(rounds) < 2:
        return
    for message in messages[last_user:rounds[-1]]:
        if message["role"] == "tool":
            message["content"] = DROPPED


def _clean(m: dict[str, Any]) -> dict[str, Any]:
    out = {"role": m["role"], "content": m.get("content") or ""}
    if m.get("tool_calls"):
        out["tool_calls"] = m["tool_calls"]
    if m.get("tool_name"):
        out["tool_name"] = m["tool_name"]
    return out


@dataclass
class _Turn:
    """The state of one answer in progress."""

    ctx: ToolContext
    on_event: Callable[[Event], None]
    save: Save
    messages: list[dict[str, Any]]
    proposals: list[int] = field(default_factory=list)
    invalid_texts: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    crowded: bool = False


class Stopped(CoachError):
    """The athlete stopped the answer."""

    def __init__(self, partial: str) -> None:
        super().__init__("You stopped the answer.")
        self.partial = partial


class Agent:
    """Runs one athlete turn: at most MAX_TOOL_ROUNDS rounds of tool calls, then an answer."""

    def __init__(self, model: ChatModel, system_prompt: str,
                 tools: dict[str, Tool] = TOOLS) -> None:
        self.model, self.system_prompt, self.tools = model, system_prompt, tools

    def run_turn(self, history: list[dict[str, Any]], ctx: ToolContext,
                 on_event: Callable[[Event], None], save: Save,
                 stop: threading.Event | None = None, context_used: float = 0.0) -> None:
        """`history` ends with the new user message; every new message goes to `save`.
        Setting `stop` ends the answer at the next streamed piece; what was said is kept.
        `context_used` is the share of num_ctx the previous answer filled."""
        crowded = context_used > COMPACT_AT
        fitted = fit_history(history, 1, COMPACT_KEEP) if crowded else fit_history(history)
        turn = _Turn(replace(ctx, turn=uuid.uuid4().hex), on_event, save,
                     [{"role": "system", "content": self.system_prompt}, *fitted],
                     stop=stop or threading.Event())
        try:
            self._rounds(turn)
        except Stopped as e:
            if e.partial.strip():
                save({"role": "assistant", "content": e.partial + " … (stopped)"}, None)
            on_event(AgentError("You stopped the answer."))
        except CoachError as e:
            on_event(AgentError(str(e)))

    def _rounds(self, turn: _Turn) -> None:
        hinted = False
        for round_no in range(MAX_TOOL_ROUNDS + 1):
            final = round_no == MAX_TOOL_ROUNDS
            if turn.crowded:
                compact_turn(turn.messages)
            if final:
                turn.messages.append({"role": "system", "content": _FINAL_ROUND})
            content, calls = self._ask(turn, [] if final else catalog(self.tools))
            if not calls and not final:
                calls = calls_written_as_text(content, self.tools)
                content = "" if calls else content
            calls = [] if final else calls  # tools were not offered: never run a call anyway
            if not calls and not content.strip():
                if hinted or final:
                    turn.on_event(AgentError(_EMPTY))
                    return
                hinted = True  # an empty reply: the model called a tool that does not exist
                turn.messages.append({"role": "system", "content": self._hint()})
                continue
            assistant = _assistant(content, calls)
            turn.save(assistant, None)
            turn.messages.append(assistant)
            if not calls:
                turn.on_event(TurnDone(content, tuple(turn.proposals)))
                return
            for call in calls:
                self._run_tool(turn, call)

    def _ask(self, turn: _Turn, tools: list[dict[str, Any]]) -> tuple[str, list[ToolCall]]:
        content: list[str] = []
        calls: list[ToolCall] = []
        stream = self.model.chat(turn.messages, tools, turn.stop)
        try:
            for chunk in stream:
                if turn.stop.is_set():
                    raise Stopped("".join(content))
                if chunk.content:
                    content.append(chunk.content)
                    turn.on_event(TextDelta(chunk.content))
                calls.extend(chunk.tool_calls)
                if chunk.done:
                    usage = Usage(chunk.prompt_tokens, chunk.output_tokens, self.model.num_ctx)
                    turn.crowded = usage.share > COMPACT_AT
                    turn.on_event(usage)
        except ModelStopped:
            raise Stopped("".join(content)) from None
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()  # closing the request makes Ollama stop generating
        return "".join(content), calls

    def _run_tool(self, turn: _Turn, call: ToolCall) -> None:
        turn.on_event(ToolStarted(call.name, call.arguments))
        result = self._refusal(turn, call) or call_tool(turn.ctx, call.name, call.arguments,
                                                         self.tools)
        if call.name.startswith("propose") and INVALID_TEXT in result.text:
            turn.invalid_texts += 1
            if turn.invalid_texts > MAX_TEXT_FIXES:
                result = ToolResult(result.text + GIVE_UP, ok=False)
        if result.proposal_id is not None:
            turn.proposals.append(result.proposal_id)
        turn.on_event(ToolFinished(call.name, call.arguments, result.text, result.ok,
                                   result.proposal_id))
        message = {"role": "tool", "tool_name": call.name, "content": result.text}
        turn.save(message, result.proposal_id)
        turn.messages.append(message)

    def _refusal(self, turn: _Turn, call: ToolCall) -> ToolResult | None:
        """Limits that protect the athlete from a runaway or manipulated model."""
        if not call.name.startswith("propose"):
            return None
        if len(turn.proposals) >= MAX_PROPOSALS_PER_TURN:
            return ToolResult(f"Error: at most {MAX_PROPOSALS_PER_TURN} proposals per answer; "
                              "stop proposing and summarise.", ok=False)
        if turn.invalid_texts > MAX_TEXT_FIXES:
            return ToolResult("Error: no more proposals in this answer: the workout text was "
                              "still invalid after 2 fixes. Explain the workout in words.",
                              ok=False)
        return None

    def _hint(self) -> str:
        return (f"Your last reply was empty. The only tools are: {', '.join(self.tools)}. "
                "Call one of them, or answer in plain text.")


_EMPTY = "The model gave an empty answer; try asking again in other words."
_FINAL_ROUND = ("You have used all tool calls for this answer. Answer the athlete now in plain "
                "text with what you found; do not call tools.")


_WRAPPERS = re.compile(r"^\s*(?:```(?:json)?|<tool_call>)\s*|\s*(?:```|</tool_call>)\s*$")


def calls_written_as_text(content: str, tools: dict[str, Tool]) -> list[ToolCall]:
    """Some models write a tool call as JSON text instead of calling it. Only a reply that is
    nothing but such calls, each naming a real tool, is taken as calls."""
    text = _WRAPPERS.sub("", content.strip())
    if not text.startswith(("{", "[")):
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    calls = [_text_call(item, tools) for item in items]
    return [c for c in calls if c is not None] if all(calls) and calls else []


def _text_call(item: Any, tools: dict[str, Tool]) -> ToolCall | None:
    if not isinstance(item, dict):
        return None
    item = item.get("function", item)
    name = item.get("name") if isinstance(item, dict) else None
    arguments = item.get("arguments", item.get("parameters", {})) if name else None
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return None
    if name not in tools or not isinstance(arguments, dict):
        return None
    return ToolCall(name, arguments)


def _assistant(content: str, calls: Iterable[ToolCall]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    calls = list(calls)
    if calls:
        message["tool_calls"] = [{"function": {"name": c.name, "arguments": c.arguments}}
                                 for c in calls]
    return message
