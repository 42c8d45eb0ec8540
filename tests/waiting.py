"""Waiting on a state another thread or process reaches, for the tests that have no event to
wait on (a child process's database, a socket's TCP state, a fake's request log): the one place
that polls. Where there is an event (an answer's `done`, the fake's `holding`), wait on it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

POLL_S = 0.02


def wait_until(condition: Callable[[], object], timeout_s: float = 30,
               what: str = "the state") -> None:
    """Return as soon as `condition()` is true; fail with `what` if `timeout_s` passes first."""
    deadline = time.monotonic() + timeout_s
    idle = threading.Event()  # never set: a pause that is not a sleep on the test's thread
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        idle.wait(POLL_S)
