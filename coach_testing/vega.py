"""Render charts to SVG the way Vega draws them, and read back what a person would see.

`svg(chart)` renders an Altair chart (or a Vega-Lite dict) with `vl_convert` (Vega's own
converter, no browser). By default it first sizes the chart as `st.altair_chart(...,
width="stretch")` does in Streamlit 1.67: autosize `fit` containing the padding, the width of
the container, 20 px of bottom padding and the Streamlit theme's fonts and spacings (see
`STREAMLIT_CONFIG`), so a chart too small for its legend fails here as it fails in the page.

The SVG that Vega's renderer writes is regular and labelled; the readers below rely only on:

* `<g class="mark-text role-axis-label">` / `role-axis-title`: axis tick labels / titles;
* `<g class="mark-group role-axis" aria-label="X-axis titled ...">`: one group per axis;
* `<g class="mark-group role-legend">` holding `role-legend-label` and `role-legend-symbol`
  groups (one per entry) and a `role-legend-title`;
* `<g class="mark-<type> role-mark ...">`: the data marks: `mark-rect` (bars, one `<path
  role="graphics-symbol" aria-roledescription="bar">` each), `mark-line` / `mark-area` (one
  `<path>` per series), `mark-rule` (`<line>`), `mark-symbol` (points), `mark-text`;
* each data mark's `aria-label`: Vega-Lite's description of the datum, built from the
  encodings and the tooltip, i.e. the text the tooltip shows;
* `transform="translate(x,y)"` on groups and texts, so positions can be checked against the
  canvas (`width`/`height` of the root `<svg>`).
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import vl_convert

SVG_NS = "{http://www.w3.org/2000/svg}"

# The Streamlit theme's Vega-Lite config (streamlit 1.67 frontend, light theme, rem = 16 px):
# the sizes that decide whether axes and legends fit. Colours are left out on purpose.
STREAMLIT_CONFIG: dict[str, Any] = {
    "font": "sans-serif",
    "fieldTitle": "verbal",
    "axis": {"labelFontSize": 12, "titleFontSize": 14, "titleFontWeight": "normal",
             "ticks": False, "domain": False, "labelFlush": True, "labelFlushOffset": 1,
             "labelBound": False, "labelLimit": 100, "titlePadding": 16, "labelPadding": 16,
             "labelSeparation": 4, "labelOverlap": True},
    "legend": {"labelFontSize": 14, "titleFontSize": 14, "titleFontWeight": "normal",
               "titlePadding": 8, "labelPadding": 16, "columnPadding": 8, "rowPadding": 4,
               "padding": 8, "symbolStrokeWidth": 4},
    "view": {"strokeWidth": 0, "continuousHeight": 350, "continuousWidth": 400},
    "bar": {"binSpacing": 4, "discreteBandSize": {"band": 0.85}},
    "axisDiscrete": {"grid": False}, "axisXPoint": {"grid": False},
    "axisTemporal": {"grid": False}, "axisXBand": {"grid": False},
}


def spec_of(chart: Any) -> dict[str, Any]:
    """The Vega-Lite dict of an Altair chart (validated by Altair) or of a dict."""
    if isinstance(chart, dict):
        return json.loads(json.dumps(chart))
    return chart.to_dict()


def as_in_streamlit(spec: dict[str, Any], width: int = 700) -> dict[str, Any]:
    """The spec as `st.altair_chart(spec, width="stretch")` hands it to Vega in a container
    `width` px wide (streamlit/elements/vega_charts.py `_prepare_vega_lite_spec` and the
    frontend's ArrowVegaLiteChart: autosize, width, bottom padding, theme config)."""
    spec = dict(spec)
    if "autosize" not in spec:
        nested = any(k in spec for k in ("hconcat", "vconcat", "concat", "facet"))
        spec["autosize"] = ({"type": "fit-x", "contains": "padding"} if "vconcat" in spec
                            else {"type": "pad", "contains": "padding"} if nested
                            else {"type": "fit", "contains": "padding"})
    if isinstance(spec.get("height"), int | float) and spec["height"] <= 0:
        del spec["height"]
    spec["width"] = width
    padding = spec.get("padding")
    if not isinstance(padding, dict):
        padding = {}
    spec["padding"] = {**padding, "bottom": padding.get("bottom", 20)}
    spec["config"] = _merge(STREAMLIT_CONFIG, spec.get("config") or {})
    return spec


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def svg(chart: Any, *, width: int | None = 700) -> str:
    """Render to SVG text. `width=None` renders the spec as it is (no Streamlit sizing)."""
    spec = spec_of(chart)
    if width is not None:
        spec = as_in_streamlit(spec, width)
    return vl_convert.vegalite_to_svg(spec)


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Text:
    """One drawn line of text, its owner role (e.g. `axis-label`), its anchor point, how it
    is anchored (`start`, `middle`, `end`), its font size and its rotation in degrees."""

    text: str
    role: str
    x: float
    y: float
    anchor: str = "start"
    size: float = 11.0
    angle: float = 0.0

    def ends(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Approximate start and end points of the line as drawn (Helvetica-like widths,
        see `_em`), along its rotation."""
        width = self.size * sum(_em(c) for c in self.text)
        before = {"start": 0.0, "middle": width / 2}.get(self.anchor, width)
        dx, dy = math.cos(math.radians(self.angle)), math.sin(math.radians(self.angle))
        return ((self.x - before * dx, self.y - before * dy),
                (self.x + (width - before) * dx, self.y + (width - before) * dy))


# Helvetica's advance widths (AFM, 1/1000 em) for printable ASCII; other characters 0.556 em.
_HELVETICA = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
     *[556] * 10, 278, 278, 584, 584, 584, 556, 1015,
     667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
     722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333,
     556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556,
     333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584], strict=True))


def _em(char: str) -> float:
    """Width of a character in em for a Helvetica-like sans-serif, 5 % on the wide side."""
    return 1.05 * _HELVETICA.get(char, 556) / 1000


def _root(svg_text: str) -> ET.Element:
    return ET.fromstring(svg_text)


def _classes(el: ET.Element) -> list[str]:
    return (el.get("class") or "").split()


_TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)")


def _offset(el: ET.Element) -> tuple[float, float]:
    """The first translate of an element's transform (later rotates don't move the anchor)."""
    m = _TRANSLATE.search(el.get("transform") or "")
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def _hidden(el: ET.Element) -> bool:
    """Vega hides what it drops (overlapping or out-of-bounds labels) with opacity 0."""
    return (el.get("opacity") in ("0", "0.0") or el.get("display") == "none"
            or el.get("visibility") == "hidden")


def _walk(el: ET.Element, x: float = 0.0, y: float = 0.0,
          role: str = "") -> Iterator[tuple[ET.Element, float, float, str]]:
    """Yield (element, absolute x, absolute y, nearest role-* class) for every visible
    element of the tree (a hidden element hides its children)."""
    if _hidden(el):
        return
    dx, dy = _offset(el)
    x, y = x + dx, y + dy
    role = next((c[5:] for c in _classes(el) if c.startswith("role-")), role)
    yield el, x, y, role
    for child in el:
        yield from _walk(child, x, y, role)


def drawn_texts(svg_text: str) -> list[Text]:
    """Every visible line of text; a multi-line text gives one entry per `<tspan>`.
    Texts Vega hid (opacity 0: overlapping or out-of-bounds labels) are left out."""
    out = []
    for el, x, y, role in _walk(_root(svg_text)):
        if el.tag != f"{SVG_NS}text":
            continue
        spans = el.findall(f"{SVG_NS}tspan")
        lines = [s.text or "" for s in spans] if spans else [el.text or ""]
        size = float(re.sub(r"[^\d.]", "", el.get("font-size") or "") or 11)
        turn = re.search(r"rotate\(\s*([-\d.e]+)", el.get("transform") or "")
        angle = float(turn.group(1)) if turn else 0.0
        out += [Text(line, role, x, y, el.get("text-anchor") or "start", size, angle)
                for line in lines if line.strip()]
    return out


def texts(svg_text: str) -> list[str]:
    """All drawn text, in drawing order."""
    return [t.text for t in drawn_texts(svg_text)]


def _role_texts(svg_text: str, role: str) -> list[str]:
    return [t.text for t in drawn_texts(svg_text) if t.role == role]


def axis_labels(svg_text: str) -> list[str]:
    """The tick labels of every axis."""
    return _role_texts(svg_text, "axis-label")


def axis_titles(svg_text: str) -> list[str]:
    return _role_texts(svg_text, "axis-title")


def axes(svg_text: str) -> list[dict[str, Any]]:
    """One dict per drawn axis: its aria description, title and labels."""
    out = []
    for el in _root(svg_text).iter(f"{SVG_NS}g"):
        if "role-axis" not in _classes(el) or el.get("aria-roledescription") != "axis":
            continue
        sub = ET.tostring(el, encoding="unicode")
        out.append({"aria": el.get("aria-label") or "", "title": axis_titles(sub),
                    "labels": axis_labels(sub)})
    return out


def legend_entries(svg_text: str) -> list[str]:
    """The labels of every legend entry (all legends, in order)."""
    return _role_texts(svg_text, "legend-label")


def legend_titles(svg_text: str) -> list[str]:
    return _role_texts(svg_text, "legend-title")


def legend_symbols(svg_text: str) -> int:
    """How many legend symbols are drawn (one per entry when the legend is whole)."""
    return sum(1 for el, *_ in _walk(_root(svg_text))
               if "role-legend-symbol" in _classes(el) for _ in el.iter(f"{SVG_NS}path"))


MARK_TAGS = {"rect": "path", "bar": "path", "line": "path", "area": "path", "rule": "line",
             "symbol": "path", "point": "path", "text": "text", "trail": "path"}


def mark_elements(svg_text: str, kind: str) -> list[ET.Element]:
    """The drawn elements of the data marks of one kind (`bar`/`rect`, `line`, `area`,
    `rule`, `symbol`/`point`, `text`), not those of axes or legends."""
    vega_kind = {"bar": "rect", "point": "symbol"}.get(kind, kind)
    tag = f"{SVG_NS}{MARK_TAGS[kind]}"
    out = []
    for el in _root(svg_text).iter(f"{SVG_NS}g"):
        cls = _classes(el)
        if f"mark-{vega_kind}" in cls and "role-mark" in cls:
            out += [child for child in el if child.tag == tag and not _hidden(child)]
    return out


def marks(svg_text: str, kind: str) -> int:
    """How many data marks of one kind are drawn (bars: with a non-zero area)."""
    elements = mark_elements(svg_text, kind)
    if kind in ("bar", "rect"):
        return sum(1 for el in elements if _rect_area(el.get("d") or "") > 0)
    if kind in ("line", "area"):
        return sum(1 for el in elements if len(re.findall(r"[ML]", el.get("d") or "")) >= 2)
    return len(elements)


def mark_labels(svg_text: str, kind: str) -> list[str]:
    """The aria-label of each data mark: Vega-Lite's description of its datum, which lists
    the tooltip fields as the tooltip shows them."""
    return [el.get("aria-label") or "" for el in mark_elements(svg_text, kind)]


_RECT = re.compile(r"M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h")


def _rect_area(d: str) -> float:
    m = _RECT.match(d)
    return abs(float(m.group(3)) * float(m.group(4))) if m else 0.0


def bar_sizes(svg_text: str) -> list[tuple[float, float]]:
    """(width, height) in px of each drawn bar."""
    out = []
    for el in mark_elements(svg_text, "bar"):
        m = _RECT.match(el.get("d") or "")
        if m:
            out.append((abs(float(m.group(3))), abs(float(m.group(4)))))
    return out


def canvas(svg_text: str) -> tuple[float, float]:
    root = _root(svg_text)
    return float(root.get("width") or 0), float(root.get("height") or 0)


def outside(svg_text: str) -> list[Text]:
    """Texts (partly) outside the canvas, i.e. cut off when the page draws the chart: both
    ends of each line (rotation included) must lie inside, give or take 2 px."""
    width, height = canvas(svg_text)
    out = []
    for t in drawn_texts(svg_text):
        for x, y in t.ends():
            if not (-2 <= x <= width + 2 and -2 <= y <= height + 2):
                out.append(t)
                break
    return out
