"""A recording proxy for what would leave the machine: point a process's HTTP_PROXY and
HTTPS_PROXY at it (with NO_PROXY for loopback) and every request it tries to send off the
machine is written down here and answered 502, so nothing actually leaves."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class EgressProxy:
    """`with EgressProxy() as proxy:` … `proxy.requests` lists "METHOD target" lines."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def env(self) -> dict[str, str]:
        """The variables that send a process's off-machine HTTP(S) here, loopback direct."""
        return {"HTTP_PROXY": self.url, "HTTPS_PROXY": self.url, "http_proxy": self.url,
                "https_proxy": self.url, "NO_PROXY": "127.0.0.1,localhost",
                "no_proxy": "127.0.0.1,localhost"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self) -> None:
                proxy.requests.append(f"{self.command} {self.path}")
                self.send_response(502, "Refused by the test's egress proxy")
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_CONNECT = _record

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> EgressProxy:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
