"""Every performance figure of kg from one run, side by side.

    .venv/bin/python bench/run.py            # full: seed corpus, growth 1×/4×/16×, 1M triples
    .venv/bin/python bench/run.py --quick    # small: a minute or two

Each measurement runs in a fresh process (bench/_build.py, bench/_baseline.py),
as ``kg build`` would, so cold builds pay for imports and model loads.
Figures (see docs/performance.md):

- the baseline: raw ``nlp.pipe`` over the same chunks in one process, and
  what each pipe of ja_ginza costs;
- ``kg build`` cold with 1 and N workers (and on a Dask LocalCluster), warm
  (nothing changed), and after adding one article to a built corpus, with
  the time of each stage (read, parse, entities, relations, graph, each export);
- the Python heap's peak in each stage (tracemalloc), worker RSS (getrusage);
- the growth curve on a scaled corpus (bench/scaled.py), 1×, 4×, 16×;
- SPARQL load and queries on a synthetic graph (bench/query.py);
- the target ratios, each marked ok or MISSED.

Timings are wall-clock on a shared machine: the load average and the busiest
other processes are printed before and after, so noisy figures can be told.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import query
from runon import format_table as format_runon
from scaled import SEEDS, UNIT_CHARS, scaled_documents, write_scaled_corpus

HERE = Path(__file__).resolve().parent
# "map" is the parse and the per-document extraction (the workers' share); the rest runs after it.
POST_PARSE = ("time", "entities", "relations", "events", "graph", "export ttl", "export html", "export json")
STAGES = ("read", "map", *POST_PARSE)


def run_json(script: str, *args: object) -> tuple[dict, float]:  # type: ignore[type-arg]
    """Run a bench script in a fresh process; its JSON output and its wall-clock seconds."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / script), *map(str, args)],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"bench: {script} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout), wall


def machine_load() -> str:
    """Load average and the busiest processes that are not this benchmark's."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    ps = subprocess.run(["ps", "-eo", "pid,ppid,pcpu,comm", "--sort=-pcpu"], capture_output=True, text=True)
    mine = {os.getpid()}
    busy = []
    for line in ps.stdout.splitlines()[1:]:
        pid, ppid, cpu, comm = line.split(None, 3)
        if int(pid) in mine or int(ppid) in mine or float(cpu) < 5:
            continue
        busy.append(f"{comm} {cpu}%")
    return f"load average {load} ({os.cpu_count()} cores); busy: {', '.join(busy[:6]) or 'none'}"


def mb(n: float) -> str:
    return f"{n / 2**20:.0f}MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small corpus and graph: a minute or two")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="N (default: cores)")
    parser.add_argument("--scales", default=None, help="growth curve scales (default 1,4,16; quick 1,2,4)")
    parser.add_argument("--triples", type=int, default=None, help="SPARQL graph size (default 1M; quick 20k)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this file")
    args = parser.parse_args()
    scales = [float(s) for s in (args.scales or ("0.25,0.5,1" if args.quick else "1,4,16")).split(",")]
    triples = args.triples or (20_000 if args.quick else 1_000_000)
    n = args.workers
    print(f"kg benchmark ({'quick' if args.quick else 'full'}), {time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(f"before: {machine_load()}")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp_name:
        tmp = Path(tmp_name)
        results = run_all(tmp, quick=args.quick, n=n, scales=scales, triples=triples)
    print(f"after:  {machine_load()}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


def run_all(tmp: Path, *, quick: bool, n: int, scales: list[float], triples: int) -> dict[str, object]:
    corpus = tmp / "corpus"
    if quick:
        write_scaled_corpus(corpus, 0.5)
    else:
        shutil.copytree(SEEDS, corpus)
    added = tmp / "added" / "added_article.txt"
    added.parent.mkdir()
    added.write_text(scaled_documents(0.2, seed=99)[0], encoding="utf-8")

    base, _ = run_json("_baseline.py", corpus, "--article", added)
    rows: dict[str, dict] = {}  # type: ignore[type-arg]
    rows["cold, 1 worker"] = build(corpus, tmp / "cache1", tmp / "out", "--workers", 1)
    rows[f"cold, {n} workers"] = build(corpus, tmp / "cacheN", tmp / "out", "--workers", n)
    rows[f"cold, Dask local ({n})"] = build(corpus, tmp / "cacheD", tmp / "out", "--workers", n,
                                           "--dask", "local")
    rows["warm (nothing changed)"] = build(corpus, tmp / "cacheN", tmp / "out", "--workers", n)
    cli_warm = warm_cli(corpus, tmp / "cacheN", tmp / "cli_out")
    grown = tmp / "grown"
    shutil.copytree(corpus, grown)
    shutil.copy(added, grown)
    rows["one article added"] = build(grown, tmp / "cacheN", tmp / "out", "--workers", n)
    traced, _ = run_json("_build.py", corpus, "--cache", tmp / "cacheN", "--out", tmp / "out", "--trace")

    print_pipes(base)
    print_builds(base, rows, traced)

    growth = {}
    for scale in scales:
        folder = tmp / f"scale{scale:g}"
        write_scaled_corpus(folder, scale)
        cold = build(folder, tmp / f"gcache{scale:g}", tmp / "gout", "--workers", n)
        mem, _ = run_json("_build.py", folder, "--cache", tmp / f"gcache{scale:g}", "--out", tmp / "gout",
                          "--trace")
        growth[scale] = {"cold": cold, "trace": mem}
    print_growth(growth, n)

    sparql = query.compare(triples)
    print()
    print(query.format_table(sparql))

    runon, _ = run_json("runon.py", "--chars", 4_000 if quick else 30_000, "--json")
    print()
    print(format_runon(runon["chars"], runon["rows"]))

    print_targets(base, rows, n, growth, cli_warm)
    return {"baseline": base, "builds": rows, "traced": traced, "warm_cli": cli_warm,
            "growth": {str(k): v for k, v in growth.items()}, "sparql": sparql, "runon": runon}


def warm_cli(corpus: Path, cache: Path, out: Path) -> float:
    """Wall time of `kg build` as a user runs it, a second time with nothing changed (up to date)."""
    cmd = [sys.executable, "-m", "kg", "build", str(corpus), "--cache", str(cache), "--out", str(out), "--quiet"]
    subprocess.run(cmd, check=True)  # writes the outputs and the manifest
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def build(corpus: Path, cache: Path, out: Path, *options: object) -> dict:  # type: ignore[type-arg]
    result, wall = run_json("_build.py", corpus, "--cache", cache, "--out", out, *options)
    result["wall"] = wall
    return result


def print_pipes(base: dict) -> None:  # type: ignore[type-arg]
    print()
    print(f"corpus: {base['documents']} documents, {base['chars']:,} characters, {base['chunks']} chunks")
    print(f"baseline: spaCy import + ja_ginza load {base['load']:.2f}s, nlp.pipe {base['pipe']:.2f}s "
          f"({base['chars'] / base['pipe']:,.0f} chars/s; CPU {base['pipe_cpu']:.2f}s), RSS {mb(base['rss'])}")
    print(f"the baseline got {100 * base['pipe_cpu'] / base['pipe']:.0f}% of one core "
          "(under 100%: other processes were taking CPU time)")
    pipes = base.get("pipes")
    if pipes:
        total = sum(pipes.values())
        print("cost of each pipe (one at a time over the same chunks): " + ", ".join(
            f"{name} {sec:.2f}s ({100 * sec / total:.1f}%)" for name, sec in pipes.items()))


def print_builds(base: dict, rows: dict, traced: dict) -> None:  # type: ignore[type-arg]
    print()
    head = f"{'':24} {'wall':>7} {'chars/s':>8} {'×base':>6} " + " ".join(f"{s:>9}" for s in STAGES)
    print(head + f" {'RSS main':>9} {'RSS wkr':>8} {'CPU':>7}  parsed/cached")
    print(f"{'baseline nlp.pipe':24} {base['pipe']:>6.2f}s {base['chars'] / base['pipe']:>8,.0f} "
          f"{1:>6.2f} {'':>9} {base['pipe']:>8.2f}s")
    for name, r in rows.items():
        secs = r["seconds"]
        print(f"{name:24} {r['wall']:>6.2f}s {r['chars'] / r['wall']:>8,.0f} {base['pipe'] / r['wall']:>6.2f} "
              + " ".join(f"{secs.get(s, 0):>8.3f}s" for s in STAGES)
              + f" {mb(r['rss_self']):>9} {mb(r['rss_children']):>8} {r['cpu']:>6.1f}s  {r['parsed']}/{r['cached']}")
    print(f"{'heap peak (tracemalloc)':24} {'':>7} {'':>8} {'':>6} "
          + " ".join(f"{mb(traced['peak_bytes'].get(s, 0)):>9}" for s in STAGES))


def print_growth(growth: dict, n: int) -> None:  # type: ignore[type-arg]
    print()
    print(f"growth curve: scaled corpus (unit {UNIT_CHARS:,} chars, documents of ~3,000 chars), "
          f"cold build with {n} workers; heap = tracemalloc peak of the main process")
    print(f"  {'scale':>6} {'docs':>5} {'chars':>8} {'wall':>8} {'chars/s':>8} {'parse':>8} {'after':>7} "
          f"{'after/parse':>11} {'RSS main':>9} {'RSS wkr':>8} {'heap peak':>10} {'heap parse':>10}")
    for scale, g in growth.items():
        c, t = g["cold"], g["trace"]
        after = sum(c["seconds"].get(s, 0) for s in POST_PARSE)
        print(f"  {scale:>5g}× {c['documents']:>5} {c['chars']:>8,} {c['wall']:>7.2f}s "
              f"{c['chars'] / c['wall']:>8,.0f} {c['seconds']['map']:>7.2f}s {after:>6.2f}s "
              f"{100 * after / c['seconds']['map']:>10.1f}% {mb(c['rss_self']):>9} {mb(c['rss_children']):>8} "
              f"{mb(max(t['peak_bytes'].values())):>10} {mb(t['peak_bytes']['map']):>10}")


def print_targets(base: dict, rows: dict, n: int, growth: dict, cli_warm: float) -> None:  # type: ignore[type-arg]
    cold, warm, add = rows[f"cold, {n} workers"], rows["warm (nothing changed)"], rows["one article added"]
    after = sum(cold["seconds"].get(s, 0) for s in POST_PARSE)
    largest = max(growth)
    big = growth[largest]["cold"]
    big_after = sum(big["seconds"].get(s, 0) for s in POST_PARSE)
    checks = [
        (f"cold build, {n} cores, vs one-process nlp.pipe throughput", base["pipe"] / cold["wall"], ">=", 1.7, "×"),
        (f"the same on the {largest:g}× scaled corpus (vs the seeds' baseline chars/s)",
         (big["chars"] / big["wall"]) / (base["chars"] / base["pipe"]), ">=", 1.7, "×"),
        ("warm `kg build` (CLI, nothing changed: up to date) / cold build", 100 * cli_warm / cold["wall"],
         "<=", 3, "%"),

        ("one article added minus warm, / that article's nlp.pipe",
         (add["wall"] - warm["wall"]) / base["article"], "<=", 1.5, "×"),
        ("everything after the parse / the parse (cold)", 100 * after / cold["seconds"]["map"], "<=", 10, "%"),
        (f"the same at {largest:g}×", 100 * big_after / big["seconds"]["map"], "<=", 10, "%"),
    ]
    print()
    print("targets (one run):")
    for name, value, op, target, unit in checks:
        ok = value >= target if op == ">=" else value <= target
        print(f"  {'ok    ' if ok else 'MISSED'} {name}: {value:.2f}{unit} (target {op} {target}{unit})")
    print(f"  (warm kg.build() with every export rewritten, no up-to-date check: {warm['wall']:.2f}s, "
          f"{100 * warm['wall'] / cold['wall']:.1f}% of cold)")
    print(f"  (the added article: {base['article_chars']:,} chars, nlp.pipe {base['article']:.2f}s; "
          f"added build {add['wall']:.2f}s, warm {warm['wall']:.2f}s)")


if __name__ == "__main__":
    main()
