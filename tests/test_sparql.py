"""SPARQL over builds: every worked query in queries/ returns the expected rows, on the seed build and on
a hand-made graph with typed relations; the Rows API; ``kg query`` on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import kg
from kg.analytics import with_analytics
from kg.rdf import entity_iri, serialize, statement_iri
from kg.sparql import Rows, graph_source, query_file, text_width

from .conftest import ROOT
from .smallgraph import small_graph, small_graph_with_events

QUERIES = ROOT / "queries"
SCHEMA = "https://schema.org/"

#: Exact rows of every worked query over tests/smallgraph.py.
SMALL_EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "who-met-whom": [("トランプ", "プーチン", 2)],
    "planned-meetings": [],  # every relation of the small graph is asserted; the seed test below has plans
    "positions-by-state": [("ロシア", "大統領", "プーチン", 1), ("米国", "大統領", "トランプ", 1)],
    "cooccurring-pairs": [("プーチン", "トランプ", 2, 1.25)],
    "articles-mentioning": [
        ("a.txt", "米露首脳が電話会談", 0, "ロシアのプーチン大統領は16日、トランプ米大統領と電話で会談した。"),
        ("b.txt", "ブダペストで首脳会談へ", 0, "トランプ大統領はプーチン大統領とブダペストで会談する。"),
    ],
    "centrality": [  # every entity has two neighbours; ties in IRI order
        ("NATO", SCHEMA + "Organization", 2), ("プーチン", SCHEMA + "Person", 2),
        ("ロシア", SCHEMA + "Country", 2), ("トランプ", SCHEMA + "Person", 2), ("米国", SCHEMA + "Country", 2),
    ],
}


#: Exact rows of the event queries over the small graph with its two events (a call, a planned meeting).
EVENT_EXPECTED: dict[str, list[tuple[object, ...]]] = {
    "meetings-by-month": [],  # the VALUES line asks for August 2025: the call was in October
    "events-in-range": [("2025-10-16", "2025-10-16", "電話会談: トランプ、プーチン (2025-10-16)", "トランプ、プーチン", None,
                         "held")],  # the planned meeting has no date: in no range
}


def run_worked(graph: kg.KnowledgeGraph, name: str) -> Rows:
    rows = graph.sparql((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    assert isinstance(rows, Rows)
    return rows


def test_every_worked_query_is_tested_and_documented() -> None:
    names = {p.stem for p in QUERIES.glob("*.rq")}
    assert names == set(SMALL_EXPECTED) | set(EVENT_EXPECTED) | {"provenance"}
    page = (ROOT / "docs" / "rdf-sparql.md").read_text(encoding="utf-8")
    for name in names:
        assert f"queries/{name}.rq" in page, name
    for heading in ("# RDF and SPARQL", "## `kg query`", "## `kg serve`", "## Formats", "## The ontology"):
        assert heading in page


def with_figures(graph: kg.KnowledgeGraph) -> kg.KnowledgeGraph:
    """The hand-made graph with the figures a build computes (centrality.rq reads kg:degreeCentrality)."""
    return replace(graph, entities=tuple(with_analytics(graph.entities, graph.relations)))


@pytest.mark.parametrize("name", sorted(SMALL_EXPECTED))
def test_worked_query_on_a_graph_with_typed_relations(name: str) -> None:
    assert run_worked(with_figures(small_graph()), name).tuples() == SMALL_EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EVENT_EXPECTED))
def test_worked_event_query_on_a_graph_with_events(name: str) -> None:
    assert run_worked(small_graph_with_events(), name).tuples() == EVENT_EXPECTED[name]


def test_meetings_by_month_for_every_month_and_by_an_alias() -> None:
    query = (QUERIES / "meetings-by-month.rq").read_text(encoding="utf-8")
    call = [("2025-10", "2025-10-16", "電話会談: トランプ、プーチン (2025-10-16)", "トランプ", None, "held")]
    october = query.replace('("ウラジーミル・プーチン"@ja "2025-08")', '("ウラジーミル・プーチン"@ja "2025-10")')
    assert small_graph_with_events().sparql(october).tuples() == call
    every_month = query.replace('("ウラジーミル・プーチン"@ja "2025-08")', '("プーチン"@ja UNDEF)')  # as the header says
    assert small_graph_with_events().sparql(every_month).tuples() == call  # the planned meeting has no date


def test_putins_meetings_in_august_2025_are_the_alaska_summit(seed_graph: kg.KnowledgeGraph) -> None:
    """The issue's question, on the seed corpus: the first US–Russia summit, 15 August 2025, Anchorage."""
    rows = run_worked(seed_graph, "meetings-by-month").tuples()
    assert len(rows) == 1
    month, day, label, others, place, modality = rows[0]
    assert (month, day, place, modality) == ("2025-08", "2025-08-15", "米国アラスカ州のアンカレッジ", "held")
    assert str(label).startswith("首脳会談: ")
    assert set(str(others).split("、")) == {"ドナルド・トランプ", "アメリカ合衆国", "ロシア",  # and the delegates who sat in
                                           "マルコ・ルビオ", "ラブロフ", "ユーリー・ウシャコフ"}


def test_provenance_query_names_the_build() -> None:
    ((build, version, model, articles),) = run_worked(small_graph(), "provenance").tuples()
    assert build.startswith("https://w3id.org/kg-ja/id/build/")
    assert (version, articles) == (kg.__version__, 2) and model.startswith("ja_ginza==")


# ---------------------------------------------------------------- the seed build

@pytest.mark.slow
def test_seed_strongest_cooccurring_pairs(seed_graph: kg.KnowledgeGraph) -> None:
    label = {e.id: e.label for e in seed_graph.entities}
    pairs = sorted((r for r in seed_graph.relations if r.predicate == "cooccurs_with"),
                   key=lambda r: (-len(r.evidence), -r.score, str(statement_iri(r))))[:20]
    expected = [(label[r.subject], label[r.object], len(r.evidence), r.score) for r in pairs]
    rows = run_worked(seed_graph, "cooccurring-pairs").tuples()
    assert rows == expected
    assert {rows[0][0], rows[0][1]} == {"ウクライナ", "ロシア"}


def test_seed_articles_mentioning_putin_with_evidence_sentences(seed_graph: kg.KnowledgeGraph) -> None:
    putins = [e for e in seed_graph.entities if "プーチン" in (e.label, *e.aliases)]
    assert [(e.label, e.type) for e in putins] == [("ウラジーミル・プーチン", "Person")]  # one node, alias プーチン
    putin = putins[0]
    titles = {d.id: d.title or None for d in seed_graph.documents}
    expected = set()
    for doc in putin.docs:
        found = {(doc, titles[doc], ev.start, ev.sentence) for r in seed_graph.relations_of(putin.id)
                 for ev in r.evidence if ev.doc == doc}
        expected |= found or {(doc, titles[doc], None, None)}
    rows = run_worked(seed_graph, "articles-mentioning").tuples()
    assert rows == sorted(expected, key=lambda row: (row[0], row[2] or 0))
    assert len({row[0] for row in rows}) >= 3
    names = (putin.label, *putin.aliases)
    assert all(any(n in row[3] for n in names) for row in rows if row[3])


def test_seed_entities_by_degree_centrality(seed_graph: kg.KnowledgeGraph) -> None:
    g = nx.Graph()
    g.add_edges_from((r.subject, r.object) for r in seed_graph.relations if r.subject != r.object)
    types = {"Person": "Person", "State": "Country", "Organization": "Organization"}
    top = sorted(g.degree, key=lambda item: (-item[1], str(entity_iri(item[0]))))[:20]
    expected = [(seed_graph.by_id[e].label, SCHEMA + types[seed_graph.by_id[e].type], d) for e, d in top]
    assert run_worked(seed_graph, "centrality").tuples() == expected
    assert expected[0][0] == "ロシア"


def test_seed_typed_relation_queries_run(seed_graph: kg.KnowledgeGraph) -> None:
    """Typed relations arrive with the relation rules; until then these answer what the build has."""
    from kg.modality import FACTUAL

    met = [r for r in seed_graph.relations if r.predicate == "met_with"]
    assert len(run_worked(seed_graph, "who-met-whom")) == sum(r.modality in FACTUAL for r in met)
    planned = run_worked(seed_graph, "planned-meetings")
    assert len(planned) == sum(len(r.evidence) for r in met if r.modality not in FACTUAL) > 0
    assert {row["modality"] for row in planned} <= {"planned", "possible", "hypothetical"}
    rows = run_worked(seed_graph, "positions-by-state")
    assert len(rows) == sum(r.predicate == "holds_position_in" and seed_graph.by_id[r.object].type == "State"
                            for r in seed_graph.relations)


# ---------------------------------------------------------------- the Python API

def test_rows_are_dicts_of_python_values_and_a_dataframe() -> None:
    graph = small_graph()
    rows = run_worked(graph, "positions-by-state")
    assert rows.columns == ("state", "position", "person", "sentences")
    assert rows[0] == {"state": "ロシア", "position": "大統領", "person": "プーチン", "sentences": 1}
    frame = rows.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert frame["person"].tolist() == ["プーチン", "トランプ"] and frame["sentences"].sum() == 2


def test_ask_construct_and_the_store_is_built_once() -> None:
    graph = small_graph()
    assert graph.sparql("ASK { ?p kg:metWith ?q . ?q kg:metWith ?p }") is True
    assert graph.sparql("ASK { ?p kg:fights ?q }") is False
    people = graph.sparql("CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }")
    assert len(people) == 2
    assert graph_source(graph) is graph_source(graph)


def test_a_bad_query_is_one_clear_error() -> None:
    with pytest.raises(kg.KgError) as err:
        small_graph().sparql("SELECT ?x WHERE { ?x ?y }")
    assert str(err.value).startswith("SPARQL syntax error: ") and "\n" not in str(err.value)


def test_table_aligns_japanese_text() -> None:
    table = run_worked(small_graph(), "positions-by-state").to_table()
    lines = table.splitlines()
    assert lines[-1] == "(2 rows)"
    body = lines[2:-1]
    columns = {text_width(line[:line.index("大統領")]) for line in body}
    assert len(columns) == 1  # 米国 (4 columns wide) and ロシア (6) padded to the same column
    assert len({text_width(line) for line in [lines[0], *body]}) == 1  # numbers right-aligned to the edge


def test_csv_and_json_follow_the_sparql_results_formats() -> None:
    rows = run_worked(small_graph(), "who-met-whom")
    assert rows.to_csv() == "person,met,sentences\r\nトランプ,プーチン,2\r\n"
    data = json.loads(rows.to_json())
    assert data["head"]["vars"] == ["person", "met", "sentences"]
    assert data["results"]["bindings"][0]["met"] == {"type": "literal", "value": "プーチン", "xml:lang": "ja"}
    assert data["results"]["bindings"][0]["sentences"]["datatype"].endswith("#integer")


# ---------------------------------------------------------------- files and the command line

@pytest.fixture(scope="module")
def small_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("small")
    paths = {}
    for fmt in ("ttl", "nt", "jsonld", "trig"):
        paths[fmt] = out / f"graph.{fmt}"
        paths[fmt].write_bytes(serialize(small_graph(), fmt))
    return paths


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_query_any_export_file(small_files: dict[str, Path], fmt: str) -> None:
    rows = query_file(small_files[fmt], str(QUERIES / "who-met-whom.rq"))
    assert isinstance(rows, Rows) and rows.tuples() == SMALL_EXPECTED["who-met-whom"]


def kg_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


@pytest.mark.slow
def test_cli_query_prints_a_table_csv_or_json(small_files: dict[str, Path]) -> None:
    graph = str(small_files["ttl"])
    result = kg_cli("query", "queries/positions-by-state.rq", "--graph", graph)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].split() == ["state", "position", "person", "sentences"]
    assert "米国    大統領    トランプ" in result.stdout and result.stdout.endswith("(2 rows)\n")
    result = kg_cli("query", "SELECT ?name WHERE { ?e skos:altLabel ?name } ORDER BY ?name",
                    "--graph", graph, "--format", "csv")
    assert result.stdout.splitlines() == ["name", "ウラジーミル・プーチン", "北大西洋条約機構", "米", "露"]
    result = kg_cli("query", "ASK { ?a kg:memberOf ?b }", "--graph", graph, "--format", "json")
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


@pytest.mark.slow
def test_cli_query_errors_are_one_line(small_files: dict[str, Path], tmp_path: Path) -> None:
    result = kg_cli("query", "SELECT ?x WHERE { ?x ?y }", "--graph", str(small_files["ttl"]))
    assert result.returncode == 1
    assert result.stderr.startswith("kg: error: SPARQL syntax error: ") and len(result.stderr.splitlines()) == 1
    result = kg_cli("query", "nope.rq", "--graph", str(small_files["ttl"]))
    assert result.stderr == "kg: error: nope.rq: no such query file\n"
    missing = tmp_path / "graph.ttl"
    result = kg_cli("query", "ASK {}", "--graph", str(missing))
    assert result.stderr == f"kg: error: {missing}: no such file: run `kg build` first or give --graph PATH\n"
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    result = kg_cli("query", "ASK {}", "--graph", str(broken))
    assert result.returncode == 1 and result.stderr.startswith(f"kg: error: {broken}: not valid Turtle")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.slow
def test_cli_build_writes_the_requested_rdf_formats(tmp_path: Path, cache_dir: Path) -> None:
    from .conftest import CORPUS

    out = tmp_path / "out"
    result = kg_cli("build", str(CORPUS), "--out", str(out), "--cache", str(cache_dir),
                    "--format", "ttl,jsonld,nt,trig")
    assert result.returncode == 0, result.stderr
    assert {p.name for p in out.iterdir() if p.name != ".kg-build.json"} == {  # the manifest: kg/manifest.py
        "graph.ttl", "graph.jsonld", "graph.nt", "graph.trig", "graph.html", "graph.json"}
    assert "graph.trig" in result.stdout
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    counts = [query_file(out / name, distinct)[0]["n"]  # type: ignore[index]
              for name in ("graph.ttl", "graph.jsonld", "graph.nt", "graph.trig")]
    assert len(set(counts)) == 1 and counts[0] > 10_000
    result = kg_cli("build", str(CORPUS), "--out", str(out), "--cache", str(cache_dir), "--format", "ttl,xml")
    assert result.returncode == 1
    assert result.stderr == ("kg: error: unknown --format xml: choose from ttl, jsonld, nt, trig, "
                             "gexf, graphml, neo4j, csv\n")


def test_seed_worked_queries_answer_the_typed_questions(seed_graph: kg.KnowledgeGraph) -> None:
    positions = {tuple(str(v) for v in row[:3]) for row in run_worked(seed_graph, "positions-by-state").tuples()}
    assert ("ロシア", "大統領", "ウラジーミル・プーチン") in positions
    assert ("アメリカ合衆国", "国務長官", "マルコ・ルビオ") in positions
    met = {frozenset(str(v) for v in row[:2]) for row in run_worked(seed_graph, "who-met-whom").tuples()}
    assert frozenset({"ドナルド・トランプ", "ウラジーミル・プーチン"}) in met
    assert frozenset({"ドナルド・トランプ", "ウォロディミル・ゼレンスキー"}) in met
