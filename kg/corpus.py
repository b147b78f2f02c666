"""Readers: turn files and folders into :class:`~kg.model.Document` records.

Formats: ``.txt`` and ``.md`` (one article a file, id = file name),
``.html``/``.htm`` (one article a page: its main text, title and canonical
URL, extracted by trafilatura) and ``.jsonl`` (one article a line: ``id``,
``text``, optional ``title``, ``date``, ``url``), the way news data sets ship.

Real corpora are messy, so reading never crashes on a file's content: every
file either becomes documents, or is skipped with a warning that names it and
says why, or (``on_error="stop"``, the default, for content that is broken
rather than merely empty) stops the build with one :class:`CorpusError` line.
Encodings other than UTF-8 are detected with charset-normalizer, and the
encoding used is kept in ``Document.meta["encoding"]`` and reported as a notice.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from charset_normalizer import CharsetMatch, from_bytes

from kg.errors import CorpusError
from kg.model import Document

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

OnError = Literal["stop", "skip"]
ON_ERROR_CHOICES: tuple[OnError, ...] = ("stop", "skip")

# URLs are ASCII; stop at the first non-ASCII character (Japanese text often
# follows a URL with no space) and at closing brackets/quotes.
_URL = re.compile(r"https?://[!#-'*-;=?-~]+")
# Lone UTF-16 surrogates: JSON can spell them ("\ud800"), UTF-8 cannot carry them,
# and Sudachi refuses them, so they become U+FFFD (same length: offsets keep).
_SURROGATE = re.compile("[\ud800-\udfff]")
# ISO-2022-JP switches character sets with escape sequences; its bytes are all
# ASCII, so it would otherwise pass as (garbled) UTF-8.
_ISO2022_ESCAPES = (b"\x1b$@", b"\x1b$B", b"\x1b$(D", b"\x1b(J", b"\x1b(I")
# charset-normalizer codec names (prefixes) of Japanese and of other East Asian encodings.
_JAPANESE_CODECS = ("cp932", "shift_jis", "euc_j", "iso2022_jp")
_OTHER_CJK_CODECS = ("cp949", "euc_kr", "johab", "big5", "cp950", "gb", "hz", "iso2022_kr")
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


@dataclass(frozen=True)
class Decoded:
    """A file's text and the codec it was read with (a Python codec name)."""

    text: str
    encoding: str
    replaced: int = 0


def read_corpus(paths: Iterable[str | Path], *, on_error: OnError = "stop") -> list[Document]:
    """Read every supported file under ``paths``; see :func:`load_corpus` for the report."""
    return load_corpus(paths, on_error=on_error).documents


def load_corpus(paths: Iterable[str | Path], *, on_error: OnError = "stop",
                exclude: Iterable[str | Path] = ()) -> Corpus:
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
    """
    if on_error not in ON_ERROR_CHOICES:
        raise CorpusError(f"on_error must be one of {', '.join(ON_ERROR_CHOICES)}, not {on_error!r}")
    reader = _Reader(on_error=on_error)
    corpus = reader.corpus
    by_text: dict[str, int] = {}
    seen_ids: set[str] = set()
    for doc, source in reader.documents(paths, exclude=[Path(p).resolve() for p in exclude]):
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

    def documents(self, paths: Iterable[str | Path], *,
                  exclude: list[Path]) -> Iterator[tuple[Document, str]]:
        for file in _iter_files(paths):
            if any(file.resolve().is_relative_to(folder) for folder in exclude):
                continue
            suffix = file.suffix.lower()
            try:
                data = file.read_bytes()
            except OSError as err:
                self.problem(str(file), f"cannot be read ({err.strerror or err})")
                continue
            if suffix in JSONL_SUFFIXES:
                yield from self._jsonl(file, data)
                continue
            doc = self._single(file, data, html=suffix in HTML_SUFFIXES)
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

    def _single(self, file: Path, data: bytes, *, html: bool) -> Document | None:
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
        return make_document(file.name, text, title=title, meta=meta)

    def _jsonl(self, file: Path, data: bytes) -> Iterator[tuple[Document, str]]:
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
            doc = self._record(source, line, default_id=f"{file.name}:{number}", encoding=decoded.encoding)
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
        text, lone = _SURROGATE.subn("\ufffd", text)
        if lone:
            self.corpus.warnings.append(f"{source}: {lone} lone surrogate escape(s) replaced with U+FFFD")
        doc_id = str(record.get("id") or default_id)
        meta = {k: str(record[k]) for k in ("date", "url") if record.get(k)}
        meta["encoding"] = encoding
        title = record.get("title")
        return make_document(doc_id, text, title=None if title is None else str(title), meta=meta)


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
    """Read one ``.txt``/``.md`` article; its id is the file name. Raises on any problem."""
    docs = load_corpus([path]).documents
    if not docs:
        raise CorpusError(f"{path}: no text in it")
    return docs[0]


def read_jsonl(path: Path) -> Iterator[Document]:
    """Read a JSON Lines file, one article a line, naming the line of any bad record."""
    yield from load_corpus([path]).documents


@dataclass(frozen=True)
class HtmlPage:
    """What we keep of a web page: main text, title and canonical URL."""

    text: str
    title: str | None
    url: str | None


def extract_html(page: str) -> HtmlPage:
    """The article text, title (``og:title``, else ``<title>``) and canonical URL of a page.

    trafilatura does the work: it finds the article's main text and drops
    navigation, scripts and boilerplate; title and URL are read from lxml's
    tree of the page (XPath over ``<meta>``, ``<title>``, ``<link>``), no regexes
    over markup.
    """
    try:
        import trafilatura
    except ImportError:
        raise CorpusError("reading .html needs trafilatura: pip install 'kg[html]'") from None
    for name in ("trafilatura", "htmldate", "courlan"):
        # Their warnings ("empty HTML tree"…) would print past our one-line report.
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    try:
        tree = trafilatura.load_html(page)
        if tree is None:
            return HtmlPage(text="", title=None, url=None)
        title = _first_text(tree, "//meta[@property='og:title']/@content", "//head/title/text()",
                            "//title/text()")
        url = _first_text(tree, "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")
        # trafilatura edits the tree it is given, so it gets the markup, not our tree.
        result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                             include_tables=True, deduplicate=False)
    except Exception as err:  # a third-party parser: any failure is this file's problem
        raise CorpusError(f"the HTML could not be parsed ({type(err).__name__}: {err})") from None
    if result is None:
        return HtmlPage(text="", title=title, url=url)
    return HtmlPage(text=(result.text or "").strip(), title=title or result.title or None,
                    url=url or result.url or None)


def _first_text(tree: Any, *paths: str) -> str | None:
    """The first non-empty value any of the XPath ``paths`` finds, whitespace collapsed."""
    for path in paths:
        for value in tree.xpath(path):
            text = " ".join(str(value).split())
            if text:
                return text
    return None


def make_document(doc_id: str, text: str, *, title: str | None = None,
                  meta: dict[str, str] | None = None) -> Document:
    """Build a Document, deriving its title (first non-empty line) and source URLs."""
    text = normalize_newlines(text)
    if title is None:
        title = next((line.strip() for line in text.split("\n") if line.strip()), "")
    urls = tuple(dict.fromkeys(_URL.findall(text)))
    meta = dict(meta or {})
    if "url" in meta and meta["url"] not in urls:
        urls = (meta["url"], *urls)
    return Document(id=doc_id, text=text, title=title, urls=urls, meta=meta)


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


def decode_bytes(data: bytes, *, source: str) -> Decoded:
    """Decode a file's bytes, saying which encoding was used.

    Order: a BOM (UTF-8, UTF-16, UTF-32) decides; ISO-2022-JP escapes decide;
    bytes with NULs are binary unless charset-normalizer reads them as
    UTF-16/32; valid UTF-8 is UTF-8; UTF-8 with a few broken sequences is
    UTF-8 with those replaced by U+FFFD (counted in ``replaced``); anything
    else goes to charset-normalizer (Shift_JIS, EUC-JP, …). A result full of
    control characters is binary after all.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            if codec == "utf-8-sig":
                return _utf8(data, source=source, codec=codec)
            try:
                return _checked(Decoded(data.decode(codec), codec), source=source)
            except UnicodeDecodeError as err:
                raise CorpusError(f"{source}: starts with a {codec} byte-order mark but is not "
                                  f"valid {codec} ({err.reason} at byte {err.start})") from None
    if any(esc in data for esc in _ISO2022_ESCAPES):
        for codec in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"):
            try:
                return _checked(Decoded(data.decode(codec), codecs.lookup(codec).name), source=source)
            except UnicodeDecodeError:
                continue
    if b"\x00" in data:
        match = from_bytes(data).best()
        if match is None or not match.encoding.startswith(("utf_16", "utf_32")):
            raise CorpusError(f"{source}: looks like a binary file, not text")
        return _checked(Decoded(str(match), codecs.lookup(match.encoding).name), source=source)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), source=source)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _utf8(data, source=source, codec="utf-8")
    japanese = _japanese_decode(data)
    if japanese is not None:
        return _checked(japanese, source=source)
    match = _best_match(data)
    if match is None:
        raise CorpusError(f"{source}: cannot tell the text encoding; save it as UTF-8")
    return _checked(Decoded(str(match), codecs.lookup(match.encoding).name), source=source)


def _japanese_decode(data: bytes) -> Decoded | None:
    """Shift_JIS or EUC-JP when the bytes decode strictly into plainly Japanese text.

    charset-normalizer needs a fair amount of text and gives up on short or
    repetitive Japanese (``ロシアロシア。``); a strict decode that yields
    nothing but kana, kanji and Japanese punctuation, with some kana among
    them (Korean or Chinese read as EUC-JP gives kanji, hardly any kana), is
    a safer answer for a reader of Japanese news.
    """
    best: tuple[float, Decoded] | None = None
    for codec in ("shift_jis", "cp932", "euc_jp", "euc_jis_2004"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ord(ch) > 0x7F]
        kana = sum(1 for ch in wide if "\u3041" <= ch <= "\u30fa")
        fits = sum(1 for ch in wide if _is_japanese_char(ch))
        if wide and fits == len(wide) and kana >= max(1, len(wide) // 20):
            score = kana / len(wide)
            if best is None or score > best[0]:
                best = (score, Decoded(text, codecs.lookup(codec).name))
    return best[1] if best else None


def _is_japanese_char(ch: str) -> bool:
    """Kana, kanji, or the full-width punctuation, letters and digits of Japanese text."""
    return ("\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff01" <= ch <= "\uff5e"
            or ch in "々〆〇ー・…‥―‐“”‘’※〒")


def _best_match(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's best guess, but Japanese over other East Asian codecs.

    On a short text the byte patterns of EUC-JP and Shift_JIS are also valid
    Korean, Chinese or Big5, and the detector may rank those first; this is a
    reader of Japanese news, so when the best guess is another East Asian
    codec and a Japanese one decodes the bytes too, the Japanese one wins.
    """
    matches = from_bytes(data)
    best = matches.best()
    if best is None or not best.encoding.startswith(_OTHER_CJK_CODECS):
        return best
    japanese = [m for m in matches if m.encoding.startswith(_JAPANESE_CODECS)]
    return japanese[0] if japanese else best


def _utf8(data: bytes, *, source: str, codec: str) -> Decoded:
    text = data.decode(codec, errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    return _checked(Decoded(text, codec, replaced=max(replaced, 0)), source=source)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken sequences (a bad byte, a cut file), not another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good >= 20 * bad


def _checked(decoded: Decoded, *, source: str) -> Decoded:
    """Refuse text that is mostly control characters: a binary file that happened to decode."""
    text = decoded.text
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if text and controls > max(2, len(text) // 100):
        raise CorpusError(f"{source}: looks like a binary file, not text")
    return decoded
