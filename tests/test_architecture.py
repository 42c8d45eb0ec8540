"""The shape of the house, checked by reading the source: the import graph followed through every
module (transitively, function-level imports included), the boundaries, and the privacy settings
that must not drift."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from coach.settings import STREAMLIT_FLAGS

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("coach", "ui", "coach_testing", "benchmarks")

IO_LIBRARIES = {"httpx", "sqlite_utils", "sqlite3", "ollama", "streamlit", "socket", "urllib",
                "requests", "http", "keyring", "subprocess", "shutil"}
# Modules that talk to an outside system or to the disk: the pages reach them through Coach.
BOUNDARIES = {"coach.intervals", "coach.store", "coach.llm", "coach.settings", "coach.egress",
              "coach.publishing", "coach.sync", "coach.demo.calendar", "coach.doctor"}
PURE_CORE = ("coach.workout", "coach.analysis", "coach.records", "coach.demo.generator",
             "coach.demo.sessions", "coach.demo.activities",
             "coach.grounding", "coach.display", "coach.textcalls", "coach.context")
MODEL_REACHABLE = ("coach.tools", "coach.reports", "coach.agent")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found[module_name(path)] = path
    return found


def _resolve(name: str, level: int, current: str, is_package: bool) -> str:
    if not level:
        return name
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


@cache
def imports_of(module: str) -> frozenset[str]:
    """Everything a module imports: our modules by full name, others by their top-level name."""
    path = modules()[module]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {_ours(alias.name) or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module or "", node.level, module, path.name == "__init__.py")
            found.add(_ours(base) or base.split(".")[0])
            found |= {m for alias in node.names if (m := _ours(f"{base}.{alias.name}"))}
    found.discard(module)
    return frozenset(found)


def _ours(name: str) -> str | None:
    """The module `name` is, or lives in, when it is one of ours."""
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


def reachable(start: str, extra: Iterable[tuple[str, str]] = ()) -> set[str]:
    """Every module that importing `start` runs (packages' __init__ included), plus the
    outside libraries they import."""
    edges = list(extra)
    seen, pending = set(), [start]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in modules():
            continue
        nexts = set(imports_of(current)) | {b for a, b in edges if a == current}
        nexts |= {p for m in nexts for p in _parents(m)}  # importing a.b.c runs a.b too
        pending += sorted(nexts)
    return seen - {start}


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [p for i in range(1, len(parts)) if (p := ".".join(parts[:i])) in modules()]


def inside(found: set[str], packages: Iterable[str]) -> set[str]:
    return {m for m in found for p in packages if m == p or m.startswith(p + ".")}


# --- the import graph ---------------------------------------------------------------------

@pytest.mark.parametrize("core", PURE_CORE)
def test_pure_core_reaches_no_io_and_no_boundary(core):
    for module in inside(set(modules()), [core]):
        found = reachable(module)
        assert found & IO_LIBRARIES == set(), module
        assert inside(found, BOUNDARIES) == set(), module


@pytest.mark.parametrize("module", MODEL_REACHABLE)
def test_nothing_the_model_can_reach_can_reach_a_write(module):
    found = reachable(module)
    assert inside(found, ["coach.publishing", "coach.intervals", "coach.session"]) == set()


def test_the_write_check_follows_imports():
    """An import from tools to a module that imports publishing is caught, as is a direct one."""
    assert "coach.publishing" in reachable("coach.tools", [("coach.tools", "coach.publishing")])
    assert "coach.publishing" in reachable("coach.tools", [("coach.reports", "coach.session")])


def test_pages_import_no_boundary_module():
    for page in inside(set(modules()), ["ui"]):
        assert inside(set(imports_of(page)), BOUNDARIES) == set(), page
        assert imports_of(page) & (IO_LIBRARIES - {"streamlit"}) == set(), page


def test_no_import_cycles_in_coach():
    graph = {m: {i for i in imports_of(m) if i.startswith("coach.")}
             for m in inside(set(modules()), ["coach"])}
    assert find_cycle(graph) is None


def test_the_cycle_check_can_fail():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


@pytest.mark.parametrize("library, allowed", [
    ("httpx", {"coach.intervals", "coach.llm"}),  # llm: the ollama client's errors, /api/version
    ("sqlite_utils", {"coach.store.base", "coach.store.history", "coach.store.schema"}),
    ("sqlite3", {"coach.store.base"}),
    ("ollama", {"coach.llm"}),
    ("keyring", {"coach.settings"}),
    ("streamlit", {"coach.cli", "coach.doctor"}),  # start the page; read its effective config
])
def test_one_module_per_outside_system(library, allowed):
    users = {m for m in inside(set(modules()), ["coach"]) if library in imports_of(m)}
    assert users <= allowed and users


def test_only_publishing_writes_to_a_calendar():
    writes = ("create_event(", "update_event(", "delete_event(", "update_wellness(")
    writers = {m for m in inside(set(modules()), ["coach"])
               if any(w in modules()[m].read_text() for w in writes)}
    # the records declare the protocol; the client and the demo calendar implement it
    assert writers == {"coach.publishing", "coach.records", "coach.intervals",
                       "coach.demo.calendar"}


def test_the_product_never_imports_test_support():
    for module in inside(set(modules()), ["coach", "ui"]):
        assert not inside(reachable(module), ["coach_testing", "tests"]), module


def test_benchmarks_and_test_support_run_without_the_test_suite():
    """`pip install -e .` then `python -m benchmarks`: no pytest, nothing from tests/."""
    for module in inside(set(modules()), ["benchmarks", "coach_testing"]):
        found = reachable(module)
        assert "pytest" not in found and not inside(found, ["tests"]), module


def test_agent_has_no_streamlit():
    assert "streamlit" not in reachable("coach.agent")


@pytest.mark.parametrize("package", ["coach", "coach/workout", "coach/store", "coach/demo",
                                     "coach/analysis", "coach/reports", "coach/eval",
                                     "coach_testing"])
def test_each_folder_says_what_it_owns(package):
    init = ROOT / package / "__init__.py"
    assert ast.get_docstring(ast.parse(init.read_text())), init


# --- privacy settings that must not drift --------------------------------------------------

@pytest.mark.parametrize("config", [".streamlit/config.toml", "ui/.streamlit/config.toml"])
def test_streamlit_config_files_are_private(config):
    values = tomllib.loads((ROOT / config).read_text())
    assert values["browser"]["gatherUsageStats"] is False
    assert values["server"]["address"] == "127.0.0.1"
    assert values["server"]["headless"] is True
    assert values["server"]["showEmailPrompt"] is False
    flat = {f"{section}.{key}": tuple(v) if isinstance(v, list) else str(v).lower()
            for section, items in values.items() for key, v in items.items()}
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
