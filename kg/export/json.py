"""networkx node-link JSON: the graph as plain data for any other tool."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kg.cache import write_atomic
from kg.graph import KnowledgeGraph


def to_node_link(graph: KnowledgeGraph) -> dict[str, object]:
    """The node-link form of the graph, plus the documents it was built from."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    data["graph"] = {
        "documents": [{"id": d.id, "title": d.title, "urls": list(d.urls)} for d in graph.documents],
    }
    return data


def write_json(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write node-link JSON (UTF-8, stable key order) atomically."""
    text = json.dumps(to_node_link(graph), ensure_ascii=False, indent=1, sort_keys=True)
    write_atomic(Path(path), (text + "\n").encode("utf-8"))
    return Path(path)
