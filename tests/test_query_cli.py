"""``kg query`` on the command line: a worker process with a timeout, a memory cap and a prompt Ctrl-C,
``--graph`` taking a build folder or refusing graph.json, and a hint for plain literals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.export.json import write_json
from kg.rdf import serialize

from .conftest import ROOT
from .smallgraph import small_graph
from .test_serve import CROSS_JOIN_COUNT, CROSS_JOIN_SORTED, children, gone


#: kg query runs in subprocesses, with timeouts and memory caps.
pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    (out / "graph.ttl").write_bytes(serialize(small_graph(), "ttl"))
    write_json(small_graph(), out / "graph.json")
    return out


def kg_query(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", "query", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=120)


def test_a_query_past_the_timeout_is_cancelled(build_dir: Path) -> None:
    result = kg_query(CROSS_JOIN_COUNT, "--graph", str(build_dir), "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr == "kg: error: the query ran longer than 2s and was cancelled (--timeout)\n"


def test_a_query_cannot_take_more_memory_than_allowed(build_dir: Path) -> None:
    result = kg_query(CROSS_JOIN_SORTED, "--graph", str(build_dir), "--memory", "300")
    assert result.returncode == 1
    assert result.stderr == "kg: error: the query needed more than 300 MB of memory and was stopped (--memory)\n"


def test_ctrl_c_stops_a_running_query_at_once(build_dir: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "kg", "query", CROSS_JOIN_COUNT, "--graph", str(build_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (workers := children(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert workers, "the query worker never started"
        time.sleep(1.0)  # let the query get going
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group
        out, err = process.communicate(timeout=15)  # the query alone would run for hours
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, out, err) == (130, "", "kg: interrupted\n")
    assert gone(workers)


def test_graph_may_be_a_build_folder_but_not_graph_json(build_dir: Path) -> None:
    result = kg_query("ASK { ?p kg:metWith ?q }", "--graph", str(build_dir))
    assert (result.returncode, result.stdout) == (0, "true\n")
    result = kg_query("ASK {}", "--graph", str(build_dir / "graph.json"))
    assert result.returncode == 1
    assert result.stderr == (f"kg: error: {build_dir / 'graph.json'}: this is kg's node-link JSON, not RDF: "
                             f"query {build_dir / 'graph.ttl'} (or the folder {build_dir}) instead\n")
    empty = build_dir / "empty"
    empty.mkdir(exist_ok=True)
    result = kg_query("ASK {}", "--graph", str(empty))
    assert result.stderr == (f"kg: error: {empty}: no graph.ttl, graph.trig, graph.nt, graph.jsonld in this "
                             f"folder: run `kg build --out {empty}` first\n")


def test_a_plain_literal_that_matches_nothing_gets_a_hint(build_dir: Path) -> None:
    result = kg_query('SELECT ?e WHERE { ?e rdfs:label "プーチン" }', "--graph", str(build_dir))
    assert result.returncode == 0 and result.stdout.endswith("(0 rows)\n")
    assert result.stderr == ('kg: hint: "プーチン" matches no string in the graph but "プーチン"@ja gives 1 row: '
                             "kg's labels and sentences are tagged @ja, and a plain literal matches only "
                             "untagged strings\n")
    result = kg_query('SELECT ?e WHERE { ?e rdfs:label "プーチン"@ja }', "--graph", str(build_dir))
    assert result.stdout.endswith("(1 row)\n") and result.stderr == ""


def test_an_empty_answer_with_a_group_concat_separator_is_no_error(build_dir: Path) -> None:
    """The hint's retry tags plain literals @ja, never the separator (a syntax error that failed the query)."""
    query = 'SELECT ?e (GROUP_CONCAT(?l; separator="、") AS ?all) { ?e rdfs:label ?l ; skos:altLabel "誰も" } GROUP BY ?e'
    result = kg_query(query, "--graph", str(build_dir))
    assert (result.returncode, result.stderr) == (0, "") and result.stdout.endswith("(0 rows)\n")
