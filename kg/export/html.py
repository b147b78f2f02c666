"""The interactive view: one self-contained page, vis-network inlined, our own controls.

pyvis 0.3.2 (unmaintained) gives us two things: the copy of vis-network it
ships, which is inlined into the page, and its forceAtlas2 physics options.
Its templates are where the traps are: ``cdn_resources="local"`` still loads
vis-network from a CDN, every mode fetches Bootstrap from a CDN,
``write_html`` writes without an encoding, its select menu mangles non-Latin
labels and its filter menu can hide every node. So the page is ours
(``templates/graph.html``): the search box, filters, presets, legend and
tooltips are plain DOM code, and the file is written as UTF-8. It makes no
request at all, so it opens from ``file://`` with the network cut, and
inside a notebook (:func:`graph_view`).

The page carries every entity and every relation, compactly (rows of fields,
evidence sentences stored once and referred to by number), but draws at
first only the :data:`MAX_VIEW_NODES` most central entities: a browser cannot
lay out the thousands of a large corpus. Search covers every entity, and
selecting one that is not drawn draws it with its neighbours.

Article text (labels, evidence sentences, titles) travels as JSON data and is
put on screen with ``textContent`` only, never as HTML: a corpus line holding
``<script>`` shows as text.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kg.eventkinds import default_vocabulary
from kg.files import atomic_writer, write_atomic
from kg.graph import KnowledgeGraph
from kg.model import Entity, Relation
from kg.predicates import COOCCURS, predicate_table
from kg.timex import day_span, interval

#: Node colour and vis.js shape of each entity type (the legend shows both).
TYPE_COLORS = {"Person": "#e15759", "State": "#4e79a7", "Organization": "#59a14f"}
TYPE_SHAPES = {"Person": "dot", "State": "diamond", "Organization": "square"}
#: Colour and shape of a type we have no entry for (new types still get a legend row).
OTHER_TYPE = ("#9d9d9d", "triangle")

#: Co-occurrence is the weakest kind of edge: drawn thin and light grey, under the typed ones.
#: A relation stated as fact; any other modality (planned, possible, reported…) is drawn dashed.
ASSERTED = "asserted"
#: Colours for a predicate the table does not know (a graph read from an older build).
OTHER_PREDICATE_COLORS = ("#8c564b", "#e377c2", "#7f7f7f", "#ff9da7", "#aec7e8", "#98df8a")

#: Evidence sentences carried per relation (the rest are counted, not shown).
MAX_EVIDENCE = 5
#: Characters of one evidence sentence shown before it is cut with an ellipsis.
MAX_SENTENCE = 240
#: Characters of a document title shown in tooltips (article titles run long).
MAX_TITLE = 40
#: Above this many drawn nodes curved edges slow every frame and 600 iterations take too long:
#: the page switches to straight edges, fewer iterations, edges hidden while dragging.
BIG_GRAPH_NODES = 300
#: The most entities drawn when the page opens: a larger graph opens with its most central
#: ones and says so; search still finds every entity and draws it on demand.
MAX_VIEW_NODES = 400
#: vis.js's improvedLayout (a Kamada-Kawai pre-pass) gives up, and says so in the console, on
#: sparse graphs of a few hundred nodes, and is slow on big ones; below this size it helps.
IMPROVED_LAYOUT_NODES = 150
#: Physics iterations before the layout is frozen (small graphs / big graphs).
STABILIZATION_ITERATIONS = (600, 250)
#: The presets the page offers; "typed" shows typed relations only and hides lone nodes.
PRESETS = ("all", "typed")

#: Field order of the rows the page carries (the page reads these names from META).
ENTITY_FIELDS = ("id", "label", "type", "aliases", "mentions", "docs", "size", "wikidata", "drawn")
RELATION_FIELDS = ("from", "to", "predicate", "count", "score", "symmetric", "modality", "position",
                   "evidence", "when", "events")
EVENT_FIELDS = ("id", "kind", "label", "first", "last", "dateText", "place", "modality", "participants", "evidence",
                "relations")

_WIKIDATA_ID = re.compile(r"(?:^|/)(Q[1-9][0-9]*)$")


@dataclass(frozen=True)
class GraphView:
    """The view inline in a notebook: an ``<iframe srcdoc>`` holding the whole page.

    Jupyter calls :meth:`_repr_html_`; nothing is fetched, because the page
    carries vis-network and the data with it. The iframe is sandboxed to scripts
    (and popups, for the Wikidata links). Its text form is one line, so a
    notebook's text output (and the stored notebook) does not hold the page twice.
    """

    page: str
    height: int = 640
    entities: int = 0
    relations: int = 0

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')

    def __repr__(self) -> str:
        size = len(self.page.encode("utf-8")) / 1e6
        return (f"<kg graph view: {self.entities} entities, {self.relations} relations; "
                f"a {size:.1f} MB page (shown as HTML; .save(path) writes it)>")

    def save(self, path: str | Path) -> Path:
        """Write the page itself (UTF-8, atomically)."""
        write_atomic(Path(path), self.page.encode("utf-8"))
        return Path(path)


def graph_view(graph: KnowledgeGraph, *, height: int = 640, title: str = "kg", preset: str = "all",
               max_nodes: int = MAX_VIEW_NODES) -> GraphView:
    """The interactive view for a notebook cell: ``graph_view(graph)`` as the cell's last line.

    ``preset="typed"`` opens on the typed relations only (no co-occurrence, no lone nodes).
    """
    page = render_html(graph, title=title, preset=preset, max_nodes=max_nodes)
    return GraphView(page, height=height, entities=len(graph.entities), relations=len(graph.relations))


# ---------------------------------------------------------------------------------------- legend


def predicate_legend(predicates: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Japanese and English label, colour and symmetry of each predicate: all the legend knows.

    The one place the view reads predicate facts from: the predicate table
    (:mod:`kg.predicates`). A predicate it does not know still gets a row, a
    colour and its name as label.
    """
    table = predicate_table()
    legend: dict[str, dict[str, Any]] = {}
    others = 0
    for name in predicates:
        row = table.get(name)
        if row is not None:
            legend[name] = {"ja": row.label_ja, "en": row.label_en, "color": row.color, "symmetric": row.symmetric}
            continue
        color, others = OTHER_PREDICATE_COLORS[others % len(OTHER_PREDICATE_COLORS)], others + 1
        legend[name] = {"ja": name, "en": name.replace("_", " "), "color": color, "symmetric": False}
    return legend


# ---------------------------------------------------------------------------------------- data


def view_meta(graph: KnowledgeGraph, *, drawn: set[str] | None = None) -> dict[str, Any]:
    """Everything the controls are built from: types, predicates, modalities, document titles, counts.

    Predicates are listed typed first (most frequent first), co-occurrence last:
    the typed relations are what the graph says.
    """
    types = graph.type_counts()
    order = [t for t in TYPE_COLORS if t in types] + sorted(t for t in types if t not in TYPE_COLORS)
    counts = graph.predicate_counts()
    predicates = sorted(counts, key=lambda p: (p == COOCCURS, -counts[p], p))
    legend = predicate_legend(predicates)
    modalities = Counter(r.modality for r in graph.relations)
    typed_max = max((len(r.evidence) for r in graph.relations if r.predicate != COOCCURS), default=1)
    co_max = max((len(r.evidence) for r in graph.relations if r.predicate == COOCCURS), default=1)
    return {
        "types": [{"name": t, "count": types[t], "color": _type_style(t)[0], "shape": _type_style(t)[1]}
                  for t in order],
        "predicates": [{"name": p, "count": counts[p], "typed": p != COOCCURS, **legend[p]} for p in predicates],
        "modalities": [{"name": m, "count": n}
                       for m, n in sorted(modalities.items(), key=lambda mn: (mn[0] != ASSERTED, -mn[1], mn[0]))],
        "docs": [_cut(d.title or d.id, limit=MAX_TITLE) for d in graph.documents],
        "maxCount": {"typed": typed_max, "cooccurs": co_max},
        "sizeBy": "centrality" if any(_centrality(e) is not None for e in graph.entities) else "mentions",
        "entities": len(graph.entities),
        "relations": len(graph.relations),
        "drawn": len(graph.entities) if drawn is None else len(drawn),
        "entityFields": list(ENTITY_FIELDS),
        "relationFields": list(RELATION_FIELDS),
        "eventFields": list(EVENT_FIELDS),
        "eventKinds": event_legend(graph),
        "timeRange": time_range(graph),
    }


def event_legend(graph: KnowledgeGraph) -> list[dict[str, Any]]:
    """Label, colour and count of each event kind the graph holds, in the vocabulary's order."""
    counts = Counter(e.kind for e in graph.events)
    kinds = default_vocabulary().kinds
    return [{"name": k.name, "ja": k.label_ja, "en": k.label_en, "color": k.color, "count": counts[k.name]}
            for k in kinds.values() if counts[k.name]] + \
        [{"name": k, "ja": k, "en": k, "color": OTHER_TYPE[0], "count": n} for k, n in sorted(counts.items())
         if k not in kinds]


def time_range(graph: KnowledgeGraph) -> dict[str, str] | None:
    """The first and last day any evidence sentence or event is about, or None when nothing is dated."""
    days = [d for r in graph.relations for span in _spans(e.date for e in r.evidence) for d in span]
    days += [d for e in graph.events for d in day_span(e.date) if d]
    return {"min": min(days), "max": max(days)} if days else None


def _spans(values: Iterable[str]) -> list[tuple[str, str]]:
    """Distinct (first day, last day) of some ISO date values, in order; undated ones left out."""
    out: dict[tuple[str, str], None] = {}
    for value in values:
        span = interval(value) if value else None
        if span is not None:
            out[(span[0].isoformat(), span[1].isoformat())] = None
    return list(out)


def initial_entities(graph: KnowledgeGraph, *, max_nodes: int = MAX_VIEW_NODES) -> set[str]:
    """The ids drawn when the page opens: every entity, or the ``max_nodes`` most central ones.

    Centrality first (the entities most linked), then mentions, then id, so
    the same graph always opens on the same entities.
    """
    if len(graph.entities) <= max_nodes:
        return {e.id for e in graph.entities}
    ranked = sorted(graph.entities, key=lambda e: (-(_centrality(e) or 0.0), -e.mentions, e.id))
    return {e.id for e in ranked[:max_nodes]}


def view_data(graph: KnowledgeGraph, *, drawn: set[str]) -> dict[str, Any]:
    """The rows the page carries: entities, relations and the evidence sentences they share.

    A sentence naming several entities supports every pair of them, so it is
    stored once and relations refer to it by number; documents are numbers too.
    """
    return {key: list(rows) for key, rows in view_rows(graph, drawn=drawn)}


def view_rows(graph: KnowledgeGraph, *, drawn: set[str]) -> Iterator[tuple[str, Iterator[list[Any]]]]:
    """:func:`view_data` made as it is read: each key (in sorted order) with its rows.

    The page of all of Wikinews carries 100,000 rows; made all at once, they
    and their JSON text held 45 MB on top of the graph while the page was
    written. Take each key's rows before the next key: the sentences are
    numbered as the events and relations come to them, so they come last.
    """
    doc_index = {d.id: i for i, d in enumerate(graph.documents)}
    sentences: list[list[Any]] = []
    sentence_index: dict[tuple[str, int, int], int] = {}

    def sentence(ev: Any) -> int:
        key = (ev.doc, ev.start, ev.end)
        if key not in sentence_index:
            sentence_index[key] = len(sentences)
            sentences.append([doc_index.get(ev.doc, ev.doc), _cut(ev.sentence), ev.date_text or ""])
        return sentence_index[key]

    def entities() -> Iterator[list[Any]]:
        for e in graph.entities:
            yield [e.id, e.label or e.id, e.type, list(e.aliases), e.mentions, [doc_index.get(d, d) for d in e.docs],
                   _node_size(e), _wikidata_url(e.wikidata), 1 if e.id in drawn else 0]

    def events() -> Iterator[list[Any]]:
        relation_index = {(r.subject, r.predicate, r.object): n for n, r in enumerate(graph.relations)}
        for e in graph.events:
            yield [e.id, e.kind, e.label, *day_span(e.date), e.date_text, e.place, e.modality,
                   list(e.participants), [sentence(ev) for ev in e.evidence[:MAX_EVIDENCE]],
                   [relation_index[k] for k in e.relations if k in relation_index]]

    def relations() -> Iterator[list[Any]]:
        event_index = {e.id: n for n, e in enumerate(graph.events)}
        for rel in graph.relations:
            yield [rel.subject, rel.object, rel.predicate, len(rel.evidence), _score(rel),
                   1 if rel.symmetric else 0, rel.modality, rel.position,
                   [sentence(ev) for ev in rel.evidence[:MAX_EVIDENCE]],
                   [list(span) for span in _spans(e.date for e in rel.evidence)],
                   [event_index[i] for i in rel.events if i in event_index]]

    yield "entities", entities()
    yield "events", events()
    yield "relations", relations()
    yield "sentences", iter(sentences)


def view_options(graph: KnowledgeGraph, *, drawn: int | None = None) -> dict[str, Any]:
    """vis.js options: pyvis's forceAtlas2Based physics, tuned, then frozen once stable.

    Small graphs get curved edges and vis.js's improved initial layout; big ones
    (more than :data:`BIG_GRAPH_NODES` drawn nodes) straight edges, no
    improvedLayout and fewer iterations. Edge widths and colours are set per
    edge by the page (typed relations wide and coloured, co-occurrence thin).
    """
    from pyvis.network import Network

    n = len(graph.entities) if drawn is None else drawn
    big = n > BIG_GRAPH_NODES
    net = Network(directed=True)
    net.force_atlas_2based(gravity=-100, central_gravity=0.02, spring_length=150,
                           spring_strength=0.05, damping=0.5, overlap=0.8)
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"].update(
        iterations=STABILIZATION_ITERATIONS[big], updateInterval=10, fit=True)
    options["physics"]["minVelocity"] = 1.0
    font = "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif"
    options["edges"] = {
        "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.3},
        "arrows": {"to": {"scaleFactor": 0.5}},
        "selectionWidth": 1.5,
        "hoverWidth": 1.0,
        # Shown on hovered and selected edges only (the page sets and clears the label).
        "font": {"face": font, "size": 13, "color": "#222222", "strokeWidth": 4, "strokeColor": "#ffffff",
                 "align": "horizontal"},
    }
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"face": font, "size": 14, "strokeWidth": 4, "strokeColor": "#ffffff"},
        # Labels grow with the node; small ones vanish when zoomed out, so the
        # overview shows the main actors' names instead of a heap of text (bigger
        # labels read better there but collide in the dense core); maxVisible caps
        # them on screen once zoomed in.
        "scaling": {"min": 6, "max": 34,
                    "label": {"enabled": True, "min": 13, "max": 28, "drawThreshold": 8,
                              "maxVisible": 24}},
    }
    options["layout"] = {"improvedLayout": n <= IMPROVED_LAYOUT_NODES, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                              "hideEdgesOnZoom": big, "multiselect": False}
    return options


def render_html(graph: KnowledgeGraph, *, title: str = "kg", max_nodes: int = MAX_VIEW_NODES,
                preset: str = "all") -> str:
    """The whole self-contained page as a string (at first at most ``max_nodes`` entities drawn)."""
    return "".join(page_pieces(graph, title=title, max_nodes=max_nodes, preset=preset))


def page_pieces(graph: KnowledgeGraph, *, title: str = "kg", max_nodes: int = MAX_VIEW_NODES,
                preset: str = "all") -> Iterator[str]:
    """The page of :func:`render_html` in pieces: the template's text and each value, the data in runs."""
    if preset not in PRESETS:
        raise ValueError(f"preset {preset!r}: use one of {', '.join(PRESETS)}")
    drawn = initial_entities(graph, max_nodes=max_nodes)
    vis_dir = resources.files("pyvis").joinpath("lib", "vis-9.1.2")
    template = resources.files("kg").joinpath("export", "templates", "graph.html").read_text("utf-8")
    values = {
        "TITLE": lambda: [html.escape(title)],
        "VIS_CSS": lambda: [vis_dir.joinpath("vis-network.css").read_text("utf-8")],
        "VIS_JS": lambda: [vis_dir.joinpath("vis-network.min.js").read_text("utf-8")],
        "DATA": lambda: _script_rows_pieces(view_rows(graph, drawn=drawn)),
        "OPTIONS": lambda: [_script_json(view_options(graph, drawn=len(drawn)))],
        "META": lambda: [_script_json({**view_meta(graph, drawn=drawn), "preset": preset})],
    }
    # One pass: a value (article text included) is never scanned for further {{…}}.
    parts = _PLACEHOLDER.split(template)  # text, name, text, name, …, text
    for n, part in enumerate(parts):
        yield from values[part]() if n % 2 else [part]


def write_html(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write the page as UTF-8, atomically, piece by piece: never one string (10 MB for all of Wikinews)."""
    with atomic_writer(Path(path)) as fh:
        for piece in page_pieces(graph):
            fh.write(piece.encode("utf-8"))
    return Path(path)


_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
#: Rows of the view's data made into JSON text at a time.
_ROWS = 2000


def _script_json(value: object) -> str:
    """Data for a <script>: ``JSON.parse("…")``, where no ``</script>`` or ``<!--`` can close it.

    Parsed as JSON, not as a JavaScript object literal: in a literal the key
    ``"__proto__"`` (a document id like any other) would set the object's
    prototype instead of making a property, and the document show as
    "[object Object]".
    """
    return 'JSON.parse("' + _escaped(_compact_json(value)) + '")'


def _script_rows_pieces(keyed_rows: Iterable[tuple[str, Iterable[list[Any]]]]) -> Iterator[str]:
    """:func:`_script_json` of ``{key: [row, …], …}`` made from rows as they come, :data:`_ROWS` at a time.

    The same text as ``_script_json(dict)`` of those lists, but never all of
    it (nor all the rows) at once.
    """
    yield 'JSON.parse("{'
    for n, (key, rows) in enumerate(keyed_rows):
        yield _escaped(("," if n else "") + _compact_json(key) + ":[")
        for m, run in enumerate(_runs(rows, _ROWS)):
            yield _escaped(("," if m else "") + _compact_json(run)[1:-1])
        yield "]"
    yield '}")'


def _runs(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    run: list[list[Any]] = []
    for row in rows:
        run.append(row)
        if len(run) == size:
            yield run
            run = []
    if run:
        yield run


def _compact_json(value: object) -> str:
    """JSON text as the page carries it: no spaces, keys sorted, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _escaped(text: str) -> str:
    """``text`` as the inside of a JavaScript string literal that no HTML parser ends early."""
    literal = json.dumps(text, ensure_ascii=False)[1:-1]
    return (literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _type_style(kind: str) -> tuple[str, str]:
    return TYPE_COLORS.get(kind, OTHER_TYPE[0]), TYPE_SHAPES.get(kind, OTHER_TYPE[1])


def _centrality(entity: Entity) -> float | None:
    """An entity's centrality, if a later stage adds one; the view then sizes nodes by it."""
    value = getattr(entity, "centrality", None)
    return float(value) if isinstance(value, (int, float)) else None


def _node_size(entity: Entity) -> float:
    centrality = _centrality(entity)
    return entity.mentions if centrality is None else round(centrality, 6)


def _score(rel: Relation) -> float:
    return round(rel.score, 3) if math.isfinite(rel.score) else 0.0


def _wikidata_url(value: str | None) -> str | None:
    """``Q42`` or a Wikidata entity IRI as a https link; anything else is dropped (no javascript: links)."""
    match = _WIKIDATA_ID.search((value or "").strip())
    return f"https://www.wikidata.org/wiki/{match.group(1)}" if match else None


def _cut(text: str, *, limit: int = MAX_SENTENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
