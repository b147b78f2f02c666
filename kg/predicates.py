"""The predicate table: every relation predicate of the graph, declared once.

``kg/data/predicates.json`` holds one row per predicate (name, RDF property,
symmetry, domain, range, Japanese and English labels). Everything that needs
to know about predicates reads it from here: the relation rules (a rule with
an unknown predicate is refused), the RDF vocabulary and the generated
ontology and shapes (:mod:`kg.ontology`), the view's legend, the exports and
``kg eval``. Adding a predicate is one row in that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.datafiles import read_json
from kg.errors import ConfigError
from kg.model import ENTITY_TYPES, EntityType

#: The one untyped predicate: two entities mentioned in the same sentence.
COOCCURS = "cooccurs_with"

_NAME = re.compile(r"^[a-z][a-z_]*[a-z]$")
_PROPERTY = re.compile(r"^[a-z][A-Za-z]*$")


@dataclass(frozen=True)
class Predicate:
    """One relation predicate: how rules name it, how RDF writes it, what it may link."""

    name: str
    property: str
    symmetric: bool
    domain: tuple[EntityType, ...]
    range: tuple[EntityType, ...]
    label_ja: str
    label_en: str
    comment: str = ""
    #: False only for co-occurrence: an edge no rule typed.
    typed: bool = True
    #: Something that happens (a meeting, an arrest), not a state that holds (an alliance):
    #: an event told in the non-past is planned, not asserted.
    event: bool = False
    #: The broadest kind of event node it makes (``meeting``; see :mod:`kg.eventkinds`), or "" for none.
    event_kind: str = ""
    #: Its colour in the view (legend and edges).
    color: str = "#7f7f7f"

    def allows(self, subject_type: str, object_type: str) -> bool:
        """Whether a subject and an object of these types fit the domain and range."""
        return subject_type in self.domain and object_type in self.range


@lru_cache(maxsize=1)
def predicate_table() -> dict[str, Predicate]:
    """Predicate name → :class:`Predicate`, in the table's order (checked as it is read)."""
    table: dict[str, Predicate] = {}
    properties: set[str] = set()
    for row in read_json("predicates.json")["predicates"]:
        predicate = _row(row)
        if predicate.name in table or predicate.property in properties:
            raise ConfigError(f"kg/data/predicates.json: {predicate.name} is declared twice")
        table[predicate.name] = predicate
        properties.add(predicate.property)
    return table


def _row(row: dict[str, object]) -> Predicate:
    name, prop = str(row.get("name", "")), str(row.get("property", ""))
    if not _NAME.match(name) or not _PROPERTY.match(prop):
        raise ConfigError(f"kg/data/predicates.json: bad name {name!r} or property {prop!r}")
    ends = {}
    for side in ("domain", "range"):
        kinds = tuple(row.get(side, ()))  # type: ignore[arg-type]
        if not kinds or any(k not in ENTITY_TYPES for k in kinds):
            raise ConfigError(f"kg/data/predicates.json: {name}: {side} must list types from "
                              + ", ".join(ENTITY_TYPES))
        ends[side] = kinds
    return Predicate(name=name, property=prop, symmetric=bool(row.get("symmetric", False)),
                     domain=ends["domain"], range=ends["range"], label_ja=str(row["label_ja"]),
                     label_en=str(row["label_en"]), comment=str(row.get("comment", "")),
                     typed=bool(row.get("typed", True)), event=bool(row.get("event", False)),
                     event_kind=str(row.get("event_kind", "")), color=str(row.get("color", "#7f7f7f")))


def get_predicate(name: str) -> Predicate:
    """The predicate called ``name``; an unknown name raises, listing the valid ones."""
    try:
        return predicate_table()[name]
    except KeyError:
        raise ConfigError(f"unknown relation predicate {name!r}; known predicates: "
                          + ", ".join(predicate_table())) from None


def symmetric_predicates() -> frozenset[str]:
    """Names of the predicates that hold both ways (stored once, subject < object)."""
    return frozenset(p.name for p in predicate_table().values() if p.symmetric)


def event_kinds_of_predicates() -> dict[str, str]:
    """Predicate name → the broadest event kind it makes, for the predicates that make one."""
    return {p.name: p.event_kind for p in predicate_table().values() if p.event_kind}


def typed_predicates() -> tuple[str, ...]:
    """Names of the predicates rules produce (all but co-occurrence), in table order."""
    return tuple(p.name for p in predicate_table().values() if p.typed)
