"""The relation stage: edges between entities, each with the sentences behind it.

Co-occurrence: two entities mentioned in the same sentence get an undirected
edge, counted per sentence, scored by pointwise mutual information over
sentences so that pairs that appear together everywhere do not drown the
informative ones.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from kg.model import Evidence, Mention, ParsedDoc, Relation

COOCCURS = "cooccurs_with"


def sentence_of(parsed: ParsedDoc, start: int) -> tuple[int, int] | None:
    """The sentence span containing offset ``start``, if any (binary search)."""
    sents = parsed.sentences
    lo, hi = 0, len(sents)
    while lo < hi:
        mid = (lo + hi) // 2
        if sents[mid][1] <= start:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sents) and sents[lo][0] <= start < sents[lo][1]:
        return sents[lo]
    return None


def cooccurrences(
    parsed_docs: Sequence[ParsedDoc],
    texts: Mapping[str, str],
    mentions: Iterable[Mention],
    assignment: Mapping[Mention, str],
    *,
    min_count: int = 1,
) -> list[Relation]:
    """Sentence co-occurrence edges, each carrying every sentence as evidence."""
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc].append(mention)
    parsed_by_id = {p.doc_id: p for p in parsed_docs}
    evidence: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    entity_sentences: dict[str, int] = defaultdict(int)
    n_sentences = 0
    for doc_id, doc_mentions in sorted(by_doc.items()):
        parsed = parsed_by_id[doc_id]
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
