"""GEXF (Gephi) and GraphML (Gephi, Cytoscape, yEd): the graph for network analysis tools.

Both files are written by networkx from one flat graph (:func:`flat_graph`):
one node per entity, one directed edge per relation, every attribute a single
static value of one type (the columns of :mod:`kg.export.columns`). That is
what Gephi and Cytoscape read without complaint: nested values (an entity's
aliases, a relation's evidence) are joined into one string, and a list would
be taken by networkx's GEXF writer for a *dynamic* attribute.

- Nodes carry ``label`` (Gephi's node label; GraphML also gets ``name``,
  the column Cytoscape labels nodes with), ``type``, ``aliases``,
  ``mentions``, ``documents``, ``wikidata``, ``centrality``,
  ``weighted_degree``, ``community``.
- Edges carry ``label`` (the predicate, shown by Gephi), ``predicate``,
  ``category`` (``relation`` or ``cooccurrence``, so typed relations and
  co-occurrence can be told apart and filtered), ``modality``, ``weight``
  (evidence sentences: Gephi's edge weight), ``score``, ``rule``,
  ``position``, ``symmetric``, and the first evidence sentence with its document.
  Edge ids are ``subject|predicate|object``.

Every edge is directed, symmetric ones (met_with, cooccurs_with…) included,
flagged ``symmetric``: GEXF allows mixed graphs, but networkx (and so the
round-trip tests) refuses an undirected edge in a directed graph.

GEXF is written as version 1.3 (Gephi 0.9.3 and later, Gephi Lite), whose
edge ``kind`` (here the predicate) lets Gephi keep parallel edges of
different kinds (met_with and cooccurs_with between the same two
entities) instead of merging them. Two things networkx writes are changed: its 1.3 header names the XML Schema
instance namespace wrongly (``http://w3.org/…``, not ``http://www.w3.org/…``),
and its ``lastmodifieddate`` is today's date, which would make two builds of
the same corpus differ; the date is left out (it is optional).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import Element, tostring

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from kg.export.columns import (
    ENTITY_COLUMNS,
    RELATION_COLUMNS,
    Column,
    flat_value,
    relation_rows,
)
from kg.files import write_atomic
from kg.graph import KnowledgeGraph

T = TypeVar("T")

#: Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_VERSION = "1.3"


def xml_text(value: str) -> str:
    """``value`` with the characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)


def _attributes(columns: tuple[Column[T], ...], item: T) -> dict[str, object]:
    values = {c.name: flat_value(c, item) for c in columns if c.name not in ("id", "source", "target")}
    return {k: xml_text(v) if isinstance(v, str) else v for k, v in values.items()}


def flat_graph(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """The graph with flat, typed attributes only: what GEXF and GraphML files hold.

    Keys of the multigraph are the edge ids (``subject|predicate|object``).
    """
    flat = nx.MultiDiGraph()
    for entity in graph.entities:
        attrs = _attributes(ENTITY_COLUMNS, entity)
        flat.add_node(entity.id, **attrs)
    for row in relation_rows(graph):
        attrs = _attributes(RELATION_COLUMNS, row)
        flat.add_edge(row.relation.subject, row.relation.object, key=row.id,
                      label=attrs["predicate"], **attrs)
    return flat


class _Gexf13Writer(GEXFWriter):  # type: ignore[misc]
    """networkx's GEXF writer with the XML Schema instance namespace of its 1.3 header corrected."""

    def set_version(self, version: str) -> None:
        super().set_version(version)
        self.NS_XSI = _XSI


def gexf_bytes(graph: KnowledgeGraph) -> bytes:
    """The graph as a GEXF 1.3 document (UTF-8)."""
    flat = flat_graph(graph)
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key  # the edge id, instead of networkx's running number
    writer = _Gexf13Writer(version=GEXF_VERSION, encoding="utf-8", prettyprint=True)
    writer.add_graph(flat)
    _drop_edge_attribute(writer.xml, "networkx_key")
    predicates = {key: data["predicate"] for _, _, key, data in flat.edges(keys=True, data=True)}
    for edge in writer.xml.iter("edge"):  # GEXF 1.3's edge kind: Gephi keeps parallel edges of different kinds
        edge.set("kind", predicates[edge.get("id")])
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        _set_child(meta, "description", f"kg knowledge graph: {len(graph.entities)} entities, "
                                        f"{len(graph.relations)} relations, {len(graph.documents)} documents")
    return _xml_bytes(writer)


def _drop_edge_attribute(root: Element, title: str) -> None:
    """Remove an edge attribute and its values: networkx writes a multigraph's key as
    ``networkx_key``, which the edge id already says."""
    for attributes in root.iter("attributes"):
        for attribute in list(attributes):
            if attributes.get("class") == "edge" and attribute.get("title") == title:
                attributes.remove(attribute)
                for values in root.iter("attvalues"):
                    for value in [v for v in values if v.get("for") == attribute.get("id")]:
                        values.remove(value)


def _set_child(parent: Element, tag: str, text: str) -> None:
    child = parent.find(tag)
    if child is None:
        child = Element(tag)
        parent.append(child)
    child.text = text


def graphml_bytes(graph: KnowledgeGraph) -> bytes:
    """The graph as a GraphML document (UTF-8); nodes also get ``name`` (Cytoscape's label column)."""
    flat = flat_graph(graph)
    for _, data in flat.nodes(data=True):
        data["name"] = data["label"]
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(flat)
    _lowercase_booleans(writer.xml)
    return _xml_bytes(writer)


def _lowercase_booleans(root: Element) -> None:
    """``true``/``false``, as XML Schema's boolean is spelt: networkx writes Python's ``True``."""
    boolean_keys = {key.get("id") for key in root.iter("key") if key.get("attr.type") == "boolean"}
    for data in root.iter("data"):
        if data.get("key") in boolean_keys and data.text:
            data.text = data.text.lower()


def _xml_bytes(writer: GEXFWriter | GraphMLWriter) -> bytes:
    """The writer's document as UTF-8, Japanese as characters.

    networkx serializes to ASCII, so every kana and kanji would become a
    character reference (``&#12503;``): valid, but three times the size and
    unreadable to a person opening the file.
    """
    writer.indent(writer.xml)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + tostring(writer.xml, encoding="unicode").rstrip() + "\n").encode()


def write_gexf(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``graph.gexf`` for Gephi (File → Open) atomically."""
    write_atomic(Path(path), gexf_bytes(graph))
    return Path(path)


def write_graphml(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write ``graph.graphml`` for Gephi, Cytoscape or yEd atomically."""
    write_atomic(Path(path), graphml_bytes(graph))
    return Path(path)
