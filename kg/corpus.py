"""Readers: turn files and folders into :class:`~kg.model.Document` records.

Formats: ``.txt`` and ``.md`` (one article a file, id = file name),
``.html``/``.htm`` (one article a page: its main text, title and canonical
URL, extracted by trafilatura) and ``.jsonl`` (one article a line: ``id``,
``text``, optional ``title``, ``date``, ``url``), the way news data sets ship.

Real corpora are messy, so reading never crashes on a file's content: every
file either becomes documents, or is skipped with a warning that names it and
says why, or (``on_error="stop"``, the default, for content that is broken
rather than merely empty) stops the build with one :class:`CorpusError` line.
Decoding is :mod:`kg.decoding`'s, page extraction :mod:`kg.htmlpage`'s; the
encoding used is kept in ``Document.meta["encoding"]`` and reported as a notice.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kg.chrome import chrome_spans
from kg.decoding import Decoded, decode_bytes
from kg.errors import CorpusError
from kg.htmlpage import HtmlPage, extract_html
from kg.model import Document
from kg.spans import URL

__all__ = ["Corpus", "Decoded", "HtmlPage", "ON_ERROR_CHOICES", "OnError", "SUPPORTED_SUFFIXES",
           "decode_bytes", "extract_html", "headline", "japanese_share", "load_corpus", "make_document",
           "normalize_newlines", "read_corpus"]

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

OnError = Literal["stop", "skip"]
ON_ERROR_CHOICES: tuple[OnError, ...] = ("stop", "skip")

# URLs are ASCII; stop at the first non-ASCII character (Japanese text often
# follows a URL with no space) and at closing brackets/quotes.
# Lone UTF-16 surrogates: JSON can spell them ("\ud800"), UTF-8 cannot carry them,
# and Sudachi refuses them, so they become U+FFFD (same length: offsets keep).
_SURROGATE = re.compile("[\ud800-\udfff]")
# A first line longer than this is the article's first paragraph, not its headline.
MAX_HEADLINE = 100
# A sentence ends at 。！？ (full or half width), or at a closing quote right after one.
_SENTENCE_END = re.compile(r"[。！？!?][」』）)]?")
# Below this share of Japanese script (kana, kanji) among letters a text gets a notice.
_MIN_JAPANESE_SHARE = 0.2


@dataclass
class Corpus:
    """What reading a corpus gave: documents, plus what was skipped or worth knowing.

    ``warnings`` name files (or ``file:line``) that were skipped or changed
    (bytes replaced); ``notices`` say what was done that the user may want to
    know (an encoding detected, duplicates merged, text that is not Japanese).
    Both are ``"SOURCE: reason"`` lines.
    """

    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def read_corpus(paths: Iterable[str | Path], *, on_error: OnError = "stop") -> list[Document]:
    """Read every supported file under ``paths``; see :func:`load_corpus` for the report."""
    return load_corpus(paths, on_error=on_error).documents


def load_corpus(paths: Iterable[str | Path], *, on_error: OnError = "stop",
                exclude: Iterable[str | Path] = (), follow_symlinks: bool = False) -> Corpus:
    """Read every supported file under ``paths`` (files or folders), in a stable order.

    Broken content (a binary file, an undecodable one, a malformed ``.jsonl``
    line) raises :class:`CorpusError` naming file and line when ``on_error`` is
    ``"stop"``; with ``"skip"`` it is left out and listed in ``warnings``.
    Empty files are always skipped with a warning. A path that does not exist
    is always an error: it is a mistake in the command, not in the corpus.

    Documents with identical text under different names are read once; the
    other names are kept in ``meta["duplicates"]`` so nothing is silently lost.
    Files in an ``exclude`` folder (the build's own output folder, so that
    ``kg build .`` does not read last time's graph.html as an article) are not read.

    A document's id is its path relative to the folder given (``a.txt`` for a
    file directly in it, ``sub/a.txt`` deeper), or the name of a file given
    on its own. Symbolic links whose target lies outside the folders given are
    skipped with a warning unless ``follow_symlinks`` (``ln -s /etc/shadow
    corpus/x.md`` must not publish a line of it); only regular files are read.
    """
    if on_error not in ON_ERROR_CHOICES:
        raise CorpusError(f"on_error must be one of {', '.join(ON_ERROR_CHOICES)}, not {on_error!r}")
    reader = _Reader(on_error=on_error)
    corpus = reader.corpus
    by_text: dict[str, int] = {}
    seen_ids: set[str] = set()
    for doc, source in reader.documents(paths, exclude=[Path(p).resolve() for p in exclude],
                                        follow_symlinks=follow_symlinks):
        if doc.id in seen_ids:
            reader.problem(source, f"another document already has the id {doc.id!r}: rename one of them")
            continue
        seen_ids.add(doc.id)
        first = by_text.get(doc.text)
        if first is not None:
            kept = corpus.documents[first]
            names = kept.meta.get("duplicates", "")
            kept.meta["duplicates"] = f"{names} {doc.id}".strip()
            corpus.notices.append(f"{source}: same text as {kept.id}; kept as one document under both names")
            continue
        by_text[doc.text] = len(corpus.documents)
        corpus.documents.append(doc)
        share = japanese_share(doc.text)
        if share < _MIN_JAPANESE_SHARE:
            corpus.notices.append(f"{source}: little Japanese text ({share:.0%} of letters are kana or "
                                  "kanji); the Japanese model will find few entities in it")
    return corpus


def corpus_stamp(paths: Iterable[str | Path]) -> tuple[tuple[str, str, int, int], ...]:
    """What the files under ``paths`` are now: each file's id, path, size and modification time.

    Two equal stamps mean the same files, unchanged (as far as the file system
    tells), so :class:`kg.Project` reuses its last read of a corpus instead of
    decoding thousands of articles again before adding one.
    """
    stamp = []
    for file, doc_id in _iter_files(paths):
        try:
            info = file.stat()
        except OSError:
            info = None
        stamp.append((doc_id, str(file), info.st_size if info else -1, info.st_mtime_ns if info else -1))
    return tuple(stamp)


class _Reader:
    """Walks the paths and turns each file into documents, recording what it skips."""

    def __init__(self, *, on_error: OnError) -> None:
        self.on_error = on_error
        self.corpus = Corpus()

    def problem(self, source: str, reason: str) -> None:
        """Broken input: stop with one line, or skip it with a warning."""
        if self.on_error == "stop":
            raise CorpusError(f"{source}: {reason} (use --on-error skip to skip it)")
        self.corpus.warnings.append(f"{source}: {reason}; skipped")

    def documents(self, paths: Iterable[str | Path], *, exclude: list[Path],
                  follow_symlinks: bool = False) -> Iterator[tuple[Document, str]]:
        for file, doc_id in _iter_files(paths, exclude=exclude, follow_symlinks=follow_symlinks,
                                        warnings=self.corpus.warnings):
            suffix = file.suffix.lower()
            try:
                data = file.read_bytes()
            except OSError as err:
                self.problem(str(file), f"cannot be read ({err.strerror or err})")
                continue
            if suffix in JSONL_SUFFIXES:
                yield from self._jsonl(file, data, doc_id)
                continue
            doc = self._single(file, data, doc_id, html=suffix in HTML_SUFFIXES)
            if doc is not None:
                yield doc, str(file)

    def _decode(self, source: str, data: bytes) -> Decoded | None:
        try:
            decoded = decode_bytes(data, source=source)
        except CorpusError as err:
            self.problem(source, str(err).removeprefix(f"{source}: "))
            return None
        if decoded.replaced:
            self.corpus.warnings.append(f"{source}: {decoded.replaced} invalid {decoded.encoding} "
                                        "byte sequence(s) replaced with U+FFFD")
        if decoded.encoding != "utf-8":
            self.corpus.notices.append(f"{source}: read as {decoded.encoding}")
        return decoded

    def _single(self, file: Path, data: bytes, doc_id: str, *, html: bool) -> Document | None:
        source = str(file)
        if not data.strip():
            what = "only whitespace" if data else "empty file"
            self.corpus.warnings.append(f"{source}: {what}; skipped")
            return None
        decoded = self._decode(source, data)
        if decoded is None:
            return None
        meta = {"encoding": decoded.encoding}
        title = None
        text = decoded.text
        if html:
            try:
                page = extract_html(text)
            except CorpusError as err:
                self.problem(source, str(err))
                return None
            text, title = page.text, page.title
            if page.url:
                meta["url"] = page.url
        if not text.strip():
            what = "no article text found in the page" if html else "only whitespace"
            self.corpus.warnings.append(f"{source}: {what}; skipped")
            return None
        name, bad = _SURROGATE.subn("\ufffd", doc_id)  # a file name that is not valid UTF-8
        if bad:
            self.corpus.notices.append(f"{source}: the file name is not valid UTF-8; its id is {name!r}")
        return make_document(name, text, title=title, meta=meta)

    def _jsonl(self, file: Path, data: bytes, doc_id: str) -> Iterator[tuple[Document, str]]:
        if not data.strip():
            self.corpus.warnings.append(f"{file}: empty file; skipped")
            return
        decoded = self._decode(str(file), data)
        if decoded is None:
            return
        # Split on LF only: a JSON string may hold U+2028 or other characters
        # that str.splitlines() would wrongly treat as line ends.
        for number, line in enumerate(normalize_newlines(decoded.text).split("\n"), start=1):
            if not line.strip():
                continue
            source = f"{file}:{number}"
            doc = self._record(source, line, default_id=f"{doc_id}:{number}", encoding=decoded.encoding)
            if doc is not None:
                yield doc, source

    def _record(self, source: str, line: str, *, default_id: str, encoding: str) -> Document | None:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            self.problem(source, f"not valid JSON ({err.msg} at column {err.colno})")
            return None
        except RecursionError:
            self.problem(source, "not valid JSON (nested too deeply)")
            return None
        except ValueError:  # Python refuses to read an integer of more than 4,300 digits
            self.problem(source, "not valid JSON (a number of more than 4,300 digits)")
            return None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            self.problem(source, "a record needs a string field 'text'")
            return None
        for name in ("id", "title", "date", "url"):
            if record.get(name) is not None and not isinstance(record[name], (str, int)):
                self.problem(source, f"field {name!r} must be a string, not {type(record[name]).__name__}")
                return None
        text = record["text"]
        if not text.strip():
            self.corpus.warnings.append(f"{source}: empty 'text'; skipped")
            return None
        fields = {k: str(record[k]) for k in ("id", "title", "date", "url") if record.get(k) not in (None, "")}
        text, lone = _SURROGATE.subn("\ufffd", text)
        for name, value in fields.items():
            fields[name], n = _SURROGATE.subn("\ufffd", value)
            lone += n
        if lone:
            self.corpus.warnings.append(f"{source}: {lone} lone surrogate escape(s) replaced with U+FFFD")
        meta = {k: fields[k] for k in ("date", "url") if k in fields}
        meta["encoding"] = encoding
        return make_document(fields.get("id", default_id), text, title=fields.get("title"), meta=meta)


def _iter_files(paths: Iterable[str | Path], *, exclude: Sequence[Path] = (), follow_symlinks: bool = False,
                warnings: list[str] | None = None) -> Iterator[tuple[Path, str]]:
    """Every file to read under ``paths``, with its document id, in a stable order.

    Checks every path before yielding any, so a typo fails before a long read.
    """
    warnings = warnings if warnings is not None else []
    given = [Path(raw) for raw in paths]
    for path in given:
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
    roots = [p.resolve() for p in given if p.is_dir()]
    singles = [p for p in given if not p.is_dir()]
    names = [p.name for p in singles]
    for path in given:
        if path.is_dir():
            yield from _walk(path, roots=roots, exclude=exclude, follow_symlinks=follow_symlinks, warnings=warnings)
            continue
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            allowed = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise CorpusError(f"{path}: unsupported file type {path.suffix!r} (use one of {allowed})")
        if not path.is_file():  # a FIFO would block the read forever, a device never end
            raise CorpusError(f"{path}: not a regular file")
        # Two files of the same name given on their own: both are known by the path as given.
        yield path, path.name if names.count(path.name) == 1 else path.as_posix()


def _walk(folder: Path, *, roots: list[Path], exclude: Sequence[Path], follow_symlinks: bool,
          warnings: list[str]) -> Iterator[tuple[Path, str]]:
    """The supported files under ``folder``, ids relative to it; links out of ``roots`` skipped."""
    root = folder.resolve()
    # The output folder is left out when it lies inside the folder read (kg build . --out output),
    # not when the folder read lies inside it (kg build corpus --out .): then only its own outputs are.
    skip_dirs = [x for x in exclude if x != root and x.is_relative_to(root)]
    skip_files = {x / name for x in exclude if root.is_relative_to(x) for name in _OUTPUT_NAMES}
    found: list[tuple[str, Path]] = []
    for top, dirs, files in os.walk(folder, followlinks=follow_symlinks):
        here = Path(top)
        rel_top = here.relative_to(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not any((here / d).resolve() == x for x in skip_dirs)
                         and _link_allowed(here / d, roots, follow_symlinks, warnings))
        for name in files:
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if path.resolve() in skip_files or not _link_allowed(path, roots, follow_symlinks, warnings):
                continue
            if not path.is_file():
                continue  # FIFOs, sockets, devices, broken links: not articles
            found.append(((rel_top / name).as_posix(), path))
    for doc_id, path in sorted(found, key=lambda item: item[0].split("/")):
        yield path, doc_id


_OUTPUT_NAMES = ("graph.html", "graph.json", "graph.ttl", "graph.jsonld", "graph.nt", "graph.trig")


def _link_allowed(path: Path, roots: list[Path], follow_symlinks: bool, warnings: list[str]) -> bool:
    """A symbolic link is read only if it stays inside the folders given, or ``follow_symlinks``."""
    if not path.is_symlink() or follow_symlinks:
        return True
    target = path.resolve()
    if any(target.is_relative_to(root) for root in roots):
        return not target.is_dir()  # a link to a folder inside: its files are read where they are
    if path.suffix.lower() in SUPPORTED_SUFFIXES or target.is_dir():
        warnings.append(f"{path}: a symbolic link out of the folders given (to {target}); skipped "
                        "(--follow-symlinks reads it)")
    return False


def read_text_file(path: Path) -> Document:
    """Read one ``.txt``/``.md`` article; its id is the file name. Raises on any problem."""
    docs = load_corpus([path]).documents
    if not docs:
        raise CorpusError(f"{path}: no text in it")
    return docs[0]


def read_jsonl(path: Path) -> Iterator[Document]:
    """Read a JSON Lines file, one article a line, naming the line of any bad record."""
    yield from load_corpus([path]).documents




def make_document(doc_id: str, text: str, *, title: str | None = None,
                  meta: dict[str, str] | None = None) -> Document:
    """Build a Document, deriving its title (:func:`headline`) and source URLs."""
    text = normalize_newlines(text)
    if title is None:
        title = headline(text)
    urls = tuple(dict.fromkeys(u for u in URL.findall(text) if "://" in u))  # www.… alone is no address
    meta = dict(meta or {})
    if "url" in meta and meta["url"] not in urls:
        urls = (meta["url"], *urls)
    return Document(id=doc_id, text=text, title=title, urls=urls, meta=meta)


def headline(text: str) -> str:
    """The article's headline: its first line that is not site chrome.

    Text copied from a news page often starts with the site's menu
    (メインメニューへスキップ…) or a share button; :mod:`kg.chrome` knows those
    lines, so they are passed over. A first line longer than
    :data:`MAX_HEADLINE` characters is the article's opening paragraph (the page
    had no headline): its first sentence stands in, cut to that length.
    """
    chrome = {start for start, _ in chrome_spans(text)}
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        words = " ".join(line.split())
        if not words or start in chrome:
            continue
        if len(words) <= MAX_HEADLINE:
            return words
        end = _SENTENCE_END.search(words)
        first = words[:end.end()] if end else words
        return first if len(first) <= MAX_HEADLINE else first[:MAX_HEADLINE - 1] + "…"
    return ""


def normalize_newlines(text: str) -> str:
    """Turn CRLF/CR into LF and drop a leading BOM, so offsets mean the same on every OS."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def japanese_share(text: str) -> float:
    """The share of letters that are kana or kanji (1.0 for a text with no letters)."""
    letters = japanese = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        if "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" \
                or "\uff66" <= ch <= "\uff9f" or ch in "々〆ヵヶ":
            japanese += 1
    return japanese / letters if letters else 1.0
