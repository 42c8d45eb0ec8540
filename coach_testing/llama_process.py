"""llama.cpp's server (xllamacpp) in a child process on 127.0.0.1: its settings, starting and
stopping it, the child's own side, and the small HTTP helpers to reach it."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .llama_translate import DEFAULT_TEMPERATURE
from .realmodel_install import MODEL_NAME, RealModelError

DEFAULT_CTX = 8192
DEFAULT_THREADS = 2
DEFAULT_SEED = 42
START_TIMEOUT_S = 180.0


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
        return [sys.executable, "-m", "coach.testing.realmodel", "_llama", "--model", str(s.model),
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
            status, _ = get_json(url, "/health", timeout=5)
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


def run_llama_child(args: argparse.Namespace) -> int:
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


def split_url(url: str) -> tuple[str, int]:
    host, _, port = url.removeprefix("http://").partition(":")
    return host, int(port)


def get_json(url: str, path: str, timeout: float = 30) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(*split_url(url), timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        conn.close()
