"""Ctrl+C and `coach` again at once: the port is free again, though the page was open. Only a
port with a listener is busy, and then the message says which process holds it."""

from __future__ import annotations

import http.client
import io
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.cli import main as cli
from coach.cli import ports
from coach.testing.app import running_app
from tests.waiting import wait_until

LINUX = sys.platform.startswith("linux")
TIME_WAIT = "06"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def app_env(tmp_path: Path) -> dict[str, str]:
    return {"COACH_DATA_DIR": str(tmp_path / "data"), "OLLAMA_HOST": "http://127.0.0.1:9"}


def local_states(port: int) -> set[str]:
    """TCP states of the sockets whose local port is `port` (from /proc/net/tcp)."""
    states = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                states.add(fields[3])
    return states


def wait_for_time_wait(port: int, timeout_s: float = 20) -> None:
    wait_until(lambda: TIME_WAIT in local_states(port), timeout_s, f"TIME_WAIT on port {port}")


def keep_alive_connections(port: int, count: int = 4) -> list[http.client.HTTPConnection]:
    """HTTP/1.1 connections left open after a request, as a page's tab leaves them."""
    connections = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/_stcore/health")
        assert connection.getresponse().read() == b"ok"
        connections.append(connection)
    return connections


def test_coach_starts_again_at_once_on_the_same_port(tmp_path: Path):
    with running_app(tmp_path, app_env(tmp_path), tmp_path / "first.log") as app:
        port = app.port
        connections = keep_alive_connections(port)
    # The app stopped with the connections open, so it closed them first; the client closes
    # its ends now, and the server's ends wait in TIME_WAIT, as after Ctrl+C with a tab open.
    for connection in connections:
        connection.close()
    if LINUX:
        wait_for_time_wait(port)
        with socket.socket() as plain, pytest.raises(OSError):
            plain.bind(("127.0.0.1", port))        # what the old check did: "busy"
    assert ports.port_free(port)
    log = tmp_path / "second.log"
    with running_app(tmp_path, app_env(tmp_path), log, port=port):
        assert "is busy" not in log.read_text()


@pytest.fixture
def listener() -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """Another process listening on a loopback port, until the test ends."""
    script = ("import socket, sys\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen()\n"
              "print(s.getsockname()[1], flush=True)\nsys.stdin.read()\n")
    # leaving the `with` closes its stdin (so it ends) and its stdout, and waits for it
    with subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        yield int(process.stdout.readline()), process


def test_a_port_with_a_listener_is_busy_and_the_message_names_its_process(listener):
    port, process = listener
    assert not ports.port_free(port)
    code, out = run("--port", str(port))
    assert code == 1
    assert f"Port {port} on 127.0.0.1 is busy" in out and f"--port {port + 1}" in out
    if LINUX:
        name = Path(sys.executable).name
        holder = f"process {process.pid} ({name} -c import socket, sys s = socket.socket()"
        assert (ports.port_holder(port) or "").startswith(holder)
        assert f"busy: {holder}" in out


def test_a_free_port_has_no_holder():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]              # bound, never listening: nobody holds it
        assert ports.port_holder(port) is None
    assert ports.port_free(port)
