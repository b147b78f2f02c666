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

from kg.predicates import predicate_table

BASE = "https://w3id.org/kg-ja/"
#: Where entity, article, statement and build IRIs of a build live.
ID = Namespace(BASE + "id/")
#: Named graphs of the TriG export (one per article) live here.
GRAPH = Namespace(BASE + "graph/")


class KG(DefinedNamespace):
    """Terms of the kg ontology."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Statement: URIRef  # a relation between two entities, with its evidence (an rdf:Statement)
    Evidence: URIRef  # one sentence of one article that supports a statement
    RelationProperty: URIRef  # the class of the direct relation properties below

    # relation properties (direct triples between entities): one per row of the predicate
    # table (kg/data/predicates.json), so KG.metWith works and KG.metwith still raises.
    _extras = [p.property for p in predicate_table().values()]

    # statement properties (besides rdf:subject, rdf:predicate, rdf:object)
    evidence: URIRef  # a kg:Evidence node supporting the statement
    rule: URIRef  # name of the rule that produced the statement
    count: URIRef  # number of evidence sentences
    score: URIRef  # rule score (PMI for co-occurrence)
    position: URIRef  # the position named with holdsPositionIn (大統領…)
    modality: URIRef  # asserted, negated, planned, reported…

    # evidence properties (besides prov:wasDerivedFrom the article)
    sentence: URIRef  # the sentence text
    start: URIRef  # character offset of the sentence in the article text
    end: URIRef  # end offset (exclusive)

    # entity properties
    mentionCount: URIRef  # number of mentions in the corpus
    degreeCentrality: URIRef  # share of the other entities it is linked to (kg.analytics)
    weightedDegree: URIRef  # evidence sentences of all its links (kg.analytics)
    community: URIRef  # its Louvain community number (kg.analytics)

    # build (prov:Activity) properties
    model: URIRef  # the NLP model and version the build parsed with
    documentCount: URIRef  # number of articles read


#: The relation property of each ``Relation.predicate`` name, in the predicate table's order.
RELATION_PROPERTIES: dict[str, URIRef] = {p.name: KG[p.property] for p in predicate_table().values()}

#: Relation properties declared owl:SymmetricProperty; the export writes both directions.
SYMMETRIC_PROPERTIES: frozenset[URIRef] = frozenset(
    KG[p.property] for p in predicate_table().values() if p.symmetric)
