"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel, and show what they claim.

Each notebook is executed with nbclient in a kernel of this very Python (a kernel spec written
into a temporary folder, so no user or system kernel is picked by mistake), copied into a
folder of its own outside the repository (a notebook must not depend on where it sits), with
KG_CACHE pointing at the session's parse cache and TMPDIR at an empty folder that must be
empty again afterwards. The notebooks assert their key results themselves; the tests also
read the outputs back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

import kg

#: Each notebook runs top to bottom in a real kernel.
pytestmark = [pytest.mark.slow]


ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01-explore.ipynb", "02-sparql.ipynb", "03-extend.ipynb", "04-timeline.ipynb"]


def execute(name: str, tmp_path: Path) -> nbformat.NotebookNode:
    """Run a copy of one notebook, elsewhere, in a fresh kernel of this Python; an error in any cell fails."""
    kernels = tmp_path / "kernels"
    write_kernel_spec(kernels / "kg-python")
    manager = KernelManager(kernel_name="kg-python", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    elsewhere = tmp_path / "my-notebooks"
    elsewhere.mkdir()
    shutil.copy(NOTEBOOKS / name, elsewhere / name)
    notebook = nbformat.read(elsewhere / name, as_version=4)
    NotebookClient(notebook, km=manager, timeout=600, resources={"metadata": {"path": str(elsewhere)}}).execute()
    return notebook


def text_of(cell: nbformat.NotebookNode) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            parts.append(output.data.get("text/plain", ""))
    return "".join(parts)


def cell_with(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if c.cell_type == "code" and source in c.source)


@pytest.fixture
def session_cache(monkeypatch: pytest.MonkeyPatch, seed_build: tuple[kg.KnowledgeGraph, kg.BuildReport],
                  cache_dir: Path) -> Path:
    """The notebooks read KG_CACHE: the session's cache, warm with the seed corpus."""
    monkeypatch.setenv("KG_CACHE", str(cache_dir))
    return cache_dir


@pytest.fixture
def scratch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The kernel's temporary directory: whatever a notebook leaves there is left behind for good."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def test_every_notebook_takes_its_corpus_as_a_parameter_at_the_top() -> None:
    for name in NAMES:
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        first = next(c for c in notebook.cells if c.cell_type == "code").source
        assert 'CORPUS = Path(os.environ.get("KG_CORPUS", REPO / "corpus"))' in first, name
        assert "Path.cwd()" not in "".join(c.source for c in notebook.cells), name


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert notebook.metadata.kernelspec.name == "python3"


def test_every_notebook_is_tested() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


def test_explore_notebook(session_cache: Path, scratch: Path, tmp_path: Path,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "my-articles"
    shutil.copytree(ROOT / "corpus", corpus)
    monkeypatch.setenv("KG_CORPUS", str(corpus))  # the parameter is what the notebook reads
    notebook = execute("01-explore.ipynb", tmp_path)
    first = text_of(cell_with(notebook, "project.build()"))
    assert f"corpus: {corpus}\n" in first and "5 documents: 0 parsed, 5 from the cache" in first
    top = text_of(cell_with(notebook, "table(top)"))
    assert "centrality" in top and "ロシア" in top
    assert "most central: " in text_of(cell_with(notebook, "nx.degree_centrality(undirected)"))
    assert "ウラジーミル・プーチン" in text_of(cell_with(notebook, 'putin = graph.find("プーチン")'))
    assert "communities, sizes" in text_of(cell_with(notebook, "communities(undirected) =="))
    assert "top members" in text_of(cell_with(notebook, "community_members(graph.entities)"))
    view = cell_with(notebook, "kg.graph_view(graph)").outputs
    shown = next(o for o in view if o.output_type == "execute_result")
    assert "<iframe" in shown.data["text/html"]
    short = shown.data["text/plain"]  # one line, not the page a second time
    assert short.startswith("<kg graph view: ") and short.endswith("writes it)>") and len(short) < 200
    assert list(scratch.iterdir()) == []


def test_sparql_notebook(session_cache: Path, scratch: Path, tmp_path: Path) -> None:
    notebook = execute("02-sparql.ipynb", tmp_path)
    listing = text_of(cell_with(notebook, 'QUERIES = REPO / "queries"'))
    assert all(p.name in listing for p in (ROOT / "queries").glob("*.rq"))
    ontology_terms = text_of(cell_with(notebook, "ONTOLOGY = ontology()"))
    assert "kg:degreeCentrality" in ontology_terms and "kg:acquires" in ontology_terms  # table rows too
    assert "centrality" in text_of(cell_with(notebook, "?person a schema:Person"))
    assert "000_ecf8bfe473375b45.txt" in text_of(cell_with(notebook, "GRAPH ?g"))
    assert "bytes" in text_of(cell_with(notebook, "project.save(out"))  # it exported into the scratch folder…
    assert list(scratch.iterdir()) == []  # …and removed it


def test_extend_notebook_parses_only_the_new_article_and_finds_its_entity(session_cache: Path, scratch: Path,
                                                                          tmp_path: Path) -> None:
    corpus_before = sorted(p.name for p in (ROOT / "corpus").iterdir())
    notebook = execute("03-extend.ipynb", tmp_path)
    added = text_of(cell_with(notebook, "project.add_document("))
    assert "6 documents: 1 parsed, 5 from the cache" in added and "report.parsed == 1" in added
    assert "クリステン・ミハル" in text_of(cell_with(notebook, "SELECT ?name ?type WHERE"))
    assert "supports" in text_of(cell_with(notebook, "project.add_rule("))
    assert "ゼレンスキー政権" in text_of(cell_with(notebook, "project.add_alias("))
    assert "Organization None" in text_of(cell_with(notebook, "project.set_type("))
    undo = text_of(cell_with(notebook, "project.split("))
    assert "ロシア大統領府 ('ロシア大統領府', '大統領府')" in undo and "大統領府 ('大統領府',) | ロシア大統領府" in undo
    assert "kg build corpus/ --lexicon my-lexicon.json" in text_of(cell_with(notebook, "kg.load("))
    assert '"separate": true' in text_of(cell_with(notebook, "kg.load("))
    assert sorted(p.name for p in (ROOT / "corpus").iterdir()) == corpus_before
    assert list(scratch.iterdir()) == []


def images_of(cell: nbformat.NotebookNode) -> list[str]:
    return [o.data["image/png"] for o in cell.get("outputs", []) if o.output_type == "display_data" and "image/png" in o.data]


def test_timeline_notebook_draws_the_seed_events_and_finds_the_alaska_summit(
        session_cache: Path, scratch: Path, tmp_path: Path, seed_graph: kg.KnowledgeGraph) -> None:
    notebook = execute("04-timeline.ipynb", tmp_path)
    first = text_of(cell_with(notebook, "project.build()"))
    assert f"{len(seed_graph.events)} events: " in first and "summit" in first
    table = text_of(cell_with(notebook, "events = pd.DataFrame("))
    assert "2025-08-15" in table and "米国アラスカ州のアンカレッジ" in table and "planned" in table
    timeline = cell_with(notebook, "fig, ax = plt.subplots(")
    dated = sum(1 for e in seed_graph.events if e.date)
    drawn = text_of(timeline)
    assert f"drawn: {dated - drawn.count('earlier: ')} dated events" in drawn and "earlier: 2022-02-24 attack" in drawn
    assert "Glyph" not in drawn
    assert len(images_of(timeline)) == 1
    summits = text_of(cell_with(notebook, "summits = ["))
    assert "[held]" in summits and "[planned]" in summits and "アンカレッジ" in summits
    meetings = text_of(cell_with(notebook, "meetings-by-month.rq"))
    assert "2025-08-15" in meetings and "アンカレッジ" in meetings and "(1 row)" in meetings
    by_month = cell_with(notebook, "by_month = ")
    assert "2025-08" in text_of(by_month) and "met_with" in text_of(by_month) and len(images_of(by_month)) == 1
    assert list(scratch.iterdir()) == []
