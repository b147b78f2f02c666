"""Files kg writes: atomically, so a killed build leaves the old file or the new one, never half.

Every output, cache entry and saved article goes through :func:`write_atomic`
(a test checks that nothing in kg writes a file in place), and every folder a
long run will write to is checked first (:func:`check_writable`), so a build
fails at once rather than after an hour of parsing.
"""

from __future__ import annotations

import errno
import glob
import gzip
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from kg.errors import KgError


def check_writable(folder: str | Path, *, what: str, hint: str = "") -> None:
    """Fail now, not after an hour of parsing, if ``folder`` cannot be created or written."""
    folder = Path(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # the folder is made when the first file is written, not now
    try:
        if not existing.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder")
        if existing == folder:
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".kg-probe.", suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        elif not os.access(existing, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, f"{existing} cannot be written")
    except OSError as err:
        raise KgError(f"{folder}: the {what} cannot be written ({err.strerror or err}){hint}") from None


@contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through, piece by piece: renamed into place only when complete.

    :func:`write_atomic` for outputs too large to hold as one ``bytes`` (the
    Turtle of a whole news archive): the pieces stream into a temporary file
    beside ``path``; an error or a kill leaves the old ``path`` untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _remove_stale_temps(path)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    with atomic_writer(path) as fh:
        fh.write(data)


def swap_folder(new: Path, path: Path, *, aside: Path) -> None:
    """Put the complete folder ``new`` at ``path`` by rename; the old one goes ``aside``, then away.

    A reader sees the old folder or the new one, never a half-written one (a store of ``kg build --store``).
    """
    old = None
    if path.exists():
        old = aside
        os.rename(path, old)
    os.rename(new, path)
    _sync_folder(path.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a power cut after the build returns keeps the new folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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


def write_json_gz(path: Path, data: object) -> None:
    """Compact JSON, gzipped without a timestamp (same data, same bytes), written atomically: a cache entry."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_atomic(path, gzip.compress(payload.encode("utf-8"), mtime=0))


def read_json_gz(path: Path) -> object:
    """What :func:`write_json_gz` wrote; OSError, ValueError or EOFError if it is absent or damaged."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)
