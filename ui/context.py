"""The Coach of the current script run, for the page files (each browser session runs its
script in its own thread, so this is per thread, never shared)."""

from __future__ import annotations

import threading

from coach.session import Coach

_local = threading.local()


def set_coach(coach: Coach) -> None:
    _local.coach = coach


def coach() -> Coach:
    current: Coach | None = getattr(_local, "coach", None)
    if current is None:
        raise RuntimeError("ui.context.coach() is only available while ui/app.py runs a page")
    return current
