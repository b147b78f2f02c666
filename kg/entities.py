"""The entity stage: mentions in each document, resolved to entities across the corpus.

Two pure steps. :func:`find_mentions` reads one parsed document and yields
typed mentions with offsets (the per-document half). :func:`resolve` merges
the mentions of the whole corpus into entities with stable ids (the reduce).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from kg.datafiles import ene_type_map
from kg.model import Entity, EntityType, Mention, ParsedDoc


def normalize(text: str) -> str:
    """NFKC and no inner spaces: the form two surface strings must share to be one name."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def find_mentions(parsed: ParsedDoc, text: str) -> list[Mention]:
    """Mentions of persons, states and organizations in one document."""
    types = ene_type_map()
    mentions = []
    for ent in parsed.ents:
        kind = types.get(ent.label)
        if kind is None:
            continue
        surface = text[ent.start:ent.end]
        mentions.append(Mention(doc=parsed.doc_id, start=ent.start, end=ent.end, text=surface,
                                type=kind, ene=ent.label, source="ner", key=normalize(surface)))  # type: ignore[arg-type]
    return mentions


def resolve(mentions: Iterable[Mention]) -> tuple[list[Entity], dict[Mention, str]]:
    """Merge mentions that name the same thing into entities.

    Returns the entities (sorted by id) and a map from each mention to its
    entity id.
    """
    groups: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        groups[mention.key].append(mention)
    entities = []
    assignment: dict[Mention, str] = {}
    for key, members in groups.items():
        entity = _make_entity(key, members)
        entities.append(entity)
        for mention in members:
            assignment[mention] = entity.id
    entities.sort(key=lambda e: e.id)
    return entities, assignment


def _make_entity(key: str, members: Sequence[Mention]) -> Entity:
    kind = vote_type(m.type for m in members)
    surfaces = Counter(m.text for m in members)
    label = min(surfaces, key=lambda s: (-surfaces[s], s))
    return Entity(
        id=entity_id(kind, key),
        label=label,
        type=kind,
        aliases=tuple(sorted(surfaces)),
        mentions=len(members),
        docs=tuple(sorted({m.doc for m in members})),
    )


def vote_type(types: Iterable[EntityType]) -> EntityType:
    """The most frequent type; ties go Person < State < Organization order-independently."""
    counts = Counter(types)
    order = {"Person": 0, "State": 1, "Organization": 2}
    return min(counts, key=lambda t: (-counts[t], order[t]))


def entity_id(kind: str, key: str) -> str:
    """A stable, IRI-safe id: the same type and name give the same id in every build."""
    digest = hashlib.sha1(f"{kind}:{key}".encode()).hexdigest()[:10]
    return f"{kind[0].lower()}{digest}"
