"""The map step: documents in, compact records out, in worker processes, cached.

Each document goes to a worker process as one task. The worker parses it with
GiNZA (unless the parse cache has it), extracts its record
(:func:`kg.records.extract_record`: mentions, relation candidates, sentence
and token spans) and writes both caches; only the record comes back. The
calling process never holds a parse, so the reduce's memory follows the
graph, not the text.

What a build re-runs is decided per document by two keys: the parse key (text
and model) and the record key (parse key plus the lexicon, rules and
extraction code, :func:`kg.records.extraction_key`). A changed article is
parsed and extracted; a changed rule re-extracts from the cached parses; an
unchanged build reads records only. :class:`MapStats` says which happened.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from kg.eventkinds import EventVocabulary
from kg.lexicon import Lexicon
from kg.maptask import Setup, Task, make_task, map_task
from kg.model import DocRecord, Document
from kg.nlp import DEFAULT_MODEL, model_id
from kg.records import RecordCache, extraction_key, with_shared_strings
from kg.rules import RuleSet


@dataclass(frozen=True)
class MapStats:
    """How much of a corpus each step had to do: parsed, only re-extracted, or read whole from the cache."""

    parsed: int
    extracted: int
    cached: int
    parsed_chars: int


def map_documents(docs: Sequence[Document], *, lexicon: Lexicon, rules: RuleSet,
                  cache_dir: str | Path | None, workers: int | None = None, model: str = DEFAULT_MODEL,
                  dask: str | None = None, on_progress: Callable[[int], None] | None = None,
                  events: EventVocabulary | None = None,
                  memory: dict[str, DocRecord] | None = None) -> tuple[list[DocRecord], MapStats]:
    """The record of each document, in input order, doing only what the caches lack.

    ``workers`` defaults to the machine's cores (one worker, or one document
    to do: in this process); ``dask`` maps on a Dask cluster instead (see
    :mod:`kg.cluster`). ``on_progress`` gets the characters done after each document.
    ``memory`` holds records by record key, looked in before the cache folder;
    the records of these documents are added to it. :class:`kg.Project` keeps
    it between builds, so adding one article to thousands reads no other record
    from disk.
    """
    setup = Setup(model=model, lexicon=lexicon, rules=rules,
                  cache_dir=str(cache_dir) if cache_dir is not None else None, events=events)
    mid, extraction = model_id(model), extraction_key(lexicon, rules, events)
    records: dict[str, DocRecord] = {}
    keys: dict[str, str] = {}
    todo: list[Task] = []
    record_cache = RecordCache(cache_dir) if cache_dir is not None else None
    known = memory if memory is not None else {}
    for doc in docs:
        task = make_task(doc, model_key=mid, extraction=extraction)
        keys[doc.id] = task.record_key
        hit = known.get(task.record_key)
        if hit is None or hit.doc_id != doc.id:
            hit = record_cache.get(task.record_key, doc_id=doc.id) if record_cache else None
        if hit is not None:
            records[doc.id] = hit
            if on_progress:
                on_progress(len(doc.text))
        else:
            todo.append(task)
    if dask is not None and todo:
        from kg.cluster import map_on_dask

        done: Iterator[tuple[Task, DocRecord, bool]] = map_on_dask(todo, setup, address=dask, local_workers=workers)
    else:
        done = _map_many(todo, setup, workers=workers)
    parsed = parsed_chars = 0
    for task, record, was_parsed in done:
        records[task.doc_id] = with_shared_strings(record)
        parsed += was_parsed
        parsed_chars += len(task.text) if was_parsed else 0
        if on_progress:
            on_progress(len(task.text))
    stats = MapStats(parsed=parsed, extracted=len(todo), cached=len(docs) - len(todo), parsed_chars=parsed_chars)
    if memory is not None:
        memory.update((keys[d.id], records[d.id]) for d in docs)
    return [records[d.id] for d in docs], stats


def _map_many(tasks: list[Task], setup: Setup, *, workers: int | None) -> Iterator[tuple[Task, DocRecord, bool]]:
    """Map the tasks over ``workers`` processes, largest document first; yield each as it finishes."""
    if not tasks:
        return  # everything came from the cache: do not even import spaCy
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(tasks) == 1:
        for task in tasks:
            yield (task, *map_task(task, setup))
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    order = sorted(tasks, key=lambda t: len(t.text), reverse=True)  # a long one started last idles a core
    pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context,
                               initializer=_init_worker, initargs=(setup,))
    try:
        futures = {pool.submit(_map_in_worker, task): task for task in order}
        for future in as_completed(futures):
            yield (futures[future], *future.result())
    except BaseException:  # Ctrl-C, an error, or the caller stopped reading: keep what finished, stop now
        _stop_now(pool)
        raise
    pool.shutdown()


_SETUP: Setup | None = None


def _init_worker(setup: Setup) -> None:
    global _SETUP
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the pool at once
    _SETUP = setup  # the model loads on the first parse: re-extracting cached parses needs none


def _map_in_worker(task: Task) -> tuple[DocRecord, bool]:
    assert _SETUP is not None, "the worker was started without its setup"
    return map_task(task, _SETUP)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued tasks and kill the workers, instead of waiting for every queued one.

    ``_processes`` is private, but it is the only handle on the workers before
    Python 3.14's ``kill_workers()``; without it Ctrl-C waited for the whole queue.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=10)
    pool.shutdown(wait=True, cancel_futures=True)  # the pool's own thread sees its workers gone, and ends
