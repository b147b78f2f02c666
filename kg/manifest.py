"""Up-to-date checks for ``kg build``: nothing changed, nothing to do.

After a build, the output folder holds ``.kg-build.json``: a fingerprint of
everything the outputs depend on (kg's version, the model, each document's
content, the user's lexicon and rule files, the options) and the build's
summary. When the next build's fingerprint is the same and every output file
is still there, the outputs are already right and the build can stop before
the reduce step and the writers, like ``make`` does.

The manifest is written last and atomically: a build killed before it
leaves the old manifest, whose fingerprint no longer matches new inputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.cache import cache_key, write_atomic
from kg.model import Document
from kg.nlp import model_id

MANIFEST_NAME = ".kg-build.json"


def fingerprint(docs: Sequence[Document], *, model: str, files: Iterable[str | Path | None] = (),
                settings: Mapping[str, Any] | None = None) -> str:
    """A digest of what a build's outputs depend on."""
    from kg import __version__

    digest = hashlib.sha256()
    digest.update(json.dumps({"kg": __version__, "model": model_id(model), "settings": settings or {}},
                             sort_keys=True, default=str).encode())
    mid = model_id(model)
    for doc in docs:
        digest.update(f"\n{doc.id}\t{doc.title}\t{' '.join(doc.urls)}\t{cache_key(doc.text, model=mid)}".encode())
    for path in files:
        if path is not None:
            digest.update(b"\nfile\t" + Path(path).read_bytes())
    return digest.hexdigest()


def up_to_date(out_dir: str | Path, digest: str) -> dict[str, Any] | None:
    """The stored manifest if it has this fingerprint and every file it lists still exists, else None."""
    out = Path(out_dir)
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = manifest.get("files") or []
    if manifest.get("fingerprint") != digest or not files or not all((out / name).is_file() for name in files):
        return None
    return manifest


def write_manifest(out_dir: str | Path, digest: str, *, summary: Mapping[str, Any]) -> None:
    """Record a finished build; call it after every output is written."""
    data = {"fingerprint": digest, **summary}
    write_atomic(Path(out_dir) / MANIFEST_NAME, (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode())
