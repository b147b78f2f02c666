"""A content-addressed cache of parsed documents.

The parse is the only expensive step, so its result is kept on disk under a
key made of the document text, the model's name and version, and our own
parse-format version. A rebuild parses only new or changed documents; the
key does not involve the file name, so renaming a file costs nothing.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from sys import intern

from kg.model import NerSpan, ParsedDoc, Token

DEFAULT_CACHE_DIR = Path(".kg-cache")


def cache_key(text: str, *, model: str) -> str:
    """The key of one document's parse: sha256 over model id and text."""
    digest = hashlib.sha256()
    digest.update(model.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ParseCache:
    """Parsed documents stored as gzipped JSON files named by their key."""

    def __init__(self, root: str | Path = DEFAULT_CACHE_DIR) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json.gz"

    def get(self, key: str, *, doc_id: str) -> ParsedDoc | None:
        """The cached parse for ``key`` (relabelled ``doc_id``), or None if absent or unreadable."""
        path = self._path(key)
        try:
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError, EOFError):
            return None
        return parsed_from_dict(data, doc_id=doc_id)

    def put(self, key: str, parsed: ParsedDoc) -> None:
        """Store a parse atomically: a killed build never leaves half a file behind."""
        payload = json.dumps(parsed_to_dict(parsed), ensure_ascii=False, separators=(",", ":"))
        write_atomic(self._path(key), gzip.compress(payload.encode("utf-8"), mtime=0))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _remove_stale_temps(path)


#: A temporary file older than this was left by a killed writer, not one still writing.
STALE_TEMP_SECONDS = 60.0


def _remove_stale_temps(path: Path) -> None:
    """Delete temporary files of ``path`` that a killed build left behind (old ones only)."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass  # gone already, or not ours to delete: harmless either way


def _umask() -> int:
    # mkstemp creates files 0600; give outputs the permissions a plain open() would.
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parsed_to_dict(parsed: ParsedDoc) -> dict[str, object]:
    """Columnar, compact JSON form of a parse (tokens as lists, not objects)."""
    return {
        "sentences": [list(s) for s in parsed.sentences],
        "tokens": [list(asdict(t).values()) for t in parsed.tokens],
        "ents": [[e.start, e.end, e.label] for e in parsed.ents],
        "spans": [[e.start, e.end, e.label] for e in parsed.spans],
    }


def parsed_from_dict(data: dict[str, object], *, doc_id: str) -> ParsedDoc:
    """Inverse of :func:`parsed_to_dict`."""
    return ParsedDoc(
        doc_id=doc_id,
        sentences=tuple((int(s), int(e)) for s, e in data["sentences"]),  # type: ignore[union-attr]
        tokens=tuple(_token(row) for row in data["tokens"]),  # type: ignore[union-attr]
        ents=tuple(NerSpan(s, e, intern(label)) for s, e, label in data["ents"]),  # type: ignore[union-attr]
        spans=tuple(NerSpan(s, e, intern(label)) for s, e, label in data["spans"]),  # type: ignore[union-attr]
    )


def _token(row: list) -> Token:  # type: ignore[type-arg]
    # One string object per distinct word, tag and label, not one per token: a
    # corpus's parses are all held in memory for the reduce.
    return Token(*(intern(v) if isinstance(v, str) else v for v in row))
