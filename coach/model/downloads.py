"""Downloading a model into the athlete's Ollama in a background thread, so the page stays
responsive: it polls a snapshot (how far, how many bytes, what Ollama is doing) and can cancel.
Also what is installed, for the Settings page and `coach doctor`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from coach.errors import CoachError, ModelStopped
from coach.model.choice import size_text
from coach.model.client import InstalledModel, OllamaChat, PullProgress
from coach.settings import Settings, check_model_policy

log = logging.getLogger(__name__)
CANCELLED = "Download cancelled; nothing was changed."


@dataclass(frozen=True)
class PullSnapshot:
    """How a download stands; `completed` and `total` add up every layer seen so far."""

    model: str
    status: str
    completed: int = 0
    total: int = 0
    done: bool = False
    error: str | None = None
    cancelled: bool = False

    @property
    def fraction(self) -> float:
        return min(1.0, self.completed / self.total) if self.total else 0.0

    @property
    def succeeded(self) -> bool:
        return self.done and self.error is None and not self.cancelled

    @property
    def text(self) -> str:
        """One line beside a progress bar (which shows the percentage)."""
        if self.done:
            return self.outcome
        if self.total and self.status.startswith("pulling "):
            return (f"Downloading {self.model}: {size_text(self.completed)} of "
                    f"{size_text(self.total)}")
        return f"Downloading {self.model}: {self.status}"

    @property
    def outcome(self) -> str:
        """How it ended, in one sentence."""
        if self.cancelled:
            return CANCELLED
        return self.error or f"{self.model} is downloaded and ready."


@dataclass
class RunningPull:
    """One download: Ollama's progress lines as they come, and a way to cancel it."""

    model: str
    stop: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    _layers: dict[str, tuple[int, int]] = field(default_factory=dict)  # digest: (done, total)
    _status: str = "starting"
    _error: str | None = None
    _cancelled: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, progress: PullProgress) -> None:
        with self._lock:
            self._status = progress.status
            if progress.digest and progress.total:
                self._layers[progress.digest] = (progress.completed or 0, progress.total)

    def finish(self, error: str | None = None, cancelled: bool = False) -> None:
        with self._lock:
            self._error, self._cancelled = error, cancelled
        self.done.set()

    def cancel(self) -> None:
        self.stop.set()

    def snapshot(self) -> PullSnapshot:
        with self._lock:
            completed = sum(done for done, _ in self._layers.values())
            total = sum(total for _, total in self._layers.values())
            return PullSnapshot(self.model, self._status, completed, total, self.done.is_set(),
                                self._error, self._cancelled)


_pulls: dict[str, RunningPull] = {}
_registry_lock = threading.Lock()


def current(model: str) -> RunningPull | None:
    """The download of this model, running or finished and not yet dismissed."""
    with _registry_lock:
        return _pulls.get(model)


def dismiss(pull: RunningPull) -> None:
    """Forget a finished download once its outcome was shown."""
    with _registry_lock:
        if _pulls.get(pull.model) is pull and pull.done.is_set():
            del _pulls[pull.model]


def start(settings: Settings, model: str) -> RunningPull:
    """Start downloading `model` into the configured Ollama; a second start while one runs
    returns the running one. Refuses (CoachError) a model server or model that is not allowed,
    before anything is sent."""
    check_model_policy(settings.model_copy(update={"model": model}))
    with _registry_lock:
        running = _pulls.get(model)
        if running and not running.done.is_set():
            return running
        pull = _pulls[model] = RunningPull(model)
    threading.Thread(target=_download, args=(settings.ollama_host, pull), daemon=True,
                     name=f"pull-{model}").start()
    return pull


def _download(host: str, pull: RunningPull) -> None:
    try:
        with OllamaChat(host, pull.model) as server:
            try:
                server.pull(pull.record, pull.stop)
            except ModelStopped:
                # a download past its last byte may have finished anyway: say what is true
                installed = server.status().model_present
                pull.finish(cancelled=not installed)
                return
        pull.finish()
    except CoachError as e:
        pull.finish(error=str(e))
    except Exception as e:  # the page must learn that the download ended, whatever happened
        log.exception("downloading %s failed", pull.model)
        pull.finish(error=f"The download of {pull.model} failed unexpectedly "
                          f"({type(e).__name__}).")
    finally:
        pull.done.set()


def installed_models(settings: Settings) -> list[InstalledModel]:
    """The local models in the configured Ollama; CoachError when it cannot be asked."""
    check_model_policy(settings)
    with OllamaChat(settings.ollama_host, settings.model) as server:
        return server.installed_models()
