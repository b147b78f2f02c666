"""GEXF and GraphML: read back with networkx, and the constraints of the published schemas.

No XSD is shipped in any package we can install, and Gephi and Cytoscape cannot run
here, so the schemas' key constraints are written out as tests (see docs/exports.md):
namespaces and version, declared attribute types, every value declared and parseable
as its type, unique ids, edges between existing nodes.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.etree import ElementTree

import networkx as nx
import pytest

import kg
from kg.export.columns import ENTITY_COLUMNS, RELATION_COLUMNS, relation_rows
from kg.export.networks import flat_graph, gexf_bytes, graphml_bytes, write_gexf, write_graphml
from kg.graph import KnowledgeGraph
from kg.model import Evidence, Relation

from .smallgraph import small_graph

GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"

#: GEXF 1.3 attribute types (the schema's attrtype-type) and how to parse each we use.
GEXF_TYPES = {"integer": int, "long": int, "double": float, "float": float, "boolean": None, "string": str}
#: GraphML attr.type values (graphml-attributes.xsd's key.type.type).
GRAPHML_TYPES = {"int": int, "long": int, "float": float, "double": float, "boolean": None, "string": str}
BOOLEANS = {"true", "false"}


def _node_attrs() -> set[str]:
    return {c.name for c in ENTITY_COLUMNS} - {"id"}


def _edge_attrs() -> set[str]:
    return {c.name for c in RELATION_COLUMNS} - {"id", "source", "target"}


# --- round trips ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_flat(seed_graph: KnowledgeGraph) -> nx.MultiDiGraph:
    return flat_graph(seed_graph)


def test_gexf_reads_back_with_the_same_nodes_edges_and_attributes(seed_graph: KnowledgeGraph,
                                                                  seed_flat: nx.MultiDiGraph) -> None:
    back = nx.read_gexf(io.BytesIO(gexf_bytes(seed_graph)))
    assert sorted(back.nodes) == sorted(e.id for e in seed_graph.entities)
    for node, data in seed_flat.nodes(data=True):
        assert back.nodes[node] == data, node  # label, type, aliases, mentions, centrality, community…
    edges = {data["id"]: (u, v, data) for u, v, data in back.edges(data=True)}
    assert sorted(edges) == sorted(r.id for r in relation_rows(seed_graph))
    for u, v, key, data in seed_flat.edges(keys=True, data=True):
        bu, bv, got = edges[key]
        assert (bu, bv) == (u, v)
        assert got == {**data, "id": key, "weight": float(data["weight"])}, key
    assert len(seed_graph.relations) > 500 and {d["category"] for *_, d in back.edges(data=True)} == {
        "relation", "cooccurrence"}


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(seed_graph: KnowledgeGraph,
                                                                     seed_flat: nx.MultiDiGraph) -> None:
    back = nx.read_graphml(io.BytesIO(graphml_bytes(seed_graph)), force_multigraph=True, edge_key_type=str)
    assert sorted(back.nodes) == sorted(e.id for e in seed_graph.entities)
    for node, data in seed_flat.nodes(data=True):
        assert back.nodes[node] == {**data, "name": data["label"]}, node
    assert sorted(k for *_, k in back.edges(keys=True)) == sorted(r.id for r in relation_rows(seed_graph))
    for u, v, key, data in seed_flat.edges(keys=True, data=True):
        assert back.edges[u, v, key] == data, key


def test_flat_attributes_are_the_declared_columns_with_exact_values() -> None:
    graph = small_graph()
    flat = flat_graph(graph)
    assert set(flat.nodes["putin"]) == _node_attrs()
    assert flat.nodes["putin"] == {
        "label": "プーチン", "type": "Person", "aliases": "プーチン;ウラジーミル・プーチン", "mentions": 2,
        "documents": 2, "wikidata": "Q7747", "centrality": 0.0, "weighted_degree": 0, "community": -1}
    assert flat.nodes["russia"]["wikidata"] == ""  # None is no GEXF or GraphML value
    met = flat.edges["trump", "putin", "trump|met_with|putin"]
    assert met == {"label": "met_with", "predicate": "met_with", "category": "relation", "modality": "asserted",
                   "weight": 2, "documents": 2, "score": 0.0, "rule": "meeting_verb", "position": "",
                   "symmetric": True, "evidence": "ロシアのプーチン大統領は16日、トランプ米大統領と電話で会談した。",
                   "evidence_document": "a.txt"}
    assert flat.edges["putin", "trump", "putin|cooccurs_with|trump"]["category"] == "cooccurrence"


def test_modality_and_a_relation_of_a_new_predicate_reach_the_files() -> None:
    base = small_graph()
    ev = base.relations[0].evidence
    graph = KnowledgeGraph(documents=base.documents, entities=base.entities, relations=(
        *base.relations, Relation("usa", "sanctions", "russia", ev, rule="sanction", modality="planned")))
    back = nx.read_gexf(io.BytesIO(gexf_bytes(graph)))
    assert back.edges["usa", "russia"]["modality"] == "planned"
    back = nx.read_graphml(io.BytesIO(graphml_bytes(graph)))
    assert back.edges["usa", "russia"]["modality"] == "planned"


def test_japanese_is_written_as_characters_not_references(seed_graph: KnowledgeGraph) -> None:
    putin = seed_graph.find("プーチン")
    assert putin is not None and putin.label == "ウラジーミル・プーチン"
    gexf, graphml = gexf_bytes(seed_graph).decode("utf-8"), graphml_bytes(seed_graph).decode("utf-8")
    assert f'<node id="{putin.id}" label="ウラジーミル・プーチン">' in gexf
    assert f'<node id="{putin.id}">\n      <data key="d0">ウラジーミル・プーチン</data>' in graphml
    assert "&#" not in gexf and "&#" not in graphml


def test_characters_xml_cannot_hold_are_replaced_and_the_files_still_parse() -> None:
    base = small_graph()
    bad = Evidence(doc="a.txt", start=0, end=5, sentence="制御\x0b文字\x00")
    graph = KnowledgeGraph(documents=base.documents, entities=base.entities,
                           relations=(Relation("usa", "supports", "nato", (bad,), rule="support"),))
    assert nx.read_gexf(io.BytesIO(gexf_bytes(graph))).edges["usa", "nato"]["evidence"] == "制御\ufffd文字\ufffd"
    assert nx.read_graphml(io.BytesIO(graphml_bytes(graph))).edges["usa", "nato"]["evidence"] == "制御\ufffd文字\ufffd"


def test_two_writes_are_byte_identical_and_carry_no_date(tmp_path: Path) -> None:
    graph = small_graph()
    assert gexf_bytes(graph) == gexf_bytes(graph) and graphml_bytes(graph) == graphml_bytes(graph)
    assert b"lastmodifieddate" not in gexf_bytes(graph)
    assert write_gexf(graph, tmp_path / "g.gexf").read_bytes() == gexf_bytes(graph)
    assert write_graphml(graph, tmp_path / "g.graphml").read_bytes() == graphml_bytes(graph)


def test_a_loaded_graph_json_exports_the_same_graph(tmp_path: Path, seed_graph: KnowledgeGraph) -> None:
    kg.write_outputs(seed_graph, tmp_path, formats=["gexf"])
    loaded = kg.load(tmp_path)
    assert gexf_bytes(loaded) == (tmp_path / "graph.gexf").read_bytes()


# --- the schemas' constraints ---------------------------------------------------------------------

def _parse(value: str, kind: str, types: dict[str, type | None]) -> object:
    parse = types[kind]
    if parse is None:
        assert value in BOOLEANS, value
        return value == "true"
    result = parse(value)
    assert not (isinstance(result, float) and math.isnan(result)), value
    return result


def test_gexf_follows_the_gexf_1_3_schema(seed_graph: KnowledgeGraph) -> None:
    root = ElementTree.fromstring(gexf_bytes(seed_graph))
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    assert root.get(f"{XSI}schemaLocation") == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"
    meta, graph = list(root)
    assert meta.tag == f"{GEXF}meta" and set(meta.attrib) == set()  # lastmodifieddate is optional: left out
    assert graph.tag == f"{GEXF}graph" and graph.get("defaultedgetype") == "directed" and graph.get("mode") == "static"
    declared: dict[str, dict[str, tuple[str, str]]] = {}
    for attributes in graph.findall(f"{GEXF}attributes"):
        assert attributes.get("mode") == "static"
        cls = declared.setdefault(attributes.get("class", ""), {})
        for attribute in attributes:
            assert attribute.get("type") in GEXF_TYPES, attribute.attrib
            cls[attribute.get("id", "")] = (attribute.get("title", ""), attribute.get("type", ""))
    assert sorted(declared) == ["edge", "node"]
    assert {t for t, _ in declared["node"].values()} == _node_attrs() - {"label"}  # label: the node's own
    assert {t for t, _ in declared["edge"].values()} == _edge_attrs() - {"weight"}  # weight: the edge's own
    # the element order the schema's sequence asks for: attributes, then nodes, then edges
    assert [c.tag for c in graph] == [f"{GEXF}attributes"] * 2 + [f"{GEXF}nodes", f"{GEXF}edges"]
    node_ids = set()
    for node in graph.iter(f"{GEXF}node"):
        assert node.get("id") not in node_ids and node.get("label")
        node_ids.add(node.get("id"))
        _check_gexf_values(node, declared["node"])
    edge_ids = set()
    for edge in graph.iter(f"{GEXF}edge"):
        assert edge.get("id") not in edge_ids
        edge_ids.add(edge.get("id"))
        assert edge.get("source") in node_ids and edge.get("target") in node_ids
        assert float(edge.get("weight", "")) >= 1 and edge.get("label")
        assert edge.get("kind") == edge.get("label")  # the predicate: Gephi keeps parallel edges of other kinds
        assert edge.get("type") in (None, "directed")
        _check_gexf_values(edge, declared["edge"])
    assert len(node_ids) == len(seed_graph.entities) and len(edge_ids) == len(seed_graph.relations)


def _check_gexf_values(element: ElementTree.Element, declared: dict[str, tuple[str, str]]) -> None:
    values = element.findall(f"{GEXF}attvalues/{GEXF}attvalue")
    fors = [v.get("for", "") for v in values]
    assert sorted(fors) == sorted(declared), element.attrib  # every declared attribute, once
    for value in values:
        _parse(value.get("value", ""), declared[value.get("for", "")][1], GEXF_TYPES)


def test_graphml_follows_the_graphml_schema(seed_graph: KnowledgeGraph) -> None:
    root = ElementTree.fromstring(graphml_bytes(seed_graph))
    assert root.tag == f"{GRAPHML}graphml"
    assert root.get(f"{XSI}schemaLocation") == ("http://graphml.graphdrawing.org/xmlns "
                                                "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")
    children = list(root)
    keys, graphs = children[:-1], children[-1:]
    assert all(k.tag == f"{GRAPHML}key" for k in keys) and graphs[0].tag == f"{GRAPHML}graph"  # keys first
    declared = {}
    for key in keys:
        assert key.get("id") not in declared  # the schema's key uniqueness constraint
        assert key.get("for") in ("node", "edge") and key.get("attr.type") in GRAPHML_TYPES, key.attrib
        declared[key.get("id")] = (key.get("for"), key.get("attr.name"), key.get("attr.type"))
    assert {n for f, n, _ in declared.values() if f == "node"} == _node_attrs() | {"name"}
    assert {n for f, n, _ in declared.values() if f == "edge"} == _edge_attrs() | {"label"}
    graph = graphs[0]
    assert graph.get("edgedefault") == "directed"
    node_ids, edge_ids = set(), set()
    for element in graph:
        kind = element.tag.removeprefix(GRAPHML)
        assert kind in ("node", "edge")
        ids = node_ids if kind == "node" else edge_ids
        assert element.get("id") not in ids
        ids.add(element.get("id"))
        if kind == "edge":
            assert element.get("source") in node_ids and element.get("target") in node_ids  # nodes come first
        for data in element.findall(f"{GRAPHML}data"):
            domain, _, attr_type = declared[data.get("key")]
            assert domain == kind
            _parse(data.text or "", attr_type, GRAPHML_TYPES)
    assert len(node_ids) == len(seed_graph.entities) and len(edge_ids) == len(seed_graph.relations)
