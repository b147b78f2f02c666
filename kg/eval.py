"""``kg eval``: score a graph against a gold annotation.

The gold format is the one of ``shared/gold/seed-dev.json`` (documented in the
README). A graph entity *matches* a gold entity when its label or one of its
aliases, NFKC-normalised, equals the gold label or one of the gold aliases.
Only graph entities mentioned in the gold documents are scored, so a corpus
build with more articles than the gold covers is scored fairly.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.datafiles import read_user_json
from kg.errors import ConfigError
from kg.graph import KnowledgeGraph
from kg.model import Entity
from kg.predicates import symmetric_predicates



@dataclass(frozen=True)
class Scores:
    """The figures ``kg eval`` prints, with the items behind each so they can be read."""

    core_recall: float
    precision: float
    duplicates: int
    merges: int
    type_accuracy: float
    relation_recall: float
    pair_recall: float
    counts: dict[str, int] = field(default_factory=dict)
    details: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "core_recall", "precision", "duplicates", "merges", "type_accuracy",
            "relation_recall", "pair_recall", "counts", "details")}


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check a gold file."""
    gold = read_user_json(path, what="gold")
    for key in ("docs", "entities"):
        if not isinstance(gold, dict) or key not in gold:
            raise ConfigError(f"{path}: a gold file needs the field {key!r}")
    return gold


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _names(entity: Entity) -> set[str]:
    return {_norm(entity.label), *(_norm(a) for a in entity.aliases)}


def _gold_names(item: dict[str, Any]) -> set[str]:
    return {_norm(item["label"]), *(_norm(a) for a in item.get("aliases", []))}


def evaluate(graph: KnowledgeGraph, gold: dict[str, Any]) -> Scores:
    """Score ``graph`` against ``gold`` (see the module docstring for the measures)."""
    gold_docs = set(gold["docs"])
    golds = gold["entities"]
    scored = [e for e in graph.entities if gold_docs & set(e.docs)]
    matches: dict[str, list[str]] = {}  # graph id → gold ids
    for entity in scored:
        names = _names(entity)
        matches[entity.id] = [g["id"] for g in golds if names & _gold_names(g)]
    gold_by_id = {g["id"]: g for g in golds}
    matched_by: dict[str, list[str]] = {g["id"]: [] for g in golds}
    for graph_id, gold_ids in matches.items():
        for gold_id in gold_ids:
            matched_by[gold_id].append(graph_id)

    core = [g for g in golds if g.get("core")]
    core_hit = [g["id"] for g in core if matched_by[g["id"]]]
    good = [eid for eid, gids in matches.items()
            if any(not gold_by_id[g].get("boilerplate_only") for g in gids)]
    duplicates = [g["id"] for g in core if len(matched_by[g["id"]]) > 1]
    merges = [eid for eid, gids in matches.items() if len(gids) > 1]
    pairs = [(eid, gid) for eid, gids in matches.items() for gid in gids]
    by_id = graph.by_id
    typed_ok = [p for p in pairs if by_id[p[0]].type == gold_by_id[p[1]]["type"]]

    rel_hits, pair_hits, rel_missed = _relation_recall(graph, gold, matched_by)
    n_rel = len(gold.get("relations", []))
    label = {e.id: e.label for e in graph.entities}
    return Scores(
        core_recall=_ratio(len(core_hit), len(core)),
        precision=_ratio(len(good), len(scored)),
        duplicates=len(duplicates),
        merges=len(merges),
        type_accuracy=_ratio(len(typed_ok), len(pairs)),
        relation_recall=_ratio(rel_hits, n_rel),
        pair_recall=_ratio(pair_hits, n_rel),
        counts={"graph_entities": len(scored), "gold_core": len(core), "gold_relations": n_rel},
        details={
            "core_missed": sorted(g["id"] for g in core if not matched_by[g["id"]]),
            "unmatched_nodes": sorted(f"{label[e]} ({by_id[e].type})" for e in matches if e not in good),
            "duplicates": sorted(f"{g}: " + ", ".join(label[e] for e in matched_by[g]) for g in duplicates),
            "merges": sorted(f"{label[e]}: " + ", ".join(matches[e]) for e in merges),
            "type_errors": sorted(f"{label[e]}: {by_id[e].type} ≠ {gold_by_id[g]['type']}"
                                  for e, g in pairs if (e, g) not in typed_ok),
            "relations_missed": rel_missed,
        },
    )


def _relation_recall(graph: KnowledgeGraph, gold: dict[str, Any],
                     matched_by: dict[str, list[str]]) -> tuple[int, int, list[str]]:
    typed = pairs = 0
    missed = []
    for rel in gold.get("relations", []):
        subjects = set(matched_by.get(rel["subject"], []))
        objects = set(matched_by.get(rel["object"], []))
        hit_typed = hit_pair = False
        for edge in graph.relations:
            if not any(ev.doc == rel["doc"] for ev in edge.evidence):
                continue
            forward = edge.subject in subjects and edge.object in objects
            backward = edge.subject in objects and edge.object in subjects
            if forward or backward:
                hit_pair = True
                symmetric = rel["predicate"] in symmetric_predicates()
                if edge.predicate == rel["predicate"] and (forward or symmetric):
                    hit_typed = True
        typed += hit_typed
        pairs += hit_pair
        if not hit_typed:
            missed.append(f"{rel['subject']} {rel['predicate']} {rel['object']} ({rel['doc']})")
    return typed, pairs, missed


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def format_scores(scores: Scores) -> str:
    """A small table of the figures, then what lies behind the misses."""
    rows = [
        ("core-entity recall", f"{scores.core_recall:.3f}"),
        ("node precision", f"{scores.precision:.3f}"),
        ("core entities split (duplicates)", str(scores.duplicates)),
        ("nodes merging several gold entities", str(scores.merges)),
        ("type accuracy", f"{scores.type_accuracy:.3f}"),
        ("relation recall", f"{scores.relation_recall:.3f}"),
        ("pair recall (any edge)", f"{scores.pair_recall:.3f}"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines.append(f"({scores.counts['graph_entities']} graph entities in the gold documents, "
                 f"{scores.counts['gold_core']} gold core entities, "
                 f"{scores.counts['gold_relations']} gold relations)")
    for key, items in scores.details.items():
        if items:
            lines.append(f"{key}: " + "; ".join(items))
    return "\n".join(lines)
