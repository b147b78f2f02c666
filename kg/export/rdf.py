"""RDF files: the graph's RDF (:mod:`kg.rdf`) written atomically in each format asked for.

Turtle and N-Triples stream out block by block (:mod:`kg.export.turtle`), so a
large graph is never held twice; TriG and JSON-LD go through rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import KgError
from kg.export.turtle import STREAMED
from kg.files import atomic_writer, write_atomic
from kg.graph import KnowledgeGraph
from kg.rdf import RDF_FORMATS, serialize


def write_rdf(graph: KnowledgeGraph, path: str | Path, *, fmt: str = "ttl") -> Path:
    """Serialize to ``path`` atomically (Turtle by default; see :data:`RDF_FORMATS`)."""
    fmt = {"turtle": "ttl", "json-ld": "jsonld"}.get(fmt, fmt)
    if fmt in STREAMED:
        with atomic_writer(Path(path)) as fh:
            for chunk in STREAMED[fmt](graph):
                fh.write(chunk)
    else:
        write_atomic(Path(path), serialize(graph, fmt))
    return Path(path)


def write_rdf_formats(graph: KnowledgeGraph, out_dir: str | Path,
                      formats: Iterable[str] = ("ttl",)) -> dict[str, Path]:
    """Write ``graph.<ext>`` for each format into ``out_dir``; return the paths by format."""
    formats = list(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in RDF_FORMATS:
            raise KgError(f"unknown RDF format {fmt!r}: choose from {', '.join(RDF_FORMATS)}")
    return {fmt: write_rdf(graph, Path(out_dir) / RDF_FORMATS[fmt][1], fmt=fmt) for fmt in formats}
