"""Exporters: each reads a :class:`~kg.graph.KnowledgeGraph` and writes one format.

All files are written atomically, so a build killed half-way leaves the
previous outputs whole. :data:`EXPORT_FORMATS` is the registry of the
formats for other tools (Gephi, Cytoscape, Neo4j, spreadsheets) that
``kg build --format`` and :func:`write_outputs` know besides RDF; each has
its own function for Python users (``write_gexf(graph, "graph.gexf")``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.export.html import write_html
from kg.export.json import write_json
from kg.export.neo4j import write_neo4j
from kg.export.networks import write_gexf, write_graphml
from kg.export.rdf import write_rdf, write_rdf_formats
from kg.export.tables import write_tables
from kg.graph import KnowledgeGraph
from kg.memory import give_back_freed_memory
from kg.rdf import RDF_FORMATS

__all__ = ["EXPORT_FORMATS", "write_outputs", "write_html", "write_json", "write_rdf", "write_gexf",
           "write_graphml", "write_neo4j", "write_tables", "parse_formats"]

#: Output file name of each default export.
OUTPUT_FILES = {"ttl": "graph.ttl", "html": "graph.html", "json": "graph.json"}


@dataclass(frozen=True)
class ExportFormat:
    """A format for another tool: its ``--format`` name, what it writes, its writer."""

    name: str
    path: str  # file or folder name in the output folder
    opens_in: str
    write: Callable[..., Path]  # (graph, path, **options) -> path
    options: tuple[str, ...] = ()  # the keyword options the writer takes


#: Formats besides RDF, by ``--format`` name.
EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("gexf", "graph.gexf", "Gephi (GEXF 1.3)", write_gexf),
    ExportFormat("graphml", "graph.graphml", "Gephi, Cytoscape, yEd", write_graphml),
    ExportFormat("neo4j", "neo4j", "Neo4j: neo4j-admin import files and a LOAD CSV script", write_neo4j),
    ExportFormat("csv", "tables", "spreadsheets and pandas: entities, relations, evidence, mentions",
                 write_tables, options=("bom",)),
)}


def format_names() -> list[str]:
    """Every name ``--format`` accepts: the RDF serializations, then the other tools' formats."""
    return [*RDF_FORMATS, *EXPORT_FORMATS]


def parse_formats(text: str) -> list[str]:
    """``"ttl,gexf"`` → ``["ttl", "gexf"]``; an unknown name raises with the valid ones."""
    formats = list(dict.fromkeys(f.strip() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in format_names()]
    if unknown or not formats:
        raise KgError(f"unknown --format {','.join(unknown) or repr(text)}: "
                      f"choose from {', '.join(format_names())}")
    return formats


def write_export(graph: KnowledgeGraph, name: str, out_dir: str | Path, **options: object) -> Path:
    """Write one format of :data:`EXPORT_FORMATS` into ``out_dir``; options it does not take are ignored."""
    try:
        fmt = EXPORT_FORMATS[name]
    except KeyError:
        raise KgError(f"unknown export format {name!r}: choose from {', '.join(EXPORT_FORMATS)}") from None
    return fmt.write(graph, Path(out_dir) / fmt.path, **{k: v for k, v in options.items() if k in fmt.options})


def write_outputs(graph: KnowledgeGraph, out_dir: str | Path, *, formats: Iterable[str] = ("ttl",),
                  rdf_formats: Iterable[str] | None = None, csv_bom: bool = False) -> dict[str, Path]:
    """Write graph.html, graph.json and each of ``formats`` into ``out_dir``; return the paths.

    ``formats`` names RDF serializations (``ttl``, ``jsonld``, ``nt``, ``trig``:
    ``kg.rdf.RDF_FORMATS``) and other tools' formats (``gexf``,
    ``graphml``, ``neo4j``, ``csv``: :data:`EXPORT_FORMATS`); ``rdf_formats``
    is its older name. ``csv_bom`` starts the CSV tables with a byte order mark (Excel).
    """
    names = list(dict.fromkeys(formats if rdf_formats is None else rdf_formats))
    unknown = [n for n in names if n not in format_names()]
    if unknown:
        raise KgError(f"unknown format {', '.join(unknown)}: choose from {', '.join(format_names())}")
    out = Path(out_dir)
    paths = {kind: out / name for kind, name in OUTPUT_FILES.items()}
    if "ttl" not in names:
        del paths["ttl"]
    paths.update(write_rdf_formats(graph, out, [n for n in names if n in RDF_FORMATS]))
    give_back_freed_memory()  # each writer's scratch (a page or a serialization) is gone before the next
    write_html(graph, paths["html"])
    give_back_freed_memory()
    write_json(graph, paths["json"])
    give_back_freed_memory()
    for name in names:
        if name in EXPORT_FORMATS:
            paths[name] = write_export(graph, name, out, bom=csv_bom)
            give_back_freed_memory()
    return paths
