"""The map step's expensive half: GiNZA parsing, in worker processes, cached.

Input: documents. Output: one :class:`~kg.model.ParsedDoc` per document,
plain data with offsets into the original text. Each worker loads the model
once and parses whole documents (their chunks through ``nlp.pipe``), so a
document is the unit of work here as it would be on a cluster.
"""

from __future__ import annotations

import importlib.metadata
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING

from kg.cache import ParseCache, cache_key
from kg.chunking import chunk_spans
from kg.errors import ModelError
from kg.model import Document, NerSpan, ParsedDoc, Token

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "ja_ginza"
# Bump when ParsedDoc's content changes, so old cache entries are not reused.
PARSE_FORMAT = "2"  # 2: token indices are list positions, heads never point at a space
# Pipes no stage reads, left out when the model is loaded. ja_ginza's
# compound_splitter only re-tokenizes when given a split mode (it has none by
# default), so leaving it out changes nothing we keep. Every other pipe is read:
# tok2vec feeds parser and ner; parser gives dep, head and sentences; the
# morphologizer overwrites pos; bunsetu_recognizer gives the bunsetu labels.
# Each pipe's cost is measured by bench/run.py (see README, "Performance").
EXCLUDED_PIPES: tuple[str, ...] = ("compound_splitter",)


@dataclass(frozen=True)
class ParseStats:
    """How much of a corpus was parsed now and how much came from the cache."""

    parsed: int
    cached: int
    parsed_chars: int


@lru_cache(maxsize=4)
def load_model(name: str = DEFAULT_MODEL, *, exclude: tuple[str, ...] = EXCLUDED_PIPES) -> Language:
    """Load a GiNZA model once per process, without the pipes no stage reads."""
    import spacy

    try:
        return spacy.load(name, exclude=list(exclude))
    except OSError:
        raise ModelError(
            f"the spaCy model {name!r} is not installed: pip install {name.replace('_', '-')}"
        ) from None


def model_id(name: str = DEFAULT_MODEL) -> str:
    """Model name and version plus our parse format: the parse cache's namespace.

    The version comes from the package metadata, not from spaCy, so a build
    whose every document is cached never imports spaCy (about a second saved).
    """
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(
            f"the spaCy model {name!r} is not installed: pip install {name.replace('_', '-')}"
        ) from None
    return f"{name}=={version};format={PARSE_FORMAT}"


def parse_text(text: str, *, doc_id: str, nlp: Language) -> ParsedDoc:
    """Parse one document chunk by chunk and shift every offset back into ``text``."""
    spans = chunk_spans(text)
    sentences: list[tuple[int, int]] = []
    tokens: list[Token] = []
    ents: list[NerSpan] = []
    chunk_texts = (text[start:end] for start, end in spans)
    # One chunk at a time: a worker's memory is bounded by the largest chunk
    # (under Sudachi's limit), not by the whole document as one batch would be.
    for (offset, _), doc in zip(spans, nlp.pipe(chunk_texts, batch_size=1)):
        _collect(doc, offset=offset, first_token=len(tokens),
                 sentences=sentences, tokens=tokens, ents=ents)
    return ParsedDoc(doc_id=doc_id, sentences=tuple(sentences), tokens=tuple(tokens), ents=tuple(ents))


def _collect(doc: Doc, *, offset: int, first_token: int, sentences: list[tuple[int, int]],
             tokens: list[Token], ents: list[NerSpan]) -> None:
    from ginza import bunsetu_bi_label

    for sent in doc.sents:
        start, end = _strip_span(sent.text, sent.start_char, sent.end_char)
        if end > start:
            sentences.append((offset + start, offset + end))
    # Space tokens are dropped, so a token's index is its position in ``tokens``
    # (not spaCy's, which counts spaces); a head that was a space token (GiNZA
    # can make a trailing newline the root) becomes the token's own index.
    index: dict[int, int] = {}
    for tok in doc:
        if not tok.is_space:
            index[tok.i] = first_token + len(index)
    for tok in doc:
        if tok.is_space:
            continue
        tokens.append(Token(
            i=index[tok.i], start=offset + tok.idx, end=offset + tok.idx + len(tok.text),
            text=intern(tok.text), lemma=intern(tok.lemma_), pos=intern(tok.pos_), tag=intern(tok.tag_),
            dep=intern(tok.dep_), head=index.get(tok.head.i, index[tok.i]),
            bunsetu=intern(bunsetu_bi_label(tok) or ""),
        ))
    for ent in doc.ents:
        ents.append(NerSpan(start=offset + ent.start_char, end=offset + ent.end_char, label=intern(ent.label_)))


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it starts and ends on non-space characters."""
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    return start + lead, end - trail


def parse_documents(
    docs: Sequence[Document],
    *,
    cache: ParseCache | None = None,
    workers: int | None = None,
    model: str = DEFAULT_MODEL,
    on_progress: Callable[[int], None] | None = None,
    dask: str | None = None,
) -> tuple[list[ParsedDoc], ParseStats]:
    """Parse documents (cached ones are read, not parsed), in input order.

    ``workers`` defaults to the machine's cores; with one worker, or one
    document to parse, parsing runs in this process. ``dask`` sends the
    documents to a Dask cluster instead (see :mod:`kg.cluster`); the cache
    stays here. ``on_progress`` is called with the number of characters done
    after each document.
    """
    mid = model_id(model)
    results: dict[str, ParsedDoc] = {}
    todo: list[tuple[Document, str]] = []
    for doc in docs:
        key = cache_key(doc.text, model=mid)
        hit = cache.get(key, doc_id=doc.id) if cache else None
        if hit is not None:
            results[doc.id] = hit
            if on_progress:
                on_progress(len(doc.text))
        else:
            todo.append((doc, key))
    keys = {doc.id: key for doc, key in todo}
    if dask is not None and todo:
        from kg.cluster import parse_on_dask

        done = parse_on_dask([d for d, _ in todo], address=dask, model=model, local_workers=workers)
    else:
        done = _parse_many([d for d, _ in todo], workers=workers, model=model)
    for doc, parsed in done:
        results[doc.id] = parsed
        if cache:
            cache.put(keys[doc.id], parsed)
        if on_progress:
            on_progress(len(doc.text))
    stats = ParseStats(parsed=len(todo), cached=len(docs) - len(todo),
                       parsed_chars=sum(len(d.text) for d, _ in todo))
    return [results[d.id] for d in docs], stats


def _parse_many(docs: list[Document], *, workers: int | None, model: str) -> Iterable[tuple[Document, ParsedDoc]]:
    if not docs:
        return  # everything came from the cache: do not even import spaCy
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(docs) <= 1:
        nlp = load_model(model)
        for doc in docs:
            yield doc, parse_text(doc.text, doc_id=doc.id, nlp=nlp)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # Largest first, so the longest document does not start last and idle a core.
    order = sorted(docs, key=lambda d: len(d.text), reverse=True)
    with ProcessPoolExecutor(max_workers=min(workers, len(docs)), mp_context=context,
                             initializer=_init_worker, initargs=(model,)) as pool:
        futures = {pool.submit(parse_in_worker, d.text, d.id, model): d for d in order}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _init_worker(model: str) -> None:
    load_model(model)


def parse_in_worker(text: str, doc_id: str, model: str) -> ParsedDoc:
    """Parse one document with this process's copy of the model (loaded on first use)."""
    return parse_text(text, doc_id=doc_id, nlp=load_model(model))
