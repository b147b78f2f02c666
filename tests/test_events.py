"""kg.events and kg.eventkinds: event mentions clustered into event nodes, dated evidence, the vocabulary.

Pure functions on hand-made mentions (no GiNZA); the parse side is tests/test_eventcues.py,
the seed corpus's summits tests/test_events_seed.py.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.eventkinds import default_vocabulary, load_event_vocabulary
from kg.events import (
    EventMention,
    affiliations,
    cluster,
    compatible,
    date_evidence,
    find_events,
    link,
    link_relations,
    settled,
    sides,
    vote,
    within,
)
from kg.model import Entity, Evidence, Relation
from kg.timex import DocDate, TimeExpr, day_span, find_dates

V = default_vocabulary()
#: Persons stand for their states when events are compared (トランプ → usa, プーチン → rus).
SIDES = {"trump": "usa", "putin": "rus", "zelensky": "ukr", "rubio": "usa", "lavrov": "rus"}


def mention(doc: str = "a", start: int = 0, *, kind: str = "meeting", who: tuple[str, ...] = ("trump", "putin"),
            day: str = "", place: str = "", ordinal: int = 0, said: str = "held") -> EventMention:
    """A mention as event_mentions makes it: ``day`` an ISO value (resolved), ``place`` a core name."""
    expr = TimeExpr(start + 1, start + 4, day, "date" if len(day) == 10 else "month", day, True) if day else None
    return EventMention(doc=doc, sentence=(start, start + 40), start=start + 10, end=start + 14, text="会談",
                        kind=kind, participants=frozenset(who),
                        relations=frozenset({(min(who[:2]), "met_with", max(who[:2]))}), date=expr,
                        place=place, place_core=place, ordinal=ordinal, vote=said, modality="asserted")


# --- the vocabulary ----------------------------------------------------------------------------------

def test_the_narrowest_kind_whose_word_ends_the_phrase_wins() -> None:
    assert V.kind_of("米露首脳会談") == "summit"
    assert V.kind_of("米ロ首脳電話会談") == "phone_call"
    assert V.kind_of("会談") == "meeting"
    assert V.kind_of("会談", modifiers=["電話"]) == "phone_call"  # 電話で会談
    assert V.kind_of("無人機攻撃") == "attack"
    assert V.kind_of("会見") is None  # a press conference is no meeting
    assert V.within("summit", "meeting") and V.within("phone_call", "meeting") and not V.within("meeting", "summit")
    assert V.compatible("meeting", "summit") and not V.compatible("summit", "phone_call")
    assert V.narrowest(["meeting", "summit"]) == "summit"
    assert [k.name for k in V.lineage("summit")] == ["summit", "meeting"]


def test_every_predicate_that_makes_events_names_a_kind_of_the_vocabulary() -> None:
    from kg.predicates import event_kinds_of_predicates, predicate_table

    kinds = event_kinds_of_predicates()
    assert kinds["met_with"] == "meeting" and kinds["attacks"] == "attack" and kinds["agrees_with"] == "agreement"
    assert set(kinds.values()) <= set(V.kinds)
    assert all(predicate_table()[p].event for p in kinds)  # an event kind only on a predicate that happens


def test_a_user_vocabulary_adds_kinds_and_words(tmp_path: Path) -> None:
    extra = tmp_path / "events.json"
    extra.write_text(json.dumps({"kinds": [{"name": "visit", "class": "Visit", "broader": "meeting",
                                            "words": ["訪問"], "label_ja": "訪問"}],
                                 "cancel_words": ["凍結"]}, ensure_ascii=False), encoding="utf-8")
    vocabulary = load_event_vocabulary(extra)
    assert vocabulary.kind_of("公式訪問") == "visit" and vocabulary.within("visit", "meeting")
    assert "凍結" in vocabulary.cancel_words and "中止" in vocabulary.cancel_words
    assert vocabulary.fingerprint() != V.fingerprint()  # cached records are extracted again


@pytest.mark.parametrize(("data", "message"), [
    ({"kinds": [{"name": "Visit", "class": "Visit", "words": ["訪問"]}]}, "bad kind name 'Visit'"),
    ({"kinds": [{"name": "visit", "class": "Visit", "words": []}]}, "'words' must be a non-empty list"),
    ({"kinds": [{"name": "visit", "class": "Visit", "words": ["訪問"], "broader": "trip"}]},
     "broader kind 'trip' is not declared"),
    ({"holding_verbs": "行う"}, "holding_verbs must be a list of strings"),
    ({"kind": []}, "unknown field 'kind'"),
])
def test_a_bad_user_vocabulary_is_one_line_naming_the_fix(tmp_path: Path, data: object, message: str) -> None:
    bad = tmp_path / "events.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_event_vocabulary(bad)


# --- what one mention says -------------------------------------------------------------------------

def test_a_mention_votes_by_the_words_on_the_event_then_by_its_clause() -> None:
    assert vote("held", ["planned"]) == "held"  # 8月15日に…で持たれた会談, in a sentence about a plan
    assert vote("cancelled", ["asserted"]) == "cancelled"  # 会談を中止した
    assert vote("clause", ["asserted"]) == "held"  # 会談した
    assert vote("clause", ["reported"]) == "held"
    assert vote("clause", ["planned"]) == "planned"  # 会談する予定だ
    assert vote("", ["possible"]) == "planned"  # …の方向での首脳会談になるだろう
    assert vote("", ["asserted"]) == ""  # 第二回米露首脳会談の意義: naming it says nothing


def test_a_plan_dated_before_its_article_is_past() -> None:
    day = find_dates("18日", anchor=date(2025, 3, 19))[0]
    written = DocDate(date(2025, 3, 19), "text", "urls", "20250319", 0, 8)
    assert settled("planned", day, written) == "held"  # 18日、電話会談を行い、…で合意した (written on the 19th)
    same_day = find_dates("19日", anchor=date(2025, 3, 19))[0]
    assert settled("planned", same_day, written) == "planned"  # …は19日、会談する
    assert settled("planned", None, written) == "planned" and settled("cancelled", day, written) == "cancelled"


# --- who is on which side ------------------------------------------------------------------------------

def test_persons_stand_for_the_one_state_they_hold_a_position_in() -> None:
    entities = [Entity("trump", "ドナルド・トランプ", "Person", (), 1, ("a",)),
                Entity("usa", "アメリカ合衆国", "State", (), 1, ("a",)),
                Entity("rus", "ロシア", "State", (), 1, ("a",)),
                Entity("kissinger", "キッシンジャー", "Person", (), 1, ("a",)),
                Entity("nato", "NATO", "Organization", (), 1, ("a",))]
    ev = (Evidence("a", 0, 5, "…"),)
    relations = [Relation("trump", "holds_position_in", "usa", ev, "title"),
                 Relation("kissinger", "holds_position_in", "usa", ev, "title"),
                 Relation("kissinger", "holds_position_in", "rus", ev, "title"),  # two states: neither
                 Relation("trump", "holds_position_in", "nato", ev, "title")]  # not a state
    assert affiliations(relations, entities) == {"trump": "usa"}
    assert sides({"trump", "putin", "nato"}, {"trump": "usa"}) == {"usa", "putin", "nato"}


# --- clustering ------------------------------------------------------------------------------------------

def test_the_same_pair_on_the_same_day_is_one_event_told_twice() -> None:
    states = mention("b", kind="summit", who=("usa", "rus"), day="2025-08-15", place="アンカレッジ")
    persons = mention("a", who=("trump", "putin"), day="2025-08-15")
    groups = cluster([persons, states], vocabulary=V, affiliation=SIDES)
    assert [len(g.mentions) for g in groups] == [2]  # トランプ・プーチン and 米・露 are one pair of sides


def test_another_day_another_pair_or_another_kind_is_another_event() -> None:
    first = mention("a", who=("trump", "putin"), day="2025-08-15")
    assert len(cluster([first, mention("b", who=("trump", "putin"), day="2025-10-16")], affiliation=SIDES)) == 2
    assert len(cluster([first, mention("b", who=("trump", "zelensky"), day="2025-08-15")], affiliation=SIDES)) == 2
    call = mention("b", kind="phone_call", who=("trump", "putin"), day="2025-08-15")
    summit = mention("c", kind="summit", who=("trump", "putin"), day="2025-08-15")
    assert len(cluster([summit, call], affiliation=SIDES)) == 2  # a summit is no phone call
    assert len(cluster([first, call], affiliation=SIDES)) == 1  # a meeting may have been a call


def test_an_ordinal_or_a_place_ties_undated_mentions_and_an_ordinal_beats_a_place() -> None:
    second = mention("a", 0, kind="summit", who=("usa", "rus"), place="ブダペスト", ordinal=2, said="planned")
    persons = mention("a", 500, who=("trump", "putin"), place="ブダペスト", said="planned")
    typo = mention("a", 900, kind="summit", who=("usa", "rus"), place="アンカレッジ", ordinal=2)  # トルコのアンカレッジで第二回目の…
    first = mention("a", 80, kind="summit", who=("usa", "rus"), day="2025-08-15", place="アンカレッジ", ordinal=1)
    groups = cluster([second, persons, typo, first], affiliation=SIDES)
    assert sorted(sorted(m.start + 0 for m in g.mentions) for g in groups) == [[10, 510, 910], [90]]


def test_a_date_conflict_keeps_events_apart_even_with_the_same_place() -> None:
    c = cluster([mention("a", who=("usa", "rus"), day="2025-08-15", place="アンカレッジ")], affiliation=SIDES)[0]
    assert not compatible(c, mention("b", who=("usa", "rus"), day="2025-09-01", place="アンカレッジ"),
                          vocabulary=V, affiliation=SIDES)
    august = mention("b", who=("usa", "rus"), day="2025-08")
    assert compatible(c, august, vocabulary=V, affiliation=SIDES) and link(c, august) == 1  # August holds the 15th


def test_an_undated_mention_joins_the_one_event_nearby_in_its_article_or_none() -> None:
    dated = mention("a", 0, who=("trump", "putin"), day="2025-10-16")
    bare = mention("a", 300, who=("trump", "putin"))
    far = mention("a", 5000, who=("trump", "putin"))
    other_doc = mention("b", 0, who=("trump", "putin"))
    groups = cluster([dated, bare, far, other_doc], affiliation=SIDES)
    assert sorted(len(g.mentions) for g in groups) == [1, 1, 2]
    two_calls = [dated, mention("a", 200, who=("trump", "putin"), day="2025-10-17"), bare]
    assert sorted(len(g.mentions) for g in cluster(two_calls, affiliation=SIDES)) == [1, 1, 1]  # which one? neither


def test_event_nodes_need_a_date_a_place_or_an_ordinal_and_take_the_most_specific_date() -> None:
    texts = {"a": "x" * 2000, "b": "x" * 2000}
    entities = [Entity(i, i.upper(), "Person", (), 1, ("a",)) for i in ("trump", "putin")]
    told = [mention("a", 0, day="2025-08"), mention("a", 100, day="2025-08-15", place="アンカレッジ"),
            mention("b", 0, who=("trump", "putin"))]
    events = find_events(told, texts=texts, entities=entities, relations=[], doc_dates={})
    assert len(events) == 1  # b's bare mention makes no node of its own
    (event,) = events
    assert (event.kind, event.date, event.place, event.modality) == ("meeting", "2025-08-15", "アンカレッジ", "held")
    assert (event.first_day, event.last_day) == day_span(event.date) == ("2025-08-15", "2025-08-15")
    assert event.participants == ("putin", "trump") and event.label == "会談: PUTIN、TRUMP (2025-08-15, アンカレッジ)"
    assert [e.start for e in event.evidence] == [0, 100]
    assert within(event, "2025-08-01", "2025-08-31") and not within(event, "2025-09-01", "2025-09-30")
    linked = link_relations([Relation("putin", "met_with", "trump", (), "meeting")], events)
    assert linked[0].events == (event.id,)


def test_every_evidence_sentence_carries_its_date_and_the_text_as_written() -> None:
    text = "トランプ氏は16日、会談した。プーチン氏は昨年12月の会談に触れた。会談は8月15日。"
    times = {"a": find_dates(text, anchor=date(2025, 10, 17))}
    ev = (Evidence("a", 0, 15, text[0:15]), Evidence("a", 15, 35, text[15:35]), Evidence("a", 35, 46, text[35:46]))
    (rel,) = date_evidence([Relation("putin", "met_with", "trump", ev, "meeting")], times)
    assert [(e.date, e.date_text) for e in rel.evidence] == [("2025-10-16", "16日"), ("2024-12", "昨年12月"),
                                                             ("2025-08-15", "8月15日")]
    undated = {"a": find_dates(text, anchor=None)}
    (rel,) = date_evidence([Relation("putin", "met_with", "trump", ev[2:], "meeting")], undated)
    assert (rel.evidence[0].date, rel.evidence[0].date_text) == ("", "8月15日")  # no year: the text is kept
