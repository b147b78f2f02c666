"""SHACL validation of the RDF export against the shapes (:func:`kg.ontology.shapes`).

The shapes are the export's contract (one Japanese label per entity, every
statement with its evidence, counts that add up, domains and ranges of the
relation properties); the tests run them over every seed build. pySHACL is
an optional dependency (the ``sparql`` extra).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kg.errors import KgError
from kg.ontology import ontology, shapes

__all__ = ["ValidationResult", "ontology", "shapes", "validate"]


@dataclass(frozen=True)
class ValidationResult:
    """Whether a graph conforms, and pySHACL's report text when it does not."""

    conforms: bool
    text: str


def validate(data: Graph) -> ValidationResult:
    """Validate an exported graph (e.g. ``kg.rdf.to_rdf(graph)``) against the shapes."""
    try:
        from pyshacl import validate as shacl_validate
    except ImportError:
        raise KgError("pyshacl is not installed: pip install 'kg[sparql]'") from None
    conforms, _, text = shacl_validate(data, shacl_graph=shapes(), advanced=True,
                                       allow_warnings=False, inference="none")
    return ValidationResult(conforms=bool(conforms), text=str(text))
