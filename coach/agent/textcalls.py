"""What small models write instead of calling a tool, read back as calls (pure, no I/O).

Local 0.5–8B models often print a tool call as text: one or several JSON objects (one per line
or in an array), a fenced ```json block, <tool_call> tags, a `functions.NAME:` prefix, with
`parameters` instead of `arguments`, arguments as a JSON string. Some echo their own tool
catalog or system prompt, or think aloud in <think> tags. None of that may reach the athlete:
calls are taken out and run (or answered with an error), the rest is judged separately.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from coach.records import ToolCall

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.I)
_TAGGED = re.compile(r"<(tool_call|function_call|tools?)>\s*(.*?)\s*(?:</\1>|$)", re.S | re.I)
_FENCED = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)(?:```|$)", re.S)
_FUNCTIONS = re.compile(r"\bfunctions\.([A-Za-z_]\w*)\s*[:(]\s*")
NAME_KEYS = ("name", "tool", "tool_name", "function_name")
ARGUMENT_KEYS = ("arguments", "parameters", "args", "input")
# What only a tool catalog or our prompt would contain: a reply holding these echoes them.
ECHO_MARKERS = ('"type": "function"', '"type":"function"', "<tools>", '"parameters": {',
                "Athlete card:", "How you work:")


@dataclass(frozen=True)
class TextCalls:
    """Calls found in a reply's text: to our tools, to tools that do not exist, and the prose
    that is left once they are taken out."""

    calls: list[ToolCall] = field(default_factory=list)
    unknown: list[ToolCall] = field(default_factory=list)
    prose: str = ""

    @property
    def found(self) -> bool:
        return bool(self.calls or self.unknown)


def without_thinking(text: str) -> str:
    """A reply without its <think>…</think> block (a reasoning model thinking in the content)."""
    return _THINK.sub("", text).strip() if "<think>" in text.lower() else text


def read_calls(content: str, tool_names: Collection[str]) -> TextCalls:
    """Take every tool call written as text out of `content`."""
    text = without_thinking(content)
    calls: list[ToolCall] = []
    unknown: list[ToolCall] = []
    spans: list[tuple[int, int]] = []
    for start, end, value in _candidates(text):
        found = list(_as_calls(value))
        if not found:
            continue
        spans.append((start, end))
        for call in found:
            (calls if call.name in tool_names else unknown).append(call)
    prose = _cut(text, spans)
    return TextCalls(calls, unknown, _tidy(prose))


def echoes_instructions(content: str, system_prompt: str = "") -> bool:
    """True when a reply repeats the tool catalog or the system prompt instead of answering."""
    if any(marker in content for marker in ECHO_MARKERS):
        return True
    long_lines = [line.strip() for line in system_prompt.splitlines() if len(line.strip()) > 40]
    return sum(1 for line in long_lines if line in content) >= 2


ECHO_RUN = 6       # words in a row of a note to the model…
ECHO_COVER = 0.5   # …covering this share of a reply: the note said back, not an answer


def echoes_notes(content: str, notes: Collection[str]) -> bool:
    """True when most of a reply is the product's notes to the model said back ("The coach
    read the data above for this question. Answer from it…"), a small model's habit."""
    said = words(content)
    runs = {tuple(w[i:i + ECHO_RUN]) for w in map(words, notes)
            for i in range(len(w) - ECHO_RUN + 1)}
    covered = {j for i in range(len(said) - ECHO_RUN + 1)
               if tuple(said[i:i + ECHO_RUN]) in runs for j in range(i, i + ECHO_RUN)}
    return bool(said) and len(covered) >= ECHO_COVER * len(said)


# What only a proposal's tool result says to the model (how the card works, what to fix, the
# planned workout's id): an answer holding one of these copied the result instead of explaining.
TOOL_NOTE_MARKERS = ("sees it with Confirm and Reject buttons", "To fix:",
                     "the card shows the athlete:", "Say this in your answer", "[event_id ")


def copies_tool_notes(content: str) -> bool:
    """True for a reply that copies a proposal's result, notes to the model included."""
    return any(marker in content for marker in TOOL_NOTE_MARKERS)


def only_names(content: str, names: Collection[str]) -> bool:
    """True for a reply that is nothing but a name ("Alex Demo"): the athlete card read back."""
    said = set(words(content))
    return bool(said) and any(said <= set(words(name)) for name in names if name)


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _candidates(text: str) -> Iterator[tuple[int, int, Any]]:
    """(start, end, JSON value) for every JSON object or array in the text, inside tags and
    fences or bare, and `functions.NAME: {args}` written out."""
    taken: list[tuple[int, int]] = []
    for pattern in (_TAGGED, _FENCED):
        for m in pattern.finditer(text):
            if pattern is _TAGGED and m.group(1).lower().startswith("tools"):
                taken.append((m.start(), m.end()))  # the catalog echoed: judged as an echo
                continue
            body = m.group(m.lastindex or 0)
            values = list(_json_values(body))
            if values:
                taken.append((m.start(), m.end()))
                for value in values:
                    yield m.start(), m.end(), value
    for m in _FUNCTIONS.finditer(text):
        if _inside(m.start(), taken):
            continue
        value, end = _decode_at(text, m.end())
        if isinstance(value, dict):
            taken.append((m.start(), end))
            yield m.start(), end, {"name": m.group(1), "arguments": value}
    yield from _bare_json(text, taken)


def _bare_json(text: str, taken: list[tuple[int, int]]) -> Iterator[tuple[int, int, Any]]:
    i = 0
    while i < len(text):
        if text[i] in "{[" and not _inside(i, taken):
            value, end = _decode_at(text, i)
            if value is not None:
                yield i, end, value
                i = end
                continue
        i += 1


def _json_values(body: str) -> Iterator[Any]:
    i = 0
    while i < len(body):
        if body[i] in "{[":
            value, end = _decode_at(body, i)
            if value is not None:
                yield value
                i = end
                continue
        i += 1


def _decode_at(text: str, start: int) -> tuple[Any, int]:
    try:
        value, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None, start
    return value, end


def _as_calls(value: Any) -> Iterator[ToolCall]:
    """Tool calls in one JSON value: an object, a list of them, or {"tool_calls": [...]}."""
    if isinstance(value, list):
        for element in value:
            yield from _as_calls(element)
        return
    if not isinstance(value, dict):
        return
    if isinstance(value.get("tool_calls"), list):
        yield from _as_calls(value["tool_calls"])
        return
    function = value.get("function")
    item: dict[str, Any] = function if isinstance(function, dict) else value
    if _schema(item):
        return  # an entry of the tool catalog, echoed: not a call
    name = next((item[k] for k in NAME_KEYS if isinstance(item.get(k), str)), None)
    if not name:
        return
    arguments: Any = next((item[k] for k in ARGUMENT_KEYS if k in item), {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments or "{}")
        except ValueError:
            arguments = {"_unreadable": arguments}
    yield ToolCall(name, arguments if isinstance(arguments, dict) else {"_value": arguments})


def _schema(item: dict[str, Any]) -> bool:
    """A tool's description (name, description, parameters schema) rather than a call."""
    parameters = item.get("parameters")
    return "description" in item or (isinstance(parameters, dict) and
                                     ("properties" in parameters or "type" in parameters))


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    kept, last = [], 0
    for start, end in sorted(set(spans)):
        if start >= last:
            kept.append(text[last:start])
            last = end
    kept.append(text[last:])
    return "".join(kept)


def _tidy(text: str) -> str:
    text = re.sub(r"```[a-zA-Z]*\s*```", "", text)          # a fence emptied of its call
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


_SEGMENT = re.compile(r"[^.!?\n]+[.!?\n]*")
REPEATED = 3          # a sentence or line said this often: the reply goes in circles
MIN_REPEAT = 12       # …when it has at least this many characters
TAIL = 40             # the last characters: said this often, a loop without full stops


def repeats_from(text: str) -> int | None:
    """Where a reply starts repeating itself (the second time a sentence or line it says
    three times begins, or its last 40 characters written three times), else None."""
    seen: dict[str, list[int]] = {}
    for m in _SEGMENT.finditer(text):
        key = " ".join(m.group().split()).lower()
        if len(key) < MIN_REPEAT:
            continue
        starts = seen.setdefault(key, [])
        starts.append(m.start() + len(m.group()) - len(m.group().lstrip()))
        if len(starts) >= REPEATED:
            return starts[1]
    tail = text[-TAIL:]
    if len(text) > 5 * TAIL and tail.strip() and text.count(tail) >= REPEATED:
        return text.find(tail, text.find(tail) + 1)
    return None


CALL_SYNTAX = ('"name":', '"arguments":', '"parameters":', "<tool_call>", "</tool_call>",
               "functions.")


def not_an_answer(text: str) -> bool:
    """True for a reply that is JSON or tool-call syntax, whole or cut off (a model that ran
    out of tokens mid-call): never something to show the athlete."""
    body = _FENCED.sub(lambda m: m.group(1), text).strip()
    return only_json(text) or body[:1] in ("{", "[") or any(s in text for s in CALL_SYNTAX)


def only_json(text: str) -> bool:
    """True for a reply that is nothing but JSON (or a fenced block of it): never an answer."""
    body = _FENCED.sub(lambda m: m.group(1), text).strip()
    if not body or body[0] not in "{[":
        return False
    rest = body
    while rest:
        value, end = _decode_at(rest, 0)
        if value is None:
            return False
        rest = rest[end:].strip()
    return True


class StreamGate:
    """Lets prose stream to the athlete as it arrives, and holds back a reply from the first
    line that starts like a tool call, JSON or thinking: that text is judged when it is whole."""

    MARKERS = ("{", "[", "```", "<tool", "<function", "functions.", "<think", '"name"')

    def __init__(self) -> None:
        self.line = ""
        self.prose_line = False  # the current line is known to be prose
        self.holding = False

    def feed(self, text: str) -> str:
        """The part of `text` that may be shown now."""
        out: list[str] = []
        for piece in re.split(r"(\n)", text):
            if self.holding:
                break
            if piece == "\n":
                self._end_line(out)
            elif self.prose_line:
                out.append(piece)
            elif piece:
                self.line += piece
                self._judge_line(out)
        return "".join(out)

    def close(self) -> str:
        """What is left at the end of the reply, if it is prose."""
        if self.holding or self.prose_line or self._call_like(self.line.lstrip()):
            return ""
        rest, self.line = self.line, ""
        return rest

    def _judge_line(self, out: list[str]) -> None:
        start = self.line.lstrip()
        if self._call_like(start):
            self.holding = True
        elif start and not any(m.startswith(start) for m in self.MARKERS):
            out.append(self.line)
            self.line, self.prose_line = "", True

    def _end_line(self, out: list[str]) -> None:
        if not self.prose_line and self._call_like(self.line.lstrip()):
            self.holding = True
            return
        if not self.prose_line:
            out.append(self.line)
        out.append("\n")
        self.line, self.prose_line = "", False

    def _call_like(self, start: str) -> bool:
        return any(start.startswith(m) for m in self.MARKERS)
