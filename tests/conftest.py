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
