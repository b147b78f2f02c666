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

    # relation properties (direct triples between entities)
    metWith: URIRef  # met (symmetric)
    holdsPositionIn: URIRef  # a person holds a position (kg:position) in a state or organization
    memberOf: URIRef  # is a member of an organization
    cooccursWith: URIRef  # mentioned in the same sentence (symmetric)
    seeksMembership: URIRef  # seeks to join an organization
    negotiatesWith: URIRef  # negotiates with (symmetric)
    agreesWith: URIRef  # reached or states agreement with
    supports: URIRef  # supports, backs, aids
    attacks: URIRef  # attacks (military or otherwise)
    fights: URIRef  # is at war or in combat with (symmetric)
    sanctions: URIRef  # imposes sanctions on
    criticizes: URIRef  # criticizes, condemns
    alliedWith: URIRef  # allied with (symmetric)

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

    # build (prov:Activity) properties
    model: URIRef  # the NLP model and version the build parsed with
    documentCount: URIRef  # number of articles read


#: The relation property of each ``Relation.predicate`` name, in the ontology's order.
RELATION_PROPERTIES: dict[str, URIRef] = {
    "met_with": KG.metWith,
    "holds_position_in": KG.holdsPositionIn,
    "member_of": KG.memberOf,
    "cooccurs_with": KG.cooccursWith,
    "seeks_membership": KG.seeksMembership,
    "negotiates_with": KG.negotiatesWith,
    "agrees_with": KG.agreesWith,
    "supports": KG.supports,
    "attacks": KG.attacks,
    "fights": KG.fights,
    "sanctions": KG.sanctions,
    "criticizes": KG.criticizes,
    "allied_with": KG.alliedWith,
}

#: Relation properties declared owl:SymmetricProperty; the export writes both directions.
SYMMETRIC_PROPERTIES: frozenset[URIRef] = frozenset(
    {KG.metWith, KG.negotiatesWith, KG.alliedWith, KG.fights, KG.cooccursWith})
