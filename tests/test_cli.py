"""The command line as a user meets it, run as a subprocess: help pages, mistakes, version, summary."""

from __future__ import annotations

import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import kg
from kg.analytics import most_central
from kg.cli import EXAMPLES, make_parser

from .conftest import CORPUS, ROOT

COMMANDS = sorted(make_parser().commands)


def run_kg(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, check=False)


def test_every_command_has_examples() -> None:
    assert COMMANDS == sorted(EXAMPLES) == ["build", "eval", "extract", "query", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_page_ends_with_examples_that_parse(command: str) -> None:
    result = run_kg(command, "--help")
    assert result.returncode == 0 and result.stderr == ""
    page = result.stdout
    assert page.startswith(f"usage: kg {command} ")
    examples = page.split("\nexamples:\n", 1)[1].strip().splitlines()
    assert len(examples) >= 2
    for line in examples:
        words = shlex.split(line, comments=True)
        assert words[:2] == ["kg", command], line
        args, extra = make_parser().parse_known_args(words[1:])  # parses: no unknown option, no extra
        assert args.command == command and extra == [], line


def test_top_level_help_points_to_the_commands_help() -> None:
    page = run_kg("--help").stdout
    assert "kg COMMAND --help" in page and all(f"    {c} " in page for c in COMMANDS)


def test_version() -> None:
    result = run_kg("--version")
    assert result.returncode == 0
    assert result.stdout.startswith(f"kg {kg.__version__} (ja-ginza 5.")


def test_an_unknown_option_is_named_with_the_commands_usage() -> None:
    result = run_kg("build", "-o", "X")
    assert result.returncode == 2 and result.stdout == ""
    usage, error = result.stderr.split("\nkg build: error: ")
    assert usage.startswith("usage: kg build [-h]") and "--out OUT" in usage
    assert error == "unknown option -o (did you mean --on-error or --out?)\n"


def test_a_misspelt_option_is_not_taken_for_the_query(tmp_path: Path) -> None:
    result = run_kg("query", "--fromat", "csv", "SELECT * WHERE { ?s ?p ?o }", "--graph", tmp_path / "none.ttl")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "kg query: error: unknown option --fromat (did you mean --format?)"
    assert result.stderr.startswith("usage: kg query ")


def test_an_abbreviated_option_still_works_and_extra_arguments_get_the_commands_usage(tmp_path: Path) -> None:
    result = run_kg("query", "a", "b")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "kg query: error: unrecognized arguments: b"
    missing = run_kg("query", "--form", "csv", "ASK { ?s ?p ?o }", "--graph", tmp_path / "none.ttl")
    assert missing.returncode == 1  # --form is --format: parsed, then the missing file is the error
    assert missing.stderr.startswith("kg: error: ") and "none.ttl" in missing.stderr


@pytest.mark.slow
def test_the_build_summary_leads_with_typed_relations_and_ends_with_next_steps(
        tmp_path: Path, cache_dir: Path, seed_graph: kg.KnowledgeGraph) -> None:
    out = tmp_path / "out"
    result = run_kg("build", CORPUS, "--out", out, "--cache", cache_dir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    counts = seed_graph.predicate_counts()
    cooccurs = counts.pop("cooccurs_with")
    typed = sorted(counts.items(), key=lambda pc: (-pc[1], pc[0]))
    central = ", ".join(e.label for e in most_central(seed_graph.entities, 5))
    assert lines[0] == "documents: 5 (0 parsed, 5 from cache); records: 0 extracted, 5 from cache"
    assert lines[1].startswith("entities:  Person ")
    assert lines[2] == f"           most central: {central}"
    assert lines[3] == f"relations: {sum(counts.values())} typed: " + ", ".join(f"{p} {n}" for p, n in typed)
    assert lines[4] == f"           {cooccurs} co-occurrence (cooccurs_with); total {len(seed_graph.relations)}"
    assert lines[5] == "dates:     4 of 5 documents dated: 3 from urls, 1 from header; 1 undated"
    assert lines[6] == f"events:    {len(seed_graph.events)}: " + ", ".join(
        f"{k} {n}" for k, n in sorted(Counter(e.kind for e in seed_graph.events).items(), key=lambda kn: (-kn[1], kn[0])))
    assert lines[7].startswith("time:      ") and lines[8].startswith("wrote:     ")
    assert lines[9:] == [f"next:      open {out / 'graph.html'} in a browser (the interactive view)",
                         f"           kg query queries/who-met-whom.rq --graph {out / 'graph.ttl'}   (SPARQL)",
                         f"           kg serve --graph {out / 'graph.ttl'}   (a SPARQL endpoint and query page)"]
    # the next steps work as printed
    query = run_kg(*shlex.split(lines[10].split("   (")[0])[1:])
    assert query.returncode == 0 and query.stdout.startswith("person ")
    again = run_kg("build", CORPUS, "--out", out, "--cache", cache_dir).stdout.splitlines()
    assert again[0] == "documents: 5 (nothing changed since the last build)"
    assert again[1:7] == lines[1:7] and again[-3:] == lines[-3:]
