"""The on-disk store (``kg build --store``, ``kg query --store``, ``kg serve --store``), with real pyoxigraph.

A store answers what the graph file answers, is replaced whole or not at all
(builds killed at each step, for real, with SIGKILL), refuses to replace a
folder it did not write, and a missing or damaged one is one line, never a
traceback. ``kg serve --store`` is asked with a real HTTP client and keeps
the limits of ``kg serve``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.server import free_port, start_server
from kg.sparql import STORE_MARKER, query_file
from kg.store import StoreError, open_store, query_store, read_info, write_store

from .conftest import CORPUS, ROOT
from .smallgraph import small_graph
from .test_serve import (
    CROSS_JOIN_SORTED,
    MET,
    children,
    gone,
    listening,
    request,
    sparql_rows,
)

PERSONS = "SELECT ?n WHERE { ?p a schema:Person ; rdfs:label ?n } ORDER BY ?n"


def run_kg(*args: object, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=timeout)


@pytest.fixture(scope="module")
def small_store(small_ttl: Path) -> Path:
    path = small_ttl.parent / "graph.db"
    write_store(path, small_ttl, fingerprint="f1")
    return path


def siblings(path: Path) -> list[str]:
    """What lies beside a store besides the store itself and the graph file it was loaded from."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}."))


# ---------------------------------------------------------------- the store answers what the file answers


def test_a_store_holds_every_triple_of_the_file_and_answers_the_same(small_ttl: Path, small_store: Path) -> None:
    import rdflib

    info = read_info(small_store)
    assert info.triples == len(rdflib.Graph().parse(small_ttl)) > 100
    assert (info.loaded_from, info.union, info.fingerprint) == ("graph.ttl", False, "f1")
    for query in (MET, PERSONS, (ROOT / "queries" / "positions-by-state.rq").read_text(encoding="utf-8")):
        assert query_store(small_store, query).tuples() == query_file(small_ttl, query).tuples()
    assert query_store(small_store, MET).tuples() == [("トランプ", "プーチン", 2)]


def test_a_store_from_a_graph_in_memory_equals_the_one_from_its_file(small_ttl: Path, tmp_path: Path) -> None:
    info = write_store(tmp_path / "mem.db", small_graph())
    assert info.triples == read_info(small_ttl.parent / "graph.db").triples
    assert info.loaded_from == "graph"
    assert query_store(tmp_path / "mem.db", PERSONS).tuples() == [("トランプ",), ("プーチン",)]


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_kgs_own_files_load_in_small_batches_to_the_same_triples(fmt: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut into many bulk loads (each Turtle piece with the prefixes again), the store holds the whole file."""
    import rdflib

    from kg import store
    from kg.export.rdf import write_rdf

    graph = small_graph()
    path = write_rdf(graph, tmp_path / f"graph.{fmt}", fmt=fmt)
    batches = []
    real = store._batches
    monkeypatch.setattr(store, "BATCH_BYTES", 1_000)
    monkeypatch.setattr(store, "_batches", lambda *a: (batches.append(b) or b for b in real(*a)))
    info = write_store(tmp_path / "cut.db", path)
    expected = rdflib.Graph().parse(path, format="nt" if fmt == "nt" else "turtle")
    assert len(batches) > 3 and all(len(b) < 1_000 + 4_000 for b in batches)
    assert info.triples == len(expected) == read_info(tmp_path / "cut.db").triples
    assert query_store(tmp_path / "cut.db", PERSONS).tuples() == [("トランプ",), ("プーチン",)]
    assert query_store(tmp_path / "cut.db", MET).tuples() == [("トランプ", "プーチン", 2)]


def test_turtle_kg_did_not_write_is_loaded_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A blank line may sit inside a long literal of anyone else's Turtle: such a file is never cut."""
    from kg import store

    path = tmp_path / "other.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:says """one\n\ntwo""" .\n\n'
                    'ex:b ex:says "three" .\n', encoding="utf-8")
    monkeypatch.setattr(store, "BATCH_BYTES", 10)
    assert len(list(store._batches(path, "TURTLE"))) == 1
    assert write_store(tmp_path / "other.db", path).triples == 2
    rows = query_store(tmp_path / "other.db", "SELECT ?t WHERE { ?s ?p ?t } ORDER BY ?t").tuples()
    assert rows == [("one\n\ntwo",), ("three",)]


def test_the_store_is_opened_read_only(small_store: Path) -> None:
    source = open_store(small_store)
    with pytest.raises(RuntimeError, match="only possible on read-write instances"):
        source.store.update("CLEAR ALL")
    assert len(source.store) == read_info(small_store).triples


# ---------------------------------------------------------------- replaced whole, or not at all


def test_rewriting_replaces_the_store_whole_and_leaves_nothing_beside_it(tmp_path: Path, small_ttl: Path) -> None:
    path = tmp_path / "graph.db"
    write_store(path, small_ttl)
    one_person = ('<https://w3id.org/kg-ja/id/entity/p1> a <https://schema.org/Person> ; '
                  '<http://www.w3.org/2000/01/rdf-schema#label> "ゼレンスキー"@ja .\n')
    (tmp_path / "other.ttl").write_text(one_person, encoding="utf-8")
    assert write_store(path, tmp_path / "other.ttl").triples == 2
    assert query_store(path, PERSONS).tuples() == [("ゼレンスキー",)]
    assert siblings(path) == []


def test_a_folder_that_is_not_a_store_is_never_replaced(tmp_path: Path, small_ttl: Path) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("…", encoding="utf-8")
    with pytest.raises(StoreError, match="exists and is not a kg store"):
        write_store(precious, small_ttl)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "…"
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="is a file, not a store folder"):
        write_store(tmp_path / "afile", small_ttl)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_store(empty, small_ttl).triples > 100  # an empty folder is fine


#: A build killed at each step of writing a store: in the bulk load (before the store is marked
#: complete), between the two renames of the swap, and after the swap (the old store not yet deleted).
KILL_AT = {
    "bulk load": "kg.store._bulk_load",
    "between the renames": "os.rename#2",
    "before deleting the old store": "shutil.rmtree#last",
}

_KILLER = """
import os, shutil, signal, sys
import kg.store as store
point = sys.argv[3]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if point == "kg.store._bulk_load":
    real = store._bulk_load
    def load(folder, source):
        real(folder, source)
        die()  # the store is loaded but not yet marked complete
    store._bulk_load = load
elif point == "os.rename#2":
    real_rename, calls = os.rename, []
    def rename(a, b):
        calls.append(a)
        if len(calls) == 2:
            die()
        real_rename(a, b)
    os.rename = rename
else:
    real_rmtree = shutil.rmtree
    def rmtree(path, *a, **k):
        if ".old-" in str(path):
            die()
        real_rmtree(path, *a, **k)
    shutil.rmtree = rmtree
store.write_store(sys.argv[1], sys.argv[2])
"""


@pytest.mark.parametrize("step", list(KILL_AT))
def test_a_build_killed_while_writing_the_store_leaves_the_old_one_and_a_rerun_is_safe(
        tmp_path: Path, small_ttl: Path, step: str) -> None:
    path = tmp_path / "graph.db"
    write_store(path, small_ttl)
    before = query_store(path, PERSONS).tuples()
    one_person = ('<https://w3id.org/kg-ja/id/entity/p1> a <https://schema.org/Person> ; '
                  '<http://www.w3.org/2000/01/rdf-schema#label> "ゼレンスキー"@ja .\n')
    (tmp_path / "new.ttl").write_text(one_person, encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", _KILLER, str(path), str(tmp_path / "new.ttl"), KILL_AT[step]],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert siblings(path)  # the dead build left its temporary or set-aside store behind
    if step == "between the renames":
        with pytest.raises(StoreError, match="a build replacing it was interrupted; run `kg build --store"):
            open_store(path)
        result = run_kg("query", "--store", path, PERSONS)
        assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
        assert "interrupted" in result.stderr and "Traceback" not in result.stderr
    elif step == "bulk load":
        assert query_store(path, PERSONS).tuples() == before  # the old store, whole
    else:
        assert query_store(path, PERSONS).tuples() == [("ゼレンスキー",)]  # the new one, whole
    write_store(path, tmp_path / "new.ttl")  # the rerun
    assert query_store(path, PERSONS).tuples() == [("ゼレンスキー",)]
    assert siblings(path) == []


# ---------------------------------------------------------------- one-line errors


def test_missing_damaged_and_foreign_stores_are_one_line_errors(tmp_path: Path, small_ttl: Path) -> None:
    damaged = tmp_path / "damaged.db"
    write_store(damaged, small_ttl)
    (damaged / "CURRENT").write_text("garbage", encoding="utf-8")  # RocksDB's pointer to its manifest
    no_marker = tmp_path / "plain.db"
    write_store(no_marker, small_ttl)
    (no_marker / STORE_MARKER).unlink()
    bad_marker = tmp_path / "badmarker.db"
    write_store(bad_marker, small_ttl)
    (bad_marker / STORE_MARKER).write_text("{", encoding="utf-8")
    cases = {
        tmp_path / "missing.db": "no such store: build one with `kg build --store",
        small_ttl: "not a store folder (a file)",
        damaged: "damaged store (Corruption:",
        no_marker: f"not a kg store (no {STORE_MARKER})",
        bad_marker: f"damaged or of another kg version ({STORE_MARKER} unreadable)",
    }
    for path, message in cases.items():
        with pytest.raises(KgError, match=message.replace("(", r"\(").replace(")", r"\)")):
            open_store(path)
        for command in (("query", "--store", path, PERSONS), ("serve", "--store", path, "--port", "0")):
            result = run_kg(*command, timeout=120)
            assert result.returncode == 1, (command, result.stdout)
            assert result.stderr.startswith(f"kg: error: {path}: ") and message in result.stderr, result.stderr
            assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_store_given_as_graph_says_to_use_store(small_store: Path) -> None:
    result = run_kg("query", "--graph", small_store, PERSONS)
    assert result.returncode == 1
    assert result.stderr == f"kg: error: {small_store}: this is a store (kg build --store): open it with " \
                            f"--store {small_store}\n"
    both = run_kg("query", "--graph", small_store, "--store", small_store, PERSONS)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


# ---------------------------------------------------------------- the command line


def test_kg_build_store_then_query_store_answers_like_the_graph_file(tmp_path: Path, cache_dir: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "graph.db"
    built = run_kg("build", CORPUS, "--out", out, "--cache", cache_dir, "--store", db)
    assert built.returncode == 0, built.stderr
    info = read_info(db)
    lines = built.stdout.splitlines()
    assert lines[0].startswith("documents: 5 (0 parsed, 5 from cache); records: ")
    wrote = next(line for line in lines if line.startswith("wrote:"))
    assert wrote.endswith(f"; store {db}/ ({info.triples:,} triples)")
    time_line = next(line for line in lines if line.startswith("time:"))
    assert ", write " in time_line and ", store " in time_line
    assert f"           kg query --store {db} queries/who-met-whom.rq   (SPARQL on the store)" in lines
    manifest = json.loads((out / ".kg-build.json").read_text(encoding="utf-8"))
    assert manifest["report"]["store_triples"] == info.triples
    assert set(manifest["report"]["seconds"]) >= {"map", "entities", "write", "store"}
    for query in ("queries/cooccurring-pairs.rq", "queries/provenance.rq", PERSONS):
        on_store = run_kg("query", "--store", db, query, "--format", "csv")
        on_file = run_kg("query", "--graph", out / "graph.ttl", query, "--format", "csv")
        assert on_store.returncode == 0, on_store.stderr
        assert on_store.stdout == on_file.stdout and on_store.stdout.count("\n") > 1
    # unchanged: up to date; the store gone: rebuilt, store and all
    again = run_kg("build", CORPUS, "--out", out, "--cache", cache_dir, "--store", db)
    assert "nothing changed since the last build" in again.stdout
    import shutil

    shutil.rmtree(db)
    rebuilt = run_kg("build", CORPUS, "--out", out, "--cache", cache_dir, "--store", db)
    assert "nothing changed" not in rebuilt.stdout and read_info(db).triples == info.triples


def test_kg_build_refuses_a_foreign_store_folder_before_the_build(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("x", encoding="utf-8")
    result = run_kg("build", CORPUS, "--out", tmp_path / "out", "--cache", cache_dir, "--store", tmp_path / "mine")
    assert result.returncode == 1 and not (tmp_path / "out" / "graph.ttl").exists()
    assert result.stderr == f"kg: error: {tmp_path / 'mine'}: this folder exists and is not a kg store: give " \
                            "--store a new folder name (kg never deletes a folder it did not write)\n"


# ---------------------------------------------------------------- kg serve --store


def test_kg_serve_store_answers_over_http_and_stops_with_its_workers(small_store: Path) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(small_store), "--port", str(port),
                                "--timeout", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT, start_new_session=True)
    try:
        assert process.stdout.readline() == f"SPARQL endpoint: http://127.0.0.1:{port}/query\n"  # type: ignore[union-attr]
        process.stdout.readline()  # type: ignore[union-attr]
        assert f"serving the store {small_store} read-only" in process.stdout.readline()  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/query"
        assert sparql_rows(url, MET) == [{"person": "トランプ", "met": "プーチン", "sentences": "2"}]
        assert sparql_rows(url, PERSONS) == [{"n": "トランプ"}, {"n": "プーチン"}]
        assert request(url.replace("/query", "/update"), data=b"update=CLEAR+ALL",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
        workers = children(process.pid)
        assert len(workers) == 2
    finally:
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and err == "", err
    assert not listening(port) and gone(workers)


def test_kg_serve_store_keeps_the_memory_cap_and_the_timeout(small_store: Path) -> None:
    with start_server(store=small_store, port=0, timeout=3, memory_mb=300, workers=1) as server:
        status, _, body = request(server.query_url, query=CROSS_JOIN_SORTED)
        assert (status, body) == (503, "the query needed more than 300 MB of memory and was stopped (--memory)\n")
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        status, _, body = request(server.query_url, query=slow)
        assert status == 503 and "longer than 3s" in body
        assert sparql_rows(server.query_url, MET)[0]["met"] == "プーチン"  # a fresh worker answers again


def test_start_server_takes_a_graph_or_a_store_not_both(small_ttl: Path, small_store: Path) -> None:
    with pytest.raises(KgError, match="not both"):
        start_server(small_ttl, store=small_store, port=0)
