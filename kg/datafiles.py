"""Loaders for the package's data files under ``kg/data/``.

Each file is read by exactly one function here and cached, so lexicons are
parsed once per process and every file says where its content came from in
its ``_source`` field.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from kg.errors import ConfigError


def read_json(name: str) -> Any:
    """Read ``kg/data/<name>`` as JSON."""
    try:
        text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"missing data file kg/data/{name}: reinstall kg") from None
    return json.loads(text)


@lru_cache(maxsize=1)
def ene_type_map() -> dict[str, str]:
    """ENE label → kg entity type (Person, State, Organization)."""
    table = read_json("ene_types.json")
    return {label: kind for kind, labels in table.items() if not kind.startswith("_") for label in labels}
