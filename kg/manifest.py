"""Up-to-date checks for ``kg build``: nothing changed, nothing to do.

After a build, the output folder holds ``.kg-build.json``: a fingerprint of
everything the outputs depend on (kg's version, the model, each document's
content, the user's lexicon and rule files, the options) and the build's
summary. When the next build's fingerprint is the same and every output file
is still there, the outputs are already right and the build can stop before
the reduce step and the writers, like ``make`` does.

The manifest is removed before the first output is replaced and written
last, atomically, with a digest of each output: a build killed in between
leaves no manifest, and an output changed since (by hand, or by a build
killed half-way) no longer matches its digest, so the next build rebuilds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.cache import cache_key
from kg.files import write_atomic
from kg.model import Document
from kg.nlp import model_id
from kg.version import __version__

MANIFEST_NAME = ".kg-build.json"


def fingerprint(docs: Sequence[Document], *, model: str, files: Iterable[str | Path | None] = (),
                settings: Mapping[str, Any] | None = None) -> str:
    """A digest of what a build's outputs depend on: every field of every document, files, options."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"kg": __version__, "model": model_id(model), "settings": settings or {}},
                             sort_keys=True, default=str).encode())
    mid = model_id(model)
    for doc in docs:
        # Every field that reaches an output: a .jsonl change of `date` alone must rebuild.
        fields = [doc.id, doc.title, list(doc.urls), sorted(doc.meta.items()), cache_key(doc.text, model=mid)]
        digest.update(b"\n" + json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass"))
    for path in files:
        if path is not None:
            digest.update(b"\nfile\t" + Path(path).read_bytes())
    return digest.hexdigest()


def up_to_date(out_dir: str | Path, digest: str) -> dict[str, Any] | None:
    """The stored manifest if it has this fingerprint and every output it lists is the one it wrote."""
    out = Path(out_dir)
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("fingerprint") != digest:
        return None
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return None
    for name, expected in outputs.items():
        if not isinstance(name, str) or "/" in name or _file_digest(out / name) != expected:
            return None  # missing, edited, or left by a build killed half-way
    return manifest


def begin_outputs(out_dir: str | Path) -> None:
    """Forget the last build before the first output is replaced.

    A build killed between two output writes then leaves no manifest, so the
    next build rebuilds instead of taking mixed outputs for up to date.
    """
    (Path(out_dir) / MANIFEST_NAME).unlink(missing_ok=True)


def write_manifest(out_dir: str | Path, digest: str, *, summary: Mapping[str, Any],
                   outputs: Iterable[str | Path] = ()) -> None:
    """Record a finished build, with a digest of each output; call it after every output is written."""
    out = Path(out_dir)
    files = {Path(p).name: _file_digest(out / Path(p).name) for p in outputs}
    data = {"fingerprint": digest, **summary, "outputs": dict(sorted(files.items()))}
    write_atomic(out / MANIFEST_NAME, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())


def _file_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
