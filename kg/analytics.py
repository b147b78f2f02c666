"""Graph analytics computed at build time: centrality and communities of the entities.

Pure functions over entities and relations; the pipeline calls
:func:`with_analytics` once, so every export (JSON node attributes, RDF
``kg:degreeCentrality``, ``kg:weightedDegree``, ``kg:community``) and every
notebook reads the same figures instead of recomputing them.

All three are read on the *undirected* entity graph: two entities are linked
if any relation joins them, whatever its predicate or direction, and the link
weighs the number of evidence sentences of all those relations together.

- **degree centrality**: the share of the other entities an entity is linked
  to (networkx's ``degree_centrality``), 0 to 1;
- **weighted degree**: the evidence sentences of all its links;
- **community**: Louvain modularity communities (networkx), weighted by
  evidence, with a fixed seed and a sorted input graph so the same graph always
  gets the same communities. Communities are numbered 0, 1, 2… from the
  largest (ties: the one holding the smallest entity id first). An entity
  linked to nothing belongs to none: ``-1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import networkx as nx

from kg.model import Entity, Relation

#: Louvain's random seed: fixed, so communities are reproducible.
LOUVAIN_SEED = 42
#: Centrality is rounded to this many decimals, so exports are byte-stable.
DIGITS = 6


@dataclass(frozen=True)
class NodeFigures:
    """The analytics of one entity."""

    centrality: float
    weighted_degree: int
    community: int


def undirected_graph(entities: Sequence[Entity], relations: Sequence[Relation]) -> nx.Graph:
    """One node per entity, one edge per linked pair, weighted by their evidence sentences.

    Nodes and edges are added in sorted order: Louvain's result depends on
    the order it visits nodes, and this makes that order independent of how
    the relations were produced.
    """
    weights: dict[tuple[str, str], int] = {}
    for rel in relations:
        if rel.subject == rel.object:
            continue
        a, b = sorted((rel.subject, rel.object))
        weights[(a, b)] = weights.get((a, b), 0) + len(rel.evidence)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(e.id for e in entities))
    for (a, b), weight in sorted(weights.items()):
        graph.add_edge(a, b, weight=weight)
    return graph


def degree_centrality(graph: nx.Graph) -> dict[str, float]:
    """Share of the other entities each entity is linked to (0 to 1), rounded."""
    if graph.number_of_nodes() <= 1:
        return {node: 0.0 for node in graph}
    return {node: round(value, DIGITS) for node, value in nx.degree_centrality(graph).items()}


def weighted_degree(graph: nx.Graph) -> dict[str, int]:
    """The evidence sentences of all the links of each entity."""
    return {node: int(value) for node, value in graph.degree(weight="weight")}


def communities(graph: nx.Graph, *, seed: int = LOUVAIN_SEED) -> dict[str, int]:
    """Louvain community number of each entity; ``-1`` for an entity linked to nothing."""
    linked = graph.subgraph(sorted(n for n in graph if graph.degree(n) > 0))
    found = nx.community.louvain_communities(linked, weight="weight", seed=seed) if linked.number_of_edges() else []
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    number = {node: index for index, members in enumerate(ordered) for node in members}
    return {node: number.get(node, -1) for node in graph}


def node_figures(entities: Sequence[Entity], relations: Sequence[Relation]) -> dict[str, NodeFigures]:
    """Centrality, weighted degree and community of every entity."""
    graph = undirected_graph(entities, relations)
    central, weighted, community = degree_centrality(graph), weighted_degree(graph), communities(graph)
    return {node: NodeFigures(central[node], weighted[node], community[node]) for node in graph}


def with_analytics(entities: Sequence[Entity], relations: Sequence[Relation]) -> list[Entity]:
    """The entities, in the same order, with their analytics filled in."""
    figures = node_figures(entities, relations)
    return [replace(e, centrality=figures[e.id].centrality, weighted_degree=figures[e.id].weighted_degree,
                    community=figures[e.id].community) for e in entities]


def community_members(entities: Sequence[Entity]) -> dict[int, list[Entity]]:
    """Entities by community number (``-1`` left out), each list most central first."""
    groups: dict[int, list[Entity]] = {}
    for entity in entities:
        if entity.community >= 0:
            groups.setdefault(entity.community, []).append(entity)
    return {number: sorted(members, key=lambda e: (-e.centrality, -e.mentions, e.id))
            for number, members in sorted(groups.items())}


def most_central(entities: Sequence[Entity], n: int = 10) -> list[Entity]:
    """The ``n`` most central entities (ties: more evidence, then more mentions, then id)."""
    return sorted(entities, key=lambda e: (-e.centrality, -e.weighted_degree, -e.mentions, e.id))[:n]

