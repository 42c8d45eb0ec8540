import stat

import pytest

from coach.errors import ModelHostRefused, SettingsError
from coach.settings import (
    KEY_FILE,
    Forgotten,
    check_model_policy,
    forget_api_key,
    load_settings,
    normalize_host,
    save_api_key,
    save_settings,
)


def test_defaults_follow_the_configuration_contract(data_dir):
    s = load_settings()
    assert s.data_dir == data_dir
    assert s.intervals_url == "https://intervals.icu"
    assert s.athlete_id == "0"
    assert s.ollama_host == "http://127.0.0.1:11434"
    assert s.model == "qwen3:8b" and s.num_ctx == 8192 and s.think is False
    assert s.allow_remote_model is False
    assert s.demo and s.api_key is None


def test_env_vars_win_over_saved_values(settings_for, data_dir):
    save_settings(data_dir, {"model": "llama3.1:8b", "athlete_id": "i1", "num_ctx": 4096})
    s = settings_for(COACH_MODEL="qwen3:14b", COACH_NUM_CTX="16384")
    assert s.model == "qwen3:14b" and s.sources["model"] == "env"
    assert s.num_ctx == 16384
    assert s.athlete_id == "i1" and s.sources["athlete_id"] == "saved"


def test_env_key_is_never_written_to_disk(settings_for, data_dir):
    s = settings_for(COACH_INTERVALS_API_KEY="canary-key-123")
    assert not s.demo and s.api_key_source == "env"
    assert s.api_key.get_secret_value() == "canary-key-123"
    assert "canary-key-123" not in repr(s) and "canary-key-123" not in s.model_dump_json()
    files = [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.exists() else []
    assert not any("canary-key-123" in p.read_text(errors="ignore") for p in files)


def test_typed_key_goes_to_a_file_only_the_user_can_read(data_dir):
    save_api_key(data_dir, "  typed-key  ")
    path = data_dir / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    s = load_settings()
    assert s.api_key.get_secret_value() == "typed-key" and s.api_key_source == "file"
    assert "typed-key" not in (data_dir / "settings.json").read_text() if (
        data_dir / "settings.json").exists() else True
    forgotten = Forgotten()
    forget_api_key(data_dir, forgotten)
    assert forgotten.deleted and not forgotten.problems and load_settings().demo


def test_saving_unknown_settings_or_an_empty_key_is_refused(data_dir):
    with pytest.raises(SettingsError, match="unknown settings: api_key"):
        save_settings(data_dir, {"api_key": "x"})
    with pytest.raises(SettingsError, match="Developer Settings"):
        save_api_key(data_dir, "   ")


def test_damaged_settings_file_falls_back_to_defaults(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_text("{not json")
    assert load_settings().model == "qwen3:8b"


def test_invalid_number_gives_a_clear_message(settings_for):
    with pytest.raises(SettingsError, match="num_ctx"):
        settings_for(COACH_NUM_CTX="lots")


@pytest.mark.parametrize("raw, url", [
    ("127.0.0.1:11434", "http://127.0.0.1:11434"),
    ("localhost", "http://localhost:11434"),
    ("http://127.0.0.1:9999/", "http://127.0.0.1:9999"),
    ("https://models.example.com", "https://models.example.com:443"),
    ("[::1]:11434", "http://[::1]:11434"),
])
def test_ollama_host_is_normalised_like_the_client_does(raw, url):
    assert normalize_host(raw) == url


def test_remote_model_host_refused_unless_allowed(settings_for, monkeypatch):
    s = settings_for(OLLAMA_HOST="http://192.168.1.20:11434")
    with pytest.raises(ModelHostRefused, match="COACH_ALLOW_REMOTE_MODEL=1"):
        check_model_policy(s)
    monkeypatch.setenv("COACH_ALLOW_REMOTE_MODEL", "1")
    check_model_policy(load_settings())  # no exception


def test_cloud_models_refused(settings_for):
    with pytest.raises(ModelHostRefused, match="ollama.com"):
        check_model_policy(settings_for(COACH_MODEL="gpt-oss:120b-cloud"))


@pytest.mark.parametrize("host", ["localhost:abc", "ftp://127.0.0.1", "http://:11434"])
def test_invalid_host_is_a_settings_error_and_is_never_saved(data_dir, host):
    with pytest.raises(SettingsError, match="not a valid address"):
        normalize_host(host)
    with pytest.raises(SettingsError):
        save_settings(data_dir, {"ollama_host": host})
    assert load_settings().ollama_host == "http://127.0.0.1:11434"


def test_invalid_number_is_never_saved(data_dir):
    with pytest.raises(SettingsError, match="Not saved: num_ctx"):
        save_settings(data_dir, {"num_ctx": "big"})
    assert not (data_dir / "settings.json").exists()


def test_a_damaged_saved_host_can_be_reset(data_dir):
    from coach.settings import reset_saved_settings

    data_dir.mkdir(parents=True)
    (data_dir / "settings.json").write_text('{"ollama_host": "localhost:abc"}')
    with pytest.raises(SettingsError, match="not a valid address"):
        load_settings()
    assert reset_saved_settings(data_dir) and load_settings().ollama_host.endswith(":11434")


class MemoryKeyring:
    """A keyring backend kept in memory (keyring's public API for custom backends)."""

    priority = 10

    def __init__(self):
        self.passwords = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        del self.passwords[(service, username)]


@pytest.fixture
def os_keyring():
    import keyring
    from keyring.backend import KeyringBackend

    backend_class = type("Memory", (MemoryKeyring, KeyringBackend), {})
    before = keyring.get_keyring()
    backend = backend_class()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_a_typed_key_goes_to_the_os_keyring_when_there_is_one(data_dir, os_keyring):
    assert save_api_key(data_dir, "ring-key") == "keyring"
    assert not (data_dir / KEY_FILE).exists()
    assert list(os_keyring.passwords.values()) == ["ring-key"]
    s = load_settings()
    assert s.api_key.get_secret_value() == "ring-key" and s.api_key_source == "keyring"
    forgotten = Forgotten()
    forget_api_key(data_dir, forgotten)
    assert forgotten.deleted and os_keyring.passwords == {} and load_settings().demo


def test_without_a_keyring_the_key_goes_to_a_private_file(data_dir):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())        # what a headless Linux box has
    try:
        assert save_api_key(data_dir, "file-key") == "file"
    finally:
        keyring.set_keyring(before)
    assert stat.S_IMODE((data_dir / KEY_FILE).stat().st_mode) == 0o600
