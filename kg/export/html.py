"""The interactive view: pyvis builds the network, our template makes it offline.

pyvis 0.3.2 (unmaintained) is good at one thing: turning nodes, edges and vis.js
options into the data vis-network reads. Its own templates are where the traps
are: ``cdn_resources="local"`` still loads vis-network from a CDN, every mode
fetches Bootstrap from a CDN, ``write_html`` writes without an encoding, its
select menu mangles non-Latin labels and its filter menu can hide every node.
So we keep pyvis for the data and render one self-contained page of our own:
vis-network is inlined from the copy pyvis ships, the search box, filters,
legend and tooltips are plain DOM code in ``templates/graph.html``, and the file
is written as UTF-8. The page makes no request at all, so it opens from
``file://`` with the network cut, and inside a notebook (:func:`graph_view`).

Article text (labels, evidence sentences, titles) travels as JSON data and is
put on screen with ``textContent`` only, never as HTML: a corpus line holding
``<script>`` shows as text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pyvis.network import Network

from kg.cache import write_atomic
from kg.graph import KnowledgeGraph
from kg.model import Entity, Relation

#: Node colour and vis.js shape of each entity type (the legend shows both).
TYPE_COLORS = {"Person": "#e15759", "State": "#4e79a7", "Organization": "#59a14f"}
TYPE_SHAPES = {"Person": "dot", "State": "diamond", "Organization": "square"}
#: Colour and shape of a type we have no entry for (new types still get a legend row).
OTHER_TYPE = ("#9d9d9d", "triangle")

#: Co-occurrence is the weakest kind of edge: drawn light grey, under the typed ones.
COOCCURS = "cooccurs_with"
COOCCURS_COLOR = "#c4c4c4"
#: Colours handed to the other predicates in order of frequency (Tableau 10, minus node colours).
PREDICATE_PALETTE = ("#f28e2b", "#76b7b2", "#b07aa1", "#edc948", "#ff9da7", "#9c755f",
                     "#17becf", "#bcbd22", "#8c564b", "#e377c2", "#7f7f7f", "#1f77b4")

#: Evidence sentences carried per edge into the page (the rest are counted, not shown).
MAX_EVIDENCE = 5
#: Characters of one evidence sentence shown before it is cut with an ellipsis.
MAX_SENTENCE = 240
#: Characters of a document title shown in tooltips (article titles run long).
MAX_TITLE = 40
#: Above this many nodes curved edges slow every frame and 600 iterations take too long:
#: the page switches to straight edges, fewer iterations, edges hidden while dragging.
BIG_GRAPH_NODES = 400
#: The most entities the page draws; a larger graph is cut to its most central ones, with a message.
MAX_VIEW_NODES = 2000
#: vis.js's improvedLayout (a Kamada-Kawai pre-pass) gives up, and says so in the console, on
#: sparse graphs of a few hundred nodes, and is slow on big ones; below this size it helps.
IMPROVED_LAYOUT_NODES = 150
#: Physics iterations before the layout is frozen (small graphs / big graphs).
STABILIZATION_ITERATIONS = (600, 250)

_WIKIDATA_ID = re.compile(r"(?:^|/)(Q[1-9][0-9]*)$")


@dataclass(frozen=True)
class GraphView:
    """The view inline in a notebook: an ``<iframe srcdoc>`` holding the whole page.

    Jupyter calls :meth:`_repr_html_`; nothing is fetched, because the page
    carries vis-network and the data with it. The iframe is sandboxed to scripts
    (and popups, for the Wikidata links).
    """

    page: str
    height: int = 640

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:1px solid #ddd" '
                'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page itself (UTF-8, atomically)."""
        write_atomic(Path(path), self.page.encode("utf-8"))
        return Path(path)


def graph_view(graph: KnowledgeGraph, *, height: int = 640, title: str = "kg") -> GraphView:
    """The interactive view for a notebook cell: ``graph_view(graph)`` as the cell's last line."""
    return GraphView(render_html(graph, title=title), height=height)


def build_network(graph: KnowledgeGraph) -> Network:
    """A pyvis Network of the graph: one node per entity, one edge per relation.

    Nodes and edges carry their data (type, aliases, evidence…) as extra fields
    for the page's own tooltips; there is no ``title``, so vis.js never renders
    article text itself. pyvis drops ``color`` when a node has a ``group``, so
    the type goes in a field of our own.
    """
    net = Network(directed=True, cdn_resources="in_line")
    for entity in graph.entities:
        color, shape = _type_style(entity.type)
        net.add_node(entity.id, label=entity.label or entity.id, shape=shape, color=color,
                     value=_node_size(entity), type=entity.type, aliases=list(entity.aliases),
                     mentions=entity.mentions, docs=list(entity.docs),
                     wikidata=_wikidata_url(entity.wikidata))
    colors = predicate_colors(graph)
    parallel: dict[frozenset[str], int] = {}
    for index, rel in enumerate(graph.relations):
        pair = frozenset((rel.subject, rel.object))
        nth = parallel[pair] = parallel.get(pair, -1) + 1
        net.add_edge(rel.subject, rel.object, **_edge_fields(rel, index, nth, colors[rel.predicate]))
    return net


def _edge_fields(rel: Relation, index: int, nth: int, color: str) -> dict[str, Any]:
    """One edge's vis.js fields and data; the n-th edge between a pair bends away from the others."""
    fields: dict[str, Any] = {
        "id": f"e{index}", "predicate": rel.predicate, "count": len(rel.evidence),
        "score": round(rel.score, 3), "value": len(rel.evidence), "symmetric": rel.symmetric,
        "color": color, "arrows": "" if rel.symmetric else "to",
        "evidence": [[ev.doc, _cut(ev.sentence)] for ev in rel.evidence[:MAX_EVIDENCE]],
    }
    if rel.position:
        fields["position"] = rel.position
    if rel.modality != "asserted":
        fields["modality"] = rel.modality
    if nth:
        fields["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW",
                            "roundness": 0.15 * ((nth + 1) // 2)}
    return fields


def predicate_colors(graph: KnowledgeGraph) -> dict[str, str]:
    """A colour per predicate present, most frequent first; co-occurrence is always grey."""
    colors = {COOCCURS: COOCCURS_COLOR}
    others = [p for p, _ in sorted(graph.predicate_counts().items(), key=lambda pc: (-pc[1], pc[0]))
              if p != COOCCURS]
    for i, predicate in enumerate(others):
        colors[predicate] = PREDICATE_PALETTE[i % len(PREDICATE_PALETTE)]
    return colors


def view_options(graph: KnowledgeGraph) -> dict[str, Any]:
    """vis.js options: pyvis's forceAtlas2Based physics, tuned, then frozen once stable.

    Small graphs get curved edges and vis.js's improved initial layout; big ones
    (more than :data:`BIG_GRAPH_NODES` nodes) straight edges, no improvedLayout
    and fewer iterations, which keeps 2,000 nodes and 10,000 edges to seconds.
    """
    big = len(graph.entities) > BIG_GRAPH_NODES
    net = Network(directed=True)
    net.force_atlas_2based(gravity=-100, central_gravity=0.02, spring_length=150,
                           spring_strength=0.05, damping=0.5, overlap=0.8)
    options = json.loads(net.options.to_json())
    options["physics"]["stabilization"].update(
        iterations=STABILIZATION_ITERATIONS[big], updateInterval=10, fit=True)
    options["physics"]["minVelocity"] = 1.0
    options["edges"] = {
        "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.3},
        "color": {"inherit": False, "opacity": 0.75},
        "arrows": {"to": {"scaleFactor": 0.5}},
        "scaling": {"min": 1, "max": 6},
        "selectionWidth": 2,
    }
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"face": "'Noto Sans CJK JP', 'Noto Sans JP', sans-serif", "size": 14,
                 "strokeWidth": 4, "strokeColor": "#ffffff"},
        # Labels grow with the node; small ones vanish when zoomed out, so the
        # overview shows the main actors' names instead of a heap of text (bigger
        # labels read better there but collide in the dense core); maxVisible caps
        # them on screen once zoomed in.
        "scaling": {"min": 6, "max": 34,
                    "label": {"enabled": True, "min": 13, "max": 28, "drawThreshold": 8,
                              "maxVisible": 24}},
    }
    options["layout"] = {"improvedLayout": len(graph.entities) <= IMPROVED_LAYOUT_NODES, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                              "hideEdgesOnZoom": big, "multiselect": False}
    return options


def view_meta(graph: KnowledgeGraph) -> dict[str, Any]:
    """Everything the controls are built from: types, predicates, document titles, counts."""
    types = graph.type_counts()
    order = [t for t in TYPE_COLORS if t in types] + sorted(t for t in types if t not in TYPE_COLORS)
    colors = predicate_colors(graph)
    predicates = sorted(graph.predicate_counts().items(), key=lambda pc: (pc[0] != COOCCURS, -pc[1], pc[0]))
    return {
        "types": [{"name": t, "count": types[t], "color": _type_style(t)[0], "shape": _type_style(t)[1]}
                  for t in order],
        "predicates": [{"name": p, "count": n, "color": colors[p]} for p, n in predicates],
        "docs": {d.id: _cut(d.title or d.id, limit=MAX_TITLE) for d in graph.documents},
        "cooccursColor": COOCCURS_COLOR,
        "maxCount": max((len(r.evidence) for r in graph.relations), default=1),
        "sizeBy": "centrality" if any(_centrality(e) is not None for e in graph.entities) else "mentions",
    }


def drawable(graph: KnowledgeGraph, *, max_nodes: int = MAX_VIEW_NODES) -> tuple[KnowledgeGraph, int]:
    """The graph cut to its ``max_nodes`` most central entities and the edges between them.

    A browser cannot lay out every node of a large corpus; the page then shows
    the core and says how many entities it leaves out (search and SPARQL still
    reach them in the other outputs). Returns the graph and that count.
    """
    if len(graph.entities) <= max_nodes:
        return graph, 0
    ranked = sorted(graph.entities, key=lambda e: (-(_centrality(e) or 0.0), -e.mentions, e.id))
    keep = {e.id for e in ranked[:max_nodes]}
    cut = KnowledgeGraph(documents=graph.documents,
                         entities=tuple(e for e in graph.entities if e.id in keep),
                         relations=tuple(r for r in graph.relations if r.subject in keep and r.object in keep))
    return cut, len(graph.entities) - max_nodes


def render_html(graph: KnowledgeGraph, *, title: str = "kg", max_nodes: int = MAX_VIEW_NODES) -> str:
    """The whole self-contained page as a string (at most ``max_nodes`` entities drawn)."""
    graph, left_out = drawable(graph, max_nodes=max_nodes)
    net = build_network(graph)
    nodes, edges, _, _, _, _ = net.get_network_data()
    vis_dir = resources.files("pyvis").joinpath("lib", "vis-9.1.2")
    template = resources.files("kg").joinpath("export", "templates", "graph.html").read_text("utf-8")
    values = {
        "TITLE": html.escape(title),
        "VIS_CSS": vis_dir.joinpath("vis-network.css").read_text("utf-8"),
        "VIS_JS": vis_dir.joinpath("vis-network.min.js").read_text("utf-8"),
        "NODES": _script_json(nodes),
        "EDGES": _script_json(edges),
        "OPTIONS": _script_json(view_options(graph)),
        "META": _script_json({**view_meta(graph), "leftOut": left_out}),
    }
    # One pass: a value (article text included) is never scanned for further {{…}}.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], template)


def write_html(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write the page as UTF-8, atomically."""
    write_atomic(Path(path), render_html(graph).encode("utf-8"))
    return Path(path)


def _script_json(value: object) -> str:
    """Data for a <script>: ``JSON.parse("…")``, where no ``</script>`` or ``<!--`` can close it.

    Parsed as JSON, not as a JavaScript object literal: in a literal the key
    ``"__proto__"`` (a document id like any other) would set the object's
    prototype instead of making a property, and the document show as
    "[object Object]".
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    literal = json.dumps(text, ensure_ascii=False)
    literal = (literal.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
               .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return f"JSON.parse({literal})"


def _type_style(kind: str) -> tuple[str, str]:
    return TYPE_COLORS.get(kind, OTHER_TYPE[0]), TYPE_SHAPES.get(kind, OTHER_TYPE[1])


def _centrality(entity: Entity) -> float | None:
    """An entity's centrality, if a later stage adds one; the view then sizes nodes by it."""
    value = getattr(entity, "centrality", None)
    return float(value) if isinstance(value, (int, float)) else None


def _node_size(entity: Entity) -> float:
    centrality = _centrality(entity)
    return entity.mentions if centrality is None else centrality


def _wikidata_url(value: str | None) -> str | None:
    """``Q42`` or a Wikidata entity IRI as a https link; anything else is dropped (no javascript: links)."""
    match = _WIKIDATA_ID.search((value or "").strip())
    return f"https://www.wikidata.org/wiki/{match.group(1)}" if match else None


def _cut(text: str, *, limit: int = MAX_SENTENCE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
