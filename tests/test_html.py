"""kg.export.html without a browser: the data and options the page is built from."""

from __future__ import annotations

import json
import re

import kg
from kg.predicates import predicate_table
from kg.export.html import (BIG_GRAPH_NODES, OTHER_PREDICATE_COLORS, _wikidata_url, graph_view, initial_entities,
                            predicate_legend, render_html, view_data, view_meta, view_options)
from dataclasses import replace

from kg.model import Document, Entity, Evidence, Relation


def _graph(n_nodes: int = 3, *, predicates: tuple[str, ...] = ("cooccurs_with", "met_with")) -> kg.KnowledgeGraph:
    entities = [Entity(id=f"n{i}", label=f"人物{i}", type="Person", aliases=(), mentions=i + 1, docs=("d",))
                for i in range(n_nodes)]
    ev = (Evidence(doc="d", start=0, end=3, sentence="</script><!--"),)
    relations = [Relation(subject="n0", predicate=p, object="n1", evidence=ev, rule="r", symmetric=p == "cooccurs_with")
                 for p in predicates]
    return kg.KnowledgeGraph(documents=[Document(id="d", text="x", title="t")], entities=entities, relations=relations)


def test_wikidata_links_are_built_only_from_wikidata_ids() -> None:
    assert _wikidata_url("Q159") == "https://www.wikidata.org/wiki/Q159"
    assert _wikidata_url("http://www.wikidata.org/entity/Q7747") == "https://www.wikidata.org/wiki/Q7747"
    assert _wikidata_url("javascript:alert(1)//Q1x") is None
    assert _wikidata_url(None) is None and _wikidata_url("") is None


def test_predicates_and_types_come_from_the_data_typed_first() -> None:
    meta = view_meta(_graph(predicates=("met_with", "cooccurs_with", "met_with", "supports")))
    assert [(p["name"], p["count"]) for p in meta["predicates"]] == [
        ("met_with", 2), ("supports", 1), ("cooccurs_with", 1)]  # typed by count, co-occurrence last
    assert [p["typed"] for p in meta["predicates"]] == [True, True, False]
    assert [(t["name"], t["count"]) for t in meta["types"]] == [("Person", 3)]
    assert meta["modalities"] == [{"name": "asserted", "count": 4}]


def test_the_legend_reads_labels_from_the_ontology_and_knows_every_predicate() -> None:
    from kg.vocab import RELATION_PROPERTIES

    legend = predicate_legend([*RELATION_PROPERTIES, "praises"])
    colors = {p.name: p.color for p in predicate_table().values()}
    assert legend["met_with"] == {"ja": "会談した", "en": "met with", "color": colors["met_with"],
                                  "symmetric": True}
    assert legend["holds_position_in"]["ja"] == "役職に就いている" and not legend["holds_position_in"]["symmetric"]
    assert set(colors) == set(RELATION_PROPERTIES)  # a colour for each, all different
    assert len(set(colors.values())) == len(colors)
    assert legend["praises"]["ja"] == "praises" and legend["praises"]["color"] not in colors.values()
    assert not set(OTHER_PREDICATE_COLORS) & set(colors.values())  # an unknown predicate never looks like a known one


def test_evidence_sentences_are_carried_once_and_modality_travels() -> None:
    graph = _graph(predicates=("cooccurs_with", "met_with", "supports"))
    planned = kg.KnowledgeGraph(documents=graph.documents, entities=graph.entities,
                                relations=[*graph.relations[:2], replace(graph.relations[2], modality="planned")])
    data = view_data(planned, drawn={"n0", "n1"})
    assert data["sentences"] == [[0, "</script><!--", ""]]  # three relations, one sentence (no date)
    assert [r[8] for r in data["relations"]] == [[0], [0], [0]]
    assert [r[9:] for r in data["relations"]] == [[[], []]] * 3  # no dated sentence, no event
    assert [r[6] for r in data["relations"]] == ["asserted", "asserted", "planned"]
    assert [e[-1] for e in data["entities"]] == [1, 1, 0]  # drawn flags
    assert view_meta(planned)["modalities"] == [{"name": "asserted", "count": 2}, {"name": "planned", "count": 1}]


def test_big_graphs_get_the_fast_settings() -> None:
    small, big = view_options(_graph(10)), view_options(_graph(BIG_GRAPH_NODES + 1))
    assert view_options(_graph(BIG_GRAPH_NODES + 1), drawn=10) == small  # what is drawn counts
    assert small["edges"]["smooth"]["enabled"] and not big["edges"]["smooth"]["enabled"]
    assert big["layout"]["improvedLayout"] is False
    assert big["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]
    assert small["physics"]["solver"] == "forceAtlas2Based"


def test_article_text_cannot_close_the_script_it_travels_in() -> None:
    page = render_html(_graph())
    script = page[page.index('<script>\n"use strict";'):]
    assert script.count("</script>") == 1 and "<!--" not in script
    data = re.search(r"var DATA = JSON.parse\((.*)\);", script)
    assert data and json.loads(json.loads(data.group(1)))["sentences"] == [[0, "</script><!--", ""]]


def test_the_notebook_view_is_an_iframe_holding_the_page() -> None:
    view = graph_view(_graph(), height=300)
    markup = view._repr_html_()
    assert markup.startswith('<iframe srcdoc="') and "height:300px" in markup
    assert "<script" not in markup  # all of the page is escaped into the attribute


def test_a_big_graph_opens_on_its_most_central_entities(seed_graph) -> None:  # type: ignore[no-untyped-def]
    assert initial_entities(seed_graph, max_nodes=10_000) == {e.id for e in seed_graph.entities}
    first = initial_entities(seed_graph, max_nodes=10)
    ranked = sorted(seed_graph.entities, key=lambda e: (-e.centrality, -e.mentions, e.id))
    assert first == {e.id for e in ranked[:10]}
    meta = view_meta(seed_graph, drawn=first)
    assert (meta["entities"], meta["drawn"]) == (len(seed_graph.entities), 10)
    data = view_data(seed_graph, drawn=first)  # every entity and relation travels, drawn or not
    assert len(data["entities"]) == len(seed_graph.entities) and len(data["relations"]) == len(seed_graph.relations)
    assert sum(e[-1] for e in data["entities"]) == 10


def test_the_notebook_view_has_a_short_text_form(seed_graph) -> None:  # type: ignore[no-untyped-def]
    view = graph_view(seed_graph)
    text = repr(view)
    size = len(view.page.encode("utf-8")) / 1e6
    assert text == (f"<kg graph view: {len(seed_graph.entities)} entities, {len(seed_graph.relations)} relations; "
                    f"a {size:.1f} MB page (shown as HTML; .save(path) writes it)>")


def test_the_page_carries_the_view_data_written_a_few_rows_at_a_time(seed_graph, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import kg.export.html as view

    monkeypatch.setattr(view, "_ROWS", 7)  # many runs, a short last one, on the seed graph
    pieces = list(view._script_rows_pieces(view.view_rows(seed_graph, drawn=initial_entities(seed_graph))))
    found = re.search(r"var DATA = JSON.parse\((.*)\);", render_html(seed_graph))
    assert found and len(pieces) > 20 and "".join(pieces) == f"JSON.parse({found.group(1)})"  # made run by run
    data = json.loads(json.loads(found.group(1)))
    assert data == view.view_data(seed_graph, drawn=initial_entities(seed_graph))
    assert len(data["relations"]) == len(seed_graph.relations) and data["sentences"]
    assert all(0 <= n < len(data["sentences"]) for r in data["relations"] for n in r[8])
