"""The interactive view in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

The seed build's ``graph.html`` is opened from ``file://`` in a context that is
offline and records every request; the controls are used the way a reader
would (typing, pressing Enter, unticking, clicking on the canvas).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as pw

import kg
from kg.export.html import render_html, write_html
from kg.model import Document, Entity, Evidence, Relation


#: Every test opens the page in a real Chromium.
pytestmark = [pytest.mark.slow, pytest.mark.browser]


CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps",
                 "--no-first-run", "--disable-extensions"]
SCREENSHOT = Path("/tmp/kg-view.png")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does)")
    with pw.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Opened:
    """A page opened offline, with every request it made and every script error it raised."""

    def __init__(self, browser: object, url: str | None = None, *, html: str | None = None,
                 csp: bool = False) -> None:
        # Playwright's own evaluate() needs eval, which the page's CSP forbids: most tests
        # bypass the CSP (so they test our escaping, not the CSP); one keeps it.
        self.context = browser.new_context(offline=True, bypass_csp=not csp,  # type: ignore[attr-defined]
                                           viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.context.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith("file:") else route.abort())
        if url is not None:
            self.page.goto(url)
        else:
            self.page.set_content(html or "")

    def settle(self, frame: object | None = None) -> None:
        (frame or self.page).wait_for_function("() => window.kgView && window.kgView.settled",  # type: ignore[attr-defined]
                                                timeout=120_000)

    def js(self, expression: str) -> object:
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_page_path(seed_graph: kg.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """graph.html exactly as ``kg build`` writes it for the seed corpus."""
    out = tmp_path_factory.mktemp("view")
    return kg.write_outputs(seed_graph, out)["html"]


@pytest.fixture()
def seed_page(browser: object, seed_page_path: Path) -> Iterator[Opened]:
    opened = Opened(browser, seed_page_path.as_uri())
    opened.settle()
    yield opened
    assert opened.errors == []
    opened.close()


def _visible_ids(opened: Opened) -> list[str]:
    return opened.js("kgView.network.body.data.nodes.getIds()")  # type: ignore[return-value]


def test_the_page_is_one_utf8_file_that_makes_no_request(seed_page: Opened, seed_page_path: Path) -> None:
    raw = seed_page_path.read_bytes()
    text = raw.decode("utf-8")
    assert '<meta charset="utf-8">' in text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)  # no external script or style
    assert seed_page.requests == [seed_page_path.as_uri()]


def test_the_page_works_under_its_own_content_security_policy(browser: object, seed_page_path: Path) -> None:
    opened = Opened(browser, seed_page_path.as_uri(), csp=True)
    opened.page.wait_for_selector("body[data-settled=true]", timeout=120_000)
    opened.page.locator("#search").fill("ロシア")
    opened.page.locator("#search").press("Enter")
    assert "ロシア" in opened.page.locator("#details").inner_text()
    before = opened.page.locator("#counts").inner_text()
    opened.page.locator('input[data-type="State"]').uncheck()
    after = opened.page.locator("#counts").inner_text()
    assert int(after.split(" / ")[0]) < int(before.split(" / ")[0])  # the filter ran
    assert opened.errors == []  # no CSP violation, no script error
    assert opened.requests == [seed_page_path.as_uri()]
    opened.close()


def test_the_page_holds_every_node_and_edge_of_the_graph(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    counts = seed_page.js("[kgView.nodes.length, kgView.edges.length,"
                          " kgView.network.body.data.nodes.length, kgView.network.body.data.edges.length]")
    n, m = len(seed_graph.entities), len(seed_graph.relations)
    assert counts == [n, m, n, m]
    shown = seed_page.page.locator("#counts").inner_text()
    assert f"{n} / {n} entities" in shown and f"{m} / {m} edges" in shown


def test_the_layout_settles_and_physics_stops(seed_page: Opened) -> None:
    physics = seed_page.js("kgView.network.physics.options.enabled")
    assert physics is False
    assert "settled" in seed_page.page.locator("#status").inner_text()
    before = seed_page.js("JSON.stringify(kgView.network.getPositions())")
    seed_page.page.wait_for_timeout(300)
    assert seed_page.js("JSON.stringify(kgView.network.getPositions())") == before


def test_searching_putin_selects_and_focuses_him(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    putin = seed_graph.find("プーチン")
    assert putin is not None
    search = seed_page.page.locator("#search")
    search.fill("プーチン")
    assert seed_page.page.locator("#results li").first.get_attribute("data-id") == putin.id
    search.press("ArrowDown")
    search.press("ArrowUp")  # back to the first result
    search.press("Enter")
    assert seed_page.js("kgView.network.getSelectedNodes()") == [putin.id]
    # the view moves to centre on him in the part of the canvas the details card leaves free
    seed_page.page.wait_for_function(
        "(id) => { const net = kgView.network, p = net.canvasToDOM(net.getPositions([id])[id]);"
        " const g = document.getElementById('graph'), d = document.getElementById('details');"
        " return Math.hypot(p.x - (g.clientWidth - d.offsetWidth - 10) / 2, p.y - g.clientHeight / 2) < 2; }",
        arg=putin.id, timeout=10_000)
    details = seed_page.page.locator("#details").inner_text()
    assert putin.label in details and f"mentions: {putin.mentions}" in details


def test_search_finds_an_entity_by_alias(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    entity = next(e for e in seed_graph.entities if any(a != e.label for a in e.aliases))
    alias = next(a for a in entity.aliases if a != entity.label)
    assert entity.id in seed_page.js(f"kgView.find({alias!r})")  # type: ignore[operator]


def test_unticking_organization_hides_every_organization(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    orgs = {e.id for e in seed_graph.entities if e.type == "Organization"}
    assert orgs
    seed_page.page.locator('input[data-type="Organization"]').uncheck()
    visible = set(_visible_ids(seed_page))
    assert visible and not visible & orgs
    assert len(visible) == len(seed_graph.entities) - len(orgs)
    edge_ends = seed_page.js("kgView.edgesView.get().flatMap(e => [e.from, e.to])")
    assert not set(edge_ends) & orgs  # type: ignore[arg-type]
    seed_page.page.locator('input[data-type="Organization"]').check()
    assert len(_visible_ids(seed_page)) == len(seed_graph.entities)


def test_minimum_weight_hides_weaker_edges(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    strong = sum(1 for r in seed_graph.relations if len(r.evidence) >= 2)
    assert 0 < strong < len(seed_graph.relations)
    seed_page.page.locator("#weight").fill("2")
    assert seed_page.js("kgView.network.body.data.edges.length") == strong
    assert seed_page.js("kgView.edgesView.get().every(e => e.count >= 2)") is True


def test_clicking_a_node_highlights_its_neighbourhood(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    russia = seed_graph.find("ロシア")
    assert russia is not None
    neighbours = {r.object if r.subject == russia.id else r.subject for r in seed_graph.relations_of(russia.id)}
    box = seed_page.page.locator("#graph").bounding_box()
    assert box is not None
    spot = seed_page.js(f"kgView.network.canvasToDOM(kgView.network.getPositions([{russia.id!r}])[{russia.id!r}])")
    seed_page.page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])  # type: ignore[index]
    assert seed_page.js("kgView.network.getSelectedNodes()") == [russia.id]
    dimmed = set(seed_page.js("kgView.nodes.get({filter: n => typeof n.color === 'string' && n.color.startsWith('rgba')})"
                              ".map(n => n.id)"))  # type: ignore[arg-type]
    everyone = {e.id for e in seed_graph.entities}
    assert dimmed == everyone - neighbours - {russia.id}
    assert russia.label in seed_page.page.locator("#details").inner_text()
    # clicking the empty corner clears the highlight
    seed_page.page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    assert seed_page.js("kgView.nodes.get().filter(n => String(n.color).startsWith('rgba')).length") == 0


def test_japanese_labels_have_a_font(seed_page: Opened) -> None:
    # fonts-noto-cjk: without it the canvas labels are drawn as tofu boxes
    assert seed_page.js("document.fonts.check(\"14px 'Noto Sans CJK JP'\", 'プーチン大統領')") is True
    assert seed_page.js("kgView.network.body.nodes[kgView.nodes.getIds()[0]].options.font.face").startswith("'Noto Sans CJK JP'")


def test_hovering_a_node_shows_its_tooltip(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    russia = seed_graph.find("ロシア")
    assert russia is not None
    box = seed_page.page.locator("#graph").bounding_box()
    spot = seed_page.js(f"kgView.network.canvasToDOM(kgView.network.getPositions([{russia.id!r}])[{russia.id!r}])")
    seed_page.page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])  # type: ignore[index]
    tip = seed_page.page.locator("#tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert russia.label in text and "State" in text and f"mentions: {russia.mentions}" in text


def test_hovering_an_edge_shows_its_evidence(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    rel = max(seed_graph.relations, key=lambda r: len(r.evidence))
    index = list(seed_graph.relations).index(rel)
    seed_page.js(f"void kgView.network.body.emitter.emit('hoverEdge', {{edge: 'e{index}', pointer: {{DOM: {{x: 50, y: 50}}}}}})")
    tip = seed_page.page.locator("#tip").inner_text()
    assert rel.predicate in tip and f"{len(rel.evidence)} sentence" in tip
    assert " ".join(rel.evidence[0].sentence.split())[:40] in tip


def test_screenshot_of_the_seed_graph(seed_page: Opened, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("screenshot") / "kg-view.png"
    seed_page.page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000
    try:
        shutil.copyfile(path, SCREENSHOT)
    except OSError:
        pass
    print(f"\nscreenshot of the seed graph: {path} (copy: {SCREENSHOT})")


def _edge(graph: kg.KnowledgeGraph, predicate: str, a: str, b: str) -> tuple[str, Relation]:
    """The page id (e<index>) and the relation of the ``predicate`` edge between the entities named a and b."""
    ea, eb = graph.find(a), graph.find(b)
    assert ea is not None and eb is not None
    for i, r in enumerate(graph.relations):
        if r.predicate == predicate and {r.subject, r.object} == {ea.id, eb.id}:
            return f"e{i}", r
    raise AssertionError(f"no {predicate} between {a} and {b}")


def test_typed_edges_are_drawn_over_cooccurrence_even_after_filtering(seed_page: Opened) -> None:
    order_js = "kgView.network.body.edgeIndices.map(id => kgView.edges.get(id).predicate === 'cooccurs_with')"
    order = seed_page.js(order_js)
    assert order == sorted(order, reverse=True) and True in order and False in order  # grey first, typed last
    box = seed_page.page.locator('input[data-predicate="cooccurs_with"]')
    box.uncheck()
    box.check()  # the co-occurrence edges come back, and still go under the typed ones
    again = seed_page.js(order_js)
    assert again == sorted(again, reverse=True) and len(again) == len(order)


def test_a_highlighted_node_keeps_its_typed_edges_coloured_labelled_and_on_top(
        seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    putin = seed_graph.find("プーチン")
    assert putin is not None
    seed_page.js(f"void kgView.select({putin.id!r})")
    near = seed_page.js(f"kgView.network.getConnectedEdges({putin.id!r}).map(id => {{ const e = kgView.edges.get(id);"
                        " return [id, e.predicate, e.width, e.color.color, e.label]; })")
    typed = [e for e in near if e[1] != "cooccurs_with"]  # type: ignore[union-attr]
    grey = [e for e in near if e[1] == "cooccurs_with"]  # type: ignore[union-attr]
    assert typed and grey
    assert min(e[2] for e in typed) > max(e[2] for e in grey)  # the coloured ones are the wide ones
    assert all(e[3].startswith("rgba(") for e in grey) and not any(e[3].startswith("rgba(") for e in typed)
    position = next(r for r in seed_graph.relations_of(putin.id) if r.predicate == "holds_position_in" and r.position)
    labels = dict(seed_page.js("kgView.labels()"))  # type: ignore[arg-type]
    assert {e[0] for e in typed} == set(labels) and not {e[0] for e in grey} & set(labels)
    assert f"{position.position} · holds position in" in labels.values()
    order = seed_page.js("kgView.network.body.edgeIndices")
    assert set(order[-len(typed):]) == {e[0] for e in typed}  # type: ignore[index]  # drawn last, on top


def test_hovering_or_selecting_an_edge_labels_it_and_a_filter_clears_it(seed_page: Opened,
                                                                       seed_graph: kg.KnowledgeGraph) -> None:
    edge, rel = _edge(seed_graph, "met_with", "トランプ", "プーチン")
    seed_page.js(f"void kgView.network.body.emitter.emit('hoverEdge', {{edge: {edge!r}, pointer: {{DOM: {{x: 50, y: 50}}}}}})")
    assert seed_page.js(f"kgView.edges.get({edge!r}).label") == "会談した · met with"
    assert "modality: asserted" in seed_page.page.locator("#tip").inner_text()
    seed_page.js(f"void kgView.network.body.emitter.emit('blurEdge', {{edge: {edge!r}}})")
    assert seed_page.js(f"kgView.edges.get({edge!r}).label") == ""
    seed_page.js(f"void kgView.selectEdge({edge!r})")
    assert seed_page.js("kgView.labels()") == [[edge, "会談した · met with"]]
    details = seed_page.page.locator("#details").inner_text()
    assert "会談した" in details and f"supported by {len(rel.evidence)} sentence(s)" in details
    assert " ".join(rel.evidence[0].sentence.split())[:40] in details
    seed_page.page.locator('input[data-predicate="met_with"]').uncheck()
    assert seed_page.page.locator("#details").inner_text().startswith("the selected edge is hidden by the filters.")
    assert seed_page.js("kgView.labels()") == [] and seed_page.js("kgView.network.getSelectedEdges()") == []


def test_screenshot_of_a_selected_edge_with_its_label_and_evidence(seed_page: Opened, seed_graph: kg.KnowledgeGraph,
                                                                  tmp_path: Path) -> None:
    edge, rel = _edge(seed_graph, "met_with", "トランプ", "プーチン")
    trump = seed_graph.find("トランプ")
    seed_page.js(f"void kgView.selectEdge({edge!r})")
    seed_page.js(f"void kgView.network.focus({trump.id!r}, {{scale: 1.6}})")  # type: ignore[union-attr]
    path = tmp_path / "kg-view-edge.png"
    seed_page.page.screenshot(path=str(path))
    assert path.stat().st_size > 20_000
    assert seed_page.page.locator("#details").is_visible()
    assert " ".join(rel.evidence[0].sentence.split())[:40] in seed_page.page.locator("#details").inner_text()
    try:
        shutil.copyfile(path, SCREENSHOT.with_name("kg-view-edge.png"))
    except OSError:
        pass


def test_names_shown_at_the_overview_do_not_overlap_each_other_or_a_node(seed_page: Opened,
                                                                        seed_graph: kg.KnowledgeGraph) -> None:
    boxes = seed_page.js("""(() => { const net = kgView.network; net.redraw();
        const names = new Set(kgView.named());
        return kgView.nodesView.getIds().map(id => { const n = net.body.nodes[id], l = n.labelModule.size;
            return [id, names.has(id), [n.x - n.options.size, n.y - n.options.size, n.x + n.options.size, n.y + n.options.size],
                    names.has(id) ? [l.left, l.top, l.left + l.width, l.top + l.height] : null]; }); })()""")
    named = [b for b in boxes if b[1]]  # type: ignore[union-attr]
    trump, putin = seed_graph.find("トランプ"), seed_graph.find("プーチン")
    assert {trump.id, putin.id} <= {b[0] for b in named} and len(named) >= 20  # type: ignore[union-attr]

    def overlap(a: list[float], b: list[float]) -> bool:
        return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5

    clashes = [(a[0], b[0]) for a in named for b in boxes if a[0] != b[0]  # type: ignore[union-attr]
               and (overlap(a[3], b[2]) or (b[1] and overlap(a[3], b[3])))]
    assert clashes == []


def test_a_node_tooltip_shows_the_positions_it_holds(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    putin, russia = seed_graph.find("プーチン"), seed_graph.find("ロシア")
    assert any(r.predicate == "holds_position_in" and r.object == russia.id and r.position == "大統領"  # type: ignore[union-attr]
               for r in seed_graph.relations_of(putin.id))  # type: ignore[union-attr]
    seed_page.js(f"void kgView.network.body.emitter.emit('hoverNode', {{node: {putin.id!r}, pointer: {{DOM: {{x: 60, y: 60}}}}}})")  # type: ignore[union-attr]
    tip = seed_page.page.locator("#tip").inner_text()
    assert "positions: 大統領 · ロシア" in tip
    seed_page.js(f"void kgView.network.body.emitter.emit('hoverNode', {{node: {russia.id!r}, pointer: {{DOM: {{x: 60, y: 60}}}}}})")  # type: ignore[union-attr]
    assert "positions held here: " in seed_page.page.locator("#tip").inner_text()
    assert "ウラジーミル・プーチン · 大統領" in seed_page.page.locator("#tip").inner_text()


def test_a_search_with_no_match_says_so(seed_page: Opened) -> None:
    search = seed_page.page.locator("#search")
    search.fill("  存在しない名前  ")
    assert seed_page.page.locator("#results").inner_text() == "no entity matches “存在しない名前”"
    search.press("Enter")  # nothing to select: nothing happens
    assert seed_page.js("kgView.network.getSelectedNodes()") == []
    search.fill("")
    assert seed_page.page.locator("#results li").count() == 0


def test_the_overview_leads_with_the_connected_core(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    import networkx as nx

    undirected = nx.Graph()
    undirected.add_nodes_from(e.id for e in seed_graph.entities)
    undirected.add_edges_from((r.subject, r.object) for r in seed_graph.relations)
    parts = sorted(nx.connected_components(undirected), key=len, reverse=True)
    core, rest = parts[0], sum(len(p) for p in parts[1:])
    assert rest > 0
    assert seed_page.page.locator("#core").inner_text() == (
        f"In view: the connected core, {len(core)} entities; {rest} more in {len(parts) - 1} small group(s) "
        "around it (show all).")
    box = seed_page.page.locator("#graph").bounding_box()

    def on_screen() -> set[str]:
        spots = seed_page.js("(() => { const net = kgView.network, pos = net.getPositions(), out = {};"
                             " for (const id in pos) out[id] = net.canvasToDOM(pos[id]); return out; })()")
        return {i for i, p in spots.items() if 0 <= p["x"] <= box["width"] and 0 <= p["y"] <= box["height"]}  # type: ignore[union-attr, index]

    assert core <= on_screen()
    seed_page.page.get_by_text("show all").click()
    seed_page.page.wait_for_timeout(600)
    assert on_screen() == {e.id for e in seed_graph.entities}


def test_the_typed_relations_preset_is_one_click(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    typed = [r for r in seed_graph.relations if r.predicate != "cooccurs_with"]
    ends = {r.subject for r in typed} | {r.object for r in typed}
    seed_page.page.locator("#preset-typed").click()
    assert sorted(seed_page.js("kgView.edgesView.get().map(e => e.predicate)")) == sorted(r.predicate for r in typed)  # type: ignore[arg-type]
    assert set(_visible_ids(seed_page)) == ends  # no lone node
    assert seed_page.page.locator("#preset-typed").get_attribute("class") == "on"
    assert seed_page.page.locator('input[data-predicate="cooccurs_with"]').is_checked() is False
    seed_page.page.locator("#preset-all").click()
    assert len(_visible_ids(seed_page)) == len(seed_graph.entities)
    assert seed_page.js("kgView.edgesView.length") == len(seed_graph.relations)
    seed_page.page.locator('input[data-type="State"]').uncheck()  # a filter of one's own: no preset is on
    assert seed_page.page.locator("#presets button.on").count() == 0


# --- a hand-made graph: hostile text, several predicates, Wikidata ---------------------------

PAYLOAD_SCRIPT = "<script>window.__pwned = 1</script>"
PAYLOAD_IMG = "<img src=x onerror=\"window.__pwned = 2\">"


def _hostile_graph() -> kg.KnowledgeGraph:
    sentence = f"プーチン氏は{PAYLOAD_IMG}でゼレンスキー氏と会談した。{PAYLOAD_SCRIPT}"
    docs = [Document(id="evil.txt", text=sentence, title=f"title {PAYLOAD_SCRIPT}")]
    entities = [
        Entity(id="p1", label="プーチン", type="Person", aliases=("プーチン大統領", "Putin"), mentions=3,
               docs=("evil.txt",), wikidata="Q7747"),
        Entity(id="p2", label=f"ゼレンスキー{PAYLOAD_IMG}", type="Person", aliases=(PAYLOAD_SCRIPT,), mentions=2,
               docs=("evil.txt",), wikidata="javascript:alert(1)"),
        Entity(id="s1", label="ロシア", type="State", aliases=(), mentions=1, docs=("evil.txt",)),
        Entity(id="o1", label="国連", type="Organization", aliases=(), mentions=1, docs=("evil.txt",)),
    ]
    ev = (Evidence(doc="evil.txt", start=0, end=len(sentence), sentence=sentence),)
    relations = [
        Relation(subject="p1", predicate="cooccurs_with", object="p2", evidence=ev * 2, rule="cooccurrence",
                 score=1.5, symmetric=True),
        Relation(subject="p1", predicate="met_with", object="p2", evidence=ev, rule="meet", symmetric=True),
        Relation(subject="p1", predicate="holds_position_in", object="s1", evidence=ev, rule="title",
                 position="大統領"),
        Relation(subject="s1", predicate="member_of", object="o1", evidence=ev, rule="member"),
    ]
    return kg.KnowledgeGraph(documents=docs, entities=entities, relations=relations)


@pytest.fixture()
def hostile_page(browser: object, tmp_path: Path) -> Iterator[Opened]:
    path = write_html(_hostile_graph(), tmp_path / "graph.html")
    opened = Opened(browser, path.as_uri())
    opened.settle()
    yield opened
    opened.close()


def test_article_text_is_shown_as_text_never_run(hostile_page: Opened) -> None:
    page = hostile_page.page
    page.locator("#search").fill("ゼレンスキー")
    assert PAYLOAD_IMG in page.locator("#results").inner_text()
    page.locator("#search").press("Enter")
    details = page.locator("#details").inner_text()
    assert PAYLOAD_IMG in details and PAYLOAD_SCRIPT in details  # label and alias, as text
    hostile_page.js("void kgView.network.body.emitter.emit('hoverEdge', {edge: 'e0', pointer: {DOM: {x: 40, y: 40}}})")
    tip = page.locator("#tip").inner_text()
    assert PAYLOAD_IMG in tip and PAYLOAD_SCRIPT in tip  # the evidence sentence and document title
    hostile_page.js("void kgView.network.body.emitter.emit('hoverNode', {node: 'p2', pointer: {DOM: {x: 40, y: 40}}})")
    page.wait_for_timeout(200)
    assert hostile_page.js("window.__pwned") is None
    assert page.locator("#side img, #tip img, #side script, #tip script").count() == 0
    assert hostile_page.requests == [page.url]  # the <img src=x> was never fetched
    assert hostile_page.errors == []


def test_the_relation_filter_lists_the_predicates_of_the_graph(hostile_page: Opened) -> None:
    page = hostile_page.page
    listed = page.locator("input[data-predicate]").evaluate_all("bs => bs.map(b => b.dataset.predicate)")
    assert listed == ["holds_position_in", "member_of", "met_with", "cooccurs_with"]
    page.locator('input[data-predicate="met_with"]').uncheck()
    assert sorted(hostile_page.js("kgView.edgesView.get().map(e => e.predicate)")) == [  # type: ignore[arg-type]
        "cooccurs_with", "holds_position_in", "member_of"]
    page.locator("#pred-typed").click()
    assert sorted(hostile_page.js("kgView.edgesView.get().map(e => e.predicate)")) == [  # type: ignore[arg-type]
        "holds_position_in", "member_of", "met_with"]


def test_wikidata_links_only_for_wikidata_ids(hostile_page: Opened) -> None:
    page = hostile_page.page
    hostile_page.js("void kgView.select('p1')")
    assert page.locator("#details a").get_attribute("href") == "https://www.wikidata.org/wiki/Q7747"
    hostile_page.js("void kgView.select('p2')")
    assert page.locator("#details a").count() == 0  # javascript: is not a Wikidata id


def test_search_brings_back_a_filtered_out_type(hostile_page: Opened) -> None:
    page = hostile_page.page
    page.locator('input[data-type="Organization"]').uncheck()
    assert "o1" not in _visible_ids(hostile_page)
    page.locator("#search").fill("国連")
    page.locator("#search").press("Enter")
    assert "o1" in _visible_ids(hostile_page)
    assert hostile_page.js("kgView.network.getSelectedNodes()") == ["o1"]


def test_the_notebook_view_renders_inline_without_network(browser: object) -> None:
    from IPython.core.formatters import DisplayFormatter  # what Jupyter calls on a cell's value

    view = kg.graph_view(_hostile_graph(), height=500)
    data, _ = DisplayFormatter().format(view)
    markup = data["text/html"]
    assert markup.startswith("<iframe srcdoc=") and "<script>" not in markup
    opened = Opened(browser, html=f"<!DOCTYPE html><body>{markup}</body>")
    frame = opened.page.frame_locator("iframe")
    inner = next(f for f in opened.page.frames if f != opened.page.main_frame)
    opened.settle(inner)
    assert inner.evaluate("[kgView.nodes.length, kgView.edges.length]") == [4, 4]
    assert frame.locator("#types label").count() == 3
    assert inner.evaluate("window.__pwned") is None
    assert [u for u in opened.requests if not u.startswith(("about:", "data:"))] == []
    opened.close()


def _modal_graph() -> kg.KnowledgeGraph:
    text = "トランプ氏はプーチン氏と会談する予定だ。"
    ev = (Evidence(doc="m.txt", start=0, end=len(text), sentence=text),)
    docs = [Document(id="m.txt", text=text, title="予定")]
    entities = [Entity(id=f"p{i}", label=name, type="Person", aliases=(), mentions=1, docs=("m.txt",))
                for i, name in enumerate(["トランプ", "プーチン", "ゼレンスキー"])]
    relations = [Relation(subject="p0", predicate="met_with", object="p1", evidence=ev, rule="meet", symmetric=True,
                          modality="planned"),
                 Relation(subject="p0", predicate="supports", object="p2", evidence=ev, rule="support"),
                 Relation(subject="p1", predicate="met_with", object="p2", evidence=ev, rule="meet", symmetric=True,
                          modality="possible")]
    return kg.KnowledgeGraph(documents=docs, entities=entities, relations=relations)


def test_relations_not_asserted_are_dashed_filterable_and_say_their_modality(browser: object, tmp_path: Path) -> None:
    opened = Opened(browser, write_html(_modal_graph(), tmp_path / "m.html").as_uri())
    opened.settle()
    assert opened.js("kgView.edges.get().map(e => [e.id, !!e.dashes])") == [["e0", True], ["e1", False], ["e2", True]]
    listed = opened.page.locator("input[data-modality]").evaluate_all("bs => bs.map(b => b.dataset.modality)")
    assert listed == ["asserted", "planned", "possible"]
    opened.page.locator('input[data-modality="planned"]').uncheck()
    assert opened.js("kgView.edgesView.getIds()") == ["e1", "e2"]
    opened.js("void kgView.selectEdge('e2')")
    assert "modality: possible" in opened.page.locator("#details").inner_text()
    assert opened.js("kgView.labels()") == [["e2", "会談した · met with (possible)"]]
    assert opened.errors == []
    opened.close()


def test_a_page_can_open_on_the_typed_relations(browser: object, tmp_path: Path) -> None:
    path = tmp_path / "typed.html"
    path.write_text(render_html(_hostile_graph(), preset="typed"), encoding="utf-8")
    opened = Opened(browser, path.as_uri())
    opened.settle()
    assert sorted(opened.js("kgView.edgesView.get().map(e => e.predicate)")) == [  # type: ignore[arg-type]
        "holds_position_in", "member_of", "met_with"]
    assert opened.page.locator("#preset-typed").get_attribute("class") == "on"
    opened.close()


NOTEBOOK_CELL = """\
import kg
from kg.model import Document, Entity, Evidence, Relation
text = "プーチン氏とトランプ氏が会談した。"
graph = kg.KnowledgeGraph(
    documents=[Document(id="a.txt", text=text, title="会談")],
    entities=[Entity(id="p1", label="プーチン", type="Person", aliases=(), mentions=2, docs=("a.txt",)),
              Entity(id="s1", label="米国", type="State", aliases=("アメリカ",), mentions=1, docs=("a.txt",))],
    relations=[Relation(subject="p1", predicate="cooccurs_with", object="s1",
                        evidence=(Evidence(doc="a.txt", start=0, end=len(text), sentence=text),),
                        rule="cooccurrence", symmetric=True)])
kg.graph_view(graph, height=400)
"""


def test_a_notebook_cell_shows_the_view_inline(browser: object) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
    NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    html_out = next(o for o in outputs if o.output_type == "execute_result")["data"]["text/html"]
    assert html_out.startswith("<iframe srcdoc=")
    opened = Opened(browser, html=f"<!DOCTYPE html><body>{html_out}</body>")
    inner = next(f for f in opened.page.frames if f != opened.page.main_frame)
    opened.settle(inner)
    frame = opened.page.frame_locator("iframe")
    frame.locator("#search").fill("アメリカ")
    frame.locator("#search").press("Enter")
    assert inner.evaluate("kgView.network.getSelectedNodes()") == ["s1"]
    assert "米国" in frame.locator("#details").inner_text()
    assert [u for u in opened.requests if not u.startswith(("about:", "data:"))] == []
    assert opened.errors == []
    opened.close()


def test_an_empty_graph_gives_a_page_that_says_so(browser: object, tmp_path: Path) -> None:
    path = write_html(kg.KnowledgeGraph(documents=[], entities=[], relations=[]), tmp_path / "empty.html")
    opened = Opened(browser, path.as_uri())
    opened.settle()
    assert opened.page.locator("#status").inner_text() == "the graph is empty"
    assert opened.page.locator("#progress").is_hidden()
    assert opened.errors == []
    opened.close()


def test_render_html_is_deterministic_and_keeps_braces_in_text() -> None:
    graph = _hostile_graph()
    graph2 = kg.KnowledgeGraph(documents=graph.documents, relations=graph.relations,
                               entities=[*graph.entities[:3],
                                         Entity(id="o1", label="{{DATA}}", type="Organization", aliases=(),
                                                mentions=1, docs=())])
    page = render_html(graph2)
    assert page == render_html(graph2)
    assert '\\"o1\\",\\"{{DATA}}\\",\\"Organization\\"' in page
    assert "</script><script>window" not in page


def test_a_big_graph_opens_on_its_core_and_draws_a_found_entity_with_its_neighbours(
        browser: object, seed_graph: kg.KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text(render_html(seed_graph, max_nodes=40), encoding="utf-8")
    opened = Opened(browser, path.as_uri())
    opened.settle()
    ids = set(_visible_ids(opened))  # type: ignore[arg-type]
    central = sorted(seed_graph.entities, key=lambda e: (-e.centrality, -e.mentions, e.id))[:40]
    assert ids == {e.id for e in central}
    message = opened.page.locator("#leftout")
    assert message.inner_text() == (f"Drawn: the 40 most central of {len(seed_graph.entities)} entities and the "
                                    "relations among them. Search finds every entity; selecting one draws it "
                                    "with its neighbours.")
    # search covers the entities not drawn: one that is linked to a drawn one and to undrawn ones
    drawn = {e.id for e in central}
    def linked(entity: kg.Entity) -> set[str]:
        return {r.object if r.subject == entity.id else r.subject for r in seed_graph.relations_of(entity.id)}

    target = next(e for e in sorted(seed_graph.entities, key=lambda e: e.id)
                  if e.id not in drawn and linked(e) & drawn and linked(e) - drawn)
    search = opened.page.locator("#search")
    search.fill(target.label)
    first = opened.page.locator("#results li").first
    assert first.get_attribute("data-id") == target.id and "not drawn yet" in first.inner_text()
    search.press("Enter")
    neighbours = {r.object if r.subject == target.id else r.subject for r in seed_graph.relations_of(target.id)}
    now = set(_visible_ids(opened))  # type: ignore[arg-type]
    assert target.id in now and now - drawn - {target.id} <= neighbours  # it, and neighbours of it
    assert len(now & neighbours) == len(neighbours & drawn) + min(30, len(neighbours - drawn))
    shown_edges = set(opened.js("kgView.edges.getIds()"))  # type: ignore[arg-type]
    index = {id(r): f"e{i}" for i, r in enumerate(seed_graph.relations)}
    expected = {index[id(r)] for r in seed_graph.relations if r.subject in now and r.object in now}
    assert shown_edges == expected  # every relation among what is drawn, none to what is not
    assert opened.js("kgView.network.getSelectedNodes()") == [target.id]
    assert f"and {len(now) - 40} drawn on demand" in message.inner_text()
    assert "not drawn yet" not in opened.page.locator("#results li").first.inner_text()
    assert opened.errors == []
    opened.close()


# --- time and events -----------------------------------------------------------------------------------

def _dated(relation: object, first: str, last: str) -> bool:
    from kg.timex import interval

    spans = [interval(e.date) for e in relation.evidence if e.date]  # type: ignore[attr-defined]
    return any(s is not None and s[0].isoformat() <= last and first <= s[1].isoformat() for s in spans)


def test_the_time_range_hides_edges_and_events_outside_it(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    page = seed_page.page
    assert page.locator("#time-box").is_visible() and page.locator("#events-box").is_visible()
    assert seed_page.js("kgView.shownEvents.length") == len(seed_graph.events)
    # a reader drags the sliders: from the first step to the last shows everything
    page.locator("#time-from").fill("0")
    assert seed_page.js("kgView.edgesView.length") == len(seed_graph.relations)
    assert seed_page.js("kgView.timeRange('2025-08-01', '2025-08-31')") == ["2025-08-01", "2025-08-31"]
    august = [r for r in seed_graph.relations if _dated(r, "2025-08-01", "2025-08-31")]
    assert 0 < len(august) < len(seed_graph.relations)
    shown = set(seed_page.js("kgView.edgesView.getIds()"))  # type: ignore[arg-type]
    assert shown == {f"e{i}" for i, r in enumerate(seed_graph.relations) if _dated(r, "2025-08-01", "2025-08-31")}
    first = next(e for e in seed_graph.events if e.date == "2025-08-15" and e.kind == "summit")
    assert seed_page.js("kgView.shownEvents") == [first.id]  # the Alaska summit, and nothing undated
    assert "1 of" in page.locator("#events-count").inner_text()
    assert "2025-08-15" in page.locator("#events").inner_text() and "アンカレッジ" in page.locator("#events").inner_text()
    page.locator("#time-undated").check()  # undated edges and events come back
    undated = [e.id for e in seed_graph.events if not e.date]
    assert set(seed_page.js("kgView.shownEvents")) == {first.id, *undated}  # type: ignore[arg-type]
    assert seed_page.js("kgView.edgesView.length") == len(august) + sum(
        1 for r in seed_graph.relations if not any(e.date for e in r.evidence))
    page.locator("#time-all").click()
    assert seed_page.js("kgView.edgesView.length") == len(seed_graph.relations)
    assert seed_page.js("kgView.shownEvents.length") == len(seed_graph.events)


def test_an_event_opens_with_its_participants_and_sentences(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    first = next(e for e in seed_graph.events if e.date == "2025-08-15" and e.kind == "summit")
    seed_page.js("kgView.timeRange('2025-08-01', '2025-08-31')")
    seed_page.page.locator(f'#events li[data-event="{first.id}"]').click()
    details = seed_page.page.locator("#details").inner_text()
    assert "首脳会談" in details and "held" in details and "2025-08-15 (8月15日)" in details
    assert "米国アラスカ州のアンカレッジ" in details and "8月15日に米国アラスカ州のアンカレッジで持たれた" in details
    labels = {e.label for e in seed_graph.entities if e.id in first.participants}
    assert all(label in details for label in labels)
    dimmed = set(seed_page.js("kgView.nodes.get({filter: n => String(n.color).startsWith('rgba')}).map(n => n.id)"))  # type: ignore[arg-type]
    assert not dimmed & set(first.participants) and len(dimmed) == len(seed_graph.entities) - len(first.participants)
    seed_page.js("kgView.timeRange('2025-10-01', null)")  # the event leaves the range: its card closes
    assert "outside the time range" in seed_page.page.locator("#details").inner_text()


def test_a_selected_entity_lists_its_events_in_the_time_range(seed_page: Opened, seed_graph: kg.KnowledgeGraph) -> None:
    putin = seed_graph.find("プーチン")
    assert putin is not None
    seed_page.js(f"kgView.select({putin.id!r})")
    everything = seed_page.page.locator("#details").inner_text().lower()  # headings are set in capitals
    took = [e for e in seed_graph.events if putin.id in e.participants]
    assert f"events ({len(took)})" in everything
    seed_page.js("kgView.timeRange('2025-08-01', '2025-08-31')")
    august = seed_page.page.locator("#details").inner_text().lower()
    assert "events (1 in the time range)" in august and "2025-08-15" in august
    seed_page.page.locator('#details li.ev').first.click()
    assert "date: 2025-08-15 (8月15日)" in seed_page.page.locator("#details").inner_text()
