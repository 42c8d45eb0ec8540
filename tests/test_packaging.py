"""What `pip install` puts in an environment: one import name, `coach`. The pages (ui/), the
model's texts (prompts/) and the test support (coach_testing/) stay where they are in the
repository and install as coach.ui, coach.prompts and coach.testing."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTALLED_AS = {"coach": "coach", "ui": "coach/ui", "prompts": "coach/prompts",
                "coach_testing": "coach/testing"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The project's wheel, built from a copy of the sources (the build writes beside them)."""
    source = tmp_path_factory.mktemp("source")
    for name in [*INSTALLED_AS, "pyproject.toml", "README.md"]:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                    "--no-build-isolation", "--no-index", "-q", "-w", str(out)],
                   check=True, capture_output=True, timeout=300)
    [built] = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_adds_one_import_name(wheel: zipfile.ZipFile):
    top = {name.split("/")[0] for name in wheel.namelist() if ".dist-info/" not in name}
    assert top == {"coach"}
    for listed in [n for n in wheel.namelist() if n.endswith(".dist-info/top_level.txt")]:
        assert wheel.read(listed).decode().split() == ["coach"]


def test_the_wheel_holds_every_module_and_the_files_the_pages_read(wheel: zipfile.ZipFile):
    expected = {f"{INSTALLED_AS[folder]}/{path.relative_to(ROOT / folder).as_posix()}"
                for folder in INSTALLED_AS for path in (ROOT / folder).rglob("*.py")
                if "__pycache__" not in path.parts}
    expected |= {"coach/prompts/system.md", "coach/ui/.streamlit/config.toml"}
    assert expected - set(wheel.namelist()) == set()
