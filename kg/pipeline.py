"""The whole flow, as the notebooks and the CLI call it.

``build`` = read → parse (map: worker processes, cached) → entities and
relations (reduce: pure Python over the parses) → KnowledgeGraph.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kg.analytics import with_analytics
from kg.cache import DEFAULT_CACHE_DIR, ParseCache, check_writable
from kg.corpus import OnError, load_corpus
from kg.entities import propagate, resolve
from kg.lexicon import Lexicon, load_lexicon
from kg.mentions import find_mentions
from kg.errors import CorpusError
from kg.graph import KnowledgeGraph
from kg.model import Document, Mention, ParsedDoc
from kg.nlp import DEFAULT_MODEL, parse_documents
from kg.relations import cooccurrences, typed_relations
from kg.rules import RuleSet, find_candidates, load_rules


@dataclass(frozen=True)
class BuildReport:
    """What a build did: documents read, parsed anew, taken from the cache, and stage times."""

    documents: int
    parsed: int
    cached: int
    seconds: dict[str, float] = field(default_factory=dict)
    #: ``"SOURCE: reason"`` lines: input skipped or changed while reading.
    warnings: tuple[str, ...] = ()
    #: ``"SOURCE: what"`` lines: encodings detected, duplicates merged, non-Japanese text.
    notices: tuple[str, ...] = ()

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class Stages:
    """Times the named stages of a build: ``with stages("parse"): ...``.

    One small hook for every stage, so a new stage is one ``with`` line; the
    benchmarks subclass it to measure memory per stage as well.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def build(
    paths: Iterable[str | Path],
    *,
    cache_dir: str | Path | None = DEFAULT_CACHE_DIR,
    workers: int | None = None,
    model: str = DEFAULT_MODEL,
    lexicon: str | Path | Lexicon | None = None,
    rules: str | Path | RuleSet | None = None,
    window: str = "sentence",
    min_count: int = 1,
    progress: bool = False,
    on_error: OnError = "stop",
    exclude: Iterable[str | Path] = (),
    follow_symlinks: bool = False,
    dask: str | None = None,
    stages: Stages | None = None,
) -> tuple[KnowledgeGraph, BuildReport]:
    """Build the knowledge graph of the documents under ``paths``.

    ``cache_dir=None`` disables the parse cache; ``workers`` defaults to the
    machine's cores; ``lexicon`` is a user lexicon file (or a loaded
    :class:`~kg.lexicon.Lexicon`) adding entities, aliases, types and names to
    ignore; ``rules`` a relation rule file (or a loaded
    :class:`~kg.rules.RuleSet`); ``window`` and ``min_count`` shape the
    co-occurrence edges; ``progress`` shows a progress bar on stderr;
    ``on_error="skip"`` skips broken input files or lines (listed in the
    report's ``warnings``) instead of stopping at the first; files under an
    ``exclude`` folder (the output folder) are not read; symbolic links out of
    the folders given are skipped unless ``follow_symlinks``. ``dask`` parses on a
    Dask cluster instead (a scheduler address, or ``"local"``); ``stages``
    times each stage (``BuildReport.seconds``).
    """
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    stages = stages if stages is not None else Stages()
    with stages("read"):
        corpus = load_corpus(paths, on_error=on_error, exclude=exclude, follow_symlinks=follow_symlinks)
        docs = corpus.documents
        if not docs and corpus.warnings:
            raise CorpusError("no documents left to build, every input was skipped: "
                              + "; ".join(corpus.warnings))
        if not docs:
            raise CorpusError("no documents found: give .txt, .md, .html or .jsonl files or folders holding them")

    with stages("parse"):
        if cache_dir is not None:
            check_writable(cache_dir, what="parse cache folder")  # now, not after the first parse
        cache = ParseCache(cache_dir) if cache_dir is not None else None
        with _progress_bar(sum(len(d.text) for d in docs), enabled=progress) as bar:
            parsed, stats = parse_documents(docs, cache=cache, workers=workers, model=model,
                                            on_progress=bar.update, dask=dask)

    graph = graph_from_parses(docs, parsed, lexicon=lex, rules=ruleset, window=window, min_count=min_count,
                              stages=stages)
    report = BuildReport(documents=len(docs), parsed=stats.parsed, cached=stats.cached,
                         seconds=dict(stages.seconds), warnings=tuple(corpus.warnings),
                         notices=tuple(corpus.notices))
    return graph, report


def graph_from_parses(docs: Sequence[Document], parsed: Sequence[ParsedDoc], *,
                      lexicon: Lexicon | None = None, rules: RuleSet | None = None,
                      window: str = "sentence", min_count: int = 1,
                      stages: Stages | None = None) -> KnowledgeGraph:
    """The reduce step: entities and relations from parsed documents, no spaCy needed."""
    lexicon = lexicon or load_lexicon()
    rules = rules or load_rules()
    stages = stages if stages is not None else Stages()
    texts = {d.id: d.text for d in docs}
    with stages("entities"):
        mentions = [m for p in parsed for m in find_mentions(p, texts[p.doc_id], lexicon=lexicon)]
        mentions = propagate(mentions, parsed, texts, lexicon=lexicon)
        entities, assignment = resolve(mentions, lexicon=lexicon)
    with stages("relations"):
        by_doc: dict[str, list[Mention]] = {}
        for m in mentions:
            by_doc.setdefault(m.doc, []).append(m)
        candidates = [c for p in parsed
                      for c in find_candidates(p, texts[p.doc_id], by_doc.get(p.doc_id, []), rules=rules)]
        relations = [*typed_relations(candidates, assignment, texts, rules=rules),
                     *cooccurrences(parsed, texts, mentions, assignment, window=window, min_count=min_count)]
    with stages("graph"):
        entities = with_analytics(entities, relations)
        return KnowledgeGraph(documents=tuple(docs), entities=tuple(entities), relations=tuple(relations),
                              mentions=tuple((m, assignment[m]) for m in mentions))


class _NullBar:
    def update(self, n: int) -> None:
        pass

    def __enter__(self) -> _NullBar:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _progress_bar(total: int, *, enabled: bool):  # type: ignore[no-untyped-def]
    if not enabled:
        return _NullBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="char", unit_scale=True, desc="parsing", leave=False)
