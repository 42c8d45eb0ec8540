"""Start `coach` as a user would (a subprocess on a free loopback port) and stop it again:
used by the browser tests and by the app benchmark."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coach.cli.ports import listening

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningApp:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def running_app(cwd: Path, env: dict[str, str], log_path: Path,
                port: int | None = None) -> Iterator[RunningApp]:
    """`coach --port N` started from `cwd`, as a user would (on `port`, or a free one); waits
    for /_stcore/health."""
    port = port or free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OLLAMA_"))}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "--port", str(port)], cwd=cwd,
            env={**clean, **env}, stdout=log, stderr=subprocess.STDOUT)
    app = RunningApp(f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        wait_healthy(app)
        yield app
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, and kill if it does not end within 15 s."""
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def wait_healthy(app: RunningApp, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise AssertionError(f"coach exited early:\n{app.log()}")
        try:
            with urllib.request.urlopen(app.url + "/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"coach did not become healthy:\n{app.log()}")


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a LISTEN socket on `port`, read from /proc/net/tcp{,6}."""
    return {_decode_address(address) for address, _ in listening(port)}


def _decode_address(hex_addr: str) -> str:
    raw = bytes.fromhex(hex_addr)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)
