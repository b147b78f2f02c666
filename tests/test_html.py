"""kg.export.html without a browser: the data and options the page is built from."""

from __future__ import annotations

import json
import re

import kg
from kg.export.html import (BIG_GRAPH_NODES, COOCCURS_COLOR, _wikidata_url, build_network, graph_view,
                            render_html, view_meta, view_options)
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


def test_parallel_edges_between_a_pair_bend_apart_and_none_is_dropped() -> None:
    net = build_network(_graph(predicates=("cooccurs_with", "met_with", "supports")))
    assert len(net.edges) == 3  # pyvis would merge them in an undirected Network
    assert "smooth" not in net.edges[0]
    assert [e["smooth"]["type"] for e in net.edges[1:]] == ["curvedCW", "curvedCCW"]
    assert [e["arrows"] for e in net.edges] == ["", "to", "to"]


def test_predicates_and_types_come_from_the_data() -> None:
    meta = view_meta(_graph(predicates=("met_with", "cooccurs_with", "met_with")))
    assert [p["name"] for p in meta["predicates"]] == ["cooccurs_with", "met_with"]
    assert meta["predicates"][0]["color"] == COOCCURS_COLOR
    assert [(t["name"], t["count"]) for t in meta["types"]] == [("Person", 3)]


def test_big_graphs_get_the_fast_settings() -> None:
    small, big = view_options(_graph(10)), view_options(_graph(BIG_GRAPH_NODES + 1))
    assert small["edges"]["smooth"]["enabled"] and not big["edges"]["smooth"]["enabled"]
    assert big["layout"]["improvedLayout"] is False
    assert big["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]
    assert small["physics"]["solver"] == "forceAtlas2Based"


def test_article_text_cannot_close_the_script_it_travels_in() -> None:
    page = render_html(_graph())
    script = page[page.index('<script>\n"use strict";'):]
    assert script.count("</script>") == 1 and "<!--" not in script
    data = re.search(r"var edges = new vis.DataSet\(JSON.parse\((.*)\)\);", script)
    assert data and json.loads(json.loads(data.group(1)))[0]["evidence"] == [["d", "</script><!--"]]


def test_the_notebook_view_is_an_iframe_holding_the_page() -> None:
    view = graph_view(_graph(), height=300)
    markup = view._repr_html_()
    assert markup.startswith('<iframe srcdoc="') and "height:300px" in markup
    assert "<script" not in markup  # all of the page is escaped into the attribute


def test_drawable_keeps_the_most_central_entities_and_their_edges(seed_graph) -> None:  # type: ignore[no-untyped-def]
    from kg.export.html import drawable

    same, none_out = drawable(seed_graph, max_nodes=10_000)
    assert same is seed_graph and none_out == 0
    cut, left_out = drawable(seed_graph, max_nodes=10)
    assert len(cut.entities) == 10 and left_out == len(seed_graph.entities) - 10
    kept = {e.id for e in cut.entities}
    assert {e.id for e in sorted(seed_graph.entities, key=lambda e: -e.centrality)[:5]} <= kept
    assert cut.relations and all(r.subject in kept and r.object in kept for r in cut.relations)
