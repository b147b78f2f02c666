"""Shared fixtures: GiNZA is loaded once per test session, the seed corpus built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg.nlp import load_model

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def nlp():
    """The real ja_ginza pipeline, loaded once."""
    return load_model()


#: The seed articles' parses, kept between test sessions (gitignored; CI starts without it).
#: Only the seeds are ever parsed into it, so tests that count parses stay exact.
SEED_PARSES = ROOT / ".kg-cache" / "tests-seed"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session's parse cache, holding the seeds' parses from the start (a copy: tests write to it)."""
    from kg.corpus import load_corpus
    from kg.lexicon import load_lexicon
    from kg.mapstep import map_documents
    from kg.rules import load_rules

    map_documents(load_corpus([CORPUS]).documents, lexicon=load_lexicon(), rules=load_rules(),
                  cache_dir=SEED_PARSES, workers=2)
    copy = tmp_path_factory.mktemp("kg-cache") / "cache"
    shutil.copytree(SEED_PARSES, copy)
    return copy


@pytest.fixture(scope="session")
def seed_build(cache_dir: Path) -> tuple[kg.KnowledgeGraph, kg.BuildReport]:
    """The five seed articles, built once for the whole session (2 workers, real GiNZA)."""
    return kg.build([CORPUS], cache_dir=cache_dir, workers=2)


@pytest.fixture(scope="session")
def seed_graph(seed_build: tuple[kg.KnowledgeGraph, kg.BuildReport]) -> kg.KnowledgeGraph:
    return seed_build[0]


@pytest.fixture(scope="module")
def small_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small hand-made graph (tests/smallgraph.py) as kg's Turtle, in a folder of the module's own."""
    from kg.rdf import serialize
    from tests.smallgraph import small_graph

    path = tmp_path_factory.mktemp("small") / "graph.ttl"
    path.write_bytes(serialize(small_graph(), "ttl"))
    return path


@pytest.fixture(scope="session")
def rule_triples(nlp):  # type: ignore[no-untyped-def]
    """Text and rule names → the exact set of (subject, predicate, object, position, modality) they alone yield.

    An entity is named by the first name the text gives it, a symmetric pair
    sorted: what tests/test_rules.py and tests/test_modality.py compare.
    """
    from kg.entities import propagate, resolve, token_bounds
    from kg.lexicon import load_lexicon
    from kg.mentions import find_mentions
    from kg.nlp import parse_text
    from kg.predicates import symmetric_predicates
    from kg.relations import typed_relations
    from kg.rules import default_rules, find_candidates

    lexicon = load_lexicon()

    def run(text: str, only: list[str]) -> set[tuple[str, str, str, str, str]]:
        rules = default_rules().only(only)
        parsed = parse_text(text, doc_id="t", nlp=nlp)
        mentions = find_mentions(parsed, text, lexicon=lexicon)
        mentions = propagate(mentions, {"t": token_bounds(parsed)}, {"t": text}, lexicon=lexicon)
        _, assignment = resolve(mentions, lexicon=lexicon)
        name: dict[str, str] = {}
        for m, eid in sorted(assignment.items(), key=lambda x: x[0].start):
            name.setdefault(eid, m.text)
        found = set()
        for r in typed_relations(find_candidates(parsed, text, mentions, rules=rules), assignment, {"t": text},
                                 rules=rules):
            a, b = name[r.subject], name[r.object]
            if r.predicate in symmetric_predicates():
                a, b = sorted((a, b))
            found.add((a, r.predicate, b, r.position, r.modality))
        return found
    return run

