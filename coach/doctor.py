"""`coach doctor`: check each part of the setup and say how to fix what is wrong."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from coach.errors import CoachError
from coach.intervals import IntervalsClient
from coach.llm import OllamaChat
from coach.settings import STREAMLIT_FLAGS, Settings, check_model_policy, ensure_data_dir


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    info: bool = False  # not a problem, just worth knowing (e.g. demo mode)


def run_checks(settings: Settings) -> list[Check]:
    return [check_data_dir(settings), *check_model(settings), check_intervals(settings),
            check_streamlit_privacy()]


def check_streamlit_privacy() -> Check:
    """What Streamlit will actually use, with its config files and `coach`'s own flags."""
    from streamlit import config

    flags = {k: {"true": True, "false": False}.get(v, v) for k, v in STREAMLIT_FLAGS.items()}
    config.get_config_options(force_reparse=True, options_from_flags=flags)
    wrong = [f"{k} = {config.get_option(k)!r}" for k, want in PRIVATE_STREAMLIT.items()
             if config.get_option(k) != want]
    if wrong:
        return Check("Streamlit privacy", False, "not private: " + ", ".join(wrong),
                     "start the page with `coach` (it sets these), not `streamlit run`")
    return Check("Streamlit privacy", True, "listens on 127.0.0.1 only, usage statistics off, "
                 "headless, no email prompt")


PRIVATE_STREAMLIT = {"server.address": "127.0.0.1", "browser.gatherUsageStats": False,
                     "server.headless": True, "server.showEmailPrompt": False}


def check_data_dir(settings: Settings) -> Check:
    try:
        ensure_data_dir(settings.data_dir)
        with tempfile.NamedTemporaryFile(dir=settings.data_dir):
            pass
    except OSError as e:
        return Check("Data dir", False, f"{settings.data_dir} is not writable ({e.strerror})",
                     "set COACH_DATA_DIR to a folder you can write to")
    mode = oct(settings.data_dir.stat().st_mode & 0o777) if os.name == "posix" else ""
    return Check("Data dir", True, f"{settings.data_dir} is writable {mode}".strip())


def check_model(settings: Settings) -> list[Check]:
    try:
        check_model_policy(settings)
    except CoachError as e:
        return [Check("Model server", False, str(e), "set OLLAMA_HOST=http://127.0.0.1:11434")]
    with OllamaChat(settings.ollama_host, settings.model) as model:
        status = model.status()
        version = model.version() if status.reachable else None
    if not status.reachable:
        return [Check("Ollama", False, f"not reachable at {settings.ollama_host}",
                      "start it with `ollama serve` (install: https://ollama.com/download)")]
    checks = [Check("Ollama", True, f"reachable at {settings.ollama_host}, version "
                    f"{version or 'unknown'}")]
    if not status.model_present:
        installed = ", ".join(status.installed) or "none"
        return [*checks, Check("Model", False, f"{settings.model} is not installed "
                               f"(installed: {installed})", f"ollama pull {settings.model}")]
    checks.append(Check("Model", True, f"{settings.model} is installed"))
    if "tools" not in status.capabilities:
        checks.append(Check("Tool calling", False, f"{settings.model} cannot call tools",
                            "pick a tool-capable model: `ollama pull qwen3:8b` and "
                            "COACH_MODEL=qwen3:8b"))
    else:
        checks.append(Check("Tool calling", True, f"{settings.model} can call tools"))
    checks.append(check_context(settings, status.context_length))
    return checks


def check_context(settings: Settings, trained: int | None) -> Check:
    if trained and settings.num_ctx > trained:
        return Check("Context length", False, f"num_ctx {settings.num_ctx} is more than the "
                     f"{trained} tokens {settings.model} was trained for",
                     f"set COACH_NUM_CTX={trained} or less")
    if settings.num_ctx < 4096:
        return Check("Context length", False, f"num_ctx {settings.num_ctx} is too small for "
                     "the tools and a conversation", "set COACH_NUM_CTX=8192")
    known = f" (the model supports {trained})" if trained else ""
    return Check("Context length", True, f"num_ctx {settings.num_ctx} tokens{known}")


def check_intervals(settings: Settings) -> Check:
    if settings.api_key is None:
        return Check("Intervals.icu", False, "no API key: the app runs on the demo athlete",
                     "set COACH_INTERVALS_API_KEY, or paste the key in the page's Settings "
                     "(Intervals.icu → Settings → Developer Settings)", info=True)
    client = IntervalsClient(settings.intervals_url, settings.api_key.get_secret_value(),
                             settings.athlete_id, max_retries=1)
    try:
        athlete = client.athlete()
    except CoachError as e:
        return Check("Intervals.icu", False, str(e),
                     "check COACH_INTERVALS_API_KEY and COACH_ATHLETE_ID (0 = your own account)")
    finally:
        client.close()
    return Check("Intervals.icu", True, f"key accepted for athlete {athlete.id} "
                 f"({athlete.name or 'no name'}), key from {settings.api_key_source}")
