"""Events and time on the seed corpus, end to end: the two US–Russia summits, dated evidence, every output.

The issue's test: the first summit (15 August 2025, Anchorage, held) and the second (Budapest,
only planned) come out as two event nodes with their participants, dates and modality, and the
binary met_with edges stay, linked to them.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import SDO, XSD

import kg
from kg.export.json import from_node_link, to_node_link
from kg.rdf import entity_iri, event_iri, to_rdf
from kg.extract import extract_records
from kg.timex import day_span
from kg.validate import validate
from kg.vocab import KG

from .smallgraph import small_graph_with_events


def ids(graph: kg.KnowledgeGraph, *names: str) -> set[str]:
    found = [graph.find(n) for n in names]
    assert all(found), names
    return {e.id for e in found if e is not None}


@pytest.fixture(scope="module")
def summits(seed_graph: kg.KnowledgeGraph) -> tuple[kg.model.Event, kg.model.Event]:
    us_russia = ids(seed_graph, "トランプ", "プーチン", "アメリカ合衆国", "ロシア")
    found = [e for e in seed_graph.events if e.kind == "summit" and us_russia <= set(e.participants)]
    first = [e for e in found if e.date == "2025-08-15"]
    second = [e for e in found if e.ordinal == 2]
    assert len(first) == 1 and len(second) == 1, [(e.label, e.date, e.ordinal) for e in found]
    return first[0], second[0]


def test_the_first_summit_is_one_node_dated_placed_and_held(summits, seed_graph: kg.KnowledgeGraph) -> None:  # type: ignore[no-untyped-def]
    first, _ = summits
    assert (first.date, first.date_text, first.modality, first.ordinal) == ("2025-08-15", "8月15日", "held", 1)
    assert first.place == "米国アラスカ州のアンカレッジ"
    # the two leaders and their states, and the delegates who sat in (001: アメリカ側からルビオ国務長官と…が
    # ロシア側からラブロフ外相とウシャコフ大統領補佐官が同席して; ウィトコフ is no entity of the seed graph)
    assert set(first.participants) == ids(seed_graph, "トランプ", "プーチン", "アメリカ合衆国", "ロシア",
                                          "ルビオ", "ラブロフ", "ウシャコフ")
    # told in two articles: 000 (第一回米露首脳会談, 8月15日) and 001 (…現地時間で15日…; アンカレッジ近郊で行われた…)
    assert {e.doc[:3] for e in first.evidence} == {"000", "001"}
    assert "第一回米露首脳会談" in first.words


def test_the_second_summit_is_another_node_only_planned(summits, seed_graph: kg.KnowledgeGraph) -> None:  # type: ignore[no-untyped-def]
    first, second = summits
    assert second.id != first.id
    assert (second.modality, second.ordinal, second.date) == ("planned", 2, "")
    assert "ブダペスト" in second.place
    assert set(second.participants) == ids(seed_graph, "トランプ", "プーチン", "アメリカ合衆国", "ロシア")
    assert {e.doc[:3] for e in second.evidence} == {"000"}


def test_the_binary_edges_stay_linked_to_their_events(summits, seed_graph: kg.KnowledgeGraph) -> None:  # type: ignore[no-untyped-def]
    first, second = summits
    trump, putin = ids(seed_graph, "トランプ"), ids(seed_graph, "プーチン")
    met = [r for r in seed_graph.relations_of(next(iter(trump)), predicate="met_with")
           if {r.subject, r.object} == trump | putin]
    assert len(met) == 1 and {first.id, second.id} <= set(met[0].events)
    usa_rus = [r for r in seed_graph.relations if r.predicate == "met_with"
               and {r.subject, r.object} == ids(seed_graph, "アメリカ合衆国", "ロシア")]
    assert len(usa_rus) == 1 and {first.id, second.id} <= set(usa_rus[0].events)
    assert first in seed_graph.events_of(next(iter(putin)), kind="meeting")
    assert seed_graph.events_between("2025-08-01", "2025-08-31") == [first]


def test_every_event_has_two_participants_a_kind_and_a_date_place_or_ordinal(seed_graph: kg.KnowledgeGraph) -> None:
    assert len(seed_graph.events) >= 20
    for event in seed_graph.events:
        assert len(event.participants) >= 2 and event.modality in ("held", "planned", "cancelled")
        assert event.date or event.place or event.ordinal, event.label
        assert event.evidence and all(e.sentence for e in event.evidence)
    firsts = [day_span(e.date)[0] for e in seed_graph.events if e.date]
    assert firsts == sorted(firsts)


def test_documents_are_dated_and_evidence_carries_the_date_it_is_about(seed_graph: kg.KnowledgeGraph) -> None:
    assert {k[:3]: v and (v.rule, v.date.isoformat()) for k, v in seed_graph.dates.items()} == {
        "000": ("urls", "2025-10-17"), "001": ("urls", "2025-08-16"), "002": ("urls", "2025-03-19"),
        "003": ("header", "2025-08-04"), "004": None}
    trump, putin = ids(seed_graph, "トランプ"), ids(seed_graph, "プーチン")
    (met,) = [r for r in seed_graph.relations if r.predicate == "met_with" and {r.subject, r.object} == trump | putin]
    dated = {(e.doc[:3], e.date, e.date_text) for e in met.evidence if e.date_text}
    assert ("000", "2025-10-16", "16日") in dated  # こうした中、トランプ大統領は16日、…電話で会談しました。
    assert ("002", "2025-03-19", "19日午前") in dated  # …米国東部時間の19日午前、約1時間30分に渡って会談した。
    assert ("000", "2025-10-17/2025-10-31", "2週間以内") in dated  # 「…2週間以内にも会談することになるだろう」
    undated_doc = [e for r in seed_graph.relations for e in r.evidence if e.doc.startswith("004") and e.date_text]
    # an undated article resolves only what writes its year (2022年2月12日, its 前日, 2014年), not 12日
    assert undated_doc and all(e.date[:4] in ("", "2014", "2022") for e in undated_doc)
    assert {e.date_text for e in undated_doc if not e.date} == {"11日", "12日", "14日"}


def test_the_rdf_holds_the_events_and_passes_the_shapes(summits, seed_graph: kg.KnowledgeGraph) -> None:  # type: ignore[no-untyped-def]
    first, second = summits
    g = to_rdf(seed_graph)
    node = event_iri(first.id)
    assert {RDF.type} and {KG.Summit, KG.Meeting, SDO.Event} <= set(g.objects(node, RDF.type))
    assert g.value(node, SDO.startDate) == Literal("2025-08-15", datatype=XSD.date)
    assert g.value(node, SDO.endDate) == Literal("2025-08-15", datatype=XSD.date)
    assert g.value(g.value(node, SDO.location), SDO.name) == Literal("米国アラスカ州のアンカレッジ", lang="ja")
    assert set(g.objects(node, SDO.attendee)) == {entity_iri(p) for p in first.participants}
    assert g.value(node, KG.eventModality) == Literal("held") and g.value(node, SDO.eventStatus) == SDO.EventScheduled
    assert g.value(event_iri(second.id), KG.eventModality) == Literal("planned")
    assert g.value(event_iri(second.id), SDO.startDate) is None
    assert (None, KG.event, node) in g  # the met_with statements point at it
    result = validate(g)
    assert result.conforms, result.text


def test_the_shapes_refuse_an_event_with_one_participant_or_a_half_date() -> None:
    graph = small_graph_with_events()
    assert validate(to_rdf(graph)).conforms
    lonely = replace(graph, events=(replace(graph.events[0], participants=("putin",)),))
    result = validate(to_rdf(lonely))
    assert not result.conforms and "at least two participants" in result.text
    g = to_rdf(graph)
    g.remove((event_iri("evcall"), SDO.endDate, None))
    result = validate(g)
    assert not result.conforms and "schema:startDate and schema:endDate" in result.text


def test_graph_json_and_kg_extract_carry_events_and_dates(seed_graph: kg.KnowledgeGraph, summits) -> None:  # type: ignore[no-untyped-def]
    first, _ = summits
    data = json.loads(json.dumps(to_node_link(seed_graph), ensure_ascii=False))
    assert len(data["graph"]["events"]) == len(seed_graph.events)
    docs = {d["id"][:3]: d for d in data["graph"]["documents"]}
    assert (docs["001"]["date"], docs["001"]["date_rule"], docs["001"]["date_text"]) == ("2025-08-16", "urls", "20250816")
    assert docs["004"]["date"] is None
    back = from_node_link(data)
    assert back.events == tuple(seed_graph.events) and back.dates == dict(seed_graph.dates)
    records = {r["id"][:3]: r for r in extract_records(seed_graph)}
    told = [e for e in records["001"]["events"] if e["id"] == first.id]
    assert told and {ev["doc"][:3] for ev in told[0]["evidence"]} == {"001"}  # only that article's sentences
    assert (told[0]["first_day"], told[0]["last_day"], told[0]["modality"]) == ("2025-08-15", "2025-08-15", "held")
    assert records["004"]["date"] is None and records["003"]["date_rule"] == "header"


def test_kg_extract_prints_events(tmp_path: Path, cache_dir: Path) -> None:
    from kg.cli import main

    out = tmp_path / "x.jsonl"
    assert main(["extract", str(Path(__file__).resolve().parent.parent / "corpus" / "001_f1a76085ec700616.txt"),
                 "--cache", str(cache_dir), "-o", str(out)]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["date"] == "2025-08-16"
    assert [(e["kind"], e["date"]) for e in record["events"] if e["kind"] == "summit"] == [("summit", "2025-08-15")]
