"""The event vocabulary: kinds of event (meeting, summit, phone call, attack…) and their words.

``kg/data/events.json`` declares each kind once: its RDF class, labels, colour,
the broader kind it narrows (a summit is a meeting) and the words that tell it
(会談, 首脳会談, 電話会談, 攻撃, 制裁, 合意…), plus the verbs that carry an event
noun (会談を行った) and the words that cancel one (会談を中止). The predicate
table says which kind a relation makes (``event_kind`` in
``kg/data/predicates.json``); this module says which word makes which kind.
The map step (:mod:`kg.eventcues`), the reduce (:mod:`kg.events`), the RDF
vocabulary and ontology and the view all read it from here. A user file
(``kg build --events FILE``) adds kinds and words.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.datafiles import read_json, read_user_json
from kg.errors import ConfigError
from kg.predicates import predicate_table

_NAME = re.compile(r"^[a-z][a-z_]*[a-z]$")
_CLASS = re.compile(r"^[A-Z][A-Za-z]*$")
#: The word lists besides the kinds, each a set of lemmas or surface forms.
WORD_LISTS = ("holding_verbs", "cancel_words", "reporting_verbs", "place_particles", "place_labels")


@dataclass(frozen=True)
class EventKind:
    """One kind of event: its name, RDF class, labels, words and the kind it narrows."""

    name: str
    cls: str
    label_ja: str
    label_en: str
    words: tuple[str, ...]
    broader: str = ""
    modifiers: tuple[str, ...] = ()
    color: str = "#7f7f7f"


@dataclass(frozen=True)
class EventVocabulary:
    """The kinds by name, and the word lists the map step reads (see ``kg/data/events.json``)."""

    kinds: Mapping[str, EventKind]
    holding_verbs: frozenset[str] = frozenset()
    cancel_words: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    place_particles: tuple[str, ...] = ()
    place_labels: frozenset[str] = frozenset()
    #: word → kind, longest words first (the narrowest match wins).
    _by_word: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    def kind_of(self, phrase: str, *, modifiers: Iterable[str] = ()) -> str | None:
        """The kind a phrase ending with an event word tells (電話会談 → phone_call), or None.

        ``modifiers`` are the words that modify the event word (電話 in 電話で会談):
        a kind they name wins over the plain word's.
        """
        mods = set(modifiers)
        for kind in self.kinds.values():
            if mods & set(kind.modifiers):
                return kind.name
        for word, kind_name in self._by_word:
            if phrase.endswith(word):
                return kind_name
        return None

    def within(self, kind: str, broad: str) -> bool:
        """Whether ``kind`` is ``broad`` or narrower (summit within meeting)."""
        seen = 0
        while kind and seen < 10:
            if kind == broad:
                return True
            kind, seen = self.kinds[kind].broader if kind in self.kinds else "", seen + 1
        return False

    def compatible(self, a: str, b: str) -> bool:
        """Two kinds can tell one event: equal, or one narrows the other (meeting and summit, not summit and call)."""
        return self.within(a, b) or self.within(b, a)

    def narrowest(self, kinds: Iterable[str]) -> str:
        """The most specific of some compatible kinds (meeting, summit → summit)."""
        ordered = sorted(set(kinds))
        best = ordered[0]
        for kind in ordered[1:]:
            if self.within(kind, best):
                best = kind
        return best

    def lineage(self, kind: str) -> list[EventKind]:
        """The kind and every broader one, narrowest first (summit, meeting)."""
        out = []
        while kind in self.kinds and len(out) < 10:
            out.append(self.kinds[kind])
            kind = self.kinds[kind].broader
        return out

    def fingerprint(self) -> str:
        """A digest of the vocabulary, for the record cache key: new words re-extract cached parses."""
        data = {"kinds": [vars(k) for k in self.kinds.values()],
                **{name: sorted(getattr(self, name)) for name in WORD_LISTS}}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def vocabulary_from_data(data: Mapping[str, Any], *, source: str) -> EventVocabulary:
    """A vocabulary from the JSON of ``events.json``, checked: one-line errors naming ``source``."""
    kinds: dict[str, EventKind] = {}
    for row in data.get("kinds", ()):
        kind = _kind(row, source=source)
        kinds[kind.name] = kind
    return _finish(kinds, {name: data.get(name, ()) for name in WORD_LISTS}, source=source)


def _kind(row: Any, *, source: str) -> EventKind:
    if not isinstance(row, dict):
        raise ConfigError(f"{source}: each kind is an object with name, class, label_ja, label_en, words")
    name, cls = str(row.get("name", "")), str(row.get("class", ""))
    if not _NAME.match(name) or not _CLASS.match(cls):
        raise ConfigError(f"{source}: bad kind name {name!r} or class {cls!r} (names like phone_call, classes "
                          "like PhoneCall)")
    words = row.get("words", ())
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        raise ConfigError(f"{source}: kind {name}: 'words' must be a non-empty list of words")
    return EventKind(name=name, cls=cls, label_ja=str(row.get("label_ja", name)),
                     label_en=str(row.get("label_en", name.replace("_", " "))), words=tuple(words),
                     broader=str(row.get("broader", "")), modifiers=tuple(row.get("modifiers", ())),
                     color=str(row.get("color", "#7f7f7f")))


def _finish(kinds: dict[str, EventKind], lists: Mapping[str, Iterable[str]], *, source: str) -> EventVocabulary:
    for kind in kinds.values():
        if kind.broader and kind.broader not in kinds:
            raise ConfigError(f"{source}: kind {kind.name}: broader kind {kind.broader!r} is not declared; "
                              f"known kinds: {', '.join(kinds)}")
    for predicate in predicate_table().values():
        if predicate.event_kind and predicate.event_kind not in kinds:
            raise ConfigError(f"kg/data/predicates.json: {predicate.name}: event_kind {predicate.event_kind!r} "
                              f"is not a kind of the event vocabulary; known kinds: {', '.join(kinds)}")
    by_word = sorted(((w, k.name) for k in kinds.values() for w in k.words), key=lambda wk: (-len(wk[0]), wk))
    classes = [k.cls for k in kinds.values()]
    if len(set(classes)) != len(classes):
        raise ConfigError(f"{source}: two kinds share one class")
    return EventVocabulary(kinds=dict(kinds), holding_verbs=frozenset(lists.get("holding_verbs", ())),
                           cancel_words=frozenset(lists.get("cancel_words", ())),
                           reporting_verbs=frozenset(lists.get("reporting_verbs", ())),
                           place_particles=tuple(lists.get("place_particles", ())),
                           place_labels=frozenset(lists.get("place_labels", ())), _by_word=tuple(by_word))


@lru_cache(maxsize=1)
def default_vocabulary() -> EventVocabulary:
    """The package's vocabulary, ``kg/data/events.json``."""
    return vocabulary_from_data(read_json("events.json"), source="kg/data/events.json")


def load_event_vocabulary(user_file: str | Path | None = None) -> EventVocabulary:
    """The package's vocabulary, extended by a user file (kinds added or replaced, words added)."""
    base = default_vocabulary()
    if user_file is None:
        return base
    data = read_user_json(user_file, what="event vocabulary")
    if not isinstance(data, dict):
        raise ConfigError(f"{user_file}: an event vocabulary is a JSON object "
                          '({"kinds": [...], "holding_verbs": [...], …})')
    unknown = sorted(set(data) - {"kinds", *WORD_LISTS} - {k for k in data if k.startswith("_")})
    if unknown:
        raise ConfigError(f"{user_file}: unknown field {unknown[0]!r}; fields: kinds, {', '.join(WORD_LISTS)}")
    rows = data.get("kinds", [])
    if not isinstance(rows, list):
        raise ConfigError(f"{user_file}: kinds must be a list of objects")
    kinds = dict(base.kinds)
    for row in rows:
        kind = _kind(row, source=str(user_file))
        kinds[kind.name] = kind
    lists = {name: [*sorted(getattr(base, name)), *_strings(data.get(name, []), name, user_file)]
             for name in WORD_LISTS}
    return _finish(kinds, lists, source=str(user_file))


def _strings(value: Any, name: str, source: str | Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {name} must be a list of strings")
    return value


def event_classes() -> dict[str, str]:
    """Kind name → RDF class name of the package's kinds (``summit`` → ``Summit``)."""
    return {k.name: k.cls for k in default_vocabulary().kinds.values()}


__all__ = ["EventKind", "EventVocabulary", "default_vocabulary", "event_classes", "load_event_vocabulary"]
