"""Is the page's port free? Checked the way the page's server binds it, and, when it is busy,
which process listens on it (best effort, from /proc on Linux)."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def port_free(port: int) -> bool:
    """Whether the page's server can bind 127.0.0.1:`port`, tested the way it binds: with
    SO_REUSEADDR except on Windows (as Streamlit does). So a port held only by TIME_WAIT
    sockets, as after a Ctrl+C with the page open, is free; one with a listener is busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if os.name != "nt":  # on Windows it would let two sockets share a listening port
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_holder(port: int) -> str | None:
    """`process 1234 (python -m coach.cli)`: who listens on `port`, best effort from /proc
    (Linux only; None elsewhere, or when the process belongs to another user)."""
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not wanted:
        return None
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        if wanted & _links(fd_dir):
            name = _command_line(fd_dir.parent)
            return f"process {fd_dir.parent.name}" + (f" ({name})" if name else "")
    return None


def _links(fd_dir: Path) -> set[str]:
    """What a process's open files point at (`socket:[123]`); empty when it cannot be read
    (another user's process, or it ended); a file closed meanwhile is skipped."""
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return set()
    found = set()
    for fd in fds:
        try:
            found.add(os.readlink(fd_dir / fd))
        except OSError:
            continue
    return found


def _command_line(proc: Path) -> str:
    """`python -m coach.cli --port 8501`, shortened, or "" when it cannot be read."""
    try:
        argv = [a.decode() for a in (proc / "cmdline").read_bytes().split(b"\0") if a]
    except (OSError, UnicodeDecodeError):
        return ""
    return " ".join(" ".join([Path(argv[0]).name, *argv[1:]]).split())[:60] if argv else ""


def _listening_inodes(port: int) -> set[str]:
    """Socket inodes in state LISTEN on `port`."""
    return {inode for _, inode in listening(port)}


def listening(port: int) -> list[tuple[str, str]]:
    """(local address in /proc's hex, socket inode) of every LISTEN socket on `port`, from
    /proc/net/tcp and tcp6 (Linux; empty elsewhere)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for fields in (line.split() for line in lines):
            address, port_hex = fields[1].rsplit(":", 1)
            if fields[3] == "0A" and int(port_hex, 16) == port:
                found.append((address, fields[9]))
    return found
