"""The docs are tested: every `kg …` command in README.md and docs/*.md runs, and what they say of
the code (the predicate table, the modules, the links) is still so."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHARED = ROOT.parent / "shared"
#: A word that stands for something the reader fills in (ADDRESS, FILE, PATH…) or an elision: not run.
PLACEHOLDER = re.compile(r"\b[A-Z]{3,}\b|…")
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_KG = ("kg", ".venv/bin/kg")


@dataclass(frozen=True)
class Command:
    """A `kg` command of a doc's code block, with the first line of output the block shows after it."""

    where: str
    args: tuple[str, ...]
    shown: str = ""


def kg_commands(path: Path) -> list[Command]:
    """The `kg …` commands of the fenced bash/console/sh blocks of one Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        if match.group(1) not in {"bash", "console", "sh", "shell"}:
            continue
        first_line = text[:match.start(2)].count("\n") + 1
        lines = match.group(2).splitlines()
        for n, line in enumerate(lines):
            line = line.strip().removeprefix("$ ")
            words = shlex.split(line, comments=True) if line.startswith(_KG + ("python -m kg",)) else []
            if words[:3] == ["python", "-m", "kg"]:
                words = ["kg", *words[3:]]
            if not words or words[0] not in _KG:
                continue
            shown = lines[n + 1].strip() if match.group(1) == "console" and n + 1 < len(lines) else ""
            found.append(Command(f"{path.relative_to(ROOT)}:{first_line + n}", tuple(words[1:]),
                                 "" if shown.startswith("$ ") else shown))
    return found


def _workspace(tmp_path: Path, cache_dir: Path) -> Path:
    """A folder laid out like the repository after `bash scripts/build.sh`: corpus/ built into output/.

    The test session's parse cache is its `.kg-cache`, so nothing is parsed again.
    """
    work = tmp_path / "repo"
    work.mkdir()
    for folder in ("corpus", "queries", "docs/examples"):
        shutil.copytree(ROOT / folder, work / folder)
    shutil.copytree(cache_dir, work / ".kg-cache")
    subprocess.run([sys.executable, "-m", "kg", "build", "corpus", "--out", "output", "--quiet"], cwd=work,
                   check=True, timeout=600)
    return work


def _args(command: Command) -> list[str] | None:
    """The arguments to run, with paths outside the repository made real; None for a placeholder."""
    args = [a.replace("../shared/", f"{SHARED}/") for a in command.args]
    if any(PLACEHOLDER.search(a) for a in command.args) or (
            any(a != b for a, b in zip(args, command.args)) and not SHARED.exists()):
        return None
    return args


def _run(command: Command, args: list[str], work: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kg", *args], cwd=work, capture_output=True, text=True,
                            timeout=600, check=False)
    said = result.stdout + result.stderr
    if command.shown.startswith("kg: error:"):
        assert result.returncode == 1 and "kg: error:" in result.stderr, (command, said)
        return
    assert result.returncode == 0, (command.where, said[-2000:])
    assert " ".join(command.shown.split()) in " ".join(said.split()), (command.where, command.shown, said[:2000])


def _serve(command: Command, args: list[str], work: Path) -> None:
    """`kg serve …`: on a free port, it answers a query, then stops cleanly on Ctrl-C."""
    if "--port" in args:
        args[args.index("--port") + 1] = "0"
    else:
        args += ["--port", "0"]
    proc = subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=work, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline() if proc.stdout else ""
        assert first.startswith("SPARQL endpoint: http://"), (command.where, first, proc.stderr.read() if
                                                               proc.stderr else "")
        url = first.split(": ", 1)[1].strip() + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 (our own server on 127.0.0.1)
            assert json.load(answer) == {"head": {}, "boolean": True}
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0 and out.strip().endswith("stopped"), (command.where, out)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


DOC_COMMANDS = [(path, kg_commands(path)) for path in DOCS]


@pytest.mark.slow
@pytest.mark.parametrize(("path", "commands"), [d for d in DOC_COMMANDS if d[1]],
                         ids=lambda v: v.name if isinstance(v, Path) else "")
def test_the_kg_commands_of_a_page_run(path: Path, commands: list[Command], tmp_path: Path,
                                       cache_dir: Path) -> None:
    """Each page's commands, in order, in one copy of the repository (a build before the query that reads it)."""
    work = _workspace(tmp_path, cache_dir)
    ran = 0
    for command in commands:
        args = _args(command)
        if args is None:
            continue
        (_serve if args[0] == "serve" else _run)(command, args, work)
        ran += 1
    assert ran, f"{path.name}: every command was a placeholder"


def test_the_pages_show_kg_commands() -> None:
    """The parser finds the commands (a broken fence or prefix would make the test above run nothing)."""
    pages = {path.name: [c.args[0] for c in commands] for path, commands in DOC_COMMANDS}
    assert {"build", "query"} <= set(pages["README.md"])
    assert {"build", "extract", "eval"} <= set(pages["cli.md"])
    assert {"build", "query", "serve"} <= set(pages["rdf-sparql.md"])


def test_placeholders_are_not_run() -> None:
    assert _args(Command("x", ("build", "--dask", "ADDRESS"))) is None
    assert _args(Command("x", ("query", "…"))) is None
    assert _args(Command("x", ("build", "corpus/", "--out", "output/"))) == ["build", "corpus/", "--out", "output/"]


# ---------------------------------------------------------------- what the pages say


def test_the_readme_is_the_front_door() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200
    head = "\n".join(lines[:8])
    assert "bash scripts/build.sh" in head and "bash scripts/test.sh" in head


def predicate_rows() -> list[str]:
    """The rows kg/data/predicates.json gives the predicate table of docs/rdf-sparql.md."""
    def kinds(types: list[str]) -> str:
        names = ["Country" if t == "State" else t for t in types]
        return "any" if len(names) == 3 else " or ".join(names)

    table = json.loads((ROOT / "kg" / "data" / "predicates.json").read_text(encoding="utf-8"))["predicates"]
    return [f"| `{p['name']}` | `kg:{p['property']}` | {p['label_ja']} | {kinds(p['domain'])} → "
            f"{kinds(p['range'])} | {'yes' if p['symmetric'] else ''} |".replace("|  |", "| |") for p in table]


def test_the_predicate_table_of_the_docs_is_the_predicate_files() -> None:
    page = (ROOT / "docs" / "rdf-sparql.md").read_text(encoding="utf-8")
    shown = [line for line in page.splitlines() if re.match(r"\| `[a-z_]+` \| `kg:", line)]
    assert shown == predicate_rows()


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    modules = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*.py"))
    named = set(re.findall(r"kg/[\w/]+\.py", page))
    exported = {f"kg/export/{m}" for m in re.findall(r"`(\w+\.py)`", page)}  # the export row names its files
    missing = [m for m in modules if m not in named | exported and not m.endswith("export/__init__.py")]
    assert missing == []


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_relative_links_lead_to_files_that_exist(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    targets = [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in t]
    missing = [t for t in targets if t and not (path.parent / t).exists()]
    assert missing == []
