"""``kg serve``: kg's endpoint on a free loopback port, asked with a real HTTP client (urllib).

What it must refuse is tested against real listeners and real signals: a
federated query never reaches a local listener, a foreign Host header is
refused, one query cannot take more memory than its worker's limit, and the
server stops (workers included) on Ctrl-C, SIGTERM, SIGHUP and even SIGKILL.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.server import free_port, start_server

from .conftest import ROOT

#: Servers and query worker processes start and stop.
pytestmark = [pytest.mark.slow]


MET = (ROOT / "queries" / "who-met-whom.rq").read_text(encoding="utf-8")
CROSS_JOIN_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
CROSS_JOIN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def request(url: str, *, query: str | None = None, headers: dict[str, str] | None = None,
            data: bytes | None = None) -> tuple[int, str, str]:
    """(status, content type, body) of one request, error statuses included."""
    if query is not None:
        url += "?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                          **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


def sparql_rows(url: str, query: str) -> list[dict[str, str]]:
    status, _, body = request(url, query=query)
    assert status == 200, body
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def children(pid: int) -> set[int]:
    """The query workers (``python -m kg.queryproc``) whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == pid and b"kg.queryproc" in command:
            found.add(int(stat.parent.name))
    return found


def gone(pids: set[int], *, within: float = 15.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in pids):
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


class Listener:
    """A local TCP listener that records every connection made to it (the target of SERVICE)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(4096))
                except OSError:
                    self.received.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(small_ttl: Path) -> Iterator:  # type: ignore[type-arg]
    with start_server(small_ttl, port=0, timeout=5, memory_mb=300, workers=2) as running:
        yield running


def start_cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", "serve", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, start_new_session=True)


# ---------------------------------------------------------------- answering


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm", "sighup"])
def test_kg_serve_answers_serves_its_page_refuses_updates_and_stops_with_its_workers(small_ttl: Path,
                                                                                      stop: str) -> None:
    port = free_port()
    process = start_cli("--graph", str(small_ttl), "--port", str(port), "--timeout", "5")
    try:
        first = process.stdout.readline()  # type: ignore[union-attr]
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query\n", process.stderr.read()  # type: ignore[union-attr]
        base = f"http://127.0.0.1:{port}"
        assert sparql_rows(base + "/query", MET) == [{"person": "トランプ", "met": "プーチン", "sentences": "2"}]
        # kg's prefixes are predeclared on the endpoint too
        assert sparql_rows(base + "/query", "SELECT ?n WHERE { ?p a schema:Person ; rdfs:label ?n } ORDER BY ?n") \
            == [{"n": "トランプ"}, {"n": "プーチン"}]

        status, ctype, page = request(base + "/")
        assert status == 200 and ctype.startswith("text/html") and '<script src="ui.js"' in page
        status, _, config = request(base + "/ui/config.json")
        settings = json.loads(config)
        assert settings["endpoint"] == "query" and settings["prefixes"]["kg"] == "https://w3id.org/kg-ja/ns#"
        assert {q["name"] for q in settings["queries"]} == {p.stem for p in (ROOT / "queries").glob("*.rq")}
        assert request(base + "/ui.js")[0] == 200

        update = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
        assert request(base + "/update", data=update,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
        assert len(sparql_rows(base + "/query", MET)) == 1  # nothing was cleared
        workers = children(process.pid)
        assert len(workers) == 2
    finally:
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends: to the whole group
        elif stop == "sighup":
            os.kill(process.pid, signal.SIGHUP)  # the terminal closed
        else:
            process.terminate()
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.rstrip().endswith("stopped") and err == ""
    assert not listening(port)
    assert gone(workers)


def test_post_queries_and_result_formats(server) -> None:  # type: ignore[no-untyped-def]
    status, ctype, body = request(server.query_url, data=MET.encode(),
                                  headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert (status, ctype) == (200, "text/csv; charset=utf-8")
    assert body == "person,met,sentences\r\nトランプ,プーチン,2\r\n"
    form = urllib.parse.urlencode({"query": "ASK { ?a kg:metWith ?b }"}).encode()
    status, ctype, body = request(server.query_url, data=form,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, ctype, body = request(server.query_url, query="CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }",
                                  headers={"Accept": "application/n-triples"})
    assert ctype == "application/n-triples" and body.count("<https://schema.org/Person> .") == 2
    status, _, body = request(server.query_url, query="SELECT ?x WHERE { ?x a schema:Person")
    assert status == 400 and body == "SPARQL syntax error: the query ends too early at 1:37: a { is not closed (add })\n"


def test_restarts_at_once_on_the_same_port(small_ttl: Path) -> None:
    with start_server(small_ttl, port=0, timeout=5, workers=1) as first:
        port = int(first.url.rsplit(":", 1)[1])
        for _ in range(3):  # the server closes these connections: its side waits in TIME_WAIT
            assert len(sparql_rows(first.query_url, MET)) == 1
    with start_server(small_ttl, port=port, timeout=5, workers=1) as second:
        assert len(sparql_rows(second.query_url, MET)) == 1


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
    for option, value, reason in (("--port", "99999", "a port is 0 to 65535 (0: any free port), not 99999"),
                                  ("--timeout", "nan", "a number of seconds above 0, not 'nan'"),
                                  ("--timeout", "-1", "a number of seconds above 0, not '-1'")):
        result = subprocess.run([sys.executable, "-m", "kg", "serve", "--graph", str(small_ttl), option, value],
                                capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1] == f"kg serve: error: argument {option}: {reason}"


# ---------------------------------------------------------------- what it refuses

SERVICE_SPELLINGS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z . {{ SELECT ?s WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ # a comment\n SERVICE# another\n<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_SPELLINGS)
def test_a_federated_query_never_makes_an_outbound_request(server, listener: Listener,  # type: ignore[no-untyped-def]
                                                           template: str) -> None:
    query = template.format(url=listener.url)
    status, _, body = request(server.query_url, query=query)
    assert status in (400, 403), body
    if status == 403:
        assert body.startswith("SERVICE at ") and "--allow-service" in body
    time.sleep(0.3)
    assert listener.received == []


def test_kg_query_refuses_service_and_allow_service_really_calls_out(small_ttl: Path, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    result = subprocess.run([sys.executable, "-m", "kg", "query", query, "--graph", str(small_ttl)],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("kg: error: SERVICE at 1:18: federated queries are off (the query would make this "
                             "machine send requests to other addresses); start with --allow-service to allow them\n")
    time.sleep(0.3)
    assert listener.received == []
    # The listener does see a request when federation is allowed: the check above can fail.
    subprocess.run([sys.executable, "-m", "kg", "query", query, "--graph", str(small_ttl), "--allow-service",
                    "--timeout", "5"], capture_output=True, text=True, cwd=ROOT, check=False, timeout=60)
    deadline = time.monotonic() + 5
    while not listener.received and time.monotonic() < deadline:
        time.sleep(0.1)
    assert listener.received and listener.received[0].startswith(b"POST /sparql")


def test_the_query_worker_cannot_open_a_socket(listener: Listener) -> None:
    """Defence in depth: even a SERVICE call that got past the text check finds no network."""
    code = ("import pyoxigraph, sys\n"
            "from kg.sandbox import forbid_sockets\n"
            "assert forbid_sockets()\n"
            f"q = 'SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'\n"
            "try:\n    list(pyoxigraph.Store().query(q))\nexcept OSError as err:\n    print(err)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Permission denied (os error 13)\n"
    time.sleep(0.3)
    assert listener.received == []


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:{port}", 200), ("localhost:{port}", 200), ("[::1]:{port}", 200),
    ("evil.example:{port}", 403),  # DNS rebinding: a foreign name resolving to 127.0.0.1
    ("127.0.0.1", 403), ("127.0.0.1:1", 403), ("", 403),
])
def test_the_host_header_must_name_the_server(server, host: str, status: int) -> None:  # type: ignore[no-untyped-def]
    port = server.url.rsplit(":", 1)[1]
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as conn:
        header = f"Host: {host.format(port=port)}\r\n" if host else ""
        conn.sendall(f"GET /query?query=ASK%7B%7D HTTP/1.0\r\n{header}\r\n".encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.split(b" ", 2)[1] == str(status).encode(), answer
    if status == 403:
        assert b"Host header not allowed" in answer


def test_cross_site_requests_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    assert request(server.query_url, query="ASK {}", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert request(server.query_url, query="ASK {}", headers={"Origin": "http://evil.example"})[0] == 403
    assert request(server.query_url, query="ASK {}", headers={"Sec-Fetch-Site": "same-origin",
                                                              "Origin": server.url})[0] == 200


# ---------------------------------------------------------------- bounded work


def test_a_query_cannot_take_more_memory_than_its_worker_may(server) -> None:  # type: ignore[no-untyped-def]
    workers = children(os.getpid())
    limits = {p: Path(f"/proc/{p}/limits").read_text() for p in workers if Path(f"/proc/{p}/limits").exists()}
    assert limits and all(f"Max address space         {300 * 2**20}" in text for text in limits.values())
    status, _, body = request(server.query_url, query=CROSS_JOIN_SORTED)
    assert status == 503
    assert body == "the query needed more than 300 MB of memory and was stopped (--memory)\n"
    for _ in range(3):  # still serving, with a fresh worker that outlives the request that started it
        assert len(sparql_rows(server.query_url, MET)) == 1
    assert children(os.getpid()) == children(os.getpid()) and len(children(os.getpid())) == 2
    first = children(os.getpid())
    assert len(sparql_rows(server.query_url, MET)) == 1 and children(os.getpid()) == first


def test_a_query_running_past_the_timeout_is_cancelled(server) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    status, _, body = request(server.query_url, query=CROSS_JOIN_COUNT)
    assert status == 503 and body == "the query ran longer than 5s and was cancelled (--timeout)\n"
    assert time.monotonic() - started < 30  # a bound on the work, not a timing: the query alone runs for hours
    assert len(sparql_rows(server.query_url, MET)) == 1  # still serving


def test_sigkill_of_kg_serve_takes_its_workers_with_it(small_ttl: Path) -> None:
    process = start_cli("--graph", str(small_ttl), "--port", "0")
    try:
        assert process.stdout.readline().startswith("SPARQL endpoint: ")  # type: ignore[union-attr]
        workers = children(process.pid)
        assert len(workers) == 2
    finally:
        process.kill()
        process.communicate(timeout=30)
    assert gone(workers)
