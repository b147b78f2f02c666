"""One document's map: its parse (from a cache, or GiNZA now), then its record; both cached.

Every way kg maps documents runs this one function: worker processes
(:mod:`kg.mapstep`), a Dask cluster (:mod:`kg.cluster`) and a notebook
session's own articles (:class:`kg.Project`, parses kept in memory).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from kg.cache import ParseCache, cache_key
from kg.eventkinds import EventVocabulary
from kg.lexicon import Lexicon
from kg.model import DocRecord, Document, ParsedDoc
from kg.nlp import load_model, parse_text
from kg.records import RecordCache, extract_record, record_key
from kg.rules import RuleSet


@dataclass(frozen=True)
class Setup:
    """What a worker needs besides the document: model, lexicon, rules, where the caches are."""

    model: str
    lexicon: Lexicon
    rules: RuleSet
    cache_dir: str | None
    events: EventVocabulary | None = None


@dataclass(frozen=True)
class Task:
    """One document to map, with its cache keys."""

    doc_id: str
    text: str
    parse_key: str
    record_key: str


def make_task(doc: Document, *, model_key: str, extraction: str) -> Task:
    """A document's task: its parse key (text and ``model_key``, :func:`kg.nlp.model_id`) and record key."""
    parse_key = cache_key(doc.text, model=model_key)
    return Task(doc.id, doc.text, parse_key, record_key(parse_key, extraction))


class ParseStore(Protocol):
    """Where parses are kept: :class:`kg.cache.ParseCache` on disk, or :class:`MemoryParses`."""

    def get(self, key: str, *, doc_id: str) -> ParsedDoc | None: ...

    def put(self, key: str, parsed: ParsedDoc) -> None: ...


class MemoryParses:
    """Parses kept in this process by parse key, for articles a session adds without a cache folder."""

    def __init__(self) -> None:
        self._parses: dict[str, ParsedDoc] = {}

    def get(self, key: str, *, doc_id: str) -> ParsedDoc | None:
        """The parse of ``key`` relabelled ``doc_id`` (the same text under another name is parsed once)."""
        parsed = self._parses.get(key)
        return parsed if parsed is None or parsed.doc_id == doc_id else replace(parsed, doc_id=doc_id)

    def put(self, key: str, parsed: ParsedDoc) -> None:
        self._parses[key] = parsed


def map_task(task: Task, setup: Setup, *, parses: ParseStore | None = None) -> tuple[DocRecord, bool]:
    """Map one document: its parse (cached or made now), then its record; both cached. True if parsed now.

    The parses are kept in ``setup.cache_dir``, or in ``parses`` (a session's in memory, :class:`MemoryParses`).
    """
    parse_cache = parses if parses is not None else (
        ParseCache(setup.cache_dir) if setup.cache_dir is not None else None)
    parsed = parse_cache.get(task.parse_key, doc_id=task.doc_id) if parse_cache else None
    was_parsed = parsed is None
    if parsed is None:
        parsed = parse_text(task.text, doc_id=task.doc_id, nlp=load_model(setup.model))
        if parse_cache:
            parse_cache.put(task.parse_key, parsed)
    record = extract_record(parsed, task.text, lexicon=setup.lexicon, rules=setup.rules, events=setup.events)
    if setup.cache_dir is not None:
        RecordCache(setup.cache_dir).put(task.record_key, record)
    return record, was_parsed
