"""Downloading a model into the athlete's Ollama in a background thread (coach.jobs), so the
page stays responsive: it polls a snapshot (how far, how many bytes, what Ollama is doing) and
can cancel. Also what is installed, for the Settings page and `coach doctor`."""

from __future__ import annotations

from dataclasses import dataclass

from coach.errors import CoachError, ModelStopped
from coach.jobs import Job, Jobs
from coach.model.choice import size_text
from coach.model.client import InstalledModel, OllamaChat, PullProgress
from coach.settings import Settings, check_model_policy

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


class RunningPull(Job):
    """One download: Ollama's progress lines as they come, and a way to cancel it."""

    def __init__(self, model: str) -> None:
        super().__init__(model)
        self.model = model
        self._layers: dict[str, tuple[int, int]] = {}  # digest: (done, total)
        self._status = "starting"
        self._error: str | None = None
        self._cancelled = False

    def record(self, progress: PullProgress) -> None:
        with self._lock:
            self._status = progress.status
            if progress.digest and progress.total:
                self._layers[progress.digest] = (progress.completed or 0, progress.total)

    def finish(self, error: str | None = None, cancelled: bool = False) -> None:
        with self._lock:
            self._error, self._cancelled = error, cancelled

    def crashed(self, error: Exception) -> None:
        self.finish(error=f"The download of {self.model} failed unexpectedly "
                          f"({type(error).__name__}).")

    def cancel(self) -> None:
        self.stop.set()

    def snapshot(self) -> PullSnapshot:
        with self._lock:
            completed = sum(done for done, _ in self._layers.values())
            total = sum(total for _, total in self._layers.values())
            return PullSnapshot(self.model, self._status, completed, total, self.done.is_set(),
                                self._error, self._cancelled)


_pulls: Jobs[RunningPull] = Jobs("pull")


def current(model: str) -> RunningPull | None:
    """The download of this model, running or finished and not yet dismissed."""
    return _pulls.current(model)


def dismiss(pull: RunningPull) -> None:
    """Forget a finished download once its outcome was shown."""
    _pulls.dismiss(pull)


def start(settings: Settings, model: str) -> RunningPull:
    """Start downloading `model` into the configured Ollama; a second start while one runs
    returns the running one. Refuses (CoachError) a model server or model that is not allowed,
    before anything is sent."""
    check_model_policy(settings.model_copy(update={"model": model}))
    return _pulls.start(model, lambda: RunningPull(model),
                        lambda pull: _download(settings.ollama_host, pull))


def _download(host: str, pull: RunningPull) -> None:
    try:
        with OllamaChat(host, pull.model) as server:
            try:
                server.pull(pull.record, pull.stop)
            except ModelStopped:
                # a download past its last byte may have finished anyway: say what is true
                pull.finish(cancelled=not server.status().model_present)
                return
        pull.finish()
    except CoachError as e:
        pull.finish(error=str(e))


def installed_models(settings: Settings) -> list[InstalledModel]:
    """The local models in the configured Ollama; CoachError when it cannot be asked."""
    check_model_policy(settings)
    with OllamaChat(settings.ollama_host, settings.model) as server:
        return server.installed_models()
