"""A small hand-made KnowledgeGraph holding typed relations, for exact-row SPARQL tests.

The seed corpus only yields co-occurrence edges so far; this graph has the
typed relations the relation rules will produce (met_with, holds_position_in,
member_of), built from the kg.model dataclasses, with real offsets into its
two articles.
"""

from __future__ import annotations

from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Evidence, Relation

TEXT_A = "ロシアのプーチン大統領は16日、トランプ米大統領と電話で会談した。ロシアは北大西洋条約機構を批判した。"
TEXT_B = "トランプ大統領はプーチン大統領とブダペストで会談する。米国はNATOに加盟している。"


def _evidence(doc: str, text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(doc=doc, start=start, end=start + len(sentence), sentence=sentence)


def small_graph() -> KnowledgeGraph:
    """Two articles; プーチン, トランプ, ロシア, 米国, NATO; five typed relations and one co-occurrence."""
    a1, a2 = TEXT_A.split("。")[0] + "。", TEXT_A.split("。")[1] + "。"
    b1, b2 = TEXT_B.split("。")[0] + "。", TEXT_B.split("。")[1] + "。"
    docs = (Document(id="a.txt", text=TEXT_A, title="米露首脳が電話会談", urls=("https://example.org/a",)),
            Document(id="b.txt", text=TEXT_B, title="ブダペストで首脳会談へ", meta={"date": "2025-10-17"}))
    ev = {name: _evidence(doc, text, s) for name, (doc, text, s) in {
        "a1": ("a.txt", TEXT_A, a1), "a2": ("a.txt", TEXT_A, a2),
        "b1": ("b.txt", TEXT_B, b1), "b2": ("b.txt", TEXT_B, b2)}.items()}
    entities = (
        Entity(id="putin", label="プーチン", type="Person", aliases=("プーチン", "ウラジーミル・プーチン"),
               mentions=2, docs=("a.txt", "b.txt"), wikidata="Q7747"),
        Entity(id="trump", label="トランプ", type="Person", aliases=("トランプ",),
               mentions=2, docs=("a.txt", "b.txt"), wikidata="Q22686"),
        Entity(id="russia", label="ロシア", type="State", aliases=("ロシア", "露"),
               mentions=2, docs=("a.txt",)),
        Entity(id="usa", label="米国", type="State", aliases=("米国", "米"), mentions=2, docs=("a.txt", "b.txt")),
        Entity(id="nato", label="NATO", type="Organization", aliases=("NATO", "北大西洋条約機構"),
               mentions=2, docs=("a.txt", "b.txt")),
    )
    relations = (
        Relation("putin", "holds_position_in", "russia", (ev["a1"],), rule="title_of_state", position="大統領"),
        Relation("trump", "holds_position_in", "usa", (ev["a1"],), rule="title_of_state", position="大統領"),
        Relation("trump", "met_with", "putin", (ev["a1"], ev["b1"]), rule="meeting_verb", symmetric=True),
        Relation("usa", "member_of", "nato", (ev["b2"],), rule="membership"),
        Relation("russia", "criticizes", "nato", (ev["a2"],), rule="criticism"),
        Relation("putin", "cooccurs_with", "trump", (ev["a1"], ev["b1"]), rule="cooccurrence",
                 score=1.25, symmetric=True),
    )
    return KnowledgeGraph(documents=docs, entities=entities, relations=relations)


def small_graph_with_events() -> KnowledgeGraph:
    """The small graph with dated evidence, its articles' dates and two events.

    a.txt (written 2025-10-16): the call of the 16th, held; b.txt (2025-10-17): a meeting in
    ブダペスト, planned, undated.
    """
    from dataclasses import replace
    from datetime import date

    from kg.model import Event
    from kg.timex import DocDate

    graph = small_graph()
    relations = tuple(replace(r, evidence=tuple(replace(e, date="2025-10-16", date_text="16日")
                                                if e.doc == "a.txt" else e for e in r.evidence))
                      for r in graph.relations)
    call_evidence = next(e for e in relations[2].evidence if e.doc == "a.txt")
    plan_evidence = next(e for e in relations[2].evidence if e.doc == "b.txt")
    events = (
        Event(id="evcall", kind="phone_call", label="電話会談: トランプ、プーチン (2025-10-16)",
              participants=("putin", "trump"), date="2025-10-16", date_text="16日", place="", modality="held",
              evidence=(call_evidence,), relations=(("trump", "met_with", "putin"),), words=("会談",),
              first_day="2025-10-16", last_day="2025-10-16"),
        Event(id="evplan", kind="meeting", label="会談: トランプ、プーチン (ブダペスト)", participants=("putin", "trump"),
              date="", date_text="", place="ブダペスト", modality="planned", evidence=(plan_evidence,),
              relations=(("trump", "met_with", "putin"),), words=("会談",)),
    )
    relations = tuple(replace(r, events=("evcall", "evplan")) if r.predicate == "met_with" else r for r in relations)
    dates = {"a.txt": DocDate(date(2025, 10, 16), "metadata", "metadata", "2025-10-16", None, None),
             "b.txt": DocDate(date(2025, 10, 17), "metadata", "metadata", "2025-10-17", None, None)}
    return replace(graph, relations=relations, events=events, dates=dates)
