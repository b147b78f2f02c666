"""The relation stage: edges between entities, each with the sentences behind it.

- Co-occurrence: two entities mentioned in the same sentence (or paragraph)
  get an undirected edge, counted per window, scored by pointwise mutual
  information over windows so that pairs that appear together everywhere
  (ロシア–ウクライナ) do not drown the informative ones.
- Typed relations: the candidates of :mod:`kg.rules`, mapped from mentions to
  entities and merged, one relation per (subject, predicate, object) with
  every sentence that supports it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from kg.model import Evidence, Mention, ParsedDoc, Relation
from kg.predicates import COOCCURS, symmetric_predicates
from kg.rules import Candidate, RuleSet
from kg.spans import span_at

WINDOWS = ("sentence", "paragraph")


def sentence_of(parsed: ParsedDoc, start: int) -> tuple[int, int] | None:
    """The sentence span containing offset ``start``, if any."""
    return span_at(parsed.sentences, start)


def paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of the non-blank lines of a text: a news paragraph is one line."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return tuple(spans)


def cooccurrences(
    parsed_docs: Sequence[ParsedDoc],
    texts: Mapping[str, str],
    mentions: Iterable[Mention],
    assignment: Mapping[Mention, str],
    *,
    window: str = "sentence",
    min_count: int = 1,
) -> list[Relation]:
    """Co-occurrence edges per ``window`` (sentence or paragraph), each window its evidence.

    Pairs seen in fewer than ``min_count`` windows are left out.
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    parsed_by_id = {p.doc_id: p for p in parsed_docs}
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    entity_sentences: dict[str, int] = defaultdict(int)
    n_sentences = 0
    for doc_id, doc_mentions in sorted(by_doc.items()):
        parsed = parsed_by_id[doc_id]
        if window == "paragraph":
            parsed = ParsedDoc(doc_id, paragraphs(texts[doc_id]), (), ())
        n_sentences += len(parsed.sentences)
        per_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
        for mention in doc_mentions:
            sent = sentence_of(parsed, mention.start)
            if sent is not None:
                per_sentence[sent].add(assignment[mention])
        for (start, end), ids in sorted(per_sentence.items()):
            for entity in ids:
                entity_sentences[entity] += 1
            sentence = texts[doc_id][start:end]
            for a, b in combinations(sorted(ids), 2):
                evidence[(a, b)].append(Evidence(doc=doc_id, start=start, end=end, sentence=sentence))
    relations = []
    for (a, b), items in sorted(evidence.items()):
        if len(items) < min_count:
            continue
        score = pmi(len(items), entity_sentences[a], entity_sentences[b], max(n_sentences, 1))
        relations.append(Relation(subject=a, predicate=COOCCURS, object=b, evidence=tuple(items),
                                  rule="cooccurrence", score=round(score, 4), symmetric=True))
    return relations


def pmi(joint: int, count_a: int, count_b: int, total: int) -> float:
    """Pointwise mutual information of two entities over ``total`` sentences."""
    return math.log((joint * total) / (count_a * count_b))


def typed_relations(candidates: Iterable[Candidate], assignment: Mapping[Mention, str],
                    texts: Mapping[str, str], *, rules: RuleSet) -> list[Relation]:
    """Rule candidates as relations between entities, one per (subject, predicate, object).

    A symmetric predicate is stored once, subject < object. A relation read
    only under some modality (planned, possible…) keeps that modality; one
    asserted anywhere is asserted. Self-relations are dropped.
    """
    symmetric = symmetric_predicates()
    merged: dict[tuple[str, str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        subject, obj = assignment.get(c.subject), assignment.get(c.object)
        if subject is None or obj is None or subject == obj:
            continue
        if c.predicate in symmetric and obj < subject:
            subject, obj = obj, subject
        merged[(subject, c.predicate, obj)].append(c)
    relations = []
    for (subject, predicate, obj), items in sorted(merged.items()):
        evidence = sorted({Evidence(doc=c.subject.doc, start=c.sentence[0], end=c.sentence[1],
                                    sentence=texts[c.subject.doc][c.sentence[0]:c.sentence[1]]) for c in items},
                          key=lambda e: (e.doc, e.start))
        modalities = {c.modality for c in items}
        positions = sorted({c.position for c in items if c.position})
        relations.append(Relation(
            subject=subject, predicate=predicate, object=obj, evidence=tuple(evidence),
            rule=",".join(sorted({c.rule for c in items})), score=float(len(evidence)),
            position="、".join(positions), symmetric=predicate in symmetric,
            modality="asserted" if "asserted" in modalities else sorted(modalities)[0]))
    return relations
