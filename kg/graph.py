"""The KnowledgeGraph: entities and relations of a corpus, held in networkx.

Exporters and notebooks read this object; none of them recomputes anything.
The networkx view is a ``MultiDiGraph``: typed relations are directed (a
symmetric one is stored once, flagged ``symmetric``), and two entities can be
linked by several predicates at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from kg.model import Document, Entity, Event, Mention, Relation
from kg.names import name_key
from kg.timex import DocDate

if TYPE_CHECKING:
    from kg.sparql import Answer


@dataclass(frozen=True)
class KnowledgeGraph:
    """Entities, relations and the documents they were read from."""

    documents: Sequence[Document]
    entities: Sequence[Entity]
    relations: Sequence[Relation]
    mentions: Sequence[tuple[Mention, str]] = field(default=(), repr=False)
    #: Event nodes (meetings, summits, calls, talks, attacks, sanctions, agreements), by date.
    events: Sequence[Event] = ()
    #: Each document's date and the rule that found it (None: undated), by document id.
    dates: Mapping[str, DocDate | None] = field(default_factory=dict, repr=False)

    @cached_property
    def by_id(self) -> dict[str, Entity]:
        """Entities by id."""
        return {e.id: e for e in self.entities}

    def find(self, name: str) -> Entity | None:
        """The entity whose label or an alias is ``name`` as :func:`kg.names.name_key` compares names.

        Width, case and spaces do not matter: ``find("deep state")`` finds DEEP STATE.
        """
        key = name_key(name)
        for entity in self.entities:
            if name_key(entity.label) == key or key in {name_key(a) for a in entity.aliases}:
                return entity
        return None

    def relations_of(self, entity_id: str, *, predicate: str | None = None) -> list[Relation]:
        """Relations touching an entity, optionally of one predicate."""
        return [r for r in self.relations
                if entity_id in (r.subject, r.object) and (predicate is None or r.predicate == predicate)]

    def events_of(self, entity_id: str, *, kind: str | None = None) -> list[Event]:
        """Events an entity took part in, optionally of one kind or narrower (``kind="meeting"``: calls too)."""
        from kg.eventkinds import default_vocabulary

        vocabulary = default_vocabulary()
        return [e for e in self.events if entity_id in e.participants
                and (kind is None or e.kind == kind or vocabulary.within(e.kind, kind))]

    def events_between(self, first: str, last: str) -> list[Event]:
        """Events whose date overlaps the days ``first`` to ``last`` (ISO 8601: ``2025-08-01``)."""
        from kg.events import within

        return [e for e in self.events if within(e, first, last)]

    def date_of(self, doc_id: str) -> DocDate | None:
        """A document's date (None when no rule found one)."""
        return self.dates.get(doc_id)

    def to_networkx(self) -> nx.MultiDiGraph:
        """A fresh networkx graph: nodes carry entity fields, edges relation fields."""
        graph = nx.MultiDiGraph()
        for entity in self.entities:
            graph.add_node(entity.id, **node_attributes(entity))
        for rel in self.relations:
            graph.add_edge(rel.subject, rel.object, key=rel.predicate, **edge_attributes(rel))
        return graph

    def sparql(self, query: str) -> Answer:
        """Run a SPARQL query over this graph's RDF export (needs the ``sparql`` extra).

        SELECT gives :class:`kg.sparql.Rows` (dicts; ``.to_dataframe()``), ASK a
        bool, CONSTRUCT an rdflib Graph. Prefixes ``kg:``, ``schema:``… are predeclared.
        """
        from kg.sparql import query_graph

        return query_graph(self, query)

    def type_counts(self) -> Counter[str]:
        """Number of entities of each type."""
        return Counter(e.type for e in self.entities)

    def predicate_counts(self) -> Counter[str]:
        """Number of edges of each predicate."""
        return Counter(r.predicate for r in self.relations)


def node_attributes(entity: Entity) -> dict[str, object]:
    """An entity as plain node attributes (lists, not tuples, for JSON)."""
    return {
        "label": entity.label,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
        "docs": list(entity.docs),
        "wikidata": entity.wikidata,
        "centrality": entity.centrality,
        "weighted_degree": entity.weighted_degree,
        "community": entity.community,
    }


def edge_attributes(rel: Relation) -> dict[str, object]:
    """A relation as plain edge attributes, evidence included."""
    return {
        "predicate": rel.predicate,
        "weight": len(rel.evidence),
        "score": rel.score,
        "rule": rel.rule,
        "position": rel.position,
        "symmetric": rel.symmetric,
        "modality": rel.modality,
        "evidence": [asdict(e) for e in rel.evidence],
        "events": list(rel.events),
    }
