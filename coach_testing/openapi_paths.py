"""Requests against the OpenAPI document's paths: path templates compiled to regexes (with
their specificity and `{ext}`/`{format}` extension placeholders), and path and query parameter
values read as their declared types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .openapi_schema import Schema

_INTEGER = re.compile(r"-?\d+")
_DIGITS = re.compile(r"\d+")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class Template:
    """A path template of the document as a regex; `specificity` ranks templates that both match."""

    template: str
    pattern: re.Pattern[str]
    specificity: tuple[int, ...]
    ext_params: frozenset[str]


# --- path templates ------------------------------------------------------------------------------


def compile_template(template: str) -> Template:
    """`/api/v1/athlete/{id}/wellness{ext}` as a regex over a request path."""
    parts, score, ext_params = [], [], set()
    for segment in template.strip("/").split("/"):
        regex, kind, ext = _compile_segment(segment)
        parts.append(regex)
        score.append(kind)
        ext_params |= ext
    pattern = re.compile("/" + "/".join(parts))
    return Template(template, pattern, tuple(score), frozenset(ext_params))


def _compile_segment(segment: str) -> tuple[str, int, set[str]]:
    """Regex for one segment, its specificity (2 literal, 1 literal + `{ext}`, 0 placeholder)
    and the names of its extension placeholders."""
    names = _PLACEHOLDER.findall(segment)
    if not names:
        return re.escape(segment), 2, set()
    if _PLACEHOLDER.fullmatch(segment):
        return f"(?P<{names[0]}>[^/]+)", 0, set()
    pieces, ext, pos = [], set(), 0
    for found in _PLACEHOLDER.finditer(segment):
        pieces.append(re.escape(segment[pos:found.start()]))
        name = found.group(1)
        if found.end() == len(segment):  # `activities{ext}`, `{id}{ext}`: "" or ".csv" etc.
            pieces.append(f"(?P<{name}>(?:\\.[A-Za-z0-9]+)?)")
            ext.add(name)
        else:
            pieces.append(f"(?P<{name}>[^/]+?)")
        pos = found.end()
    literal = bool(_PLACEHOLDER.sub("", segment))
    return "".join(pieces), 1 if literal else 0, ext


# --- parameter values ----------------------------------------------------------------------------


class BadValue(ValueError):
    """A parameter value not of its declared type or outside its enum."""


def read_scalar(text: str, schema: Schema, *, path_param: bool = False) -> Any:
    """`text` as the schema's type (integer, number, boolean or string), or `BadValue`."""
    kind = schema.get("type")
    value: Any = text
    if kind == "integer":
        if not (_DIGITS if path_param else _INTEGER).fullmatch(text):
            raise BadValue(f"{text!r} is not an integer")
        value = int(text)
    elif kind == "number":
        try:
            value = float(text)
        except ValueError:
            raise BadValue(f"{text!r} is not a number") from None
    elif kind == "boolean":
        if text not in ("true", "false"):
            raise BadValue(f"{text!r} is not a boolean (send true or false)")
        value = text == "true"
    if "enum" in schema and value not in schema["enum"]:
        raise BadValue(f"{text!r} is not one of {_enum_list(schema['enum'])}")
    return value


def _enum_list(values: list[Any]) -> str:
    shown = ", ".join(map(str, values[:12]))
    return f"[{shown}{', ...' if len(values) > 12 else ''}]"


def query_lists(query: Any) -> dict[str, list[str]]:
    """{name: [values]} from a mapping of str or lists, or from httpx.QueryParams."""
    out: dict[str, list[str]] = {}
    pairs = query.multi_items() if hasattr(query, "multi_items") else query.items()
    for name, raw in pairs:
        values = raw if isinstance(raw, list | tuple) else [raw]
        out.setdefault(name, []).extend(_as_text(v) for v in values)
    return out


def _as_text(value: Any) -> str:
    """A value as httpx puts it in a URL (True -> "true", None -> "")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)

