"""Text from the model, the athlete or a server, made safe to show as Markdown."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def safe_markdown(text: str) -> str:
    """Markdown with every image disabled: an image (inline, reference-style, nested) would
    make the browser fetch a URL, and a URL can carry data off the machine."""
    return text.replace("![", "!\\[")


def plain(text: str) -> str:
    """Text shown inside Markdown as literal characters, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
