"""Validation of the user's data files against JSON Schemas, with one-line errors.

A lexicon or rule file is data a person writes by hand, so a wrong type must
be an error that names the file, the field and the reason, never a
traceback and never a silent guess (``"triggers": "訪問"`` read as two
one-character triggers, ``"symmetric": "no"`` as true). The formats are JSON
Schemas (draft 2020-12) under ``kg/data/schemas/``, checked with the
``jsonschema`` package, the reference validator for Python: a new field is
one line in a schema file, and the schemas document the formats for anyone
writing the files with another tool.

Loaders call :func:`validate` with one line each. What a schema cannot know
(whether a predicate is in ``kg/data/predicates.json``) is checked by the
loader after it, so each fact stays declared once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from kg.errors import ConfigError

__all__ = ["SCHEMAS", "schema", "validate"]

#: Schema name → file under kg/data/schemas/.
SCHEMAS = {"lexicon": "lexicon.schema.json", "rules": "rules.schema.json"}
_MAX_SHOWN = 40  # characters of a bad value quoted in a message


@lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``name`` (``lexicon``, ``rules``, or ``rule`` for one rule of a rule file)."""
    if name == "rule":
        rules = schema("rules")
        return {**rules["$defs"]["rule"], "$defs": rules["$defs"]}
    text = resources.files("kg").joinpath("data", "schemas", SCHEMAS[name]).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(name))


def validate(data: Any, name: str, *, source: str) -> None:
    """Raise :class:`ConfigError` ``SOURCE: FIELD: reason`` if ``data`` does not fit schema ``name``."""
    from jsonschema.exceptions import best_match

    try:
        error = best_match(_validator(name).iter_errors(data))
    except (ValueError, RecursionError):  # a number too long to print, nesting too deep to walk
        raise ConfigError(f"{source}: holds a number too long or nesting too deep to be a {name} file") from None
    if error is not None:
        where = _path(error.absolute_path)
        raise ConfigError(f"{source}: {where + ': ' if where else ''}{_reason(error)}")


def _path(parts: Any) -> str:
    """``entities[2].aliases[0]``: where in the file the bad value is."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _reason(error: Any) -> str:
    kind, value, rule = error.validator, error.instance, error.validator_value
    description = error.schema.get("description") if isinstance(error.schema, dict) else None
    if kind == "type":
        return f"must be {_a(rule)}, not {_a(_json_type(value))} ({_shown(value)})"
    if kind == "enum":
        return f"{_shown(value)} is not one of {', '.join(map(str, rule))}"
    if kind == "required":
        missing = next((r for r in rule if isinstance(value, dict) and r not in value), rule[0])
        return f"the field {missing!r} is missing"
    if kind == "additionalProperties":
        known = ", ".join(error.schema.get("properties", {}))
        extra = sorted(k for k in value if k not in error.schema.get("properties", {}) and not k.startswith("_"))
        return f"unknown field {extra[0]!r}" + (f" (known: {known})" if known else "")
    if kind == "not":
        return description or "is not allowed here"
    if kind in ("minLength", "minItems"):
        return "must not be empty"
    if kind in ("maxLength", "maxItems"):
        return f"is longer than {rule}"
    if kind == "pattern":
        what = description or "the expected form"
        return f"{_shown(value)} is not {what}" if description else f"{_shown(value)} does not have {what}"
    return " ".join(str(error.message).split())[:200]


_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
               dict: "object", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _a(kind: Any) -> str:
    kinds = kind if isinstance(kind, list) else [kind]
    words = {"array": "a list", "object": "an object", "string": "a string", "boolean": "true or false",
             "integer": "an integer", "number": "a number", "null": "null"}
    return " or ".join(words.get(k, k) for k in kinds)


def _shown(value: Any) -> str:
    """A bad value, quoted and cut short (a 4,000-digit number or a huge list stays one line)."""
    if isinstance(value, (dict, list)):
        return _a(_json_type(value))
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, int) or abs(value) < 10**30 \
        else f"a {len(str(abs(value)))}-digit number"
    text = " ".join(text.split())
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 1] + "…"
