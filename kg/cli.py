"""The command line: each command parses options, makes one API call, prints.

Errors the user can fix (:class:`kg.errors.KgError`) become one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from typing import TYPE_CHECKING

from kg.cache import DEFAULT_CACHE_DIR, check_writable, write_atomic
from kg.corpus import ON_ERROR_CHOICES, load_corpus
from kg.errors import KgError, printable
from kg.model import ENTITY_TYPES
from kg.nlp import DEFAULT_MODEL as DEFAULT_MODEL_NAME

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.pipeline import BuildReport

# Defaults shown in --help; the modules that use them are imported by the command that runs,
# so `kg build` with nothing changed never loads rdflib, pyvis, networkx or spaCy.
DEFAULT_GRAPH = Path("output") / "graph.ttl"
DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TIMEOUT, DEFAULT_MEMORY_MB = "127.0.0.1", 7878, 30.0, 1024


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KgError as err:
        print(f"kg: error: {printable(str(err))}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `kg … | head`: the reader left; not an error (before OSError, its base)
        sys.stderr.close()
        return 0
    except OSError as err:  # an output or cache folder that cannot be written, a full disk
        where = f"{err.filename}: " if err.filename else ""
        print(f"kg: error: {printable(where + str(err.strerror or err))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, with help text on every command and option."""
    parser = argparse.ArgumentParser(prog="kg", description="Turn Japanese news into a knowledge graph.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("build", help="build the graph from a corpus and write output files",
                       description="Read articles, parse them with GiNZA (cached), and write "
                                   "graph.ttl, graph.html and graph.json.")
    _add_corpus_options(p)
    p.add_argument("--out", default="output", type=Path, help="output folder (default: output/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.add_argument("--force", action="store_true",
                   help="rebuild even when nothing changed since the last build into --out")
    p.add_argument("--format", default="ttl", metavar="FORMATS",
                   help="formats to write besides graph.html and graph.json, comma-separated: RDF ttl, jsonld, "
                        "nt, trig (trig has one named graph per article); gexf (Gephi), graphml (Gephi, "
                        "Cytoscape), neo4j (import files and a LOAD CSV script), csv (tables for spreadsheets "
                        "and pandas); default: ttl")
    p.add_argument("--csv-bom", action="store_true",
                   help="start the csv tables with a UTF-8 byte order mark, so Excel opens Japanese correctly")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="write per-document mentions, entities and relations as JSON Lines",
                       description="One JSON record per document: id, mentions, entities, relations.")
    _add_corpus_options(p)
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="score a build against a gold annotation",
                       description="Core-entity recall, node precision, duplicates, merges, type "
                                   "accuracy and relation recall against a gold file "
                                   "(format: see README, 'Evaluation').")
    _add_corpus_options(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--gold", type=Path, help="gold annotation file (JSON): entities and relations")
    what.add_argument("--graded", type=Path, metavar="FILE",
                      help="hand-graded relations (JSON Lines, see tests/data/README.md): precision of the "
                           "typed relations the build still produces among them")
    what.add_argument("--ner", type=Path, metavar="FILE",
                      help="NER data (JSON Lines of {id, text, entities}): builds FILE's texts and scores "
                           "the Person and Organization mentions (precision, recall, F1 per type)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("query", help="run a SPARQL query over the latest build and print the answer",
                       description="Run a SPARQL query (inline, or a .rq file such as queries/cooccurring-pairs.rq) "
                                   "over output/graph.ttl with Oxigraph, in a worker process with a timeout and a "
                                   "memory cap. Prefixes kg:, schema:, skos:, prov:, rdfs: … are predeclared. "
                                   "Federated queries (SERVICE) are refused unless --allow-service.")
    p.add_argument("query", metavar="QUERY", help="the query text, or a .rq file holding it")
    p.add_argument("--graph", default=DEFAULT_GRAPH, type=Path,
                   help="RDF file or build folder to query (default: output/graph.ttl; .nt, .jsonld, .trig "
                        "work too; a folder: its graph.ttl)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default, Japanese aligned), csv or json (SPARQL 1.1 results formats)")
    p.add_argument("--max-width", type=int, default=60,
                   help="clip table cells to this many columns (default: 60; 0: no limit)")
    _add_query_limits(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("serve", help="serve the latest build as a read-only SPARQL endpoint with a query UI",
                       description="Serve output/graph.ttl read-only: SPARQL 1.1 Protocol at /query, a query "
                                   "page at /. Answers only under its own address (Host checked), refuses "
                                   "SERVICE, SPARQL Update and cross-site requests; each query runs in a worker "
                                   "with a timeout and a memory cap. Ctrl-C stops it. See docs/security.md.")
    p.add_argument("--graph", default=DEFAULT_GRAPH, type=Path,
                   help="RDF file or build folder to serve (default: output/graph.ttl)")
    p.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default: 7878; 0: any free port)")
    p.add_argument("--workers", type=int, default=2, help="queries answered at the same time (default: 2)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host header is NAME (a DNS name the server is reached by)")
    p.add_argument("--queries", type=Path, default=None, metavar="FOLDER",
                   help="folder of .rq files the query page offers (default: queries/)")
    _add_query_limits(p)
    p.set_defaults(func=cmd_serve)
    return parser


def _add_query_limits(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT,
                   help="seconds a query may run before it is cancelled (default: 30)")
    p.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help="memory a query's worker process may use, in MB (default: 1024)")
    p.add_argument("--allow-service", action="store_true",
                   help="allow federated queries (SERVICE <url>): the query then makes this machine send "
                        "requests to the addresses it names; off by default")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0: any free port), not {port}")
    return port


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not {text!r}")
    return value


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", default=["corpus"], metavar="PATH",
                   help="files or folders of .txt, .md, .html or .jsonl articles (default: corpus/)")
    p.add_argument("--workers", type=int, default=None,
                   help="parser processes (default: the machine's cores)")
    p.add_argument("--cache", default=DEFAULT_CACHE_DIR, type=Path,
                   help="parse cache folder (default: .kg-cache/)")
    p.add_argument("--no-cache", action="store_true", help="parse everything, read and write no cache")
    p.add_argument("--lexicon", type=Path, default=None,
                   help="your lexicon file (JSON): extra entities, aliases, types, names to ignore")
    p.add_argument("--rules", type=Path, default=None,
                   help="your relation rule file (JSON, {\"rules\": [...]}): extra trigger rules")
    p.add_argument("--window", choices=["sentence", "paragraph"], default="sentence",
                   help="co-occurrence window (default: sentence)")
    p.add_argument("--min-count", type=int, default=1,
                   help="leave out co-occurrence pairs seen in fewer windows (default: 1)")
    p.add_argument("--on-error", choices=ON_ERROR_CHOICES, default="stop",
                   help="on a broken input file or .jsonl line: stop with an error (default) "
                        "or skip it with a warning")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="read symbolic links that lead out of the folders given (default: skip them with a warning)")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="parse on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' "
                        "for worker processes on this machine (needs the dask extra)")


def _build(args: argparse.Namespace, *, progress: bool,
           exclude: Sequence[Path] = ()) -> tuple[KnowledgeGraph, BuildReport]:
    if args.workers is not None and args.workers < 1:
        raise KgError(f"--workers must be 1 or more, not {args.workers}")
    from kg.pipeline import build

    graph, report = build(args.paths, cache_dir=None if args.no_cache else args.cache,
                          workers=args.workers, lexicon=args.lexicon, rules=args.rules, window=args.window,
                          min_count=args.min_count, progress=progress, on_error=args.on_error,
                          exclude=exclude, follow_symlinks=args.follow_symlinks, dask=args.dask)
    print_problems(report.warnings, report.notices, notices_too=not getattr(args, "quiet", False))
    return graph, report


def print_problems(warnings: Sequence[str], notices: Sequence[str], *, notices_too: bool = True) -> None:
    """``kg: warning: FILE: reason`` for skipped input, ``kg: notice: …`` for the rest, on stderr."""
    for line in warnings:
        print(f"kg: warning: {printable(line)}", file=sys.stderr)
    for line in notices if notices_too else ():
        print(f"kg: notice: {printable(line)}", file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from kg.manifest import begin_outputs, fingerprint, up_to_date, write_manifest

    check_writable(args.out, what="output folder")  # before the parse, not after it
    if not args.no_cache:
        check_writable(args.cache, what="parse cache folder", hint="; --no-cache builds without one")
    corpus = load_corpus(args.paths, on_error=args.on_error, exclude=[args.out], follow_symlinks=args.follow_symlinks)
    settings = {"format": args.format, "csv_bom": args.csv_bom, "window": args.window, "min_count": args.min_count,
                "lexicon": str(args.lexicon), "rules": str(args.rules)}
    digest = fingerprint(corpus.documents, model=DEFAULT_MODEL_NAME, files=(args.lexicon, args.rules),
                         settings=settings)
    done = None if args.force else up_to_date(args.out, digest)
    if done is not None:
        print_problems(corpus.warnings, corpus.notices, notices_too=not args.quiet)
        if not args.quiet:
            print(f"documents: {len(corpus.documents)} (nothing changed since the last build)\n"
                  f"{done['entities']}\n{done['edges']}\n"
                  f"up to date: {args.out}/ already holds this build (--force rebuilds it)")
        return 0
    from kg.export import parse_formats, write_outputs

    formats = parse_formats(args.format)  # before the build: a typo fails fast
    graph, report = _build(args, progress=not args.quiet and sys.stderr.isatty(), exclude=[args.out])
    begin_outputs(args.out)
    paths = write_outputs(graph, args.out, formats=formats, csv_bom=args.csv_bom)
    summary = format_summary(graph, report, paths)
    lines = summary.splitlines()
    write_manifest(args.out, digest, summary={"entities": lines[1], "edges": lines[2]}, outputs=paths.values())
    if not args.quiet:
        print(summary)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from kg.extract import extract_records

    graph, _ = _build(args, progress=False)
    lines = [json.dumps(r, ensure_ascii=False) for r in extract_records(graph)]
    text = "\n".join(lines) + ("\n" if lines else "")
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(args.output), text.encode("utf-8"))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.eval import (evaluate, evaluate_graded, evaluate_ner, format_ner_scores, format_scores, load_gold,
                         load_graded, load_ner_records)

    if args.graded is not None:
        graded = load_graded(args.graded)
        graph, _ = _build(args, progress=False)
        result = evaluate_graded(graph, graded)
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        else:
            print(f"precision {result.precision:.3f} on {result.found} of {result.graded} graded relations "
                  f"({result.shown_as_fact_but_not} right relations shown with the wrong modality)")
            for line in result.wrong:
                print(f"  wrong: {line}")
        return 0

    if args.ner is not None:
        records = load_ner_records(args.ner)
        args.paths = [args.ner]
        graph, _ = _build(args, progress=False)
        ner_scores = evaluate_ner(graph, records)
        print(json.dumps(ner_scores.as_dict(), indent=1) if args.json else format_ner_scores(ner_scores))
        return 0
    gold = load_gold(args.gold)
    graph, _ = _build(args, progress=False)
    scores = evaluate(graph, gold)
    if args.json:
        print(json.dumps(scores.as_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_scores(scores))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kg.queryproc import Limits
    from kg.sparql import format_answer, query_file_limited

    limits = Limits(timeout=args.timeout, memory_mb=args.memory, allow_service=args.allow_service)
    answer, hint = query_file_limited(args.graph, args.query, limits=limits)
    sys.stdout.write(format_answer(answer, fmt=args.format, max_width=args.max_width))
    if hint:
        print(f"kg: hint: {printable(hint)}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import serve_until_stopped, start_server

    server = start_server(args.graph, host=args.host, port=args.port, timeout=args.timeout,
                          memory_mb=args.memory, workers=args.workers, allow_service=args.allow_service,
                          allowed_hosts=args.allow_host, queries_dir=args.queries)
    service = "SERVICE allowed" if args.allow_service else "SERVICE refused"
    print(f"SPARQL endpoint: {server.query_url}\nquery page:      {server.url}/\n"
          f"serving {server.graph} read-only, query timeout {args.timeout:g}s, {args.memory} MB a worker, "
          f"{service}; Ctrl-C stops", flush=True)
    serve_until_stopped(server)
    print("stopped", flush=True)
    return 0


def format_summary(graph: KnowledgeGraph, report: BuildReport, paths: dict[str, Path]) -> str:
    """The few lines ``kg build`` prints: counts, cache use, time and files."""
    types = graph.type_counts()
    predicates = graph.predicate_counts()
    lines = [
        f"documents: {report.documents} ({report.parsed} parsed, {report.cached} from cache)",
        "entities:  " + ", ".join(f"{t} {types.get(t, 0)}" for t in ENTITY_TYPES)
        + f" (total {len(graph.entities)})",
        "edges:     " + ", ".join(f"{p} {n}" for p, n in sorted(predicates.items()))
        + f" (total {len(graph.relations)})",
        "time:      " + ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
        + f" (total {report.total_seconds:.1f}s)",
        "wrote:     " + ", ".join(str(p) for p in paths.values()),
    ]
    return "\n".join(lines)
