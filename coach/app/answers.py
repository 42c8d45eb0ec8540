"""Answers run in a background thread, so the page stays responsive and a rerun never cuts
an answer in half; the page polls the events, and the athlete can stop the answer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from coach.agent.loop import AgentError, Event, TurnDone
from coach.app.session import Coach

log = logging.getLogger(__name__)


@dataclass
class RunningTurn:
    """One answer in progress: what has happened so far, and a way to stop it."""

    conversation_id: int
    events: list[Event] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def push(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def snapshot(self) -> list[Event]:
        with self._lock:
            return list(self.events)


_running: dict[int, RunningTurn] = {}
_registry_lock = threading.Lock()


def running(conversation_id: int) -> RunningTurn | None:
    """The answer in progress for this conversation, if any."""
    with _registry_lock:
        turn = _running.get(conversation_id)
    return turn if turn and not turn.done.is_set() else None


def any_running() -> bool:
    with _registry_lock:
        return any(not t.done.is_set() for t in _running.values())


def wait_all(timeout_s: float) -> bool:
    """Wait until every answer in progress has ended (each one's `done` event); False if
    `timeout_s` passed first."""
    with _registry_lock:
        pending = [t.done for t in _running.values()]
    deadline = time.monotonic() + timeout_s
    return all(done.wait(max(0.0, deadline - time.monotonic())) for done in pending)


def start(make_coach: Callable[[], Coach], conversation_id: int) -> RunningTurn:
    """Start answering the conversation's last message; a second start while one runs returns
    the running one."""
    with _registry_lock:
        current = _running.get(conversation_id)
        if current and not current.done.is_set():
            return current
        turn = _running[conversation_id] = RunningTurn(conversation_id)
    thread = threading.Thread(target=_answer, args=(make_coach, turn),
                              name=f"answer-{conversation_id}", daemon=True)
    thread.start()
    return turn


def _answer(make_coach: Callable[[], Coach], turn: RunningTurn) -> None:
    try:
        with make_coach() as coach:  # its own connection: SQLite objects stay in one thread
            coach.answer(turn.conversation_id, turn.push, stop=turn.stop)
    except Exception as e:  # the page must learn that the answer ended, whatever happened
        log.exception("answer in conversation %s failed", turn.conversation_id)
        turn.push(AgentError(f"The answer failed unexpectedly ({type(e).__name__})."))
    finally:
        if not any(isinstance(e, TurnDone | AgentError) for e in turn.snapshot()):
            turn.push(AgentError("The answer ended without a reply."))
        turn.done.set()
