"""Which model to download: a tool-calling model that fits this machine's memory. Pure apart
from `total_memory`, which reads how much memory there is; `recommend` takes the number."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

GB = 1_000_000_000
MEMINFO = Path("/proc/meminfo")

# (at least this much memory in GB, model, its download in bytes). All qwen3: tool calling and
# a reasoning mode at every size, and the best local tool callers in the reference's sources.
# The downloads are the default (Q4_K_M) tags of ollama.com/library/qwen3; the memory steps
# leave room beside the weights for an 8k context, the page and the athlete's other programs.
TIERS: tuple[tuple[int, str, int], ...] = (
    (32, "qwen3:14b", 9_300_000_000),
    (12, "qwen3:8b", 5_200_000_000),
    (6, "qwen3:4b", 2_500_000_000),
    (0, "qwen3:1.7b", 1_400_000_000),
)
DEFAULT_MODEL = "qwen3:8b"  # when the memory cannot be read: the configured default
DOWNLOAD_BYTES = {model: size for _, model, size in TIERS}


@dataclass(frozen=True)
class Recommendation:
    """The model to download for this machine, and why, in one sentence."""

    model: str
    download_bytes: int
    reason: str


def recommend(memory_bytes: int | None) -> Recommendation:
    """The largest model of the table that this much memory runs comfortably."""
    if not memory_bytes:
        size = DOWNLOAD_BYTES[DEFAULT_MODEL]
        return Recommendation(DEFAULT_MODEL, size, "This machine's memory could not be read; "
                              f"{DEFAULT_MODEL} (a {size_text(size)} download) runs well with "
                              "12 GB of memory or more.")
    memory = size_text(memory_bytes, decimals=0)
    least, model, size = next(t for t in TIERS if memory_bytes >= t[0] * GB)
    if least == 0:
        reason = (f"This machine has only {memory} of memory: {model} (a {size_text(size)} "
                  "download) is the smallest model that can call tools, so expect plainer "
                  "answers.")
    else:
        reason = (f"This machine has {memory} of memory, enough for {model} (a "
                  f"{size_text(size)} download) with room left for its context and your "
                  "other programs.")
    return Recommendation(model, size, reason)


def download_size(model: str) -> int | None:
    """Bytes to download for a model of the table; None for any other."""
    return DOWNLOAD_BYTES.get(model)


def size_text(size: int, decimals: int = 1) -> str:
    """Bytes for people: "5.2 GB", "523 MB"."""
    if size >= GB:
        return f"{size / GB:.{decimals}f} GB"
    return f"{size / 1_000_000:.0f} MB"


def total_memory(meminfo: Path = MEMINFO) -> int | None:
    """This machine's memory in bytes: /proc/meminfo on Linux, sysconf where it exists (macOS,
    BSD); None when neither says (Windows)."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024  # the kernel writes kB, meaning KiB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None
