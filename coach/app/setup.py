"""The setup, as the Settings page and `coach doctor` see it: the settings resolved (and reset,
and forgotten), the model server and its models (status, what is installed, downloading one in
the background, the one recommended for this machine), and whether the Intervals.icu key
works. Each of these talks to its outside system through that system's own module."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from coach import settings as config
from coach.errors import CoachError
from coach.intervals.client import IntervalsClient
from coach.model.choice import Recommendation, download_size, recommend, size_text, total_memory
from coach.model.client import InstalledModel, ModelStatus, OllamaChat
from coach.model.downloads import PullSnapshot, RunningPull, current, dismiss, installed_models
from coach.model.downloads import start as start_download
from coach.records import Athlete
from coach.settings import ENV_VARS, STREAMLIT_FLAGS, Forgotten, Settings, ensure_data_dir

__all__ = ["ENV_VARS", "STREAMLIT_FLAGS", "Forgotten", "InstalledModel", "ModelStatus",
           "PullSnapshot", "Recommendation", "RunningPull", "Settings", "check_model", "current",
           "dismiss", "download_size", "ensure_data_dir", "forget_everything",
           "installed_models", "key_owner", "mark_forgotten", "model_policy_problem", "rank",
           "recommendation", "reset_saved_settings", "resolve_settings", "server_version",
           "size_text", "start_again", "start_download", "tool_models", "was_forgotten"]


# Data folders the athlete emptied with Forget me in this process: no Coach is opened on them
# (it would create a database and sync) until the athlete asks to start again.
_forgotten: set[Path] = set()


def mark_forgotten(settings: Settings) -> None:
    """Forget me was pressed: from now on this process reads nothing for this data folder (not
    even with a key in the environment) until `start_again`."""
    _forgotten.add(settings.data_dir.resolve())


def was_forgotten(settings: Settings) -> bool:
    return settings.data_dir.resolve() in _forgotten


def start_again(settings: Settings) -> None:
    """The athlete asks to use Local Coach again after Forget me."""
    _forgotten.discard(settings.data_dir.resolve())


def resolve_settings() -> Settings:
    """Settings from the environment and the saved values, once per session or command."""
    return config.load_settings()


def reset_saved_settings() -> bool:
    """Forget the settings page's values when they cannot be read (not the key)."""
    return config.reset_saved_settings(config.data_dir_from_env())


def forget_everything(settings: Settings) -> Forgotten:
    """Delete the local database, saved settings and the stored key (no Coach is opened, so
    no database is made to be deleted)."""
    return config.forget_everything(settings.data_dir)


def model_policy_problem(settings: Settings) -> str | None:
    """Why the configured model server or model is not allowed (a cloud model, a server off
    this machine without the opt-in), None when it is."""
    try:
        config.check_model_policy(settings)
    except CoachError as e:
        return str(e)
    return None


def check_model(settings: Settings) -> ModelStatus:
    """Is the configured model allowed, reachable, installed and able to call tools? Never
    raises."""
    try:
        config.check_model_policy(settings)
    except CoachError as e:
        return ModelStatus(settings.ollama_host, False, problem=str(e))
    with OllamaChat(settings.ollama_host, settings.model) as model:
        return model.status()


def server_version(settings: Settings) -> str | None:
    """The model server's version, None when it cannot be asked."""
    with OllamaChat(settings.ollama_host, settings.model) as model:
        return model.version()


def recommendation() -> Recommendation:
    """The model to download for this machine's memory, and why."""
    return recommend(total_memory())


def rank(models: Sequence[InstalledModel], memory_bytes: int | None) -> list[InstalledModel]:
    """The models that can call tools, best first, by the rule of `recommend` (what `coach
    doctor` recommends): the largest model this much memory runs comfortably is the best. So
    the models no larger than the recommended download come first, largest first; then the
    ones too large for this machine, the nearest to fitting first."""
    ceiling = recommend(memory_bytes).download_bytes

    def order(m: InstalledModel) -> tuple[bool, int, str]:
        fits = m.size <= ceiling
        return not fits, -m.size if fits else m.size, m.name
    return sorted((m for m in models if m.tools), key=order)


def tool_models(settings: Settings) -> list[InstalledModel]:
    """The installed models that can call tools, best first for this machine (`rank`);
    CoachError when Ollama cannot be asked."""
    return rank(installed_models(settings), total_memory())


def key_owner(settings: Settings) -> Athlete:
    """The athlete the Intervals.icu key belongs to (asked once, no retries); CoachError when
    the key or the server says no."""
    assert settings.api_key is not None
    with IntervalsClient(settings.intervals_url, settings.api_key.get_secret_value(),
                         settings.athlete_id, max_retries=1) as client:
        return client.athlete()
