"""The real-model tier: Qwen2.5-Coder-0.5B in llama.cpp behind coach.testing.realmodel's Ollama
adapter, driven by the real `ollama` client. Skipped when the model is not installed, except
under CI=true, where a missing model fails (`python -m coach.testing.realmodel install`)."""

from __future__ import annotations

import hashlib
import json
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import ollama
import pytest

from coach.model.client import OllamaChat
from coach.testing import realmodel_install
from coach.testing.llama_process import DEFAULT_CTX, split_url
from coach.testing.llama_translate import (
    StreamState,
    ollama_tool_calls,
    openai_messages,
    openai_request,
)
from coach.testing.realmodel import RealModel
from coach.testing.realmodel_install import MODEL_NAME, installed_model

pytestmark = pytest.mark.realmodel

OPTIONS = {"num_ctx": DEFAULT_CTX, "temperature": 0.0, "seed": 42, "num_predict": 32}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city.",
        "parameters": {"type": "object", "required": ["city"],
                       "properties": {"city": {"type": "string", "description": "City name"}}},
    },
}


@pytest.fixture
def client(real_model: RealModel) -> Iterator[ollama.Client]:
    c = ollama.Client(host=real_model.url, timeout=httpx.Timeout(10.0, read=600.0))
    yield c
    c.close()


def _stream(client: ollama.Client, messages: list[dict[str, Any]],
            tools: list[dict[str, Any]] | None = None) -> list[ollama.ChatResponse]:
    return list(client.chat(MODEL_NAME, messages=messages, tools=tools, stream=True,
                            think=False, options=OPTIONS))


# --------------------------------------------------------------------------- with the model


def test_version_list_and_show(real_model: RealModel, client: ollama.Client) -> None:
    assert httpx.get(f"{real_model.url}/api/version").json()["version"]
    models = client.list().models
    assert [m.model for m in models] == [MODEL_NAME]
    assert models[0].size == installed_model().stat().st_size
    assert models[0].details is not None and models[0].details.family == "qwen2"
    info = client.show(MODEL_NAME)
    assert {"completion", "tools"} <= set(info.capabilities or [])
    assert dict(info.modelinfo or {})["qwen2.context_length"] == 32768


def test_streamed_plain_question(client: ollama.Client) -> None:
    chunks = _stream(client, [{"role": "user", "content": "Name one benefit of easy runs."}])
    *middle, final = chunks
    text = "".join(c.message.content or "" for c in middle)
    assert text.strip(), "the model streamed no text"
    assert len(middle) > 1, "the answer arrived in one piece, not streamed"
    assert not any(c.done for c in middle) and final.done
    assert final.done_reason in ("stop", "length")
    assert (final.prompt_eval_count or 0) > 0 and (final.eval_count or 0) > 0
    assert (final.prompt_eval_duration or 0) > 0 and (final.eval_duration or 0) > 0
    assert (final.total_duration or 0) >= (final.eval_duration or 0)
    assert all(c.model == MODEL_NAME and c.message.role == "assistant" for c in chunks)


def test_non_streamed_answer(client: ollama.Client) -> None:
    response = client.chat(MODEL_NAME, messages=[{"role": "user", "content": "Say hello."}],
                           stream=False, think=False, options=OPTIONS)
    assert response.done and response.done_reason in ("stop", "length")
    assert (response.message.content or "").strip()
    assert (response.prompt_eval_count or 0) > 0


def test_tool_schema_gets_a_call_or_text(client: ollama.Client,
                                         record_property: Any) -> None:
    chunks = _stream(client, [{"role": "user", "content": "What is the weather in Toronto?"}],
                     [WEATHER_TOOL])
    calls = [call for c in chunks for call in (c.message.tool_calls or [])]
    text = "".join(c.message.content or "" for c in chunks)
    behaviour = "structured tool call" if calls else "text"
    record_property("tool_behaviour", behaviour)
    print(f"\n0.5B model with a tool schema answered with a {behaviour}: "
          f"{[(c.function.name, dict(c.function.arguments)) for c in calls] or text!r}")
    assert chunks[-1].done
    if calls:
        assert all(c.function.name == "get_weather" for c in calls)
        assert all(isinstance(c.function.arguments, dict) for c in calls)
    else:
        assert text.strip()


def test_tool_result_round_trip(client: ollama.Client) -> None:
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "What is the weather in Toronto?"},
        {"role": "assistant", "content": "",
         "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Toronto"}}}]},
        {"role": "tool", "tool_name": "get_weather", "content": "11 degrees celsius, overcast"},
    ]
    chunks = _stream(client, messages, [WEATHER_TOOL])
    assert chunks[-1].done and (chunks[-1].prompt_eval_count or 0) > 0
    text = "".join(c.message.content or "" for c in chunks)
    calls = [call for c in chunks for call in (c.message.tool_calls or [])]
    assert text.strip() or calls


def test_the_products_client_streams(real_model: RealModel) -> None:
    with OllamaChat(real_model.url, MODEL_NAME, temperature=0.0) as chat:
        status = chat.status()
        assert status.ok and status.context_length == 32768
        chunks = list(chat.chat([{"role": "user", "content": "One word: a cycling term."}], []))
    assert chunks[-1].done and (chunks[-1].prompt_tokens or 0) > 0
    assert "".join(c.content for c in chunks).strip()


def test_errors_like_ollama(client: ollama.Client) -> None:
    hello = [{"role": "user", "content": "hi"}]
    with pytest.raises(ollama.ResponseError) as missing:
        client.chat("llama3:8b", messages=hello)
    assert missing.value.status_code == 404 and "not found" in str(missing.value)
    with pytest.raises(ollama.ResponseError) as thinking:
        client.chat(MODEL_NAME, messages=hello, think=True)
    assert thinking.value.status_code == 400
    stringly = [{"role": "assistant", "content": "", "tool_calls": [
        {"function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'}}]}, *hello]
    response = httpx.post(f"{client._client.base_url}/api/chat", timeout=30,
                          json={"model": MODEL_NAME, "messages": stringly, "stream": False})
    assert response.status_code == 400 and "closing '}'" in response.json()["error"]


def test_servers_listen_on_loopback_only(real_model: RealModel) -> None:
    ports = {split_url(real_model.url)[1], split_url(real_model.llama_url)[1]}
    listening = _listening_sockets()
    if listening is None:
        pytest.skip("no /proc/net/tcp on this system")
    for port in ports:
        addresses = {address for address, p in listening if p == port}
        assert addresses == {"127.0.0.1"}, f"port {port} listens on {addresses}"


def test_small_num_ctx_reloads_and_truncates_like_ollama(client: ollama.Client,
                                                         real_model: RealModel) -> None:
    """Last in the module: it reloads llama.cpp twice (to 256 tokens and back)."""
    history = [{"role": "user", "content": f"Note {n}: " + "steady ride, " * 40}
               for n in range(6)]
    messages = [{"role": "system", "content": "Be brief."}, *history,
                {"role": "user", "content": "Say OK."}]
    small = {**OPTIONS, "num_ctx": 256, "num_predict": 8}
    final = list(client.chat(MODEL_NAME, messages=messages, stream=True, options=small))[-1]
    assert final.done and 0 < (final.prompt_eval_count or 0) < 256
    assert (final.load_duration or 0) > 0  # the model was reloaded with the new context
    again = client.chat(MODEL_NAME, messages=[{"role": "user", "content": "hi"}],
                        options={**OPTIONS, "num_predict": 4})
    assert again.done and real_model.backend.llama.settings.n_ctx == DEFAULT_CTX


def _listening_sockets() -> set[tuple[str, int]] | None:
    """(local address, port) of every listening TCP socket, from /proc/net/tcp and tcp6."""
    found: set[tuple[str, int]] = set()
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        table = Path("/proc/net") / name
        if not table.exists():
            return None if name == "tcp" else found
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A":  # LISTEN
                found.add(_decode_address(local, family))
    return found


def _decode_address(field: str, family: int) -> tuple[str, int]:
    hex_address, hex_port = field.split(":")
    raw = bytes.fromhex(hex_address)
    words = struct.unpack(f"<{len(raw) // 4}I", raw)  # each 32-bit word is in host order
    packed = b"".join(struct.pack(">I", w) for w in words)
    address = socket.inet_ntop(family, packed)
    return ("127.0.0.1" if address == "::ffff:127.0.0.1" else address), int(hex_port, 16)


# --------------------------------------------------------------------------- translation only


def test_tool_results_get_the_ids_of_their_calls() -> None:
    messages = openai_messages([
        {"role": "user", "content": "plan"},
        {"role": "assistant", "tool_calls": [
            {"function": {"name": "a", "arguments": {"x": 1}}},
            {"function": {"name": "b", "arguments": {}}}]},
        {"role": "tool", "tool_name": "b", "content": "B"},
        {"role": "tool", "tool_name": "a", "content": "A"},
    ])
    calls = messages[1]["tool_calls"]
    assert messages[1]["content"] == ""
    assert [json.loads(c["function"]["arguments"]) for c in calls] == [{"x": 1}, {}]
    assert messages[2]["tool_call_id"] == calls[1]["id"]
    assert messages[3]["tool_call_id"] == calls[0]["id"]


def test_options_map_to_llama_fields() -> None:
    request = openai_request(
        {"messages": [{"role": "user", "content": "x"}], "tools": [WEATHER_TOOL],
         "options": {"num_ctx": 4096, "temperature": 0.3, "num_predict": 7, "stop": ["\n"]},
         "format": "json"}, seed=5)
    assert request["temperature"] == 0.3 and request["max_tokens"] == 7
    assert request["stop"] == ["\n"] and request["seed"] == 5
    assert request["tools"] == [WEATHER_TOOL] and request["stream"] is True
    assert request["response_format"] == {"type": "json_object"}
    assert "num_ctx" not in request


def test_streamed_call_deltas_become_one_ollama_call() -> None:
    state = StreamState()
    for delta in ({"index": 0, "id": "c1", "function": {"name": "get_weather", "arguments": ""}},
                  {"index": 0, "function": {"arguments": '{"city": '}},
                  {"index": 0, "function": {"arguments": '"Oslo"}'}}):
        state.feed({"choices": [{"delta": {"tool_calls": [delta]}}]})
    state.feed({"choices": [{"delta": {}, "finish_reason": "tool_calls"}],
                "usage": {"prompt_tokens": 30, "completion_tokens": 9},
                "timings": {"prompt_ms": 12.5, "predicted_ms": 40.0}})
    calls, text = ollama_tool_calls(state.partial_calls)
    assert calls == [{"id": "c1", "function": {"index": 0, "name": "get_weather",
                                               "arguments": {"city": "Oslo"}}}]
    assert text == ""
    metrics = state.metrics(started_ns=0, load_ns=0)
    assert metrics["done_reason"] == "stop"  # a tool call still ends with "stop" in Ollama
    assert (metrics["prompt_eval_count"], metrics["eval_count"]) == (30, 9)
    assert (metrics["prompt_eval_duration"], metrics["eval_duration"]) == (12_500_000, 40_000_000)


def test_unparseable_call_arguments_come_back_as_text() -> None:
    calls, text = ollama_tool_calls({0: {"id": "", "name": "f", "arguments": "{oops"}})
    assert calls == [] and "{oops" in text


def test_join_checks_the_hash_and_leaves_no_partial_file(tmp_path: Path) -> None:
    parts = [tmp_path / "part01.bin", tmp_path / "part02.bin"]
    parts[0].write_bytes(b"GGUF")
    parts[1].write_bytes(b"-tail")
    target = tmp_path / "out" / "model.gguf"
    target.parent.mkdir()
    digest = hashlib.sha256(b"GGUF-tail").hexdigest()
    assert realmodel_install.join_parts(parts, target, digest) == digest
    assert target.read_bytes() == b"GGUF-tail" and realmodel_install.stamp_ok(target, digest)
    target.unlink()
    with pytest.raises(realmodel_install.RealModelError, match="sha256"):
        realmodel_install.join_parts(parts, target, "0" * 64)
    assert list(target.parent.iterdir()) == [target.with_name("model.gguf.sha256")]
