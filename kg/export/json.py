"""networkx node-link JSON: the graph as plain data for any other tool."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.events import event_dict
from kg.files import atomic_writer
from kg.graph import KnowledgeGraph, edge_attributes, node_attributes
from kg.model import Document, Entity, Event, Evidence, Relation
from kg.timex import DocDate, document_date_fields


def to_node_link(graph: KnowledgeGraph) -> dict[str, object]:
    """The node-link form of the graph, plus the documents it was built from (with their dates) and its events."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    data["graph"] = {"documents": list(_document_rows(graph)), "events": [event_dict(e) for e in graph.events]}
    return data


def _document_rows(graph: KnowledgeGraph) -> Iterator[dict[str, object]]:
    """Each document's id, title, URLs and date, as graph.json lists them."""
    for d in graph.documents:
        yield {"id": d.id, "title": d.title, "urls": list(d.urls), **document_date_fields(graph.dates.get(d.id))}


def _event(data: dict[str, Any]) -> Event:
    return Event(id=str(data["id"]), kind=data["kind"], label=data["label"],
                 participants=tuple(data["participants"]), date=data.get("date", ""),
                 date_text=data.get("date_text", ""), place=data.get("place", ""),
                 modality=data.get("modality", "held"),
                 evidence=tuple(_evidence(e) for e in data.get("evidence", ())),
                 relations=tuple(tuple(r) for r in data.get("relations", ())),  # type: ignore[misc]
                 words=tuple(data.get("words", ())), ordinal=int(data.get("ordinal", 0)),
                 first_day=data.get("first_day") or "", last_day=data.get("last_day") or "")


def _evidence(e: dict[str, Any]) -> Evidence:
    return Evidence(doc=e["doc"], start=int(e["start"]), end=int(e["end"]), sentence=e["sentence"],
                    modality=e.get("modality", "asserted"), date=e.get("date", ""), date_text=e.get("date_text", ""))


def _document_date(d: dict[str, Any]) -> DocDate | None:
    if not d.get("date"):
        return None
    from datetime import date

    return DocDate(date.fromisoformat(d["date"]), "metadata" if d.get("date_rule") == "metadata" else "text",
                   d.get("date_rule", "metadata"), d.get("date_text", d["date"]), d.get("date_start"),
                   d.get("date_end"))


def write_json(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write node-link JSON (UTF-8, stable key order) atomically: the text of :func:`to_node_link`.

    Written node by node and edge by edge (:func:`node_link_pieces`), in runs
    of about a megabyte: neither the text of a large graph (40 MB for all of
    Wikinews) nor its node-link dicts are ever whole in memory.
    """
    with atomic_writer(Path(path)) as fh:
        run: list[str] = []
        size = 0
        for piece in node_link_pieces(graph):
            run.append(piece)
            size += len(piece)
            if size >= 1 << 20:
                fh.write("".join(run).encode("utf-8"))
                run, size = [], 0
        fh.write(("".join(run) + "\n").encode("utf-8"))
    return Path(path)


class _Rows:
    """A list written one element at a time (:func:`_pieces`), never held whole."""

    def __init__(self, rows: Iterable[object]) -> None:
        self.rows = rows


def node_link_pieces(graph: KnowledgeGraph) -> Iterator[str]:
    """The text of ``json.dumps(to_node_link(graph), ensure_ascii=False, indent=1, sort_keys=True)``, in pieces.

    Nodes and edges come in networkx's order (entities, then any endpoint
    that is none; each node's edges by first target, then key), each dict made
    and encoded alone: no networkx graph, whose cached views hold it in a
    reference cycle that outlives the write.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=True)
    nodes: dict[str, dict[str, object]] = {e.id: node_attributes(e) for e in graph.entities}
    edges: dict[str, dict[str, dict[str, Relation]]] = {}
    for rel in graph.relations:  # MultiDiGraph.add_edge: a new endpoint is a node without attributes
        nodes.setdefault(rel.subject, {})
        nodes.setdefault(rel.object, {})
        edges.setdefault(rel.subject, {}).setdefault(rel.object, {})[rel.predicate] = rel
    data = {
        "directed": True,
        "multigraph": True,
        "graph": {
            "documents": _Rows(_document_rows(graph)),
            "events": _Rows(event_dict(e) for e in graph.events),
        },
        "nodes": _Rows({**attrs, "id": node} for node, attrs in nodes.items()),
        "edges": _Rows({**edge_attributes(rel), "source": u, "target": v, "key": key}
                       for u in nodes for v, keyed in edges.get(u, {}).items() for key, rel in keyed.items()),
    }
    yield from _pieces(encoder, data, 0)


def _pieces(encoder: json.JSONEncoder, value: object, level: int) -> Iterator[str]:
    """``value`` encoded as it sits ``level`` deep in an ``indent=1`` document: dicts and :class:`_Rows` opened up."""
    inner = "\n" + " " * (level + 1)
    if isinstance(value, dict) and any(isinstance(v, (dict, _Rows)) for v in value.values()):
        yield "{"
        for n, key in enumerate(sorted(value)):
            yield f"{',' if n else ''}{inner}{encoder.encode(key)}: "
            yield from _pieces(encoder, value[key], level + 1)
        yield "\n" + " " * level + "}" if value else "}"
    elif isinstance(value, _Rows):
        empty = True
        for row in value.rows:
            yield ("[" if empty else ",") + inner
            yield from _pieces(encoder, row, level + 1)
            empty = False
        yield "[]" if empty else "\n" + " " * level + "]"
    else:  # strings hold no raw line break, so indenting after each one nests the value
        yield encoder.encode(value).replace("\n", "\n" + " " * level)


def from_node_link(data: object, *, source: str = "graph.json") -> KnowledgeGraph:
    """The inverse of :func:`to_node_link`, as far as node-link JSON goes.

    Entities (analytics included), relations with their evidence and the
    documents' ids, titles and URLs come back; document texts and mentions
    are not stored, so the documents have empty texts and the graph no mentions.
    """
    if not isinstance(data, dict):
        raise KgError(f"{source}: not a kg graph.json (node-link JSON written by kg)")
    try:
        entities = tuple(_entity(node) for node in data["nodes"])
        relations = tuple(_relation(edge) for edge in data["edges"])
        listed = data.get("graph", {}).get("documents", [])
        documents = tuple(Document(id=str(d["id"]), text="", title=str(d.get("title", "")),
                                   urls=tuple(d.get("urls", ())))
                          for d in listed)
        dates = {str(d["id"]): _document_date(d) for d in listed}
        events = tuple(_event(e) for e in data.get("graph", {}).get("events", []))
    except (KeyError, TypeError, ValueError) as err:
        raise KgError(f"{source}: not a kg graph.json (node-link JSON written by kg): "
                      f"{type(err).__name__} {err}") from None
    return KnowledgeGraph(documents=documents, entities=entities, relations=relations, events=events, dates=dates)


def _entity(node: dict[str, Any]) -> Entity:
    return Entity(id=str(node["id"]), label=node["label"], type=node["type"], aliases=tuple(node["aliases"]),
                  mentions=int(node["mentions"]), docs=tuple(node["docs"]), wikidata=node.get("wikidata"),
                  centrality=float(node.get("centrality", 0.0)), weighted_degree=int(node.get("weighted_degree", 0)),
                  community=int(node.get("community", -1)))


def _relation(edge: dict[str, Any]) -> Relation:
    return Relation(subject=str(edge["source"]), predicate=edge["predicate"], object=str(edge["target"]),
                    evidence=tuple(_evidence(e) for e in edge["evidence"]),
                    rule=edge["rule"], score=float(edge["score"]), position=edge.get("position", ""),
                    symmetric=bool(edge.get("symmetric", False)), modality=edge.get("modality", "asserted"),
                    events=tuple(edge.get("events", ())))
