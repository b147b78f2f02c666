"""The project's RDF vocabulary: every ``kg:`` term lives here and nowhere else.

A :class:`~rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a
misspelt term raises instead of quietly minting a new IRI. The ontology file
``kg/data/ontology.ttl`` documents each term.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/kg-ja/"
#: Where entity, article and statement IRIs of a build live.
ID = Namespace(BASE + "id/")


class KG(DefinedNamespace):
    """Terms of the kg ontology."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Statement: URIRef  # a relation between two entities, with its evidence
    Evidence: URIRef  # one sentence of one article that supports a statement

    # relation properties (direct triples between entities)
    cooccursWith: URIRef  # mentioned in the same sentence (symmetric)
    metWith: URIRef
    negotiatesWith: URIRef
    agreesWith: URIRef
    supports: URIRef
    attacks: URIRef
    fights: URIRef
    sanctions: URIRef
    criticizes: URIRef
    memberOf: URIRef
    seeksMembership: URIRef
    alliedWith: URIRef
    holdsPositionIn: URIRef

    # statement and evidence properties
    subject: URIRef
    predicate: URIRef
    object: URIRef
    evidence: URIRef
    rule: URIRef
    count: URIRef
    score: URIRef
    position: URIRef
    modality: URIRef
    article: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef

    # entity properties
    mentionCount: URIRef
