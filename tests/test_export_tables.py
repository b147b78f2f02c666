"""CSV tables: they load in pandas with the counts of graph.json, exact rows, and Excel's BOM."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

import kg
from kg.export.columns import DOCUMENT_COLUMNS, ENTITY_COLUMNS, EVIDENCE_COLUMNS, MENTION_COLUMNS, RELATION_COLUMNS
from kg.export.tables import TABLE_FILES, tables, write_tables
from kg.graph import KnowledgeGraph
from kg.model import Evidence, Relation

from .smallgraph import small_graph

COLUMNS = {"entities.csv": ENTITY_COLUMNS, "relations.csv": RELATION_COLUMNS, "evidence.csv": EVIDENCE_COLUMNS,
           "mentions.csv": MENTION_COLUMNS, "documents.csv": DOCUMENT_COLUMNS}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_tables_load_in_pandas_with_the_counts_of_graph_json(tmp_path: Path, seed_graph: KnowledgeGraph) -> None:
    kg.write_outputs(seed_graph, tmp_path, formats=["csv"])
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    frames = {name: pd.read_csv(tmp_path / "tables" / name, keep_default_na=False) for name in TABLE_FILES}
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(TABLE_FILES)
    for name, frame in frames.items():
        assert list(frame.columns) == [c.name for c in COLUMNS[name]], name
    assert len(frames["entities.csv"]) == len(data["nodes"]) > 100
    assert sorted(frames["entities.csv"]["id"]) == sorted(n["id"] for n in data["nodes"])
    assert len(frames["relations.csv"]) == len(data["edges"]) > 500
    weights = {f"{e['source']}|{e['predicate']}|{e['target']}": len(e["evidence"]) for e in data["edges"]}
    assert dict(zip(frames["relations.csv"]["id"], frames["relations.csv"]["weight"])) == weights
    assert len(frames["evidence.csv"]) == sum(weights.values())
    assert len(frames["documents.csv"]) == len(data["graph"]["documents"]) == 5
    assert len(frames["mentions.csv"]) == len(seed_graph.mentions) > 1000
    assert set(frames["mentions.csv"]["entity"]) <= set(frames["entities.csv"]["id"])
    assert set(frames["evidence.csv"]["relation"]) == set(frames["relations.csv"]["id"])
    assert set(frames["relations.csv"]["category"]) == {"relation", "cooccurrence"}
    assert frames["entities.csv"]["mentions"].dtype == "int64" and frames["entities.csv"]["centrality"].dtype == "float64"


def test_evidence_rows_point_at_their_sentence_in_the_document(seed_graph: KnowledgeGraph) -> None:
    texts = {d.id: d.text for d in seed_graph.documents}
    rows = _rows(tables(seed_graph)["evidence.csv"])
    for row in rows:
        assert texts[row["document"]][int(row["start"]):int(row["end"])] == row["sentence"]
    mentions = _rows(tables(seed_graph)["mentions.csv"])
    for row in mentions:
        assert texts[row["document"]][int(row["start"]):int(row["end"])] == row["text"]


def test_exact_rows_of_a_small_graph() -> None:
    out = tables(small_graph())
    entities = _rows(out["entities.csv"])
    assert entities[0] == {"id": "putin", "label": "プーチン", "type": "Person",
                           "aliases": "プーチン;ウラジーミル・プーチン", "mentions": "2", "documents": "2",
                           "wikidata": "Q7747", "centrality": "0.0", "weighted_degree": "0", "community": "-1"}
    relations = _rows(out["relations.csv"])
    assert relations[2] == {
        "id": "trump|met_with|putin", "source": "trump", "target": "putin", "predicate": "met_with",
        "category": "relation", "modality": "asserted", "weight": "2", "documents": "2", "score": "0.0",
        "rule": "meeting_verb", "position": "", "symmetric": "true",
        "evidence": "ロシアのプーチン大統領は16日、トランプ米大統領と電話で会談した。", "evidence_document": "a.txt"}
    evidence = _rows(out["evidence.csv"])
    assert [(r["relation"], r["document"], r["start"], r["end"]) for r in evidence
            if r["predicate"] == "met_with"] == [("trump|met_with|putin", "a.txt", "0", "33"),
                                                 ("trump|met_with|putin", "b.txt", "0", "27")]
    assert _rows(out["documents.csv"])[0] == {"id": "a.txt", "title": "米露首脳が電話会談",
                                              "urls": "https://example.org/a"}
    assert out["mentions.csv"] == b"document,start,end,text,entity,type,rule,position\n"  # no mentions kept


def test_commas_quotes_and_newlines_survive_a_round_trip() -> None:
    base = small_graph()
    sentence = '「米国は、NATOを\n支援する」と "述べた",'
    graph = KnowledgeGraph(documents=base.documents, entities=base.entities, relations=(
        Relation("usa", "supports", "nato", (Evidence("a.txt", 0, 5, sentence),), rule="support",
                 modality="reported"),))
    row = pd.read_csv(io.BytesIO(tables(graph)["relations.csv"]), keep_default_na=False).iloc[0]
    assert row["evidence"] == sentence and row["modality"] == "reported"


def test_bom_option_for_excel(tmp_path: Path) -> None:
    plain, marked = tables(small_graph()), tables(small_graph(), bom=True)
    for name in TABLE_FILES:
        assert marked[name] == b"\xef\xbb\xbf" + plain[name] and not plain[name].startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(marked["entities.csv"]), encoding="utf-8-sig")
    assert list(frame.columns)[0] == "id" and frame["label"][0] == "プーチン"
    write_tables(small_graph(), tmp_path, bom=True)
    assert (tmp_path / "entities.csv").read_bytes() == marked["entities.csv"]


@pytest.mark.parametrize("bom", [False, True])
def test_write_outputs_passes_the_bom_option_only_to_the_tables(tmp_path: Path, bom: bool) -> None:
    paths = kg.write_outputs(small_graph(), tmp_path, formats=["csv", "gexf"], csv_bom=bom)
    assert paths["csv"] == tmp_path / "tables" and paths["gexf"] == tmp_path / "graph.gexf"
    assert (tmp_path / "tables" / "relations.csv").read_bytes().startswith(b"\xef\xbb\xbf") is bom
    assert (tmp_path / "graph.gexf").read_bytes().startswith(b"<?xml")
