"""Analytics at build time: centrality, weighted degree and communities, on the nodes and in every export."""

from __future__ import annotations

import json
from dataclasses import replace

import networkx as nx
import pytest
from rdflib import Literal, XSD

import kg
from kg.analytics import communities, community_members, most_central, node_figures, undirected_graph, with_analytics
from kg.export.json import to_node_link
from kg.rdf import entity_iri, to_rdf
from kg.model import Entity, Evidence, Relation
from kg.validate import validate
from kg.vocab import KG
from tests.smallgraph import small_graph


def _entity(name: str) -> Entity:
    return Entity(id=name, label=name, type="Person", aliases=(name,), mentions=1, docs=("a.txt",))


def _link(a: str, b: str, sentences: int = 1, predicate: str = "cooccurs_with") -> Relation:
    evidence = tuple(Evidence(doc="a.txt", start=i, end=i + 1, sentence="x") for i in range(sentences))
    return Relation(a, predicate, b, evidence, rule="test")


def test_links_are_undirected_and_weigh_the_evidence_of_every_predicate() -> None:
    g = small_graph()
    undirected = undirected_graph(g.entities, g.relations)
    # trump–putin: met_with (2 sentences) + cooccurs_with (2 sentences), in either direction
    assert undirected["putin"]["trump"]["weight"] == 4
    assert undirected.number_of_edges() == 5
    figures = node_figures(g.entities, g.relations)
    assert {e: f.centrality for e, f in figures.items()} == {e.id: 0.5 for e in g.entities}  # 2 of 4 others
    assert figures["putin"].weighted_degree == 4 + 1  # with trump, and holds_position_in russia
    assert figures["nato"].weighted_degree == 2


def test_two_cliques_make_two_communities_numbered_by_size_and_a_loner_has_none() -> None:
    names = ["a", "b", "c", "d", "x", "y", "z", "lone"]
    entities = [_entity(n) for n in names]
    relations = [_link(p, q, 5) for group in (["a", "b", "c", "d"], ["x", "y", "z"])
                 for i, p in enumerate(group) for q in group[i + 1:]]
    relations.append(_link("d", "x", 1))  # a weak bridge
    result = {e.id: e.community for e in with_analytics(entities, relations)}
    assert result == {"a": 0, "b": 0, "c": 0, "d": 0, "x": 1, "y": 1, "z": 1, "lone": -1}
    assert communities(undirected_graph(entities, relations)) == result  # the same every time
    assert [e.id for e in community_members(with_analytics(entities, relations))[0]][:1] == ["d"]  # the bridge


def test_a_graph_without_edges_has_no_communities_and_zero_centrality() -> None:
    entities = with_analytics([_entity("a")], [])
    assert (entities[0].centrality, entities[0].weighted_degree, entities[0].community) == (0.0, 0, -1)


def test_seed_build_stores_networkx_figures_on_every_entity(seed_graph: kg.KnowledgeGraph) -> None:
    undirected = undirected_graph(seed_graph.entities, seed_graph.relations)
    expected = nx.degree_centrality(undirected)
    for entity in seed_graph.entities:
        assert abs(entity.centrality - expected[entity.id]) < 1e-6
        assert entity.weighted_degree == undirected.degree(entity.id, weight="weight")
    top = most_central(seed_graph.entities, 3)
    assert {e.label for e in top} <= {"ロシア", "ウクライナ", "アメリカ合衆国", "ドナルド・トランプ"}
    linked = {n for n in undirected if undirected.degree(n) > 0}
    assert {e.id for e in seed_graph.entities if e.community >= 0} == linked
    # Leiden groups the war's main actors: Russia and Ukraine share a community.
    assert seed_graph.find("ロシア").community == seed_graph.find("ウクライナ").community
    # A modularity partition: Leiden's communities are denser inside than a random split would be.
    parts = list(community_members(seed_graph.entities).values())
    assert nx.community.modularity(undirected.subgraph(linked), [{e.id for e in p} for p in parts]) > 0.1


def test_analytics_are_in_the_json_and_the_rdf(seed_graph: kg.KnowledgeGraph) -> None:
    russia = seed_graph.find("ロシア")
    nodes = {n["id"]: n for n in to_node_link(seed_graph)["nodes"]}
    assert (nodes[russia.id]["centrality"], nodes[russia.id]["weighted_degree"], nodes[russia.id]["community"]) \
        == (russia.centrality, russia.weighted_degree, russia.community)
    json.dumps(nodes[russia.id])  # plain JSON values
    g = to_rdf(seed_graph)
    node = entity_iri(russia.id)
    assert g.value(node, KG.degreeCentrality) == Literal(russia.centrality, datatype=XSD.double)
    assert g.value(node, KG.weightedDegree) == Literal(russia.weighted_degree)
    assert g.value(node, KG.community) == Literal(russia.community)


def test_an_entity_linked_to_nothing_has_no_community_in_the_rdf() -> None:
    g = small_graph()
    loner = Entity(id="loner", label="孤立", type="Organization", aliases=("孤立",), mentions=1,
                   docs=(g.documents[0].id,))
    entities = tuple(with_analytics((*g.entities, loner), g.relations))
    assert [e.community for e in entities if e.id == "loner"] == [-1]
    rdf = to_rdf(kg.KnowledgeGraph(documents=g.documents, entities=entities, relations=g.relations))
    assert rdf.value(entity_iri("loner"), KG.community) is None
    assert rdf.value(entity_iri(g.entities[0].id), KG.community) is not None


def test_export_with_analytics_conforms_to_the_shapes() -> None:
    g = small_graph()
    graph = kg.KnowledgeGraph(documents=g.documents, entities=tuple(with_analytics(g.entities, g.relations)),
                              relations=g.relations)
    assert validate(to_rdf(graph)).conforms
    bad = kg.KnowledgeGraph(documents=g.documents, relations=g.relations,
                            entities=tuple(replace(e, centrality=1.5) for e in graph.entities))
    assert not validate(to_rdf(bad)).conforms


@pytest.mark.slow
def test_sparql_reads_the_stored_centrality(seed_graph: kg.KnowledgeGraph) -> None:
    rows = seed_graph.sparql("""
        SELECT ?name ?c WHERE { ?e rdfs:label ?name ; kg:degreeCentrality ?c } ORDER BY DESC(?c) ?e LIMIT 1""")
    top = most_central(seed_graph.entities, 1)[0]
    assert rows[0]["c"] == top.centrality
