"""What the Ollama adapter talks to: the Backend (the llama.cpp child and what it says about the
model) and one chat streamed from llama.cpp's /v1/chat/completions as Ollama's NDJSON lines."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .llama_process import LlamaProcess, LlamaSettings, get_json, split_url
from .llama_translate import (
    DEFAULT_TEMPERATURE,
    ApiError,
    StreamState,
    chunk,
    ollama_tool_calls,
    openai_request,
)
from .realmodel_install import ARCHITECTURE, SHA256

READ_TIMEOUT_S = 900.0


class Backend:
    """The llama.cpp child and what the adapter says about the model. One chat at a time,
    like Ollama with OLLAMA_NUM_PARALLEL=1; a different num_ctx reloads the model."""

    def __init__(self, settings: LlamaSettings, model_name: str, log_path: Path,
                 digest: str = SHA256) -> None:
        self.settings, self.model_name, self.log_path = settings, model_name, log_path
        self.digest = digest  # the GGUF's sha256, Ollama's digest of the model
        self.lock = threading.Lock()
        # per chat: prompt tokens llama.cpp read anew, and those it took from its cache
        self.evaluated: list[tuple[int, int]] = []
        self.llama = LlamaProcess(settings, log_path).start()
        self.meta = self._meta()
        self.template = self._template()

    def _meta(self) -> dict[str, Any]:
        _, models = get_json(self.llama.url, "/v1/models")
        return dict((models.get("data") or [{}])[0].get("meta") or {})

    def _template(self) -> str:
        _, props = get_json(self.llama.url, "/props")
        return str(props.get("chat_template") or "")

    @property
    def context_length(self) -> int:
        return int(self.meta.get("n_ctx_train") or 32768)

    def ensure_ctx(self, num_ctx: Any) -> int:
        """Reload with the requested context (capped at the trained one); the ns it took."""
        wanted = min(int(num_ctx), self.context_length) if num_ctx else self.settings.n_ctx
        if wanted == self.llama.settings.n_ctx and self.llama.alive():
            return 0
        began = time.monotonic_ns()
        self.llama.stop()
        settings = LlamaSettings(self.settings.model, wanted, self.settings.threads,
                                 self.settings.seed)
        self.llama = LlamaProcess(settings, self.log_path).start()
        return time.monotonic_ns() - began

    def stop(self) -> None:
        self.llama.stop()

    def tag(self) -> dict[str, Any]:
        st = self.settings.model.stat()
        return {"name": self.model_name, "model": self.model_name,
                "modified_at": datetime.fromtimestamp(st.st_mtime, UTC).isoformat(),
                "size": st.st_size, "digest": self.digest, "details": self.details()}

    def details(self) -> dict[str, Any]:
        params = int(self.meta.get("n_params") or 0)
        ftype = str(self.meta.get("ftype") or "Q4_K - Medium")
        return {"parent_model": "", "format": "gguf", "family": ARCHITECTURE,
                "families": [ARCHITECTURE], "parameter_size": f"{params / 1e6:.2f}M",
                "quantization_level": ftype.replace(" - Medium", "_M").replace(" - Small", "_S")}

    def show(self) -> dict[str, Any]:
        return {
            "modelfile": f"# served by coach.testing.realmodel\nFROM {self.settings.model}\n",
            "parameters": f"seed {self.settings.seed}\ntemperature {DEFAULT_TEMPERATURE}",
            "template": self.template,
            "details": self.details(),
            "model_info": {"general.architecture": ARCHITECTURE,
                           "general.parameter_count": int(self.meta.get("n_params") or 0),
                           f"{ARCHITECTURE}.context_length": self.context_length},
            "capabilities": ["completion", "tools"],
            "modified_at": self.tag()["modified_at"],
        }


def validate_chat(body: dict[str, Any], model_name: str) -> None:
    """Reject a chat the way Ollama does: no model, an unknown model, or thinking."""
    name = body.get("model") or ""
    if not name:
        raise ApiError(400, "model is required")
    if name != model_name and f"{name}:latest" != model_name:
        raise ApiError(404, f'model "{name}" not found, try pulling it first')
    if body.get("think") not in (None, False):
        raise ApiError(400, f'"{model_name}" does not support thinking')


class LlamaStream:
    """One streamed /v1/chat/completions request; `close()` hangs up, which stops llama."""

    def __init__(self, url: str, request: dict[str, Any]) -> None:
        self.conn = http.client.HTTPConnection(*split_url(url), timeout=READ_TIMEOUT_S)
        try:
            self.conn.request("POST", "/v1/chat/completions", json.dumps(request).encode(),
                              {"Content-Type": "application/json"})
            self.response = self.conn.getresponse()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise _broken(e) from None
        if self.response.status != 200:
            error = _llama_error(self.response.read())
            self.close()
            raise error

    def events(self) -> Iterator[dict[str, Any]]:
        try:
            yield from self._events()
        except (OSError, http.client.HTTPException) as e:
            raise _broken(e) from None

    def _events(self) -> Iterator[dict[str, Any]]:
        for raw in self.response:
            line = raw.decode("utf-8", "replace").strip()
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                return
            event = json.loads(data)
            if "error" in event:
                raise ApiError(500, _error_text(event["error"]))
            yield event

    def close(self) -> None:
        self.conn.close()


class ContextExceeded(ApiError):
    pass


def _broken(e: Exception) -> ApiError:
    return ApiError(500, f"llama.cpp stopped answering ({type(e).__name__}: {e})")


def _error_text(error: Any) -> str:
    return str(error.get("message") if isinstance(error, dict) else error)


def _llama_error(raw: bytes) -> ApiError:
    try:
        error = json.loads(raw).get("error", raw.decode(errors="replace"))
    except (ValueError, AttributeError):
        error = raw.decode(errors="replace")
    if isinstance(error, dict) and error.get("type") == "exceed_context_size_error":
        return ContextExceeded(400, "the input length exceeds the context length")
    return ApiError(400 if isinstance(error, dict) and error.get("code") == 400 else 500,
                    _error_text(error))


def open_stream(url: str, body: dict[str, Any], seed: int) -> LlamaStream:
    """Start the request; when the prompt is too long, drop the oldest messages but the system
    ones and the last, like Ollama's default `truncate: true`."""
    messages = list(body.get("messages") or [])
    while True:
        try:
            return LlamaStream(url, openai_request({**body, "messages": messages}, seed))
        except ContextExceeded:
            droppable = [i for i, m in enumerate(messages[:-1]) if m.get("role") != "system"]
            if not droppable:
                raise
            del messages[droppable[0]]


def chat_events(backend: Backend, body: dict[str, Any]) -> Generator[dict[str, Any]]:
    """The Ollama NDJSON lines of one chat, from the llama.cpp stream."""
    started = time.monotonic_ns()
    name = body["model"]
    load_ns = backend.ensure_ctx((body.get("options") or {}).get("num_ctx"))
    stream = open_stream(backend.llama.url, body, backend.settings.seed)
    state = StreamState()
    try:
        for event in stream.events():
            content, thinking = state.feed(event)
            if content or thinking:
                extra: dict[str, Any] = {"thinking": thinking} if thinking else {}
                yield chunk(name, content=content, **extra)
    finally:
        stream.close()
    calls, text = ollama_tool_calls(state.partial_calls)
    if text:
        yield chunk(name, content=text)
    if calls:
        yield chunk(name, tool_calls=calls)
    backend.evaluated.append((int(state.timings.get("prompt_n", 0)),
                              int(state.timings.get("cache_n", 0))))
    yield {**chunk(name, done=True), **state.metrics(started, load_ns)}
