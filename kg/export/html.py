"""The interactive view: pyvis builds the network, our template makes it offline.

pyvis 0.3.2's own templates load Bootstrap (and in some modes vis-network)
from a CDN and write files without an encoding. We use pyvis for what it is
good at (nodes, edges, vis.js options) and render them into our own template
that inlines vis-network from the copy pyvis ships, so the page renders from
``file://`` with the network cut.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

from pyvis.network import Network

from kg.cache import write_atomic
from kg.graph import KnowledgeGraph

#: Node colour of each entity type (also used by the legend).
TYPE_COLORS = {"Person": "#e15759", "State": "#4e79a7", "Organization": "#59a14f"}
TYPE_SHAPES = {"Person": "dot", "State": "diamond", "Organization": "square"}


def build_network(graph: KnowledgeGraph) -> Network:
    """A pyvis Network of the graph; labels and tooltips are plain text (vis.js escapes them)."""
    net = Network(directed=True, cdn_resources="in_line")
    for entity in graph.entities:
        tip = "\n".join([
            f"{entity.label} ({entity.type})",
            f"aliases: {', '.join(entity.aliases)}",
            f"mentions: {entity.mentions}",
            f"documents: {', '.join(entity.docs)}",
        ])
        net.add_node(entity.id, label=entity.label, title=tip, group=entity.type,
                     color=TYPE_COLORS[entity.type], shape=TYPE_SHAPES[entity.type],
                     value=entity.mentions)
    for rel in graph.relations:
        lines = [f"{rel.predicate} ×{len(rel.evidence)} (score {rel.score})"]
        lines += [f"[{ev.doc}] {ev.sentence}" for ev in rel.evidence[:5]]
        net.add_edge(rel.subject, rel.object, title="\n".join(lines), value=len(rel.evidence),
                     predicate=rel.predicate, arrows="" if rel.symmetric else "to")
    net.toggle_physics(True)
    return net


def render_html(graph: KnowledgeGraph, *, title: str = "kg") -> str:
    """The whole self-contained page as a string."""
    net = build_network(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    vis_dir = resources.files("pyvis").joinpath("lib", "vis-9.1.2")
    template = resources.files("kg").joinpath("export", "templates", "graph.html").read_text("utf-8")
    page = template
    for name, value in {
        "TITLE": html.escape(title),
        "VIS_CSS": vis_dir.joinpath("vis-network.css").read_text("utf-8"),
        "VIS_JS": vis_dir.joinpath("vis-network.min.js").read_text("utf-8"),
        "NODES": _script_json(nodes),
        "EDGES": _script_json(edges),
        "OPTIONS": options,
    }.items():
        page = page.replace("{{" + name + "}}", value)
    return page


def _script_json(value: object) -> str:
    """JSON safe to embed in a <script>: no ``</script>`` or ``<!--`` can close it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def write_html(graph: KnowledgeGraph, path: str | Path) -> Path:
    """Write the page as UTF-8, atomically."""
    write_atomic(Path(path), render_html(graph).encode("utf-8"))
    return Path(path)
