"""SHACL validation of the RDF export against ``kg/data/shapes.ttl``.

The shapes are the export's contract (one Japanese label per entity, every
statement with its evidence, counts that add up, domains and ranges of the
relation properties); the tests run them over every seed build. pySHACL is
an optional dependency (the ``sparql`` extra).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import Graph

from kg.errors import ConfigError, KgError


@dataclass(frozen=True)
class ValidationResult:
    """Whether a graph conforms, and pySHACL's report text when it does not."""

    conforms: bool
    text: str


def read_data_graph(name: str) -> Graph:
    """Parse ``kg/data/<name>`` (Turtle) into an rdflib Graph."""
    try:
        text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"missing data file kg/data/{name}: reinstall kg") from None
    return Graph().parse(data=text, format="turtle")


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """The kg ontology (``kg/data/ontology.ttl``)."""
    return read_data_graph("ontology.ttl")


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """The SHACL shapes (``kg/data/shapes.ttl``)."""
    return read_data_graph("shapes.ttl")


def validate(data: Graph) -> ValidationResult:
    """Validate an exported graph (e.g. ``kg.export.rdf.to_rdf(graph)``) against the shapes."""
    try:
        from pyshacl import validate as shacl_validate
    except ImportError:
        raise KgError("pyshacl is not installed: pip install 'kg[sparql]'") from None
    conforms, _, text = shacl_validate(data, shacl_graph=shapes(), advanced=True,
                                       allow_warnings=False, inference="none")
    return ValidationResult(conforms=bool(conforms), text=str(text))
