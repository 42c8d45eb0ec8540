"""The weekly review exported: its charts as Vega-Lite specs (data, drawn by the page and, as
images, in the PDF), the Markdown file and the PDF, all made on this machine.

The PDF writes its text with the PDF's own Helvetica (no font file to ship or fetch), so it is
real, extractable text; Helvetica covers Latin-1, and the few other characters the product
writes (dashes, arrows, ✓) are written as their nearest Latin-1 form."""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from typing import Any

import vl_convert
from fpdf import FPDF

from coach.review.week import Commentary
from coach.store.reviews import StoredReview

SPORT_COLOURS = {"Ride": "#4e79a7", "Run": "#e15759", "Swim": "#76b7b2", "Other": "#bab0ac"}
EXTRA_COLOUR = "#9c755f"
ZONE_COLOURS = ["#59a14f", "#edc948", "#e15759"]
NO_MODEL = ("The coach's commentary needs the model (Ollama): start it, then open this review "
            "and ask for the commentary. The figures above do not depend on the model.")
GROUNDING_HELP = "Each figure in the commentary was looked for in the section above."
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# the section's tables, by their number of columns: days (day, planned, done) and sports
COLUMN_WIDTHS = {3: (22, 44, 44), 4: (40, 20, 20, 20)}


# --- charts -----------------------------------------------------------------------------------


def day_chart(facts: dict[str, Any]) -> dict[str, Any] | None:
    """Hours per day, stacked by sport; None for a week without training."""
    rows = facts.get("days") or []
    if not rows:
        return None
    sports = sorted({r["sport"] for r in rows},
                    key=lambda s: (list(SPORT_COLOURS).index(s) if s in SPORT_COLOURS else 9, s))
    return {
        "$schema": SCHEMA, "height": 300, "data": {"values": rows}, "mark": "bar",
        "encoding": {
            "x": {"field": "day", "type": "ordinal", "title": "day",
                  "scale": {"domain": facts.get("day_labels") or []},
                  "axis": {"labelAngle": 0}},
            "y": {"field": "hours", "type": "quantitative", "title": "time (hours)",
                  "stack": "zero"},
            "color": {"field": "sport", "type": "nominal", "title": None,
                      "scale": {"domain": sports, "range": [SPORT_COLOURS.get(s, EXTRA_COLOUR)
                                                            for s in sports]},
                      "legend": {"orient": "bottom", "direction": "horizontal"}},
            "tooltip": [{"field": "date", "title": "day"}, {"field": "sport"},
                        {"field": "time", "title": "time"}]}}


def zone_chart(facts: dict[str, Any]) -> dict[str, Any] | None:
    """Time below, around and above threshold; None without zone data."""
    rows = facts.get("zones") or []
    if not rows:
        return None
    names = [r["intensity"] for r in rows]
    return {
        "$schema": SCHEMA, "height": 200, "data": {"values": rows}, "mark": "bar",
        "encoding": {
            "y": {"field": "intensity", "type": "nominal", "title": None, "sort": names,
                  "axis": {"labelLimit": 0}},
            "x": {"field": "hours", "type": "quantitative", "title": "time in zones (hours)"},
            "color": {"field": "intensity", "type": "nominal", "legend": None,
                      "scale": {"domain": names, "range": ZONE_COLOURS[:len(names)]}},
            "tooltip": [{"field": "intensity"}, {"field": "time", "title": "time"},
                        {"field": "share", "title": "share (%)"}]}}


def charts(facts: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The review's charts with their titles (those with data)."""
    found = [("Hours per day by sport", day_chart(facts)),
             ("Time in zones", zone_chart(facts))]
    return [(title, spec) for title, spec in found if spec is not None]


def png(spec: dict[str, Any], width: int = 520) -> bytes:
    """A chart drawn offline (Vega's own renderer, no browser) at twice its size; its height
    is the whole chart's, axes and legend included, as on the page."""
    sized = {**spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    return bytes(vl_convert.vegalite_to_png(sized, scale=2))


# --- Markdown ---------------------------------------------------------------------------------


def markdown(review: StoredReview, comment: Commentary | None) -> str:
    """The section, then the coach's commentary and its grounding line."""
    return "\n".join([f"# Weekly review {review.week}", "", review.section, "",
                      "## The coach's commentary", "", *_commentary_lines(comment), ""])


def _commentary_lines(comment: Commentary | None, marks: bool = True) -> list[str]:
    if comment is None:
        return [NO_MODEL]
    lines = [comment.text.strip()]
    if comment.grounding:
        mark = ("✓ " if comment.ok else "⚠ ") if marks else ""
        lines += ["", f"_{mark}{comment.grounding}_" if marks else f"{comment.grounding}."]
    return lines


# --- PDF --------------------------------------------------------------------------------------

_LATIN1 = str.maketrans({"—": "-", "–": "-", "−": "-", "→": "->", "…": "...", "✓": "",
                         "⚠": "!", "‹": "<", "“": '"', "”": '"', "‘": "'", "’": "'"})


def latin1(text: str) -> str:
    """Text Helvetica can write: the product's few other characters mapped, the rest '?'."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"Local Coach - page {self.page_no()}", align="C")


def pdf(review: StoredReview, comment: Commentary | None) -> bytes:
    """The review as a PDF: the section as text, the charts as images, the commentary."""
    doc = _Pdf(format="A4")
    doc.set_auto_page_break(True, margin=16)
    doc.set_title(f"Weekly review {review.week}")
    doc.set_creator("Local Coach")
    doc.add_page()
    _heading(doc, "Local Coach: weekly review", 16)
    _markdown(doc, review.section)
    for title, spec in charts(review.facts):
        _chart(doc, title, png(spec))
    _heading(doc, "The coach's commentary", 13)
    _markdown(doc, "\n".join(_commentary_lines(comment, marks=False)))
    return bytes(doc.output())


def _chart(doc: FPDF, title: str, image: bytes, share: float = 0.75) -> None:
    """A titled chart, kept on one page with its title."""
    width = doc.epw * share
    pixels_w, pixels_h = struct.unpack(">II", image[16:24])  # the PNG header's IHDR
    height = width * pixels_h / pixels_w
    if doc.get_y() + height + 14 > doc.page_break_trigger:
        doc.add_page()
    _heading(doc, title, 12)
    doc.image(io.BytesIO(image), w=width)
    doc.ln(2)


def _heading(doc: FPDF, text: str, size: int) -> None:
    doc.ln(2)
    doc.set_font("Helvetica", "B", size)
    doc.multi_cell(0, size * 0.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
    doc.ln(1)


def _markdown(doc: FPDF, text: str) -> None:
    """Our own Markdown subset: headings, bullets with **bold**, a table, paragraphs."""
    for kind, block in _blocks(text):
        if kind == "heading":
            _heading(doc, block[0].lstrip("# "), 13)
        elif kind == "table":
            _table(doc, block)
        else:
            for line in block:
                _line(doc, line)


def _blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    table: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            yield "table", table
            table = []
        if line.startswith("#"):
            yield "heading", [line]
        elif line.strip():
            yield "text", [line]
    if table:
        yield "table", table


def _line(doc: FPDF, line: str) -> None:
    doc.set_font("Helvetica", size=10)
    bullet = line.startswith("- ")
    body = latin1(line[2:] if bullet else line)
    # fpdf2's markdown reads ** (bold), __ and -- too: keep only the bold we wrote
    body = body.replace("__", "_").replace("--", "- -")
    doc.set_x(doc.l_margin + (4 if bullet else 0))
    doc.multi_cell(0, 5, ("- " if bullet else "") + body, markdown=True, align="L",
                   new_x="LMARGIN", new_y="NEXT")
    doc.ln(0.5)


def _table(doc: FPDF, lines: list[str]) -> None:
    rows = [[_cell(c) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
            for line in lines if not re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line.strip())]
    doc.ln(2)
    doc.set_font("Helvetica", size=9)
    with doc.table(col_widths=COLUMN_WIDTHS.get(len(rows[0]) if rows else 0),
                   line_height=4.5, text_align="LEFT", first_row_as_headings=True) as t:
        for row in rows:
            t.row(row)
    doc.ln(2)


def _cell(text: str) -> str:
    return latin1(text.strip().replace("**", ""))
