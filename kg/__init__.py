"""kg: Japanese news articles in, a knowledge graph of people, states and organizations out.

The notebook API::

    import kg
    graph, report = kg.build(["corpus/"])
    graph.find("プーチン")
    kg.write_outputs(graph, "output/")
    kg.graph_view(graph)          # the interactive view, inline in Jupyter

    project = kg.Project("corpus")          # a corpus you extend step by step
    project.add_document("extra.txt", "…")
    graph = project.build()                 # parses only the new article
    graph = kg.load("output/graph.json")    # a saved graph back
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError, CorpusError, KgError, ModelError
from kg.model import Document, Entity, Evidence, Mention, Relation
from kg.version import __version__

# The rest of the API is imported on first use (PEP 562), so `import kg` stays
# light: the CLI's "nothing changed" path never loads rdflib, pyvis or networkx.
_LAZY = {
    "read_corpus": "kg.corpus", "write_html": "kg.export", "write_json": "kg.export",
    "write_outputs": "kg.export", "write_rdf": "kg.export", "graph_view": "kg.export.html",
    "KnowledgeGraph": "kg.graph", "BuildReport": "kg.pipeline", "build": "kg.pipeline",
    "graph_from_parses": "kg.pipeline", "Project": "kg.project", "load": "kg.project",
}

if TYPE_CHECKING:
    from kg.corpus import read_corpus
    from kg.export import write_html, write_json, write_outputs, write_rdf
    from kg.export.html import graph_view
    from kg.graph import KnowledgeGraph
    from kg.pipeline import BuildReport, build, graph_from_parses
    from kg.project import Project, load


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "__version__",
    "BuildReport", "ConfigError", "CorpusError", "Document", "Entity", "Evidence", "KgError",
    "KnowledgeGraph", "Mention", "ModelError", "Project", "Relation", "build", "graph_from_parses", "graph_view",
    "load", "read_corpus", "write_html", "write_json", "write_outputs", "write_rdf",
]
