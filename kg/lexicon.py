"""The entity lexicon: states, organizations, titles and rules, from data files.

Everything the entity stage knows by name lives in ``kg/data/`` (states from
babel and pycountry, a curated list of organizations, titles, rules) plus an
optional user file that adds entries, aliases, type fixes and names to
ignore. This module only loads and indexes them.

User file (JSON)::

    {"entities": [{"label": "DeepState", "type": "Organization", "aliases": ["DEEP STATE"]},
                  {"label": "ウォロディミル・ゼレンスキー", "type": "Person", "aliases": ["ゼレンスキー"]}],
     "ignore": ["オールドメディア"]}

An entry whose label or an alias is already known extends that entry (its
aliases are merged, its type wins); otherwise it is a new entity. An entry
marked ``"separate": true`` is always a new entity: its names are taken away
from the entries that had them (this is how a wrong merge is split).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from kg.datafiles import read_json, read_user_json
from kg.digest import digest
from kg.errors import ConfigError
from kg.model import ENTITY_TYPES, EntityType
from kg.names import name_key
from kg.schema import validate


@dataclass(frozen=True)
class LexEntry:
    """A known entity: its stable id, canonical label, type, names and Wikidata id."""

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    wikidata: str | None = None
    #: Short names that mean this entry only in a sports story (楽天: the Eagles there, the company elsewhere).
    sports_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Indexes over the entries and the rule vocabularies of the entity stage."""

    entries: dict[str, LexEntry]
    names: dict[str, str]  # name_key(name) → entry id
    abbreviations: dict[str, str]  # one character → state id
    standalone: frozenset[str]
    regions: frozenset[str]
    titles: tuple[str, ...]  # positions and roles, longest first
    honorifics: frozenset[str]
    modifiers: frozenset[str]
    rules: dict[str, Any] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()  # the titles that say membership (選手, 社員), not a position
    sports: dict[str, str] = field(default_factory=dict)  # name_key(sports name) → entry id (LexEntry.sports_names)

    @cached_property
    def title_set(self) -> frozenset[str]:
        """Titles as a set, for suffix tests."""
        return frozenset(self.titles)

    @cached_property
    def title_prefixes(self) -> frozenset[str]:
        """Every prefix of a title or honorific: a title can only start at a token that is one."""
        return frozenset(t[:n] for t in (*self.titles, *self.honorifics) for n in range(1, len(t) + 1))

    @cached_property
    def longest_name(self) -> int:
        """Length of the longest known name key: no token run longer than this can match."""
        return max(map(len, (*self.names, *self.sports)), default=0)

    @cached_property
    def business_kinds(self) -> tuple[str, ...]:
        """The words for kinds of business (entity_rules.json), longest first: the first that fits is whole."""
        return tuple(sorted(self.rules["business_kinds"], key=len, reverse=True))

    @cached_property
    def abbreviation_chars(self) -> frozenset[str]:
        """Every one-character state or region abbreviation."""
        return frozenset(self.abbreviations) | self.regions

    def fingerprint(self) -> str:
        """A digest of everything this lexicon knows: part of the cache key of the map step's records."""
        return digest(self)

    def lookup(self, text: str) -> LexEntry | None:
        """The entry one of whose names is ``text``, if any."""
        entry_id = self.names.get(name_key(text))
        return self.entries[entry_id] if entry_id else None

    def sports_story(self, text: str) -> bool:
        """Whether a text is a sports story: it uses at least ``sports_min_words`` of entity_rules.json's sports words.

        In one, a club's short name means the club (楽天の田中将大投手, 日本ハムが優勝):
        such names (:attr:`LexEntry.sports_names`) are companies, or nothing, elsewhere.
        """
        return sum(1 for w in self.rules["sports_words"] if w in text) >= self.rules["sports_min_words"]

    def rule_set(self, name: str) -> frozenset[str]:
        """One vocabulary of ``entity_rules.json`` as a set."""
        return frozenset(self.rules[name])

    def with_entries(self, items: list[dict[str, Any]], *, ignore: list[str] = ()) -> Lexicon:  # type: ignore[assignment]
        """A copy with user entries merged in (see the module docstring)."""
        entries = dict(self.entries)
        names = dict(self.names)
        sports = dict(self.sports)
        for number, item in enumerate(items, start=1):
            entry = _user_entry(item, number)
            if item.get("separate"):
                _take_names(entries, names, (entry.label, *entry.aliases))
            known = next((names[name_key(n)] for n in (entry.label, *entry.aliases) if name_key(n) in names), None)
            if known is not None:
                old = entries[known]
                merged = tuple(dict.fromkeys((*old.aliases, entry.label, *entry.aliases)))
                entry = replace(old, type=entry.type, aliases=merged, wikidata=entry.wikidata or old.wikidata)
            entries[entry.id] = entry
            for name in (entry.label, *entry.aliases):
                names[name_key(name)] = entry.id
            sports.update((name_key(n), entry.id) for n in item.get("sports_names", ()))
        return replace(self, entries=entries, names=names, sports=sports,
                       ignore=self.ignore | {name_key(n) for n in ignore})


def _take_names(entries: dict[str, LexEntry], names: dict[str, str], taken: tuple[str, ...]) -> None:
    """Take ``taken`` away from the entries that have them (in place).

    An entry that loses its label is relabelled with its next name; one left
    with no name at all stays (abbreviations may still point at it) but is no
    longer found by name.
    """
    for key in {name_key(n) for n in taken}:
        owner = names.pop(key, None)
        if owner is None:
            continue
        old = entries[owner]
        rest = tuple(a for a in old.aliases if name_key(a) != key)
        if name_key(old.label) != key:
            entries[owner] = replace(old, aliases=rest)
        else:
            entries[owner] = replace(old, label=rest[0] if rest else old.label, aliases=rest)


def _user_entry(item: Any, number: int) -> LexEntry:
    if not isinstance(item, dict) or not isinstance(item.get("label"), str):
        raise ConfigError(f"lexicon entry {number}: needs a string 'label'")
    kind = item.get("type", "Organization")
    if kind not in ENTITY_TYPES:
        raise ConfigError(f"lexicon entry {number} ({item['label']}): type {kind!r} is not one of "
                          + ", ".join(ENTITY_TYPES))
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ConfigError(f"lexicon entry {number} ({item['label']}): 'aliases' must be a list of strings")
    if not isinstance(item.get("separate", False), bool):
        raise ConfigError(f"lexicon entry {number} ({item['label']}): 'separate' must be true or false")
    entry_id = item.get("id") or "user_" + name_key(item["label"])
    return LexEntry(id=str(entry_id), label=item["label"], type=kind, aliases=tuple(aliases),
                    wikidata=item.get("wikidata"))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon shipped with kg."""
    states = read_json("states.json")
    orgs = read_json("organizations.json")
    titles = read_json("titles.json")
    entries: dict[str, LexEntry] = {}
    names: dict[str, str] = {}
    abbreviations: dict[str, str] = {}
    for item in states["states"]:
        entry = LexEntry(id=item["id"], label=item["label"], type="State", aliases=tuple(item["aliases"]),
                         abbreviations=tuple(item["abbreviations"]), wikidata=item.get("wikidata"))
        entries[entry.id] = entry
        for char in entry.abbreviations:
            abbreviations[char] = entry.id
    for item in orgs["organizations"]:
        entries[item["id"]] = LexEntry(id=item["id"], label=item["label"], type="Organization",
                                       aliases=tuple(item["aliases"]), wikidata=item.get("wikidata"),
                                       sports_names=tuple(item.get("sports_names", ())))
    for entry in entries.values():
        for name in (entry.label, *entry.aliases):
            names.setdefault(name_key(name), entry.id)
    return Lexicon(
        entries=entries,
        names=names,
        abbreviations=abbreviations,
        standalone=frozenset(states["standalone_abbreviations"]),
        regions=frozenset(states["region_abbreviations"]),
        titles=tuple(sorted(titles["titles"] + titles["roles"], key=len, reverse=True)),
        roles=frozenset(titles["roles"]),
        honorifics=frozenset(titles["honorifics"]),
        modifiers=frozenset(titles["modifiers"]),
        rules={**read_json("entity_rules.json"), "state_offices": titles["state_offices"]},
        sports={name_key(n): e.id for e in entries.values() for n in e.sports_names},
    )


def load_lexicon(user_file: str | Path | None = None) -> Lexicon:
    """The shipped lexicon, extended by the user's file when one is given."""
    lexicon = default_lexicon()
    if user_file is None:
        return lexicon
    path = Path(user_file)
    data = read_user_json(path, what="lexicon")
    validate(data, "lexicon", source=str(path))
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a lexicon file is a JSON object with 'entities' and/or 'ignore'")
    try:
        return lexicon.with_entries(list(data.get("entities", [])), ignore=list(data.get("ignore", [])))
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from None
