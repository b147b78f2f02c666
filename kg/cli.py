"""The command line: each command parses options, makes one API call, prints.

Errors the user can fix (:class:`kg.errors.KgError`) become one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kg.cache import DEFAULT_CACHE_DIR
from kg.corpus import ON_ERROR_CHOICES, load_corpus
from kg.errors import KgError, ModelError, printable
from kg.files import check_writable, write_atomic
from kg.model import ENTITY_TYPES
from kg.nlp import DEFAULT_MODEL as DEFAULT_MODEL_NAME
from kg.predicates import COOCCURS
from kg.queryproc import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from kg.server import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.pipeline import BuildReport
    from kg.store import StoreInfo

# The modules a command needs are imported by the command that runs, so `kg build` with nothing
# changed never loads rdflib, pyvis, networkx or spaCy; the defaults --help shows come from light ones.
#: Where `kg build` writes, and so where `kg query` and `kg serve` look for the latest build.
DEFAULT_OUT = Path("output")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.ttl"
#: Entities named in the build summary (the most central ones).
SUMMARY_TOP_ENTITIES = 5

#: Worked examples at the end of each command's --help (tests/test_cli.py parses every one).
EXAMPLES = {
    "build": """\
  kg build                                      # corpus/ into output/
  kg build articles/ extra.jsonl --out out/     # files and folders of .txt .md .html .jsonl
  kg build corpus/ --format ttl,trig            # also a TriG file, one named graph per article
  kg build corpus/ --store graph.db             # also an Oxigraph store on disk, for query/serve --store
  kg build corpus/ --lexicon my-lexicon.json --rules my-rules.json
  kg build corpus/ --force --quiet              # rebuild even if nothing changed, print nothing""",
    "extract": """\
  kg extract corpus/ -o mentions.jsonl          # one JSON record per document
  kg extract corpus/004_38bd187ad446b2d2.txt    # one article, to standard output""",
    "eval": """\
  kg eval corpus/ --gold gold.json              # the scores as a table
  kg eval corpus/ --gold gold.json --json       # the same as JSON""",
    "query": """\
  kg query queries/who-met-whom.rq              # a .rq file, over output/graph.ttl
  kg query 'SELECT ?name WHERE { ?e a schema:Person ; rdfs:label ?name }'
  kg query queries/centrality.rq --format csv   # csv or json instead of a table
  kg query queries/cooccurring-pairs.rq --graph out/graph.trig
  kg query --store graph.db queries/who-met-whom.rq   # the store of `kg build --store graph.db`""",
    "serve": """\
  kg serve                                      # http://127.0.0.1:7878/ over output/graph.ttl
  kg serve --graph out/graph.trig --port 8000 --timeout 10
  kg serve --store graph.db                     # the store of `kg build --store graph.db`: starts at once""",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command's own parser, with its usage, not kg's
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
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


class Parser(argparse.ArgumentParser):
    """argparse, strict about a command's options.

    Left alone, argparse lets ``kg query --fromat csv Q`` take ``csv`` for the
    query and then blame ``Q``, and reports ``kg build -o X`` with kg's
    top-level usage. A command's parser here refuses an option it does not
    know before anything is assigned, names it, suggests the near one, and
    shows that command's usage.
    """

    commands: dict[str, argparse.ArgumentParser]

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None) -> tuple[argparse.Namespace, list[str]]:
        if self._subparsers is None:  # a command's parser: every option it takes is known here
            self._refuse_unknown_options(list(sys.argv[1:] if args is None else args))
        return super().parse_known_args(args, namespace)

    def _refuse_unknown_options(self, args: list[str]) -> None:
        known = self._option_string_actions
        long_options = sorted(o for o in known if o.startswith("--"))
        for arg in args:
            if arg == "--":
                return
            if not arg.startswith("-") or arg == "-" or _NUMBER.match(arg):
                continue
            name = arg.split("=", 1)[0]
            if name in known or (name.startswith("--") and any(o.startswith(name) for o in long_options)):
                continue  # argparse takes unambiguous prefixes (--form for --format)
            self.error(f"unknown option {name}{_did_you_mean(name, long_options)}")

    def error(self, message: str) -> NoReturn:
        """Usage of this command, then ``kg build: error: …``, exit status 2 (argparse's)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


_NUMBER = re.compile(r"^-\d")  # a negative number is a value, not an option


def _did_you_mean(name: str, options: Sequence[str]) -> str:
    """`` (did you mean --format?)`` for a misspelt option, or nothing."""
    if re.fullmatch(r"-[A-Za-z]", name):  # -o: the long options starting with that letter
        near = [o for o in options if o[2:3] == name[1]]
    else:
        near = difflib.get_close_matches("--" + name.lstrip("-"), options, n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(near)}?)" if near else ""


def _version() -> str:
    """``kg --version``: kg's version, the model's and Python's (package metadata only: fast)."""
    from kg.nlp import model_version
    from kg.version import __version__

    package = DEFAULT_MODEL_NAME.replace("_", "-")
    try:
        model = f"{package} {model_version(DEFAULT_MODEL_NAME)}"
    except ModelError:
        model = f"{package} not installed"
    return f"kg {__version__} ({model}, Python {sys.version.split()[0]})"


class _HelpFormatter(argparse.HelpFormatter):
    """Wraps the description; keeps text of several lines (the examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def _command(sub: argparse._SubParsersAction, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
    """A command's parser, its --help ending with worked examples."""
    return sub.add_parser(name, help=help, description=description,
                          epilog="examples:\n" + EXAMPLES[name],
                          formatter_class=_HelpFormatter)


def make_parser() -> Parser:
    """The argument parser, with help text on every command and option and examples on every command."""
    parser = Parser(prog="kg", description="Turn Japanese news into a knowledge graph.",
                    epilog="examples:\n  kg build corpus/\n  kg query queries/who-met-whom.rq\n"
                           "  kg COMMAND --help       # a command's options and examples",
                    formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "build", help="build the graph from a corpus and write output files",
                 description="Read articles, parse them with GiNZA (cached), and write "
                             "graph.ttl, graph.html and graph.json.")
    _add_corpus_options(p)
    p.add_argument("--out", default=DEFAULT_OUT, type=Path, help="output folder (default: output/)")
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
    p.add_argument("--store", type=Path, default=None, metavar="DIR",
                   help="also load the graph into an Oxigraph store on disk in DIR (replaced whole, never "
                        "half-written), which kg query --store and kg serve --store open at once")
    p.set_defaults(func=cmd_build)

    p = _command(sub, "extract", help="write per-document mentions, entities and relations as JSON Lines",
                 description="One JSON record per document: id, mentions, entities, relations.")
    _add_corpus_options(p)
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.set_defaults(func=cmd_extract)

    p = _command(sub, "eval", help="score a build against a gold annotation",
                 description="Core-entity recall, node precision, duplicates, merges, type "
                             "accuracy and relation recall against a gold file "
                             "(format: see docs/cli.md, 'kg eval').")
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

    p = _command(sub, "query", help="run a SPARQL query over the latest build and print the answer",
                 description="Run a SPARQL query (inline, or a .rq file such as queries/cooccurring-pairs.rq) "
                             "over output/graph.ttl with Oxigraph, in a worker process with a timeout and a "
                             "memory cap. Prefixes kg:, schema:, skos:, prov:, rdfs: … are predeclared. "
                             "Federated queries (SERVICE) are refused unless --allow-service.")
    p.add_argument("query", metavar="QUERY", help="the query text, or a .rq file holding it")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--graph", default=DEFAULT_GRAPH, type=Path,
                       help="RDF file or build folder to query (default: output/graph.ttl; .nt, .jsonld, .trig "
                            "work too; a folder: its graph.ttl)")
    where.add_argument("--store", type=Path, default=None, metavar="DIR",
                       help="query the Oxigraph store of `kg build --store DIR` instead (opened read-only, "
                            "nothing parsed)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default, Japanese aligned), csv or json (SPARQL 1.1 results formats)")
    p.add_argument("--max-width", type=int, default=60,
                   help="clip table cells to this many columns (default: 60; 0: no limit)")
    _add_query_limits(p)
    p.set_defaults(func=cmd_query)

    p = _command(sub, "serve", help="serve the latest build as a read-only SPARQL endpoint with a query UI",
                 description="Serve output/graph.ttl read-only: SPARQL 1.1 Protocol at /query, a query "
                             "page at /. Answers only under its own address (Host checked), refuses "
                             "SERVICE, SPARQL Update and cross-site requests; each query runs in a worker "
                             "with a timeout and a memory cap. Ctrl-C stops it. See docs/security.md.")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--graph", default=None, type=Path,
                       help="RDF file or build folder to serve (default: output/graph.ttl)")
    where.add_argument("--store", type=Path, default=None, metavar="DIR",
                       help="serve the Oxigraph store of `kg build --store DIR` instead (each worker opens it "
                            "read-only: no graph loaded into memory, starts at once)")
    p.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default: 7878; 0: any free port)")
    p.add_argument("--workers", type=int, default=2, help="queries answered at the same time (default: 2)")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host header is NAME (a DNS name the server is reached by)")
    p.add_argument("--queries", type=Path, default=None, metavar="FOLDER",
                   help="folder of .rq files the query page offers (default: queries/)")
    _add_query_limits(p)
    p.set_defaults(func=cmd_serve)
    parser.commands = dict(sub.choices)
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
    p.add_argument("--events", type=Path, default=None, metavar="FILE",
                   help="your event vocabulary (JSON, like kg/data/events.json): more kinds and words")
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
                          workers=args.workers, lexicon=args.lexicon, rules=args.rules, events=args.events,
                          window=args.window,
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
                "lexicon": str(args.lexicon), "rules": str(args.rules), "events": str(args.events),
                "store": None if args.store is None else str(args.store)}
    digest = fingerprint(corpus.documents, model=DEFAULT_MODEL_NAME, files=(args.lexicon, args.rules, args.events),
                         settings=settings)
    done = None if args.force else up_to_date(args.out, digest)
    if done is not None and args.store is not None:
        from kg.store import store_matches

        done = done if store_matches(args.store, digest) else None  # the store missing, replaced or stale
    if done is not None:
        print_problems(corpus.warnings, corpus.notices, notices_too=not args.quiet)
        if not args.quiet:
            counts = done.get("counts") or [done.get("entities", ""), done.get("edges", "")]
            print(f"documents: {len(corpus.documents)} (nothing changed since the last build)", *counts,
                  f"up to date: {args.out}/ already holds this build (--force rebuilds it)",
                  *done.get("next", []), sep="\n")
        return 0
    from kg.export import parse_formats, write_outputs

    formats = parse_formats(args.format)  # before the build: a typo fails fast
    if args.store is not None:
        from kg.store import check_store_target

        check_store_target(args.store)
    del corpus  # the build reads the files itself: two copies of every text would be held through it
    graph, report = _build(args, progress=not args.quiet and sys.stderr.isatty(), exclude=[args.out])
    begin_outputs(args.out)
    seconds = dict(report.seconds)
    start = time.perf_counter()
    paths = write_outputs(graph, args.out, formats=formats, csv_bom=args.csv_bom)
    seconds["write"] = time.perf_counter() - start
    counts = summary_counts(graph)
    stored = None
    if args.store is not None:
        from kg.memory import give_back_freed_memory
        from kg.store import rdf_file_to_load, write_store

        source = rdf_file_to_load(paths) or graph
        del graph  # loaded from the file written: the store's loader gets the graph's memory
        give_back_freed_memory()
        start = time.perf_counter()
        stored = write_store(args.store, source, fingerprint=digest)
        seconds["store"] = time.perf_counter() - start
    report = replace(report, seconds=seconds)
    summary = format_summary(counts, report, paths, store=args.store, stored=stored)
    next_lines = next_steps(paths, store=args.store)
    write_manifest(args.out, digest, summary={"counts": counts, "next": next_lines,
                                              "files": sorted(p.name for p in paths.values()),
                                              "report": report_summary(report, stored)},
                   outputs=paths.values())
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
    from kg.eval import (
        evaluate,
        evaluate_graded,
        evaluate_ner,
        format_ner_scores,
        format_scores,
        load_gold,
        load_graded,
        load_ner_records,
    )

    if args.graded is not None:
        graded = load_graded(args.graded)
        graph, _ = _build(args, progress=False)
        result = evaluate_graded(graph, graded)
        if args.json:
            print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        else:
            print(f"precision {result.precision:.3f} on {result.found} of {result.graded} graded relations "
                  f"({result.modality_wrong} right relations shown with the wrong modality; "
                  f"{result.shown_as_fact_but_not} planned, possible, hypothetical or negated ones shown as facts)")
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
    from kg.queryproc import Limits, query_file_limited
    from kg.sparql import format_answer

    limits = Limits(timeout=args.timeout, memory_mb=args.memory, allow_service=args.allow_service)
    answer, hint = query_file_limited(args.store or args.graph, args.query, limits=limits,
                                      store=args.store is not None)
    sys.stdout.write(format_answer(answer, fmt=args.format, max_width=args.max_width))
    if hint:
        print(f"kg: hint: {printable(hint)}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.server import serve_until_stopped, start_server

    graph = args.graph if args.graph is not None or args.store is not None else DEFAULT_GRAPH
    server = start_server(graph, store=args.store, host=args.host, port=args.port, timeout=args.timeout,
                          memory_mb=args.memory, workers=args.workers, allow_service=args.allow_service,
                          allowed_hosts=args.allow_host, queries_dir=args.queries)
    service = "SERVICE allowed" if args.allow_service else "SERVICE refused"
    what = f"the store {server.graph}" if args.store is not None else str(server.graph)
    print(f"SPARQL endpoint: {server.query_url}\nquery page:      {server.url}/\n"
          f"serving {what} read-only, query timeout {args.timeout:g}s, {args.memory} MB a worker, "
          f"{service}; Ctrl-C stops", flush=True)
    serve_until_stopped(server)
    print("stopped", flush=True)
    return 0


def format_summary(counts: list[str], report: BuildReport, paths: dict[str, Path], *,
                   store: Path | None = None, stored: StoreInfo | None = None) -> str:
    """What ``kg build`` prints: what ran, counts (:func:`summary_counts`), time, files, next steps.

    The first line says which step re-ran for how many documents: GiNZA's
    parse (``parsed``), the extraction of a record (``extracted``: the
    parsed ones, and cached parses read again because a rule or the lexicon
    changed), or nothing (the record from the cache).
    """
    wrote = ", ".join(str(p) for p in paths.values())
    if store is not None and stored is not None:
        wrote += f"; store {store}/ ({stored.triples:,} triples)"
    lines = [documents_line(report),
             *counts,
             "time:      " + ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
             + f" (total {report.total_seconds:.1f}s)",
             "wrote:     " + wrote,
             *next_steps(paths, store=store)]
    return "\n".join(lines)


def documents_line(report: BuildReport) -> str:
    """``documents: 5 (1 parsed, 4 from cache); records: 2 extracted, 3 from cache``."""
    return (f"documents: {report.documents} ({report.parsed} parsed, {report.cached} from cache); "
            f"records: {report.extracted} extracted, {report.documents - report.extracted} from cache")


def report_summary(report: BuildReport, stored: StoreInfo | None) -> dict[str, object]:
    """What the manifest keeps of a build: which step ran for how many documents, the time of each stage."""
    return {"documents": report.documents, "parsed": report.parsed, "cached": report.cached,
            "extracted": report.extracted, "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
            "store_triples": None if stored is None else stored.triples}


def summary_counts(graph: KnowledgeGraph) -> list[str]:
    """The entity and relation lines of the summary (also stored for the "nothing changed" message).

    Typed relations lead, most frequent first: they are what the graph says;
    co-occurrence follows on a line of its own. The most central entities say
    what the corpus is about at a glance.
    """
    from kg.analytics import most_central

    types = graph.type_counts()
    predicates = graph.predicate_counts()
    cooccurs = predicates.pop(COOCCURS, 0)
    typed = sorted(predicates.items(), key=lambda pc: (-pc[1], pc[0]))
    central = most_central(graph.entities, SUMMARY_TOP_ENTITIES)
    lines = ["entities:  " + ", ".join(f"{t} {types.get(t, 0)}" for t in ENTITY_TYPES)
             + f" (total {len(graph.entities)})"]
    if central:
        lines.append("           most central: " + ", ".join(e.label for e in central))
    lines.append(f"relations: {sum(predicates.values())} typed"
                 + (": " + ", ".join(f"{p} {n}" for p, n in typed) if typed else ""))
    lines.append(f"           {cooccurs} co-occurrence ({COOCCURS}); total {len(graph.relations)}")
    lines.append(dates_line(graph))
    kinds = sorted(Counter(e.kind for e in graph.events).items(), key=lambda kn: (-kn[1], kn[0]))
    lines.append(f"events:    {len(graph.events)}" + (": " + ", ".join(f"{k} {n}" for k, n in kinds) if kinds else ""))
    return lines


def dates_line(graph: KnowledgeGraph) -> str:
    """``dates:     4 of 5 documents dated: 3 from urls, 1 from header; 1 undated`` (the rules: docs/time.md)."""
    from kg.pipeline import date_counts

    counts = date_counts(graph.dates)
    undated = counts.pop("none", 0)
    dated = sum(counts.values())
    line = f"dates:     {dated} of {len(graph.documents)} documents dated"
    line += ": " + ", ".join(f"{n} from {rule}" for rule, n in sorted(counts.items(), key=lambda rn: -rn[1])) \
        if counts else ""
    return line + (f"; {undated} undated" if undated else "")


def next_steps(paths: dict[str, Path], *, store: Path | None = None) -> list[str]:
    """What to do with the outputs, as commands that work from here."""
    steps = []
    if "html" in paths:
        steps.append(f"open {paths['html']} in a browser (the interactive view)")
    rdf = next((paths[k] for k in ("ttl", "nt", "trig", "jsonld") if k in paths), None)
    query = "queries/who-met-whom.rq" if Path("queries/who-met-whom.rq").is_file() else \
        "'SELECT ?name WHERE { ?e a schema:Person ; rdfs:label ?name }'"
    if store is not None:
        steps.append(f"kg query --store {store} {query}   (SPARQL on the store)")
        steps.append(f"kg serve --store {store}   (a SPARQL endpoint and query page)")
    elif rdf is not None:
        graph = "" if Path(rdf) == DEFAULT_GRAPH else f" --graph {rdf}"
        steps.append(f"kg query {query}{graph}   (SPARQL)")
        steps.append(f"kg serve{graph}   (a SPARQL endpoint and query page)")
    return [("next:      " if i == 0 else "           ") + step for i, step in enumerate(steps)]
