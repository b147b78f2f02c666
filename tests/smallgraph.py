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
