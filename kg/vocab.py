"""The project's RDF vocabulary: every ``kg:`` term lives here and nowhere else.

A :class:`~rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a
misspelt term raises instead of quietly minting a new IRI. The ontology file
``kg/data/ontology.ttl`` documents each term (labels in Japanese and English,
domain, range); ``kg/data/shapes.ttl`` holds the SHACL shapes a build must
pass. Both are the public contract of the RDF export: add terms, never rename
them.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.eventkinds import event_classes
from kg.namespaces import BASE, PREFIXES
from kg.predicates import predicate_table

#: Where entity, article, statement and build IRIs of a build live.
ID = Namespace(PREFIXES["kgid"])
#: Named graphs of the TriG export (one per article) live here.
GRAPH = Namespace(BASE + "graph/")


class KG(DefinedNamespace):
    """Terms of the kg ontology."""

    _NS = Namespace(PREFIXES["kg"])
    _fail = True

    # classes
    Statement: URIRef  # a relation between two entities, with its evidence (an rdf:Statement)
    Evidence: URIRef  # one sentence of one article that supports a statement
    RelationProperty: URIRef  # the class of the direct relation properties below

    # relation properties (direct triples between entities): one per row of the predicate
    # table (kg/data/predicates.json), so KG.metWith works and KG.metwith still raises; and one
    # event class per kind of the event vocabulary (kg/data/events.json): KG.Summit, KG.PhoneCall.
    _extras = [p.property for p in predicate_table().values()] + list(event_classes().values())

    # statement properties (besides rdf:subject, rdf:predicate, rdf:object)
    evidence: URIRef  # a kg:Evidence node supporting the statement
    rule: URIRef  # name of the rule that produced the statement
    count: URIRef  # number of evidence sentences
    score: URIRef  # rule score (PMI for co-occurrence)
    position: URIRef  # the position named with holdsPositionIn (大統領…)
    modality: URIRef  # asserted, negated, planned, reported…
    event: URIRef  # the event node (a schema:Event) a statement belongs to

    # evidence properties (besides prov:wasDerivedFrom the article)
    sentence: URIRef  # the sentence text
    start: URIRef  # character offset of the sentence in the article text
    end: URIRef  # end offset (exclusive)
    date: URIRef  # the date a sentence (or an event) is about, ISO 8601: 2025-08-15, 2025-08, 2025-10-16/2025-10-30
    dateText: URIRef  # that date as the text writes it (8月15日, 先月, 2週間以内)

    # event properties (besides schema:startDate, endDate, location, attendee, eventStatus)
    eventModality: URIRef  # held, planned or cancelled
    ordinal: URIRef  # its number in a series (第二回目の米露首脳会談 → 2)
    reportedIn: URIRef  # a kg:Evidence sentence that tells of the event
    word: URIRef  # a phrase the text calls the event by (第一回米露首脳会談)

    # article properties
    dateRule: URIRef  # which rule dated the article: metadata, header, citations, lead, urls

    # entity properties
    mentionCount: URIRef  # number of mentions in the corpus
    degreeCentrality: URIRef  # share of the other entities it is linked to (kg.analytics)
    weightedDegree: URIRef  # evidence sentences of all its links (kg.analytics)
    community: URIRef  # its Leiden community number (kg.analytics)

    # build (prov:Activity) properties
    model: URIRef  # the NLP model and version the build parsed with
    documentCount: URIRef  # number of articles read


#: Where event and place IRIs of a build live (``kgid:event/…``, ``kgid:place/…``): under :data:`ID`.

#: The RDF class of each event kind of the package's vocabulary (``summit`` → ``kg:Summit``).
EVENT_CLASSES: dict[str, URIRef] = {name: KG[cls] for name, cls in event_classes().items()}


def event_class(cls: str) -> URIRef:
    """``Summit`` → ``kg:Summit``; a class a user's event vocabulary adds is minted in the same namespace."""
    return KG[cls] if cls in event_classes().values() else URIRef(str(KG._NS) + cls)


#: The relation property of each ``Relation.predicate`` name, in the predicate table's order.
RELATION_PROPERTIES: dict[str, URIRef] = {p.name: KG[p.property] for p in predicate_table().values()}

#: Relation properties declared owl:SymmetricProperty; the export writes both directions.
SYMMETRIC_PROPERTIES: frozenset[URIRef] = frozenset(
    KG[p.property] for p in predicate_table().values() if p.symmetric)
