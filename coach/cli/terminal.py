"""Text written for a terminal, never Markdown source: the review's section, the coach's answers
(as they stream) and tool results become plain lines, tables become aligned columns, long
lines are cut at a word with "…", and the ids Intervals.icu gives its records are left out
(the athlete cannot use them; `coach proposals` and `coach notes` have their own numbers)."""

from __future__ import annotations

import os
import re
import textwrap
from typing import TextIO

WIDTH = 100  # off a terminal (a pipe, a file, a test)
MORE = " …"
# "[id i140000264]", "[event 91000055]", "(event 91000063)": one token with a digit
INTERNAL_ID = re.compile(r" ?[\[(](?:id|event) [A-Za-z_-]*\d[\w-]*[\])]")
LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)\)")
STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
EMPHASIS = re.compile(r"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])"
                      r"|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)")  # not 3*8 or snake_case
HEADING = re.compile(r"#{1,6}\s+")
BULLET = re.compile(r"([*+])\s+")
RULE = re.compile(r"(?:-{3,}|\*{3,}|_{3,})")
HELD_STARTS = ("#", "* ", "+ ", "```", ">", "|")  # a heading, a list item, code, a quote, a table
TABLE_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?")


def width_of(out: TextIO) -> int:
    """The terminal's width (at least 60), or WIDTH when `out` is not a terminal."""
    try:
        return max(60, os.get_terminal_size(out.fileno()).columns) if out.isatty() else WIDTH
    except (OSError, ValueError, AttributeError):
        return WIDTH


def shorten(text: str, width: int) -> str:
    """`text` on one line; when longer than `width`, cut at the end of a sentence or else of a
    word, and marked with "…": never in the middle of a word."""
    text = " ".join(without_ids(text).split())
    if len(text) <= width:
        return text
    room = text[:width - len(MORE) + 1]
    sentence = room.rfind(". ")
    if sentence >= width // 2:
        return room[:sentence + 1] + MORE
    word = room.rfind(" ")
    return (room[:word] if word > 0 else room[:-1]).rstrip(" ,;:(") + MORE


def without_ids(text: str) -> str:
    return INTERNAL_ID.sub("", text)


def inline(text: str) -> str:
    """One line's Markdown emphasis and links as plain text; a link keeps its address."""
    text = LINK.sub(lambda m: f"{m[1]} ({m[2]})" if m[1] and m[1] != m[2] else m[2], text)
    text = STRONG.sub(lambda m: m[1] or m[2], text)
    return without_ids(EMPHASIS.sub(lambda m: m[1] or m[2], text))


def open_markup(text: str) -> int:
    """How much of `text` can be written now: all of it, or what comes before an emphasis or
    a link whose end has not come yet."""
    cut = len(text)
    for marker in ("**", "__", "`"):
        if text.count(marker) % 2:
            cut = min(cut, text.rfind(marker))
    if text.rfind("[") > text.rfind(")"):
        cut = min(cut, text.rfind("["))
    return cut


def is_table_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def render(markdown: str, width: int = WIDTH) -> str:
    """A whole Markdown text for the terminal: headings underlined, list items wrapped with a
    hanging indent, tables as aligned columns, code as indented lines."""
    lines: list[str] = []
    table: list[str] = []
    code = False
    for line in markdown.splitlines():
        if table and not is_table_row(line):
            lines += columns(table, width)
            table = []
        if line.strip().startswith("```"):
            code = not code
        elif code:
            lines.append("    " + line)
        elif is_table_row(line):
            table.append(line)
        else:
            lines += block(line, width)
    return "\n".join(lines + columns(table, width))


def block(line: str, width: int) -> list[str]:
    """One line of Markdown that is not in a table or code: wrapped to `width`."""
    text = line.strip()
    if HEADING.match(text):
        title = inline(HEADING.sub("", text, count=1))
        return [title, "=" * min(len(title), width)]
    if RULE.fullmatch(text):
        return [""]
    if not text:
        return [""]
    indent = line[:len(line) - len(line.lstrip())]
    text = inline(BULLET.sub("- ", text, count=1) if BULLET.match(text) else text)
    text = text.removeprefix("> ")
    hang = indent + ("  " if text.startswith("- ") else "")
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hang,
                         break_on_hyphens=False) or [""]


def columns(rows: list[str], width: int) -> list[str]:
    """A Markdown table as aligned columns under an underlined header, each cell wrapped so
    the table fits `width`."""
    cells = [[inline(c.strip()).replace("\u00a0", " ") for c in row.strip().strip("|").split("|")]
             for row in rows if not TABLE_RULE.fullmatch(row.strip())]
    if not cells:
        return []
    count = max(len(r) for r in cells)
    cells = [r + [""] * (count - len(r)) for r in cells]
    widths = fitted([max(len(r[i]) for r in cells) for i in range(count)], width)
    out = _row(cells[0], widths) + ["  ".join("-" * w for w in widths)]
    for row in cells[1:]:
        out += _row(row, widths)
    return out


def fitted(natural: list[int], width: int) -> list[int]:
    """Column widths that fit `width` (two spaces between columns): the widest columns give
    way first, none below 12 characters."""
    widths = list(natural)
    while sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 12:
            break
        widths[widest] -= 1
    return widths


def _row(row: list[str], widths: list[int]) -> list[str]:
    wrapped = [textwrap.wrap(cell, w, break_on_hyphens=False) or [""]
               for cell, w in zip(row, widths, strict=True)]
    height = max(len(w) for w in wrapped)
    return ["  ".join((w[i] if i < len(w) else "").ljust(n)
                      for w, n in zip(wrapped, widths, strict=True)).rstrip()
            for i in range(height)]


class StreamedText:
    """The coach's answer as it streams, written for a terminal: whole words as they come,
    a heading or a table row once its line is complete, a table once it ends."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.width = out, width_of(out)
        self.line, self.mid_line, self.code = "", False, False
        self.table: list[str] = []
        self.last = ""  # the last character written since the last `finish`

    def feed(self, text: str) -> None:
        self.line += text
        *complete, self.line = self.line.split("\n")
        for line in complete:
            self._end_line(line)
        self._words()

    def finish(self) -> bool:
        """The text paused (a tool call) or ended: write what is held back. True when this
        ended a line of text, so what follows starts on a line of its own."""
        if self.line or self.mid_line:
            self._end_line(self.line)
            self.line = ""
        self._table_done()
        self.out.flush()
        ended, self.last = self.last == "\n", ""
        return ended

    def _write(self, text: str) -> None:
        if text:
            self.out.write(text)
            self.last = text[-1]

    def _words(self) -> None:
        """Write the line's whole words so far, unless the line may still be a heading, a list
        item, a table row or code, which are written once complete; emphasis or a link that has
        begun waits for its end."""
        start = self.line.lstrip()
        held = not self.mid_line and (self.code or not start or start.startswith(HELD_STARTS))
        cut = open_markup(self.line[:self.line.rfind(" ") + 1])
        if held or cut <= 0:
            return
        self._table_done()
        self._write(inline(self.line[:cut]))
        self.out.flush()
        self.line, self.mid_line = self.line[cut:], True

    def _end_line(self, line: str) -> None:
        if self.mid_line:
            self._write(inline(line) + "\n")
            self.mid_line = False
            return
        if line.strip().startswith("```"):
            self.code = not self.code
        elif self.code:
            self._write("    " + line + "\n")
        elif is_table_row(line):
            self.table.append(line)
        else:
            self._table_done()
            self._write("\n".join(block(line, 10_000)) + "\n")

    def _table_done(self) -> None:
        if self.table:
            self._write("\n".join(columns(self.table, self.width)) + "\n")
            self.table = []
