"""What the fake Ollama answers a chat with: a scripted `Reply` turned into the NDJSON lines of
a streamed answer (thinking, content in word-boundary pieces, tool calls, metrics), or the one
object a `stream: false` request gets. The `Reply` fields past `thinking` simulate misbehaving
servers.
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass
class Reply:
    """One scripted model turn; the fields past `thinking` simulate misbehaving servers."""

    content: str = ""
    tool_calls: Sequence[dict[str, Any]] = ()  # each {"name": str, "arguments": dict}
    thinking: str = ""  # sent only when thinking is on (think true, or omitted on a thinking model)
    calls_in_final_chunk: bool = False  # builtin-parser behaviour: calls ride on the done chunk
    error_after_chunks: int | None = None  # {"error": ...} line after N content chunks, HTTP 200
    error_message: str = "an error was encountered while running the model: unexpected EOF"
    stop_without_done: bool = False  # the stream ends without a done:true line
    delay_s: float = 0.0  # before the response headers, like a slow first token
    chunk_delay_s: float = 0.0  # between streamed lines
    prompt_eval_count: int | None = None  # default: len(json of messages and tools) // 4
    eval_count: int | None = None


class ApiError(Exception):
    """An error the real server would answer with `{"error": message}` and an HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def pieces(text: str) -> list[str]:
    """Split text on word boundaries into 3-8 pieces (fewer for short text) that join back."""
    words = re.split(r"(?<=\s)(?=\S)", text) if text else []
    n = min(len(words), max(3, min(8, len(words) // 3)))
    bounds = [round(i * len(words) / n) for i in range(n + 1)] if n else []
    return ["".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def tool_calls_of(reply: Reply) -> list[dict[str, Any]]:
    alphabet = string.ascii_lowercase + string.digits
    return [
        {
            "id": "call_" + "".join(random.choices(alphabet, k=8)),
            "function": {"index": i, "name": c["name"], "arguments": c.get("arguments", {})},
        }
        for i, c in enumerate(reply.tool_calls)
    ]


def stream_events(reply: Reply, body: dict[str, Any],
                  thinking_on: bool) -> Iterator[dict[str, Any]]:
    """The NDJSON lines of one streamed reply: thinking, content, tool calls, then metrics."""

    def chunk(done: bool = False, **message: Any) -> dict[str, Any]:
        created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        return {
            "model": body["model"],
            "created_at": created,
            "message": {"role": "assistant", "content": "", **message},
            "done": done,
        }

    thinking = reply.thinking if thinking_on else ""
    for piece in pieces(thinking):
        yield chunk(thinking=piece)
    content = pieces(reply.content)
    for n, piece in enumerate(content):
        if n == reply.error_after_chunks:
            break
        yield chunk(content=piece)
    if reply.error_after_chunks is not None:
        yield {"error": reply.error_message}
        return
    calls = tool_calls_of(reply)
    if calls and not reply.calls_in_final_chunk:
        yield chunk(tool_calls=calls)
    if not reply.stop_without_done:
        final = chunk(done=True, **({"tool_calls": calls} if reply.calls_in_final_chunk else {}))
        yield {**final, "done_reason": "stop", **metrics(reply, body, thinking)}


def metrics(reply: Reply, body: dict[str, Any], thinking: str) -> dict[str, int]:
    """Token counts (rough estimates unless scripted) and durations in nanoseconds."""
    prompt = reply.prompt_eval_count
    if prompt is None:
        prompt = len(json.dumps([body.get("messages"), body.get("tools")])) // 4
    evals = reply.eval_count
    if evals is None:
        evals = max(1, len(thinking + reply.content + json.dumps(list(reply.tool_calls))) // 4)
    load, prompt_ns, eval_ns = 1_000_000, prompt * 200_000, evals * 20_000_000
    return {
        "total_duration": load + prompt_ns + eval_ns,
        "load_duration": load,
        "prompt_eval_count": prompt,
        "prompt_eval_duration": prompt_ns,
        "eval_count": evals,
        "eval_duration": eval_ns,
    }


def aggregate(events: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """What a stream:false request gets: one object with everything concatenated."""
    result: dict[str, Any] = {}
    message: dict[str, Any] = {"role": "assistant", "content": "", "tool_calls": []}
    for event in events:
        if "error" in event:
            raise ApiError(500, event["error"])
        part = event["message"]
        message["content"] += part["content"]
        if part.get("thinking"):
            message["thinking"] = message.get("thinking", "") + part["thinking"]
        message["tool_calls"] += part.get("tool_calls", [])
        result = event
    if not message["tool_calls"]:
        del message["tool_calls"]
    return {**result, "message": message, "done": True}
