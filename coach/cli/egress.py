"""An audit of every network connection this process opens, for athletes who want to check.

`COACH_CONNECTION_LOG=/path/file` makes `coach` append one line per outgoing connection and
name lookup: a Python audit hook sees them all, whichever library makes them.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()


def log_connections(path: Path) -> None:
    """From now on, write `connect host port` / `lookup host port` lines to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "socket.connect":
            line = f"connect {_address(args[1])}"
        elif event == "socket.getaddrinfo":
            line = f"lookup {args[0]} {args[1]}"
        else:
            return
        with _lock, open(path, "a", encoding="utf-8") as log:
            log.write(line + "\n")

    sys.addaudithook(hook)


def _address(address: Any) -> str:
    if isinstance(address, tuple) and len(address) >= 2:
        return f"{address[0]} {address[1]}"
    return f"unix {address}"


def read_log(path: Path) -> list[tuple[str, str, str]]:
    """(kind, host, port) for every line written so far."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3:
            entries.append((parts[0], parts[1], parts[2]))
    return entries
