"""Quality floors on the dev data kept in tests/data: entities, relations, NER, graded precision.

Each floor sits a little under today's figure (``kg eval`` prints them; the README's
Quality table quotes them), so that breaking a mention rule, a relation rule, the
modality reading or the resolution fails here, on articles of every topic, and not
only on the seed corpus. The data are copies (tests/data/README.md), so these tests
never skip.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.eval import evaluate, evaluate_graded, evaluate_ner, load_gold, load_graded, load_ner_records

from .conftest import CORPUS, ROOT, SEED_PARSES

DATA = ROOT / "tests" / "data"
#: Parses of the dev data, kept between sessions like the seeds' (gitignored; CI starts without it).
QUALITY_PARSES = ROOT / ".kg-cache" / "tests-quality"


@pytest.fixture(scope="module")
def quality_cache(cache_dir: Path) -> Path:
    """The persistent cache for the dev data, holding the seeds' parses too."""
    QUALITY_PARSES.mkdir(parents=True, exist_ok=True)
    for entry in SEED_PARSES.rglob("*.json.gz"):
        target = QUALITY_PARSES / entry.relative_to(SEED_PARSES)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry, target)
    return QUALITY_PARSES


def _build(*paths: Path, cache: Path) -> kg.KnowledgeGraph:
    graph, _ = kg.build(list(paths), cache_dir=cache, workers=2)
    return graph


def test_entities_and_relations_of_the_wikinews_dev_articles(quality_cache: Path) -> None:
    graph = _build(DATA / "wikinews-dev", cache=quality_cache)
    scores = evaluate(graph, load_gold(DATA / "wikinews-dev.json"))
    assert scores.core_recall >= 0.93, scores.details["core_missed"]
    assert scores.precision >= 0.92, scores.details["unmatched_nodes"]
    assert scores.duplicates == 0, scores.details["duplicates"]
    assert scores.merges == 0
    assert scores.type_accuracy >= 0.97, scores.details["type_errors"]
    assert scores.relation_recall >= 0.80, scores.details["relations_missed"]


def test_entities_and_relations_of_the_seed_dev_articles(seed_graph: kg.KnowledgeGraph) -> None:
    scores = evaluate(seed_graph, load_gold(DATA / "seed-dev.json"))
    assert scores.core_recall == 1.0, scores.details["core_missed"]
    assert scores.precision >= 0.95, scores.details["unmatched_nodes"]
    # The caption's ANA (the airline) where the article means ANN, the broadcaster: see test_eval.
    assert scores.details["duplicates"] in ([], ["ann: ANA, ANN"])
    assert scores.relation_recall >= 0.90, scores.details["relations_missed"]


def test_graded_relations_stay_precise(quality_cache: Path) -> None:
    graph = _build(CORPUS, DATA / "graded-articles.jsonl", cache=quality_cache)
    scores = evaluate_graded(graph, load_graded(DATA / "graded-relations.jsonl"))
    assert scores.found >= 150, f"only {scores.found} graded relations still produced"
    assert scores.precision >= 0.94, "\n".join(scores.wrong)
    # No planned relation shown as a fact. A quoted headline with no verb (seed 003's
    # 『…トランプ2次関税の破壊力…』) takes what the article's verbs tell of the same named event
    # (kg.triggers._told_elsewhere: 2次関税 is only threatened there); without that it gives three.
    # 米露首脳会談の再開 is planned by its prospect noun. Headlines naming seed 000's second summit
    # (第二回米露首脳会談の意義) take the planned event's modality (kg.events.planned_by_name);
    # without that they are four more.
    assert scores.shown_as_fact_but_not == 0, "\n".join(scores.wrong)


def test_graded_relations_of_the_held_out_samples_stay_precise(quality_cache: Path) -> None:
    """Four more samples, each drawn from 200 Wikinews articles apart from every earlier one.

    Each was graded on the build of its day before any rule was changed for it:
    46 of 63 right (0.73, seed 29), then 59 of 77 (0.77, seed 41), then 71 of
    80 (0.89, seed 53), then 67 of 80 (0.84, seed 67). The errors read since
    have shaped some rules, so they are no longer fully held out; the README
    gives both the first reading and today's figure (0.910 on 266 of the 300: the five
    no longer produced since 0.890 on 272 were graded wrong, ドラフト菊池雄星 member_of
    日本野球機構, コッシガ member_of 民主党 and ライス supports 北朝鮮 (テロ支援国家) among
    them, and the sixth, graded right under the fused label マーリンズ・イチロー, is now
    made under イチロー).
    """
    graph = _build(DATA / "heldout-articles.jsonl", cache=quality_cache)
    scores = evaluate_graded(graph, load_graded(DATA / "heldout-graded.jsonl"))
    assert scores.found >= 266, f"only {scores.found} graded relations still produced"
    assert scores.precision >= 0.89, "\n".join(scores.wrong)


def test_person_and_organization_mentions_on_the_ner_dev_split(quality_cache: Path) -> None:
    graph = _build(DATA / "ner-dev.jsonl", cache=quality_cache)
    scores = evaluate_ner(graph, load_ner_records(DATA / "ner-dev.jsonl")).per_type
    assert scores["Person"]["f1"] >= 0.81, scores
    assert scores["Organization"]["f1"] >= 0.70, scores
