"""A build's graph in an Oxigraph store on disk: loaded once, opened by every query.

``kg query`` and ``kg serve`` over ``graph.ttl`` parse the Turtle again each
time a worker starts: a second on the seeds, tens of seconds at the scale of
Wikinews. ``kg build --store DIR`` loads the graph once into an Oxigraph
(RocksDB) store with the bulk loader, and ``kg query --store DIR`` /
``kg serve --store DIR`` open that store read-only, which takes milliseconds
whatever the graph's size, and hold in memory only what a query touches.

A store is written so that nobody ever sees half of one:

- it is bulk-loaded into a temporary sibling folder (``.NAME.tmp-PID``), and
  marked complete by its last file, :data:`STORE_MARKER` (``kg-store.json``: the
  triple count, the build's fingerprint, kg's version);
- it is then swapped in by rename: the old store is renamed aside
  (``.NAME.old-PID``), the new one renamed to ``NAME``, the old one deleted;
- a build killed at any moment leaves the old store or the new one (or, in
  the instant between the two renames, the old one aside and a clear error);
  the next build removes what a dead build left behind and is safe to run.

Readers open the store read-only (``pyoxigraph.Store.read_only``); Oxigraph
leaves a read-only store's behaviour undefined while another process writes
it, and no kg process ever writes into a store in place.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.files import check_writable, swap_folder, write_atomic
from kg.sparql import STORE_MARKER, Answer, Source, read_query, resolve_graph, run
from kg.version import __version__

if TYPE_CHECKING:
    from kg.model import GraphData

#: Bump when what a store holds changes shape.
STORE_FORMAT = 1
#: RDF files a build may have written, in the order the store prefers to load them from.
LOADABLE = {".nt": "N_TRIPLES", ".ttl": "TURTLE", ".trig": "TRIG", ".jsonld": "JSON_LD"}
_QUAD_FORMATS = {"TRIG"}  # named graphs: queries see their union
#: Bytes of RDF given to one call of Oxigraph's bulk loader (see :func:`_batches`).
BATCH_BYTES = 2_000_000


class StoreError(KgError):
    """A store that is missing, incomplete, damaged, or a folder that is not one."""


@dataclass(frozen=True)
class StoreInfo:
    """What :data:`STORE_MARKER` says about a store: its size and the build it holds."""

    triples: int
    loaded_from: str
    union: bool = False
    fingerprint: str | None = None
    kg_version: str = ""
    format: int = STORE_FORMAT


def write_store(path: str | Path, source: GraphData | str | Path, *,
                fingerprint: str | None = None) -> StoreInfo:
    """Load ``source`` (a KnowledgeGraph, or an RDF file a build wrote) into a new store at ``path``.

    ``path`` must be a kg store already (it is replaced) or not exist yet; any
    other folder is refused, never deleted. ``fingerprint`` is the build's
    (:func:`kg.manifest.fingerprint`), so ``kg build`` can tell an up-to-date
    store from a stale one.
    """
    path = Path(path)
    _check_replaceable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(path)
    tmp = _sibling(path, "tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        triples, loaded_from, union = _bulk_load(tmp, source)
        info = StoreInfo(triples=triples, loaded_from=loaded_from, union=union, fingerprint=fingerprint,
                         kg_version=__version__)
        write_atomic(tmp / STORE_MARKER, (json.dumps(asdict(info), indent=1) + "\n").encode())
        swap_folder(tmp, path, aside=_sibling(path, "old"))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return info


def _bulk_load(folder: Path, source: GraphData | str | Path) -> tuple[int, str, bool]:
    """Bulk-load ``source`` into a new store in ``folder``; close it. Triples, what was loaded, union."""
    ox = _pyoxigraph()
    store = ox.Store(str(folder))
    try:
        if isinstance(source, (str, Path)):
            file = Path(source)
            name = LOADABLE.get(file.suffix.lower())
            if name is None:
                raise StoreError(f"{file}: cannot load this file into a store: give a "
                                 f"{', '.join(LOADABLE)} file")
            try:
                for batch in _batches(file, name):
                    store.bulk_load(batch, format=getattr(ox.RdfFormat, name))
            except (SyntaxError, ValueError) as err:
                raise StoreError(f"{file}: not valid {name}: {' '.join(str(err).split())}") from None
            loaded_from, union = file.name, name in _QUAD_FORMATS
        else:
            from kg.export.turtle import ntriples_chunks

            for batch in _joined(ntriples_chunks(source)):
                store.bulk_load(batch, format=ox.RdfFormat.N_TRIPLES)
            loaded_from, union = "graph", False
        store.optimize()  # one load per piece leaves many small files: merged, queries read fewer
        store.flush()
        triples = len(store)
    finally:
        del store  # closes the database: the folder may be renamed now
    return triples, loaded_from, union


def _batches(file: Path, name: str) -> Iterator[bytes]:
    """``file`` in pieces of about :data:`BATCH_BYTES` that each parse alone, or whole if it cannot be cut.

    Oxigraph's bulk loader holds all the quads of one call in memory while it
    sorts them: the full Wikinews graph (64 MB of Turtle) peaked at 1 GB
    loaded whole in 6 s; in 16 MB pieces at 360 MB in 6.3 s. Alone in a
    process, pieces of 8, 4 and 2 MB peak at 219, 141 and 107 MB, and the
    2 MB ones at 97 MB on 1/16 of it (one 4 MB piece at 128): at 2 MB the
    loader's memory no longer grows with the graph (16 s at 8 MB, 19 s at 2 MB
    on a busy machine; the same 10 s either way inside ``kg build``). The
    store is optimized after the last piece (1 s there), or its queries read
    every piece's files. N-Triples can be cut
    at any line. Turtle only where kg wrote it (:data:`kg.export.turtle.KG_TURTLE`
    on its first line): the prefixes, then one block per subject ending in a
    blank line, no literal holding a raw line break; each piece gets the prefixes again.
    """
    if name == "N_TRIPLES":
        yield from _joined(_lines(file))
    elif name == "TURTLE" and _written_by_kg(file):
        with file.open("rb") as lines:
            head = b"".join(_until_blank(lines)) + b"\n"
            yield from (head + batch for batch in _joined(_blocks(lines)))
    else:
        yield file.read_bytes()


def _lines(file: Path) -> Iterator[bytes]:
    with file.open("rb") as lines:
        yield from lines


def _until_blank(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The lines before the first blank one (kg's comment and prefixes); the blank one is consumed."""
    for line in lines:
        if line == b"\n":
            return
        yield line


def _blocks(lines: Iterable[bytes]) -> Iterator[bytes]:
    """kg's Turtle after the prefixes, one subject's block (ending in its blank line) at a time."""
    block: list[bytes] = []
    for line in lines:
        block.append(line)
        if line == b"\n":
            yield b"".join(block)
            block = []
    if block:
        yield b"".join(block)


def _joined(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Whole pieces joined into batches of about :data:`BATCH_BYTES`."""
    batch: list[bytes] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= BATCH_BYTES:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)


def _written_by_kg(file: Path) -> bool:
    from kg.export.turtle import KG_TURTLE

    with file.open("rb") as f:
        return f.readline() == KG_TURTLE


def rdf_file_to_load(paths: dict[str, Path]) -> Path | None:
    """Of the files a build wrote (by format), the one the store loads fastest; None if it wrote no RDF."""
    by_suffix = {Path(p).suffix.lower(): Path(p) for p in paths.values()}
    return next((by_suffix[s] for s in LOADABLE if s in by_suffix), None)


def _sibling(path: Path, kind: str) -> Path:
    return path.parent / f".{path.name}.{kind}-{os.getpid()}"


def _leftovers(path: Path) -> list[Path]:
    """Temporary and set-aside stores of ``path`` left by builds that are no longer running."""
    found = []
    for kind in ("tmp", "old"):
        for candidate in path.parent.glob(f".{path.name}.{kind}-*"):
            pid = candidate.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                found.append(candidate)
    return sorted(found)


def remove_leftovers(path: str | Path) -> None:
    """Delete what a killed build left beside the store at ``path``."""
    for leftover in _leftovers(Path(path)):
        shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours, from an earlier call that failed: safe to remove
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_store_target(path: str | Path) -> None:
    """Fail before a build, not after it: ``path`` a foreign folder, or a parent that cannot be written."""
    path = Path(path)
    _check_replaceable(path)
    check_writable(path.parent, what="store's parent folder")


def _check_replaceable(path: Path) -> None:
    """Refuse to replace anything but a kg store or an empty folder."""
    if not path.exists():
        return
    if not path.is_dir():
        raise StoreError(f"{path}: is a file, not a store folder: give --store a folder name")
    if (path / STORE_MARKER).is_file() or not any(path.iterdir()):
        return
    raise StoreError(f"{path}: this folder exists and is not a kg store: give --store a new folder name "
                     "(kg never deletes a folder it did not write)")


# ---------------------------------------------------------------- reading


def read_info(path: str | Path) -> StoreInfo:
    """The :data:`STORE_MARKER` of the store at ``path``; a one-line :class:`StoreError` if there is no complete store."""
    path = Path(path)
    hint = f"build one with `kg build --store {path}`"
    if not path.exists():
        if any(p.name.startswith(f".{path.name}.old-") for p in path.parent.glob(f".{path.name}.*")):
            raise StoreError(f"{path}: no store here: a build replacing it was interrupted; "
                             f"run `kg build --store {path}` again")
        raise StoreError(f"{path}: no such store: {hint}")
    if not path.is_dir():
        raise StoreError(f"{path}: not a store folder (a file): {hint}, or query a graph file with --graph")
    marker = path / STORE_MARKER
    if not marker.is_file():
        raise StoreError(f"{path}: not a kg store (no {STORE_MARKER}): {hint}")
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        info = StoreInfo(**{k: data[k] for k in ("triples", "loaded_from")},
                         **{k: data[k] for k in ("union", "fingerprint", "kg_version", "format") if k in data})
        if not isinstance(info.triples, int) or info.format != STORE_FORMAT:
            raise ValueError("other format")
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError(f"{path}: damaged or of another kg version ({STORE_MARKER} unreadable): "
                         f"rebuild it with `kg build --store {path}`") from None
    return info


def open_store(path: str | Path) -> Source:
    """The store at ``path``, opened read-only, as a :class:`kg.sparql.Source` to run queries on."""
    path = Path(path)
    info = read_info(path)
    ox = _pyoxigraph()
    try:
        store = ox.Store.read_only(str(path))
    except (OSError, RuntimeError, ValueError) as err:
        raise StoreError(f"{path}: damaged store ({_first_line(err)}): rebuild it with "
                         f"`kg build --store {path}`") from None
    return Source(store, union=info.union)


def store_matches(path: str | Path, fingerprint: str) -> bool:
    """True if ``path`` holds a complete store of the build with this fingerprint."""
    try:
        return read_info(path).fingerprint == fingerprint
    except StoreError:
        return False


def _first_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text[:200]


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise KgError("the store needs pyoxigraph: pip install 'kg[sparql]'") from None
    return pyoxigraph


def resolve_target(path: str | Path, *, store: bool = False) -> Path:
    """What ``--graph`` or ``--store`` names, checked here so a mistake is one line, not a worker's failure."""
    if store:
        read_info(path)
        return Path(path)
    return resolve_graph(path)


def query_store(path: str | Path, query: str, *, allow_service: bool = False) -> Answer:
    """Run ``query`` (text, or a .rq file) over the store of ``kg build --store`` at ``path``, in this process."""
    return run(open_store(path), read_query(query), allow_service=allow_service)
