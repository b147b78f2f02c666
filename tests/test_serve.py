"""``kg serve``: the real Oxigraph server on a free loopback port, asked with a real HTTP client (urllib)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.export.rdf import serialize
from kg.server import free_port, start_server

from .conftest import ROOT
from .smallgraph import small_graph

MET = (ROOT / "queries" / "who-met-whom.rq").read_text(encoding="utf-8")


def sparql_get(url: str, query: str) -> dict:  # type: ignore[type-arg]
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def small_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    path.write_bytes(serialize(small_graph(), "ttl"))
    return path


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_kg_serve_answers_queries_serves_the_ui_refuses_updates_and_stops_cleanly(small_ttl: Path, stop: str) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(small_ttl), "--port", str(port),
                                "--timeout", "5"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT, start_new_session=True)
    try:
        first = process.stdout.readline()  # type: ignore[union-attr]
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query\n", process.stderr.read()  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"

        answer = sparql_get(base + "/query", MET)
        rows = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]
        assert rows == [{"person": "トランプ", "met": "プーチン", "sentences": "2"}]

        with urllib.request.urlopen(base + "/", timeout=10) as response:
            page = response.read().decode()
        assert response.headers["Content-Type"].startswith("text/html") and "Yasgui" in page
        with urllib.request.urlopen(base + "/yasgui.min.js", timeout=10) as response:  # the UI is served locally
            assert response.status == 200 and len(response.read()) > 100_000

        update = urllib.request.Request(base + "/update", method="POST",
                                        data=urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code == 403
        assert len(sparql_get(base + "/query", MET)["results"]["bindings"]) == 1  # nothing was cleared
    finally:
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: to the whole group
        else:
            process.terminate()
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out.rstrip().endswith("stopped") and err == ""
    assert not listening(port)


def test_server_api_stops_and_removes_its_store(small_ttl: Path) -> None:
    with start_server(small_ttl, port=0, timeout=5) as server:
        assert server.url.startswith("http://127.0.0.1:")
        answer = sparql_get(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/Person> }")
        assert answer["results"]["bindings"][0]["n"]["value"] == "2"
        assert server.store_dir.is_dir()
    assert server.process.poll() is not None and not server.store_dir.exists()


def test_serve_errors_are_one_line(small_ttl: Path, tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no such file: run `kg build` first"):
        start_server(tmp_path / "missing.ttl", port=0)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(small_ttl), "--port", str(port)],
                                capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith(f"kg: error: cannot listen on 127.0.0.1:{port}")
    assert len(result.stderr.splitlines()) == 1


def test_a_query_running_past_the_timeout_is_cancelled(small_ttl: Path) -> None:
    explosion = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # ~10^9 rows
    with start_server(small_ttl, port=0, timeout=1) as server:
        url = server.query_url + "?" + urllib.parse.urlencode({"query": explosion})
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read().decode(errors="replace")
        except urllib.error.HTTPError as err:
            body = err.read().decode(errors="replace")
        assert "cancelled" in body and '"value"' not in body
        assert len(sparql_get(server.query_url, MET)["results"]["bindings"]) == 1  # still serving
