"""Ollama's chat API <-> the OpenAI one llama.cpp serves: requests and messages one way, streamed
deltas and tool calls back as Ollama's NDJSON lines, and the errors Ollama answers with. No I/O
(only the clock, for timestamps and durations)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .ollama_http import ROLES, STRING_ARGUMENTS_ERROR

DEFAULT_TEMPERATURE = 0.0  # when a request sets none: repeatable runs

# Ollama option -> llama.cpp /v1/chat/completions field (num_ctx is a load option: see Backend).
SAMPLING_OPTIONS = {
    "temperature": "temperature", "num_predict": "max_tokens", "seed": "seed", "top_k": "top_k",
    "top_p": "top_p", "min_p": "min_p", "typical_p": "typical_p", "stop": "stop",
    "repeat_penalty": "repeat_penalty", "repeat_last_n": "repeat_last_n",
    "presence_penalty": "presence_penalty", "frequency_penalty": "frequency_penalty",
}


class ApiError(Exception):
    """An error that Ollama answers with `{"error": message}` and an HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def openai_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ollama chat messages -> OpenAI ones: arguments objects become JSON strings, and each
    tool result gets the id of the earliest pending call of the same name (Ollama matches by
    order and `tool_name`; its Python client sends no ids)."""
    out: list[dict[str, Any]] = []
    pending: list[tuple[str, str]] = []  # (id, name) of calls not yet answered
    for n, message in enumerate(messages):
        role = str(message.get("role", "")).lower()
        if role not in ROLES:
            raise ApiError(400, f"invalid role: {message.get('role')!r}")
        item: dict[str, Any] = {"role": role, "content": message.get("content") or ""}
        if role == "assistant" and message.get("tool_calls"):
            item["tool_calls"] = _openai_calls(message["tool_calls"], n)
            pending = [(c["id"], c["function"]["name"]) for c in item["tool_calls"]]
        if role == "tool":
            item.update(_tool_result_ids(message, pending, n))
        out.append(item)
    return out


def _openai_calls(calls: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    out = []
    for i, call in enumerate(calls):
        function = call.get("function") or {}
        arguments = function.get("arguments", {})
        if not isinstance(arguments, dict):
            raise ApiError(400, STRING_ARGUMENTS_ERROR)
        out.append({"id": call.get("id") or f"call_{n}_{i}", "type": "function",
                    "function": {"name": function.get("name", ""),
                                 "arguments": json.dumps(arguments, ensure_ascii=False)}})
    return out


def _tool_result_ids(message: dict[str, Any], pending: list[tuple[str, str]],
                     n: int) -> dict[str, str]:
    name = message.get("tool_name") or message.get("name") or ""
    match = next((p for p in pending if p[1] == name), pending[0] if pending else None)
    if match is not None:
        pending.remove(match)
    call_id = message.get("tool_call_id") or (match[0] if match else f"call_{n}")
    return {"tool_call_id": call_id, "name": name or (match[1] if match else "")}


def openai_request(body: dict[str, Any], seed: int) -> dict[str, Any]:
    """An Ollama /api/chat body -> a streamed llama.cpp /v1/chat/completions body."""
    request: dict[str, Any] = {
        "messages": openai_messages(body.get("messages") or []),
        "stream": True, "stream_options": {"include_usage": True},
        "temperature": DEFAULT_TEMPERATURE, "seed": seed, "cache_prompt": True,
    }
    options = body.get("options") or {}
    for key, target in SAMPLING_OPTIONS.items():
        if options.get(key) is not None:
            request[target] = options[key]
    if body.get("tools"):
        request["tools"] = body["tools"]
        request["parallel_tool_calls"] = True
    if (response_format := _response_format(body.get("format"))) is not None:
        request["response_format"] = response_format
    return request


def _response_format(fmt: Any) -> dict[str, Any] | None:
    if fmt == "json":
        return {"type": "json_object"}
    if isinstance(fmt, dict):
        return {"type": "json_object", "schema": fmt}
    return None


def ollama_tool_calls(partial: dict[int, dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """Accumulated OpenAI tool-call deltas -> Ollama calls (arguments as objects); a call whose
    arguments are not a JSON object comes back as text instead, unchanged."""
    calls: list[dict[str, Any]] = []
    text = ""
    for index in sorted(partial):
        call = partial[index]
        try:
            arguments = json.loads(call["arguments"] or "{}")
        except ValueError:
            arguments = None
        if not isinstance(arguments, dict):
            text += json.dumps({"name": call["name"], "arguments": call["arguments"]})
            continue
        calls.append({"id": call["id"] or f"call_{index}",
                      "function": {"index": len(calls), "name": call["name"],
                                   "arguments": arguments}})
    return calls, text


@dataclass
class StreamState:
    """What one llama.cpp stream has said so far."""

    partial_calls: dict[int, dict[str, Any]] = field(default_factory=dict)
    finish_reason: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)

    def feed(self, event: dict[str, Any]) -> tuple[str, str]:
        """Take one SSE event; return its (content, thinking) text."""
        self.usage = event.get("usage") or self.usage
        self.timings = event.get("timings") or self.timings
        content = thinking = ""
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            content += delta.get("content") or ""
            thinking += delta.get("reasoning_content") or ""
            for call in delta.get("tool_calls") or []:
                self._add_call(call)
            self.finish_reason = choice.get("finish_reason") or self.finish_reason
        return content, thinking

    def _add_call(self, delta: dict[str, Any]) -> None:
        call = self.partial_calls.setdefault(
            int(delta.get("index", 0)), {"id": "", "name": "", "arguments": ""})
        function = delta.get("function") or {}
        call["id"] = delta.get("id") or call["id"]
        call["name"] += function.get("name") or ""
        call["arguments"] += function.get("arguments") or ""

    def metrics(self, started_ns: int, load_ns: int) -> dict[str, Any]:
        prompt_n = self.timings.get("prompt_n", 0) + self.timings.get("cache_n", 0)
        return {
            "done_reason": "length" if self.finish_reason == "length" else "stop",
            "total_duration": time.monotonic_ns() - started_ns,
            "load_duration": load_ns,
            "prompt_eval_count": int(self.usage.get("prompt_tokens", prompt_n)),
            "prompt_eval_duration": int(self.timings.get("prompt_ms", 0) * 1e6),
            "eval_count": int(self.usage.get("completion_tokens",
                                             self.timings.get("predicted_n", 0))),
            "eval_duration": int(self.timings.get("predicted_ms", 0) * 1e6),
        }


def chunk(model: str, done: bool = False, **message: Any) -> dict[str, Any]:
    """One Ollama /api/chat line."""
    return {"model": model, "created_at": _now(),
            "message": {"role": "assistant", "content": "", **message}, "done": done}


def aggregate(events: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """The stream:false answer: the lines folded into one, as Ollama does server-side."""
    final: dict[str, Any] = {}
    message: dict[str, Any] = {"role": "assistant", "content": ""}
    calls: list[dict[str, Any]] = []
    for event in events:
        if "error" in event:
            raise ApiError(500, event["error"])
        part = event["message"]
        message["content"] += part.get("content", "")
        if part.get("thinking"):
            message["thinking"] = message.get("thinking", "") + part["thinking"]
        calls += part.get("tool_calls", [])
        final = event
    if calls:
        message["tool_calls"] = calls
    return {**final, "message": message, "done": True}


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")
