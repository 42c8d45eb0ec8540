"""`POST /api/pull` for the fake Ollama: Ollama's own progress lines, a model installed at the
end, and switches to fail mid-way or go slowly enough to be cancelled."""

from __future__ import annotations

import hashlib
import json
import select
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

# What the fake's registry can "download": (name, bytes, parameters), qwen3's default tags.
LIBRARY = (
    ("qwen3:1.7b", 1_400_000_000, "2.0B"),
    ("qwen3:4b", 2_500_000_000, "4.0B"),
    ("qwen3:8b", 5_200_000_000, "8.2B"),
    ("qwen3:14b", 9_300_000_000, "14.8B"),
)
NOT_FOUND = "pull model manifest: file does not exist"
# Beside the weights every model has these small layers (bytes), pulled after them
SMALL_LAYERS = (("template", 1_723), ("license", 11_338), ("params", 120), ("config", 487))


@dataclass
class PullPlan:
    """How the fake's next downloads behave."""

    chunks: int = 5  # progress lines for the weights layer
    chunk_delay_s: float = 0.0  # before each line, so that a test can cancel mid-way
    fail_after_chunks: int | None = None  # an {"error": ...} line after N weights lines
    error_message: str = ("max retries exceeded: Get \"https://registry.ollama.ai/v2/library/"
                          "qwen3/blobs/sha256:a3de86cd1c13\": dial tcp: connection refused")


class PullDesk:
    """The fake's registry side: what can be downloaded, how the next downloads behave
    (`plan`), and how each one ended (`records`; tests wait with `wait_for`). Streamed only."""

    def __init__(self, library: list[Any]) -> None:
        self.library = library  # FakeModels, added to the installed list when pulled
        self.plan = PullPlan()
        self.records: list[PullRecord] = []
        self._ended = threading.Condition()

    def serve(self, handler: Socketed, body: dict[str, Any], installed: list[Any],
              stopping: threading.Event) -> None:
        name = str(body.get("model") or body.get("name") or "")
        wanted = name if ":" in name else f"{name}:latest"
        model = next((m for m in self.library if m.name == wanted), None)
        lines = progress_lines(wanted, model.size, self.plan) if model else iter(
            [{"status": "pulling manifest"}, {"error": NOT_FOUND}])
        outcome = stream_pull(handler, lines, self.plan, stopping)
        with self._ended:
            if outcome == "success" and all(m.name != wanted for m in installed):
                installed.append(model)
            self.records.append(PullRecord(wanted, outcome))
            self._ended.notify_all()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[PullRecord]:
        """The records once `count` downloads have ended (fewer if the time runs out)."""
        with self._ended:
            self._ended.wait_for(lambda: len(self.records) >= count, timeout)
            return list(self.records)


@dataclass(frozen=True)
class PullRecord:
    """One download the fake served and how it ended: success, failed, cancelled, unknown."""

    model: str
    outcome: str


class Socketed(Protocol):
    """What the handler gives us: the client's socket and the response stream."""

    connection: socket.socket
    wfile: Any

    def send_response(self, code: int) -> None: ...

    def send_header(self, keyword: str, value: str) -> None: ...

    def end_headers(self) -> None: ...


def progress_lines(name: str, size: int, plan: PullPlan) -> Iterator[dict[str, Any]]:
    """The lines Ollama streams for a pull, in its format: a short digest in the status, the
    full one in `digest`, `completed` left out while it is 0 (Go's omitempty)."""
    yield {"status": "pulling manifest"}
    weights = size - sum(n for _, n in SMALL_LAYERS)
    for step in range(plan.chunks + 1):
        if step == plan.fail_after_chunks:
            yield {"error": plan.error_message}
            return
        yield _layer(_digest(name, "weights"), weights, weights * step // plan.chunks)
    for kind, total in SMALL_LAYERS:
        yield _layer(_digest(name, kind), total, total)
    yield {"status": "verifying sha256 digest"}
    yield {"status": "writing manifest"}
    yield {"status": "success"}


def _layer(digest: str, total: int, completed: int) -> dict[str, Any]:
    line: dict[str, Any] = {"status": f"pulling {digest[7:19]}", "digest": digest,
                            "total": total}
    if completed:
        line["completed"] = completed
    return line


def _digest(name: str, kind: str) -> str:
    return "sha256:" + hashlib.sha256(f"{name}/{kind}".encode()).hexdigest()


def stream_pull(handler: Socketed, lines: Iterator[dict[str, Any]], plan: PullPlan,
                stopping: threading.Event) -> str:
    """Write the lines as chunked NDJSON; how it ended. Like Ollama (which watches the request's
    context), a client that hung up is noticed before the next line and the pull stops."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/x-ndjson")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    outcome = "unknown"
    for line in lines:
        if plan.chunk_delay_s and stopping.wait(plan.chunk_delay_s):
            return "unknown"  # the fake is shutting down
        if _hung_up(handler.connection):
            return "cancelled"
        data = json.dumps(line).encode() + b"\n"
        try:
            handler.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
            handler.wfile.flush()
        except OSError:
            return "cancelled"
        outcome = "failed" if "error" in line else line["status"]
    handler.wfile.write(b"0\r\n\r\n")
    return outcome


def _hung_up(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
