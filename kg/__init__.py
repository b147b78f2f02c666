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

from kg.corpus import read_corpus
from kg.errors import ConfigError, CorpusError, KgError, ModelError
from kg.export import write_html, write_json, write_outputs, write_rdf
from kg.export.html import graph_view
from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Evidence, Mention, Relation
from kg.pipeline import BuildReport, build, graph_from_parses
from kg.project import Project, load

__version__ = "0.1.0"

__all__ = [
    "BuildReport", "ConfigError", "CorpusError", "Document", "Entity", "Evidence", "KgError",
    "KnowledgeGraph", "Mention", "ModelError", "Project", "Relation", "build", "graph_from_parses", "graph_view",
    "load",
    "read_corpus", "write_html", "write_json", "write_outputs", "write_rdf",
]
