"""kg.eventcues on real GiNZA parses: which event word a relation was told with, and its date, place, order.

Sentences marked ``seed NNN`` are from the project's seed corpus (corpus/); the others are
written for these tests in the style of news wires.
"""

from __future__ import annotations

import pytest

from kg.lexicon import load_lexicon
from kg.nlp import parse_text
from kg.records import extract_record, record_from_dict, record_to_dict
from kg.rules import load_rules

# sentence → [(subject, object, kind, event phrase, date as written, place, place core, ordinal, tense)]
CASES = {
    # seed 000: two summits in one sentence; the first is dated and placed by the clause on it, which
    # also says it was held; the second is placed by the verb carrying it, and numbered.
    "8月15日に米国アラスカ州のアンカレッジで持たれた第一回米露首脳会談に続き、第二回目の米露首脳会談がトランプ大統領の"
    "提案で、ハンガリーの首都・ブダペストで開催されることになった。": [
        ("米", "露", "summit", "第一回米露首脳会談", "8月15日", "米国アラスカ州のアンカレッジ", "アンカレッジ", 1, "held"),
        ("米", "露", "summit", "米露首脳会談", None, "ハンガリーの首都・ブダペスト", "ブダペスト", 2, "clause")],
    # seed 000: the 16th is the day of saying (トランプ米大統領は16日、…と述べた), not of the meeting.
    "トランプ米大統領は16日、ロシアのプーチン大統領とハンガリーの首都ブダペストで会談し、ウクライナの紛争終結について協議"
    "すると述べた。": [
        ("トランプ", "プーチン", "meeting", "会談", None, "ハンガリーの首都ブダペスト", "ブダペスト", 0, "clause")],
    # seed 002: the date hangs from a て-clause beside the meeting (…に渡って会談した).
    "トランプ大統領とプーチン大統領が米国東部時間の19日午前、約1時間30分に渡って会談した。": [
        ("プーチン", "トランプ", "meeting", "会談", "19日午前", "", "", 0, "clause")],
    # seed 004: each pair gets the event word nearest to it in the tree.
    "プーチン大統領との会談後、トランプ大統領はゼレンスキー大統領とも電話会談を行った。": [
        ("トランプ", "プーチン", "meeting", "会談", None, "", "", 0, ""),
        ("トランプ", "ゼレンスキー", "phone_call", "電話会談", None, "", "", 0, "clause")],
    # seed 003: a timeline item, its heading the date, its number after it.
    "(21) 6月4日:米ロ首脳電話会談(4回目)": [
        ("米", "ロ", "phone_call", "米ロ首脳電話会談", "6月4日", "", "", 4, "")],
    # seed 001: the summit is the topic of a date (…は現地時間で15日午前11時半ごろ、…から): the first date.
    "トランプ大統領とプーチン大統領による米露首脳会談は現地時間で15日午前11時半ごろ、日本時間の16日午前4時半ごろから。": [
        ("プーチン", "トランプ", "summit", "米露首脳会談", "15日午前11時半ごろ", "", "", 0, "clause"),
        ("米", "露", "summit", "米露首脳会談", "15日午前11時半ごろ", "", "", 0, "clause")],
    "日本の安倍晋三首相は15日、来日したオバマ米大統領と東京の首相官邸で会談した。": [
        ("安倍晋三", "オバマ", "meeting", "会談", "15日", "東京の首相官邸", "東京", 0, "clause")],
    "ロシア軍は10日、ウクライナの首都キーウを空爆した。": [
        ("ロシア軍", "ウクライナ", "attack", "空爆", "10日", "", "", 0, "clause")],
    # Wikinews wn0277 (CC BY 2.5), headline and lead parsed as one sentence: both dates hang on 合併;
    # the nearer is the merger's, the 1st the day it was agreed.
    "新生銀行とあおぞら銀行が合併へ\n新生銀行とあおぞら銀行は1日(UTC+9:以下同様)、来年10月ごろに対等合併することで合意したと発表した。": [
        ("あおぞら銀行", "新生銀行", "merger", "合併", "来年10月ごろ", "", "", 0, "clause"),
        ("あおぞら銀行", "新生銀行", "agreement", "合意", None, "", "", 0, "clause")],
    # seed 000: 電話で会談 is a call.
    "こうした中、トランプ大統領は16日、ロシアのプーチン大統領と電話で会談しました。": [
        ("トランプ", "プーチン", "phone_call", "会談", "16日", "", "", 0, "clause")],
}


@pytest.fixture(scope="module")
def setup(nlp):  # type: ignore[no-untyped-def]
    return nlp, load_lexicon(), load_rules()


def cues_of(text: str, setup) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    nlp, lexicon, rules = setup
    record = extract_record(parse_text(text, doc_id="t", nlp=nlp), text, lexicon=lexicon, rules=rules)
    out = []
    for cue in record.cues:
        cand = record.candidates[cue.candidate]
        assert text[cue.start:cue.end] == cue.text
        out.append((cand.subject.text, cand.object.text, cue.kind, cue.text,
                    text[cue.date[0]:cue.date[1]] if cue.date else None, cue.place_text, cue.place_core,
                    cue.ordinal, cue.tense))
    assert record_from_dict(record_to_dict(record), doc_id="t").cues == record.cues  # cached as it was made
    return out


@pytest.mark.parametrize("text", list(CASES))
def test_the_event_word_of_each_relation_and_what_the_parse_ties_to_it(text: str, setup) -> None:  # type: ignore[no-untyped-def]
    assert cues_of(text, setup) == CASES[text]


def test_a_relation_told_without_an_event_word_makes_no_cue(setup) -> None:  # type: ignore[no-untyped-def]
    # met_with read from 首脳 alone (米露首脳の共同会見: a press conference) is no meeting event
    text = "いずれにしても、米露首脳の共同会見は、世界が本格的な文明の多極化時代に本格突入したことを世界に向けて発信した。"
    nlp, lexicon, rules = setup
    record = extract_record(parse_text(text, doc_id="t", nlp=nlp), text, lexicon=lexicon, rules=rules)
    assert [c.predicate for c in record.candidates] == ["met_with"] and record.cues == ()
