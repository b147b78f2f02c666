"""Shared fixtures: GiNZA is loaded once per test session, the seed corpus built once."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kg-cache")


@pytest.fixture(scope="session")
def seed_build(cache_dir: Path) -> tuple[kg.KnowledgeGraph, kg.BuildReport]:
    """The five seed articles, built once for the whole session (2 workers, real GiNZA)."""
    return kg.build([CORPUS], cache_dir=cache_dir, workers=2)


@pytest.fixture(scope="session")
def seed_graph(seed_build: tuple[kg.KnowledgeGraph, kg.BuildReport]) -> kg.KnowledgeGraph:
    return seed_build[0]
