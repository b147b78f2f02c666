"""RDF files: the graph's RDF (:mod:`kg.rdf`) written atomically in each format asked for."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import KgError
from kg.files import write_atomic
from kg.graph import KnowledgeGraph
from kg.rdf import RDF_FORMATS, serialize


def write_rdf(graph: KnowledgeGraph, path: str | Path, *, fmt: str = "ttl") -> Path:
    """Serialize to ``path`` atomically (Turtle by default; see :data:`RDF_FORMATS`)."""
    fmt = {"turtle": "ttl", "json-ld": "jsonld"}.get(fmt, fmt)
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
