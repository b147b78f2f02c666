"""Figures for the notebook API: what each step of a Project session costs.

    python bench/bench_project.py [CORPUS]

Prints seconds (and the BuildReport's parsed/cached counts) for: a cold build (an empty
cache in a temporary folder), a warm build (a new Project on that cache), adding one
article and rebuilding, adding a relation rule and rebuilding, adding an alias and
rebuilding, the analytics alone, and save / kg.load of graph.json.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import kg
from kg.analytics import with_analytics

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """エストニア首相がキーウ訪問、ゼレンスキー氏を称賛

エストニアのクリステン・ミハル首相は20日、ウクライナの首都キーウを訪れ、ゼレンスキー大統領と会談した。
ミハル首相は記者会見で、ゼレンスキー大統領を称賛した。
"""


def step(label: str, project: kg.Project, change=None) -> kg.KnowledgeGraph:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    if change is not None:
        change()
    graph = project.build()
    report = project.report
    assert report is not None
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in report.seconds.items())
    print(f"{label:<26} {time.perf_counter() - start:6.2f} s   parsed {report.parsed}, cached {report.cached}; "
          f"stages (s): {stages}")
    return graph


def main(args: list[str]) -> None:
    corpus = Path(args[0]) if args else ROOT / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        step("cold build (empty cache)", kg.Project(corpus, cache=cache, workers=2))
        project = kg.Project(corpus, cache=cache, workers=2)
        step("warm build (new Project)", project)
        step("add one article, rebuild", project, lambda: project.add_document("extra.txt", ARTICLE))
        step("add a rule, rebuild", project, lambda: project.add_rule(
            {"name": "praise", "predicate": "supports", "triggers": ["称賛"], "subject": ["は"], "object": ["を"]}))
        graph = step("add an alias, rebuild", project,
                     lambda: project.add_alias("ウクライナ政権", "キエフ政権", type="Organization"))
        start = time.perf_counter()
        with_analytics(graph.entities, graph.relations)
        print(f"{'analytics alone':<26} {time.perf_counter() - start:6.2f} s   "
              f"{len(graph.entities)} entities, {len(graph.relations)} relations")
        start = time.perf_counter()
        paths = project.save(Path(tmp) / "out")
        print(f"{'save (ttl, html, json)':<26} {time.perf_counter() - start:6.2f} s")
        start = time.perf_counter()
        loaded = kg.load(paths["json"])
        print(f"{'kg.load graph.json':<26} {time.perf_counter() - start:6.2f} s   {len(loaded.entities)} entities")


if __name__ == "__main__":
    main(sys.argv[1:])
