"""The OpenAPI document's schemas as JSON Schema: translation, fast compiled checks, and readable
errors. `Contract` (coach.testing.openapi) builds on these.

How OpenAPI 3.0 schemas are read (JSON Schema Draft 4 with these translations):

* `nullable: true` allows null; `oneOf` is read as `anyOf` (springdoc emits `oneOf` for union
  return types whose members share every field and require none, so exactly-one can never hold);
  `required` ignores `readOnly` fields in requests and `writeOnly` fields in responses.
* `format`: int32/int64/float/double/byte are not checked; `date-time` is checked loosely
  (ISO date, `T`, time, and a `Z` or numeric offset, as Java's OffsetDateTime always writes).
* Null policy. RESPONSES: any property value (and any map value) may be null, because the
  Java backend serializes absent values as null and the document never says `nullable`. Whole
  bodies and array items may not be null. REQUESTS: null only where the schema allows it (the
  document allows it nowhere), so the client must omit a field rather than send null.
* Integers are Draft 4 integers: `60.0` is not an integer (the Java backend writes `60`).
* Extra properties pass: the document never sets `additionalProperties: false`.

Known spec errors are patched into the document first (`apply_quirks`, with the `QUIRKS` table of
coach.testing.openapi).

Fast checks: jsonschema spends ~5 us per keyword and property (it builds a validator per
descent), so a list of 100 activities takes tens of ms. The document only uses a handful of
keywords, so each translated schema is also compiled into plain closures with the same Draft 4
meaning (`Compiler`). A body the closures accept is valid; one they reject is re-validated by
jsonschema, which writes the error (and is the authority: `Contract` reports the two disagreeing
as a bug). Schemas with any other keyword are left to jsonschema alone (`Unsupported`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError

Schema = dict[str, Any]
ANY_VALUE: Schema = {}
Check = Callable[[Any], bool]

_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE
)
_MAX_MESSAGE = 240


# --- schema translation --------------------------------------------------------------------------


def apply_quirks(doc: dict[str, Any], quirks: Mapping[str, tuple[Schema, str]]) -> None:
    """Replace each pointed-at schema in `doc`; a pointer that no longer exists is an error."""
    for pointer, (schema, _why) in quirks.items():
        *parents, last = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
        node: Any = doc
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or last not in node:
            raise ValueError(f"QUIRKS entry no longer matches the OpenAPI document: {pointer}")
        node[last] = copy.deepcopy(schema)


def _nullable(schema: Schema) -> Schema:
    """The same schema, also accepting null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    if "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types if "null" in types else [*types, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    if "anyOf" in out:
        out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    return out


def _to_json_schema(schema: Any, *, response: bool) -> Any:
    """Translate one OpenAPI 3.0 schema object (recursively) to Draft 4 JSON Schema."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k not in ("nullable", "oneOf")}
    if "oneOf" in schema:
        out["anyOf"] = schema["oneOf"]
    for key in ("items", "not"):
        if isinstance(out.get(key), dict):
            out[key] = _to_json_schema(out[key], response=response)
    for key in ("allOf", "anyOf"):
        if key in out:
            out[key] = [_to_json_schema(s, response=response) for s in out[key]]
    if "properties" in out:
        out["properties"] = {k: _property(v, response) for k, v in out["properties"].items()}
        out = _drop_one_sided_required(out, response)
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = _property(out["additionalProperties"], response)
    return _nullable(out) if schema.get("nullable") else out


def _property(schema: Any, response: bool) -> Any:
    translated = _to_json_schema(schema, response=response)
    return _nullable(translated) if response and isinstance(translated, dict) else translated


def _drop_one_sided_required(schema: Schema, response: bool) -> Schema:
    if "required" not in schema:
        return schema
    skip = "writeOnly" if response else "readOnly"
    props = schema["properties"]
    schema["required"] = [n for n in schema["required"] if not props.get(n, {}).get(skip)]
    if not schema["required"]:
        del schema["required"]
    return schema


def translate_document(doc: dict[str, Any], *, response: bool) -> dict[str, Any]:
    """The document with every schema translated: the request view or the response view."""
    out = dict(doc)
    schemas = doc.get("components", {}).get("schemas", {})
    out["components"] = {
        **doc.get("components", {}),
        "schemas": {n: _to_json_schema(s, response=response) for n, s in schemas.items()},
    }
    out["paths"] = _translate_inline(doc.get("paths", {}), response)
    return out


def _translate_inline(node: Any, response: bool) -> Any:
    """Translate every `schema` (parameters, request bodies, responses) under `paths`."""
    if isinstance(node, list):
        return [_translate_inline(v, response) for v in node]
    if not isinstance(node, dict):
        return node
    return {
        k: _to_json_schema(v, response=response) if k == "schema"
        else _translate_inline(v, response)
        for k, v in node.items()
    }


def format_checker() -> FormatChecker:
    """Checks `date-time` only (see the module docstring)."""
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_is_date_time)
    return checker


# --- fast checks ---------------------------------------------------------------------------------

_ANNOTATIONS = frozenset({"description", "default", "example", "title", "readOnly", "writeOnly",
                          "deprecated", "externalDocs", "xml", "format"})
_FAST_KEYWORDS = _ANNOTATIONS | {"type", "enum", "properties", "additionalProperties", "required",
                                 "items", "anyOf", "$ref"}
_PY_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),  # Draft 4: 1.0 no integer
}


class Unsupported(Exception):
    pass


class Compiler:
    """Compile translated schemas of one document (request or response view) into closures."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self._doc = doc
        self._refs: dict[str, Check] = {}

    def pointer(self, pointer: str) -> Check:
        return self.compile(resolve_pointer(self._doc, pointer))

    def compile(self, schema: Any) -> Check:
        if not isinstance(schema, dict) or set(schema) - _FAST_KEYWORDS:
            raise Unsupported(schema)
        if "$ref" in schema:  # Draft 4 ignores the siblings of $ref
            return self._ref(schema["$ref"])
        checks = [self._keyword(k, schema) for k in ("type", "enum", "format", "items", "anyOf")
                  if k in schema]
        if {"properties", "additionalProperties", "required"} & set(schema):
            checks.append(self._object(schema))
        return _all_of([c for c in checks if c is not None])

    def _keyword(self, key: str, schema: Schema) -> Check | None:
        value = schema[key]
        if key == "type":
            return _type_check(value if isinstance(value, list) else [value])
        if key == "enum":
            return _enum_check(value)
        if key == "format":
            return _is_date_time if value == "date-time" else None
        if key == "items":
            item = self.compile(value)
            return lambda v: not isinstance(v, list) or all(item(x) for x in v)
        branches = [self.compile(s) for s in value]  # anyOf
        return lambda v: any(branch(v) for branch in branches)

    def _object(self, schema: Schema) -> Check:
        props = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        extra_check = self.compile(extra) if isinstance(extra, dict) else None
        required = tuple(schema.get("required", ()))

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            if any(k not in v for k in required):
                return False
            for key, item in v.items():
                prop = props.get(key)
                if prop is not None:
                    if not prop(item):
                        return False
                elif extra is False or (extra_check is not None and not extra_check(item)):
                    return False
            return True

        return check

    def _ref(self, ref: str) -> Check:
        if ref not in self._refs:
            slot: list[Check] = []
            self._refs[ref] = lambda v: slot[0](v)  # recursive schemas reach this forward
            slot.append(self.compile(resolve_pointer(self._doc, ref.partition("#")[2])))
            self._refs[ref] = slot[0]
        return self._refs[ref]


def _all_of(checks: list[Check]) -> Check:
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)
    return lambda v: all(check(v) for check in checks)


def _type_check(names: list[str]) -> Check:
    allowed = tuple(t for name in names for t in _PY_TYPES[name])
    allow_bool = "boolean" in names  # bool is an int in Python, never in JSON Schema

    def check(v: Any) -> bool:
        return allow_bool if isinstance(v, bool) else isinstance(v, allowed)

    return check


def _enum_check(values: list[Any]) -> Check:
    if any(v is not None and not isinstance(v, str) for v in values):
        raise Unsupported(values)
    strings, allow_null = frozenset(v for v in values if v is not None), None in values
    return lambda v: (isinstance(v, str) and v in strings) or (allow_null and v is None)


def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or _DATE_TIME.fullmatch(value) is not None


def resolve_pointer(doc: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        doc = doc[part.replace("~1", "/").replace("~0", "~")]
    return doc


# --- readable errors -----------------------------------------------------------------------------


def describe_errors(errors: list[ValidationError]) -> str:
    """What is wrong, one clause per error: "at $.path: message; ..."."""
    return "; ".join(_describe(e) for e in _deepest(errors))


def _deepest(errors: list[ValidationError]) -> Iterator[ValidationError]:
    """For anyOf/oneOf failures report the most relevant branch error instead of the summary."""
    for error in errors:
        while error.context:
            error = min(error.context, key=_branch_rank)
        yield error


def _branch_rank(error: ValidationError) -> tuple[int, int]:
    # Prefer errors that are not about null (the null branch is our own addition) and deep ones.
    return (1 if error.validator == "type" and error.validator_value == "null" else 0,
            -len(error.absolute_path))


def _describe(error: ValidationError) -> str:
    message = error.message
    if error.validator == "type" and isinstance(error.instance, dict | list):
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        message = f"{_short(error.instance)} is not of type {', '.join(map(repr, expected))}"
    if len(message) > _MAX_MESSAGE:
        message = message[:_MAX_MESSAGE] + "..."
    return f"at {error.json_path}: {message}"


def _short(instance: dict[str, Any] | list[Any]) -> str:
    if isinstance(instance, dict):
        keys = ", ".join(list(instance)[:4])
        return f"an object {{{keys}{', ...' if len(instance) > 4 else ''}}}"
    return f"an array of {len(instance)} items"

