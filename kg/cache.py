"""A content-addressed cache of parsed documents.

The parse is the only expensive step, so its result is kept on disk under a
key made of the document text, the model's name and version, and our own
parse-format version. A rebuild parses only new or changed documents; the
key does not involve the file name, so renaming a file costs nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from sys import intern

from kg.files import read_json_gz, write_json_gz
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
        try:
            data = read_json_gz(self._path(key))
        except (OSError, ValueError, EOFError, RecursionError):
            return None
        try:
            return parsed_from_dict(data, doc_id=doc_id)
        except ValueError:
            return None  # written by something else, or damaged: a miss, parsed again and rewritten

    def put(self, key: str, parsed: ParsedDoc) -> None:
        """Store a parse atomically: a killed build never leaves half a file behind."""
        write_json_gz(self._path(key), parsed_to_dict(parsed))


def parsed_to_dict(parsed: ParsedDoc) -> dict[str, object]:
    """Columnar, compact JSON form of a parse (tokens as lists, not objects)."""
    return {
        "sentences": [list(s) for s in parsed.sentences],
        "tokens": [list(asdict(t).values()) for t in parsed.tokens],
        "ents": [[e.start, e.end, e.label] for e in parsed.ents],
        "spans": [[e.start, e.end, e.label] for e in parsed.spans],
    }


def parsed_from_dict(data: object, *, doc_id: str) -> ParsedDoc:
    """Inverse of :func:`parsed_to_dict`; anything of another shape raises ValueError."""
    if not isinstance(data, dict) or not all(isinstance(data.get(k), list)
                                             for k in ("sentences", "tokens", "ents", "spans")):
        raise ValueError("not a kg parse")
    sentences = tuple(_row(s, _SPAN) for s in data["sentences"])
    tokens = tuple(Token(*_row(row, _TOKEN)) for row in data["tokens"])
    ents = tuple(NerSpan(*_row(e, _NER)) for e in data["ents"])
    spans = tuple(NerSpan(*_row(e, _NER)) for e in data["spans"])
    n = len(tokens)
    if any(t.i != k or not 0 <= t.head < n or not 0 <= t.start <= t.end for k, t in enumerate(tokens)) \
            or any(not 0 <= s <= e for s, e in sentences) or any(not 0 <= e.start <= e.end for e in (*ents, *spans)):
        raise ValueError("inconsistent kg parse")
    return ParsedDoc(doc_id=doc_id, sentences=sentences, tokens=tokens, ents=ents,  # type: ignore[arg-type]
                     spans=spans)  # type: ignore[arg-type]


# Column types of a cached parse's rows: spans, tokens (the fields of kg.model.Token), NER spans.
_SPAN = (int, int)
_TOKEN = (int, int, int, str, str, str, str, str, int, str)
_NER = (int, int, str)


def _row(row: object, types: tuple[type, ...]) -> tuple[object, ...]:
    """A row of the given column types, strings interned; anything else raises ValueError.

    One string object per distinct word, tag and label, not one per token: a
    corpus's parses are all held in memory for the reduce.
    """
    if not isinstance(row, list) or len(row) != len(types) \
            or not all(type(v) is t for v, t in zip(row, types)):  # noqa: E721 (bool is not an int here)
        raise ValueError("not a kg parse row")
    return tuple(intern(v) if isinstance(v, str) else v for v in row)
