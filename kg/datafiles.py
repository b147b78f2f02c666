"""Loaders for the package's data files under ``kg/data/``.

Each file is read by exactly one function here and cached, so lexicons are
parsed once per process and every file says where its content came from in
its ``_source`` field.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import ConfigError


def read_json(name: str) -> Any:
    """Read ``kg/data/<name>`` as JSON."""
    try:
        text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"missing data file kg/data/{name}: reinstall kg") from None
    return json.loads(text)


def read_user_json(path: str | Path, *, what: str) -> Any:
    """Read a user's JSON file (a lexicon, rules, a gold file) as data, with one-line errors."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {what} file") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the {what} file ({err.strerror or err})") from None
    try:
        text = data.decode("utf-8-sig")  # a BOM, as some editors write, is fine
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text (byte {err.start}): save the {what} file as UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(f"{path}: not valid JSON ({err.msg} at line {err.lineno})") from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise ConfigError(f"{path}: not valid JSON (a number of more than 4,300 digits)") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid JSON (nested too deeply)") from None


@lru_cache(maxsize=1)
def ene_type_map() -> dict[str, str]:
    """ENE label → kg entity type (Person, State, Organization)."""
    table = read_json("ene_types.json")
    return {label: kind for kind, labels in table.items() if not kind.startswith("_") for label in labels}
