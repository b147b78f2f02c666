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

from kg.modality import strongest
from kg.model import Candidate, Evidence, Mention, Relation
from kg.predicates import COOCCURS, symmetric_predicates
from kg.rules import RuleSet
from kg.spans import span_at

WINDOWS = ("sentence", "paragraph")


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
    sentences: Mapping[str, Sequence[tuple[int, int]]],
    texts: Mapping[str, str],
    mentions: Iterable[Mention],
    assignment: Mapping[Mention, str],
    *,
    window: str = "sentence",
    min_count: int = 1,
) -> list[Relation]:
    """Co-occurrence edges per ``window`` (sentence or paragraph), each window its evidence.

    ``sentences`` holds each document's sentence spans. Pairs seen in fewer
    than ``min_count`` windows are left out.
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    entity_sentences: dict[str, int] = defaultdict(int)
    n_sentences = 0
    for doc_id, doc_mentions in sorted(by_doc.items()):
        windows = paragraphs(texts[doc_id]) if window == "paragraph" else sentences[doc_id]
        n_sentences += len(windows)
        per_sentence: dict[tuple[int, int], set[str]] = defaultdict(set)
        for mention in doc_mentions:
            sent = span_at(windows, mention.start)
            if sent is not None:
                per_sentence[sent].add(assignment[mention])
        for (start, end), ids in sorted(per_sentence.items()):
            for entity in ids:
                entity_sentences[entity] += 1
            if len(ids) < 2:
                continue
            seen = Evidence(doc=doc_id, start=start, end=end, sentence=texts[doc_id][start:end])  # one per window
            for a, b in combinations(sorted(ids), 2):
                evidence[(a, b)].append(seen)
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

    A symmetric predicate is stored once, subject < object. Each evidence
    sentence keeps the modality it was read with; the relation takes the most
    certain of them (planned in one article, asserted in the next: asserted).
    Self-relations are dropped.
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
        evidence = _evidence(items, texts)
        positions = sorted({c.position for c in items if c.position})
        relations.append(Relation(
            subject=subject, predicate=predicate, object=obj, evidence=evidence,
            rule=",".join(sorted({c.rule for c in items})), score=float(len(evidence)),
            position="、".join(positions), symmetric=predicate in symmetric,
            modality=strongest(e.modality for e in evidence)))
    return relations


def _evidence(items: Sequence[Candidate], texts: Mapping[str, str]) -> tuple[Evidence, ...]:
    """One evidence per sentence, with the most certain modality any rule read there."""
    by_span: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for c in items:
        by_span[(c.subject.doc, *c.sentence)].append(c.modality)
    return tuple(Evidence(doc=doc, start=start, end=end, sentence=texts[doc][start:end], modality=strongest(mods))
                 for (doc, start, end), mods in sorted(by_span.items()))
