"""The command line: each command parses options, makes one API call, prints.

Errors the user can fix (:class:`kg.errors.KgError`) become one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.cache import DEFAULT_CACHE_DIR
from kg.errors import KgError
from kg.export import write_outputs
from kg.extract import extract_records
from kg.graph import KnowledgeGraph
from kg.model import ENTITY_TYPES
from kg.pipeline import BuildReport, build


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KgError as err:
        print(f"kg: error: {err}", file=sys.stderr)
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
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="write per-document mentions, entities and relations as JSON Lines",
                       description="One JSON record per document: id, mentions, entities, relations.")
    _add_corpus_options(p)
    p.add_argument("-o", "--output", default="-", help="output file (default: standard output)")
    p.set_defaults(func=cmd_extract)
    return parser


def _add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", default=["corpus"], metavar="PATH",
                   help="files or folders of .txt, .md or .jsonl articles (default: corpus/)")
    p.add_argument("--workers", type=int, default=None,
                   help="parser processes (default: the machine's cores)")
    p.add_argument("--cache", default=DEFAULT_CACHE_DIR, type=Path,
                   help="parse cache folder (default: .kg-cache/)")
    p.add_argument("--no-cache", action="store_true", help="parse everything, read and write no cache")
    p.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="parse on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' "
                        "for worker processes on this machine (needs the dask extra)")


def _build(args: argparse.Namespace, *, progress: bool) -> tuple[KnowledgeGraph, BuildReport]:
    if args.workers is not None and args.workers < 1:
        raise KgError(f"--workers must be 1 or more, not {args.workers}")
    return build(args.paths, cache_dir=None if args.no_cache else args.cache,
                 workers=args.workers, progress=progress, dask=args.dask)


def cmd_build(args: argparse.Namespace) -> int:
    graph, report = _build(args, progress=not args.quiet and sys.stderr.isatty())
    paths = write_outputs(graph, args.out)
    if not args.quiet:
        print(format_summary(graph, report, paths))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    graph, _ = _build(args, progress=False)
    lines = [json.dumps(r, ensure_ascii=False) for r in extract_records(graph)]
    text = "\n".join(lines) + ("\n" if lines else "")
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
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
