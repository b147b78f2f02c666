"""The parse on a real Dask LocalCluster (two worker processes) gives the local build's graph."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.cli import main

from .conftest import CORPUS


#: A Dask LocalCluster starts worker processes.
pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two short articles: the first paragraphs of two seed documents."""
    folder = tmp_path_factory.mktemp("small")
    for name in ("002_0dcbf6ada95cb816.txt", "004_38bd187ad446b2d2.txt"):
        text = (CORPUS / name).read_text(encoding="utf-8")
        (folder / name).write_text(text[:700], encoding="utf-8")
    return folder


def test_dask_build_equals_the_local_build(small_corpus: Path) -> None:
    local, _ = kg.build([small_corpus], cache_dir=None, workers=1)
    on_dask, report = kg.build([small_corpus], cache_dir=None, workers=2, dask="local")
    assert report.parsed == 2
    assert len(local.entities) >= 5 and local.relations
    assert on_dask == local


def test_an_unreachable_scheduler_is_one_clear_line(small_corpus: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", str(small_corpus), "--no-cache", "--dask", "tcp://127.0.0.1:9",
                 "--out", str(tmp_path), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("kg: error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'")
    assert err.count("\n") == 1
