"""RDF export with rdflib: schema.org types, SKOS labels, statements with evidence.

Each relation is written twice on purpose: as a direct triple between the two
entities (easy to query) and as a ``kg:Statement`` node that carries the
rule, counts and one ``kg:Evidence`` node per supporting sentence.
IRIs are derived from stable ids, so they do not change between builds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import SDO, XSD

from kg.cache import write_atomic
from kg.graph import KnowledgeGraph
from kg.model import Entity, Evidence, Relation
from kg.vocab import ID, KG

#: kg entity type → schema.org class.
TYPE_CLASSES = {"Person": SDO.Person, "State": SDO.Country, "Organization": SDO.Organization}


def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity."""
    return ID[f"entity/{entity_id}"]


def article_iri(doc_id: str) -> URIRef:
    """IRI of an article (document id, percent-encoded)."""
    return ID[f"article/{quote(doc_id, safe='')}"]


def statement_iri(rel: Relation) -> URIRef:
    """IRI of a relation's statement node: a hash of subject, predicate and object."""
    digest = hashlib.sha1(f"{rel.subject}|{rel.predicate}|{rel.object}".encode()).hexdigest()[:16]
    return ID[f"statement/{digest}"]


def evidence_iri(rel: Relation, ev: Evidence) -> URIRef:
    """IRI of one evidence node: a hash of its statement, article and span.

    Every evidence IRI shares the one namespace ``kgid:evidence/``: rdflib's
    Turtle writer keeps each new namespace it meets in a list it scans for
    every IRI, so one namespace per statement made the export quadratic.
    """
    key = f"{rel.subject}|{rel.predicate}|{rel.object}|{ev.doc}|{ev.start}|{ev.end}"
    return ID[f"evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}"]


def predicate_term(name: str) -> URIRef:
    """``met_with`` → ``kg:metWith``; an unknown predicate raises (the vocabulary is closed)."""
    head, *rest = name.split("_")
    return getattr(KG, head + "".join(part.capitalize() for part in rest))


def to_rdf(graph: KnowledgeGraph) -> Graph:
    """Build the rdflib graph of a KnowledgeGraph."""
    g = Graph()
    g.bind("kg", str(KG._NS))
    g.bind("schema", str(SDO))
    g.bind("skos", str(SKOS))
    g.bind("kgid", str(ID))
    for doc in graph.documents:
        art = article_iri(doc.id)
        g.add((art, RDF.type, SDO.NewsArticle))
        g.add((art, SDO.identifier, Literal(doc.id)))
        if doc.title:
            g.add((art, SDO.headline, Literal(doc.title, lang="ja")))
        for url in doc.urls:
            g.add((art, SDO.citation, Literal(url, datatype=XSD.anyURI)))
    for entity in graph.entities:
        _add_entity(g, entity)
    for rel in graph.relations:
        _add_relation(g, rel)
    return g


def _add_entity(g: Graph, entity: Entity) -> None:
    node = entity_iri(entity.id)
    g.add((node, RDF.type, TYPE_CLASSES[entity.type]))
    g.add((node, RDFS.label, Literal(entity.label, lang="ja")))
    for alias in entity.aliases:
        if alias != entity.label:
            g.add((node, SKOS.altLabel, Literal(alias, lang="ja")))
    g.add((node, KG.mentionCount, Literal(entity.mentions)))
    for doc_id in entity.docs:
        g.add((article_iri(doc_id), SDO.mentions, node))
    if entity.wikidata:
        g.add((node, SKOS.exactMatch, URIRef(f"http://www.wikidata.org/entity/{entity.wikidata}")))


def _add_relation(g: Graph, rel: Relation) -> None:
    prop = predicate_term(rel.predicate)
    subj, obj = entity_iri(rel.subject), entity_iri(rel.object)
    g.add((subj, prop, obj))
    stmt = statement_iri(rel)
    g.add((stmt, RDF.type, KG.Statement))
    g.add((stmt, KG.subject, subj))
    g.add((stmt, KG.predicate, prop))
    g.add((stmt, KG.object, obj))
    g.add((stmt, KG.rule, Literal(rel.rule)))
    g.add((stmt, KG.count, Literal(len(rel.evidence))))
    g.add((stmt, KG.score, Literal(rel.score)))
    g.add((stmt, KG.modality, Literal(rel.modality)))
    if rel.position:
        g.add((stmt, KG.position, Literal(rel.position, lang="ja")))
    for ev in rel.evidence:
        node = evidence_iri(rel, ev)
        g.add((stmt, KG.evidence, node))
        g.add((node, RDF.type, KG.Evidence))
        g.add((node, KG.article, article_iri(ev.doc)))
        g.add((node, KG.sentence, Literal(ev.sentence, lang="ja")))
        g.add((node, KG.start, Literal(ev.start)))
        g.add((node, KG.end, Literal(ev.end)))


def write_rdf(graph: KnowledgeGraph, path: str | Path, *, fmt: str = "turtle") -> Path:
    """Serialize to ``path`` atomically (Turtle by default)."""
    data = to_rdf(graph).serialize(format=fmt, encoding="utf-8")
    write_atomic(Path(path), data)
    return Path(path)
