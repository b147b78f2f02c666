"""SPARQL over a build, executed by Oxigraph (pyoxigraph).

rdflib builds and serializes the RDF; pyoxigraph runs the queries, because
its engine is complete (SPARQL 1.1) and fast on graphs rdflib's pure-Python
engine answers slowly. A query runs over a build's file (``output/graph.ttl``
or any RDF file) or over a :class:`~kg.graph.KnowledgeGraph` in memory
(``graph.sparql("SELECT …")``). Every prefix of the export (``kg:``,
``schema:``, ``skos:``, ``prov:``, ``rdfs:``…) is predeclared.

SELECT answers come back as :class:`Rows` (dicts of Python values, a
``to_dataframe()`` when pandas is installed, a readable table with Japanese
text aligned), ASK as a ``bool``, CONSTRUCT and DESCRIBE as an rdflib Graph.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union, cast

from kg.errors import KgError, printable
from kg.model import GraphData
from kg.namespaces import PREFIXES
from kg.sparql_text import explain_syntax_error, find_service

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + t for t in ("double", "float", "decimal")}
_QUAD_FORMATS = {"TriG", "N-Quads"}  # files with named graphs: query their union

Answer = Union["Rows", bool, "Graph"]


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:
        raise KgError("pyoxigraph is not installed: pip install 'kg[sparql]'") from None
    return pyoxigraph


def prefixes() -> dict[str, str]:
    """The prefixes every query may use without declaring them (a copy: callers may add to it)."""
    return dict(PREFIXES)


# ---------------------------------------------------------------- stores


@dataclass(frozen=True)
class Source:
    """A loaded pyoxigraph store and whether its default graph is the union of named graphs."""

    store: pyoxigraph.Store
    union: bool = False


#: What ``--graph FOLDER`` takes from a build folder, first found first.
GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.nt", "graph.jsonld")
#: The file that marks a complete store of ``kg build --store`` (:mod:`kg.store`), written last.
STORE_MARKER = "kg-store.json"


def resolve_graph(path: str | Path) -> Path:
    """The RDF file ``--graph`` means: the file itself, or a build folder's graph.ttl (or .trig, .nt, .jsonld).

    kg's own ``graph.json`` is node-link JSON, not RDF: read as JSON-LD it
    would load nothing and every query would answer no rows, so it is refused
    with the file to use instead.
    """
    path = Path(path)
    if path.is_dir():
        found = next((path / name for name in GRAPH_FILES if (path / name).is_file()), None)
        if found is None and (path / STORE_MARKER).is_file():
            raise KgError(f"{path}: this is a store (kg build --store): open it with --store {path}")
        if found is None:
            raise KgError(f"{path}: no {', '.join(GRAPH_FILES)} in this folder: run `kg build --out {path}` first")
        return found
    if not path.is_file():
        raise KgError(f"{path}: no such file: run `kg build` first or give --graph PATH")
    if path.suffix.lower() == ".json" and _is_node_link(path):
        raise KgError(f"{path}: this is kg's node-link JSON, not RDF: query {path.with_suffix('.ttl')} "
                      f"(or the folder {path.parent}) instead")
    return path


def _is_node_link(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return '"nodes"' in head or '"directed"' in head or '"edges"' in head and '"@context"' not in head


def load_file(path: str | Path) -> Source:
    """Load an RDF file (format from its extension: .ttl, .nt, .jsonld, .trig, .nq, .rdf) or a build folder's."""
    ox = _pyoxigraph()
    path = resolve_graph(path)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise KgError(f"{path}: unknown RDF file extension: use .ttl, .nt, .jsonld, .trig, .nq or .rdf")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as err:
        raise KgError(f"{path}: not valid {fmt.name}: {_one_line(err)}") from None
    return Source(store, union=fmt.name in _QUAD_FORMATS)


_GRAPH_STORES: dict[int, Source] = {}


def graph_source(graph: GraphData) -> Source:
    """The store of a KnowledgeGraph's RDF export, built once per graph object."""
    key = id(graph)
    if key not in _GRAPH_STORES:
        from kg.rdf import serialize

        ox = _pyoxigraph()
        store = ox.Store()
        store.bulk_load(serialize(graph, "nt"), format=ox.RdfFormat.N_TRIPLES)
        _GRAPH_STORES[key] = Source(store)
        weakref.finalize(graph, _GRAPH_STORES.pop, key, None)
    return _GRAPH_STORES[key]


# ---------------------------------------------------------------- queries


def read_query(text_or_path: str) -> str:
    """A query given inline, or the text of a ``.rq`` / ``.sparql`` file."""
    path = Path(text_or_path)
    looks_like_file = path.suffix.lower() in {".rq", ".sparql"} and "\n" not in text_or_path
    try:
        is_file = looks_like_file or path.is_file()
    except OSError:  # a long inline query is not a valid file name
        is_file = False
    if not is_file:
        return text_or_path
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{path}: no such query file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise KgError(f"{path}: cannot read query: {_one_line(err)}") from None


class QueryError(KgError):
    """A query that was refused or failed; ``status`` is the HTTP code ``kg serve`` answers with."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def refuse_service(query: str, *, allow_service: bool) -> None:
    """Raise :class:`QueryError` (403) if the query makes a federated ``SERVICE`` call and they are off."""
    if allow_service:
        return
    where = find_service(query)
    if where is not None:
        raise QueryError(f"SERVICE at {where[0]}:{where[1]}: federated queries are off (the query would make "
                         "this machine send requests to other addresses); start with --allow-service "
                         "to allow them", status=403)


def run(source: Source, query: str, *, allow_service: bool = False) -> Answer:
    """Execute ``query`` on a loaded source; a bad query raises :class:`KgError` with one line.

    A federated ``SERVICE`` call is refused unless ``allow_service`` (it
    would make this machine send requests to any address the query names).
    """
    refuse_service(query, allow_service=allow_service)
    try:
        result = source.store.query(query, prefixes=prefixes(), use_default_graph_as_union=source.union)
        return _to_answer(result)
    except SyntaxError as err:
        raise KgError("SPARQL syntax error: " + explain_syntax_error(str(err), query, prefixes=prefixes())) from None
    except (OSError, ValueError, RuntimeError) as err:
        raise KgError(f"SPARQL query failed: {_one_line(err)}") from None


def _to_answer(result: Any) -> Answer:
    ox = _pyoxigraph()
    if isinstance(result, ox.QuerySolutions):
        columns = tuple(v.value for v in result.variables)
        terms = tuple(tuple(solution[v] for v in result.variables) for solution in result)
        return Rows(columns, terms)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return _triples_graph(list(cast(Iterable[Any], result)))


def query_file(path: str | Path, query: str, *, allow_service: bool = False) -> Answer:
    """Run ``query`` (text, or a .rq file) over the RDF file (or build folder) at ``path``, in this process."""
    return run(load_file(path), read_query(query), allow_service=allow_service)


def query_graph(graph: GraphData, query: str, *, allow_service: bool = False) -> Answer:
    """Run ``query`` over a KnowledgeGraph's RDF export (what ``graph.sparql`` calls)."""
    return run(graph_source(graph), query, allow_service=allow_service)


def answer_from_bytes(kind: str, body: bytes) -> Answer:
    """An answer sent as bytes by a query worker (:mod:`kg.queryproc`): N-Triples for a graph, else SPARQL JSON."""
    ox = _pyoxigraph()
    if kind == "graph":
        return _triples_graph(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
    return _to_answer(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))


def format_answer(answer: Answer, *, fmt: str = "table", max_width: int | None = 60) -> str:
    """What ``kg query`` prints: a table, CSV or SPARQL JSON; true/false; Turtle for CONSTRUCT."""
    if isinstance(answer, Rows):
        text = answer.to_table(max_width=max_width) if fmt == "table" else (
            answer.to_csv() if fmt == "csv" else answer.to_json())
    elif isinstance(answer, bool):
        text = json.dumps({"head": {}, "boolean": answer}) if fmt == "json" else str(answer).lower()
    else:
        text = answer.serialize(format="json-ld" if fmt == "json" else "turtle")
    return text if text.endswith("\n") else text + "\n"


def _triples_graph(triples: Sequence[Any]) -> Graph:
    from rdflib import Graph

    ox = _pyoxigraph()
    g = Graph()
    for prefix, ns in prefixes().items():
        g.bind(prefix, ns)
    if triples:
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        g.parse(data=data, format="nt")
    return g


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Rows(Sequence[dict[str, Any]]):
    """The answer to a SELECT: column names and one tuple of RDF terms per row.

    Indexing and iteration give dicts of plain Python values (IRIs and strings
    as ``str``, numbers as ``int``/``float``, unbound as ``None``).
    """

    columns: tuple[str, ...]
    terms: tuple[tuple[Any, ...], ...]

    def __len__(self) -> int:
        return len(self.terms)

    def __getitem__(self, index: int) -> dict[str, Any]:  # type: ignore[override]
        return dict(zip(self.columns, (to_python(t) for t in self.terms[index]), strict=True))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self[i] for i in range(len(self)))

    def tuples(self) -> list[tuple[Any, ...]]:
        """The rows as tuples of Python values, in column order."""
        return [tuple(to_python(t) for t in row) for row in self.terms]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the rows (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError:
            raise KgError("to_dataframe needs pandas: pip install pandas") from None
        return pd.DataFrame(self.tuples(), columns=list(self.columns))

    def to_table(self, *, max_width: int | None = 60) -> str:
        """A plain-text table; Japanese (wide) characters count two columns, so columns line up."""
        header = list(self.columns)
        cells = [[_clip(display(t), max_width) for t in row] for row in self.terms]
        numeric = [all(_is_number(row[i]) for row in self.terms if row[i] is not None)
                   for i in range(len(header))]
        widths = [max([text_width(h)] + [text_width(row[i]) for row in cells]) for i, h in enumerate(header)]
        lines = [_join(header, widths, [False] * len(header)),
                 "  ".join("-" * w for w in widths)]
        lines += [_join(row, widths, numeric) for row in cells]
        lines.append(f"({len(self)} row{'s' if len(self) != 1 else ''})")
        return "\n".join(line.rstrip() for line in lines)

    def to_csv(self) -> str:
        """CSV as SPARQL 1.1 CSV results: a header, then plain values (IRIs in full)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.terms:
            writer.writerow(["" if t is None else (f"_:{t.value}" if _kind(t) == "bnode" else t.value)
                             for t in row])
        return buffer.getvalue()

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        bindings = [{c: _json_term(t) for c, t in zip(self.columns, row, strict=True) if t is not None}
                    for row in self.terms]
        return json.dumps({"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}},
                          ensure_ascii=False, indent=1)


def _kind(term: Any) -> str:
    ox = _pyoxigraph()
    if isinstance(term, ox.NamedNode):
        return "uri"
    if isinstance(term, ox.BlankNode):
        return "bnode"
    if isinstance(term, ox.Literal):
        return "literal"
    return "triple"


def to_python(term: Any) -> Any:
    """An RDF term as a plain Python value."""
    if term is None:
        return None
    kind = _kind(term)
    if kind == "bnode":
        return f"_:{term.value}"
    if kind != "literal":
        return str(term.value) if kind == "uri" else str(term)
    datatype = term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
    except ValueError:
        return term.value
    if datatype == _XSD + "boolean":
        return term.value in ("true", "1")
    return term.value


def display(term: Any) -> str:
    """A term as a table cell: literals by value, IRIs shortened with the known prefixes."""
    if term is None:
        return ""
    kind = _kind(term)
    if kind == "literal":
        return term.value
    if kind == "bnode":
        return f"_:{term.value}"
    if kind == "uri":
        for prefix, ns in sorted(prefixes().items(), key=lambda item: -len(item[1])):
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    return str(term)


def _json_term(term: Any) -> dict[str, str]:
    kind = _kind(term)
    if kind != "literal":
        return {"type": kind, "value": term.value if kind != "triple" else str(term)}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _is_number(term: Any) -> bool:
    return _kind(term) == "literal" and term.datatype.value in _INTEGERS | _FLOATS


def char_width(ch: str) -> int:
    """Columns a character takes in a terminal: 2 for wide and full-width (East Asian) ones."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1


def text_width(text: str) -> int:
    """Columns a string takes in a terminal."""
    return sum(char_width(ch) for ch in text)


def _clip(text: str, max_width: int | None) -> str:
    text = printable(" ".join(text.split()))  # one line per row, no terminal escape sequences
    if max_width is None or max_width <= 0 or text_width(text) <= max_width:
        return text
    out, width = [], 0
    for ch in text:
        if width + char_width(ch) > max_width - 1:
            break
        out.append(ch)
        width += char_width(ch)
    return "".join(out) + "…"


def _join(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    parts = []
    for cell, width, align_right in zip(cells, widths, right, strict=True):
        pad = " " * (width - text_width(cell))
        parts.append(pad + cell if align_right else cell + pad)
    return "  ".join(parts)
