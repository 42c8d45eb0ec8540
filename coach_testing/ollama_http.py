"""How Ollama answers over HTTP, shared by the fake Ollama server and the real-model adapter:
JSON bodies, and NDJSON streamed one chunked line per event."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

ROLES = ("system", "user", "assistant", "tool")  # a chat message's role must be one of these
# What Ollama answers (400) when a tool call's arguments are a JSON string, not an object.
STRING_ARGUMENTS_ERROR = "Value looks like object, but can't find closing '}' symbol"


class OllamaReplies(BaseHTTPRequestHandler):
    """Answer helpers for a handler that speaks Ollama's API."""

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self._send(status, data, "application/json; charset=utf-8")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _write_line(self, event: dict[str, Any]) -> None:
        """One NDJSON line, as its own chunk, flushed at once (a client reads it as it comes)."""
        line = json.dumps(event, ensure_ascii=False).encode() + b"\n"
        self.wfile.write(b"%X\r\n%s\r\n" % (len(line), line))
        self.wfile.flush()

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
