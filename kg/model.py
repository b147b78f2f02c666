"""Plain data at the seams between stages.

Every record is a frozen dataclass that carries its document id and character
offsets into the *original* document text, so any stage can point back at the
words a fact came from. spaCy objects never leave :mod:`kg.nlp`.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

EntityType = Literal["Person", "State", "Organization"]
ENTITY_TYPES: tuple[EntityType, ...] = ("Person", "State", "Organization")


@dataclass(frozen=True)
class Document:
    """One article: a stable id (the file name), its text and what we know of it."""

    id: str
    text: str
    title: str = ""
    urls: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)  # slots: a corpus holds one per token (~30% less memory)
class Token:
    """One GiNZA token, reduced to what the rule stages read.

    ``head`` is a document-level token index; ``bunsetu`` is GiNZA's B/I label,
    so rules can work on bunsetu (phrase) units without spaCy.
    """

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    bunsetu: str


@dataclass(frozen=True)
class NerSpan:
    """A span GiNZA's NER labelled, with its Extended Named Entity label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class ParsedDoc:
    """Everything the rule stages need from GiNZA for one document.

    This is what the map step produces and what the cache stores: re-running
    entity or relation rules never needs the parser again.
    """

    doc_id: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    #: GiNZA's own NER (Extended Named Entity labels); empty when its ``ner`` pipe is left out.
    ents: tuple[NerSpan, ...]
    #: kg's trained NER head (:mod:`kg.ner`): PERSON, ORG, LOC, FAC, PRODUCT, EVENT.
    spans: tuple[NerSpan, ...] = ()


@dataclass(frozen=True, slots=True)  # slots: a graph holds one per sentence and fact, a mention per name
class Evidence:
    """Where a fact was read: a span of one sentence of one document, and how that sentence tells it.

    ``modality`` is the sentence's (asserted, reported, planned…; see
    :mod:`kg.modality`): one relation can be planned in one sentence and
    asserted in the next.
    """

    doc: str
    start: int
    end: int
    sentence: str
    modality: str = "asserted"
    #: The sentence's date, resolved against its document's (ISO 8601: ``2025-08-15``,
    #: ``2025-08``, ``2025-10-16/2025-10-30``), or "" when it writes none that resolves.
    date: str = ""
    #: That date as the sentence writes it (``15日``, ``先月``, ``2週間以内``).
    date_text: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A surface form of an entity in a document.

    ``source`` says which rule produced it (``ner``, ``lexicon``, ``compound``…);
    ``position`` holds a title glued to a person's name (トランプ大統領 → 大統領)
    and ``affiliation`` the state or organization id inside that title
    (トランプ米大統領 → usa); ``link`` is the group key of a mention this one
    stands in apposition to (北大西洋条約機構(NATO)), so the two become one entity;
    ``role`` a title that means membership (亀田選手 → 選手) and ``former`` a
    title held no more (トランプ前大統領).
    """

    doc: str
    start: int
    end: int
    text: str
    type: EntityType
    ene: str = ""
    source: str = "ner"
    key: str = ""
    position: str = ""
    affiliation: str = ""
    link: str = ""
    #: A title that says membership rather than a position (選手, 社員, 記者).
    role: str = ""
    #: The title is a former one (元大統領, 前首相).
    former: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world thing: a node of the graph.

    ``centrality`` (degree centrality, 0 to 1), ``weighted_degree`` (evidence
    sentences of its links) and ``community`` (Leiden, ``-1``: none) are
    filled in at build time by :mod:`kg.analytics`.
    """

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...]
    mentions: int
    docs: tuple[str, ...]
    wikidata: str | None = None
    centrality: float = 0.0
    weighted_degree: int = 0
    community: int = -1


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed edge between two entities, with every sentence that supports it."""

    subject: str
    predicate: str
    object: str
    evidence: tuple[Evidence, ...]
    rule: str
    score: float = 0.0
    position: str = ""
    symmetric: bool = False
    modality: str = "asserted"
    #: Ids of the event nodes this edge belongs to (a met_with edge and its summit).
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A relation between two mentions, read from one sentence by one rule."""

    subject: Mention
    predicate: str
    object: Mention
    rule: str
    sentence: tuple[int, int]
    position: str = ""
    modality: str = "asserted"


@dataclass(frozen=True)
class DocRecord:
    """What the map step keeps of one parsed document: all the reduce needs, and no tokens.

    ``mentions`` are found and resolved within the document; ``candidates``
    the relation rules read from it; ``bounds`` the token boundaries (start,
    end, start, end, … as a compact ``array('i')``), so the reduce can look
    for a name found elsewhere without the parse.
    """

    doc_id: str
    #: Sentence spans, sorted (a :class:`kg.spans.SpanArray` when made by the map step: 8 bytes a sentence).
    sentences: Sequence[tuple[int, int]]
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    bounds: array = field(default_factory=lambda: array("i"), compare=False)  # type: ignore[type-arg]
    #: The event words some candidates were told with, and what the parse ties to them (:mod:`kg.eventcues`).
    cues: tuple[EventCue, ...] = ()


@dataclass(frozen=True, slots=True)
class EventCue:
    """The event word a relation candidate was told with, and the date, place and order the parse ties to it.

    Read in the map step (it needs the parse), so the reduce can make event
    nodes without tokens. ``candidate`` is the index of the candidate in its
    record; ``start``/``end`` the event phrase (米露首脳会談); ``date`` the
    span of the date expression that modifies the event (8月15日に…持たれた会談),
    resolved in the reduce against the document's date; ``place`` the span of
    the place it happened at (アンカレッジで) and ``place_core`` the place name
    itself; ``ordinal`` its number in a series (第二回目 → 2); ``tense`` what a
    clause on the event word itself says (``held``: 行われた会談, ``planned``:
    予定される会談, ``cancelled``: 会談を中止), ``clause`` when the event is a
    verb or carried by one (会談した, 会談を行う: the candidate's modality
    tells), or "" for a bare noun phrase (第二回米露首脳会談の意義), which
    names an event without saying whether it took place.
    """

    candidate: int
    kind: str
    start: int
    end: int
    text: str
    date: tuple[int, int] | None = None
    place: tuple[int, int] | None = None
    place_text: str = ""
    place_core: str = ""
    ordinal: int = 0
    tense: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """An event node: a meeting, summit, call, talks, attack, sanction or agreement the text tells.

    One node per event, however many sentences and articles tell it (第一回米露首脳会談,
    アラスカでの首脳会談, 8月15日の会談). ``participants`` are entity ids;
    ``date`` an ISO 8601 value (a day, a month or an interval) and
    ``date_text`` how a sentence writes it; ``place`` as written
    (アラスカ州アンカレッジ: places are text, not entities); ``modality`` is
    ``held``, ``planned`` or ``cancelled``; ``relations`` the (subject,
    predicate, object) keys of the binary edges it explains; ``words`` the
    phrases the text calls it by.
    """

    id: str
    kind: str
    label: str
    participants: tuple[str, ...]
    date: str
    date_text: str
    place: str
    modality: str
    evidence: tuple[Evidence, ...]
    relations: tuple[tuple[str, str, str], ...] = ()
    words: tuple[str, ...] = ()
    ordinal: int = 0
    #: The first and last day ``date`` covers (``2025-08`` → ``2025-08-01``, ``2025-08-31``), or "".
    first_day: str = ""
    last_day: str = ""


class GraphData(Protocol):
    """What a graph is made of, for the code below :class:`kg.graph.KnowledgeGraph` that reads it (kg.rdf)."""

    @property
    def documents(self) -> Sequence[Document]: ...

    @property
    def entities(self) -> Sequence[Entity]: ...

    @property
    def relations(self) -> Sequence[Relation]: ...

    @property
    def events(self) -> Sequence[Event]: ...

    @property
    def dates(self) -> Mapping[str, Any]: ...
