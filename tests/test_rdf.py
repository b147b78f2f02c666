"""The RDF export as a public interface: vocabulary, ontology, shapes, formats, stable IRIs, provenance."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pyoxigraph as ox
import pytest
from rdflib import OWL, PROV, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SDO

import kg
from kg.errors import KgError
from kg.export.rdf import write_rdf_formats
from kg.namespaces import PREFIXES
from kg.rdf import (
    RDF_FORMATS,
    article_iri,
    entity_iri,
    predicate_term,
    serialize,
    statement_iri,
    to_dataset,
    to_rdf,
)
from kg.validate import ontology, validate
from kg.vocab import ID, KG, RELATION_PROPERTIES, SYMMETRIC_PROPERTIES

from .smallgraph import small_graph, small_graph_with_events


def written(graph: kg.KnowledgeGraph, fmt: str) -> bytes:
    """What ``kg build`` writes: Turtle and N-Triples by kg's own streaming writers, the rest by rdflib."""
    from kg.export.turtle import STREAMED

    return b"".join(STREAMED[fmt](graph)) if fmt in STREAMED else serialize(graph, fmt)

OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
              "trig": ox.RdfFormat.TRIG}
RDFLIB_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "trig": "trig"}


# ---------------------------------------------------------------- vocabulary and ontology

def test_vocabulary_is_closed() -> None:
    with pytest.raises(AttributeError):
        KG.metwith  # noqa: B018 - a typo must raise, not mint an IRI
    assert predicate_term("met_with") == KG.metWith
    with pytest.raises(KgError, match="unknown relation predicate 'meets'.*met_with"):
        predicate_term("meets")


def test_the_plain_prefix_table_names_the_namespaces_rdflib_and_the_vocabulary_use() -> None:
    """kg.namespaces spells the IRIs out, so a query never imports rdflib: they must be rdflib's own."""
    assert PREFIXES == {"kg": str(KG._NS), "kgid": str(ID), "schema": str(SDO), "skos": str(SKOS),
                        "prov": str(PROV), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL)}


def test_every_predicate_name_maps_to_its_camel_case_term() -> None:
    for name, term in RELATION_PROPERTIES.items():
        head, *rest = name.split("_")
        assert term == KG[head + "".join(p.capitalize() for p in rest)]


def test_ontology_documents_every_term_in_japanese_and_english() -> None:
    onto = ontology()
    ns = str(KG._NS)
    declared = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(ns)}
    vocab_terms = {KG[name] for name in (*KG.__annotations__, *KG._extras)}
    assert declared == vocab_terms
    for term in vocab_terms:
        langs = {label.language for label in onto.objects(term, RDFS.label)}
        assert langs == {"ja", "en"}, term
    for term in RELATION_PROPERTIES.values():
        assert (term, RDF.type, KG.RelationProperty) in onto
        assert onto.value(term, RDFS.domain) is not None and onto.value(term, RDFS.range) is not None
    symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == set(SYMMETRIC_PROPERTIES) == {
        KG.metWith, KG.negotiatesWith, KG.alliedWith, KG.fights, KG.mergesWith, KG.partnersWith, KG.cooccursWith}


# ---------------------------------------------------------------- content

def test_entities_articles_and_statements_use_the_public_vocabularies() -> None:
    g = to_rdf(small_graph())
    putin, russia, nato = entity_iri("putin"), entity_iri("russia"), entity_iri("nato")
    assert (putin, RDF.type, SDO.Person) in g
    assert (russia, RDF.type, SDO.Country) in g
    assert (nato, RDF.type, SDO.Organization) in g
    assert set(g.objects(putin, RDFS.label)) == {Literal("プーチン", lang="ja")}
    assert set(g.objects(putin, SKOS.altLabel)) == {Literal("ウラジーミル・プーチン", lang="ja")}
    assert (putin, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/Q7747")) in g
    art = article_iri("a.txt")
    assert (art, RDF.type, SDO.NewsArticle) in g and (art, SDO.mentions, putin) in g
    assert (article_iri("b.txt"), SDO.datePublished, Literal("2025-10-17")) in g

    rel = next(r for r in small_graph().relations if r.predicate == "holds_position_in")
    stmt = statement_iri(rel)
    assert (putin, KG.holdsPositionIn, russia) in g
    assert (russia, KG.holdsPositionIn, putin) not in g  # not symmetric
    assert (stmt, RDF.type, KG.Statement) in g
    assert [g.value(stmt, p) for p in (RDF.subject, RDF.predicate, RDF.object)] == [putin, KG.holdsPositionIn, russia]
    assert g.value(stmt, KG.position) == Literal("大統領", lang="ja")
    assert g.value(stmt, KG.count).toPython() == 1 and g.value(stmt, KG.rule).toPython() == "title_of_state"
    assert g.value(stmt, KG.modality).toPython() == "asserted"
    (evidence,) = g.objects(stmt, KG.evidence)
    assert g.value(evidence, PROV.wasDerivedFrom) == art
    sentence = "ロシアのプーチン大統領は16日、トランプ米大統領と電話で会談した。"
    assert g.value(evidence, KG.sentence) == Literal(sentence, lang="ja")
    assert (g.value(evidence, KG.start).toPython(), g.value(evidence, KG.end).toPython()) == (0, 33)
    assert (stmt, PROV.wasDerivedFrom, art) in g


def test_symmetric_relations_are_written_both_ways_and_stated_once() -> None:
    g = to_rdf(small_graph())
    trump, putin = entity_iri("trump"), entity_iri("putin")
    assert (trump, KG.metWith, putin) in g and (putin, KG.metWith, trump) in g
    assert len(list(g.subjects(RDF.predicate, KG.metWith))) == 1


def test_the_build_is_a_prov_activity_with_kg_version_and_model() -> None:
    g = to_rdf(small_graph())
    (build,) = g.subjects(RDF.type, PROV.Activity)
    assert re.fullmatch(r"ja_ginza==\d+\.\d+\.\d+", str(g.value(build, KG.model)))
    agent = g.value(build, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g
    assert str(g.value(agent, SDO.softwareVersion)) == kg.__version__
    assert g.value(build, KG.documentCount).toPython() == 2
    assert set(g.objects(build, PROV.used)) == {article_iri("a.txt"), article_iri("b.txt")}
    assert g.value(entity_iri("putin"), PROV.wasGeneratedBy) == build


def test_iris_and_files_are_stable_across_builds() -> None:
    graph = small_graph()
    shuffled = replace(graph, entities=tuple(reversed(graph.entities)),
                       relations=tuple(reversed(graph.relations)))
    for fmt in RDF_FORMATS:
        assert serialize(graph, fmt) == serialize(shuffled, fmt), fmt
        assert written(graph, fmt) == written(shuffled, fmt), fmt
    rel = graph.relations[0]
    more = replace(rel, evidence=rel.evidence * 2, score=9.0)  # new evidence, same statement
    assert statement_iri(more) == statement_iri(rel)
    assert re.fullmatch(r"https://w3id\.org/kg-ja/id/statement/[0-9a-f]{16}", str(statement_iri(rel)))
    assert str(entity_iri("putin")) == "https://w3id.org/kg-ja/id/entity/putin"
    assert str(article_iri("a b/c.txt")) == "https://w3id.org/kg-ja/id/article/a%20b%2Fc.txt"


@pytest.mark.slow
def test_seed_iris_do_not_change_between_builds(seed_graph: kg.KnowledgeGraph, cache_dir) -> None:  # type: ignore[no-untyped-def]
    from .conftest import CORPUS

    again, _ = kg.build([CORPUS], cache_dir=cache_dir, workers=1)
    assert serialize(again, "nt") == serialize(seed_graph, "nt")


# ---------------------------------------------------------------- formats

@pytest.mark.parametrize("fmt", list(RDF_FORMATS))
@pytest.mark.parametrize("make", [small_graph, small_graph_with_events])
def test_every_format_parses_in_rdflib_and_pyoxigraph_with_the_same_triples(fmt: str, make) -> None:  # type: ignore[no-untyped-def]
    graph = make()  # with events too: the streamed writers (kg/export/turtle.py) must not leave them out
    data = written(graph, fmt)
    expected = to_rdf(graph)
    if fmt == "trig":
        ds = Dataset()
        ds.parse(data=data, format="trig")
        parsed = {(s, p, o) for s, p, o, _ in ds.quads()}
    else:
        parsed = set(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt]))
    assert parsed == set(expected)
    quads = list(ox.parse(data, format=OX_FORMATS[fmt]))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == len(expected)


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_kgs_own_writers_escape_what_an_article_may_hold(fmt: str) -> None:
    """Turtle and N-Triples are written by kg (kg/export/turtle.py): quotes, backslashes, line breaks,
    tabs and odd ids must come back as the same triples in rdflib and Oxigraph."""
    graph = small_graph()
    hostile = 'He said "止めろ"\\ then\n\r\tleft 🙂'
    rel = graph.relations[0]
    odd = replace(graph.entities[0], id="a|b>c d", label='名前"に\\引用符', aliases=("x\ny",))
    ev = replace(rel.evidence[0], sentence=hostile)
    graph = replace(graph, entities=(*graph.entities, odd),
                    relations=(*graph.relations, replace(rel, object=odd.id, evidence=(ev,))))
    data = written(graph, fmt)
    expected = set(to_rdf(graph))
    assert set(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])) == expected
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in ox.parse(data, format=OX_FORMATS[fmt])} \
        == {(str(s), str(p), str(o)) for s, p, o in expected}
    assert Literal(hostile, lang="ja") in {o for _, _, o in expected}
    assert written(graph, fmt) == data  # byte-stable


def test_write_rdf_formats_writes_one_file_each(tmp_path) -> None:  # type: ignore[no-untyped-def]
    paths = write_rdf_formats(small_graph(), tmp_path, ["ttl", "jsonld", "nt", "trig"])
    assert {p.name for p in paths.values()} == {"graph.ttl", "graph.jsonld", "graph.nt", "graph.trig"}
    doc = json.loads((tmp_path / "graph.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["kg"] == str(KG._NS)
    putin = next(n for n in doc["@graph"] if n["@id"].endswith("/entity/putin"))
    assert putin["@type"] == "schema:Person" and putin["rdfs:label"] == {"@language": "ja", "@value": "プーチン"}
    with pytest.raises(KgError, match="unknown RDF format 'xml': choose from ttl, jsonld, nt, trig"):
        write_rdf_formats(small_graph(), tmp_path, ["xml"])


def test_trig_has_one_named_graph_per_article_that_can_be_dropped_and_reingested() -> None:
    graph = small_graph()
    ds = to_dataset(graph)
    names = {q[3] for q in ds.quads((None, None, None, None))} - {DATASET_DEFAULT_GRAPH_ID}
    assert names == {article_iri("a.txt"), article_iri("b.txt")}

    store = ox.Store()
    store.load(serialize(graph, "trig"), format=ox.RdfFormat.TRIG)
    ask = "ASK { ?a kg:%s ?b }"
    prefixes = {"kg": str(KG._NS)}

    def holds(query: str) -> bool:
        return bool(store.query(query, prefixes=prefixes, use_default_graph_as_union=True))

    assert holds(ask % "holdsPositionIn") and holds(ask % "metWith") and holds(ask % "memberOf")
    store.update(f"DROP GRAPH <{article_iri('a.txt')}>")
    # only b.txt's facts remain: the meeting (also reported in b) and NATO membership, not the positions
    assert holds(ask % "metWith") and holds(ask % "memberOf") and not holds(ask % "holdsPositionIn")
    assert not holds(f"ASK {{ ?e <{PROV.wasDerivedFrom}> <{article_iri('a.txt')}> }}")
    a_graph = ds.graph(article_iri("a.txt"))
    store.load(a_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(str(article_iri("a.txt"))))
    assert holds(ask % "holdsPositionIn")


# ---------------------------------------------------------------- SHACL

@pytest.mark.slow
def test_seed_build_passes_the_shapes(seed_graph: kg.KnowledgeGraph) -> None:
    result = validate(to_rdf(seed_graph))
    assert result.conforms, result.text


def test_small_graph_with_every_kind_of_relation_passes_the_shapes() -> None:
    result = validate(to_rdf(small_graph()))
    assert result.conforms, result.text


@pytest.mark.parametrize("damage, message", [
    (lambda g: g.remove((statement_iri(small_graph().relations[2]), KG.evidence,
                         next(g.objects(statement_iri(small_graph().relations[2]), KG.evidence)))),
     "kg:count must equal"),
    (lambda g: g.add((entity_iri("putin"), RDFS.label, Literal("Putin", lang="en"))), "rdfs:label"),
    (lambda g: g.add((entity_iri("russia"), KG.holdsPositionIn, entity_iri("usa"))), "Person"),
    (lambda g: g.remove((entity_iri("trump"), KG.metWith, entity_iri("putin"))), "direct triple"),
    (lambda g: g.set((next(g.subjects(RDF.type, KG.Evidence)), KG.end, Literal(-1))), "LessThan"),
])
def test_shapes_catch_a_damaged_export(damage, message: str) -> None:  # type: ignore[no-untyped-def]
    g = to_rdf(small_graph())
    damage(g)
    result = validate(g)
    assert not result.conforms
    assert message in result.text
