"""The map step's second half: one parsed document in, one compact record out.

Everything that needs the parse happens here, per document, so it can run in
the parsing processes (or on a Dask worker) right after GiNZA: mentions, the
names found again within the article, appositions, relation candidates. What
comes back is a :class:`~kg.model.DocRecord`: mentions, candidates, sentence
spans and the token boundaries as a compact array, never the tokens. The
reduce (:mod:`kg.pipeline`) holds records, so its memory follows the graph,
not the text structure.

Records are cached like parses (:class:`RecordCache`), under the parse's key
plus :func:`extraction_key`: a digest of the lexicon, the rules and kg's own
extraction code, so a changed rule re-runs this step over cached parses and a
changed article re-runs both.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.entities import propagate, token_bounds
from kg.eventcues import find_cues
from kg.eventkinds import EventVocabulary, default_vocabulary
from kg.files import read_json_gz, write_json_gz
from kg.lexicon import Lexicon
from kg.mentions import find_mentions
from kg.model import Candidate, DocRecord, EventCue, Mention, ParsedDoc
from kg.rules import RuleSet, find_candidates
from kg.spans import SpanArray

#: Bump when DocRecord's stored form changes.
RECORD_FORMAT = "2"
#: The modules whose code decides what a record holds: a change to any of them is a new extraction.
EXTRACTION_MODULES = ("mentions.py", "entities.py", "lexicon.py", "names.py", "spans.py", "chrome.py",
                      "docview.py", "triggers.py", "patterns.py", "modality.py", "rules.py", "ruleset.py",
                      "records.py", "model.py", "eventcues.py", "eventkinds.py", "timex.py")


def extract_record(parsed: ParsedDoc, text: str, *, lexicon: Lexicon, rules: RuleSet,
                   events: EventVocabulary | None = None) -> DocRecord:
    """Mentions, names found again within the article, relation candidates and their event cues."""
    bounds = token_bounds(parsed)
    mentions = find_mentions(parsed, text, lexicon=lexicon)
    mentions = propagate(mentions, {parsed.doc_id: bounds}, {parsed.doc_id: text}, lexicon=lexicon)
    candidates = tuple(find_candidates(parsed, text, mentions, rules=rules))
    cues = find_cues(parsed, text, candidates, vocabulary=events or default_vocabulary())
    return DocRecord(doc_id=parsed.doc_id, sentences=SpanArray(parsed.sentences), mentions=tuple(mentions),
                     candidates=candidates, bounds=bounds, cues=cues)


def extraction_key(lexicon: Lexicon, rules: RuleSet, events: EventVocabulary | None = None) -> str:
    """A digest of everything besides the parse that decides a record: lexicon, rules, events, kg's code."""
    digest = hashlib.sha256()
    digest.update(RECORD_FORMAT.encode())
    digest.update(_code_digest().encode())
    digest.update(lexicon.fingerprint().encode())
    digest.update(rules.fingerprint().encode())
    digest.update((events or default_vocabulary()).fingerprint().encode())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The extraction code as installed: editing a rule function invalidates the cached records."""
    digest = hashlib.sha256()
    for name in EXTRACTION_MODULES:
        digest.update(resources.files("kg").joinpath(name).read_bytes())
    return digest.hexdigest()


# --- the record cache ---------------------------------------------------------------------------

class RecordCache:
    """Records stored as gzipped JSON files named by parse key and extraction key."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / "records" / key[:2] / f"{key}.json.gz"

    def get(self, key: str, *, doc_id: str) -> DocRecord | None:
        """The cached record for ``key`` (relabelled ``doc_id``), or None if absent or unreadable."""
        try:
            return record_from_dict(read_json_gz(self._path(key)), doc_id=doc_id)  # type: ignore[arg-type]
        except (OSError, ValueError, EOFError, KeyError, TypeError, IndexError):
            return None  # absent, half-written by another tool, or of another shape: a miss

    def put(self, key: str, record: DocRecord) -> None:
        write_json_gz(self._path(key), record_to_dict(record))


def record_key(parse_key: str, extraction: str) -> str:
    """The key of a record: its parse's key and the extraction that made it."""
    return hashlib.sha256(f"{parse_key}|{extraction}".encode()).hexdigest()


_MENTION_FIELDS = ("start", "end", "text", "type", "ene", "source", "key", "position", "affiliation", "link",
                   "role", "former")


def record_to_dict(record: DocRecord) -> dict[str, Any]:
    """Columnar JSON of a record; candidates name their mentions by index."""
    index = {id(m): n for n, m in enumerate(record.mentions)}
    return {
        "sentences": [list(s) for s in record.sentences],
        "mentions": [[getattr(m, f) for f in _MENTION_FIELDS] for m in record.mentions],
        "candidates": [[index[id(c.subject)], c.predicate, index[id(c.object)], c.rule, list(c.sentence),
                        c.position, c.modality] for c in record.candidates],
        "bounds": list(record.bounds),
        "cues": [[c.candidate, c.kind, c.start, c.end, c.text, list(c.date) if c.date else None,
                  list(c.place) if c.place else None, c.place_text, c.place_core, c.ordinal, c.tense]
                 for c in record.cues],
    }


def with_shared_strings(record: DocRecord) -> DocRecord:
    """``record`` as the record cache gives it back: its repeated strings one copy each (:func:`_shared`).

    A record that comes from a worker process is unpickled with strings of
    its own; the reduce keeps its mentions for the life of the graph, so a
    cold build's would hold 25 MB more than a warm one's on all of Wikinews.
    """
    return record_from_dict(record_to_dict(record), doc_id=record.doc_id)


def _shared(value: Any) -> Any:
    """A string as the one copy of it the process holds (``sys.intern``); other values as they are.

    JSON decoding makes a new string for every field of every mention: the
    same ``Person``, ``ner`` or ``person:トランプ`` thousands of times over,
    25 MB of the reduce's memory on all of Wikinews. Mentions live as long as
    the graph, so one copy of each is what they should share.
    """
    return sys.intern(value) if isinstance(value, str) else value


def record_from_dict(data: dict[str, Any], *, doc_id: str) -> DocRecord:
    """Inverse of :func:`record_to_dict`; a malformed one raises (ValueError, KeyError, TypeError…)."""
    mentions = tuple(Mention(doc_id, **dict(zip(_MENTION_FIELDS, map(_shared, row), strict=True)))
                     for row in data["mentions"])
    candidates = tuple(Candidate(mentions[s], _shared(p), mentions[o], _shared(rule), (int(a), int(b)),
                                 _shared(position), _shared(modality))
                       for s, p, o, rule, (a, b), position, modality in data["candidates"])
    cues = tuple(EventCue(int(n), kind, int(a), int(b), text, tuple(date) if date else None,  # type: ignore[arg-type]
                          tuple(place) if place else None, place_text, core, int(number), tense)  # type: ignore[arg-type]
                 for n, kind, a, b, text, date, place, place_text, core, number, tense in data["cues"])
    return DocRecord(doc_id=doc_id, sentences=SpanArray((int(a), int(b)) for a, b in data["sentences"]),
                     mentions=mentions, candidates=candidates, bounds=array("i", data["bounds"]), cues=cues)
