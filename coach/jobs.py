"""Work in a background thread, so a page stays responsive and a rerun never cuts it in half:
answers (`coach.app.answers`) and model downloads (`coach.model.downloads`). One registry per
kind of work holds one job per key (a conversation, a model): starting again while it runs
returns the running job; the page polls it, can stop it, and always learns that it ended."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)


class Job:
    """One piece of work in its own thread: `stop` asks it to end, `done` says it has."""

    def __init__(self, key: Hashable) -> None:
        self.key = key
        self.stop = threading.Event()
        self.done = threading.Event()
        self._lock = threading.Lock()

    def crashed(self, error: Exception) -> None:
        """The work raised: keep a sentence for the page (the traceback is logged)."""

    def ended(self) -> None:
        """The work is over, however it ended: the last word before `done` is set."""


J = TypeVar("J", bound=Job)


class Jobs(Generic[J]):
    """The jobs of one kind, by key, in this process."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._jobs: dict[Hashable, J] = {}
        self._lock = threading.Lock()

    def start(self, key: Hashable, new: Callable[[], J], work: Callable[[J], None]) -> J:
        """Run `work` on a `new()` job in a thread; the running job if one already has `key`."""
        with self._lock:
            running = self._jobs.get(key)
            if running is not None and not running.done.is_set():
                return running
            job = self._jobs[key] = new()
        threading.Thread(target=self._run, args=(job, work), name=f"{self.kind}-{key}",
                         daemon=True).start()
        return job

    def _run(self, job: J, work: Callable[[J], None]) -> None:
        try:
            work(job)
        except Exception as e:  # the page must learn that the job ended, whatever happened
            log.exception("%s %s failed", self.kind, job.key)
            job.crashed(e)
        finally:
            job.ended()
            job.done.set()

    def running(self, key: Hashable) -> J | None:
        """The job with this key while it runs."""
        job = self.current(key)
        return job if job is not None and not job.done.is_set() else None

    def current(self, key: Hashable) -> J | None:
        """The job with this key, running or ended and not yet dismissed."""
        with self._lock:
            return self._jobs.get(key)

    def dismiss(self, job: J) -> None:
        """Forget an ended job once its outcome was shown."""
        with self._lock:
            if self._jobs.get(job.key) is job and job.done.is_set():
                del self._jobs[job.key]

    def any_running(self) -> bool:
        with self._lock:
            return any(not job.done.is_set() for job in self._jobs.values())

    def wait_all(self, timeout_s: float) -> bool:
        """Wait until every job running now has ended; False if `timeout_s` passed first."""
        with self._lock:
            pending = [job.done for job in self._jobs.values()]
        deadline = time.monotonic() + timeout_s
        return all(done.wait(max(0.0, deadline - time.monotonic())) for done in pending)
