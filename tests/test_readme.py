"""README's two commands are the ones CI and newcomers run."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    head = text.split("---", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_opens_with_the_two_commands():
    install_and_start, install_and_test = readme_commands()
    assert install_and_start.endswith("coach") and "pip install" in install_and_start
    assert "pytest" in install_and_test and "[test]" in install_and_test


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert readme_commands()[1] in ci
    assert any("apt-get install" in line and "chromium" in line for line in ci)
    assert "export CI=true" in "\n".join(ci)
