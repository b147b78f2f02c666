"""The flat columns that the tool exports share: one row per entity, relation, evidence, mention.

GEXF, GraphML, the CSV tables and the Neo4j files all hold the same
attributes, so each is declared here once, with its type and what it means;
every writer maps the types to its format's own names (GEXF ``double``,
GraphML ``double``, Neo4j ``:double``…). Adding an attribute everywhere (a
date on evidence, say) is one line in one of these tables.

Values are flat on purpose: Gephi and Cytoscape want one static value of one
type per attribute, spreadsheets one value per cell. A list of strings (an
entity's aliases) is one column of type ``list``, which each writer joins
with :data:`LIST_SEPARATOR` (Neo4j's default array delimiter).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Evidence, Mention, Relation
from kg.predicates import COOCCURS

T = TypeVar("T")

#: Joins the items of a list value in flat formats; Neo4j's ``--array-delimiter`` default.
LIST_SEPARATOR = ";"

#: The ``category`` of an edge: a typed relation read by a rule, or sentence co-occurrence.
RELATION, COOCCURRENCE = "relation", "cooccurrence"


@dataclass(frozen=True)
class Column(Generic[T]):
    """One attribute: its name, its value type (str, int, float, bool or list of str) and where it comes from."""

    name: str
    type: type
    get: Callable[[T], object]
    doc: str


@dataclass(frozen=True)
class RelationRow:
    """A relation with the id the exports give it (``subject|predicate|object``)."""

    id: str
    relation: Relation


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence sentence of one relation."""

    relation_id: str
    relation: Relation
    evidence: Evidence


@dataclass(frozen=True)
class MentionRow:
    """One mention and the entity it was resolved to."""

    mention: Mention
    entity: str


def edge_category(predicate: str) -> str:
    """``cooccurrence`` for sentence co-occurrence, ``relation`` for a typed relation."""
    return COOCCURRENCE if predicate == COOCCURS else RELATION


def _first(rel: Relation) -> Evidence | None:
    return rel.evidence[0] if rel.evidence else None


ENTITY_COLUMNS: tuple[Column[Entity], ...] = (
    Column("id", str, lambda e: e.id, "stable id: the lexicon's (usa, nato) or a hash of type and name"),
    Column("label", str, lambda e: e.label, "canonical name (Japanese)"),
    Column("type", str, lambda e: e.type, "Person, State or Organization"),
    Column("aliases", list, lambda e: list(e.aliases), "every name it was found under"),
    Column("mentions", int, lambda e: e.mentions, "number of mentions in the corpus"),
    Column("documents", int, lambda e: len(e.docs), "number of documents mentioning it"),
    Column("wikidata", str, lambda e: e.wikidata or "", "Wikidata id (Q…), where known"),
    Column("centrality", float, lambda e: e.centrality, "degree centrality, 0 to 1 (kg.analytics)"),
    Column("weighted_degree", int, lambda e: e.weighted_degree, "evidence sentences of all its links"),
    Column("community", int, lambda e: e.community, "Leiden community number; -1: linked to nothing"),
)

RELATION_COLUMNS: tuple[Column[RelationRow], ...] = (
    Column("id", str, lambda r: r.id, "subject|predicate|object"),
    Column("source", str, lambda r: r.relation.subject, "subject entity id"),
    Column("target", str, lambda r: r.relation.object, "object entity id"),
    Column("predicate", str, lambda r: r.relation.predicate, "met_with, member_of, cooccurs_with…"),
    Column("category", str, lambda r: edge_category(r.relation.predicate),
           "relation (typed, read by a rule) or cooccurrence"),
    Column("modality", str, lambda r: r.relation.modality, "asserted, planned, possible, reported…"),
    Column("weight", int, lambda r: len(r.relation.evidence), "number of evidence sentences"),
    Column("documents", int, lambda r: len({e.doc for e in r.relation.evidence}),
           "number of documents with evidence"),
    Column("score", float, lambda r: r.relation.score, "rule score; PMI for co-occurrence"),
    Column("rule", str, lambda r: r.relation.rule, "the rule that produced it"),
    Column("position", str, lambda r: r.relation.position, "the position held (holds_position_in)"),
    Column("symmetric", bool, lambda r: r.relation.symmetric, "true: reads both ways, stored once"),
    Column("evidence", str, lambda r: ev.sentence if (ev := _first(r.relation)) else "",
           "the first evidence sentence"),
    Column("evidence_document", str, lambda r: ev.doc if (ev := _first(r.relation)) else "",
           "the document of the first evidence sentence"),
)

EVIDENCE_COLUMNS: tuple[Column[EvidenceRow], ...] = (
    Column("relation", str, lambda r: r.relation_id, "the relation's id (relations.csv)"),
    Column("source", str, lambda r: r.relation.subject, "subject entity id"),
    Column("predicate", str, lambda r: r.relation.predicate, "the relation's predicate"),
    Column("target", str, lambda r: r.relation.object, "object entity id"),
    Column("document", str, lambda r: r.evidence.doc, "document id (file name)"),
    Column("start", int, lambda r: r.evidence.start, "character offset of the sentence in the document"),
    Column("end", int, lambda r: r.evidence.end, "end offset (exclusive)"),
    Column("sentence", str, lambda r: r.evidence.sentence, "the sentence text"),
    Column("modality", str, lambda r: r.evidence.modality, "how this sentence tells it: asserted, planned…"),
)

MENTION_COLUMNS: tuple[Column[MentionRow], ...] = (
    Column("document", str, lambda r: r.mention.doc, "document id (file name)"),
    Column("start", int, lambda r: r.mention.start, "character offset of the mention"),
    Column("end", int, lambda r: r.mention.end, "end offset (exclusive)"),
    Column("text", str, lambda r: r.mention.text, "the words as written"),
    Column("entity", str, lambda r: r.entity, "the entity id it was resolved to"),
    Column("type", str, lambda r: r.mention.type, "Person, State or Organization"),
    Column("rule", str, lambda r: r.mention.source, "the mention rule that found it"),
    Column("position", str, lambda r: r.mention.position, "a title glued to a person's name"),
)

DOCUMENT_COLUMNS: tuple[Column[Document], ...] = (
    Column("id", str, lambda d: d.id, "document id (file name)"),
    Column("title", str, lambda d: d.title, "title"),
    Column("urls", list, lambda d: list(d.urls), "URLs found in or given for the document"),
)


def relation_rows(graph: KnowledgeGraph) -> list[RelationRow]:
    """Every relation with a unique id, in the graph's order.

    The id is ``subject|predicate|object``; should a graph ever hold two
    relations with the same three, the later ones get ``#2``, ``#3``… so
    edge ids stay unique (GEXF and GraphML require it).
    """
    seen: Counter[str] = Counter()
    rows = []
    for rel in graph.relations:
        base = f"{rel.subject}|{rel.predicate}|{rel.object}"
        seen[base] += 1
        rows.append(RelationRow(base if seen[base] == 1 else f"{base}#{seen[base]}", rel))
    return rows


def evidence_rows(rows: Sequence[RelationRow]) -> Iterator[EvidenceRow]:
    """One row per evidence sentence of each relation."""
    for row in rows:
        for ev in row.relation.evidence:
            yield EvidenceRow(row.id, row.relation, ev)


def mention_rows(graph: KnowledgeGraph) -> list[MentionRow]:
    """One row per mention, by document and offset (none for a graph loaded from graph.json).

    Sorted here because the graph's own order of mentions is not the same
    from one run to the next (some are found by iterating over sets).
    """
    rows = [MentionRow(mention, entity) for mention, entity in graph.mentions]
    return sorted(rows, key=lambda r: (r.mention.doc, r.mention.start, r.mention.end, r.entity, r.mention.source,
                                       r.mention.text, r.mention.type, r.mention.position))


def flat_value(column: Column[T], item: T) -> str | int | float | bool:
    """The column's value for ``item``, a list joined with :data:`LIST_SEPARATOR`."""
    value = column.get(item)
    if column.type is list:
        return LIST_SEPARATOR.join(value)  # type: ignore[arg-type]
    return value  # type: ignore[return-value]
