"""``kg serve``: a read-only SPARQL 1.1 endpoint over a build, with a query page.

Any web page the user opens can send requests to a server on 127.0.0.1, and
with DNS rebinding read its answers. So the server exposes only what it must:

- **no outbound requests**: ``SERVICE`` (federated queries) is refused unless
  ``--allow-service``; the query workers cannot even open a socket (see
  :mod:`kg.queryproc` and :mod:`kg.sandbox`);
- **the Host header is checked** against the address the server is bound to
  (DNS rebinding sends a foreign name), and requests a browser marks as
  cross-site (``Sec-Fetch-Site``, ``Origin``) are refused;
- **bounded work**: each query runs in a worker process with a memory cap
  and a timeout, answers have a size limit, request bodies too;
- **read-only**: SPARQL Update is refused (403); nothing is written to disk
  (a store, ``--store``, is opened read-only by every worker).

The Oxigraph server (the ``oxigraph`` program) did the serving before; it can
do none of the first three, so this module is a small HTTP front (the
standard library's ``ThreadingHTTPServer``) over pyoxigraph workers. The query
page is kg's own (``kg/data/serve/``): the prefixes predeclared, the worked
queries of ``queries/`` one click away, answers drawn as text only.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import queue
import signal
import socket
import subprocess
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.queryproc import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT,
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    Limits,
    QueryError,
    QueryWorker,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Query worker processes: queries answered at the same time.
DEFAULT_WORKERS = 2
#: The largest request body (a query) accepted.
MAX_QUERY_BYTES = 1 << 20
#: Seconds a client may take to send its request.
REQUEST_SECONDS = 30
#: The SPARQL 1.1 Protocol endpoint's path.
QUERY_PATH = "/query"

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_STATIC = {"/": ("index.html", "text/html; charset=utf-8"), "/ui.js": ("ui.js", "text/javascript; charset=utf-8"),
           "/ui.css": ("ui.css", "text/css; charset=utf-8")}
_PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
             "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on right now (for tests and ``--port 0``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise KgError(f"--port must be 0 to 65535 (0: any free port), not {port}")
    return port


# ---------------------------------------------------------------- workers


class WorkerPool:
    """A fixed set of query workers; a request borrows one for the length of one query."""

    def __init__(self, graph: Path, *, limits: Limits, size: int, prefixes: dict[str, str],
                 store: bool = False) -> None:
        if size < 1:
            raise KgError(f"--workers must be 1 or more, not {size}")
        self.limits = limits
        # Workers are started (and restarted after a failure) by one long-lived thread: a worker
        # dies with the thread that started it (PR_SET_PDEATHSIG), and request threads are short.
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-serve-spawn")
        self.workers = [QueryWorker(graph, limits=limits, prefixes=prefixes, store=store, popen=self._popen)
                        for _ in range(size)]
        self._free: queue.Queue[QueryWorker] = queue.Queue()
        for worker in self.workers:
            self._free.put(worker)

    def _popen(self, *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        return self._spawner.submit(subprocess.Popen, *args, **kwargs).result()

    def start(self) -> None:
        """Start every worker (the graph is loaded once per worker); a graph that does not load raises."""
        for worker in self.workers:
            worker.start()

    @contextmanager
    def worker(self) -> Iterator[QueryWorker]:
        """A free worker, waiting at most the query timeout for one."""
        try:
            worker = self._free.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise QueryError("every query worker is busy: try again later", status=503) from None
        try:
            yield worker
        finally:
            self._free.put(worker)

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self._spawner.shutdown()


# ---------------------------------------------------------------- the server


@dataclass
class SparqlServer:
    """A running endpoint over one build; a context manager that stops it."""

    url: str
    graph: Path
    httpd: ThreadingHTTPServer = field(repr=False)
    pool: WorkerPool = field(repr=False)
    thread: threading.Thread = field(repr=False)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}{QUERY_PATH}"

    def stop(self) -> None:
        """Stop answering, close the listening socket and the workers; safe to call twice."""
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join()
        self.httpd.server_close()
        self.pool.close()

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # restart on the same port at once, whatever TIME_WAIT holds

    def __init__(self, address: tuple[str, int], app: _App) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.app = app
        super().__init__(address, _Handler)


@dataclass(frozen=True)
class _App:
    """What the request handler needs: the workers, the allowed Host values, the page's config."""

    pool: WorkerPool
    hosts: frozenset[str]
    any_ip: bool
    port: int
    config: bytes

    def host_allowed(self, host: str | None) -> bool:
        if not host:
            return False
        host = host.strip().lower()
        if host in self.hosts:
            return True
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not name or port != str(self.port):
            return False
        if not self.any_ip:
            return False
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False  # a DNS name: what a rebinding attack sends
        return True


def start_server(graph_path: str | Path | None = None, *, store: str | Path | None = None,
                 host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
                 workers: int = DEFAULT_WORKERS, allow_service: bool = False,
                 allowed_hosts: Iterable[str] = (), queries_dir: str | Path | None = None) -> SparqlServer:
    """Serve ``graph_path`` (an RDF file or a build folder) or ``store`` read-only at ``http://host:port/``.

    ``store`` is a store folder of ``kg build --store``: each worker opens it
    read-only instead of loading the graph into its memory. ``port=0`` picks
    a free port. ``memory_mb`` caps each of the ``workers`` query processes;
    ``allowed_hosts`` adds Host header names (for a server reached under a
    DNS name); ``queries_dir`` holds the ``.rq`` files the query page offers.
    Returns once every worker has loaded the graph (or opened the store).
    """
    from kg.sparql import prefixes
    from kg.store import resolve_target

    if graph_path is not None and store is not None:
        raise KgError("give a graph file or a store, not both (--graph or --store)")
    if graph_path is None and store is None:
        raise KgError("give a graph file or a store to serve (--graph or --store)")
    graph = resolve_target(store if store is not None else graph_path, store=store is not None)  # type: ignore[arg-type]
    check_port(port)
    limits = Limits(timeout=timeout, memory_mb=memory_mb, allow_service=allow_service)
    known = prefixes()
    pool = WorkerPool(graph, limits=limits, size=workers, prefixes=known, store=store is not None)
    try:
        pool.start()
        try:
            httpd = _HTTPServer((host, port), _App(pool, frozenset(), False, port, b""))
        except OSError as err:
            raise KgError(f"cannot listen on {host}:{port} ({err.strerror or err}): "
                          "choose another port with --port") from None
    except BaseException:
        pool.close()
        raise
    port = int(httpd.server_address[1])
    url_host = f"[{host}]" if ":" in host else host
    hosts, any_ip = _allowed_hosts(host, port, allowed_hosts)
    config = {"endpoint": QUERY_PATH.lstrip("/"), "prefixes": known, "queries": _worked_queries(queries_dir),
              "timeout": limits.timeout, "graph": graph.name}
    httpd.app = _App(pool, hosts, any_ip, port, json.dumps(config, ensure_ascii=False).encode())
    thread = threading.Thread(target=httpd.serve_forever, name="kg-serve", daemon=True)
    thread.start()
    return SparqlServer(url=f"http://{url_host}:{port}", graph=graph, httpd=httpd, pool=pool, thread=thread)


def _allowed_hosts(host: str, port: int, extra: Iterable[str]) -> tuple[frozenset[str], bool]:
    """Host header values to accept, and whether any IP literal is fine (bound to every address)."""
    names = {f"[{host}]" if ":" in host else host}
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if host == "localhost" or (address is not None and address.is_loopback):
        names |= set(_LOOPBACK_NAMES)
    any_ip = address is not None and address.is_unspecified
    if any_ip:
        names.add("localhost")
    names |= {name.lower() for name in extra}
    allowed = {f"{name}:{port}" for name in names}
    if port == 80:
        allowed |= names  # browsers leave the default port out
    return frozenset(allowed), any_ip


def serve_until_stopped(server: SparqlServer) -> None:
    """Block until Ctrl-C, SIGTERM or SIGHUP (the terminal closed), then stop the server."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    handled = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.signal(s, stop) for s in handled}
    try:
        while server.thread.is_alive():
            server.thread.join(timeout=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        server.stop()


def _worked_queries(queries_dir: str | Path | None) -> list[dict[str, str]]:
    """The ``.rq`` files the query page offers: name, first comment line, text."""
    folder = Path(queries_dir) if queries_dir is not None else default_queries_dir()
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        comments = [line.lstrip("#").strip() for line in itertools.takewhile(lambda ln: ln.startswith("#"),
                                                                               text.splitlines())]
        title = " ".join(comments) or path.stem
        out.append({"name": path.stem, "title": title, "text": text})
    return out


def default_queries_dir() -> Path | None:
    """``queries/`` in the current folder, else the one of kg's source tree, else None."""
    for folder in (Path("queries"), Path(__file__).resolve().parent.parent / "queries"):
        if folder.is_dir():
            return folder
    return None


# ---------------------------------------------------------------- requests


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "kg-serve"
    sys_version = ""
    timeout = REQUEST_SECONDS

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # nothing a client sends reaches the terminal

    # ------------------------------------------------------------ routing

    def do_GET(self) -> None:  # noqa: N802
        if not self._allowed():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path in _STATIC:
            name, media_type = _STATIC[url.path]
            self._send(200, resources.files("kg").joinpath("data", "serve", name).read_bytes(), media_type,
                       page=url.path == "/")
        elif url.path == "/ui/config.json":
            self._send(200, self.server.app.config, "application/json")
        elif url.path == QUERY_PATH:
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            self._query(params)
        elif url.path == "/update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        else:
            self._error(404, f"no such page; the SPARQL endpoint is {QUERY_PATH}")

    def do_POST(self) -> None:  # noqa: N802
        if not self._allowed():
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        if url.path != QUERY_PATH:
            self._error(404, f"no such page; the SPARQL endpoint is {QUERY_PATH}")
            return
        body = self._body()
        if body is None:
            return
        media_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if media_type == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif media_type == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True))
        else:
            self._error(415, "send the query as application/sparql-query or application/x-www-form-urlencoded")
            return
        self._query(params)

    # ------------------------------------------------------------ checks

    def _allowed(self) -> bool:
        """Refuse a foreign Host (DNS rebinding) and what a browser marks as sent by another site."""
        app = self.server.app
        if not app.host_allowed(self.headers.get("Host")):
            self._error(403, "Host header not allowed: this server answers under its own address only "
                             "(kg serve --allow-host NAME adds one)")
            return False
        site = (self.headers.get("Sec-Fetch-Site") or "").lower()
        origin = self.headers.get("Origin")
        if site in ("cross-site", "same-site") or (origin and not app.host_allowed(_origin_host(origin))):
            self._error(403, "cross-site requests are refused")
            return False
        return True

    def _body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(411, "a POST needs a Content-Length")
            return None
        if int(length) > MAX_QUERY_BYTES:
            self._error(413, f"the query is larger than {MAX_QUERY_BYTES >> 20} MB")
            return None
        return self.rfile.read(int(length))

    # ------------------------------------------------------------ answers

    def _query(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query") or []
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "give one SPARQL query: ?query=… (GET) or a POST body")
            return
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            self._error(400, "default-graph-uri and named-graph-uri are not supported: use FROM / GRAPH in the query")
            return
        solutions, graph = _negotiate(self.headers.get("Accept") or "")
        try:
            with self.server.app.pool.worker() as worker:
                reply = worker.run(queries[0], solutions=solutions, graph=graph)
        except QueryError as err:
            self._error(err.status, str(err))
            return
        except KgError as err:
            self._error(500, str(err))
            return
        media_type = reply.media_type + ("; charset=utf-8" if reply.media_type.startswith("text/") else "")
        self._send(200, reply.body, media_type)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, media_type: str, *, page: bool = False) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            if page:
                self.send_header("Content-Security-Policy", _PAGE_CSP)
                self.send_header("X-Frame-Options", "DENY")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client left


def _origin_host(origin: str) -> str | None:
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme != "http" or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{parts.port or 80}"


def _negotiate(accept: str) -> tuple[str, str]:
    """Result formats for solutions and for graphs from an Accept header (JSON and Turtle by default)."""
    wanted = [item.split(";")[0].strip().lower() for item in accept.split(",")]
    solutions = next((name for m in wanted for name, media in SOLUTION_FORMATS.items() if m == media), "json")
    graph = next((name for m in wanted for name, media in GRAPH_FORMATS.items() if m == media), "turtle")
    return solutions, graph
