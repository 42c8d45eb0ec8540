"""Boundaries and privacy settings that must not drift: checked by reading the source."""

import ast
import tomllib
from pathlib import Path

import pytest

from coach.cli import STREAMLIT_FLAGS

ROOT = Path(__file__).resolve().parents[1]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


IO_LIBRARIES = {"httpx", "sqlite_utils", "sqlite3", "ollama", "streamlit", "socket", "urllib",
                "requests"}


@pytest.mark.parametrize("module", ["workouts", "analysis", "demo"])
def test_pure_core_does_no_io(module):
    assert imports(ROOT / "coach" / f"{module}.py") & IO_LIBRARIES == set()


@pytest.mark.parametrize("library, allowed", [
    ("httpx", {"intervals.py", "llm.py"}),      # llm.py only catches httpx errors of the client
    ("sqlite_utils", {"store.py"}),
    ("sqlite3", {"store.py"}),
    ("ollama", {"llm.py"}),
    ("streamlit", {"cli.py", "doctor.py"}),     # start the page; read its effective config
])
def test_one_module_per_outside_system(library, allowed):
    users = {p.name for p in (ROOT / "coach").glob("*.py") if library in imports(p)}
    assert users == allowed


def test_pages_do_no_sql_or_http():
    for page in (ROOT / "ui").rglob("*.py"):
        assert imports(page) & {"httpx", "sqlite_utils", "sqlite3", "ollama"} == set(), page


def test_agent_has_no_streamlit_and_no_write_path():
    assert "streamlit" not in imports(ROOT / "coach" / "agent.py")
    for module in ("agent.py", "tools.py"):
        source = (ROOT / "coach" / module).read_text()
        assert "create_event" not in source and "publish" not in source, module


@pytest.mark.parametrize("config", [".streamlit/config.toml", "ui/.streamlit/config.toml"])
def test_streamlit_config_files_are_private(config):
    values = tomllib.loads((ROOT / config).read_text())
    assert values["browser"]["gatherUsageStats"] is False
    assert values["server"]["address"] == "127.0.0.1"
    assert values["server"]["headless"] is True
    assert values["server"]["showEmailPrompt"] is False
    flat = {f"{section}.{key}": str(v).lower() for section, items in values.items()
            for key, v in items.items()}
    for key, value in STREAMLIT_FLAGS.items():
        assert flat.get(key) == value, key       # flags and files say the same


def test_no_page_resource_from_outside_the_machine():
    """No image, icon, embedded HTML or component in the pages: each could fetch a URL.
    (A link the athlete may click, like ollama.com/download, is not fetched by itself.)"""
    for page in (ROOT / "ui").rglob("*.py"):
        source = page.read_text()
        for risky in ("st.image", "page_icon", "unsafe_allow_html", "components.v1", "st.html",
                      "st.map", "pydeck", "](http"):
            assert risky not in source, (page, risky)
