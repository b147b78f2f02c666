"""``kg eval``: score a graph against a gold annotation.

The gold format is the one of ``shared/gold/seed-dev.json`` (documented in
docs/cli.md). A graph entity *matches* a gold entity when its label or one of its
aliases equals the gold label or one of the gold aliases as :func:`kg.names.name_key`
compares names (NFKC, case and spaces ignored), as everything else in kg does.
Only graph entities mentioned in the gold documents are scored, so a corpus
build with more articles than the gold covers is scored fairly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.datafiles import read_user_json
from kg.errors import ConfigError
from kg.graph import KnowledgeGraph
from kg.model import Entity, Evidence
from kg.names import name_key
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


def _names(entity: Entity) -> set[str]:
    return {name_key(entity.label), *(name_key(a) for a in entity.aliases)}


def _gold_names(item: dict[str, Any]) -> set[str]:
    return {name_key(item["label"]), *(name_key(a) for a in item.get("aliases", []))}


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


#: Labels of the open NER data sets (``../shared/data/ner``) → kg entity types; others are not scored.
NER_LABELS = {"人名": "Person", "PERSON": "Person", "法人名": "Organization", "政治的組織名": "Organization",
              "その他の組織名": "Organization", "ORG": "Organization"}


@dataclass(frozen=True)
class NerScores:
    """Exact-span precision, recall and F1 of mentions per entity type, over NER-annotated texts."""

    per_type: dict[str, dict[str, float]]
    documents: int

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "per_type": self.per_type}


def load_ner_records(path: str | Path) -> list[dict[str, Any]]:
    """Read an NER file (``{"id", "text", "entities": [{"start", "end", "label"}]}`` a line)."""
    path = Path(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such NER file") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            spans = [(int(e["start"]), int(e["end"]), str(e["label"])) for e in record["entities"]]
            records.append({"id": str(record.get("id", f"{path.name}:{number}")), "text": str(record["text"]),
                            "spans": spans})
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"{path}:{number}: an NER record needs 'text' and 'entities' "
                              "[{start, end, label}]") from None
    return records


def evaluate_ner(graph: KnowledgeGraph, records: list[dict[str, Any]]) -> NerScores:
    """Score the graph's mentions (Person, Organization) against NER records built as its documents.

    A mention counts when its span and type equal a gold span's (labels mapped
    by :data:`NER_LABELS`); mentions of other types (State) are not scored.
    """
    ids = {d.id for d in graph.documents}
    gold: set[tuple[str, int, int, str]] = set()
    for record in records:
        if record["id"] in ids:
            gold |= {(record["id"], s, e, NER_LABELS[label]) for s, e, label in record["spans"]
                     if label in NER_LABELS}
    found = {(m.doc, m.start, m.end, m.type) for m, _ in graph.mentions if m.type in ("Person", "Organization")}
    per_type = {}
    for kind in ("Person", "Organization"):
        g = {x for x in gold if x[3] == kind}
        f = {x for x in found if x[3] == kind}
        tp = len(g & f)
        precision, recall = _ratio(tp, len(f)), _ratio(tp, len(g))
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
        per_type[kind] = {"precision": precision, "recall": recall, "f1": f1, "gold": len(g), "found": len(f)}
    return NerScores(per_type=per_type, documents=len(ids))


def format_ner_scores(scores: NerScores) -> str:
    """One line per type: P, R, F1 and the counts behind them."""
    lines = [f"{'type':<13} {'precision':>9} {'recall':>7} {'F1':>6}  gold  found"]
    for kind, row in scores.per_type.items():
        lines.append(f"{kind:<13} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f}  "
                     f"{row['gold']:>4}  {row['found']:>5}")
    lines.append(f"({scores.documents} documents)")
    return "\n".join(lines)


@dataclass(frozen=True)
class GradedScores:
    """Precision of typed relations against a hand-graded sample, on the graded ones still produced."""

    precision: float
    found: int
    graded: int
    wrong: tuple[str, ...]
    #: Right relations shown with the wrong modality (a fact as planned, or a plan as fact).
    modality_wrong: int
    #: Planned, possible, hypothetical or negated relations shown as stated facts: must be none.
    shown_as_fact_but_not: int

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "found": self.found, "graded": self.graded, "wrong": list(self.wrong),
                "modality_wrong": self.modality_wrong, "shown_as_fact_but_not": self.shown_as_fact_but_not}


def load_graded(path: str | Path) -> list[dict[str, Any]]:
    """Read a graded sample: one JSON object a line (see ``tests/data/README.md``)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such graded-relations file") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            for key in ("doc", "start", "end", "subject", "predicate", "object", "correct", "modality"):
                item[key]  # noqa: B018 - every field is required
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"{path}:{number}: a graded relation needs doc, start, end, subject, predicate, "
                              "object, correct and modality") from None
        items.append(item)
    return items


def evaluate_graded(graph: KnowledgeGraph, graded: list[dict[str, Any]]) -> GradedScores:
    """Precision over the graded relations the graph still yields.

    A graded relation is found when an edge with its predicate links entities
    named by its subject and object (label or alias, either way round for a
    symmetric predicate) with evidence on its sentence. It counts as right
    when the grade says the relation holds *and* the modality shown for that
    sentence tells a fact exactly when the graded one does: a planned meeting
    shown as asserted is wrong.
    """
    from kg.modality import FACTUAL

    names = {e.id: _names(e) for e in graph.entities}
    symmetric = symmetric_predicates()
    found = right = misleading = not_facts = 0
    wrong = []
    for item in graded:
        shown = _graded_evidence(graph, item, names, symmetric)
        if shown is None:
            continue
        found += 1
        fact_ok = (shown.modality in FACTUAL) == (item["modality"] in FACTUAL)
        not_facts += shown.modality in FACTUAL and item["modality"] not in FACTUAL
        if item["correct"] and fact_ok:
            right += 1
        else:
            misleading += item["correct"] and not fact_ok
            wrong.append(f"{item['subject']} {item['predicate']} {item['object']} ({item['doc']}:{item['start']}, "
                         f"shown {shown.modality}): {item.get('cause', '')}")
    return GradedScores(precision=_ratio(right, found), found=found, graded=len(graded), wrong=tuple(wrong),
                        modality_wrong=misleading, shown_as_fact_but_not=not_facts)


def _graded_evidence(graph: KnowledgeGraph, item: dict[str, Any], names: dict[str, set[str]],
                     symmetric: frozenset[str]) -> Evidence | None:
    subject, obj = name_key(item["subject"]), name_key(item["object"])
    for rel in graph.relations:
        if rel.predicate != item["predicate"]:
            continue
        forward = subject in names[rel.subject] and obj in names[rel.object]
        backward = rel.predicate in symmetric and subject in names[rel.object] and obj in names[rel.subject]
        if forward or backward:
            for ev in rel.evidence:
                if (ev.doc, ev.start, ev.end) == (item["doc"], item["start"], item["end"]):
                    return ev
    return None


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
