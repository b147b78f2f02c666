"""The entity stage's reduce: mentions of the whole corpus merged into entities.

- A mention of a lexicon entry (``key`` ``lex:<id>``) joins that entry.
- A person's name seen once with confidence (a title, GiNZA's Person tag) is
  looked for again in every document (:func:`propagate`), so ゼレンスキー
  tagged "Clothing" by GiNZA is still found.
- Persons are merged on a loose spelling key (ウィトコフ/ウィットコフ,
  ウォロディミル/ボロディミル) and a surname joins the one full name that
  ends with it (トランプ → ドナルド・トランプ).
- An entity's type is the lexicon's, or the vote of its mentions.
- Ids are the lexicon id, or a hash of type and canonical key: stable across
  builds as long as the names are.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from kg.chrome import chrome_spans, in_spans
from kg.lexicon import Lexicon, name_key
from kg.mentions import group_key
from kg.model import Entity, EntityType, Mention, ParsedDoc
from kg.spans import merged, overlaps

# Spelling variants of katakana transcriptions, folded for comparison only.
_LOOSE = [("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"), ("ウォ", "ボ"),
          ("ッ", ""), ("ー", ""), ("・", ""), ("ァ", "ア"), ("ィ", "イ"), ("ゥ", "ウ"), ("ェ", "エ"), ("ォ", "オ")]
_TYPE_ORDER = {"Person": 0, "State": 1, "Organization": 2}


def normalize(text: str) -> str:
    """NFKC and no inner spaces: the form two surface strings must share to be one name."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def loose_key(name: str) -> str:
    """A key that folds common katakana spelling variants (ウィットコフ = ウィトコフ)."""
    key = name_key(name)
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key


def propagate(mentions: Sequence[Mention], parsed_docs: Sequence[ParsedDoc],
              texts: Mapping[str, str], *, lexicon: Lexicon) -> list[Mention]:
    """Add mentions of known person names wherever they stand as whole tokens, unmentioned."""
    names = {m.text for m in mentions if m.type == "Person" and m.source != "propagated"}
    names = {n for n in names if len(n) >= 2 and lexicon.lookup(n) is None}
    added = []
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    for parsed in parsed_docs:
        text = texts[parsed.doc_id]
        taken = merged((m.start, m.end) for m in by_doc[parsed.doc_id])
        chrome = chrome_spans(text)
        starts = {t.start for t in parsed.tokens}
        ends = {t.end for t in parsed.tokens}
        for name in names:
            for match in re.finditer(re.escape(name), text):
                start, end = match.span()
                if start not in starts or end not in ends or in_spans(start, chrome):
                    continue
                if overlaps(taken, start, end):
                    continue
                added.append(Mention(doc=parsed.doc_id, start=start, end=end, text=name, type="Person",
                                     source="propagated", key=name_key(name)))
    return [*mentions, *added]


def resolve(mentions: Iterable[Mention], *, lexicon: Lexicon) -> tuple[list[Entity], dict[Mention, str]]:
    """Merge mentions that name the same thing into entities.

    Returns the entities (sorted by id) and a map from each mention to its
    entity id.
    """
    mentions = list(mentions)
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[group_key(mention)].append(mention)
    _merge_surnames(groups)
    _merge_links(groups, mentions)
    entities = []
    assignment: dict[Mention, str] = {}
    for key, members in sorted(groups.items()):
        entity = _make_entity(key, members, lexicon)
        entities.append(entity)
        for mention in members:
            assignment[mention] = entity.id
    entities.sort(key=lambda e: e.id)
    return entities, assignment


def _merge_links(groups: dict[str, list[Mention]], mentions: Sequence[Mention]) -> None:
    """Merge the groups of mentions in apposition; a lexicon group absorbs a plain name."""
    # Mentions of one key always share a group, so a key's current group is one lookup.
    owner = {group_key(m): k for k, members in groups.items() for m in members}
    for mention in mentions:
        if not mention.link:
            continue
        a, b = owner.get(group_key(mention)), owner.get(mention.link)
        if a is None or b is None or a == b:
            continue
        keep, drop = (b, a) if a.startswith("name:") or not b.startswith("name:") else (a, b)
        if keep.startswith("lex:") and drop.startswith("lex:"):
            continue  # two known entities in apposition stay two
        for m in groups[drop]:
            owner[group_key(m)] = keep
        groups[keep].extend(groups.pop(drop))


def _merge_surnames(groups: dict[str, list[Mention]]) -> None:
    """Move each surname-only person group into the one full-name group that ends with it."""
    full: dict[str, set[str]] = defaultdict(set)  # loose surname → full-name group keys
    for key, members in groups.items():
        if not key.startswith("person:"):
            continue
        name = _most_common(m.text for m in members)
        if "・" in name:
            full[loose_key(name.split("・")[-1])].add(key)
        elif re.fullmatch(r"[一-龥々]{3,}", name):
            for cut in (1, 2):  # a Japanese name: family name first
                full[loose_key(name[: len(name) - cut])].add(key) if len(name) - cut >= 1 else None
    for key in sorted(groups):
        if not key.startswith("person:") or key not in groups:
            continue
        targets = full.get(key[len("person:"):], set()) - {key}
        if len(targets) == 1:
            (target,) = targets
            groups[target].extend(groups.pop(key))


def _most_common(texts: Iterable[str]) -> str:
    counts = Counter(texts)
    return min(counts, key=lambda s: (-counts[s], -len(s), s))


def _make_entity(key: str, members: Sequence[Mention], lexicon: Lexicon) -> Entity:
    surfaces = Counter(m.text for m in members)
    aliases = tuple(sorted(surfaces))
    if key.startswith("lex:"):
        entry = lexicon.entries[key[4:]]
        return Entity(id=entry.id, label=entry.label, type=entry.type, aliases=aliases,
                      mentions=len(members), docs=_docs(members), wikidata=entry.wikidata)
    kind = vote_type(m.type for m in members)
    if kind == "Person":  # the fullest name: ドナルド・トランプ over トランプ, 田中宇 over 田中
        label = min(surfaces, key=lambda s: (-len(s), -surfaces[s], s))
    else:
        label = _most_common(m.text for m in members)
    return Entity(id=entity_id(kind, key), label=label, type=kind, aliases=aliases,
                  mentions=len(members), docs=_docs(members))


def _docs(members: Sequence[Mention]) -> tuple[str, ...]:
    return tuple(sorted({m.doc for m in members}))


def vote_type(types: Iterable[EntityType]) -> EntityType:
    """The most frequent type; ties go Person, State, Organization, whatever the order seen."""
    counts = Counter(types)
    return min(counts, key=lambda t: (-counts[t], _TYPE_ORDER[t]))


def entity_id(kind: str, key: str) -> str:
    """A stable, IRI-safe id: the same type and key give the same id in every build."""
    digest = hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:10]
    return f"{kind[0].lower()}{digest}"


def with_entity_keys(mentions: Sequence[Mention], assignment: Mapping[Mention, str]) -> list[Mention]:
    """Mentions whose ``key`` is replaced by their entity id (for extract output)."""
    return [replace(m, key=assignment[m]) for m in mentions]
