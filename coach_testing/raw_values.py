"""The one list of raw values a page must never show (`None`, `NaN`, an epoch number, an ISO
timestamp, a Python repr, a traceback …), read two ways: on every text a chart or a table draws
(`raw_value_problems`, used by the chart tests through coach.testing.vega) and on a whole page's
text (`raw_values_on_page`, the browser tests). A few patterns only make sense on one drawn
text: a bare ISO date (a page may quote one in a tool result), a text cut off with "…", a
whole repr of a list or dict."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RawValue:
    name: str
    pattern: re.Pattern[str]
    drawn_only: bool = False  # read on one drawn text (a label, a cell), never a whole page


RAW_VALUES: list[RawValue] = [
    RawValue("a 10+ digit number (an epoch in ms, a raw id)",
             re.compile(r"(?<![\w.])\d{10,}(?!\d)")),
    RawValue("None", re.compile(r"\bNone\b")),
    RawValue("NaN", re.compile(r"\bnan\b", re.IGNORECASE)),
    RawValue("null", re.compile(r"\bnull\b")),
    RawValue("undefined", re.compile(r"\bundefined\b")),
    RawValue("Infinity", re.compile(r"\bInfinity\b")),
    RawValue("Invalid Date", re.compile(r"Invalid Date")),
    RawValue("an ISO timestamp", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")),
    RawValue("a float with 4+ decimals", re.compile(r"\d\.\d{4,}")),
    RawValue("a JavaScript object", re.compile(r"\[object \w+\]")),
    RawValue("a Python repr", re.compile(
        r"<[\w.]+ object at 0x|<coach\.|Activity\(|\{'|"
        r"\b(?:datetime\.\w+|Timestamp|Decimal|np\.\w+|numpy\.\w+)\(")),
    RawValue("a traceback", re.compile(r"Traceback|File \"")),
    RawValue("an ISO date", re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"), drawn_only=True),
    RawValue("a repr of a list or dict", re.compile(r"^\[['\"].*\]$|^\{['\"].*\}$"),
             drawn_only=True),
    RawValue("a truncated text", re.compile(r"…$"), drawn_only=True),
]


def raw_value_problems(items: list[str]) -> list[str]:
    """One message per drawn text that shows a raw value instead of something for people."""
    return [f"{item!r}: {raw.name}" for item in items for raw in RAW_VALUES
            if raw.pattern.search(item)]


def raw_values_on_page(text: str) -> list[str]:
    """Each raw value in a page's text once, with a little of the text around it."""
    found: dict[str, str] = {}
    for raw in RAW_VALUES:
        if raw.drawn_only:
            continue
        for match in raw.pattern.finditer(text):
            around = text[max(0, match.start() - 30):match.end() + 30].replace("\n", " | ")
            found.setdefault(f"{raw.name} {match.group()}", f"{raw.name}: …{around}…")
    return list(found.values())
