// Opens graph.gexf and graph.graphml with the readers Gephi Lite (the web version of Gephi) uses:
// graphology-gexf and graphology-graphml, strict (no undeclared attribute, no edge to a missing node),
// checks what came through, then lays the GEXF graph out with ForceAtlas2 and draws it as SVG.
// Run it with scripts/check_gephi_lite.sh, which installs the packages; see docs/exports.md.
import fs from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";
import forceAtlas2 from "graphology-layout-forceatlas2";
import render from "graphology-svg";

const [gexfPath, graphmlPath, svgPath] = process.argv.slice(2);
const COLORS = { Person: "#e15759", State: "#4e79a7", Organization: "#59a14f" };
const problems = [];
const check = (ok, what) => { if (!ok) problems.push(what); };

function report(name, graph) {
  const kinds = {};
  graph.forEachEdge((edge, attrs) => { kinds[attrs.category] = (kinds[attrs.category] || 0) + 1; });
  graph.forEachNode((node, a) => {
    check(typeof a.label === "string" && a.label.length > 0, `${name}: node ${node} has no label`);
    check(a.type in COLORS, `${name}: node ${node} type ${a.type}`);
    for (const key of ["mentions", "centrality", "community", "weighted_degree", "documents"])
      check(typeof a[key] === "number", `${name}: node ${node} ${key} is ${typeof a[key]}`);
  });
  graph.forEachEdge((edge, a) => {
    check(typeof a.weight === "number" && a.weight >= 1, `${name}: edge ${edge} weight ${a.weight}`);
    check(typeof a.symmetric === "boolean", `${name}: edge ${edge} symmetric is ${typeof a.symmetric}`);
    check(typeof a.modality === "string" && typeof a.evidence === "string", `${name}: edge ${edge} modality/evidence`);
  });
  const [first] = graph.nodes();
  console.log(`${name}: ${graph.type} graph, multi ${graph.multi}, ${graph.order} nodes, ${graph.size} edges; ` +
              `edges by category ${JSON.stringify(kinds)}`);
  console.log(`  first node ${first}: ${JSON.stringify(graph.getNodeAttributes(first))}`);
}

const fromGexf = gexf.parse(Graph, fs.readFileSync(gexfPath, "utf-8"));
report("graph.gexf", fromGexf);
const fromGraphml = graphml.parse(Graph, fs.readFileSync(graphmlPath, "utf-8"));
report("graph.graphml", fromGraphml);
check(fromGexf.order === fromGraphml.order && fromGexf.size === fromGraphml.size, "gexf and graphml differ in size");

// Draw: circle start, ForceAtlas2, size by centrality, colour by type, labels for the most central.
const g = fromGexf;
const ids = g.nodes().sort();
ids.forEach((node, i) => {
  g.mergeNodeAttributes(node, { x: Math.cos((2 * Math.PI * i) / ids.length), y: Math.sin((2 * Math.PI * i) / ids.length) });
});
forceAtlas2.assign(g, { iterations: 300, settings: { ...forceAtlas2.inferSettings(g), edgeWeightInfluence: 0.5 } });
const central = new Set(ids.slice().sort((a, b) => g.getNodeAttribute(b, "centrality") - g.getNodeAttribute(a, "centrality")).slice(0, 30));
g.forEachNode((node, a) => g.mergeNodeAttributes(node, {
  size: 3 + 25 * a.centrality, color: COLORS[a.type], label: central.has(node) ? a.label : "",
  type: "circle" }));  // graphology-svg reads `type` as the shape to draw
g.forEachEdge((edge, a) => g.mergeEdgeAttributes(edge, { color: a.category === "cooccurrence" ? "#dddddd" : "#f28e2b" }));
render(g, svgPath, { width: 1400, height: 1400, margin: 40 }, () => {
  console.log(`wrote ${svgPath}`);
  if (problems.length) { console.error(problems.slice(0, 20).join("\n")); process.exit(1); }
  console.log("ok: every node has a label, a type and numeric figures; every edge a weight, category and modality");
});
