"""Served mode: a `FakeIntervals` behind a real HTTP server on 127.0.0.1, for clients that must
go through a socket (the app under test, benchmarks). Every request runs the fake's `handler`.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from .intervals_calls import Handles, json_response


class ServedFake:
    """A running local server for a `FakeIntervals`; stop it with `.stop()` or a `with` block."""

    def __init__(self, fake: Handles) -> None:
        self.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(fake))
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> ServedFake:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_class(fake: Handles) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            content = self.rfile.read(length) if length else b""
            request = httpx.Request(
                self.command,
                f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}",
                headers=list(self.headers.items()),
                content=content,
            )
            try:
                response = fake.handler(request)
            except httpx.TimeoutException:  # injected: answer nothing, the client times out
                self.close_connection = True
                return
            except Exception as e:  # a fake bug: answer rather than hang the client
                response = json_response(500, {"status": 500, "error": repr(e)})
            self.send_response(response.status_code)
            skip = {"content-length", "transfer-encoding", "connection"}
            for name, value in response.headers.multi_items():
                if name.lower() not in skip:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler
