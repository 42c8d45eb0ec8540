"""The shape of the house, checked by reading the source: the import graph followed through every
module (transitively, function-level imports included), what each folder may import, the one
door of the pages and the commands, the boundaries, and the privacy settings that must not drift.

Modules are named as they are installed: `ui/` is `coach.ui`, `coach_testing/` is
`coach.testing` (see pyproject.toml)."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest

from coach.settings import STREAMLIT_FLAGS

ROOT = Path(__file__).resolve().parents[1]
# folder in the repository -> the name it is imported by
PACKAGES = {"coach": "coach", "ui": "coach.ui", "coach_testing": "coach.testing",
            "benchmarks": "benchmarks", "tests": "tests"}

IO_LIBRARIES = {"httpx", "sqlite_utils", "sqlite3", "ollama", "streamlit", "socket", "urllib",
                "requests", "http", "keyring", "subprocess", "shutil"}
# No I/O, no Streamlit, no boundary: what any folder may import.
PURE_CORE = ("coach.workout", "coach.analysis", "coach.records", "coach.display", "coach.errors",
             "coach.messages", "coach.grounding", "coach.agent.textcalls", "coach.agent.window",
             "coach.agent.asks", "coach.language",
             "coach.jobs", "coach.demo.generator", "coach.demo.sessions", "coach.demo.activities")
# Modules that talk to an outside system or to the disk.
BOUNDARIES = ("coach.intervals.client", "coach.intervals.sync", "coach.store",
              "coach.model.client", "coach.settings", "coach.proposals.publish",
              "coach.demo.calendar", "coach.cli.egress", "coach.cli.doctor")
PURE = ("coach.workout", "coach.analysis", "coach.records", "coach.display", "coach.errors",
        "coach.messages", "coach.grounding", "coach.language")
BELOW_THE_DOOR = (*PURE, "coach.jobs", "coach.settings", "coach.store", "coach.scope",
                  "coach.intervals", "coach.model", "coach.demo", "coach.proposals",
                  "coach.agent", "coach.review", "coach.checkin")
# What each folder of coach/ may import of ours (beyond itself); README's "How it is built"
# says the same in words.
MAY_IMPORT = {
    "coach.workout": (),
    "coach.display": (),
    "coach.errors": (),
    "coach.grounding": (),
    "coach.language": (),
    "coach.jobs": (),
    "coach.records": ("coach.workout",),
    "coach.analysis": ("coach.workout", "coach.display"),
    "coach.messages": ("coach.records",),
    "coach.settings": ("coach.analysis", "coach.errors"),
    "coach.store": ("coach.records", "coach.errors", "coach.messages"),
    "coach.scope": (*PURE, "coach.store"),
    "coach.intervals": ("coach.records", "coach.errors", "coach.store"),
    "coach.model": ("coach.records", "coach.errors", "coach.settings", "coach.jobs"),
    "coach.demo": (*PURE, "coach.store"),
    "coach.proposals": (*PURE, "coach.store", "coach.scope"),
    "coach.agent": (*PURE, "coach.store", "coach.scope", "coach.proposals", "coach.model"),
    "coach.review": (*PURE, "coach.store", "coach.scope"),
    "coach.checkin": (*PURE, "coach.store", "coach.scope"),
    "coach.app": BELOW_THE_DOOR,
    "coach.eval": (*BELOW_THE_DOOR, "coach.app"),
    "coach.cli": (*PURE, "coach.app", "coach.eval"),
    "coach.ui": (*PURE, "coach.app"),
}
# The pages and the commands reach the engine through these doors only.
DOORS = {"coach.ui": ("coach.app",), "coach.cli": ("coach.app", "coach.eval")}
FRONT_IO = {"coach.ui": {"streamlit"}, "coach.cli": {"streamlit", "socket", "http"}}
MODEL_REACHABLE = ("coach.agent",)


def module_name(path: Path) -> str:
    folder, *parts = path.relative_to(ROOT).with_suffix("").parts
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([PACKAGES[folder], *parts])


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path
            for folder in PACKAGES for path in (ROOT / folder).rglob("*.py")}


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


def reachable(start: str, extra: Iterable[tuple[str, str]] = (),
              stop: Iterable[str] = ()) -> set[str]:
    """Every module that importing `start` runs (packages' __init__ included), plus the
    outside libraries they import; the imports of modules inside `stop` are not followed."""
    edges, stop = list(extra), list(stop)
    seen, pending = set(), [start]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in modules() or (current != start and inside({current}, stop)):
            continue
        nexts = set(imports_of(current)) | {b for a, b in edges if a == current}
        nexts |= {p for m in nexts for p in _parents(m)}  # importing a.b.c runs a.b too
        pending += sorted(nexts)
    return seen - {start}


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [p for i in range(1, len(parts)) if (p := ".".join(parts[:i])) in modules()]


def inside(found: Iterable[str], packages: Iterable[str]) -> set[str]:
    packages = list(packages)
    return {m for m in found for p in packages if m == p or m.startswith(p + ".")}


def folder_of(module: str) -> str | None:
    """The folder of coach/ a module belongs to (`coach.agent`, `coach.ui`, `coach.scope`…)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "coach" and len(parts) > 1 else None


def engine_reached(front: str, module: str, extra: Iterable[tuple[str, str]] = ()) -> set[str]:
    """What of coach/ a page or command reaches besides its door and pure code."""
    doors = DOORS[front]
    found = reachable(module, extra, stop=doors)
    ours = {m for m in found if m in modules() and m != "coach"}
    return ours - inside(ours, [front, *doors, *PURE])


# --- the import graph ---------------------------------------------------------------------

@pytest.mark.parametrize("core", PURE_CORE)
def test_pure_core_reaches_no_io_and_no_boundary(core):
    for module in inside(modules(), [core]):
        found = reachable(module)
        assert found & IO_LIBRARIES == set(), module
        assert inside(found, BOUNDARIES) == set(), module


@pytest.mark.parametrize("folder", sorted(MAY_IMPORT))
def test_each_folder_imports_only_what_it_may(folder):
    allowed = [folder, *MAY_IMPORT[folder]]
    for module in inside(modules(), [folder]):
        ours = {m for m in imports_of(module) if folder_of(m)}
        assert ours - inside(ours, allowed) == set(), module


def test_every_folder_of_coach_has_its_rule():
    folders = {f for m in modules() if (f := folder_of(m)) and f != "coach.testing"}
    assert folders == set(MAY_IMPORT)


@pytest.mark.parametrize("front", sorted(DOORS))
def test_pages_and_commands_reach_the_engine_through_one_door(front):
    """Followed transitively up to the door: ui/ reaches coach.app and pure code only, the
    commands coach.app, coach.eval and pure code; neither imports an I/O library the door
    does not give it (Streamlit; the commands a socket and an HTTP connection, to see whether
    the page's port is free and whether the running page refuses an attacker)."""
    for module in inside(modules(), [front]):
        assert engine_reached(front, module) == set(), module
        found = reachable(module, stop=DOORS[front])
        assert found & (IO_LIBRARIES - FRONT_IO[front]) == set(), module


def test_the_door_check_follows_imports():
    """A page importing pure code that imports the store is caught, as is a direct import."""
    assert engine_reached("coach.ui", "coach.ui.text",
                          [("coach.ui.text", "coach.store.base")]) >= {"coach.store.base"}
    via_display = [("coach.ui.text", "coach.display"), ("coach.display", "coach.store")]
    assert "coach.store" in engine_reached("coach.ui", "coach.ui.text", via_display)
    assert engine_reached("coach.ui", "coach.ui.text", [("coach.ui.text", "coach.app")]) == set()


@pytest.mark.parametrize("module", sorted(inside(modules(), MODEL_REACHABLE)))
def test_nothing_the_model_can_reach_can_reach_a_write(module):
    found = reachable(module)
    assert inside(found, ["coach.proposals.publish", "coach.intervals", "coach.app"]) == set()
    assert "streamlit" not in found


def test_the_write_check_follows_imports():
    """An import from tools to a module that imports publishing is caught, as is a direct one."""
    publish = "coach.proposals.publish"
    assert publish in reachable("coach.agent.tools", [("coach.agent.tools", publish)])
    via = [("coach.agent.tool_texts", "coach.app.session")]
    assert publish in reachable("coach.agent.tools", via)


@pytest.mark.parametrize("package", ["coach", "coach.testing", "benchmarks"])
def test_no_import_cycles(package):
    graph = {m: {i for i in imports_of(m) if inside({i}, [package])}
             for m in inside(modules(), [package])}
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
    # model.client: the ollama client's errors, /api/version
    ("httpx", {"coach.intervals.client", "coach.model.client"}),
    ("sqlite_utils", {"coach.store.base", "coach.store.history", "coach.store.schema"}),
    ("sqlite3", {"coach.store.base"}),
    ("ollama", {"coach.model.client"}),
    ("keyring", {"coach.settings"}),
    ("streamlit", {"coach.cli.main", "coach.cli.doctor"}),  # start the page; read its config
])
def test_one_module_per_outside_system(library, allowed):
    product = inside(modules(), ["coach"]) - inside(modules(), ["coach.ui", "coach.testing"])
    users = {m for m in product if library in imports_of(m)}
    assert users <= allowed and users


def test_only_publishing_writes_to_a_calendar():
    writes = ("create_event(", "update_event(", "delete_event(", "update_wellness(")
    product = inside(modules(), ["coach"]) - inside(modules(), ["coach.testing"])
    writers = {m for m in product if any(w in modules()[m].read_text() for w in writes)}
    # the records declare the protocol; the client and the demo calendar implement it; the
    # check-in's send hands publishing a calendar whose wellness write says what a 404 means
    assert writers == {"coach.proposals.publish", "coach.records", "coach.intervals.client",
                       "coach.demo.calendar", "coach.app.checkins"}


def test_the_product_never_imports_test_support():
    product = inside(modules(), ["coach"]) - inside(modules(), ["coach.testing"])
    for module in product:
        assert not inside(reachable(module), ["coach.testing", "tests"]), module


def test_benchmarks_and_test_support_run_without_the_test_suite():
    """`pip install -e .` then `python -m benchmarks`: no pytest, nothing from tests/."""
    for module in inside(modules(), ["benchmarks", "coach.testing"]):
        found = reachable(module)
        assert "pytest" not in found and not inside(found, ["tests"]), module


def test_no_test_module_imports_another():
    """Shared fixtures live in conftest.py, helpers in tests/ helper modules or coach.testing."""
    for module in inside(modules(), ["tests"]):
        tests = {m for m in imports_of(module) if m.startswith("tests.test_")}
        assert tests == set(), module


@pytest.mark.parametrize("package", sorted(
    str(init.parent.relative_to(ROOT)) for top in ("coach", "coach_testing", "ui")
    for init in (ROOT / top).rglob("__init__.py")))
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
