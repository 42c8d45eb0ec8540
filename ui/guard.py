"""Only the athlete's own page may read or act: an ASGI middleware in front of Streamlit.

A page served from another port of this machine, or a site whose name was rebound to 127.0.0.1,
is an attacker: it must not read a frame of the app or press a button. Streamlit (1.67) accepts
a websocket from any Origin whose host name is `localhost` or `127.0.0.1` whatever its port,
answers any `Host`, and, for an Origin it does not know, looks up the machine's external
address on the internet before refusing. This guard answers before Streamlit sees the request:

- the `Host` must be one the server listens as: `127.0.0.1:PORT` or `localhost:PORT`
  (`[::1]:PORT` when bound there); anything else is refused (DNS rebinding);
- an `Origin`, when sent, must be the app's own, exactly: scheme, host and port;
- the websocket, and every request that could change state (any method but GET, HEAD and
  OPTIONS), must carry that Origin (browsers always send it there);
- every answer tells the browser not to frame the page elsewhere, not to hand it to other
  origins, and to load and connect to nothing but this server (Content-Security-Policy).

A refusal is answered here, with nothing looked up and nothing sent off the machine.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = {"127.0.0.1": "127.0.0.1", "::1": "[::1]"}
_log = logging.getLogger("coach.guard")


@dataclass(frozen=True)
class OwnAddress:
    """The hosts and origins the page is served as, from the address the server listens on."""

    hosts: frozenset[str]
    origins: frozenset[str]

    @classmethod
    def listening_on(cls, address: str, port: int) -> OwnAddress:
        names = {LOOPBACK_NAMES.get(address, address), "localhost"}
        hosts = {f"{name}:{port}" for name in names}
        if port == 80:  # a browser leaves the default port out
            hosts |= names
        return cls(frozenset(hosts), frozenset(f"http://{host}" for host in hosts))


def refusal(kind: str, method: str, host: str | None, origin: str | None,
            own: OwnAddress) -> str | None:
    """Why this request must not reach the app, or None when it may."""
    if host is None or host.lower() not in own.hosts:
        return f"host {host!r} is not this app's address"
    if origin is not None and origin.lower() not in own.origins:
        return f"origin {origin!r} is not this app's page"
    if origin is None and (kind == "websocket" or method.upper() not in SAFE_METHODS):
        return "no origin on a request that can read the app or act"
    return None


def security_headers(host: str) -> list[tuple[bytes, bytes]]:
    """What every answer carries: no framing by other pages, no reading by other origins, and
    a page that loads and connects only to this server."""
    policy = "; ".join([
        "default-src 'self'",
        # Streamlit's page has one inline script, and Vega compiles its chart expressions.
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "media-src 'self' data: blob:",
        "worker-src 'self' blob:",
        f"connect-src 'self' ws://{host}",
        "frame-src 'self'",
        "frame-ancestors 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ])
    return [(b"content-security-policy", policy.encode()),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer")]


class OwnPageOnly:
    """ASGI middleware: refuses what `refusal` refuses and adds `security_headers`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host, origin = headers.get("host"), headers.get("origin")
        why = refusal(scope["type"], scope.get("method", "GET"), host, origin,
                      OwnAddress.listening_on(*_server(scope)))
        if why is not None:
            _log.warning("Refused a %s request for %s: %s", scope["type"], scope["path"], why)
            await _refuse(scope, receive, send)
            return
        await self.app(scope, receive, _with_headers(send, security_headers(host or "")))


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by lower-case name; a repeated Host or Origin is kept as
    unreadable, so it can never match."""
    seen: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name, value = raw_name.decode("latin-1").lower(), raw_value.decode("latin-1")
        seen[name] = "\x00repeated" if name in seen and name in ("host", "origin") else value
    return seen


def _server(scope: Scope) -> tuple[str, int]:
    server = scope.get("server") or ("127.0.0.1", 0)
    return str(server[0]), int(server[1] or 0)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect; closing before accepting answers 403
        await send({"type": "websocket.close", "code": 1008})
        return
    body = b"Local Coach answers only its own page.\n"
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            message["headers"] = [*message.get("headers", []),
                                  *[(n, v) for n, v in extra if n not in names]]
        await send(message)
    return sending
