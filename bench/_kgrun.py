"""One ``kg build`` exactly as the command line runs it, in this fresh process, reporting its cost as JSON.

Run by bench/wikinews.py. It calls ``kg.cli.main`` with the arguments given
(so the figures are those of ``kg build``: its reduce, its writers, its
store), and prints one JSON line: wall time, the peak RSS of this process
(``RUSAGE_SELF``: the main process, which does the reduce) and of the largest
worker process (``RUSAGE_CHILDREN``: the parse workers, waited for when the
pool shuts down), the stage times and counts the build kept in its manifest,
and the size of the KnowledgeGraph the main process held (a deep walk of its
objects, measured after the peak RSS was read, on the same graph built again
from the cache the run just filled: kg build lets go of its graph before
loading the store, and keeping it alive for the walk would inflate that peak).

    python bench/_kgrun.py build PATH --out OUT --cache CACHE --store DB --force --quiet
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kg.cli as cli


def deep_size(root: object) -> int:
    """Bytes held by ``root`` and everything it reaches (each object once): dataclasses, tuples, dicts, strings."""
    seen: set[int] = set()
    total = 0
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or obj is None or isinstance(obj, (bool, type)):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(_children(obj))
    return total


def _children(obj: object) -> Iterator[object]:
    if isinstance(obj, (str, bytes, int, float)):
        return
    if isinstance(obj, dict):
        yield from obj.keys()
        yield from obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        yield from obj
    elif hasattr(obj, "__dataclass_fields__"):
        for name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
            yield getattr(obj, name, None)
        yield from getattr(obj, "__dict__", {}).values()  # cached properties (by_id)
    elif hasattr(obj, "tobytes"):  # array.array: its size is in getsizeof already
        return


def main(argv: list[str]) -> dict[str, Any]:
    held: dict[str, Any] = {}
    build = cli._build

    def keep(*args: Any, **kwargs: Any) -> Any:
        held["call"] = args, kwargs  # not the graph: that would keep it alive through the store load
        return build(*args, **kwargs)

    cli._build = keep  # type: ignore[assignment]
    start = time.perf_counter()
    status = cli.main(argv)
    wall = time.perf_counter() - start
    rss_main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    rss_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    out = Path(argv[argv.index("--out") + 1])
    manifest = json.loads((out / ".kg-build.json").read_text(encoding="utf-8")) if status == 0 else {}
    graph = build(*held["call"][0], **held["call"][1])[0] if "call" in held and status == 0 else None
    return {"status": status, "wall": wall, "rss_main": rss_main, "rss_worker": rss_worker,
            "report": manifest.get("report", {}),
            "entities": len(graph.entities) if graph is not None else None,
            "relations": len(graph.relations) if graph is not None else None,
            "documents_chars": sum(len(d.text) for d in graph.documents) if graph is not None else None,
            "graph_bytes": deep_size(graph) if graph is not None else None}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
