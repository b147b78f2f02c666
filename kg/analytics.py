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
- **community**: Leiden modularity communities (igraph), weighted by
  evidence, with a fixed seed and a sorted input graph so the same graph always
  gets the same communities. Communities are numbered 0, 1, 2… from the
  largest (ties: the one holding the smallest entity id first). An entity
  linked to nothing belongs to none: ``-1``.

Why igraph's Leiden and not networkx's Louvain: on the whole Wikinews graph
(12,870 entities, 37,516 links) networkx's pure-Python Louvain took 2.4 s of
every build, most of a rebuild after one added article; igraph's C Leiden
takes a tenth of that and finds a partition of higher modularity (0.558
against 0.550), whose communities are, unlike Louvain's, guaranteed to be
connected (Traag, van Eck & Waltman 2019). The figures are computed on plain
dicts; networkx stays the graph users get (:meth:`KnowledgeGraph.to_networkx`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import networkx as nx

from kg.model import Entity, Relation

#: Leiden's random seed: fixed, so communities are reproducible.
SEED = 42
#: Centrality is rounded to this many decimals, so exports are byte-stable.
DIGITS = 6


@dataclass(frozen=True)
class NodeFigures:
    """The analytics of one entity."""

    centrality: float
    weighted_degree: int
    community: int


def pair_weights(relations: Sequence[Relation]) -> dict[tuple[str, str], int]:
    """Each linked pair (ids sorted) with the evidence sentences of all the relations joining it."""
    weights: dict[tuple[str, str], int] = {}
    for rel in relations:
        if rel.subject == rel.object:
            continue
        pair = (rel.subject, rel.object) if rel.subject < rel.object else (rel.object, rel.subject)
        weights[pair] = weights.get(pair, 0) + len(rel.evidence)
    return weights


def undirected_graph(entities: Sequence[Entity], relations: Sequence[Relation]) -> nx.Graph:
    """One node per entity, one edge per linked pair, weighted by their evidence sentences (for users and tests)."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(e.id for e in entities))
    for (a, b), weight in sorted(pair_weights(relations).items()):
        graph.add_edge(a, b, weight=weight)
    return graph


def degree_centrality(graph: nx.Graph) -> dict[str, float]:
    """Share of the other entities each entity is linked to (0 to 1), rounded."""
    return _centrality(dict(graph.degree()))


def _centrality(degrees: Mapping[str, int]) -> dict[str, float]:
    if len(degrees) <= 1:
        return {node: 0.0 for node in degrees}
    scale = 1 / (len(degrees) - 1)
    return {node: round(degree * scale, DIGITS) for node, degree in degrees.items()}


def weighted_degree(graph: nx.Graph) -> dict[str, int]:
    """The evidence sentences of all the links of each entity."""
    return {node: int(value) for node, value in graph.degree(weight="weight")}


def communities(graph: nx.Graph, *, seed: int = SEED) -> dict[str, int]:
    """Leiden community number of each entity; ``-1`` for an entity linked to nothing."""
    weights = {(a, b) if a < b else (b, a): int(w) for a, b, w in graph.edges(data="weight", default=1)}
    return _communities(list(graph), weights, seed=seed)


def _communities(nodes: Sequence[str], weights: Mapping[tuple[str, str], int], *, seed: int = SEED) -> dict[str, int]:
    """Leiden on the linked nodes, visited in sorted order, with a seeded generator.

    igraph is imported here, by the builds that need it: where matplotlib is
    installed, importing igraph imports it too (half a second, 45 MB), which
    ``kg query`` and ``kg serve`` have no use for.
    """
    import igraph

    linked = sorted({node for pair in weights for node in pair})
    index = {node: n for n, node in enumerate(linked)}
    pairs = sorted(weights.items())
    graph = igraph.Graph(n=len(linked), edges=[(index[a], index[b]) for (a, b), _ in pairs])
    with _seeded(seed):
        membership = graph.community_leiden(objective_function="modularity", weights=[w for _, w in pairs],
                                            n_iterations=-1).membership if pairs else []
    found: dict[int, list[str]] = {}
    for node, community in zip(linked, membership):
        found.setdefault(community, []).append(node)
    ordered = sorted(found.values(), key=lambda members: (-len(members), members[0]))
    number = {node: n for n, members in enumerate(ordered) for node in members}
    return {node: number.get(node, -1) for node in nodes}


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph draws from a generator of our own while inside, and from its default one after."""
    import igraph

    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def node_figures(entities: Sequence[Entity], relations: Sequence[Relation]) -> dict[str, NodeFigures]:
    """Centrality, weighted degree and community of every entity."""
    nodes = [e.id for e in entities]
    weights = pair_weights(relations)
    degree = dict.fromkeys(nodes, 0)
    weighted = dict.fromkeys(nodes, 0)
    for (a, b), weight in weights.items():
        for node in (a, b):
            degree[node] += 1
            weighted[node] += weight
    central, community = _centrality(degree), _communities(nodes, weights)
    return {node: NodeFigures(central[node], weighted[node], community[node]) for node in nodes}


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

