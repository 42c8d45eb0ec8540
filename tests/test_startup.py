"""Start-up: the server reads what the pages import beside its own start, so the first page
is not left blank while the engine loads (issue 24, item 1). `python -m benchmarks` measures
the time from `coach` to a usable page."""

from __future__ import annotations

import subprocess
import sys

from coach.cli.main import app_path

LOADS = """
import runpy, sys, threading
runpy.run_path(sys.argv[1], run_name="server")
for thread in threading.enumerate():
    if thread.name == "preload-page-imports":
        thread.join(120)
print("coach.app" in sys.modules, "altair" in sys.modules, "pandas" in sys.modules)
"""


def test_the_server_loads_the_engine_before_any_page_asks_for_it():
    done = subprocess.run([sys.executable, "-c", LOADS, str(app_path())], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    engine, altair, pandas = done.stdout.split()[-3:]
    assert (engine, altair, pandas) == ("True", "True", "True")
