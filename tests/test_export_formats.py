"""The format registry and `kg build --format`: every format written, byte-identical across builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main, make_parser
from kg.export import EXPORT_FORMATS, format_names, parse_formats, write_export
from kg.errors import KgError

from .conftest import CORPUS, ROOT
from .smallgraph import small_graph

ALL = "ttl,gexf,graphml,neo4j,csv"


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".kg-build.json"}


@pytest.mark.slow
def test_two_builds_with_every_format_are_byte_identical(tmp_path: Path, cache_dir: Path,
                                                        seed_build: object) -> None:
    # separate processes with different hash seeds, as for graph.ttl/json/html in test_kill_and_determinism
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        result = subprocess.run(
            [sys.executable, "-m", "kg", "build", str(CORPUS), "--out", str(out), "--cache", str(cache_dir),
             "--format", ALL],
            cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
            env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        outs.append(out)
    first, second = _files(outs[0]), _files(outs[1])
    assert sorted(first) == sorted([
        "graph.gexf", "graph.graphml", "graph.html", "graph.json", "graph.ttl",
        "neo4j/documents.csv", "neo4j/entities.csv", "neo4j/evidence.csv", "neo4j/evidence_in.csv",
        "neo4j/import.sh", "neo4j/load.cypher", "neo4j/mentioned_in.csv", "neo4j/relations.csv",
        "tables/documents.csv", "tables/entities.csv", "tables/evidence.csv", "tables/mentions.csv",
        "tables/relations.csv"])
    for name, data in first.items():
        assert data == second[name], name
    assert f"wrote:     {outs[1]}/graph.ttl, {outs[1]}/graph.html, {outs[1]}/graph.json, {outs[1]}/graph.gexf, " \
           f"{outs[1]}/graph.graphml, {outs[1]}/neo4j, {outs[1]}/tables" in result.stdout


@pytest.mark.slow
def test_csv_bom_from_the_command_line(tmp_path: Path, cache_dir: Path, seed_build: object) -> None:
    assert main(["build", str(CORPUS), "--out", str(tmp_path), "--cache", str(cache_dir), "--format", "csv",
                 "--csv-bom", "--quiet", "--workers", "1"]) == 0
    assert (tmp_path / "tables" / "entities.csv").read_bytes().startswith(b"\xef\xbb\xbfid,label,type,")
    assert not (tmp_path / "graph.ttl").exists()  # --format names what is written, as for RDF


def test_an_unknown_format_is_one_line_naming_the_valid_ones(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(CORPUS), "--out", str(tmp_path), "--format", "ttl,gephi", "--no-cache"]) == 1
    assert capsys.readouterr().err == (
        "kg: error: unknown --format gephi: choose from ttl, jsonld, nt, trig, gexf, graphml, neo4j, csv\n")
    assert not tmp_path.exists() or not any(tmp_path.iterdir())  # failed before building anything


def test_the_help_names_every_format() -> None:
    build = make_parser()._subparsers._group_actions[0].choices["build"]  # type: ignore[union-attr]
    text = next(a.help for a in build._actions if "--format" in a.option_strings)
    assert all(name in text for name in format_names())
    assert any("--csv-bom" in a.option_strings for a in build._actions)


def test_registry() -> None:
    assert list(EXPORT_FORMATS) == ["gexf", "graphml", "neo4j", "csv"]
    assert parse_formats(" ttl , gexf,gexf ") == ["ttl", "gexf"]
    with pytest.raises(KgError, match="unknown --format ' , ': choose from ttl"):
        parse_formats(" , ")
    with pytest.raises(KgError, match="unknown export format 'ttl': choose from gexf, graphml, neo4j, csv"):
        write_export(small_graph(), "ttl", "unused")


def test_each_format_has_a_python_function(tmp_path: Path) -> None:
    import kg.export as export

    graph = small_graph()
    assert export.write_gexf(graph, tmp_path / "a.gexf").stat().st_size > 1000
    assert export.write_graphml(graph, tmp_path / "a.graphml").stat().st_size > 1000
    assert (export.write_neo4j(graph, tmp_path / "neo") / "load.cypher").exists()
    assert (export.write_tables(graph, tmp_path / "tab") / "evidence.csv").exists()


def test_the_docs_page_names_every_format_and_column() -> None:
    from kg.export.columns import (DOCUMENT_COLUMNS, ENTITY_COLUMNS, EVIDENCE_COLUMNS, MENTION_COLUMNS,
                                   RELATION_COLUMNS)
    from kg.export.neo4j import neo4j_files
    from kg.export.tables import TABLE_FILES

    page = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    assert all(f"| `{name}` |" in page for name in EXPORT_FORMATS)
    for columns in (ENTITY_COLUMNS, RELATION_COLUMNS, EVIDENCE_COLUMNS, MENTION_COLUMNS, DOCUMENT_COLUMNS):
        assert all(f"`{c.name}`" in page for c in columns), [c.name for c in columns if f"`{c.name}`" not in page]
    nodes, relationships = neo4j_files(small_graph())
    assert all(f"`{t.file}`" in page for t in (*nodes, *relationships)) and "`import.sh`" in page
    assert all(f"`{name}`" in page for name in TABLE_FILES)
    assert (ROOT / "docs" / "images" / "gephi-lite-seed.png").stat().st_size > 10_000


def test_graph_json_is_streamed_as_networkx_node_link_encodes_it(tmp_path: Path) -> None:
    import json

    from kg.export import write_json
    from kg.export.json import to_node_link
    from kg.graph import KnowledgeGraph
    from kg.model import Entity, Evidence, Relation

    said = Evidence("d1", 0, 9, 'a line\nwith "quotes"', date="2025-08-15")
    odd = KnowledgeGraph(documents=(), entities=(Entity("a", "A", "Person", ("Å",), 1, ("d1",)),), relations=(
        Relation("a", "met_with", "b", (said,), "r1"),     # b: an endpoint that is no entity
        Relation("c", "met_with", "a", (), "r1"),
        Relation("a", "met_with", "b", (said, said), "r2"),  # the same edge again: the last one's fields
        Relation("a", "supports", "a", (said,), "r1")))
    for n, graph in enumerate((small_graph(), odd, KnowledgeGraph(documents=(), entities=(), relations=()))):
        expected = json.dumps(to_node_link(graph), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        assert write_json(graph, tmp_path / f"g{n}.json").read_text(encoding="utf-8") == expected
