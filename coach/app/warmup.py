"""Warming the model: when the Coach page opens, or a sync changes the athlete card, the model
reads the system prompt and the tool catalog in the background (one request, one token out), so
the athlete's first question finds them in the model server's cache and only its own words are
read. Each prompt is warmed once per model server and model in this process."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from coach.agent.loop import warm
from coach.app.answers import any_running
from coach.app.session import Coach
from coach.errors import CoachError
from coach.jobs import Job, Jobs

_warmed: dict[tuple[str, str, int], str] = {}   # (host, model, num_ctx) -> the prompt's digest
_lock = threading.Lock()
_jobs: Jobs[Job] = Jobs("warm")


def prompt_key(coach: Coach) -> tuple[tuple[str, str, int], str]:
    s = coach.settings
    prompt = coach.system_prompt(coach.scope())
    return (s.ollama_host, s.model, s.num_ctx), hashlib.sha256(prompt.encode()).hexdigest()


def needed(coach: Coach) -> bool:
    """Has the model not read this prompt yet (a new card, a new day, another model)?"""
    where, digest = prompt_key(coach)
    with _lock:
        return _warmed.get(where) != digest


def warm_now(coach: Coach) -> bool:
    """Warm the model with this coach's prompt unless done; False when nothing was sent."""
    if coach.athlete_id is None or not needed(coach):
        return False
    where, digest = prompt_key(coach)
    warm(coach.model, coach.system_prompt(coach.scope()))
    with _lock:
        _warmed[where] = digest
    return True


def start(make_coach: Callable[[], Coach]) -> Job | None:
    """Warm in the background unless an answer is running (it has the model's attention) or
    the prompt was warmed already; a model that does not answer is left to the chat to report."""
    if any_running():
        return None

    def work(job: Job) -> None:
        with make_coach() as coach:
            try:
                warm_now(coach)
            except CoachError:
                pass  # the page's model banner says what is wrong

    return _jobs.start("warm", lambda: Job("warm"), work)


def wait(timeout_s: float) -> bool:
    """Wait for a warm-up in progress (tests and benchmarks)."""
    return _jobs.wait_all(timeout_s)


def forget() -> None:
    """Forget what was warmed (a restarted model server has an empty cache)."""
    with _lock:
        _warmed.clear()
