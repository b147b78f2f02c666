"""The whole flow, as the notebooks and the CLI call it.

``build`` = read → map (worker processes, cached: GiNZA's parse and the
per-document extraction, :mod:`kg.mapstep`) → reduce (entities and relations
across the corpus, from the documents' records) → KnowledgeGraph.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.analytics import with_analytics
from kg.cache import DEFAULT_CACHE_DIR
from kg.corpus import OnError, load_corpus
from kg.entities import FoundNames, propagate, resolve
from kg.errors import CorpusError
from kg.eventkinds import EventVocabulary, load_event_vocabulary
from kg.events import (
    date_evidence,
    event_dates_of,
    event_mentions,
    find_events,
    link_relations,
    planned_by_name,
)
from kg.files import check_writable
from kg.graph import KnowledgeGraph
from kg.lexicon import Lexicon, load_lexicon
from kg.memory import give_back_freed_memory
from kg.mapstep import map_documents
from kg.model import Candidate, DocRecord, Document, Mention, ParsedDoc
from kg.nlp import DEFAULT_MODEL
from kg.records import extract_record
from kg.relations import cooccurrences, typed_relations
from kg.rules import RuleSet, load_rules
from kg.timex import DocDate, TimeExpr, document_date, find_dates, parse_date


@dataclass(frozen=True)
class BuildReport:
    """What a build did: documents read, parsed anew, taken from the cache; records made now; stage times.

    ``parsed`` + ``cached`` = ``documents``: GiNZA ran on the first, the
    others' parses (or records) came from a cache. ``extracted`` counts the
    documents whose record the map step made now: the parsed ones, and those
    whose cached parse was read again because a rule or the lexicon changed.
    """

    documents: int
    parsed: int
    cached: int
    extracted: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    #: ``"SOURCE: reason"`` lines: input skipped or changed while reading.
    warnings: tuple[str, ...] = ()
    #: ``"SOURCE: what"`` lines: encodings detected, duplicates merged, non-Japanese text.
    notices: tuple[str, ...] = ()
    #: How many documents each rule dated (``metadata``, ``header``, ``citations``, ``lead``,
    #: ``urls``; ``none``: undated), see :func:`kg.timex.document_date`.
    dates: dict[str, int] = field(default_factory=dict)
    #: Event nodes made, by kind.
    events: dict[str, int] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass
class BuildMemory:
    """What one build keeps for the next in the same process, so adding an article costs little.

    :class:`kg.Project` holds one: the records of the last build's documents
    (by record key; none is read from disk again), each document's date and
    time expressions (by text and date field), and the names the reduce found
    again in each of them (:class:`kg.entities.FoundNames`). Everything else
    the reduce does is global (resolution, co-occurrence scores, communities)
    and is done again, from memory. A one-off build (the CLI) keeps none of it.
    """

    records: dict[str, DocRecord] = field(default_factory=dict)
    times: dict[tuple[str, str | None], tuple[DocDate | None, tuple[TimeExpr, ...]]] = field(default_factory=dict)
    names: FoundNames = field(default_factory=FoundNames)


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
    events: str | Path | EventVocabulary | None = None,
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
    times each stage (``BuildReport.seconds``); ``events`` is an event
    vocabulary file extending ``kg/data/events.json`` (or a loaded
    :class:`~kg.eventkinds.EventVocabulary`).
    """
    lex = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    vocabulary = events if isinstance(events, EventVocabulary) else load_event_vocabulary(events)
    stages = stages if stages is not None else Stages()
    with stages("read"):
        corpus = load_corpus(paths, on_error=on_error, exclude=exclude, follow_symlinks=follow_symlinks)
        docs = corpus.documents
        if not docs and corpus.warnings:
            raise CorpusError("no documents left to build, every input was skipped: "
                              + "; ".join(corpus.warnings))
        if not docs:
            raise CorpusError("no documents found: give .txt, .md, .html or .jsonl files or folders holding them")

    if cache_dir is not None:
        check_writable(cache_dir, what="parse cache folder")  # now, not after the first parse
    graph, report = build_documents(docs, cache_dir=cache_dir, workers=workers, model=model, lexicon=lex,
                                    rules=ruleset, window=window, min_count=min_count, progress=progress,
                                    dask=dask, stages=stages, events=vocabulary)
    return graph, replace(report, warnings=(*corpus.warnings, *report.warnings),
                          notices=(*corpus.notices, *report.notices))


def build_documents(docs: Sequence[Document], *, cache_dir: str | Path | None = DEFAULT_CACHE_DIR,
                    workers: int | None = None, model: str = DEFAULT_MODEL, lexicon: Lexicon | None = None,
                    rules: RuleSet | None = None, window: str = "sentence", min_count: int = 1,
                    progress: bool = False, dask: str | None = None, stages: Stages | None = None,
                    records: Mapping[str, DocRecord] | None = None,
                    events: EventVocabulary | None = None,
                    memory: BuildMemory | None = None) -> tuple[KnowledgeGraph, BuildReport]:
    """Build the graph of documents already read: the map step (cached), then the reduce.

    :func:`build` reads files and calls this; :class:`kg.Project` calls it
    with the documents of a session. ``records`` are ready records of some of
    the documents (a session's articles kept in memory), by document id;
    ``memory`` is what the last build in this process kept (:class:`BuildMemory`).
    """
    lexicon = lexicon or load_lexicon()
    rules = rules or load_rules()
    stages = stages if stages is not None else Stages()
    ready = dict(records or {})
    with stages("map"):
        todo = [d for d in docs if d.id not in ready]
        with _progress_bar(sum(len(d.text) for d in todo), enabled=progress) as bar:
            mapped, stats = map_documents(todo, lexicon=lexicon, rules=rules, cache_dir=cache_dir, workers=workers,
                                          model=model, dask=dask, on_progress=bar.update, events=events,
                                          memory=memory.records if memory is not None else None)
        ready.update((r.doc_id, r) for r in mapped)
        if memory is not None:  # the records of this build only: a removed or edited article's go
            memory.records = {key: r for key, r in memory.records.items() if ready.get(r.doc_id) is r}
    graph = graph_from_records(docs, [ready[d.id] for d in docs], lexicon=lexicon, rules=rules, window=window,
                               min_count=min_count, stages=stages, events=events,
                               memory=memory)
    del ready, mapped  # the records: a Project's memory keeps its own
    give_back_freed_memory()
    report = BuildReport(documents=len(docs), parsed=stats.parsed, extracted=stats.extracted,
                         cached=len(docs) - stats.parsed, seconds=dict(stages.seconds),
                         warnings=date_warnings(docs), dates=date_counts(graph.dates),
                         events=dict(sorted(Counter(e.kind for e in graph.events).items())))
    return graph, report


def date_counts(dates: Mapping[str, DocDate | None]) -> dict[str, int]:
    """Documents dated by each rule, in the order the rules are tried; ``none`` for the undated."""
    counts = Counter(d.rule if d is not None else "none" for d in dates.values())
    order = ("metadata", "header", "citations", "lead", "urls", "none")
    return {rule: counts[rule] for rule in order if counts[rule]}


def date_warnings(docs: Sequence[Document]) -> tuple[str, ...]:
    """``"DOC: date field 'x' names no day; dated from its text"``, for metadata dates that do not read."""
    return tuple(f"{d.id}: date field {d.meta['date']!r} names no day; the date is read from the text instead"
                 for d in docs if d.meta.get("date", "").strip() and parse_date(d.meta["date"]) is None)


def graph_from_parses(docs: Sequence[Document], parsed: Sequence[ParsedDoc], *,
                      lexicon: Lexicon | None = None, rules: RuleSet | None = None,
                      window: str = "sentence", min_count: int = 1,
                      stages: Stages | None = None) -> KnowledgeGraph:
    """The graph of parsed documents: their records extracted here, then the reduce (no worker processes)."""
    lexicon = lexicon or load_lexicon()
    rules = rules or load_rules()
    texts = {d.id: d.text for d in docs}
    records = [extract_record(p, texts[p.doc_id], lexicon=lexicon, rules=rules) for p in parsed]  # default events
    return graph_from_records(docs, records, lexicon=lexicon, rules=rules, window=window, min_count=min_count,
                              stages=stages)


def graph_from_records(docs: Sequence[Document], records: Sequence[DocRecord], *,
                       lexicon: Lexicon | None = None, rules: RuleSet | None = None,
                       window: str = "sentence", min_count: int = 1,
                       stages: Stages | None = None, events: EventVocabulary | None = None,
                       memory: BuildMemory | None = None) -> KnowledgeGraph:
    """The reduce: entities, relations and events of the whole corpus from the documents' records.

    Each document gets its date and its date expressions resolved against it
    (:mod:`kg.timex`); names found in one article are looked for in the others
    (persons only), mentions are resolved into entities across the corpus, the
    candidates of the relation rules become relations between entities,
    co-occurrence is counted, every evidence sentence is dated, and the event
    cues become event nodes (:mod:`kg.events`). No parse and no spaCy is needed.
    ``memory`` keeps what the next build in this process can reuse (:class:`BuildMemory`).
    """
    with _without_cycle_collection():
        return _reduce(docs, records, lexicon=lexicon or load_lexicon(), rules=rules or load_rules(), window=window,
                       min_count=min_count, stages=stages if stages is not None else Stages(), events=events,
                       memory=memory)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """CPython's cyclic garbage collector off for the reduce, back on after.

    The reduce makes millions of small objects (mentions, evidence, relations)
    and no reference cycles, so reference counting frees all it drops; but each
    burst of new objects sets the collector walking every live object again,
    the records of the whole corpus included: a third of the reduce on all of
    Wikinews (4.8 s against 3.2 s measured with ``gc.disable()``).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reduce(docs: Sequence[Document], records: Sequence[DocRecord], *, lexicon: Lexicon, rules: RuleSet,
            window: str, min_count: int, stages: Stages, events: EventVocabulary | None,
            memory: BuildMemory | None) -> KnowledgeGraph:
    texts = {d.id: d.text for d in docs}
    with stages("time"):
        timed = _times(docs, memory)
        dates = {doc_id: day for doc_id, (day, _) in timed.items()}
        times = {doc_id: exprs for doc_id, (_, exprs) in timed.items()}
    with stages("entities"):
        given = [m for r in records for m in r.mentions]
        mentions = propagate(given, {r.doc_id: r.bounds for r in records}, texts, lexicon=lexicon,
                             memo=memory.names if memory is not None else None)
        renamed = {old: new for old, new in zip(given, mentions) if old is not new}  # retyped or linked
        entities, assignment = resolve(mentions, lexicon=lexicon)
    with stages("relations"):
        candidates = {(r.doc_id, n): _renamed(c, renamed) for r in records for n, c in enumerate(r.candidates)}
        relations = [*typed_relations(candidates.values(), assignment, texts, rules=rules),
                     *cooccurrences({r.doc_id: r.sentences for r in records}, texts, mentions, assignment,
                                    window=window, min_count=min_count)]
    with stages("events"):
        told = event_mentions(records, candidates, assignment, times, texts, dates)
        relations = date_evidence(relations, times, event_dates_of(told))
        made = find_events(told, texts=texts, entities=entities, relations=relations, doc_dates=dates,
                            vocabulary=events)
        relations = link_relations(planned_by_name(relations, told, made), made)
    with stages("graph"):
        entities = with_analytics(entities, relations)
        return KnowledgeGraph(documents=tuple(docs), entities=tuple(entities), relations=tuple(relations),
                              mentions=tuple((m, assignment[m]) for m in mentions), events=tuple(made),
                              dates=dates)


def _times(docs: Sequence[Document], memory: BuildMemory | None,
           ) -> dict[str, tuple[DocDate | None, tuple[TimeExpr, ...]]]:
    """Each document's date and its time expressions resolved against that date.

    Both are a pure function of the text and the date field, so a
    :class:`BuildMemory` keeps them for the next build: :class:`kg.Project`
    adding one article to thousands does not date every other article again.
    """
    kept = memory.times if memory is not None else {}
    timed, now = {}, {}
    for doc in docs:
        key = (doc.text, doc.meta.get("date"))
        if key not in kept:
            day = document_date(doc.text, given=key[1])
            kept[key] = day, tuple(find_dates(doc.text, anchor=day.date if day else None))
        timed[doc.id] = now[key] = kept[key]
    if memory is not None:
        memory.times = now  # an edited or removed article's go
    return timed


def _renamed(candidate: Candidate, renamed: Mapping[Mention, Mention]) -> Candidate:
    """A candidate whose mentions the reduce retyped or linked, pointing at their new form."""
    if candidate.subject not in renamed and candidate.object not in renamed:
        return candidate
    return replace(candidate, subject=renamed.get(candidate.subject, candidate.subject),
                   object=renamed.get(candidate.object, candidate.object))


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
