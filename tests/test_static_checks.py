"""The checks a reader of the code relies on, run by the suite: mypy and ruff, both configured
in pyproject.toml (mypy: every function in coach/, ui/, coach_testing/ and benchmarks/ typed and
checked; the tests' bodies are not)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_mypy_finds_no_type_error():
    result = run("mypy")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_finds_nothing():
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout[-4000:]
