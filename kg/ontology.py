"""The ontology and the SHACL shapes of the RDF export, with the predicate table's part generated.

``kg/data/ontology.ttl`` and ``kg/data/shapes.ttl`` hold the hand-written terms
and shapes (classes, statement, evidence and entity properties). The relation
properties are not written there: :func:`ontology` and :func:`shapes` add them
from the predicate table (:mod:`kg.predicates`), so a new predicate appears in
the vocabulary, the ontology and the shapes at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SDO, SH

from kg.errors import ConfigError
from kg.eventkinds import EventKind, default_vocabulary
from kg.predicates import Predicate, predicate_table
from kg.vocab import KG, RELATION_PROPERTIES, event_class

#: kg entity type → schema.org class.
TYPE_CLASSES = {"Person": SDO.Person, "State": SDO.Country, "Organization": SDO.Organization}
#: Where the shapes live (the prefix ``kgsh:`` of shapes.ttl).
KGSH = Namespace("https://w3id.org/kg-ja/shapes#")


def read_data_graph(name: str) -> Graph:
    """Parse ``kg/data/<name>`` (Turtle) into an rdflib Graph."""
    try:
        text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"missing data file kg/data/{name}: reinstall kg") from None
    return Graph().parse(data=text, format="turtle")


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The kg ontology: ``ontology.ttl`` plus one relation property per predicate and one class per event kind."""
    graph = read_data_graph("ontology.ttl")
    for predicate in predicate_table().values():
        _declare(graph, predicate)
    vocabulary = default_vocabulary()
    for kind in vocabulary.kinds.values():
        _declare_kind(graph, kind, broader=vocabulary.kinds[kind.broader].cls if kind.broader else None)
    return graph


def _declare_kind(graph: Graph, kind: EventKind, *, broader: str | None) -> None:
    term = event_class(kind.cls)
    graph.add((term, RDF.type, OWL.Class))
    graph.add((term, RDFS.subClassOf, SDO.Event))
    if broader:
        graph.add((term, RDFS.subClassOf, event_class(broader)))
    graph.add((term, RDFS.label, Literal(kind.label_ja, lang="ja")))
    graph.add((term, RDFS.label, Literal(kind.label_en, lang="en")))
    words = "、".join(kind.words)
    graph.add((term, RDFS.comment, Literal(f"An event the text tells with a word such as {words} "
                                           "(kg/data/events.json).", lang="en")))


def _declare(graph: Graph, predicate: Predicate) -> None:
    term = KG[predicate.property]
    graph.add((term, RDF.type, KG.RelationProperty))
    graph.add((term, RDF.type, OWL.ObjectProperty))
    if predicate.symmetric:
        graph.add((term, RDF.type, OWL.SymmetricProperty))
    graph.add((term, RDFS.label, Literal(predicate.label_ja, lang="ja")))
    graph.add((term, RDFS.label, Literal(predicate.label_en, lang="en")))
    comment = predicate.comment + (" Symmetric: the export writes both directions." if predicate.symmetric else "")
    graph.add((term, RDFS.comment, Literal(comment.strip(), lang="en")))
    graph.add((term, RDFS.domain, _class_of(graph, predicate.domain)))
    graph.add((term, RDFS.range, _class_of(graph, predicate.range)))


def _class_of(graph: Graph, kinds: Sequence[str]) -> URIRef | BNode:
    """One schema.org class, or an ``owl:unionOf`` of several."""
    if len(kinds) == 1:
        return TYPE_CLASSES[kinds[0]]
    union = BNode()
    graph.add((union, RDF.type, OWL.Class))
    members = BNode()
    Collection(graph, members, [TYPE_CLASSES[k] for k in kinds])
    graph.add((union, OWL.unionOf, members))
    return union


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """The SHACL shapes: ``shapes.ttl`` plus the predicate table's constraints."""
    graph = read_data_graph("shapes.ttl")
    graph.bind("kgsh", KGSH)
    properties = BNode()
    Collection(graph, properties, list(RELATION_PROPERTIES.values()))
    shape = KGSH.StatementPredicateShape
    constraint = BNode()
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetClass, KG.Statement))
    graph.add((shape, SH.property, constraint))
    graph.add((constraint, SH.path, RDF.predicate))
    graph.add((constraint, SH["in"], properties))
    graph.add((constraint, SH.message,
               Literal("rdf:predicate of a statement must be one of the kg relation properties")))
    for predicate in predicate_table().values():
        _constrain(graph, predicate)
    return graph


def _constrain(graph: Graph, predicate: Predicate) -> None:
    """Subjects of the property have a domain type; its objects a range type."""
    term = KG[predicate.property]
    shape = KGSH[predicate.property[0].upper() + predicate.property[1:] + "Shape"]
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, SH.targetSubjectsOf, term))
    graph.add((shape, SH["or"], _any_class(graph, predicate.domain)))
    objects = BNode()
    graph.add((shape, SH.property, objects))
    graph.add((objects, SH.path, term))
    graph.add((objects, SH["or"], _any_class(graph, predicate.range)))


def _any_class(graph: Graph, kinds: Sequence[str]) -> BNode:
    """An RDF list of ``[ sh:class C ]`` shapes, one per entity type."""
    alternatives = []
    for kind in kinds:
        node = BNode()
        graph.add((node, SH["class"], TYPE_CLASSES[kind]))
        alternatives.append(node)
    head = BNode()
    Collection(graph, head, alternatives)
    return head
