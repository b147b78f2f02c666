"""Exporters: each reads a :class:`~kg.graph.KnowledgeGraph` and writes one format.

All files are written atomically, so a build killed half-way leaves the
previous outputs whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.export.html import write_html
from kg.export.json import write_json
from kg.export.rdf import write_rdf, write_rdf_formats
from kg.graph import KnowledgeGraph

__all__ = ["write_outputs", "write_html", "write_json", "write_rdf"]

#: Output file name of each default export.
OUTPUT_FILES = {"ttl": "graph.ttl", "html": "graph.html", "json": "graph.json"}


def write_outputs(graph: KnowledgeGraph, out_dir: str | Path, *,
                  rdf_formats: Iterable[str] = ("ttl",)) -> dict[str, Path]:
    """Write graph.ttl, graph.html and graph.json into ``out_dir``; return their paths.

    ``rdf_formats`` adds graph.jsonld, graph.nt or graph.trig (see ``kg.export.rdf.RDF_FORMATS``).
    """
    out = Path(out_dir)
    paths = {kind: out / name for kind, name in OUTPUT_FILES.items()}
    rdf_formats = list(rdf_formats)
    if "ttl" not in rdf_formats:
        del paths["ttl"]
    paths.update(write_rdf_formats(graph, out, rdf_formats))
    write_html(graph, paths["html"])
    write_json(graph, paths["json"])
    return paths
