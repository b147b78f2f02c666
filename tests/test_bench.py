"""The benchmarks run (on a small size): their code follows the project's vocabulary and API.

No timing is asserted here; figures come from `bench/run.py`.
"""

from __future__ import annotations

import importlib
import sys

import pytest

from .conftest import ROOT


#: The benchmarks run, small.
pytestmark = [pytest.mark.slow]


def _bench(module: str):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.pop(0)


def test_sparql_benchmark_queries_agree_between_engines_on_a_small_graph() -> None:
    result = _bench("query").compare(3000)
    oxi, rdf = result["pyoxigraph"], result["rdflib"]
    assert oxi["triples"] == rdf["triples"] > 2500  # distinct triples; the generator repeats a few lines
    for name, answer in oxi["queries"].items():
        assert answer["rows"] == rdf["queries"][name]["rows"], name
    assert oxi["queries"]["evidence of an edge"]["rows"] > 0
    assert oxi["queries"]["label lookup"]["rows"] == 1


def test_the_benchmark_driver_imports() -> None:
    run = _bench("run")
    assert callable(run.main) and callable(run.warm_cli)


def test_the_run_on_benchmark_compares_the_same_text_with_and_without_sentence_ends() -> None:
    run_on, in_sentences = _bench("runon").texts(3000)
    assert len(run_on) == len(in_sentences) >= 3000
    assert "。" not in run_on and run_on == in_sentences.replace("。", "、")
    assert "\n" not in run_on
