"""The codebase's own guards: one name normaliser, one files module, one URL pattern, no import cycles."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.files import check_writable, read_json_gz, write_atomic, write_json_gz
from kg.graph import KnowledgeGraph
from kg.model import Entity
from kg.names import loose_key, name_key

from .conftest import ROOT

KG_SOURCES = sorted((ROOT / "kg").rglob("*.py"))


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(("a", "b"), [
    ("DEEP STATE", "deep state"),            # case and spaces
    ("ＤＥＥＰ　ＳＴＡＴＥ", "DEEP STATE"),      # full width (NFKC)
    ("ドナルド･トランプ", "ドナルド・トランプ"),     # half-width middle dot
    ("ドナルド=トランプ", "ドナルド・トランプ"),     # = as a name separator
    ("寒川(かんがわ)進", "寒川進"),                # a reading gloss
])
def test_name_key_makes_these_one_name(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_names_apart() -> None:
    assert name_key("トランプ") != name_key("トランプ氏")
    assert name_key("ウィットコフ") != name_key("ウィトコフ")  # spelling variants are loose_key's, not lookup's


@pytest.mark.parametrize(("a", "b"), [("ウィットコフ", "ウィトコフ"), ("ウォロディミル", "ボロディミル"),
                                      ("ヴィクトル", "ビクトル"), ("ドナルド・トランプ", "ドナルドトランプ")])
def test_loose_key_folds_katakana_spelling_variants(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)
    assert loose_key(a) == loose_key(b)


def test_graph_find_compares_names_as_name_key_does() -> None:
    deep = Entity(id="deepstate", label="DEEP STATE", type="Organization", aliases=("ディープステート",),
                  mentions=2, docs=("d1",))
    putin = Entity(id="putin", label="ウラジーミル・プーチン", type="Person", aliases=("プーチン",), mentions=3,
                   docs=("d1",))
    graph = KnowledgeGraph(documents=(), entities=(deep, putin), relations=())
    assert graph.find("deep state") is deep
    assert graph.find("Deep　State") is deep
    assert graph.find("ディープ ステート") is deep
    assert graph.find("プーチン") is putin
    assert graph.find("プーチン氏") is None


def test_names_is_the_only_name_normaliser() -> None:
    """name_key and loose_key are defined once, and kg.names imports nothing of kg."""
    defined = {node.name: path.name for path in KG_SOURCES for node in ast.walk(ast.parse(path.read_text("utf-8")))
               if isinstance(node, ast.FunctionDef) and node.name in {"name_key", "loose_key", "_norm", "normalize"}}
    assert defined == {"name_key": "names.py", "loose_key": "names.py"}
    tree = ast.parse((ROOT / "kg" / "names.py").read_text("utf-8"))
    imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in imported if m and m.split(".")[0] == "kg"]


# ---------------------------------------------------------------- files


def test_write_json_gz_round_trips_and_gives_the_same_bytes_twice(tmp_path: Path) -> None:
    data = {"text": "ゼレンスキー大統領", "spans": [[0, 6]]}
    first, second = tmp_path / "a" / "x.json.gz", tmp_path / "b" / "x.json.gz"
    write_json_gz(first, data)
    write_json_gz(second, data)
    assert read_json_gz(first) == data
    assert first.read_bytes() == second.read_bytes()  # no timestamp in the gzip header


def test_read_json_gz_of_a_damaged_file_raises_what_the_caches_catch(tmp_path: Path) -> None:
    path = tmp_path / "x.json.gz"
    write_atomic(path, b"not gzip")
    with pytest.raises((OSError, ValueError, EOFError)):
        read_json_gz(path)


def test_write_atomic_replaces_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.ttl"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.ttl"]


def test_check_writable_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(KgError, match=r"file/out: the output folder cannot be written \(not a folder\); try X"):
        check_writable(blocker / "out", what="output folder", hint="; try X")
    check_writable(tmp_path / "new" / "deeper", what="output folder")  # made later, by the first write


def test_only_kg_files_makes_temporary_files_or_renames() -> None:
    """mkstemp and os.replace belong to kg/files.py: one place for atomic output."""
    found = []
    for path in KG_SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"mkstemp", "replace", "rename"} \
                    and getattr(node.value, "id", "") in {"tempfile", "os"}:
                found.append(f"{path.relative_to(ROOT)}: {node.value.id}.{node.attr}")  # type: ignore[attr-defined]
    assert found and all(f.startswith("kg/files.py") for f in found), found


def test_one_url_pattern_for_mentions_and_source_urls() -> None:
    from kg.corpus import make_document
    from kg.spans import URL, url_spans

    text = "出典:https://e.org/a_(b)?x=1です。(https://e.org/1)とwww.nhk.or.jp/n.html「"
    assert URL.findall(text) == ["https://e.org/a_(b)?x=1", "https://e.org/1", "www.nhk.or.jp/n.html"]
    assert [text[a:b] for a, b in url_spans(text)] == URL.findall(text)
    assert make_document("a.txt", text).urls == ("https://e.org/a_(b)?x=1", "https://e.org/1")  # addresses only
    patterns = [f"{p.relative_to(ROOT)}" for p in KG_SOURCES
                if re.search(r"re\.compile\(r?[\"'][^\n]*https\?", p.read_text("utf-8"))]
    assert patterns == ["kg/spans.py"]


def test_versions_are_read_in_one_place_each() -> None:
    """The model's version by kg.nlp.model_version, kg's own in kg/version.py (pyproject reads it)."""
    readers = [f"{p.relative_to(ROOT)}" for p in KG_SOURCES if "metadata.version(" in p.read_text("utf-8")]
    assert readers == ["kg/nlp.py"]
    assert 'attr = "kg.version.__version__"' in (ROOT / "pyproject.toml").read_text("utf-8")


# ---------------------------------------------------------------- imports


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's [tool.importlinter] contracts: the layers of the stages, spaCy only in the parser."""
    script = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_no_module_of_kg_imports_itself_back() -> None:
    """No import cycle among kg's modules, lazy and type-only imports included, listed in the contracts or not."""
    import grimp
    import networkx as nx

    graph = grimp.build_graph("kg", cache_dir=None)
    edges = nx.DiGraph((m, d) for m in graph.modules for d in graph.find_modules_directly_imported_by(m))
    cycles = [sorted(c) for c in nx.strongly_connected_components(edges) if len(c) > 1]
    assert cycles == []
