"""``kg serve``: a read-only SPARQL 1.1 endpoint over a build, with a query UI.

We do not write an HTTP server: the Oxigraph server (the ``oxigraph`` binary
from the PyPI package of the same name) speaks the SPARQL 1.1 Protocol,
serves the YASGUI query page from its own files (no CDN), enforces a query
timeout and, started with ``serve-read-only``, refuses SPARQL Update. This
module loads the build into a throw-away store, runs the server on
127.0.0.1, waits until it answers, and removes the store when stopped.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
#: Seconds a query may run before the server gives up on it.
DEFAULT_TIMEOUT = 30.0
#: Seconds to wait for the server to answer its first request.
STARTUP_SECONDS = 30.0

_QUAD_EXTENSIONS = {".trig", ".nq"}


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` program: next to this Python's scripts, else on PATH."""
    candidates = [Path(sysconfig.get_path("scripts")) / "oxigraph", Path(sys.executable).parent / "oxigraph"]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("oxigraph")
    if found is None:
        raise KgError("the oxigraph server is not installed: pip install 'kg[sparql]'")
    return found


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nobody listens on right now (for tests and ``--port 0``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class SparqlServer:
    """A running Oxigraph server over one build; a context manager that stops it."""

    url: str
    process: subprocess.Popen[bytes]
    store_dir: Path
    log: Path = field(repr=False)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}/query"

    def wait(self) -> int:
        """Block until the server exits (Ctrl-C raises KeyboardInterrupt here)."""
        return self.process.wait()

    def stop(self) -> None:
        """Stop the server and delete its store; safe to call twice."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.store_dir, ignore_errors=True)

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(graph_path: str | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float = DEFAULT_TIMEOUT) -> SparqlServer:
    """Load ``graph_path`` into a fresh store and serve it read-only at ``http://host:port/``.

    ``port=0`` picks a free port. Returns once the server answers a query.
    """
    path = Path(graph_path)
    if not path.is_file():
        raise KgError(f"{path}: no such file: run `kg build` first or give --graph PATH")
    if timeout <= 0:
        raise KgError(f"--timeout must be more than 0 seconds, not {timeout:g}")
    binary = oxigraph_binary()
    port = port or free_port(host)
    _check_port_free(host, port)
    store_dir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        _load(binary, path, store_dir / "store")
        log = store_dir / "server.log"
        command = [binary, "serve-read-only", "--location", str(store_dir / "store"),
                   "--bind", f"{host}:{port}", "--timeout-s", f"{max(1, round(timeout))}"]
        if path.suffix.lower() in _QUAD_EXTENSIONS:
            command.append("--union-default-graph")
        with log.open("wb") as out:
            # its own session: Ctrl-C reaches kg only, which stops the server and cleans up
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        url_host = f"[{host}]" if ":" in host else host
        server = SparqlServer(url=f"http://{url_host}:{port}", process=process,
                              store_dir=store_dir, log=log)
    except BaseException:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise
    try:
        _wait_until_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def serve_until_stopped(server: SparqlServer) -> None:
    """Block until Ctrl-C or SIGTERM, then stop the server and delete its store.

    Raises :class:`KgError` if the server dies on its own.
    """
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        status = server.wait()
        if status != 0:
            raise KgError(f"the oxigraph server stopped with status {status}")
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as err:
            raise KgError(f"cannot listen on {host}:{port} ({err.strerror}): "
                          "choose another port with --port") from None


def _load(binary: str, path: Path, location: Path) -> None:
    result = subprocess.run([binary, "load", "--location", str(location), "--file", str(path)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise KgError(f"{path}: oxigraph could not load it: {lines[0] if lines else 'unknown error'}")


def _wait_until_ready(server: SparqlServer) -> None:
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            lines = [line for line in server.log.read_text(errors="replace").splitlines() if line.strip()]
            raise KgError(f"the oxigraph server stopped at start: {lines[-1] if lines else 'no message'}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise KgError(f"the oxigraph server did not answer at {server.url} within {STARTUP_SECONDS:g}s")
