"""The growth curve on Japanese Wikinews, and what the full graph costs to use, from one run.

    .venv/bin/python bench/wikinews.py --cold   # every size parsed cold, in its own empty cache
    .venv/bin/python bench/wikinews.py          # parses from the cache (.kg-cache/): a fast rerun

The corpus is ``../shared/corpora/wikinews-ja/wikinews-ja.jsonl`` (3,654
articles, 3.1 million characters; ``--corpus`` for another). It is built at
1/16, 1/4 and all of it (every 16th and every 4th article: nested samples
spread over the ten years), each ``kg build --store`` in a fresh process
exactly as the command line runs it (bench/_kgrun.py), side by side:

- wall time; the map (parse and extraction in worker processes) against
  everything after it (the reduce: entities, relations, graph; the writers;
  the store's bulk load); how many documents were parsed, extracted, or taken
  from the cache, so a figure read from the cache is never taken for a parse;
- peak RSS of the main process (``RUSAGE_SELF``) and of the largest worker
  (``RUSAGE_CHILDREN``), and the size of the KnowledgeGraph the main process
  holds (a deep walk of its objects);
- entities, relations, triples.

Then, on the full corpus: adding one article (the median-length one, held out
of a warm build, its cached parse removed) with ``kg build`` and with a
``kg.Project`` (the notebook's way), against that article's own parse; the
store's load time and triple count; typical queries timed on the store,
inside one process and through ``kg query --store`` (process start-up
included); the view's page size and its time to settle in headless Chromium
(bench/view.py's measure), and whether search finds a sample of entities,
drawn and not drawn. It writes every figure to ``bench/results/`` as JSON and
prints the tables in markdown, each target marked ok or MISSED.

A cold parse of the whole corpus takes about 12 minutes on 2 quiet cores (681 s
on 2026-11-29, docs/performance.md); ``--cold``
pays it (and 5/16 more for the smaller sizes) and merges each size's parses
into ``--cache`` as soon as it is built, so the next run without ``--cold``
reads them. ``--fractions 16,4`` stops short of the whole corpus: the
full-graph figures are then those of the largest size built, and say so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = Path("..") / "shared" / "corpora" / "wikinews-ja" / "wikinews-ja.jsonl"  # from the repository root
FRACTIONS = (16, 4, 1)
RESULTS = HERE / "results"

#: Typical questions, timed on the store: every worked query of queries/, and one entity's neighbours.
QUERY_FILES = {path.stem.replace("-", " "): f"queries/{path.name}" for path in sorted((ROOT / "queries").glob("*.rq"))}
NEIGHBOURS = """SELECT ?neighbour ?predicate (SUM(?n) AS ?sentences) WHERE {{
  ?e rdfs:label "{label}"@ja .
  {{ ?st rdf:subject ?e ; rdf:object ?o }} UNION {{ ?st rdf:object ?e ; rdf:subject ?o }}
  ?st rdf:predicate ?predicate ; kg:count ?n .
  ?o rdfs:label ?neighbour .
}} GROUP BY ?neighbour ?predicate ORDER BY DESC(?sentences) ?neighbour LIMIT 50"""
#: The top share first, so the sort that breaks ties by IRI (read from disk by Oxigraph) sees a few rows, not all.
MOST_CENTRAL = """SELECT ?label WHERE {
  { SELECT ?c WHERE { ?x kg:degreeCentrality ?c } ORDER BY DESC(?c) LIMIT 1 }
  ?e kg:degreeCentrality ?c ; rdfs:label ?label .
} ORDER BY ?e LIMIT 1"""

#: Targets of issue 14.
AFTER_MAP_SHARE = 0.05
MAIN_RSS_LIMIT = 2**30
ADD_SLACK_SECONDS = 3.0
QUERY_SECONDS = 0.1
SETTLE_SECONDS = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl corpus (default: Wikinews, "
                                                                    "relative to the repository root)")
    parser.add_argument("--cache", type=Path, default=Path(".kg-cache"),
                        help="parse cache to read (and, with --cold, to fill afterwards); default: .kg-cache/")
    parser.add_argument("--cold", action="store_true",
                        help="parse every size cold in its own empty cache (the real cost of the map)")
    parser.add_argument("--fractions", default=",".join(map(str, FRACTIONS)),
                        help="sizes as 1/N of the corpus, largest N first (default: 16,4,1); without 1, the "
                             "full-graph figures (adding one, store, queries, view) are taken on the largest size")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parse workers (default: cores)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium for the view (Debian's)")
    parser.add_argument("--no-view", action="store_true", help="skip the browser measurement")
    parser.add_argument("--json", type=Path, default=None, help="result file (default: bench/results/…json)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # the corpus path and the worked queries are relative to the repository root
    fractions = [int(f) for f in args.fractions.split(",")]
    if fractions != sorted(fractions, reverse=True) or fractions[-1] < 1:
        raise SystemExit(f"--fractions {args.fractions}: give sizes as 1/N, largest N first (16,4,1)")
    started = time.strftime("%Y-%m-%d %H:%M")
    print(f"kg Wikinews benchmark, {started}, {'cold parses' if args.cold else f'parses from {args.cache}/'}")
    before = machine_load()
    print(f"before: {before}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-wikinews-") as tmp_name:
        tmp = Path(tmp_name)
        results = run_all(tmp, args, fractions)
    results.update(started=started, load_before=before, load_after=machine_load(), cold=args.cold,
                   workers=args.workers, corpus=str(args.corpus), cores=os.cpu_count())
    print(f"after:  {results['load_after']}")
    print()
    print(markdown(results))
    path = args.json or RESULTS / f"wikinews-{time.strftime('%Y%m%d-%H%M')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


# ---------------------------------------------------------------- the runs


def run_all(tmp: Path, args: argparse.Namespace, fractions: list[int]) -> dict[str, Any]:
    lines = args.corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    growth = []
    for k in fractions:
        corpus = tmp / f"wikinews-1of{k}.jsonl"
        corpus.write_text("".join(lines[::k]), encoding="utf-8")
        cache = tmp / f"cache-1of{k}" if args.cold else args.cache
        print(f"building 1/{k} ({len(lines[::k])} articles) ...", flush=True)
        run = kg_build(corpus, out=tmp / f"out-1of{k}", cache=cache, store=tmp / f"store-1of{k}",
                       workers=args.workers)
        run.update(fraction=f"1/{k}" if k > 1 else "all", articles=len(lines[::k]))
        growth.append(run)
        print("  " + growth_row(run), flush=True)
        if args.cold:  # keep the parses for the next runs, even if a later step fails
            shutil.copytree(cache, args.cache, dirs_exist_ok=True)
    k = fractions[-1]  # the largest size built: the whole corpus unless --fractions stops short of it
    full_cache = tmp / f"cache-1of{k}" if args.cold else args.cache
    out, store = tmp / f"out-1of{k}", tmp / f"store-1of{k}"
    results: dict[str, Any] = {"growth": growth, "largest": growth[-1]["fraction"]}
    print(f"adding one article to {results['largest']} ...", flush=True)
    results["add_one"] = add_one(tmp, lines[::k], cache=full_cache, workers=args.workers)
    print("queries on the store ...", flush=True)
    results["queries"] = time_queries(store)
    results["store"] = {"seconds": growth[-1]["report"]["seconds"].get("store"),
                        "triples": growth[-1]["report"]["store_triples"],
                        "mb_on_disk": folder_bytes(store) / 2**20}
    if not args.no_view:
        print("the view in Chromium ...", flush=True)
        results["view"] = measure_view(out / "graph.json", out / "graph.html", chromium=args.chromium)
    return results


def kg_build(corpus: Path, *, out: Path, cache: Path, store: Path, workers: int) -> dict[str, Any]:
    """``kg build --store`` in a fresh process (bench/_kgrun.py): its figures as a dict."""
    argv = ["build", str(corpus), "--out", str(out), "--cache", str(cache), "--store", str(store),
            "--workers", str(workers), "--force", "--quiet"]
    proc = subprocess.run([sys.executable, str(HERE / "_kgrun.py"), *argv], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        raise SystemExit(f"bench: kg build failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.splitlines()[-1])
    if result["status"] != 0:
        raise SystemExit(f"bench: kg build exited with {result['status']}:\n{proc.stderr[-3000:]}")
    return result


def after_map(run: dict[str, Any]) -> float:
    """Seconds of everything after the map: reduce, writers, store."""
    return sum(v for k, v in run["report"]["seconds"].items() if k not in ("read", "map"))


def map_kind(report: dict[str, Any]) -> str:
    """``cold`` (every document parsed now), ``cache`` (none), else ``mixed``; and whether records were made."""
    if report["parsed"] == report["documents"]:
        return "cold parse"
    if report["parsed"] == 0:
        return "records from cache" if report["extracted"] == 0 else "parses from cache, re-extracted"
    return f"mixed ({report['parsed']} parsed)"


# ---------------------------------------------------------------- adding one article


def add_one(tmp: Path, lines: list[str], *, cache: Path, workers: int) -> dict[str, Any]:
    """One article added to a built corpus: ``kg build`` and ``kg.Project``, against that article's parse.

    The article is the one of median length. A warm build of the corpus
    without it comes first; then its cached parse and record are removed, so
    both ways of adding it parse it for real.
    """
    order = sorted(range(len(lines)), key=lambda i: (len(lines[i]), i))
    held = order[len(order) // 2]
    article = json.loads(lines[held])
    rest = tmp / "without-one.jsonl"
    rest.write_text("".join(line for i, line in enumerate(lines) if i != held), encoding="utf-8")
    full = tmp / "with-one.jsonl"
    full.write_text("".join(lines), encoding="utf-8")
    out, store = tmp / "out-add", tmp / "store-add"
    warm = kg_build(rest, out=out, cache=cache, store=store, workers=workers)
    parse = own_parse(article["text"])
    forget(article["text"], cache)
    added = kg_build(full, out=out, cache=cache, store=store, workers=workers)
    forget(article["text"], cache)
    project = project_add(rest, article, cache=cache)
    return {"article": article["id"], "chars": len(article["text"]), "parse": parse["parse"],
            "model_load": parse["load"], "warm_build": warm["wall"], "cli": added,
            "cli_parsed": added["report"]["parsed"], "project": project}


def own_parse(text: str) -> dict[str, float]:
    """The article's parse alone, in a fresh process: model load, then GiNZA on its text (best of 3)."""
    script = (
        "import json, sys, time\n"
        "t = time.perf_counter()\n"
        "from kg.nlp import load_model, parse_text\n"
        "nlp = load_model()\n"
        "load = time.perf_counter() - t\n"
        "text = sys.stdin.read()\n"
        "times = []\n"
        "for _ in range(3):\n"
        "    t = time.perf_counter(); parse_text(text, doc_id='a', nlp=nlp); times.append(time.perf_counter() - t)\n"
        "print(json.dumps({'load': load, 'parse': min(times)}))\n")
    proc = subprocess.run([sys.executable, "-c", script], input=text, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def forget(text: str, cache: Path) -> None:
    """Remove one text's cached parse and records, so the next build parses it again."""
    from kg.cache import cache_key
    from kg.nlp import model_id

    key = cache_key(text, model=model_id())
    (cache / key[:2] / f"{key}.json.gz").unlink(missing_ok=True)
    from kg.lexicon import load_lexicon
    from kg.records import extraction_key, record_key
    from kg.rules import load_rules

    rkey = record_key(key, extraction_key(load_lexicon(), load_rules()))
    (cache / "records" / rkey[:2] / f"{rkey}.json.gz").unlink(missing_ok=True)


def project_add(corpus: Path, article: dict[str, str], *, cache: Path) -> dict[str, float]:
    """The notebook's way: a built ``kg.Project``, then ``add_document`` + ``build()`` (model loaded or not)."""
    script = (
        "import json, sys, time\n"
        "import kg\n"
        "from kg.nlp import load_model\n"
        "article = json.loads(sys.stdin.read())\n"
        f"project = kg.Project({str(corpus)!r}, cache={str(cache)!r})\n"
        "t = time.perf_counter(); project.build(); warm = time.perf_counter() - t\n"
        "t = time.perf_counter(); load_model(); load = time.perf_counter() - t\n"
        "t = time.perf_counter()\n"
        "project.add_document(article['id'] + '-added', article['text'])\n"
        "graph = project.build()\n"
        "add = time.perf_counter() - t\n"
        "print(json.dumps({'warm_build': warm, 'model_load': load, 'add_and_build': add,\n"
        "                  'parsed': project.report.parsed, 'seconds': project.report.seconds,\n"
        "                  'entities': len(graph.entities)}))\n")
    proc = subprocess.run([sys.executable, "-c", script], input=json.dumps(article), capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        raise SystemExit(f"bench: the Project run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]


# ---------------------------------------------------------------- queries on the store


def time_queries(store: Path, *, repeats: int = 5) -> dict[str, dict[str, Any]]:
    """Each query: rows, its time inside one process on the opened store (median), and ``kg query --store`` wall."""
    from kg.sparql import Rows, read_query, run
    from kg.store import open_store, query_store

    source = open_store(store)
    central = query_store(store, MOST_CENTRAL)
    label = central[0]["label"] if isinstance(central, Rows) and central else "日本"
    queries = {name: read_query(path) for name, path in QUERY_FILES.items()}
    queries = {"who met whom": queries.pop("who met whom"),
               f"neighbours of {label} (most central)": NEIGHBOURS.format(label=label), **queries}
    timed = {}
    for name, text in queries.items():
        seconds = []
        for _ in range(repeats):
            start = time.perf_counter()
            answer = run(source, text)
            seconds.append(time.perf_counter() - start)
        cli = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "kg", "query", "--store", str(store), text, "--format", "csv"],
                           check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            cli.append(time.perf_counter() - start)
        timed[name] = {"rows": len(answer) if isinstance(answer, Rows) else None,
                       "seconds": statistics.median(seconds), "cli_seconds": statistics.median(cli),
                       "file": QUERY_FILES.get(name, "inline")}
    return timed


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- the view


def measure_view(graph_json: Path, page: Path, *, chromium: str, sample: int = 300) -> dict[str, Any]:
    """bench/view.py's measure on the build's own page, and search over a sample of entities."""
    import random
    from collections import Counter

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE))
    from view import ARGS, measure_page

    from kg.export.html import initial_entities
    from kg.project import load

    graph = load(graph_json)
    drawn = initial_entities(graph)
    first = max(graph.entities, key=lambda e: (e.centrality, e.mentions, e.id))
    links = Counter(end for r in graph.relations for end in (r.subject, r.object))
    hidden = max((e for e in graph.entities if e.id not in drawn), key=lambda e: (links[e.id], e.id), default=None)
    rng = random.Random(14)
    picks = rng.sample(list(graph.entities), min(sample, len(graph.entities)))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        figures = measure_page(page, browser, search=first.label, hidden=hidden.label if hidden else None)
        context = browser.new_context(offline=True, bypass_csp=True)
        tab = context.new_page()
        tab.goto(page.as_uri(), wait_until="domcontentloaded")
        tab.wait_for_function("() => window.kgView && window.kgView.settled", timeout=600_000, polling=50)
        found = tab.evaluate("""(picks) => picks.filter(p => window.kgView.find(p[1]).includes(p[0])).length""",
                             [[e.id, e.label] for e in picks])
        context.close()
        browser.close()
    return {"page_mb": page.stat().st_size / 1e6, "entities": len(graph.entities), "drawn": len(drawn),
            "settle": figures["settle"] / 1000, "wall": figures["wall"], "search_ms": figures["searchMs"],
            "reveal_ms": figures["revealMs"], "search_sample": len(picks),
            "search_sample_not_drawn": sum(e.id not in drawn for e in picks), "search_found": found}


# ---------------------------------------------------------------- the report


def machine_load() -> str:
    """Load average and the busiest processes that are not this benchmark's."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    ps = subprocess.run(["ps", "-eo", "pid,ppid,pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True)
    busy = [f"{comm} {cpu}%" for pid, ppid, cpu, comm in (line.split(None, 3) for line in ps.stdout.splitlines()[1:])
            if int(pid) != os.getpid() and int(ppid) != os.getpid() and float(cpu) >= 5]
    return f"load average {load} ({os.cpu_count()} cores); busy: {', '.join(busy[:6]) or 'none'}"


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def growth_row(run: dict[str, Any]) -> str:
    r, secs = run["report"], run["report"]["seconds"]
    reduce = sum(secs.get(k, 0) for k in ("entities", "relations", "graph"))
    return (f"| {run['fraction']} | {run['articles']:,} | {run['documents_chars']:,} | {run['wall']:.1f} s | "
            f"{secs['map']:.1f} s ({map_kind(r)}) | {after_map(run):.1f} s = {reduce:.1f} + {secs.get('write', 0):.1f}"
            f" + {secs.get('store', 0):.1f} | {100 * after_map(run) / secs['map']:.1f}% | {mb(run['rss_main'])} | "
            f"{mb(run['rss_worker'])} | {mb(run['graph_bytes'])} | {run['entities']:,} | {run['relations']:,} | "
            f"{r['store_triples']:,} |")


def markdown(results: dict[str, Any]) -> str:
    growth = results["growth"]
    lines = [f"Growth curve ({results['workers']} workers; after the map = reduce + writers + store):", "",
             "| size | articles | chars | wall | map | after the map | after/map | main RSS | worker RSS "
             "| graph held | entities | relations | triples |",
             "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [growth_row(run) for run in growth]
    add = results["add_one"]
    cli, project = add["cli"], add["project"]
    largest = results.get("largest", "all")
    lines += ["", f"On the {'full graph' if largest == 'all' else f'graph of {largest} of the corpus'} "
                  f"(adding {add['article']}, {add['chars']:,} chars, the median article):", "",
              "| measure | figure |", "| --- | --- |",
              f"| its own parse (GiNZA, model loaded) / model load | {add['parse']:.2f} s / {add['model_load']:.2f} s |",
              f"| `kg build --store` adding it (parsed {add['cli_parsed']}; reduce, every file, store) | "
              f"{cli['wall']:.1f} s (map {cli['report']['seconds']['map']:.1f} s, after {after_map(cli):.1f} s) |",
              f"| `kg.Project`: add_document + build(), model loaded (parsed {project['parsed']}) | "
              f"{project['add_and_build']:.2f} s |",
              f"| `--store` bulk load | {results['store']['seconds']:.1f} s, {results['store']['triples']:,} triples, "
              f"{results['store']['mb_on_disk']:.0f} MB on disk |"]
    for name, q in results["queries"].items():
        lines.append(f"| query: {name} ({q['rows']} rows) | {1000 * q['seconds']:.1f} ms on the store; "
                     f"`kg query --store` {q['cli_seconds']:.2f} s with start-up |")
    view = results.get("view")
    if view:
        lines.append(f"| view: page, entities drawn first / all | {view['page_mb']:.2f} MB, {view['drawn']:,} / "
                     f"{view['entities']:,} |")
        lines.append(f"| view: settle in headless Chromium; search | {view['settle']:.2f} s (page opened to settled "
                     f"{view['wall']:.2f} s); found {view['search_found']}/{view['search_sample']} sampled entities "
                     f"({view['search_sample_not_drawn']} not drawn) |")
    lines += ["", "Targets:", ""] + [f"- {'ok' if ok else 'MISSED'}: {text}" for ok, text in targets(results)]
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> list[tuple[bool, str]]:
    growth = results["growth"]
    small, full = growth[0], growth[-1]
    cold = [g for g in growth if g["report"]["parsed"] == g["report"]["documents"]]
    largest = results.get("largest", "all")
    whole = "the full corpus" if largest == "all" else f"{largest} of the corpus (the full run is pending)"
    checks = [(bool(full["status"] == 0), f"{whole} builds on {results['cores']} cores "
                                           f"({full['wall'] / 60:.1f} min, {map_kind(full['report'])})")]
    for run in cold or [full]:
        share = after_map(run) / run["report"]["seconds"]["map"]
        note = "" if cold else " (map NOT a cold parse: run with --cold)"
        checks.append((share <= AFTER_MAP_SHARE and bool(cold),
                       f"{run['fraction']}: after the map {after_map(run):.1f} s = {100 * share:.1f}% of the map "
                       f"{run['report']['seconds']['map']:.1f} s (target ≤ {100 * AFTER_MAP_SHARE:.0f}%){note}"))
    grew = full["rss_main"] - small["rss_main"]
    checks.append((grew <= full["graph_bytes"], f"main RSS grew {mb(grew)} from {small['fraction']} to {largest}; the graph "
                                                f"it holds is {mb(full['graph_bytes'])} (target: growth ≤ graph)"))
    checks.append((full["rss_main"] < MAIN_RSS_LIMIT, f"main RSS on {whole} {mb(full['rss_main'])} "
                                                      f"(target < 1 GB)"))
    add = results["add_one"]
    limit = add["parse"] + ADD_SLACK_SECONDS
    checks.append((add["project"]["add_and_build"] <= limit,
                   f"adding one article with kg.Project {add['project']['add_and_build']:.2f} s (target ≤ its parse "
                   f"{add['parse']:.2f} s + {ADD_SLACK_SECONDS:.0f} s = {limit:.2f} s)"))
    checks.append((add["cli"]["wall"] <= limit,
                   f"adding one article with kg build --store {add['cli']['wall']:.1f} s (same target {limit:.2f} s)"))
    slowest = max(results["queries"].items(), key=lambda kv: kv[1]["seconds"])
    checks.append((slowest[1]["seconds"] < QUERY_SECONDS,
                   f"queries on the store: slowest {slowest[0]} {1000 * slowest[1]['seconds']:.1f} ms "
                   f"(target < {1000 * QUERY_SECONDS:.0f} ms each)"))
    view = results.get("view")
    if view:
        checks.append((view["settle"] < SETTLE_SECONDS, f"the view settles in {view['settle']:.2f} s "
                                                         f"(target < {SETTLE_SECONDS:.0f} s)"))
        checks.append((view["search_found"] == view["search_sample"],
                       f"search found {view['search_found']} of {view['search_sample']} sampled entities"))
    return checks


if __name__ == "__main__":
    sys.exit(main())
