"""Events and time, in the reduce: dated evidence, and one event node per meeting, attack, agreement…

Two jobs, both on plain data (records, relations, the documents' date
expressions from :mod:`kg.timex`), never on tokens:

1. **Dated evidence.** Every evidence sentence of every relation gets the date
   it is about (:func:`date_evidence`): the date the parse tied to the
   relation's event word where there is one (:mod:`kg.eventcues`), else the
   sentence's date (:func:`kg.timex.sentence_date`), resolved against the
   document's date, with the text as written.
2. **Event nodes.** Each cue of the map step, with the entities its candidate
   resolved to, is an *event mention* (:func:`event_mentions`): a kind, the
   participants, a date, a place, an ordinal, a modality. Mentions that tell
   the same event in several sentences and articles are clustered into one
   node (:func:`cluster`): same or compatible kind (a summit is a meeting),
   participants that overlap in at least two sides (a president stands for
   his state: トランプ・プーチン and 米・露 are one pair), and no conflicting
   date, place or ordinal, plus something positive in common: the same day,
   the same ordinal, the same place, or (for a mention with none of these) the
   same article when only one event there fits. A cluster with no date, place
   or ordinal at all is not made a node: too little says which event it is.

Precision first: a date, a place, a merge is taken only where the text ties it
to the event; what is unsure stays apart or undated.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date

from kg.eventkinds import EventVocabulary, default_vocabulary
from kg.modality import FACTUAL, strongest
from kg.model import (
    Candidate,
    DocRecord,
    Entity,
    Event,
    EventCue,
    Evidence,
    Mention,
    Relation,
)
from kg.predicates import symmetric_predicates
from kg.timex import DocDate, TimeExpr, day_span, interval, sentence_date

#: Event modalities, as the issue's graph shows them.
HELD, PLANNED, CANCELLED = "held", "planned", "cancelled"
EVENT_MODALITIES = (HELD, PLANNED, CANCELLED)
#: Relation modalities that say an event is still to come.
_TO_COME = frozenset({"planned", "possible"})
#: The predicate whose State objects stand for a person's side (トランプ → the US).
_POSITION = "holds_position_in"
#: Characters within which an undated, unplaced mention of an article is taken for the event
#: told nearby (a long article tells many events: 協議する中で, 10,000 characters away, is another).
NEARBY = 1000
#: Participant labels named in an event's label before "…".
_LABEL_PARTICIPANTS = 4


@dataclass(frozen=True)
class EventMention:
    """One sentence telling one event: what the map step's cue and the resolved entities say."""

    doc: str
    sentence: tuple[int, int]
    start: int
    end: int
    text: str
    kind: str
    participants: frozenset[str]
    relations: frozenset[tuple[str, str, str]]
    date: TimeExpr | None
    place: str
    place_core: str
    ordinal: int
    #: held, planned, cancelled, or "" (a noun phrase that names the event without saying).
    vote: str
    #: The strongest relation modality read in the sentence (for the evidence).
    modality: str

    @property
    def span(self) -> tuple[date, date] | None:
        """First and last day of the resolved date, or None."""
        return self.date.interval if self.date is not None else None


# --- dates of documents and sentences -----------------------------------------------------------

def date_evidence(relations: Iterable[Relation], times: Mapping[str, Sequence[TimeExpr]],
                  event_dates: Mapping[tuple[str, int, int, str, str, str], TimeExpr] | None = None,
                  ) -> list[Relation]:
    """The relations with each evidence sentence dated: the event's date there, else the sentence's.

    ``event_dates`` maps (doc, start, end, subject, predicate, object) of an
    evidence to the date the parse tied to its event word; elsewhere the
    sentence's own date (:func:`~kg.timex.sentence_date`) is used. The text is
    kept even when the date does not resolve (``8月15日`` in an undated article).
    """
    event_dates = event_dates or {}
    # A sentence is the evidence of many pairs: it is dated once, and equal evidence is one object.
    by_sentence: dict[Evidence, Evidence] = {}
    out = []
    for rel in relations:
        evidence = []
        for ev in rel.evidence:
            expr = event_dates.get((ev.doc, ev.start, ev.end, rel.subject, rel.predicate, rel.object))
            if expr is not None:
                evidence.append(_dated(ev, expr))
                continue
            if ev not in by_sentence:
                by_sentence[ev] = _dated(ev, sentence_date(times.get(ev.doc, ()), (ev.start, ev.end)))
            evidence.append(by_sentence[ev])
        same = all(new is old for new, old in zip(evidence, rel.evidence))
        out.append(rel if same else replace(rel, evidence=tuple(evidence)))
    return out


def _dated(evidence: Evidence, expr: TimeExpr | None) -> Evidence:
    return evidence if expr is None else replace(evidence, date=expr.value if expr.resolved else "",
                                                 date_text=expr.text)


# --- event mentions -------------------------------------------------------------------------------

def event_mentions(records: Sequence[DocRecord], candidates: Mapping[tuple[str, int], Candidate],
                   assignment: Mapping[Mention, str], times: Mapping[str, Sequence[TimeExpr]],
                   texts: Mapping[str, str], doc_dates: Mapping[str, DocDate | None] | None = None,
                   ) -> list[EventMention]:
    """One mention per event phrase of a sentence, with the entities of every candidate told with it.

    ``candidates`` are the (renamed) candidates by (document, index in its
    record). A hypothetical event (会談すれば) is no mention; two candidates on
    one phrase (米露首脳会談 read as US–Russia and, in the same sentence,
    トランプ–プーチン) make one mention with four participants. A plan dated
    before the day its article was written is past (:func:`settled`).
    """
    doc_dates = doc_dates or {}
    symmetric = symmetric_predicates()
    grouped: dict[tuple[str, int, int], list[tuple[EventCue, Candidate, str, str]]] = defaultdict(list)
    for record in records:
        for cue in record.cues:
            cand = candidates.get((record.doc_id, cue.candidate))
            if cand is None or cand.modality == "hypothetical":
                continue
            subject, obj = assignment.get(cand.subject), assignment.get(cand.object)
            if subject is None or obj is None or subject == obj:
                continue
            if cand.predicate in symmetric and obj < subject:
                subject, obj = obj, subject
            grouped[(record.doc_id, cue.start, cue.end)].append((cue, cand, subject, obj))
    mentions = []
    for (doc, start, end), items in sorted(grouped.items()):
        cue, cand = items[0][0], items[0][1]
        when = _expression(times.get(doc, ()), cue.date)
        said = vote(cue.tense, [c.modality for _, c, _, _ in items])
        mentions.append(EventMention(
            doc=doc, sentence=cand.sentence, start=start, end=end, text=cue.text, kind=cue.kind,
            participants=frozenset(x for _, _, s, o in items for x in (s, o)),
            relations=frozenset((s, c.predicate, o) for _, c, s, o in items),
            date=when, place=cue.place_text, place_core=cue.place_core,
            ordinal=cue.ordinal, vote=settled(said, when, doc_dates.get(doc)),
            modality=max((c.modality for _, c, _, _ in items), key=_certainty)))
    return mentions


def _certainty(modality: str) -> int:
    from kg.modality import MODALITIES

    return MODALITIES.index(modality) if modality in MODALITIES else -1


def _expression(exprs: Sequence[TimeExpr], span: tuple[int, int] | None) -> TimeExpr | None:
    """The date expression at ``span`` (found again in the document's resolved expressions)."""
    if span is None:
        return None
    start, end = span
    hits = [e for e in exprs if e.start < end and e.end > start]
    return max(hits, key=lambda e: min(e.end, end) - max(e.start, start)) if hits else None


def vote(tense: str, modalities: Iterable[str]) -> str:
    """What one mention says of the event: held, planned, cancelled, or "" (nothing).

    Words on the event itself decide first (行われた会談: held; 会談を中止:
    cancelled). A verb's clause tells through the relation's modality (会談した:
    held; 会談する予定, 会談する可能性: planned). A bare noun phrase names
    the event without saying it took place; it only says planned when its
    clause does (開催が予定される米ロ首脳会談).
    """
    if tense in EVENT_MODALITIES:
        return tense
    mods = set(modalities)
    if mods & _TO_COME and not mods & FACTUAL:
        return PLANNED
    if tense == "clause" and mods & FACTUAL:
        return HELD
    return ""


def settled(said: str, when: TimeExpr | None, written: DocDate | None) -> str:
    """A planned event dated wholly before its article was written is held: the date says it is past.

    ``18日、電話会談を行い、…で合意した`` in an article of the 19th: the clause
    that chains on (行い、) has no tense of its own and reads as to come, but
    the 18th is gone. A cancelled one stays cancelled.
    """
    span = when.interval if when is not None else None
    if said == PLANNED and span is not None and written is not None and span[1] < written.date:
        return HELD
    return said


# --- clustering -----------------------------------------------------------------------------------

def sides(participants: Iterable[str], affiliation: Mapping[str, str]) -> frozenset[str]:
    """The sides an event's participants stand for: a person's state, or the participant itself."""
    return frozenset(affiliation.get(p, p) for p in participants)


def affiliations(relations: Iterable[Relation], entities: Iterable[Entity]) -> dict[str, str]:
    """Person → the one state they hold a position in (トランプ → usa); persons of two states have none."""
    types = {e.id: e.type for e in entities}
    states: dict[str, set[str]] = defaultdict(set)
    for rel in relations:
        if rel.predicate == _POSITION and types.get(rel.subject) == "Person" and types.get(rel.object) == "State":
            states[rel.subject].add(rel.object)
    return {person: next(iter(s)) for person, s in states.items() if len(s) == 1}


@dataclass
class Cluster:
    """Mentions taken for one event, and what they say together (kept up to date as mentions join)."""

    mentions: list[EventMention] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    spans: list[tuple[date, date]] = field(default_factory=list)
    cores: set[str] = field(default_factory=set)
    ordinals: set[int] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)

    def add(self, m: EventMention) -> None:
        self.mentions.append(m)
        self.kinds.add(m.kind)
        self.participants |= m.participants
        if m.span is not None:
            self.spans.append(m.span)
        if m.place_core:
            self.cores.add(m.place_core)
        if m.ordinal:
            self.ordinals.add(m.ordinal)
        self.docs.add(m.doc)


def compatible(cluster: Cluster, m: EventMention, *, vocabulary: EventVocabulary,
               affiliation: Mapping[str, str], written: date | None = None) -> bool:
    """Whether a mention can tell the cluster's event: kind, participants, and no conflict of date, place, order.

    ``written`` is the day the mention's article was written: what it tells as
    held cannot be an event whose date runs past it, what it tells as planned not one
    wholly before it.
    """
    if not all(vocabulary.compatible(k, m.kind) for k in cluster.kinds):
        return False
    if written is not None and cluster.spans and (
            m.vote == HELD and any(s[1] > written for s in cluster.spans)
            or m.vote == PLANNED and all(s[1] < written for s in cluster.spans)):
        return False
    ours = cluster.participants
    if len(ours & m.participants) < 2 and len(sides(ours, affiliation) & sides(m.participants, affiliation)) < 2:
        return False
    span = m.span
    for other in cluster.spans if span is not None else ():
        if other[1] < span[0] or span[1] < other[0]:
            return False  # 15 August and 17 October; August and October
    if m.ordinal and cluster.ordinals and m.ordinal not in cluster.ordinals:
        return False
    same_order = bool(m.ordinal) and m.ordinal in cluster.ordinals
    return not (m.place_core and cluster.cores and m.place_core not in cluster.cores and not same_order)


def link(cluster: Cluster, m: EventMention) -> int | None:
    """How strongly a compatible mention is tied to the cluster (0 strongest), or None if by nothing.

    0: the same day or the same ordinal; 1: a date within the other (August and
    15 August); 2: the same place; 3: the same article, within :data:`NEARBY`
    characters, for a mention with no date of its own (:func:`compatible` has
    made sure nothing else conflicts).
    """
    span = m.span
    days = [s for s in cluster.spans if s[0] == s[1]]
    if span is not None and span[0] == span[1] and span in days or m.ordinal and m.ordinal in cluster.ordinals:
        return 0
    if span is not None and cluster.spans:
        return 1
    if m.place_core and m.place_core in cluster.cores:
        return 2
    if span is None and any(o.doc == m.doc and abs(o.start - m.start) <= NEARBY for o in cluster.mentions):
        return 3
    return None


def _rank(m: EventMention) -> tuple[int, str, int]:
    """Most telling mentions first: a day, another date, an ordinal, a place, nothing."""
    span = m.span
    level = 0 if span and span[0] == span[1] else 1 if span else 2 if m.ordinal else 3 if m.place_core else 4
    return level, m.doc, m.start


def cluster(mentions: Sequence[EventMention], *, vocabulary: EventVocabulary | None = None,
            affiliation: Mapping[str, str] | None = None,
            doc_dates: Mapping[str, DocDate | None] | None = None) -> list[Cluster]:
    """Mentions grouped into events, greedily, most telling first; ambiguous ties stay apart.

    A mention joins the cluster it is most strongly tied to (:func:`link`) among
    those it is :func:`compatible` with; when several are tied as strongly, it
    joins the one sharing most participants, or, tied only by the article,
    none (an undated 会談 in an article about two meetings could be either).
    """
    vocabulary = vocabulary or default_vocabulary()
    affiliation = affiliation or {}
    doc_dates = doc_dates or {}
    clusters: list[Cluster] = []
    by_side: dict[str, set[int]] = defaultdict(set)  # a side → clusters with a participant of it
    for m in sorted(mentions, key=_rank):
        near = set().union(*(by_side[x] for x in sides(m.participants, affiliation) | m.participants))
        written = day.date if (day := doc_dates.get(m.doc)) is not None else None
        ties = [(strength, n) for n in sorted(near)
                if compatible(clusters[n], m, vocabulary=vocabulary, affiliation=affiliation, written=written)
                and (strength := link(clusters[n], m)) is not None]
        best = min((s for s, _ in ties), default=None)
        chosen = [n for s, n in ties if s == best]
        if len(chosen) > 1:  # a call is likelier the call than a meeting that might have been one
            exact = [n for n in chosen if m.kind in clusters[n].kinds]
            chosen = exact or chosen
        if len(chosen) > 1 and best == 3:
            chosen = []
        if chosen:
            target = max(chosen, key=lambda n: (len(clusters[n].participants & m.participants), -n))
        else:
            target = len(clusters)
            clusters.append(Cluster())
        clusters[target].add(m)
        for x in sides(m.participants, affiliation) | m.participants:
            by_side[x].add(target)
    return clusters


# --- event nodes ------------------------------------------------------------------------------------

def make_event(c: Cluster, *, vocabulary: EventVocabulary, labels: Mapping[str, str],
               texts: Mapping[str, str], doc_dates: Mapping[str, DocDate | None]) -> Event | None:
    """The event node of a cluster, or None when nothing dates or places it."""
    mentions = sorted(c.mentions, key=lambda m: (m.doc, m.start))
    dated = [m for m in mentions if m.date is not None and m.date.resolved and m.span]
    if not dated and not c.cores and not c.ordinals:
        return None
    kind = vocabulary.narrowest(c.kinds)
    when = min(dated, key=lambda m: ((m.span[1] - m.span[0]).days, m.doc, m.start)) if dated else None  # type: ignore[index]
    place = _place(mentions)
    participants = tuple(sorted(c.participants, key=lambda p: (labels.get(p, p), p)))
    modality = _modality(mentions, doc_dates)
    date_value = when.date.value if when and when.date else ""
    first, last = day_span(date_value)
    names = [labels.get(p, p) for p in participants]
    label = vocabulary.kinds[kind].label_ja + ": " + "、".join(names[:_LABEL_PARTICIPANTS]) \
        + ("…" if len(names) > _LABEL_PARTICIPANTS else "")
    details = ", ".join(x for x in (date_value, place) if x)
    evidence = tuple(Evidence(doc=m.doc, start=m.sentence[0], end=m.sentence[1],
                              sentence=texts[m.doc][m.sentence[0]:m.sentence[1]], modality=m.modality,
                              date=m.date.value if m.date and m.date.resolved else "",
                              date_text=m.date.text if m.date else "")
                     for m in _one_per_sentence(mentions))
    key = f"{kind}|{date_value}|{'|'.join(participants)}|{mentions[0].doc}|{mentions[0].start}"
    return Event(id="ev" + hashlib.sha1(key.encode()).hexdigest()[:12], kind=kind,
                 label=label + (f" ({details})" if details else ""), participants=participants,
                 date=date_value, date_text=when.date.text if when and when.date else "", place=place,
                 modality=modality, evidence=evidence,
                 relations=tuple(sorted({r for m in mentions for r in m.relations})),
                 words=tuple(dict.fromkeys(m.text for m in mentions)),
                 ordinal=min(c.ordinals) if c.ordinals else 0, first_day=first, last_day=last)


def _one_per_sentence(mentions: Sequence[EventMention]) -> list[EventMention]:
    seen: set[tuple[str, int]] = set()
    out = []
    for m in mentions:
        if (m.doc, m.sentence[0]) not in seen:
            seen.add((m.doc, m.sentence[0]))
            out.append(m)
    return out


def _place(mentions: Sequence[EventMention]) -> str:
    """The place most mentions name (by its core name), as the first of them writes it."""
    cores = Counter(m.place_core for m in mentions if m.place_core)
    if not cores:
        return ""
    core = max(cores, key=lambda k: (cores[k], -min(n for n, m in enumerate(mentions) if m.place_core == k)))
    return next(m.place for m in mentions if m.place_core == core)


def _modality(mentions: Sequence[EventMention], doc_dates: Mapping[str, DocDate | None]) -> str:
    """held if any sentence tells it took place; else cancelled, else planned; with no word either
    way, by its date against the articles' dates (before them: held)."""
    votes = {m.vote for m in mentions}
    for modality in (HELD, CANCELLED, PLANNED):
        if modality in votes:
            return modality
    for m in mentions:
        written = doc_dates.get(m.doc)
        if m.span is not None and written is not None:
            return HELD if m.span[1] < written.date else PLANNED
    return HELD


def find_events(mentions: Sequence[EventMention], *, texts: Mapping[str, str], entities: Sequence[Entity],
                relations: Sequence[Relation], doc_dates: Mapping[str, DocDate | None],
                vocabulary: EventVocabulary | None = None) -> list[Event]:
    """The event nodes of a corpus's mentions, in a stable order (by date, then id); undated ones last."""
    vocabulary = vocabulary or default_vocabulary()
    groups = cluster(mentions, vocabulary=vocabulary, affiliation=affiliations(relations, entities),
                     doc_dates=doc_dates)
    labels = {e.id: e.label for e in entities}
    events = [e for g in groups if (e := make_event(g, vocabulary=vocabulary, labels=labels, texts=texts,
                                                     doc_dates=doc_dates)) is not None]
    return sorted(events, key=lambda e: (day_span(e.date)[0] or "9999", e.id))


def link_relations(relations: Sequence[Relation], events: Sequence[Event]) -> list[Relation]:
    """Each relation with the ids of the events it belongs to."""
    by_key: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for event in events:
        for key in event.relations:
            by_key[key].append(event.id)
    return [replace(r, events=tuple(by_key[(r.subject, r.predicate, r.object)]))
            if (r.subject, r.predicate, r.object) in by_key else r for r in relations]


def planned_by_name(relations: Sequence[Relation], told: Sequence[EventMention],
                    events: Sequence[Event]) -> list[Relation]:
    """Relations a sentence tells only by an event's name take the event's plan: still to come.

    第二回米露首脳会談の意義 names the second summit without saying whether it
    took place; the sentences that do say (…開催する予定) made the event planned,
    so the relation this headline yields is planned too, not a fact. A sentence
    that tells the event with a verb keeps what its verb says.
    """
    planned = {(ev.doc, ev.start) for e in events if e.modality == PLANNED for ev in e.evidence}
    keys = {key for e in events if e.modality == PLANNED for key in e.relations}
    named = {(m.doc, m.sentence[0], key) for m in told if m.vote == "" and (m.doc, m.sentence[0]) in planned
             for key in m.relations if key in keys}
    if not named:
        return list(relations)
    out = []
    for r in relations:
        key = (r.subject, r.predicate, r.object)
        evidence = tuple(replace(ev, modality="planned") if ev.modality == "asserted" and (ev.doc, ev.start, key)
                         in named else ev for ev in r.evidence)
        out.append(replace(r, evidence=evidence, modality=strongest(e.modality for e in evidence))
                   if evidence != r.evidence else r)
    return out


def event_dates_of(events_mentions: Iterable[EventMention]) -> dict[tuple[str, int, int, str, str, str], TimeExpr]:
    """(doc, sentence start, end, subject, predicate, object) → the date the parse tied to the event there."""
    out: dict[tuple[str, int, int, str, str, str], TimeExpr] = {}
    for m in events_mentions:
        if m.date is None:
            continue
        for s, p, o in m.relations:
            out.setdefault((m.doc, *m.sentence, s, p, o), m.date)
    return out


def within(event: Event, first: str | date, last: str | date) -> bool:
    """Whether an event's date overlaps the days ``first`` to ``last`` (ISO strings or dates)."""
    span = interval(event.date) if event.date else None
    if span is None:
        return False
    lo = first if isinstance(first, date) else date.fromisoformat(first)
    hi = last if isinstance(last, date) else date.fromisoformat(last)
    return span[0] <= hi and lo <= span[1]


def event_dict(event: Event) -> dict[str, object]:
    """An event as plain JSON: its fields, with ``first_day``/``last_day`` of its date for filtering."""
    first, last = day_span(event.date)
    return {"id": event.id, "kind": event.kind, "label": event.label, "participants": list(event.participants),
            "date": event.date, "date_text": event.date_text, "first_day": first, "last_day": last,
            "place": event.place, "modality": event.modality, "ordinal": event.ordinal, "words": list(event.words),
            "relations": [list(r) for r in event.relations],
            "evidence": [asdict(e) for e in event.evidence]}
