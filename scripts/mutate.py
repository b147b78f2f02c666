"""Break the extraction code on purpose, one breakage at a time, and see which tests notice.

Each breakage replaces one function of ``kg/`` by a version that does nothing
useful (the argument-path check always true, negation never seen, surnames never
linked…). It is applied to a copy of the repository in a temporary folder, never
to the working tree, by appending the replacement to the end of the module (so the
module's own calls and every ``from kg.x import f`` get it) or, for the rule
registries, by rebinding the registry's entry as well. Then the fast quality tests
run on the copy, and the tests that fail with the breakage but pass without it are
listed. A breakage that no test catches is a hole in the tests.

    python scripts/mutate.py                 # every breakage; a markdown table on stdout
    python scripts/mutate.py --only loose_key --tests tests/test_guards.py

A breakage whose function is gone (renamed, moved) is reported as such, not skipped
silently: update its entry below. docs/testing.md holds the last table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The fast quality tests the breakages are run against.
TESTS = ("tests/test_rules.py", "tests/test_relations.py", "tests/test_mentions.py", "tests/test_eval.py",
         "tests/test_quality.py", "tests/test_lexicon.py", "tests/test_guards.py", "tests/test_predicates.py",
         "tests/test_build.py")
#: What the copy needs besides kg/ and tests/.
COPIED = ("kg", "tests", "corpus", "queries", "pyproject.toml")


@dataclass(frozen=True)
class Breakage:
    """One deliberate breakage: the module, the names it must still define, the code appended to it."""

    name: str
    what: str
    module: str
    defines: tuple[str, ...]
    code: str


BREAKAGES = [
    Breakage("reaches", "the argument-path check of trigger rules always true", "kg/triggers.py", ("_reaches",),
             "def _reaches(*args, **kwargs):\n    return True\n"),
    Breakage("modality", "negation and modality never detected: every clause asserted", "kg/modality.py",
             ("clause_modality",), "def clause_modality(*args, **kwargs):\n    return 'asserted'\n"),
    Breakage("genitive", "the genitive patterns off (ロシアのラブロフ外相, genitive links)", "kg/patterns.py",
             ("genitive_position", "genitive_link"),
             "def genitive_position(*args, **kwargs):\n    return iter(())\n\n\n"
             "def genitive_link(*args, **kwargs):\n    return iter(())\n\n\n"
             "PATTERN_RULES.update(genitive_position=genitive_position, genitive_link=genitive_link)\n"),
    Breakage("surnames", "surname linking off (トランプ → ドナルド・トランプ)", "kg/entities.py",
             ("link_short_names", "_merge_surnames"),
             "def link_short_names(mentions, *args, **kwargs):\n    return list(mentions)\n\n\n"
             "def _merge_surnames(*args, **kwargs):\n    return None\n"),
    Breakage("unify_types", "type unification off (unify_types returns its input)", "kg/entities.py",
             ("unify_types",), "def unify_types(mentions, *args, **kwargs):\n    return list(mentions)\n"),
    Breakage("loose_key", "katakana spelling variants not folded (loose_key = name_key)", "kg/names.py",
             ("loose_key", "name_key"), "loose_key = name_key\n"),
    Breakage("apposition", "apposition links off (北大西洋条約機構(NATO))", "kg/mentions.py",
             ("link_appositions",), "def link_appositions(mentions, *args, **kwargs):\n    return list(mentions)\n"),
    Breakage("title_split", "titles glued to a name not split off (トランプ大統領 as one token)", "kg/mentions.py",
             ("_glued_title",), "def _glued_title(*args, **kwargs):\n    return iter(())\n"),
    Breakage("overlaps", "overlapping mention candidates all kept (select keeps everything)", "kg/mentions.py",
             ("select",), "def select(candidates, *args, **kwargs):\n    return sorted(candidates, key=lambda m: m.start)\n"),
    Breakage("symmetric", "symmetric predicates handled as directed ones", "kg/relations.py",
             ("symmetric_predicates",), "def symmetric_predicates(*args, **kwargs):\n    return frozenset()\n"),
    Breakage("chrome", "site chrome (navigation, related-article lists) not detected", "kg/chrome.py",
             ("chrome_spans",), "def chrome_spans(*args, **kwargs):\n    return []\n"),
]

_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+?)(?: - .*)?$", re.M)


def make_copy(folder: Path) -> Path:
    """The repository's code, tests, corpus and the tests' parse caches, copied into ``folder``/repo."""
    repo = folder / "repo"
    repo.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        else:
            shutil.copy2(source, repo / name)
    for cache in ("tests-seed", "tests-quality"):  # the parses of the seeds and of tests/data, kept warm
        if (ROOT / ".kg-cache" / cache).is_dir():
            shutil.copytree(ROOT / ".kg-cache" / cache, repo / ".kg-cache" / cache)
    return repo


def apply(repo: Path, breakage: Breakage) -> None:
    """Append the breakage to its module of the copy; a name it replaces must still be defined there."""
    path = repo / breakage.module
    source = path.read_text(encoding="utf-8")
    missing = [n for n in breakage.defines if not re.search(rf"^(def {n}\(|{n} =|from .* import .*\b{n}\b)",
                                                             source, re.M)]
    if missing:
        raise SystemExit(f"{breakage.name}: {breakage.module} no longer defines {', '.join(missing)}: "
                         "update this breakage in scripts/mutate.py")
    path.write_text(source.rstrip() + f"\n\n\n# --- mutation {breakage.name} ---\n{breakage.code}", encoding="utf-8")


def failing(repo: Path, tests: tuple[str, ...], marks: str) -> tuple[set[str], float]:
    """The tests of ``tests`` that fail (or error) in ``repo``, and the seconds the run took."""
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", "-rfE", "-m", marks,
         *tests], cwd=repo, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"})
    if result.returncode not in (0, 1):
        raise SystemExit(f"pytest could not run ({result.returncode}):\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return set(_FAILED.findall(result.stdout)), time.monotonic() - start


def run(breakages: list[Breakage], tests: tuple[str, ...], marks: str) -> list[tuple[Breakage, list[str]]]:
    """Each breakage against a fresh copy; the tests it makes fail that pass unbroken."""
    with tempfile.TemporaryDirectory(prefix="kg-mutate-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        baseline, seconds = failing(make_copy(base), tests, marks)
        print(f"baseline: {len(baseline)} failing without any breakage ({seconds:.0f} s)", file=sys.stderr)
        results = []
        for breakage in breakages:
            folder = Path(tmp) / breakage.name
            folder.mkdir()
            repo = make_copy(folder)
            apply(repo, breakage)
            failed, seconds = failing(repo, tests, marks)
            caught = sorted(failed - baseline)
            print(f"{breakage.name}: {len(caught)} tests fail ({seconds:.0f} s)", file=sys.stderr)
            results.append((breakage, caught))
            shutil.rmtree(folder)
    return results


def table(results: list[tuple[Breakage, list[str]]]) -> str:
    """The results as a markdown table: breakage, where, the tests that caught it (cases of one test counted)."""
    lines = ["| breakage | where | tests that fail |", "| --- | --- | --- |"]
    for breakage, caught in results:
        cases: dict[str, int] = {}
        for test in caught:
            name = test.removeprefix("tests/").split("[")[0]
            cases[name] = cases.get(name, 0) + 1
        shown = ", ".join(f"`{name}`" + (f" ({n} cases)" if n > 1 else "") for name, n in sorted(cases.items()))
        where = f"`{breakage.module}` " + ", ".join(f"`{d}`" for d in breakage.defines)
        lines.append(f"| {breakage.what} | {where} | {shown or '**none: no test catches it**'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", metavar="NAME", help="the breakages to run: "
                        + ", ".join(b.name for b in BREAKAGES))
    parser.add_argument("--tests", nargs="*", default=list(TESTS), help="test files (default: the quality tests)")
    parser.add_argument("--marks", default="not slow", help="pytest -m expression (default: %(default)s)")
    args = parser.parse_args(argv)
    chosen = BREAKAGES
    if args.only:
        unknown = sorted(set(args.only) - {b.name for b in BREAKAGES})
        if unknown:
            parser.error(f"unknown breakage {', '.join(unknown)}; known: {', '.join(b.name for b in BREAKAGES)}")
        chosen = [b for b in BREAKAGES if b.name in args.only]
    tests = tuple(t for t in args.tests if (ROOT / t).exists())  # test_quality.py: where the branch has it
    results = run(chosen, tests, args.marks)
    print(table(results))
    return 1 if any(not caught for _, caught in results) else 0


if __name__ == "__main__":
    sys.exit(main())
