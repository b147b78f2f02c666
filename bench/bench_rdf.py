"""Figures for the RDF export, SPARQL and SHACL on a corpus (default: corpus/).

    python bench/bench_rdf.py [PATH…]

Prints seconds for: building the rdflib graph, each serialization (with its size),
loading graph.ttl into pyoxigraph, each worked query in queries/, SHACL validation,
and `kg serve` start-up. The parse comes from the cache (.kg-cache/), so the build
itself is not what is measured here.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import kg
from kg.rdf import RDF_FORMATS, serialize, to_rdf
from kg.server import start_server
from kg.sparql import load_file, run
from kg.validate import validate

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<38} {time.perf_counter() - start:8.3f} s")
    return result


def main(paths: list[str]) -> None:
    graph, _ = kg.build(paths or [str(ROOT / "corpus")], workers=2)
    print(f"graph: {len(graph.documents)} articles, {len(graph.entities)} entities, "
          f"{len(graph.relations)} relations")
    triples = timed("to_rdf (rdflib graph)", to_rdf, graph)
    print(f"triples: {len(triples)}")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, (_, name) in RDF_FORMATS.items():
            data = timed(f"serialize {fmt}", serialize, graph, fmt)
            (Path(tmp) / name).write_bytes(data)
            print(f"  {name}: {len(data) / 1e6:.2f} MB")
        ttl = Path(tmp) / "graph.ttl"
        source = timed("pyoxigraph load graph.ttl", load_file, ttl)
        for query in sorted((ROOT / "queries").glob("*.rq")):
            rows = timed(f"query {query.stem}", run, source, query.read_text(encoding="utf-8"))
            print(f"  rows: {len(rows)}")  # type: ignore[arg-type]
        result = timed("SHACL validation (pySHACL)", validate, triples)
        print(f"  conforms: {result.conforms}")
        server = timed("kg serve start-up (load + ready)", start_server, ttl, port=0)
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
