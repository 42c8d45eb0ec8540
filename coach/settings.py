"""One Settings object: environment variables first, then values saved from the settings page."""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr

from coach.analysis import Availability
from coach.errors import ModelHostRefused, SettingsError

DEFAULT_MODEL = "qwen3:8b"
DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
DEFAULT_INTERVALS_URL = "https://intervals.icu"
DEFAULT_NUM_CTX = 8192
SETTINGS_FILE = "settings.json"
KEY_FILE = "intervals-api-key"
KEYRING_SERVICE = "local-coach: Intervals.icu API key"

# Passed to Streamlit on every start, so privacy holds whatever directory `coach` starts from.
# A list is passed as the flag repeated. The guard in front of Streamlit (ui/guard.py) checks
# Host and Origin exactly, ports included; allowedHosts is Streamlit's own, by name only.
STREAMLIT_FLAGS: dict[str, str | tuple[str, ...]] = {
    "server.address": "127.0.0.1",
    "browser.serverAddress": "127.0.0.1",
    "server.allowedHosts": ("127.0.0.1", "localhost"),
    "server.enableCORS": "true",
    "server.enableXsrfProtection": "true",
    "server.enableAgentApi": "false",
    "server.enableStaticServing": "false",
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "server.showEmailPrompt": "false",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",
    "client.showErrorLinks": "false",
}

# What the settings page may save; the API key is stored separately (never in settings.json).
SAVED_FIELDS = ("intervals_url", "athlete_id", "ollama_host", "model", "num_ctx", "think",
                "availability")
ENV_VARS = {
    "intervals_url": "COACH_INTERVALS_URL",
    "athlete_id": "COACH_ATHLETE_ID",
    "ollama_host": "OLLAMA_HOST",
    "model": "COACH_MODEL",
    "num_ctx": "COACH_NUM_CTX",
    "think": "COACH_THINK",
}


class Settings(BaseModel):
    """Everything the app needs to know about where things are."""

    data_dir: Path
    intervals_url: str = DEFAULT_INTERVALS_URL
    api_key: SecretStr | None = None
    api_key_source: Literal["env", "keyring", "file", "none"] = "none"
    athlete_id: str = "0"
    ollama_host: str = DEFAULT_OLLAMA_HOST
    model: str = DEFAULT_MODEL
    num_ctx: int = DEFAULT_NUM_CTX
    think: bool = False
    allow_remote_model: bool = False
    availability: Availability | None = None  # when the athlete can train (settings page only)
    sources: dict[str, str] = {}

    @property
    def demo(self) -> bool:
        """True when no Intervals.icu key is configured: the app runs on the demo athlete."""
        return self.api_key is None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "coach.db"


def default_data_dir() -> Path:
    """The platform's per-user data directory for Local Coach."""
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "Local Coach"
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "Local Coach"
    base = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / "local-coach"


def data_dir_from_env(env: Mapping[str, str] | None = None) -> Path:
    """COACH_DATA_DIR, or the platform's per-user data directory."""
    env = os.environ if env is None else env
    return Path(env.get("COACH_DATA_DIR") or default_data_dir()).expanduser()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Resolve settings: env vars win, then the settings page's saved values, then defaults."""
    env = os.environ if env is None else env
    data_dir = data_dir_from_env(env)
    saved = read_saved(data_dir)
    values: dict[str, Any] = {"data_dir": data_dir}
    sources: dict[str, str] = {}
    for field in SAVED_FIELDS:
        if env.get(ENV_VARS.get(field, "")):
            values[field], sources[field] = env[ENV_VARS[field]], "env"
        elif field in saved:
            values[field], sources[field] = saved[field], "saved"
    values["ollama_host"] = normalize_host(values.get("ollama_host", DEFAULT_OLLAMA_HOST))
    values["allow_remote_model"] = _truthy(env.get("COACH_ALLOW_REMOTE_MODEL", ""))
    key, source = _resolve_key(env, data_dir)
    try:
        return Settings(**values, api_key=key, api_key_source=source, sources=sources)
    except ValueError as e:
        raise SettingsError(f"A setting has an invalid value: {_first_error(e)}") from None


def _resolve_key(env: Mapping[str, str], data_dir: Path) -> tuple[SecretStr | None, Any]:
    if env.get("COACH_INTERVALS_API_KEY", "").strip():
        return SecretStr(env["COACH_INTERVALS_API_KEY"].strip()), "env"
    ring = os_keyring()
    if ring is not None:
        try:
            stored = ring.get_password(KEYRING_SERVICE, str(data_dir))
        except Exception:  # a locked or broken keyring: fall back to the file
            stored = None
        if stored:
            return SecretStr(stored), "keyring"
    path = data_dir / KEY_FILE
    if path.is_file():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return SecretStr(stored), "file"
    return None, "none"


def read_saved(data_dir: Path) -> dict[str, Any]:
    """The values saved from the settings page, or {} when there are none or the file is damaged."""
    path = data_dir / SETTINGS_FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in saved.items() if k in SAVED_FIELDS} if isinstance(saved, dict) else {}


def save_settings(data_dir: Path, values: Mapping[str, Any]) -> None:
    """Save settings-page values (never the API key) to the data dir."""
    unknown = set(values) - set(SAVED_FIELDS)
    if unknown:
        raise SettingsError(f"Cannot save unknown settings: {', '.join(sorted(unknown))}.")
    merged = {**read_saved(data_dir), **values}
    if "ollama_host" in merged:
        merged["ollama_host"] = normalize_host(str(merged["ollama_host"]))
    try:  # refuse what load_settings() could not read back, so the page never locks itself out
        Settings(data_dir=data_dir, **merged)
    except ValueError as e:
        raise SettingsError(f"Not saved: {_first_error(e)}") from None
    ensure_data_dir(data_dir)
    _write_private(data_dir / SETTINGS_FILE, json.dumps(merged, indent=2, sort_keys=True))


def reset_saved_settings(data_dir: Path) -> bool:
    """Forget the settings page's values (not the key); True if there were any."""
    path = data_dir / SETTINGS_FILE
    if path.exists():
        path.unlink()
        return True
    return False


def os_keyring() -> Any:
    """The OS keyring (macOS Keychain, Windows Credential Manager, Secret Service), when the
    optional `keyring` package is installed and a real backend is available; else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return keyring


def save_api_key(data_dir: Path, key: str) -> str:
    """Store a key typed into the settings page: in the OS keyring when there is one, else in
    a file only this user can read. Returns where it went ("keyring" or "file")."""
    key = key.strip()
    if not key:
        raise SettingsError("The API key is empty: paste it from Intervals.icu → Settings → "
                            "Developer Settings.")
    ensure_data_dir(data_dir)
    ring = os_keyring()
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, str(data_dir), key)
        except Exception:  # a locked or broken keyring: the file is the fallback
            pass
        else:
            (data_dir / KEY_FILE).unlink(missing_ok=True)  # one place only
            return "keyring"
    _write_private(data_dir / KEY_FILE, key)
    return "file"


@dataclass
class Forgotten:
    """What Forget me deleted, and what it could not (each a sentence saying how to do it
    by hand): it never reports something deleted that is still there."""

    deleted: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)


def forget_api_key(data_dir: Path, forgotten: Forgotten) -> None:
    """Delete a stored key from the OS keyring and the key file."""
    ring = os_keyring()
    if ring is not None:
        try:
            if ring.get_password(KEYRING_SERVICE, str(data_dir)):
                ring.delete_password(KEYRING_SERVICE, str(data_dir))
                forgotten.deleted.append("the Intervals.icu API key in the OS keyring")
        except Exception as e:  # a locked keyring or one that refuses: say so, never pretend
            forgotten.problems.append(
                f"The Intervals.icu API key could not be removed from the OS keyring "
                f"({type(e).__name__}: {e}). Remove it by hand: open your keyring app "
                "(Keychain Access, Credential Manager or Passwords and Keys) and delete the "
                f'entry "{KEYRING_SERVICE}" for {data_dir}, or run `python -m keyring del '
                f'"{KEYRING_SERVICE}" "{data_dir}"`.')
    path = data_dir / KEY_FILE
    try:
        if path.exists():
            path.unlink()
            forgotten.deleted.append("the stored Intervals.icu API key")
    except OSError as e:
        forgotten.problems.append(f"The key file {path} could not be deleted ({e.strerror}): "
                                  "delete it by hand.")


def forget_everything(data_dir: Path) -> Forgotten:
    """Delete what Local Coach keeps about the athlete; says what was deleted and what not."""
    forgotten = Forgotten()
    database = [data_dir / f"coach.db{suffix}" for suffix in ("", "-wal", "-shm")]
    existed = any(p.exists() for p in database)
    try:
        for path in database:
            path.unlink(missing_ok=True)
    except OSError as e:
        forgotten.problems.append(f"The database {data_dir / 'coach.db'} could not be deleted "
                                  f"({e.strerror}): close Local Coach and delete it by hand.")
    else:
        if existed:
            forgotten.deleted.append(f"the database ({data_dir / 'coach.db'})")
    if reset_saved_settings(data_dir):
        forgotten.deleted.append("saved settings")
    forget_api_key(data_dir, forgotten)
    return forgotten


def ensure_data_dir(data_dir: Path) -> Path:
    """Create the data dir readable only by this user."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        data_dir.chmod(0o700)
    return data_dir


def _write_private(path: Path, text: str) -> None:
    # Create with 0600 from the start so the content is never readable by others, even briefly.
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def normalize_host(host: str) -> str:
    """Turn an OLLAMA_HOST value such as `127.0.0.1:11434` or `localhost` into a URL."""
    host = host.strip().rstrip("/")
    if "://" not in host:
        host = "http://" + host
    parts = urlsplit(host)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 11434)
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.scheme not in ("http", "https"):
        raise SettingsError(f"The Ollama host {host!r} is not a valid address; "
                            "use e.g. http://127.0.0.1:11434.")
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{name}:{port}{parts.path}"


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine."""
    hostname = urlsplit(url).hostname or ""
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def check_model_policy(settings: Settings) -> None:
    """Refuse a model that would send the athlete's data off this machine."""
    if not is_loopback(settings.ollama_host) and not settings.allow_remote_model:
        raise ModelHostRefused(
            f"The model server {settings.ollama_host} is not on this machine, so your training "
            "data would leave it. Use a local Ollama (http://127.0.0.1:11434), or set "
            "COACH_ALLOW_REMOTE_MODEL=1 if you trust that server.")
    if settings.model.endswith("-cloud") or ":cloud" in settings.model:
        raise ModelHostRefused(
            f"The model {settings.model} runs on ollama.com, not on your machine. "
            "Pick a local model, e.g. `ollama pull qwen3:8b`.")


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _first_error(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if callable(errors):
        first = errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(error)
