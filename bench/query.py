"""SPARQL at scale: load time and typical queries on a synthetic graph, pyoxigraph against rdflib.

The graph uses the project's vocabulary and IRI scheme (kg.vocab, the IRI
helpers of kg.rdf): articles, typed entities with labels and aliases,
direct ``kg:cooccursWith`` triples and ``kg:Statement`` nodes with evidence,
in the proportions a news corpus gives. It is written as N-Triples once, then
each engine loads it in its own process, so the peak memory of each is its own.

    python bench/query.py --triples 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rdflib import PROV, RDF, RDFS, SKOS
from rdflib.namespace import SDO, XSD

from kg.rdf import article_iri, entity_iri
from kg.ontology import TYPE_CLASSES
from kg.vocab import ID, KG

PREFIXES = f"""PREFIX kg: <{KG._NS}>
PREFIX schema: <{SDO}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX rdf: <{RDF}>
PREFIX prov: <{PROV}>
"""

# Typical questions a user asks the graph (the entity names are filled in).
QUERIES = {
    "label lookup": "SELECT ?e WHERE { ?e rdfs:label \"{label}\"@ja }",
    "neighbours": "SELECT DISTINCT ?o WHERE { <{entity}> kg:cooccursWith|^kg:cooccursWith ?o }",
    "evidence of an edge": """SELECT ?sentence ?article WHERE {
        ?st rdf:subject <{entity}> ; rdf:object ?o ; kg:evidence ?ev .
        ?ev kg:sentence ?sentence ; prov:wasDerivedFrom ?article } LIMIT 50""",
    "count by type": "SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type",
    "top 10 by degree": """SELECT ?e (COUNT(?o) AS ?degree) WHERE { ?e kg:cooccursWith ?o }
        GROUP BY ?e ORDER BY DESC(?degree) LIMIT 10""",
    "people near a state, 2 hops": """SELECT DISTINCT ?p WHERE {
        ?p a schema:Person ; kg:cooccursWith ?org . ?org a schema:Organization ;
        kg:cooccursWith <{entity}> }""",
}


def _nt(term: object) -> str:
    return f"<{term}>"


def _lit(value: object, *, lang: str | None = None, datatype: str | None = None) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{text}"@{lang}'
    return f'"{text}"^^<{datatype}>' if datatype else f'"{text}"'


def synthetic_triples(n_triples: int, *, seed: int = 8) -> tuple[list[str], dict[str, str]]:
    """N-Triples lines (about ``n_triples``) and the names the queries use."""
    rng = random.Random(seed)
    # Per 1,000 triples: ~12 entities, ~5 articles, ~55 relations with ~1.3 evidence each.
    n_entities = max(50, n_triples // 80)
    n_articles = max(10, n_triples // 200)
    lines: list[str] = []
    types = list(TYPE_CLASSES)
    kinds = [rng.choices(types, weights=(5, 2, 3))[0] for _ in range(n_entities)]
    for i in range(n_articles):
        art = _nt(article_iri(f"article_{i:07d}.txt"))
        lines.append(f"{art} {_nt(RDF.type)} {_nt(SDO.NewsArticle)} .")
        lines.append(f"{art} {_nt(SDO.headline)} {_lit(f'記事 {i} の見出し', lang='ja')} .")
    for i, kind in enumerate(kinds):
        ent = _nt(entity_iri(f"e{i:07d}"))
        lines.append(f"{ent} {_nt(RDF.type)} {_nt(TYPE_CLASSES[kind])} .")
        lines.append(f"{ent} {_nt(RDFS.label)} {_lit(f'名前{i}', lang='ja')} .")
        lines.append(f"{ent} {_nt(SKOS.altLabel)} {_lit(f'別名{i}', lang='ja')} .")
        lines.append(f"{ent} {_nt(KG.mentionCount)} {_lit(rng.randint(1, 50), datatype=XSD.integer)} .")
        for _ in range(2):
            art = _nt(article_iri(f"article_{rng.randrange(n_articles):07d}.txt"))
            lines.append(f"{art} {_nt(SDO.mentions)} {ent} .")
    n_relation = 0
    while len(lines) < n_triples:
        # Preferential attachment: a few entities (heads of state) have most edges.
        a = int(n_entities * rng.random() ** 3)
        b = rng.randrange(n_entities)
        if a == b:
            continue
        subj, obj = _nt(entity_iri(f"e{a:07d}")), _nt(entity_iri(f"e{b:07d}"))
        st = _nt(ID[f"statement/r{n_relation:08d}"])
        n_relation += 1
        lines.append(f"{subj} {_nt(KG.cooccursWith)} {obj} .")
        lines.append(f"{st} {_nt(RDF.type)} {_nt(KG.Statement)} .")
        lines.append(f"{st} {_nt(RDF.subject)} {subj} .")
        lines.append(f"{st} {_nt(RDF.predicate)} {_nt(KG.cooccursWith)} .")
        lines.append(f"{st} {_nt(RDF.object)} {obj} .")
        lines.append(f"{st} {_nt(KG.rule)} {_lit('cooccurrence')} .")
        lines.append(f"{st} {_nt(KG.score)} {_lit(round(rng.random() * 5, 4), datatype=XSD.double)} .")
        for k in range(1 + (rng.random() < 0.3)):
            ev = _nt(f"{st[1:-1]}/evidence/{k}")
            art = _nt(article_iri(f"article_{rng.randrange(n_articles):07d}.txt"))
            lines.append(f"{st} {_nt(KG.evidence)} {ev} .")
            lines.append(f"{ev} {_nt(RDF.type)} {_nt(KG.Evidence)} .")
            lines.append(f"{ev} {_nt(PROV.wasDerivedFrom)} {art} .")
            lines.append(f"{ev} {_nt(KG.sentence)} {_lit(f'名前{a}と名前{b}が会談した。', lang='ja')} .")
    names = {"label": "名前1", "entity": str(entity_iri("e0000000"))}
    return lines, names


def run_engine(engine: str, path: Path, names: dict[str, str]) -> dict[str, object]:
    """Load ``path`` into ``engine`` and run every query once; times in seconds."""
    result: dict[str, object] = {}
    start = time.perf_counter()
    if engine == "pyoxigraph":
        import pyoxigraph

        store = pyoxigraph.Store()
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        result["triples"] = len(store)

        def ask(q: str) -> int:
            return sum(1 for _ in store.query(q))
    else:
        from rdflib import Graph

        graph = Graph()
        graph.parse(str(path), format="nt")
        result["triples"] = len(graph)

        def ask(q: str) -> int:
            return sum(1 for _ in graph.query(q))
    result["load"] = time.perf_counter() - start
    result["queries"] = {}
    for name, template in QUERIES.items():
        query = PREFIXES + template.replace("{label}", names["label"]).replace("{entity}", names["entity"])
        start = time.perf_counter()
        rows = ask(query)
        result["queries"][name] = {"seconds": time.perf_counter() - start, "rows": rows}  # type: ignore[index]
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result


def compare(n_triples: int) -> dict[str, object]:
    """Write the synthetic graph, then load and query it with each engine in its own process."""
    with tempfile.TemporaryDirectory(prefix="kg-query-bench-") as tmp:
        path = Path(tmp) / "graph.nt"
        lines, names = synthetic_triples(n_triples)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out: dict[str, object] = {"triples": len(lines)}
        for engine in ("pyoxigraph", "rdflib"):
            proc = subprocess.run(
                [sys.executable, __file__, "--engine", engine, "--path", str(path),
                 "--names", json.dumps(names)],
                capture_output=True, text=True, check=True)
            out[engine] = json.loads(proc.stdout)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=("pyoxigraph", "rdflib"), help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--names", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        json.dump(run_engine(args.engine, args.path, json.loads(args.names)), sys.stdout)
        return
    print(format_table(compare(args.triples)))


def format_table(result: dict[str, object]) -> str:
    """The comparison as a small text table."""
    ox, rl = result["pyoxigraph"], result["rdflib"]
    lines = [f"SPARQL on {result['triples']:,} synthetic triples (kg vocabulary)",
             f"  {'':32} {'pyoxigraph':>12} {'rdflib':>12} {'ratio':>8}",
             f"  {'load (N-Triples, in memory)':32} {ox['load']:>11.2f}s {rl['load']:>11.2f}s "  # type: ignore[index]
             f"{rl['load'] / ox['load']:>7.0f}×",  # type: ignore[index]
             f"  {'peak RSS':32} {ox['rss'] / 2**20:>10.0f}MB {rl['rss'] / 2**20:>10.0f}MB"]  # type: ignore[index]
    for name in QUERIES:
        a, b = ox["queries"][name], rl["queries"][name]  # type: ignore[index]
        ratio = b["seconds"] / max(a["seconds"], 1e-6)
        lines.append(f"  {name + ' (' + str(a['rows']) + ' rows)':32} {a['seconds'] * 1e3:>10.1f}ms "
                     f"{b['seconds'] * 1e3:>10.1f}ms {ratio:>7.0f}×")
        if a["rows"] != b["rows"]:
            lines.append(f"  !! {name}: pyoxigraph {a['rows']} rows, rdflib {b['rows']} rows")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
