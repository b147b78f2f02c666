"""The relation stage as a whole: user rule files, evidence of the seed build, co-occurrence windows.

Each rule alone, with its exact output, is tested in ``tests/test_rules.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.entities import resolve
from kg.errors import ConfigError
from kg.lexicon import load_lexicon
from kg.mentions import find_mentions
from kg.nlp import parse_text
from kg.relations import cooccurrences, typed_relations
from kg.rules import default_rules, find_candidates, load_rules

LEX = load_lexicon()


@pytest.fixture(scope="module")
def triples(nlp):  # type: ignore[no-untyped-def]
    """Sentence → set of (subject label-or-alias, predicate, object, position) via the whole stage."""
    def run(text: str, rules=None) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
        rules = rules or default_rules()
        parsed = parse_text(text, doc_id="t", nlp=nlp)
        mentions = find_mentions(parsed, text, lexicon=LEX)
        entities, assignment = resolve(mentions, lexicon=LEX)
        name = {}
        for m, eid in assignment.items():
            name.setdefault(eid, m.text)
        relations = typed_relations(find_candidates(parsed, text, mentions, rules=rules), assignment,
                                    {"t": text}, rules=rules)
        for r in relations:
            assert all(text[e.start:e.end] == e.sentence for e in r.evidence)
        return {(name[r.subject], r.predicate, name[r.object], r.position) for r in relations}
    return run


def test_user_rule_file_adds_a_relation(triples, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "visit", "predicate": "met_with",
                                           "triggers": ["訪問"], "subject": ["が", "は"], "object": ["を"]}]},
                               ensure_ascii=False), encoding="utf-8")
    sentence = "マクロン大統領はドイツを訪問した。"
    assert not any(p == "met_with" for _, p, _, _ in triples(sentence))
    assert any(p == "met_with" for _, p, _, _ in triples(sentence, rules=load_rules(path)))


def test_unknown_rule_name_lists_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown relation rule nope; valid rules: .*meeting.*title_affiliation"):
        default_rules().only(["nope"])


def test_seed_graph_relations_carry_evidence(seed_graph) -> None:  # type: ignore[no-untyped-def]
    texts = {d.id: d.text for d in seed_graph.documents}
    putin, russia, trump = seed_graph.find("プーチン"), seed_graph.find("ロシア"), seed_graph.find("トランプ")
    assert putin and russia and trump
    held = [r for r in seed_graph.relations_of(putin.id, predicate="holds_position_in") if r.object == russia.id]
    assert held and "大統領" in held[0].position
    met = [r for r in seed_graph.relations_of(trump.id, predicate="met_with") if putin.id in (r.subject, r.object)]
    assert met and met[0].symmetric and len(met[0].evidence) >= 2
    for r in seed_graph.relations:
        assert r.evidence, r
        for ev in r.evidence:
            assert texts[ev.doc][ev.start:ev.end] == ev.sentence


def test_paragraph_window_links_more_pairs(seed_build) -> None:  # type: ignore[no-untyped-def]
    graph, _ = seed_build
    mentions = [m for m, _ in graph.mentions]
    assignment = dict(graph.mentions)
    texts = {d.id: d.text for d in graph.documents}
    from kg.model import ParsedDoc
    empty = [ParsedDoc(d.id, (), (), ()) for d in graph.documents]
    para = cooccurrences(empty, texts, mentions, assignment, window="paragraph")
    sent = [r for r in graph.relations if r.predicate == "cooccurs_with"]
    assert len(para) > len(sent)
    with pytest.raises(ValueError, match="window must be one of sentence, paragraph"):
        cooccurrences(empty, texts, mentions, assignment, window="page")
