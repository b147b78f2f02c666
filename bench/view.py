"""How fast the interactive view is at scale: write the page, then lay it out in headless Chromium.

Takes a real build (``--graph output/graph.json``) or generates synthetic
KnowledgeGraphs (kg.model dataclasses: hub-heavy degrees, Japanese labels,
several predicates, evidence sentences), writes graph.html, opens it from
file:// in Debian's chromium with the network cut, and prints:

- Python: time to render the page, its size, and how many entities it draws at first;
- browser: time to the first script, time to a settled layout (stabilisation done,
  physics off) and its iterations, and the time one filter (untick a type), one
  search of a drawn entity (find, select, highlight) and one search of an entity
  not drawn (the most linked one: find, draw it with its neighbours, select) take,
  and how many nodes that drew.

    .venv/bin/python bench/view.py                     # 2,000 nodes, 10,000 edges
    .venv/bin/python bench/view.py --sizes 300x800 2000x10000 --runs 3
    .venv/bin/python bench/view.py --graph output/graph.json

Figures, not assertions: the test suite checks behaviour, this checks speed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections import Counter
import tempfile
import time
from pathlib import Path

from kg.export.html import initial_entities, render_html
from kg.graph import KnowledgeGraph
from kg.model import Document, Entity, Evidence, Relation

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
PREDICATES = ["met_with", "holds_position_in", "member_of", "supports", "criticizes", "negotiates_with"]
TYPES = ["Person", "State", "Organization"]


def synthetic_graph(n_nodes: int, n_edges: int, *, seed: int = 1) -> KnowledgeGraph:
    """A graph shaped like a news corpus: a few hubs, a long tail, mostly co-occurrence edges."""
    rng = random.Random(seed)
    docs = [Document(id=f"doc{i:04d}.txt", text="", title=f"記事 {i}") for i in range(max(1, n_nodes // 10))]
    entities = []
    for i in range(n_nodes):
        label = "".join(rng.choice(KATAKANA) for _ in range(rng.randint(3, 7)))
        kind = TYPES[i % 3]
        if kind == "Organization":
            label += rng.choice(["党", "省", "軍", "銀行", "機構"])
        mentions = max(1, int(200 / (i + 1) ** 0.8))
        entities.append(Entity(id=f"n{i}", label=label, type=kind, aliases=(label + "氏",) if kind == "Person" else (),
                               mentions=mentions, docs=tuple(rng.sample([d.id for d in docs], min(3, len(docs))))))
    weights = [e.mentions for e in entities]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_edges:
        a, b = rng.choices(range(n_nodes), weights=weights, k=1)[0], rng.randrange(n_nodes)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    relations = []
    for a, b in sorted(pairs):
        count = min(12, int(rng.expovariate(0.7)) + 1)
        sentence = f"{entities[a].label}は{entities[b].label}と会談し、協力について話し合った。"
        ev = tuple(Evidence(doc=rng.choice(docs).id, start=0, end=len(sentence), sentence=sentence)
                   for _ in range(count))
        typed = rng.random() < 0.3
        relations.append(Relation(subject=f"n{a}", predicate=rng.choice(PREDICATES) if typed else "cooccurs_with",
                                  object=f"n{b}", evidence=ev, rule="synthetic", score=round(rng.random() * 3, 3),
                                  symmetric=not typed))
    return KnowledgeGraph(documents=docs, entities=entities, relations=relations)


def measure_page(path: Path, browser: object, *, search: str, hidden: str | None) -> dict[str, float]:
    """Open the page offline and time it; fails if the page makes any request but itself."""
    context = browser.new_context(offline=True, bypass_csp=True, viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="domcontentloaded")
    loaded = time.perf_counter() - start
    page.wait_for_function("() => window.kgView && window.kgView.settled", timeout=600_000, polling=50)
    wall = time.perf_counter() - start
    figures = page.evaluate("""(q) => {
        const v = window.kgView;
        let t = performance.now();
        const box = document.querySelector('input[data-type="Organization"]');
        box.click();
        const filterMs = performance.now() - t;
        box.click();
        t = performance.now();
        const hits = v.find(q[0]);
        v.select(hits[0]);  // select, highlight the neighbourhood, fill the details, start the zoom
        const searchMs = performance.now() - t;
        let revealMs = NaN;
        const drawnBefore = v.nodes.length;
        if (q[1] !== null) {
            t = performance.now();
            v.select(v.find(q[1])[0]);  // not drawn: draw it and its neighbours, then select it
            revealMs = performance.now() - t;
        }
        return {settle: v.settleMs, iterations: v.iterations, filterMs, searchMs, revealMs,
                drawn: drawnBefore, added: v.nodes.length};
    }""", [search, hidden])
    context.close()
    if requests != [path.as_uri()]:
        raise SystemExit(f"the page made requests: {requests[1:]}")
    return {"load": loaded, "wall": wall, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["2000x10000"], help="NODESxEDGES, e.g. 2000x10000")
    parser.add_argument("--graph", type=Path, help="a build's graph.json (or its folder) instead of synthetic graphs")
    parser.add_argument("--runs", type=int, default=1, help="browser runs per size (median reported)")
    parser.add_argument("--chromium", default=CHROMIUM, help="the Chromium binary (Debian: /usr/bin/chromium)")
    parser.add_argument("--keep", type=Path, help="also write the page of the last size here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if args.graph:
        from kg.project import load

        graphs = [(str(args.graph), load(args.graph))]
    else:
        graphs = [(size, synthetic_graph(*(int(x) for x in size.lower().split("x")))) for size in args.sizes]
    print(f"{'nodes':>6} {'edges':>6} {'drawn':>5} {'render s':>8} {'page MB':>8} {'load s':>7} {'settle s':>8} "
          f"{'iters':>6} {'wall s':>7} {'filter ms':>9} {'search ms':>9} {'reveal ms':>9} {'+drawn':>6}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        for name, graph in graphs:
            t = time.perf_counter()
            page = render_html(graph)
            t_render = time.perf_counter() - t
            drawn = initial_entities(graph)
            path = Path(tmp) / "view.html"
            path.write_text(page, encoding="utf-8")
            if args.keep:
                args.keep.write_text(page, encoding="utf-8")
            # search: the most central entity (drawn); reveal: the most linked one not drawn
            first = max(graph.entities, key=lambda e: (e.centrality, e.mentions, e.id))
            links = Counter(end for r in graph.relations for end in (r.subject, r.object))
            hidden = max((e for e in graph.entities if e.id not in drawn), key=lambda e: (links[e.id], e.id),
                         default=None)
            runs = [measure_page(path, browser, search=first.label, hidden=hidden.label if hidden else None)
                    for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{len(graph.entities):>6} {len(graph.relations):>6} {len(drawn):>5} {t_render:>8.2f} "
                  f"{len(page.encode()) / 1e6:>8.2f} {med['load']:>7.2f} {med['settle'] / 1000:>8.2f} "
                  f"{med['iterations']:>6.0f} {med['wall']:>7.2f} {med['filterMs']:>9.0f} {med['searchMs']:>9.1f} "
                  + (f"{med['revealMs']:>9.1f} {med['added'] - med['drawn']:>6.0f}" if hidden else f"{'-':>9} {'-':>6}"),
                  flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
