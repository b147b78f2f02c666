"""Relation rules on real sentences through real GiNZA, one test per rule, plus negation."""

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


def test_meeting(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("トランプ大統領はゼレンスキー大統領とも電話会談を行った。")
    assert ("ゼレンスキー", "met_with", "トランプ", "") in found or ("トランプ", "met_with", "ゼレンスキー", "") in found


def test_meeting_of_coordinated_subjects_and_compound_states(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("トランプ大統領とプーチン大統領による米露首脳会談が行われた。")
    people = {(a, b) for a, p, b, _ in found if p == "met_with"}
    assert {("トランプ", "プーチン"), ("プーチン", "トランプ")} & people
    assert {("米", "露"), ("露", "米")} & people  # compound_trigger: the two states


def test_negated_meeting_is_not_a_fact(triples) -> None:  # type: ignore[no-untyped-def]
    assert triples("トランプ大統領はプーチン大統領と会談しなかった。") == set()
    assert triples("ペスコフ報道官は、両首脳が会談したとの報道を否定した。") == set()


def test_planned_meeting_keeps_a_modality_flag(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "トランプ大統領はプーチン大統領と会談する予定だ。"
    parsed = parse_text(text, doc_id="t", nlp=nlp)
    mentions = find_mentions(parsed, text, lexicon=LEX)
    found = find_candidates(parsed, text, mentions, rules=default_rules())
    assert [c.modality for c in found if c.predicate == "met_with"] == ["planned"]


def test_agreement_through_a_genitive(triples) -> None:  # type: ignore[no-untyped-def]
    assert ("ゼレンスキー", "agrees_with", "トランプ", "") in triples(
        "ゼレンスキー大統領は、トランプ大統領からの提案を受け入れた。")


def test_support_by_the_noun_a_relative_clause_modifies(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("ウクライナのキエフ政権を支援する英仏独など北大西洋条約機構(NATO)加盟諸国は反発した。")
    assert {("英", "supports", "キエフ政権", ""), ("仏", "supports", "キエフ政権", ""),
            ("独", "supports", "キエフ政権", "")} <= found
    assert {("英", "member_of", "北大西洋条約機構", ""), ("独", "member_of", "北大西洋条約機構", "")} <= found


def test_attack_on_a_genitive_object(triples) -> None:  # type: ignore[no-untyped-def]
    assert ("ウクライナ軍", "attacks", "ロシア軍", "") in triples(
        "ウクライナ軍がロシア軍の突出部を分断することに成功した。")


def test_sanction_with_a_prefixed_abbreviation(triples) -> None:  # type: ignore[no-untyped-def]
    assert ("中国", "sanctions", "米", "") in triples("中国の対米輸出規制が強化された。")


def test_criticism_and_fighting_and_negotiation(triples) -> None:  # type: ignore[no-untyped-def]
    assert ("中国", "criticizes", "米国", "") in triples("中国は米国を批判した。")
    fights = triples("ロシア軍はウクライナ軍と交戦した。")
    assert {("ロシア軍", "fights", "ウクライナ軍", ""), ("ウクライナ軍", "fights", "ロシア軍", "")} & fights
    talks = triples("ロシアはウクライナと交渉した。")
    assert {("ロシア", "negotiates_with", "ウクライナ", ""), ("ウクライナ", "negotiates_with", "ロシア", "")} & talks


def test_alliance_compound(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("ロシアは中露同盟を結んでいる。")
    pairs = {frozenset((a, b)) for a, p, b, _ in found if p == "allied_with"}
    assert pairs & {frozenset(("中", "露")), frozenset(("中", "ロシア"))}


def test_membership_and_accession_bid(triples) -> None:  # type: ignore[no-untyped-def]
    assert ("フィンランド", "member_of", "NATO", "") in triples("フィンランドはNATOに加盟した。")
    assert ("ウクライナ", "seeks_membership", "NATO", "") in triples("米、ウクライナのNATO加盟に反対表明")


@pytest.mark.parametrize(("sentence", "expected"), [
    ("ロシアのラブロフ外相が語った。", ("ラブロフ", "holds_position_in", "ロシア", "外相")),
    ("ルビオ米国務長官が会った。", ("ルビオ", "holds_position_in", "米", "国務長官")),
    ("トランプ米大統領は述べた。", ("トランプ", "holds_position_in", "米", "大統領")),
    ("ロシア大統領府のドミトリー・ペスコフ報道官が確認した。",
     ("ドミトリー・ペスコフ", "holds_position_in", "ロシア大統領府", "報道官")),
    ("ハンガリーのオルバン首相が反発した。", ("オルバン", "holds_position_in", "ハンガリー", "首相")),
    ("共和党のレーガン大統領が提唱した。", ("レーガン", "member_of", "共和党", "大統領")),
])
def test_titles_and_affiliations(triples, sentence, expected) -> None:  # type: ignore[no-untyped-def]
    assert expected in triples(sentence)


def test_a_genitive_before_a_participant_is_not_one(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("ハンガリーのオルバン首相は、ドイツを批判した。")
    assert ("オルバン", "criticizes", "ドイツ", "") in found
    assert not any(a == "ハンガリー" and p == "criticizes" for a, p, _, _ in found)


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


def test_a_list_comma_and_latin_initials_do_not_make_participants(triples) -> None:  # type: ignore[no-untyped-def]
    found = triples("ゼレンスキー大統領は、米国のJ.D.バンス副大統領、ルビオ国務長官と会談した。")
    pairs = {frozenset((a, b)) for a, p, b, _ in found if p == "met_with"}
    assert frozenset(("ゼレンスキー", "ルビオ")) in pairs
    assert not any("米国" in pair for pair in pairs)  # 米国 modifies バンス, it did not meet anyone
