"""networkx node-link JSON: the graph as plain data for any other tool."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.events import event_dict
from kg.files import atomic_writer
from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Event, Evidence, Relation
from kg.timex import DocDate, document_date_fields


def to_node_link(graph: KnowledgeGraph) -> dict[str, object]:
    """The node-link form of the graph, plus the documents it was built from (with their dates) and its events."""
    data = nx.node_link_data(graph.to_networkx(), edges="edges")
    data["graph"] = {
        "documents": [{"id": d.id, "title": d.title, "urls": list(d.urls), **document_date_fields(graph.dates.get(d.id))}
                      for d in graph.documents],
        "events": [event_dict(e) for e in graph.events],
    }
    return data


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
    """Write node-link JSON (UTF-8, stable key order) atomically.

    The encoder's pieces go to the file as they come, in runs of about a
    megabyte: the text of a large graph (40 MB for all of Wikinews) is never
    one string in memory.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=True)
    with atomic_writer(Path(path)) as fh:
        run: list[str] = []
        size = 0
        for piece in encoder.iterencode(to_node_link(graph)):
            run.append(piece)
            size += len(piece)
            if size >= 1 << 20:
                fh.write("".join(run).encode("utf-8"))
                run, size = [], 0
        fh.write(("".join(run) + "\n").encode("utf-8"))
    return Path(path)


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
