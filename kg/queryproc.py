"""SPARQL queries in a worker process: bounded memory, cancelled on timeout or Ctrl-C, no network.

pyoxigraph runs a query in Rust, where neither a timeout nor Ctrl-C reaches
it, and one query can grow by hundreds of megabytes a second (an ORDER BY
over a cross join). So ``kg query`` and ``kg serve`` run each query in a
child process that holds the graph in memory (an RDF file, loaded) or opens
it read-only on disk (a store of ``kg build --store``, :mod:`kg.store`):

- its address space is capped (``RLIMIT_AS``, ``memory_mb``): a query that
  needs more makes the allocation fail, the worker dies alone, the caller
  gets one line saying so, and the next query gets a fresh worker;
- the caller waits at most ``timeout`` seconds, and Ctrl-C at once, then
  kills the worker (the engine cannot be interrupted, its process can);
- answers larger than ``max_answer_mb`` are refused, not buffered;
- ``SERVICE`` (a federated query: the engine would send an HTTP request to
  any address the query names) is refused before the query reaches the
  worker, checked again inside it, and on Linux the worker cannot open a
  socket at all (a seccomp filter), so no query makes an outbound request.

The protocol is one JSON line per request on the worker's stdin and, per
answer, one JSON header line plus ``length`` bytes of body on its stdout.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kg.errors import KgError
from kg.sparql import (
    Answer,
    QueryError,
    Rows,
    answer_from_bytes,
    load_file,
    read_query,
    refuse_service,
)
from kg.sparql import prefixes as kg_prefixes
from kg.sparql_text import explain_syntax_error, plain_literals, tag_plain_literals

#: Defaults for ``kg query`` and ``kg serve``: seconds a query may run before it is cancelled, memory of a worker.
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 1024
#: Seconds a worker may take to start and load the graph.
STARTUP_SECONDS = 120.0

SOLUTION_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                    "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_FORMATS = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
                 "rdfxml": "application/rdf+xml"}


@dataclass(frozen=True)
class Limits:
    """What one query may use: seconds, memory of the worker, size of the answer, federated calls."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    max_answer_mb: int | None = None  # default: a quarter of memory_mb
    allow_service: bool = False

    def __post_init__(self) -> None:
        check_timeout(self.timeout)
        if not isinstance(self.memory_mb, int) or self.memory_mb < 64:
            raise KgError(f"--memory must be at least 64 (MB), not {self.memory_mb}")

    @property
    def answer_bytes(self) -> int:
        return (self.max_answer_mb or max(1, self.memory_mb // 4)) * 2**20


def check_timeout(seconds: float) -> float:
    """A query timeout must be a finite number of seconds above 0 (``nan`` and ``inf`` are not)."""
    if not isinstance(seconds, (int, float)) or seconds != seconds or seconds in (float("inf"), float("-inf")) \
            or seconds <= 0:
        raise KgError(f"--timeout must be a number of seconds above 0, not {seconds}")
    return float(seconds)


@dataclass(frozen=True)
class Reply:
    """A worker's answer: the result kind (solutions, boolean, graph), its media type and bytes."""

    kind: str
    media_type: str
    body: bytes


class QueryWorker:
    """One worker process over one RDF file or store; started on first use, restarted after a failure.

    ``store=True``: ``graph_path`` is a store folder (:mod:`kg.store`), opened
    read-only instead of loading a file into memory.
    """

    def __init__(self, graph_path: str | Path, *, limits: Limits = Limits(),
                 prefixes: dict[str, str] | None = None, store: bool = False,
                 popen: Callable[..., subprocess.Popen[bytes]] = subprocess.Popen) -> None:
        self.path = Path(graph_path)
        self.store = store
        self.limits = limits
        self._popen = popen
        self.prefixes = prefixes if prefixes is not None else kg_prefixes()
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._buffer = b""

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start the worker and wait until it has loaded the graph (raises KgError if it cannot)."""
        if self.process is not None and self.process.poll() is None:
            return
        self.close()
        self._stderr = tempfile.TemporaryFile()
        config = {"path": str(self.path), "store": self.store, "memory": self.limits.memory_mb * 2**20,
                  "prefixes": self.prefixes, "allow_service": self.limits.allow_service,
                  "answer_bytes": self.limits.answer_bytes}
        self.process = self._popen([sys.executable, "-m", "kg.queryproc"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=self._stderr, env=_worker_env())
        self._buffer = b""
        self._send(config)
        header = self._read_header(deadline=time.monotonic() + STARTUP_SECONDS, starting=True)
        if not header.get("ok"):
            message = header.get("message", "the query worker failed to start")
            self.close()
            raise KgError(message)

    def close(self) -> None:
        """Stop the worker (kill: it may be inside a query that never returns); safe to call twice."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def __enter__(self) -> QueryWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ queries

    def run(self, query: str, *, solutions: str = "json", graph: str = "nt") -> Reply:
        """Run one query; raises :class:`QueryError` for a bad, refused, too long or too large one."""
        refuse_service(query, allow_service=self.limits.allow_service)
        self.start()
        deadline = time.monotonic() + self.limits.timeout
        try:
            self._send({"query": query, "solutions": solutions, "graph": graph})
            header = self._read_header(deadline=deadline)
            if not header.get("ok"):
                raise QueryError(header["message"], status=int(header.get("status", 400)))
            body = self._read_exact(int(header["length"]), deadline=deadline)
        except QueryError as err:
            if err.status >= 500:
                self.close()  # timed out or died: a new worker for the next query
            raise  # a bad query: the worker is fine and keeps the graph loaded
        except BaseException:
            self.close()  # Ctrl-C, or a broken pipe: the worker may be stuck in the query
            raise
        return Reply(kind=header["kind"], media_type=header["media_type"], body=body)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.process is not None and self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died() from None

    def _read_header(self, *, deadline: float, starting: bool = False) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            self._fill(deadline, starting=starting)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)  # type: ignore[no-any-return]

    def _read_exact(self, length: int, *, deadline: float) -> bytes:
        while len(self._buffer) < length:
            self._fill(deadline)
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        return body

    def _fill(self, deadline: float, *, starting: bool = False) -> None:
        """Read what the worker wrote; wait at most until ``deadline`` (Ctrl-C interrupts the wait)."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    if starting:
                        raise KgError(f"{self.path}: the query worker did not load it within "
                                      f"{STARTUP_SECONDS:g}s")
                    raise QueryError(f"the query ran longer than {self.limits.timeout:g}s and was cancelled "
                                     "(--timeout)", status=503)
                if selector.select(timeout=min(left, 0.5)):
                    break
        data = os.read(fd, 1 << 20)
        if not data:
            raise self._died()
        self._buffer += data

    def _died(self) -> KgError:
        """The error for a worker that exited: out of memory, or the reason it printed."""
        assert self.process is not None
        status = self.process.wait()
        text = ""
        if self._stderr is not None:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
        if "memory allocation" in text or "MemoryError" in text or status in (-signal.SIGABRT, -signal.SIGSEGV):
            return QueryError(f"the query needed more than {self.limits.memory_mb} MB of memory and was "
                              "stopped (--memory)", status=503)
        lines = [line for line in text.splitlines() if line.strip()]
        return QueryError(f"the query worker stopped (status {status}): {lines[-1] if lines else 'no message'}",
                          status=500)


def query_file_limited(path: str | Path, query: str, *, limits: Limits | None = None,
                       store: bool = False) -> tuple[Answer, str | None]:
    """What ``kg query`` runs: :func:`kg.sparql.query_file` in a worker process with a timeout and a memory cap.

    ``store=True``: ``path`` is a store folder (``kg build --store``), opened
    read-only by the worker instead of an RDF file loaded into its memory.
    Ctrl-C stops the worker at once. Returns the answer and, when a SELECT
    found nothing but would with its plain literals tagged ``@ja``, a hint
    saying so (the graph's labels and sentences are all language-tagged).
    """
    text = read_query(query)
    from kg.store import resolve_target

    graph = resolve_target(path, store=store)
    with QueryWorker(graph, limits=limits or Limits(), prefixes=kg_prefixes(), store=store) as worker:
        answer = _answer_of(worker.run(text))
        hint = None
        if isinstance(answer, Rows) and not answer and plain_literals(text):
            try:
                retry: Answer | None = _answer_of(worker.run(tag_plain_literals(text)))
            except QueryError:  # the hint is a kindness: a retry that fails gives none, never an error
                retry = None
            if isinstance(retry, Rows) and retry:
                plain = plain_literals(text)[0].text
                rows = f"{len(retry)} row{'s' if len(retry) != 1 else ''}"
                hint = (f"{plain} matches no string in the graph but {plain}@ja gives {rows}: kg's labels and "
                        "sentences are tagged @ja, and a plain literal matches only untagged strings")
        return answer, hint


def _answer_of(reply: Reply) -> Answer:
    return answer_from_bytes(reply.kind, reply.body)


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["MALLOC_ARENA_MAX"] = "2"  # glibc reserves 64 MB of address space per thread arena otherwise
    env.pop("PYTHONSTARTUP", None)
    return env


# ---------------------------------------------------------------- the worker side


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # not a Unix system: no limit (documented in docs/security.md)
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """Bytes of address space this process holds now (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _open_source(config: dict[str, Any]) -> Any:
    """The worker's graph, under the memory cap: a store opened read-only, or a file loaded into memory.

    A store is opened first and capped after: RocksDB reserves a few hundred
    megabytes of address space for its threads when it opens (little of it
    resident), and under a small cap that reservation aborts the process, in
    C++, before any error can be reported. So for a store, ``--memory`` caps
    what the queries allocate beyond the opened store; a file's graph is
    loaded under the cap, and counts against it.
    """
    from kg.store import open_store

    memory = int(config["memory"])
    if config.get("store"):
        source = open_store(config["path"])
        _limit_memory(_address_space() + memory)
        return source
    _limit_memory(memory)
    return load_file(config["path"])


def _die_with_parent() -> None:
    """On Linux, be killed when the process that started us dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before the call above
        os._exit(1)


class _Capped:
    """A binary sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.parts, self.size = limit, [], 0  # type: ignore[var-annotated]

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


class _TooLarge(OSError):
    pass


def _answer(result: Any, request: dict[str, Any], answer_bytes: int) -> tuple[str, str, bytes]:
    import pyoxigraph as ox

    sink = _Capped(answer_bytes)
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        name = request.get("solutions") if request.get("solutions") in SOLUTION_FORMATS else "json"
        kind = "solutions" if isinstance(result, ox.QuerySolutions) else "boolean"
        if kind == "boolean" and name == "csv" or kind == "boolean" and name == "tsv":
            name = "json"  # CSV and TSV have no boolean form
        fmt = getattr(ox.QueryResultsFormat, name.upper())
        result.serialize(sink, format=fmt)
        return kind, SOLUTION_FORMATS[name], b"".join(sink.parts)
    name = request.get("graph") if request.get("graph") in GRAPH_FORMATS else "turtle"
    fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
           "rdfxml": ox.RdfFormat.RDF_XML}[name]
    result.serialize(sink, format=fmt)
    return "graph", GRAPH_FORMATS[name], b"".join(sink.parts)


def _worker_main() -> None:
    """The worker: read the config line, load the graph, answer queries until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills us
    _die_with_parent()
    out = sys.stdout.buffer

    def reply(header: dict[str, Any], body: bytes = b"") -> None:
        out.write(json.dumps(header, ensure_ascii=False).encode() + b"\n" + body)
        out.flush()

    config = json.loads(sys.stdin.buffer.readline() or b"{}")
    try:
        source = _open_source(config)
    except KgError as err:
        reply({"ok": False, "message": str(err)})
        return
    except MemoryError:
        reply({"ok": False, "message": f"{config['path']}: the graph does not fit in --memory "
                                       f"{int(config['memory']) >> 20} MB"})
        return
    if not config["allow_service"]:
        from kg.sandbox import forbid_sockets

        forbid_sockets()  # from here on no query can reach the network, whatever it says
    reply({"ok": True})
    prefixes = config["prefixes"]
    for line in sys.stdin.buffer:
        request = json.loads(line)
        query = request["query"]
        try:
            refuse_service(query, allow_service=bool(config["allow_service"]))
            result = source.store.query(query, prefixes=prefixes, use_default_graph_as_union=source.union)
            kind, media_type, body = _answer(result, request, int(config["answer_bytes"]))
        except QueryError as err:
            reply({"ok": False, "status": err.status, "message": str(err)})
            continue
        except SyntaxError as err:
            reply({"ok": False, "status": 400,
                   "message": "SPARQL syntax error: " + explain_syntax_error(str(err), query, prefixes=prefixes)})
            continue
        except _TooLarge:
            reply({"ok": False, "status": 503,
                   "message": f"the answer is larger than {int(config['answer_bytes']) >> 20} MB: "
                              "add a LIMIT, or raise --memory"})
            continue
        except MemoryError:
            reply({"ok": False, "status": 503, "message": f"the query needed more than "
                                                          f"{int(config['memory']) >> 20} MB of memory "
                                                          "and was stopped (--memory)"})
            continue
        except (OSError, ValueError, RuntimeError) as err:
            reply({"ok": False, "status": 500, "message": "SPARQL query failed: " + " ".join(str(err).split())})
            continue
        reply({"ok": True, "kind": kind, "media_type": media_type, "length": len(body)}, body)


if __name__ == "__main__":
    _worker_main()
