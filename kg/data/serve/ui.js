// kg's query page. Everything that comes from the graph or the server reaches the page
// through textContent only, so an article line holding markup shows as text.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  let config = { endpoint: "query", prefixes: {}, queries: [] };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function shorten(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : "<" + iri + ">";
  }

  function cell(term) {
    if (!term) return el("td", "");
    if (term.type === "uri") return el("td", shorten(term.value));
    if (term.type === "bnode") return el("td", "_:" + term.value);
    const numeric = term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype);
    return el("td", term.value, numeric ? "num" : undefined);
  }

  function setStatus(text, error) {
    const status = $("status");
    status.textContent = text;
    status.className = error ? "error" : "";
  }

  function showSolutions(data) {
    const result = $("result");
    if (typeof data.boolean === "boolean") {
      result.replaceChildren(el("p", String(data.boolean)));
      setStatus("ASK answered");
      return;
    }
    const vars = data.head.vars || [];
    const table = el("table");
    const head = el("tr");
    vars.forEach((v) => head.appendChild(el("th", v)));
    table.appendChild(head);
    for (const binding of data.results.bindings) {
      const row = el("tr");
      vars.forEach((v) => row.appendChild(cell(binding[v])));
      table.appendChild(row);
    }
    result.replaceChildren(table);
    const n = data.results.bindings.length;
    setStatus(n + (n === 1 ? " row" : " rows"));
  }

  async function run() {
    const query = $("query").value;
    setStatus("running…");
    const started = performance.now();
    try {
      const response = await fetch(config.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/sparql-query",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: query,
      });
      const text = await response.text();
      if (!response.ok) {
        $("result").replaceChildren();
        setStatus(text.trim(), true);
        return;
      }
      if ((response.headers.get("Content-Type") || "").startsWith("application/sparql-results+json")) {
        showSolutions(JSON.parse(text));
      } else {
        $("result").replaceChildren(el("pre", text));
        setStatus("graph answered");
      }
      $("status").textContent += " (" + Math.round(performance.now() - started) + " ms)";
    } catch (err) {
      setStatus("the server did not answer: " + err, true);
    }
  }

  function fill() {
    $("endpoint").textContent = "/" + config.endpoint;
    $("graph").textContent = config.graph || "";
    const select = $("worked");
    for (const q of config.queries) {
      const option = el("option", q.name);
      option.title = q.title;
      option.value = q.name;
      select.appendChild(option);
    }
    select.addEventListener("change", () => {
      const q = config.queries.find((item) => item.name === select.value);
      $("about").textContent = q ? q.title : "";
      if (q) $("query").value = q.text;
    });
    const table = $("prefixes");
    for (const [prefix, ns] of Object.entries(config.prefixes)) {
      const row = el("tr");
      row.appendChild(el("td", prefix + ":"));
      row.appendChild(el("td", ns));
      table.appendChild(row);
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("run").addEventListener("click", run);
    $("query").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
    try {
      config = await (await fetch("ui/config.json")).json();
      fill();
    } catch (err) {
      setStatus("could not read the page's settings: " + err, true);
    }
  });
})();
