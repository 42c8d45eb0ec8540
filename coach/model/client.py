"""The model: a small ChatModel protocol and OllamaChat, the only user of the `ollama` client."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
import ollama

from coach.errors import CoachError, ModelError, ModelStopped, ModelUnavailable
from coach.records import ToolCall

_END = object()  # the end of a stream read in its own thread


@dataclass(frozen=True)
class ChatChunk:
    """A piece of a streamed answer; tool calls arrive whole, in any chunk."""

    content: str = ""
    thinking: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    done: bool = False
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    # Ollama's own timings of the request, in seconds (on the final chunk)
    load_s: float | None = None
    prompt_s: float | None = None
    output_s: float | None = None
    total_s: float | None = None


class ChatModel(Protocol):
    """What the agent and the session need from a model (OllamaChat, or a scripted one)."""

    name: str
    num_ctx: int

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: threading.Event | None = None,
             max_tokens: int | None = None) -> Iterator[ChatChunk]: ...

    def status(self) -> ModelStatus: ...

    def describe_installed(self) -> dict[str, str]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class ModelStatus:
    """What `coach doctor` and the page need to know about Ollama and the chosen model."""

    host: str
    reachable: bool
    installed: list[str] = field(default_factory=list)
    model_present: bool = False
    capabilities: list[str] = field(default_factory=list)
    context_length: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class InstalledModel:
    """A model in the athlete's Ollama: its download size, parameters, tools, trained context."""

    name: str
    size: int  # bytes
    parameter_size: str = ""  # as Ollama writes it, e.g. "8.2B"
    tools: bool = False
    context_length: int | None = None

    def label(self) -> str:
        """For a model picker: "qwen3:8b · 8.2B · 5.2 GB · tools ✓"."""
        parts = (self.name, self.parameter_size, f"{self.size / 1e9:.1f} GB",
                 "tools ✓" if self.tools else "no tools")
        return " · ".join(p for p in parts if p)


@dataclass(frozen=True)
class PullProgress:
    """One line of Ollama's download progress: a status, and bytes of one layer (digest)."""

    status: str
    digest: str = ""
    total: int | None = None
    completed: int | None = None


def is_cloud(name: str) -> bool:
    """A model that runs on ollama.com: the athlete's data would leave the machine."""
    return name.endswith("-cloud") or ":cloud" in name


def _no_auth_header(request: httpx.Request) -> None:
    # The ollama client adds OLLAMA_API_KEY as a bearer token to every host; a local model
    # needs no key, and we never send one anywhere.
    request.headers.pop("authorization", None)


# Ollama lets a reply run until the context is full; a small model going in circles would then
# write for minutes. No answer, and no plan of proposals, needs more than this.
MAX_REPLY_TOKENS = 2048


class OllamaChat:
    """Streaming chat with tools against a (local) Ollama server."""

    def __init__(self, host: str, model: str, *, num_ctx: int = 8192, think: bool = False,
                 read_timeout_s: float = 300.0, temperature: float = 0.3,
                 max_tokens: int | None = MAX_REPLY_TOKENS) -> None:
        self.host, self.name, self.num_ctx, self.think = host, model, num_ctx, think
        self.temperature = temperature
        self.max_tokens = max_tokens  # a cap on each reply (num_predict); None: no cap
        self.read_timeout_s = read_timeout_s
        self._client = self._new_client()

    def _new_client(self) -> ollama.Client:
        return ollama.Client(host=self.host, timeout=httpx.Timeout(10.0, read=self.read_timeout_s),
                             event_hooks={"request": [_no_auth_header]})

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OllamaChat:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def chat(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]],
             stop: threading.Event | None = None,
             max_tokens: int | None = None) -> Iterator[ChatChunk]:
        """Stream one answer of at most `max_tokens` (else this client's cap). Setting `stop`
        ends it at once, even while the model has not said a word: the request is read in a
        thread of its own, left to close by itself."""
        cap = max_tokens if max_tokens is not None else self.max_tokens
        if stop is None:
            client = self._new_client()
            try:
                yield from self._stream(client, messages, tools, cap)
            finally:
                client.close()
            return
        yield from self._in_thread(lambda c: self._stream(c, messages, tools, cap), stop,
                                   "You stopped the answer.")

    def _in_thread(self, items: Callable[[ollama.Client], Iterator[Any]],
                   stop: threading.Event, stopped: str) -> Iterator[Any]:
        """Read a streamed request in a thread of its own, so that setting `stop` ends the
        reading at once (ModelStopped), even before the server sends a byte."""
        pieces: queue.Queue[Any] = queue.Queue()
        threading.Thread(target=self._pump, args=(items, stop, pieces), daemon=True,
                         name="ollama-stream").start()
        while True:
            try:
                piece = pieces.get(timeout=0.1)
            except queue.Empty:
                piece = None
            if stop.is_set():
                raise ModelStopped(stopped)
            if piece is _END:
                return
            if isinstance(piece, BaseException):
                raise piece
            if piece is not None:
                yield piece

    def _pump(self, items: Callable[[ollama.Client], Iterator[Any]], stop: threading.Event,
              pieces: queue.Queue[Any]) -> None:
        client = self._new_client()
        try:
            for item in items(client):
                pieces.put(item)
                if stop.is_set():
                    break  # leaving the stream closes the request: Ollama stops working
            pieces.put(_END)
        except BaseException as e:  # handed to the reader, which raises it
            pieces.put(e)
        finally:
            client.close()

    def _stream(self, client: ollama.Client, messages: list[dict[str, Any]],
                tools: list[dict[str, Any]], cap: int | None) -> Iterator[ChatChunk]:
        saw_done = False
        try:
            stream = client.chat(
                self.name, messages=messages, tools=tools or None, stream=True,
                think=self.think, keep_alive="15m",
                options=self._options(cap))
            for response in stream:
                saw_done = saw_done or bool(response.done)
                yield _chunk(response)
        except (ollama.ResponseError, ConnectionError, httpx.HTTPError) as e:
            raise self._explain(e) from None
        if not saw_done:
            raise ModelError("The model's answer was cut off before it finished; try again.")

    def _options(self, cap: int | None) -> dict[str, Any]:
        options: dict[str, Any] = {"num_ctx": self.num_ctx, "temperature": self.temperature}
        if cap is not None:
            options["num_predict"] = min(cap, self.max_tokens or cap)
        return options

    def _explain(self, e: Exception) -> CoachError:
        if isinstance(e, ollama.ResponseError):
            return self._explain_response_error(e)
        if isinstance(e, ConnectionError | httpx.ConnectError):
            return ModelUnavailable(self._not_running())
        if isinstance(e, httpx.TimeoutException):
            return ModelError(f"The model {self.name} did not answer in time; it may still be "
                              "loading. Try again, or pick a smaller model.")
        return ModelError(f"The connection to Ollama at {self.host} broke "
                          f"({type(e).__name__}); try again.")

    def status(self) -> ModelStatus:
        """Reachable? Model installed? Can it call tools? Never raises."""
        try:
            installed = [m.model or "" for m in self._client.list().models]
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError):
            return ModelStatus(self.host, False, problem=self._not_running())
        if self.name not in installed and f"{self.name}:latest" not in installed:
            return ModelStatus(self.host, True, installed, problem=(
                f"The model {self.name} is not installed in Ollama: run `ollama pull "
                f"{self.name}`."))
        try:
            info = self._client.show(self.name)
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError) as e:
            return ModelStatus(self.host, True, installed, True,
                               problem=f"Ollama could not describe {self.name}: {e}")
        caps = list(info.capabilities or [])
        context = _context_length(info.modelinfo or {})
        problem = None if "tools" in caps else (
            f"The model {self.name} cannot call tools, which the coach needs to read your "
            "training: pick another model, e.g. `ollama pull qwen3:8b`.")
        return ModelStatus(self.host, True, installed, True, caps, context, problem)

    def describe_installed(self) -> dict[str, str]:
        """Each installed local model with its size and whether it can call tools."""
        try:
            return {m.name: m.label() for m in self.installed_models()}
        except CoachError:
            return {}

    def installed_models(self) -> list[InstalledModel]:
        """The local models in Ollama (models that run on ollama.com are left out), with tools
        and trained context from `show`; ModelUnavailable when Ollama does not answer."""
        try:
            models = self._client.list().models
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError):
            raise ModelUnavailable(self._not_running()) from None
        return [self._installed(m) for m in models if not is_cloud(m.model or "")]

    def _installed(self, listed: Any) -> InstalledModel:
        name, size = listed.model or "", int(listed.size or 0)
        params = (listed.details.parameter_size or "") if listed.details else ""
        try:
            info = self._client.show(name)
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError):
            return InstalledModel(name, size, params)
        return InstalledModel(name, size, params, "tools" in (info.capabilities or []),
                              _context_length(info.modelinfo or {}))

    def pull(self, on_progress: Callable[[PullProgress], None], stop: threading.Event) -> None:
        """Download this model into Ollama (`ollama pull`), reporting each progress line.
        Setting `stop` cancels at once (ModelStopped): the stream is closed, so Ollama stops
        downloading and installs nothing; a download already past its last byte may still
        finish, so ask `status()` before saying nothing changed."""
        if is_cloud(self.name):
            raise ModelUnavailable(f"The model {self.name} runs on ollama.com, not on your "
                                   "machine, so it is not downloaded: pick a local model.")
        for progress in self._in_thread(self._pull_stream, stop,
                                        "Download cancelled; nothing was changed."):
            on_progress(progress)

    def _pull_stream(self, client: ollama.Client) -> Iterator[PullProgress]:
        finished = False
        try:
            for line in client.pull(self.name, stream=True):
                finished = line.status == "success"
                yield PullProgress(line.status or "", line.digest or "", line.total,
                                   line.completed)
        except (ollama.ResponseError, ConnectionError, httpx.HTTPError) as e:
            raise self._explain_pull(e) from None
        if not finished:
            raise ModelError(f"The download of {self.name} stopped before it finished; try "
                             "again.")

    def _explain_pull(self, e: Exception) -> CoachError:
        if isinstance(e, ollama.ResponseError):
            text = str(e.error)
            if e.status_code == 404 or "file does not exist" in text:
                return ModelUnavailable(f"Ollama's library has no model called {self.name}: "
                                        "check the name at https://ollama.com/library.")
            return ModelError(f"The download of {self.name} failed: {text[:200]}. Check the "
                              "internet connection and try again.")
        if isinstance(e, httpx.TimeoutException):
            return ModelError(f"Ollama stopped reporting on the download of {self.name}; "
                              "try again.")
        return self._explain(e)

    def version(self) -> str | None:
        """The server's version, or None when it does not answer."""
        try:
            response = httpx.get(f"{self.host}/api/version", timeout=5)
            return str(response.json().get("version"))
        except (httpx.HTTPError, ValueError, AttributeError):
            return None

    def _not_running(self) -> str:
        return (f"Ollama is not running at {self.host} — start it with `ollama serve` "
                "(install it from https://ollama.com/download).")

    def _explain_response_error(self, e: ollama.ResponseError) -> CoachError:
        text = str(e.error)
        if e.status_code == 404:
            return ModelUnavailable(f"The model {self.name} is not installed in Ollama: run "
                                    f"`ollama pull {self.name}`.")
        if "does not support tools" in text:
            return ModelUnavailable(
                f"The model {self.name} cannot call tools, which the coach needs to read your "
                "training: pick another model, e.g. `ollama pull qwen3:8b`.")
        if "does not support thinking" in text:
            return ModelUnavailable(f"The model {self.name} has no reasoning mode: turn "
                                    "reasoning off in Settings.")
        return ModelError(f"The model stopped with an error: {text[:200]}. Try again.")


def _chunk(response: ollama.ChatResponse) -> ChatChunk:
    message = response.message
    calls = tuple(ToolCall(c.function.name, dict(c.function.arguments or {}))
                  for c in (message.tool_calls or []))
    return ChatChunk(message.content or "", message.thinking or "", calls, bool(response.done),
                     response.prompt_eval_count, response.eval_count,
                     _seconds(response.load_duration), _seconds(response.prompt_eval_duration),
                     _seconds(response.eval_duration), _seconds(response.total_duration))


def _seconds(nanoseconds: int | None) -> float | None:
    return nanoseconds / 1e9 if nanoseconds is not None else None


def _context_length(modelinfo: Any) -> int | None:
    for key, value in dict(modelinfo).items():
        if key.endswith(".context_length") and isinstance(value, int):
            return value
    return None
