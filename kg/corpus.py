"""Readers: turn files and folders into :class:`~kg.model.Document` records.

Formats: ``.txt`` and ``.md`` (one article a file, id = file name) and
``.jsonl`` (one article a line: ``id``, ``text``, optional ``title``, ``date``,
``url``), the way news data sets ship. Encodings other than UTF-8 are detected
with charset-normalizer rather than guessed by hand.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import CorpusError
from kg.model import Document

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES

# URLs are ASCII; stop at the first non-ASCII character (Japanese text often
# follows a URL with no space) and at closing brackets/quotes.
_URL = re.compile(r"https?://[!#-'*-;=?-~]+")


def read_corpus(paths: Iterable[str | Path]) -> list[Document]:
    """Read every supported file under ``paths`` (files or folders), in a stable order.

    Documents with identical text under different names are read once; the
    other names are kept in ``meta["duplicates"]`` so nothing is silently lost.
    """
    docs: list[Document] = []
    by_text: dict[str, int] = {}
    seen_ids: set[str] = set()
    for doc in _iter_documents(paths):
        if doc.id in seen_ids:
            raise CorpusError(f"two documents share the id {doc.id!r}: rename one of them")
        seen_ids.add(doc.id)
        first = by_text.get(doc.text)
        if first is not None:
            kept = docs[first]
            names = kept.meta.get("duplicates", "")
            kept.meta["duplicates"] = f"{names} {doc.id}".strip()
            continue
        by_text[doc.text] = len(docs)
        docs.append(doc)
    return docs


def _iter_documents(paths: Iterable[str | Path]) -> Iterator[Document]:
    for file in _iter_files(paths):
        if file.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(file)
        else:
            yield read_text_file(file)


def _iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise CorpusError(f"{path}: unsupported file type {path.suffix!r} (use one of {allowed})")


def read_text_file(path: Path) -> Document:
    """Read one ``.txt``/``.md`` article; its id is the file name."""
    text = decode_bytes(path.read_bytes(), source=str(path))
    return make_document(path.name, text)


def read_jsonl(path: Path) -> Iterator[Document]:
    """Read a JSON Lines file, one article a line, naming the line of any bad record."""
    text = decode_bytes(path.read_bytes(), source=str(path))
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise CorpusError(f"{path}:{number}: a record needs a string field 'text'")
        doc_id = str(record.get("id") or f"{path.name}:{number}")
        meta = {k: str(record[k]) for k in ("date", "url") if record.get(k)}
        yield make_document(doc_id, record["text"], title=record.get("title"), meta=meta)


def make_document(doc_id: str, text: str, *, title: str | None = None,
                  meta: dict[str, str] | None = None) -> Document:
    """Build a Document, deriving its title (first non-empty line) and source URLs."""
    text = normalize_newlines(text)
    if title is None:
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    urls = tuple(dict.fromkeys(_URL.findall(text)))
    meta = dict(meta or {})
    if "url" in meta and meta["url"] not in urls:
        urls = (meta["url"], *urls)
    return Document(id=doc_id, text=text, title=title, urls=urls, meta=meta)


def normalize_newlines(text: str) -> str:
    """Turn CRLF/CR into LF and drop a BOM, so offsets mean the same on every OS."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes, *, source: str) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) first, else detect the encoding."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = from_bytes(data).best()
    if match is None:
        raise CorpusError(f"{source}: cannot tell the text encoding; save it as UTF-8")
    return unicodedata.normalize("NFC", str(match))
