"""The graph as RDF with rdflib: schema.org types, SKOS labels, statements with evidence, PROV-O.

What the RDF exports write (:mod:`kg.export.rdf`) and what SPARQL queries
(:mod:`kg.sparql`) run over. It reads the graph's plain data only
(:class:`~kg.model.GraphData`), so it sits below the KnowledgeGraph, whose
``sparql`` method uses it.

Each relation is written twice on purpose: as a direct triple between the two
entities (easy to query; both directions for symmetric properties, as OWL
would infer) and as a ``kg:Statement`` node (an ``rdf:Statement``) that
carries the rule, counts and one ``kg:Evidence`` node per supporting
sentence. IRIs are derived from stable ids, so they do not change between
builds, and the serializations are sorted, so an unchanged corpus gives
byte-identical files.

Every triple belongs either to the build as a whole (entities, statement
aggregates, the build's ``prov:Activity``) or to exactly one article (the
article, its ``schema:mentions``, the direct triples and evidence read from
it). The TriG export keeps that split as one named graph per article, so one
article's triples can be dropped and re-ingested; Turtle, JSON-LD and
N-Triples hold the union.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from rdflib import PROV, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SDO
from rdflib.term import Node

from kg.errors import KgError, ModelError
from kg.eventkinds import default_vocabulary
from kg.model import Document, Entity, Event, Evidence, GraphData, Relation
from kg.namespaces import PREFIXES
from kg.nlp import DEFAULT_MODEL, model_version
from kg.ontology import TYPE_CLASSES
from kg.timex import DocDate, interval
from kg.version import __version__
from kg.vocab import ID, KG, RELATION_PROPERTIES, SYMMETRIC_PROPERTIES, event_class

#: Export format name → (rdflib serializer, file name).
RDF_FORMATS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "graph.ttl"),
    "jsonld": ("json-ld", "graph.jsonld"),
    "nt": ("nt", "graph.nt"),
    "trig": ("trig", "graph.trig"),
}

Quad = tuple[Node, Node, Node, URIRef | None]  # graph None: the build as a whole
_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")


def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity: its id, percent-encoded, so no id (user text included) breaks the IRI.

    Ids of letters, digits and ``_ . - ~`` (every id kg makes) are unchanged;
    ``a|b`` or ``x>y`` become ``a%7Cb`` and ``x%3Ey`` instead of an invalid IRI.
    """
    return ID[f"entity/{quote(entity_id, safe='')}"]


def article_iri(doc_id: str) -> URIRef:
    """IRI of an article (document id, percent-encoded); also its named graph in TriG."""
    return ID[f"article/{quote(doc_id, safe='')}"]


def statement_iri(rel: Relation) -> URIRef:
    """IRI of a relation's statement node: a hash of subject, predicate and object."""
    digest = hashlib.sha1(f"{rel.subject}|{rel.predicate}|{rel.object}".encode()).hexdigest()[:16]
    return ID[f"statement/{digest}"]


def evidence_iri(statement: URIRef, doc_id: str, start: int, end: int) -> URIRef:
    """IRI of one evidence node: a hash of its statement, article and span.

    Every evidence IRI shares the one namespace ``kgid:evidence/``: rdflib's
    Turtle writer keeps each new namespace it meets in a list it scans for
    every IRI, so one namespace per statement made the export quadratic.
    """
    key = f"{statement}|{doc_id}|{start}|{end}"
    return ID[f"evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}"]


def event_iri(event_id: str) -> URIRef:
    """IRI of an event node (its id is a hash of kind, date, participants and first sentence)."""
    return ID[f"event/{quote(event_id, safe='')}"]


def place_iri(name: str) -> URIRef:
    """IRI of a place named in the text: a hash of the name, so the same words are one node."""
    return ID[f"place/{hashlib.sha1(name.encode()).hexdigest()[:16]}"]


def predicate_term(name: str) -> URIRef:
    """``met_with`` → ``kg:metWith``; an unknown predicate raises (the vocabulary is closed)."""
    try:
        return RELATION_PROPERTIES[name]
    except KeyError:
        raise KgError(f"unknown relation predicate {name!r}: add it to kg/data/predicates.json; "
                      f"known: {', '.join(RELATION_PROPERTIES)}") from None


def model_release(model: str = DEFAULT_MODEL) -> str:
    """``ja_ginza==5.2.0``: the model name with its installed package version (the name alone if missing)."""
    try:
        return f"{model}=={model_version(model)}"
    except ModelError:
        return model


def build_iri(documents: Sequence[Document], *, kg_version: str, model: str) -> URIRef:
    """IRI of the build activity: a hash of kg's version, the model and every article's text.

    The same corpus built by the same software gets the same IRI, so outputs stay stable.
    """
    digest = hashlib.sha1(f"{kg_version}|{model}".encode())
    for doc in sorted(documents, key=lambda d: d.id):
        digest.update(f"|{doc.id}|".encode())
        digest.update(hashlib.sha1(doc.text.encode()).digest())
    return ID[f"build/{digest.hexdigest()[:16]}"]


def rdf_quads(graph: GraphData, *, model: str | None = None) -> Iterator[Quad]:
    """Every triple of the export with its graph: ``None`` (the build) or an article's IRI."""
    kg_version, model = __version__, model or model_release()
    build = build_iri(graph.documents, kg_version=kg_version, model=model)
    yield from _build_quads(build, graph.documents, kg_version=kg_version, model=model)
    for doc in graph.documents:
        yield from _article_quads(doc, graph.dates.get(doc.id))
    for entity in graph.entities:
        yield from _entity_quads(entity, build)
    for rel in graph.relations:
        yield from _relation_quads(rel, build)
    for event in graph.events:
        yield from _event_quads(event, build)


#: A subject and its (predicate, object) pairs: one Turtle block.
Block = tuple[Node, set[tuple[Node, Node]]]


def subject_blocks(graph: GraphData, *, model: str | None = None) -> Iterator[Block]:
    """The triples of :func:`rdf_quads` grouped by subject, in an order that never depends on the input's.

    The build and its software agent first, then the entities (by IRI) with
    their direct relation triples, the articles (by IRI) with the entities they
    mention, and each statement (by IRI) followed by its evidence nodes. Only
    the direct triples and the mentions are collected before they are written
    (they are made with another subject's triples); the rest streams, so a
    writer holds one block at a time, not the graph's millions of triples twice.
    """
    kg_version, model = __version__, model or model_release()
    build = build_iri(graph.documents, kg_version=kg_version, model=model)
    yield from _grouped(_build_quads(build, graph.documents, kg_version=kg_version, model=model))
    direct: dict[Node, set[tuple[Node, Node]]] = {}
    for rel in graph.relations:
        for s, p, o, _ in _direct_quads(rel):
            direct.setdefault(s, set()).add((p, o))
    mentions: dict[Node, set[tuple[Node, Node]]] = {}
    for entity in sorted(graph.entities, key=lambda e: entity_iri(e.id)):
        node = entity_iri(entity.id)
        own = direct.pop(node, set())
        for s, p, o, _ in _entity_quads(entity, build):
            if s == node:
                own.add((p, o))
            else:  # the article's schema:mentions
                mentions.setdefault(s, set()).add((p, o))
        yield node, own
    yield from sorted(direct.items())  # relations of entities the graph does not list (none from a build)
    for doc in sorted(graph.documents, key=lambda d: article_iri(d.id)):
        art = article_iri(doc.id)
        yield art, {(p, o) for _, p, o, _ in _article_quads(doc, graph.dates.get(doc.id))} | mentions.pop(art, set())
    yield from sorted(mentions.items())  # articles mentioned but not listed (none from a build)
    for rel in sorted(graph.relations, key=statement_iri):
        yield from _grouped(_relation_quads(rel, build, direct=False))
    for event in sorted(graph.events, key=lambda e: e.id):
        yield from _grouped(_event_quads(event, build))


def _grouped(quads: Iterable[Quad]) -> list[Block]:
    """Quads grouped by subject, the subjects in the order they first come."""
    blocks: dict[Node, set[tuple[Node, Node]]] = {}
    for s, p, o, _ in quads:
        blocks.setdefault(s, set()).add((p, o))
    return list(blocks.items())


def to_dataset(graph: GraphData, *, model: str | None = None) -> Dataset:
    """The export as an rdflib Dataset: the build in the default graph, one named graph per article."""
    ds = Dataset()
    _bind(ds)
    graphs: dict[URIRef | None, Graph] = {None: ds.graph(DATASET_DEFAULT_GRAPH_ID)}
    for s, p, o, g in rdf_quads(graph, model=model):
        if g not in graphs:
            graphs[g] = ds.graph(g)
        graphs[g].add((s, p, o))
    return ds


def to_rdf(graph: GraphData, *, model: str | None = None) -> Graph:
    """The export as one rdflib Graph (the union of every article's graph and the build's)."""
    g = Graph()
    _bind(g)
    for s, p, o, _ in rdf_quads(graph, model=model):
        g.add((s, p, o))
    return g


def serialize(graph: GraphData, fmt: str = "ttl", *, model: str | None = None) -> bytes:
    """The export in one of :data:`RDF_FORMATS` as UTF-8 bytes."""
    if fmt not in RDF_FORMATS:
        raise KgError(f"unknown RDF format {fmt!r}: choose from {', '.join(RDF_FORMATS)}")
    if fmt == "trig":
        return to_dataset(graph, model=model).serialize(format="trig", encoding="utf-8")
    g = to_rdf(graph, model=model)
    if fmt == "jsonld":  # nodes and values sorted for stable files (JSON-LD sets are unordered)
        doc = json.loads(g.serialize(format="json-ld", context=PREFIXES, auto_compact=True))
        nodes = [{key: sorted(value, key=_json_key) if isinstance(value, list) else value
                  for key, value in node.items()} for node in doc.get("@graph", [])]
        doc["@graph"] = sorted(nodes, key=lambda node: node.get("@id", ""))
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode() + b"\n"
    if fmt == "nt":  # rdflib writes N-Triples in hash order: sort for stable files
        lines = sorted(set(g.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)))
        return b"".join(line for line in lines if line.strip())
    return g.serialize(format="turtle", encoding="utf-8")


def _json_key(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _bind(g: Graph) -> None:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)


def _build_quads(build: URIRef, documents: Sequence[Document], *, kg_version: str,
                 model: str) -> Iterator[Quad]:
    agent = ID[f"software/kg/{quote(kg_version, safe='')}"]
    yield agent, RDF.type, PROV.SoftwareAgent, None
    yield agent, SDO.name, Literal("kg"), None
    yield agent, SDO.softwareVersion, Literal(kg_version), None
    yield build, RDF.type, PROV.Activity, None
    yield build, RDFS.label, Literal("kg build", lang="en"), None
    yield build, PROV.wasAssociatedWith, agent, None
    yield build, KG.model, Literal(model), None
    yield build, KG.documentCount, Literal(len(documents)), None
    for doc in documents:
        yield build, PROV.used, article_iri(doc.id), None


def _article_quads(doc: Document, dated: DocDate | None = None) -> Iterator[Quad]:
    art = article_iri(doc.id)
    yield art, RDF.type, SDO.NewsArticle, art
    yield art, SDO.identifier, Literal(doc.id), art
    if doc.title:
        yield art, SDO.headline, Literal(doc.title, lang="ja"), art
    for url in doc.urls:
        yield art, SDO.citation, Literal(url, datatype=XSD.anyURI), art
    if dated is not None:  # the day kg.timex found, and the rule that found it
        yield art, SDO.datePublished, Literal(dated.date.isoformat(), datatype=XSD.date), art
        yield art, KG.dateRule, Literal(dated.rule), art
    elif doc.meta.get("date"):
        yield art, SDO.datePublished, Literal(doc.meta["date"]), art


def _entity_quads(entity: Entity, build: URIRef) -> Iterator[Quad]:
    node = entity_iri(entity.id)
    yield node, RDF.type, TYPE_CLASSES[entity.type], None
    yield node, RDFS.label, Literal(entity.label, lang="ja"), None
    for alias in entity.aliases:
        if alias != entity.label:
            yield node, SKOS.altLabel, Literal(alias, lang="ja"), None
    yield node, KG.mentionCount, Literal(entity.mentions), None
    yield node, KG.degreeCentrality, Literal(float(entity.centrality)), None
    yield node, KG.weightedDegree, Literal(entity.weighted_degree), None
    if entity.community >= 0:
        yield node, KG.community, Literal(entity.community), None
    yield node, PROV.wasGeneratedBy, build, None
    if entity.wikidata and _WIKIDATA_ID.fullmatch(entity.wikidata):
        yield node, SKOS.exactMatch, URIRef(f"http://www.wikidata.org/entity/{entity.wikidata}"), None
    for doc_id in entity.docs:
        art = article_iri(doc_id)
        yield art, SDO.mentions, node, art


def _direct_quads(rel: Relation) -> Iterator[Quad]:
    """The direct triples of a relation, one per article it was read in (both ways when symmetric)."""
    prop = predicate_term(rel.predicate)
    subj, obj = entity_iri(rel.subject), entity_iri(rel.object)
    for art in dict.fromkeys(article_iri(ev.doc) for ev in rel.evidence):
        yield subj, prop, obj, art
        if prop in SYMMETRIC_PROPERTIES:
            yield obj, prop, subj, art


def _relation_quads(rel: Relation, build: URIRef, *, direct: bool = True) -> Iterator[Quad]:
    """A relation's statement node and evidence nodes; with ``direct``, its direct triples too."""
    if direct:
        yield from _direct_quads(rel)
    prop = predicate_term(rel.predicate)
    subj, obj = entity_iri(rel.subject), entity_iri(rel.object)
    stmt = statement_iri(rel)
    yield stmt, RDF.type, KG.Statement, None
    yield stmt, RDF.subject, subj, None
    yield stmt, RDF.predicate, prop, None
    yield stmt, RDF.object, obj, None
    yield stmt, KG.rule, Literal(rel.rule), None
    yield stmt, KG.count, Literal(len(rel.evidence)), None
    yield stmt, KG.score, Literal(float(rel.score)), None
    yield stmt, KG.modality, Literal(rel.modality), None
    yield stmt, PROV.wasGeneratedBy, build, None
    if rel.position:
        yield stmt, KG.position, Literal(rel.position, lang="ja"), None
    for event_id in rel.events:
        yield stmt, KG.event, event_iri(event_id), None
    yield from _linked_evidence(stmt, KG.evidence, rel.evidence)


def _linked_evidence(subject: URIRef, link: URIRef, evidence: Sequence[Evidence]) -> Iterator[Quad]:
    """A statement's or an event's evidence nodes, each in its article's graph, linked by ``link``."""
    for ev in evidence:
        art = article_iri(ev.doc)
        node = evidence_iri(subject, ev.doc, ev.start, ev.end)
        yield subject, PROV.wasDerivedFrom, art, art
        yield subject, link, node, art
        yield from _evidence_quads(node, ev, art)


def _evidence_quads(node: URIRef, ev: Evidence, art: URIRef) -> Iterator[Quad]:
    yield node, RDF.type, KG.Evidence, art
    yield node, PROV.wasDerivedFrom, art, art
    yield node, KG.sentence, Literal(ev.sentence, lang="ja"), art
    yield node, KG.start, Literal(ev.start), art
    yield node, KG.end, Literal(ev.end), art
    yield node, KG.modality, Literal(ev.modality), art  # how this sentence tells it
    if ev.date:
        yield node, KG.date, Literal(ev.date), art
    if ev.date_text:
        yield node, KG.dateText, Literal(ev.date_text, lang="ja"), art


#: schema:eventStatus of each event modality (schema.org has no status for "held": it was scheduled).
EVENT_STATUS = {"held": SDO.EventScheduled, "planned": SDO.EventScheduled, "cancelled": SDO.EventCancelled}


def _event_quads(event: Event, build: URIRef) -> Iterator[Quad]:
    """An event node: typed with its kind's class and every broader one, schema:Event included."""
    node = event_iri(event.id)
    vocabulary = default_vocabulary()
    lineage = vocabulary.lineage(event.kind)
    for kind in lineage:
        yield node, RDF.type, event_class(kind.cls), None
    yield node, RDF.type, SDO.Event, None
    yield node, RDFS.label, Literal(event.label, lang="ja"), None
    for participant in event.participants:
        yield node, SDO.attendee, entity_iri(participant), None
    span = interval(event.date) if event.date else None
    if span is not None:
        yield node, KG.date, Literal(event.date), None
        yield node, SDO.startDate, Literal(span[0].isoformat(), datatype=XSD.date), None
        yield node, SDO.endDate, Literal(span[1].isoformat(), datatype=XSD.date), None
    if event.date_text:
        yield node, KG.dateText, Literal(event.date_text, lang="ja"), None
    if event.place:
        place = place_iri(event.place)
        yield node, SDO.location, place, None
        yield place, RDF.type, SDO.Place, None
        yield place, SDO.name, Literal(event.place, lang="ja"), None
    yield node, KG.eventModality, Literal(event.modality), None
    yield node, SDO.eventStatus, EVENT_STATUS.get(event.modality, SDO.EventScheduled), None
    if event.ordinal:
        yield node, KG.ordinal, Literal(event.ordinal), None
    for word in event.words:
        yield node, KG.word, Literal(word, lang="ja"), None
    yield node, PROV.wasGeneratedBy, build, None
    yield from _linked_evidence(node, KG.reportedIn, event.evidence)
