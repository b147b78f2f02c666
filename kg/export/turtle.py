"""Turtle and N-Triples written by kg itself, block by block: fast, and light on memory at any size.

rdflib holds every triple in its in-memory store (about a kilobyte each) and
its Turtle writer walks them again to sort and abbreviate; on a news archive
of a million triples that is minutes and gigabytes. These writers take the
blocks of :func:`kg.rdf.subject_blocks` (the same triples, grouped by
subject, in an order that never depends on the input's) and format each one
as it comes: one subject's lines in memory at a time.

Within a block ``rdf:type`` comes first (``a``), then the predicates by IRI,
each one's objects sorted; IRIs in a known namespace are written as prefixed
names where the local name is a plain word, the rest in full. Integers are
bare (``kg:count 2``), other typed literals ``"0.5"^^xsd:double``. rdflib and
Oxigraph read both files back to the same triples (tests/test_rdf.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kg.model import GraphData
from kg.namespaces import PREFIXES
from kg.rdf import subject_blocks

#: A local name written after a prefix (a conservative subset of Turtle's PN_LOCAL).
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
#: A bare Turtle integer.
_INTEGER = re.compile(r"[+-]?[0-9]+")
#: Characters a quoted literal escapes (N-Triples and Turtle alike).
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: Characters an IRI cannot hold as they are (kg percent-encodes its own; this guards the rest).
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_TYPE = str(RDF.type)
#: Where the build's own IRIs live (entities, articles, statements, evidence): many, each used
#: a few times, never a plain local name (``entity/…``), so neither kept nor abbreviated.
_DATA = PREFIXES["kgid"]


def _iri(value: str) -> str:
    return "<" + _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", value) + ">"


class _Terms:
    """Formats terms for one file: Turtle (prefixed names, bare integers) or N-Triples (all in full)."""

    def __init__(self, *, turtle: bool) -> None:
        self.turtle = turtle
        # longest namespace first, so a namespace inside another never takes its IRIs
        self.namespaces = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda x: -len(x[0]))
        self.names: dict[str, str] = {}  # namespace IRIs (classes, properties, datatypes): few, repeated

    def iri(self, value: str) -> str:
        known = self.names.get(value)
        if known is not None:
            return known
        if value.startswith(_DATA):  # kgid:entity/…: a local name with a slash, written in full
            return _iri(value)
        if self.turtle:
            for ns, prefix in self.namespaces:
                if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns):]):
                    self.names[value] = text = f"{prefix}:{value[len(ns):]}"
                    return text
        self.names[value] = text = _iri(value)
        return text

    def term(self, node: Node) -> str:
        if isinstance(node, Literal):
            return self.literal(node)
        if isinstance(node, URIRef):
            return self.iri(str(node))
        raise TypeError(f"kg writes IRIs and literals only, not {type(node).__name__}")

    def literal(self, lit: Literal) -> str:
        text = str(lit)
        if lit.language:
            return f'"{text.translate(_ESCAPES)}"@{lit.language}'
        datatype = lit.datatype
        if datatype is None or datatype == XSD.string:
            return f'"{text.translate(_ESCAPES)}"'
        if self.turtle and datatype == XSD.integer and _INTEGER.fullmatch(text):
            return text
        return f'"{text.translate(_ESCAPES)}"^^{self.iri(str(datatype))}'


def _sorted_pairs(terms: _Terms, pairs: set[tuple[Node, Node]]) -> list[tuple[str, str, str]]:
    """A block's (predicate IRI, predicate as written, object as written), rdf:type first, then by IRI."""
    rows = {(str(p), terms.iri(str(p)), terms.term(o)) for p, o in pairs}
    return sorted(rows, key=lambda row: (row[0] != _TYPE, row[0], row[2]))


#: The first line of the Turtle kg writes: it tells :mod:`kg.store` the file can be cut between blocks.
KG_TURTLE = b"# kg graph: prefixes, then one block per subject, each ending in a blank line\n"


def turtle_chunks(graph: GraphData, *, model: str | None = None) -> Iterator[bytes]:
    """graph.ttl, one UTF-8 chunk per subject after :data:`KG_TURTLE` and the prefixes."""
    terms = _Terms(turtle=True)
    yield KG_TURTLE + "".join(f"@prefix {prefix}: <{ns}> .\n" for prefix, ns in sorted(PREFIXES.items())).encode() + b"\n"
    for subject, pairs in subject_blocks(graph, model=model):
        yield _turtle_block(terms, subject, pairs).encode("utf-8")


def _turtle_block(terms: _Terms, subject: Node, pairs: set[tuple[Node, Node]]) -> str:
    parts = [terms.term(subject)]
    last = None
    for n, (iri, predicate, obj) in enumerate(_sorted_pairs(terms, pairs)):
        if iri == last:
            parts.append(f",\n        {obj}")
            continue
        verb = "a" if iri == _TYPE else predicate
        parts.append(f"{' ;' if n else ''}\n    {verb} {obj}" if n else f" {verb} {obj}")
        last = iri
    return "".join(parts) + " .\n\n"


def ntriples_chunks(graph: GraphData, *, model: str | None = None) -> Iterator[bytes]:
    """graph.nt, one UTF-8 chunk per subject: its triples as lines, sorted."""
    terms = _Terms(turtle=False)
    for subject, pairs in subject_blocks(graph, model=model):
        head = terms.term(subject)
        yield "".join(f"{head} {predicate} {obj} .\n"
                      for _, predicate, obj in _sorted_pairs(terms, pairs)).encode("utf-8")


#: The formats written here rather than by rdflib, by ``--format`` name.
STREAMED: dict[str, Callable[..., Iterator[bytes]]] = {"ttl": turtle_chunks, "nt": ntriples_chunks}

