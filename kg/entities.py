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
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from kg.chrome import chrome_spans
from kg.lexicon import Lexicon
from kg.mentions import group_key, link_appositions, org_name, rank
from kg.model import Entity, EntityType, Mention, ParsedDoc
from kg.names import loose_key, name_key

_TYPE_ORDER = {"Person": 0, "State": 1, "Organization": 2}


def token_bounds(parsed: ParsedDoc) -> array:  # type: ignore[type-arg]
    """A parse's token boundaries, start and end of each token in turn, as 4-byte integers."""
    return array("i", (offset for t in parsed.tokens for offset in (t.start, t.end)))


class FoundNames:
    """The names :func:`propagate` found in each article, kept for the next build in this process.

    An article's finds depend on its text, its own mentions and the corpus's
    person names that occur in it. So when one article is added to thousands
    (:class:`kg.Project`), an article keeps last build's finds unless one of
    the person names that came or went occurs in its text: the reduce does not
    read every article's tokens again. Past ``MAX_CHANGED`` changed names, it
    is quicker to look everywhere again.
    """

    MAX_CHANGED = 200

    def __init__(self) -> None:
        self.persons: frozenset[str] = frozenset()
        self.by_doc: dict[str, tuple[object, list[Mention]]] = {}

    def stale(self, persons: frozenset[str], texts: Mapping[str, str]) -> set[str]:
        """The articles whose finds may change now that the person names are ``persons``."""
        changed = persons ^ self.persons
        if len(changed) > self.MAX_CHANGED:
            return set(texts)
        return {doc for doc, text in texts.items() if any(name in text for name in changed)}


def propagate(mentions: Sequence[Mention], bounds: Mapping[str, Sequence[int]],
              texts: Mapping[str, str], *, lexicon: Lexicon, memo: FoundNames | None = None) -> list[Mention]:
    """Find known names again wherever they stand as whole tokens, unmentioned.

    A person's name found once with confidence is looked for in every
    article given (ゼレンスキー where no rule saw it); an organization's name
    only in its own article (FSF after フリーソフトウェア財団(FSF)), as short
    names of organizations mean different things in different stories.
    ``bounds`` holds each article's token boundaries (:func:`token_bounds`):
    one pass over them, so the cost follows the corpus, not names × articles.
    The map step runs this within each article, the reduce across them;
    ``memo`` keeps the finds of each article for the next build (:class:`FoundNames`).

    Returns the mentions given, in their order (some retyped or linked), then
    the ones found.
    """
    persons = {m.text for m in mentions if m.type == "Person" and _propagatable_person(m)
               and lexicon.lookup(m.text) is None}
    titled = {m.text for m in mentions if m.type == "Person" and m.source == "title"}
    # ゼレンスキー大統領 in one article outweighs the NER head's guess of an organization in another
    mentions = [replace(m, type="Person", key=name_key(m.text))
                if m.type == "Organization" and m.source in _GUESSES and m.text in titled else m for m in mentions]
    orgs: dict[str, dict[str, str]] = defaultdict(dict)  # doc → name → its key (リコー for 株式会社リコー)
    for m in mentions:
        if m.type == "Organization" and not m.key.startswith("lex:") and _propagatable_org(m.text):
            orgs[m.doc][m.text] = m.key
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_doc[m.doc].append(m)
    everywhere = _name_table({n: ("Person", name_key(n)) for n in persons})
    stale = memo.stale(frozenset(persons), {doc: texts[doc] for doc in bounds}) if memo is not None else set(bounds)
    memo = memo if memo is not None else FoundNames()
    added = []
    for doc_id, doc_bounds in bounds.items():
        own = (texts[doc_id], tuple((m.start, m.end) for m in by_doc[doc_id]), tuple(orgs[doc_id].items()))
        kept = memo.by_doc.get(doc_id)
        if doc_id in stale or kept is None or kept[0] != own:
            here = _name_table({n: ("Organization", key) for n, key in orgs[doc_id].items()})
            kept = own, _find_names(doc_id, doc_bounds, texts[doc_id], (here, everywhere), taken=by_doc[doc_id])
        memo.by_doc[doc_id] = kept
        added += kept[1]
    memo.persons = frozenset(persons)
    memo.by_doc = {doc: memo.by_doc[doc] for doc in bounds}
    if not added:
        return list(mentions)
    return _link_again([*mentions, *added], texts)


def _link_again(mentions: list[Mention], texts: Mapping[str, str]) -> list[Mention]:
    """Appositions among all mentions, propagated ones included (フリーソフトウェア財団(FSF), both found again).

    The list keeps its order: mention ``n`` of the result is mention ``n`` given, linked or not.
    """
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        by_doc[m.doc].append(n)
    out = list(mentions)
    for doc, indices in by_doc.items():
        indices.sort(key=lambda n: (mentions[n].start, mentions[n].end))
        for n, linked in zip(indices, link_appositions([mentions[n] for n in indices], texts[doc])):
            out[n] = linked
    return out


#: Mention rules whose type is a statistical guess, which a titled name elsewhere overrules.
_GUESSES = frozenset({"model", "ner"})


def _propagatable_person(mention: Mention) -> bool:
    """A person's name safe to look for everywhere: titled where found (原田選手), or a full name (ドナルド・トランプ).

    A bare word the NER head alone called a person (共同, ポクロウシク) is too
    often a common word or a place to spread over the corpus.
    """
    if mention.source == "propagated" or len(mention.text) < 2:
        return False
    return mention.source == "title" or "・" in mention.text or len(mention.text) >= 4 and mention.source != "model"


def _propagatable_org(name: str) -> bool:
    """Org names safe to look for again: three characters or more, or a Latin acronym (FSF)."""
    return len(name) >= 3 or bool(re.fullmatch(r"[A-Z][A-Z0-9&]+", name))


#: Tokens a propagated name may span.
_MAX_NAME_TOKENS = 6


class _NameTable(NamedTuple):
    """Names to look for (name → type and key), with what lets a token be passed over at once.

    Every name has two characters or more (see :func:`_propagatable_person`,
    :func:`_propagatable_org`), so a token whose first two characters begin
    no name (``heads``) starts none: most tokens of an article are skipped on one set lookup.
    """

    names: Mapping[str, tuple[str, str]]
    heads: frozenset[str]
    longest: int


def _name_table(names: Mapping[str, tuple[str, str]]) -> _NameTable:
    return _NameTable(names, frozenset(n[:2] for n in names), max(map(len, names), default=0))


def _find_names(doc_id: str, bounds: Sequence[int], text: str, tables: Sequence[_NameTable], *,
                taken: Sequence[Mention]) -> list[Mention]:
    """The longest known name starting at each token, where no mention or chrome already is.

    ``tables`` are looked in in turn, the first holding a name giving its
    type and key: the article's own organizations before the corpus's persons,
    without copying the corpus's table for each article.
    """
    tables = [t for t in tables if t.names]
    if not tables:
        return []
    covered = bytearray(len(text) + 1)
    for m in taken:
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    for start, end in chrome_spans(text):
        covered[start:end] = b"\x01" * (end - start)
    longest = max(t.longest for t in tables)
    starts, ends = bounds[0::2], bounds[1::2]
    found = []
    i = 0
    while i < len(starts):
        head = text[starts[i]:starts[i] + 2]
        for table in tables:
            if head in table.heads:
                break
        else:
            i += 1
            continue
        best = None
        for j in range(i, min(len(starts), i + _MAX_NAME_TOKENS)):
            if j > i and starts[j] != ends[j - 1] or ends[j] - starts[i] > longest:
                break
            piece = text[starts[i]:ends[j]]
            known = next((t.names[piece] for t in tables if piece in t.names), None)
            if known is not None:
                best = (j, piece, known)
        if best is not None and not any(covered[starts[i]:ends[best[0]]]):
            j, name, (kind, key) = best
            found.append(Mention(doc=doc_id, start=starts[i], end=ends[j], text=name,
                                 type=kind, source="propagated", key=key))  # type: ignore[arg-type]
            i = j + 1
        else:
            i += 1
    return found


def resolve(mentions: Iterable[Mention], *, lexicon: Lexicon) -> tuple[list[Entity], dict[Mention, str]]:
    """Merge mentions that name the same thing into entities.

    Returns the entities (sorted by id) and a map from each mention to its
    entity id.
    """
    mentions = list(mentions)
    linked = link_short_names(unify_types(mentions))
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in linked:
        groups[group_key(mention)].append(mention)
    _merge_surnames(groups)
    _merge_links(groups, linked)
    entities = []
    entity_of: dict[Mention, str] = {}
    for key, members in sorted(groups.items()):
        entity = _make_entity(key, members, lexicon)
        entities.append(entity)
        for mention in members:
            entity_of[mention] = entity.id
    entities.sort(key=lambda e: e.id)
    return entities, {m: entity_of[k] for m, k in zip(mentions, linked)}


_KANJI_NAME = re.compile(r"[一-龥々ヶ]+")
_KATAKANA_ONLY = re.compile(r"[ァ-ヺー]+")
# A reading glossed inside a name (寒川(かんがわ)進): kept in aliases, left out of the label.
_READING = re.compile(r"[(（][ぁ-ゖー]+[)）]")


def unify_types(mentions: list[Mention]) -> list[Mention]:
    """One name, one type within an article: the type of its most trusted mention wins.

    ジヤトコ found as an organization by the quoted-name rule and as a person
    by the NER is one company; lexicon entries keep their own type.
    """
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        if not m.key.startswith("lex:"):
            by_name[(m.doc, name_key(m.text))].append(n)
    out = list(mentions)
    for indices in by_name.values():
        if len(indices) < 2 or all(mentions[n].type == mentions[indices[0]].type for n in indices):
            continue  # most names: one mention, or one type
        types = Counter(mentions[n].type for n in indices)
        best = min(indices, key=lambda n: (rank(mentions[n].source), -types[mentions[n].type]))
        winner = mentions[best].type
        for n in indices:
            if mentions[n].type != winner:
                out[n] = replace(mentions[n], type=winner, position="", role="", affiliation="")
    return out


def link_short_names(mentions: list[Mention]) -> list[Mention]:
    """A surname or given name alone joins the one full name of its article that it is part of.

    亀田興毅 … 亀田 … 興毅 (one article) → one person; ストールマン after
    リチャード・ストールマン too. Only within an article: 亀田 elsewhere may be
    someone else (:func:`_merge_surnames` links across articles only where the
    corpus has one candidate). A name the lexicon lists keeps its entry.
    Returns the mentions, short ones re-keyed.
    """
    by_doc: dict[str, list[int]] = defaultdict(list)
    for n, m in enumerate(mentions):
        if m.type == "Person":
            by_doc[m.doc].append(n)
    out = list(mentions)
    for indices in by_doc.values():
        counts = Counter(_READING.sub("", mentions[n].text) for n in indices)
        names = set(counts)
        full = [f for f in names if _is_full_name(f)]
        for n in indices:
            short = _READING.sub("", mentions[n].text)
            if short in full or mentions[n].key.startswith("lex:"):
                continue  # a lexicon entry (a user's split among them) decides its own names
            owners = {f for f in full if _part_of(short, f)}
            owner = dominant(owners, weight=lambda f: counts[f])
            if owner is not None:
                out[n] = replace(mentions[n], key="person:" + loose_key(owner))
    return out


#: A surname alone means the bearer mentioned this many times more than any other.
DOMINANCE = 3
#: Across articles, a surname alone means a full name only that prominent (mentions in the corpus).
SALIENT_MENTIONS = 5


def dominant(candidates: set[str], *, weight: Callable[[str], int]) -> str | None:
    """The one candidate, or the one that outweighs each other one DOMINANCE times (トランプ: ドナルド, not ララ)."""
    if len(candidates) <= 1:
        return next(iter(candidates), None)
    ranked = sorted(candidates, key=lambda c: (-weight(c), c))
    return ranked[0] if weight(ranked[0]) >= DOMINANCE * weight(ranked[1]) else None


def _is_full_name(name: str) -> bool:
    """ドナルド・トランプ, 亀田興毅: a name with a given name and a family name."""
    if "・" in name.strip("・"):
        return True
    return bool(_KANJI_NAME.fullmatch(name)) and 3 <= len(name) <= 6


def _part_of(short: str, full: str) -> bool:
    """Whether ``short`` is the family or given name of ``full`` (亀田, 興毅 of 亀田興毅)."""
    if "・" in full:
        parts = [p for p in full.split("・") if p]
        return short in (parts[0], parts[-1]) and len(short) >= 2
    if not _KANJI_NAME.fullmatch(short) or len(short) >= len(full):
        return False
    return full.startswith(short) or (full.endswith(short) and len(short) >= 2)


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
        # The name the group is keyed by (its members may be short forms linked to it).
        name = next((m.text for m in members if "person:" + loose_key(m.text) == key),
                    _most_common(m.text for m in members))
        if "・" in name:
            full[loose_key(name.split("・")[-1])].add(key)
        elif re.fullmatch(r"[一-龥々]{3,}", name):
            for cut in (1, 2):  # a Japanese name: family name first
                full[loose_key(name[: len(name) - cut])].add(key) if len(name) - cut >= 1 else None
    for key in sorted(groups):
        if not key.startswith("person:") or key not in groups:
            continue
        targets = full.get(key[len("person:"):], set()) - {key}
        target = dominant(targets, weight=lambda k: len(groups[k]))
        if target is None:
            continue
        # ブラウン elsewhere is not the one マイケル・ブラウン named once; a foreign surname the corpus
        # keeps using (ウィトコフ in four articles) is its one bearer. Japanese family names are
        # shared by too many people for that: there the full name alone must be prominent.
        weight = len(groups[target]) + (len(groups[key]) if _KATAKANA_ONLY.fullmatch(key[len("person:"):]) else 0)
        if weight >= SALIENT_MENTIONS:
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
    if kind == "Person":  # the fullest name: ドナルド・トランプ over トランプ, 田中宇 over 田中; no reading gloss
        label = _READING.sub("", min(surfaces, key=lambda s: (-len(_READING.sub("", s)), -surfaces[s], s)))
    else:  # the name as news uses it most, without legal forms: リコー for 株式会社リコー
        label = _owned_label(key, org_name(_most_common(m.text for m in members), lexicon), lexicon)
        aliases = tuple(sorted({*aliases, label}))
    return Entity(id=entity_id(kind, key), label=label, type=kind, aliases=aliases,
                  mentions=len(members), docs=_docs(members))


def _owned_label(key: str, label: str, lexicon: Lexicon) -> str:
    """A state's organ that the text names by its kind alone takes the state's name: 下院 of usa+下院 → アメリカ合衆国下院.

    Otherwise the view would show a 下院 for every state whose news says only 下院.
    """
    owner, _, organ = key.partition("+")
    entry = lexicon.entries.get(owner)
    return f"{entry.label}{organ}" if entry is not None and organ and label == organ else label


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
