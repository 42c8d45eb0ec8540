"""`coach doctor`: check each part of the setup and say how to fix what is wrong."""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
from dataclasses import dataclass
from typing import Protocol, TextIO

from coach.app import Settings, SyncProgress, setup
from coach.app.setup import (
    STREAMLIT_FLAGS,
    InstalledModel,
    download_size,
    ensure_data_dir,
    size_text,
)
from coach.cli.ports import port_free
from coach.errors import CoachError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    info: bool = False  # not a problem, just worth knowing (e.g. demo mode)


def run_checks(settings: Settings, port: int = 8501) -> list[Check]:
    return [check_data_dir(settings), *check_model(settings), check_intervals(settings),
            check_streamlit_privacy(), check_page_guard(port)]


def check_streamlit_privacy() -> Check:
    """What Streamlit will actually use, with its config files and `coach`'s own flags."""
    from streamlit import config  # imported late: slow, and only `coach doctor` needs it

    flags = {k: list(v) if isinstance(v, tuple) else {"true": True, "false": False}.get(v, v)
             for k, v in STREAMLIT_FLAGS.items()}
    config.get_config_options(force_reparse=True, options_from_flags=flags)
    wrong = [f"{k} = {config.get_option(k)!r}" for k, want in PRIVATE_STREAMLIT.items()
             if _same(config.get_option(k)) != _same(want)]
    if wrong:
        return Check("Streamlit privacy", False, "not private: " + ", ".join(wrong),
                     "start the page with `coach` (it sets these), not `streamlit run`")
    return Check("Streamlit privacy", True, "listens on 127.0.0.1 only, answers only the host "
                 "names 127.0.0.1 and localhost, origin and XSRF checks on, no agent API, "
                 "usage statistics off, headless, no email prompt, no help links off the machine")


PRIVATE_STREAMLIT = {"server.address": "127.0.0.1", "browser.gatherUsageStats": False,
                     "server.headless": True, "server.showEmailPrompt": False,
                     "server.allowedHosts": ["127.0.0.1", "localhost"],
                     "server.enableCORS": True, "server.enableXsrfProtection": True,
                     "server.enableAgentApi": False, "client.showErrorLinks": "false"}


def _same(value: object) -> object:
    """A setting as compared: `False` and "false" are one value (flags arrive as text)."""
    return [str(v) for v in value] if isinstance(value, list | tuple) else str(value).lower()


def check_page_guard(port: int) -> Check:
    """Who may open the page and act. When the page runs on `port`, it is asked as an attacker
    would: another host name, and another local port's origin, must both be refused."""
    own = f"http://127.0.0.1:{port} and http://localhost:{port}"
    rule = (f"only {own} may open the page or act; any other host or origin is refused before "
            "Streamlit sees it, so refusing never makes it look this machine's address up on "
            "the internet")
    if port_free(port):
        return Check("Page guard", True, f"{rule} (the page is not running on port {port}; "
                     "run `coach doctor` again while it runs to see it refuse)")
    answers = _ask_as_an_attacker(port)
    let_in = [what for what, status in answers.items() if status not in (403, None)]
    if let_in:
        return Check("Page guard", False, f"the page on port {port} answered "
                     + ", ".join(f"{what} (HTTP {answers[what]})" for what in let_in),
                     "stop it and start the page with `coach`, which serves it behind the guard "
                     "(`streamlit run ui/app.py` does not)")
    return Check("Page guard", True, f"{rule}: the page on port {port} refused a rebound host "
                 "name and a page on another local port")


def _ask_as_an_attacker(port: int) -> dict[str, int | None]:
    """HTTP status the running page gives each attack (None when it could not be asked)."""
    upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "bG9jYWwtY29hY2gtZG9jdA==",
               "Sec-WebSocket-Protocol": "streamlit"}
    return {
        "a rebound host name": _status(port, "/", {"Host": f"rebound.invalid:{port}"}),
        "a page on another local port": _status(port, "/_stcore/stream", {
            **upgrade, "Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port + 1}"}),
    }


def _status(port: int, path: str, headers: dict[str, str]) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


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
    refused = setup.model_policy_problem(settings)
    if refused:
        return [Check("Model server", False, refused, "set OLLAMA_HOST=http://127.0.0.1:11434")]
    status = setup.check_model(settings)
    version = setup.server_version(settings) if status.reachable else None
    if not status.reachable:
        return [Check("Ollama", False, f"not reachable at {settings.ollama_host}",
                      "start it with `ollama serve` (install: https://ollama.com/download)")]
    checks = [Check("Ollama", True, f"reachable at {settings.ollama_host}, version "
                    f"{version or 'unknown'}")]
    if not status.model_present:
        installed = ", ".join(status.installed) or "none"
        return [*checks, Check("Model", False, f"{settings.model} is not installed "
                               f"(installed: {installed})", f"ollama pull {settings.model}, or "
                               "`coach doctor --fix` to download it from here")]
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
    try:
        athlete = setup.key_owner(settings)
    except CoachError as e:
        return Check("Intervals.icu", False, str(e),
                     "check COACH_INTERVALS_API_KEY and COACH_ATHLETE_ID (0 = your own account)")
    return Check("Intervals.icu", True, f"key accepted for athlete {athlete.id} "
                 f"({athlete.name or 'no name'}), key from {settings.api_key_source}")


# --- getting a model (`coach doctor` lists them; `--fix` downloads the missing one) ---------

class ProgressBar(Protocol):
    """The terminal's progress bar (commands.ProgressPrinter): a fraction and a line, then a
    last newline."""

    def __call__(self, progress: SyncProgress) -> None: ...

    def finish(self) -> None: ...


def models_report(settings: Settings) -> list[str]:
    """The installed models (tools, size, context) and the one recommended for this machine."""
    try:
        installed: list[InstalledModel] | None = setup.installed_models(settings)
    except CoachError:
        installed = None  # the checks above say why Ollama cannot be asked
    lines = []
    if installed is not None:
        lines.append("Installed models:" if installed else "Installed models: none")
        lines += [f"  {_model_line(m)}" for m in installed]
    advice = setup.recommendation()
    lines.append(f"Recommended for this machine: {advice.model}. {advice.reason}")
    return lines


def _model_line(model: InstalledModel) -> str:
    tools = "tools: yes" if model.tools else "tools: no "
    context = f"context {model.context_length:,}" if model.context_length else "context ?"
    return (f"{model.name:<24} {model.parameter_size or '?':>6} {size_text(model.size):>8}  "
            f"{tools}  {context}")


def fix_model(settings: Settings, checks: list[Check], out: TextIO, bar: ProgressBar,
              yes: bool = False) -> bool:
    """`--fix`: when Ollama runs without the configured model, offer to download it (asked on
    standard input unless `yes`). True when a download was tried: check again."""
    if not any(c.name == "Model" and not c.ok for c in checks):
        return False
    size = download_size(settings.model)
    about = f" (about {size_text(size)})" if size else ""
    if yes:
        print(f"Downloading {settings.model}{about}. Press Ctrl+C to cancel.", file=out)
    elif not _ask(f"Download {settings.model} now{about}? [y/N] ", out):
        print("Nothing was downloaded.", file=out)
        return False
    print(download_in_terminal(settings, settings.model, bar), file=out)
    return True


def _ask(question: str, out: TextIO) -> bool:
    print(question, end="", file=out, flush=True)
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def download_in_terminal(settings: Settings, model: str, bar: ProgressBar) -> str:
    """Download with a progress bar until it ends; Ctrl+C cancels it. How it ended."""
    pull = setup.start_download(settings, model)
    try:
        while not pull.done.wait(0.2):
            now = pull.snapshot()
            bar(SyncProgress(now.completed, now.total, now.text))
    except KeyboardInterrupt:
        pull.cancel()
        pull.done.wait(30)
    bar.finish()
    setup.dismiss(pull)
    return pull.snapshot().outcome
