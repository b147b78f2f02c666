"""Screenshots of the interactive view of the seed corpus, for docs/view.md.

Builds corpus/ (parses come from .kg-cache/ when it holds them), writes the page,
opens it offline in Debian's chromium (Playwright, as tests/test_view.py does) and
saves into docs/img/:

- ``view-overview.png``: the page as it opens (the connected core, the main names);
- ``view-edge.png``: a selected edge (トランプ met_with プーチン): its label and its evidence;
- ``view-node.png``: a highlighted node (プーチン) with its typed edges labelled;
- ``view-typed.png``: the "typed relations" preset;
- ``view-time.png``: the time range set to August 2025 (nodes with no edge left hidden) and
  the event it holds, the Alaska summit, selected: its participants, date, place, sentences.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    import kg
    from kg.export.html import write_html

    graph, _ = kg.build([ROOT / "corpus"], cache_dir=ROOT / ".kg-cache")
    trump, putin = graph.find("トランプ"), graph.find("プーチン")
    summit = next(e for e in graph.events if e.kind == "summit" and e.date == "2025-08-15")
    edge = next(f"e{i}" for i, r in enumerate(graph.relations)
                if r.predicate == "met_with" and {r.subject, r.object} == {trump.id, putin.id})
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        page_path = write_html(graph, Path(tmp) / "graph.html")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        shots = {
            "view-overview.png": [],
            "view-edge.png": [f"kgView.selectEdge('{edge}')", f"kgView.network.focus('{trump.id}', {{scale: 1.5}})"],
            "view-node.png": [f"kgView.select('{putin.id}')"],
            "view-typed.png": ["kgView.preset('typed')"],
            "view-time.png": ["kgView.timeRange('2025-08-01', '2025-08-31')",
                              "document.getElementById('isolated').click()", f"kgView.selectEvent('{summit.id}')"],
        }
        for name, steps in shots.items():
            context = browser.new_context(offline=True, bypass_csp=True, viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_function("() => window.kgView && window.kgView.settled", timeout=120_000)
            for step in steps:
                page.evaluate(f"void {step}")
            page.wait_for_timeout(800)  # the zoom animation of select()
            page.screenshot(path=str(out / name))
            context.close()
            print(out / name)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
