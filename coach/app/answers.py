"""Answers run in a background thread (coach.jobs), so the page stays responsive and a rerun
never cuts an answer in half; the page polls the events, and the athlete can stop the answer."""

from __future__ import annotations

from collections.abc import Callable

from coach.agent.loop import AgentError, TurnDone, TurnEvent
from coach.app.session import Coach
from coach.jobs import Job, Jobs


class RunningTurn(Job):
    """One answer in progress: what has happened so far, and a way to stop it."""

    def __init__(self, conversation_id: int) -> None:
        super().__init__(conversation_id)
        self.conversation_id = conversation_id
        self.events: list[TurnEvent] = []

    def push(self, event: TurnEvent) -> None:
        with self._lock:
            self.events.append(event)

    def snapshot(self) -> list[TurnEvent]:
        with self._lock:
            return list(self.events)

    def crashed(self, error: Exception) -> None:
        self.push(AgentError(f"The answer failed unexpectedly ({type(error).__name__})."))

    def ended(self) -> None:
        if not any(isinstance(e, TurnDone | AgentError) for e in self.snapshot()):
            self.push(AgentError("The answer ended without a reply."))


_answers: Jobs[RunningTurn] = Jobs("answer")


def start(make_coach: Callable[[], Coach], conversation_id: int) -> RunningTurn:
    """Start answering the conversation's last message; a second start while one runs returns
    the running one."""
    def answer(turn: RunningTurn) -> None:
        with make_coach() as coach:  # its own connection: SQLite objects stay in one thread
            coach.answer(turn.conversation_id, turn.push, stop=turn.stop)

    return _answers.start(conversation_id, lambda: RunningTurn(conversation_id), answer)


def running(conversation_id: int) -> RunningTurn | None:
    """The answer in progress for this conversation, if any."""
    return _answers.running(conversation_id)


def any_running() -> bool:
    return _answers.any_running()


def wait_all(timeout_s: float) -> bool:
    """Wait until every answer in progress has ended (each one's `done` event); False if
    `timeout_s` passed first."""
    return _answers.wait_all(timeout_s)
