"""One ``kg build`` in its own process, as the CLI runs it, reporting every stage as JSON.

Run by bench/run.py (a fresh process per measurement, so a cold build pays
for its imports and model loads as a user's would). The exports are timed one
by one; ``--trace`` also records tracemalloc's peak of this process's Python
heap in each stage (slower: only for the memory figures, never for times).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import kg
from kg.export import OUTPUT_FILES, write_html, write_json, write_rdf
from kg.pipeline import Stages

WRITERS = {"ttl": write_rdf, "html": write_html, "json": write_json}


class TracedStages(Stages):
    """Stages that also keep the Python heap's peak (bytes) while each stage ran."""

    def __init__(self) -> None:
        super().__init__()
        self.peak: dict[str, int] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        tracemalloc.reset_peak()
        with super().__call__(name):
            yield
        self.peak[name] = max(self.peak.get(name, 0), tracemalloc.get_traced_memory()[1])


def run(args: argparse.Namespace) -> dict[str, object]:
    stages: Stages = TracedStages() if args.trace else Stages()
    if args.trace:
        tracemalloc.start()
    graph, report = kg.build(args.paths, cache_dir=args.cache, workers=args.workers, dask=args.dask,
                             stages=stages)
    args.out.mkdir(parents=True, exist_ok=True)
    for kind, name in OUTPUT_FILES.items():
        with stages(f"export {kind}"):
            WRITERS[kind](graph, args.out / name)
    return {
        "seconds": stages.seconds,
        "peak_bytes": getattr(stages, "peak", {}),
        "parsed": report.parsed,
        "cached": report.cached,
        "documents": report.documents,
        "chars": sum(len(d.text) for d in graph.documents),
        "entities": len(graph.entities),
        "relations": len(graph.relations),
        # ru_maxrss is in KiB on Linux; children = the largest worker process.
        "rss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rss_children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        # CPU seconds of this process and its (finished) workers: steadier than wall-clock
        # on a shared machine. Dask workers are not children of this process.
        "cpu": sum(_cpu(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
    }


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--cache", type=Path, default=None, help="parse cache folder (default: none)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--dask", default=None)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    result = run(args)
    result["inner_seconds"] = time.perf_counter() - start
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
