"""Neo4j: CSV files for ``neo4j-admin database import``, and a Cypher script that loads them.

One folder (``output/neo4j/``) holds:

- node files ``entities.csv`` (labels ``Entity`` and its type: ``Person``,
  ``State``, ``Organization``), ``documents.csv`` (``Document``) and
  ``evidence.csv`` (``Evidence``: one sentence supporting one relation);
- relationship files ``relations.csv`` (one relationship per relation, its
  type from the predicate: ``met_with`` → ``MET_WITH``, with ``modality``,
  ``weight``, the first evidence sentence…), ``mentioned_in.csv`` (Entity →
  Document) and ``evidence_in.csv`` (Evidence → Document);
- ``import.sh``: the ``neo4j-admin database import full`` command for these
  files (a new, empty database; the fastest way in);
- ``load.cypher``: ``LOAD CSV`` statements that merge the same files into an
  existing database (``cypher-shell -f load.cypher``); re-running it updates
  rather than duplicates (it merges on ids).

The headers follow the import tool's grammar: ``id:ID(Entity)`` (an id in
the ``Entity`` id space, kept as property ``id``), ``:LABEL`` (labels joined
with ``;``), ``:START_ID(Entity)``, ``:END_ID(Document)``, ``:TYPE``, typed
columns (``mentions:int``, ``centrality:double``, ``symmetric:boolean``) and
arrays (``aliases:string[]``, split on ``;``, the tool's default
``--array-delimiter``). An evidence node's ``relation`` property is its
relationship's ``id``: ``MATCH (a)-[r]->(b), (e:Evidence) WHERE e.relation = r.id``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.export.columns import (
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    EVIDENCE_COLUMNS,
    LIST_SEPARATOR,
    RELATION_COLUMNS,
    Column,
    EvidenceRow,
    evidence_rows,
    flat_value,
    relation_rows,
)
from kg.export.tables import csv_bytes
from kg.files import write_atomic
from kg.graph import KnowledgeGraph
from kg.predicates import predicate_table

#: Node labels (and ID spaces) of the three kinds of node.
ENTITY, DOCUMENT, EVIDENCE = "Entity", "Document", "Evidence"
#: Relationship types that are not predicates.
MENTIONED_IN, EVIDENCE_IN = "MENTIONED_IN", "EVIDENCE_IN"

#: Python value type of a column → the import tool's type name ("" : string, its default).
NEO4J_TYPES: dict[type, str] = {str: "", int: "int", float: "double", bool: "boolean", list: "string[]"}
#: The same column read back by LOAD CSV, where every field is a string.
CYPHER_CONVERSIONS: dict[type, str] = {
    str: "{}", int: "toInteger({})", float: "toFloat({})", bool: "toBoolean({})",
    list: f"split({{}}, '{LIST_SEPARATOR}')",
}
#: What a relationship type or label must look like to be written without quoting.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def predicate_names() -> list[str]:
    """The known predicate names, from the predicate table (:mod:`kg.predicates`)."""
    return list(predicate_table())


def relationship_type(predicate: str) -> str:
    """The Neo4j relationship type of a predicate: ``met_with`` → ``MET_WITH``.

    An unknown predicate is an error (as in the RDF export): types come from
    the predicate table, never from whatever a relation happens to say.
    """
    if predicate not in predicate_names():
        raise KgError(f"unknown relation predicate {predicate!r}: add it to the predicate table; "
                      f"known: {', '.join(predicate_names())}")
    name = predicate.upper()
    if not _NAME.match(name):
        raise KgError(f"predicate {predicate!r} does not make a Neo4j relationship type "
                      f"(letters, digits and _ only)")
    return name


def header(column: Column[Any], *, role: str = "") -> str:
    """A column's header field: ``mentions:int``, ``aliases:string[]``, or with a role ``id:ID(Entity)``."""
    if role:
        return f"{column.name}:{role}"
    kind = NEO4J_TYPES[column.type]
    return f"{column.name}:{kind}" if kind else column.name


@dataclass(frozen=True)
class NodeFile:
    """One node file: its id space (also its first label), id column and property columns."""

    file: str
    space: str
    columns: tuple[Column[Any], ...]  # the first is the id
    rows: Sequence[tuple[str, Any]]  # (labels joined with ;, item)

    def header(self) -> list[str]:
        id_column, *rest = self.columns
        return [header(id_column, role=f"ID({self.space})"), ":LABEL", *(header(c) for c in rest)]

    def data(self) -> bytes:
        return csv_bytes(self.header(), ([flat_value(self.columns[0], item), labels,
                                          *(flat_value(c, item) for c in self.columns[1:])]
                                         for labels, item in self.rows))


@dataclass(frozen=True)
class RelationshipFile:
    """One relationship file: the id spaces it links and the property columns."""

    file: str
    start: str
    end: str
    columns: tuple[Column[Any], ...]
    rows: Sequence[tuple[str, str, str, Any]]  # (start id, end id, type, item)

    def header(self) -> list[str]:
        return [f":START_ID({self.start})", f":END_ID({self.end})", ":TYPE", *(header(c) for c in self.columns)]

    def data(self) -> bytes:
        return csv_bytes(self.header(), ([a, b, kind, *(flat_value(c, item) for c in self.columns)]
                                         for a, b, kind, item in self.rows))


def evidence_id(row: EvidenceRow) -> str:
    """An evidence node's id: its relation's id, document and offsets."""
    return f"{row.relation_id}|{row.evidence.doc}:{row.evidence.start}-{row.evidence.end}"


def _column(name: str, get: Callable[[Any], object], doc: str) -> Column[Any]:
    return Column(name, str, get, doc)


def neo4j_files(graph: KnowledgeGraph) -> tuple[list[NodeFile], list[RelationshipFile]]:
    """The node and relationship files of the graph."""
    rels = relation_rows(graph)
    evidence = list({evidence_id(r): r for r in evidence_rows(rels)}.values())  # identical evidence: one node
    evidence_columns = (_column("id", evidence_id, "relation|document:start-end"), *EVIDENCE_COLUMNS)
    relation_columns = tuple(c for c in RELATION_COLUMNS if c.name not in ("source", "target"))
    nodes = [
        NodeFile("entities.csv", ENTITY, ENTITY_COLUMNS,
                 [(f"{ENTITY}{LIST_SEPARATOR}{_label(e.type)}", e) for e in graph.entities]),
        NodeFile("documents.csv", DOCUMENT, DOCUMENT_COLUMNS, [(DOCUMENT, d) for d in graph.documents]),
        NodeFile("evidence.csv", EVIDENCE, evidence_columns, [(EVIDENCE, r) for r in evidence]),
    ]
    relationships = [
        RelationshipFile("relations.csv", ENTITY, ENTITY, relation_columns,
                         [(r.relation.subject, r.relation.object, relationship_type(r.relation.predicate), r)
                          for r in rels]),
        RelationshipFile("mentioned_in.csv", ENTITY, DOCUMENT, (),
                         [(e.id, doc, MENTIONED_IN, e) for e in graph.entities for doc in e.docs]),
        RelationshipFile("evidence_in.csv", EVIDENCE, DOCUMENT, (),
                         [(evidence_id(r), r.evidence.doc, EVIDENCE_IN, r) for r in evidence]),
    ]
    return nodes, relationships


def _label(name: str) -> str:
    if not _NAME.match(name):
        raise KgError(f"entity type {name!r} does not make a Neo4j label (letters, digits and _ only)")
    return name


def import_script(nodes: Iterable[NodeFile], relationships: Iterable[RelationshipFile]) -> str:
    """``import.sh``: the neo4j-admin command that imports these files into a new database."""
    args = [f"--nodes={n.file}" for n in nodes] + [f"--relationships={r.file}" for r in relationships]
    lines = "".join(f"  {a} \\\n" for a in args)
    return ("#!/bin/sh\n"
            "# Import kg's graph into a new Neo4j 5 database with neo4j-admin (Neo4j stopped).\n"
            "# Usage: sh import.sh [OPTIONS] [DATABASE]    e.g. sh import.sh --overwrite-destination=true neo4j\n"
            "# Runs in this folder; neo4j-admin must be on PATH (it is in Neo4j's bin/ folder).\n"
            "set -e\n"
            'cd "$(dirname "$0")"\n'
            "neo4j-admin database import full \\\n"
            f"{lines}"
            f"  --array-delimiter='{LIST_SEPARATOR}' --multiline-fields=true \\\n"
            '  "$@"\n')


def _field(name: str) -> str:
    return "row.`" + name.replace("`", "``") + "`"


def _assignments(variable: str, columns: Iterable[Column[Any]]) -> list[str]:
    return [f"{variable}.{c.name} = " + CYPHER_CONVERSIONS[c.type].format(_field(header(c))) for c in columns]


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def load_script(nodes: Sequence[NodeFile], relationships: Sequence[RelationshipFile]) -> str:
    """``load.cypher``: constraints, then one ``LOAD CSV`` statement per file and label or type.

    Labels and relationship types cannot come from a field in plain Cypher,
    so each distinct ``:LABEL`` and ``:TYPE`` value of the files gets its own
    statement, which filters the rows that carry it.
    """
    out = ["// Load kg's graph into a running Neo4j 5 database with LOAD CSV.",
           "// Copy this folder's .csv files into the database's import folder, then run:",
           "//   cypher-shell -u neo4j -p PASSWORD -f load.cypher",
           "// MERGE on ids: running it again updates the graph instead of duplicating it.", ""]
    out += [f"CREATE CONSTRAINT kg_{n.space.lower()}_id IF NOT EXISTS FOR (n:{n.space}) REQUIRE n.id IS UNIQUE;"
            for n in nodes]
    for node in nodes:
        id_field = _field(node.header()[0])
        for labels in sorted({labels for labels, _ in node.rows}):
            extra = [label for label in labels.split(LIST_SEPARATOR) if label != node.space]
            sets = [f"n:{label}" for label in extra] + _assignments("n", node.columns[1:])
            out += ["", f"LOAD CSV WITH HEADERS FROM 'file:///{node.file}' AS row",
                    f"WITH row WHERE row.`:LABEL` = {_quote(labels)}",
                    f"MERGE (n:{node.space} {{id: {id_field}}})",
                    "SET " + ",\n    ".join(sets) + ";"]
    for rel in relationships:
        start, end = _field(rel.header()[0]), _field(rel.header()[1])
        for kind in sorted({kind for _, _, kind, _ in rel.rows}):
            key = next((c for c in rel.columns if c.name == "id"), None)
            merge = f"[r:{kind} {{id: {_field(header(key))}}}]" if key else f"[r:{kind}]"
            sets = _assignments("r", [c for c in rel.columns if c is not key])
            out += ["", f"LOAD CSV WITH HEADERS FROM 'file:///{rel.file}' AS row",
                    f"WITH row WHERE row.`:TYPE` = {_quote(kind)}",
                    f"MATCH (a:{rel.start} {{id: {start}}}), (b:{rel.end} {{id: {end}}})",
                    f"MERGE (a)-{merge}->(b)" + (";" if not sets else ""),
                    *(["SET " + ",\n    ".join(sets) + ";"] if sets else [])]
    return "\n".join(out) + "\n"


def write_neo4j(graph: KnowledgeGraph, out_dir: str | Path) -> Path:
    """Write the Neo4j import files, ``import.sh`` and ``load.cypher`` into ``out_dir``, each atomically."""
    out = Path(out_dir)
    nodes, relationships = neo4j_files(graph)  # before writing: an unknown predicate fails first
    for table in (*nodes, *relationships):
        write_atomic(out / table.file, table.data())
    write_atomic(out / "import.sh", import_script(nodes, relationships).encode("utf-8"))
    write_atomic(out / "load.cypher", load_script(nodes, relationships).encode("utf-8"))
    return out
