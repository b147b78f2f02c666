"""CSV tables for spreadsheets and pandas: entities, relations, evidence, mentions, documents.

One folder (``output/tables/``), one file per kind of row, the columns of
:mod:`kg.export.columns`:

- ``entities.csv``: one row per entity (the graph's nodes);
- ``relations.csv``: one row per relation (the graph's edges), with its
  evidence count (``weight``) and first evidence sentence;
- ``evidence.csv``: one row per evidence sentence of each relation: its
  relation's id, document and character offsets into the document text;
- ``mentions.csv``: one row per mention, with the entity it was resolved to
  (empty for a graph loaded from graph.json, which keeps no mentions);
- ``documents.csv``: the documents' ids, titles and URLs.

UTF-8, comma-separated, a header row, RFC 4180 quoting. Lists (aliases,
URLs) are joined with ``;``; booleans are ``true``/``false``. ``bom=True``
starts each file with a byte order mark: Excel then opens Japanese text
correctly on a double-click (without it, Excel on Japanese Windows reads the
file as Shift_JIS); pandas reads both (``encoding="utf-8-sig"`` drops the mark).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from kg.export.columns import (
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    EVIDENCE_COLUMNS,
    MENTION_COLUMNS,
    RELATION_COLUMNS,
    Column,
    evidence_rows,
    flat_value,
    mention_rows,
    relation_rows,
)
from kg.files import write_atomic
from kg.graph import KnowledgeGraph

T = TypeVar("T")

#: The files :func:`write_tables` writes, in order.
TABLE_FILES = ("entities.csv", "relations.csv", "evidence.csv", "mentions.csv", "documents.csv")


def csv_cell(value: object) -> str:
    """A value as CSV text: ``true``/``false`` for booleans, ``str`` otherwise."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]], *, bom: bool = False) -> bytes:
    """A CSV file: header, rows, ``\\n`` line ends, UTF-8 (with a byte order mark if ``bom``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def table_bytes(columns: tuple[Column[T], ...], items: Iterable[T], *, bom: bool = False) -> bytes:
    """One table: a column per :class:`Column`, a row per item."""
    return csv_bytes([c.name for c in columns], ([flat_value(c, item) for c in columns] for item in items),
                     bom=bom)


def tables(graph: KnowledgeGraph, *, bom: bool = False) -> dict[str, bytes]:
    """Every table of the graph: file name → content."""
    rows = relation_rows(graph)
    return {
        "entities.csv": table_bytes(ENTITY_COLUMNS, graph.entities, bom=bom),
        "relations.csv": table_bytes(RELATION_COLUMNS, rows, bom=bom),
        "evidence.csv": table_bytes(EVIDENCE_COLUMNS, evidence_rows(rows), bom=bom),
        "mentions.csv": table_bytes(MENTION_COLUMNS, mention_rows(graph), bom=bom),
        "documents.csv": table_bytes(DOCUMENT_COLUMNS, graph.documents, bom=bom),
    }


def write_tables(graph: KnowledgeGraph, out_dir: str | Path, *, bom: bool = False) -> Path:
    """Write the CSV tables into ``out_dir`` (created if needed), each file atomically; return the folder."""
    out = Path(out_dir)
    for name, data in tables(graph, bom=bom).items():
        write_atomic(out / name, data)
    return out
