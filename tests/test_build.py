"""End to end on the seed corpus with real GiNZA: nodes, edges with evidence, outputs, cache."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal
from rdflib.namespace import SDO

import kg
from kg.nlp import parse_text

from .conftest import CORPUS, ROOT


def test_seed_graph_has_the_main_actors_with_the_right_types(seed_graph: kg.KnowledgeGraph) -> None:
    expected = {"トランプ": "Person", "プーチン": "Person", "ロシア": "State"}
    for name, kind in expected.items():
        entity = seed_graph.find(name)
        assert entity is not None, name
        assert entity.type == kind
        assert entity.mentions >= 5
    usa = seed_graph.find("米国") or seed_graph.find("アメリカ")
    assert usa is not None and usa.type == "State"


def test_cooccurrence_edges_carry_sentence_evidence(seed_graph: kg.KnowledgeGraph) -> None:
    texts = {d.id: d.text for d in seed_graph.documents}
    trump, putin = seed_graph.find("トランプ"), seed_graph.find("プーチン")
    assert trump and putin
    edges = [r for r in seed_graph.relations_of(trump.id, predicate="cooccurs_with")
             if putin.id in (r.subject, r.object)]
    assert len(edges) == 1
    for ev in edges[0].evidence:
        assert texts[ev.doc][ev.start:ev.end] == ev.sentence
        assert "トランプ" in ev.sentence and "プーチン" in ev.sentence


@pytest.mark.slow
def test_offsets_of_a_chunked_document_map_back(nlp: object) -> None:
    text = (CORPUS / "003_89363e7e5bbeb1cc.txt").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) > 49_149  # needs more than one chunk
    parsed = parse_text(text, doc_id="003", nlp=nlp)  # type: ignore[arg-type]
    assert all(text[t.start:t.end] == t.text for t in parsed.tokens)
    assert parsed.tokens[-1].end > len(text) - 50
    assert all(text[s:e].strip() == text[s:e] for s, e in parsed.sentences)


def test_rebuild_with_unchanged_corpus_parses_nothing(seed_build, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    first, report = seed_build
    assert report.documents == 5
    again, second = kg.build([CORPUS], cache_dir=cache_dir, workers=2)
    assert (second.parsed, second.cached) == (0, 5)
    assert [e.id for e in again.entities] == [e.id for e in first.entities]


@pytest.mark.slow
def test_cli_build_writes_the_three_outputs(tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(CORPUS), "--out", str(out), "--cache", str(cache_dir)],
        capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert "documents: 5 (0 parsed, 5 from cache)" in result.stdout
    assert "entities:  Person" in result.stdout
    ttl = Graph().parse(out / "graph.ttl")
    putin = [s for s, o in ttl.subject_objects(SKOS.altLabel) if o == Literal("プーチン", lang="ja")]
    assert putin and (putin[0], RDF.type, SDO.Person) in ttl
    assert (putin[0], RDFS.label, Literal("ウラジーミル・プーチン", lang="ja")) in ttl
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert any(n["label"] == "ドナルド・トランプ" and n["type"] == "Person" and "トランプ" in n["aliases"]
               for n in data["nodes"])
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert "プーチン" in page and "vis.Network" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)  # nothing loaded from a CDN


def test_cli_missing_path_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(tmp_path / "nope")],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"kg: error: {tmp_path / 'nope'}: no such file or folder"]


@pytest.mark.slow
def test_cli_build_does_nothing_when_nothing_changed(tmp_path: Path, cache_dir: Path) -> None:
    corpus, out = tmp_path / "c", tmp_path / "out"
    corpus.mkdir()
    for name in ("001_f1a76085ec700616.txt", "004_38bd187ad446b2d2.txt"):
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text('{"ignore": []}', encoding="utf-8")

    def run(*extra: str) -> str:
        cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--cache", str(cache_dir),
               "--lexicon", str(lexicon), *extra]
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
        return result.stdout

    assert "wrote:" in run()
    assert "nothing changed since the last build" in run()
    (corpus / "new.txt").write_text("ロシアのプーチン大統領は会見した。", encoding="utf-8")
    assert "documents: 3 (1 parsed, 2 from cache)" in run()  # a new article: rebuilt, only it parsed
    (out / "graph.html").unlink()
    assert "wrote:" in run() and (out / "graph.html").exists()  # a missing output: rebuilt
    lexicon.write_text('{"ignore": ["プーチン"]}', encoding="utf-8")
    assert "wrote:" in run()  # the user's lexicon changed: rebuilt
    assert "nothing changed" in run() and "wrote:" in run("--force")
