"""The namespaces of the RDF export, as plain strings: the one table of its prefixes.

Every serialization binds these prefixes (:mod:`kg.rdf`), every query may use
them without declaring them (:mod:`kg.sparql`), and :mod:`kg.vocab` builds its
rdflib namespaces from them. Plain strings, so running a query over a store
never imports rdflib: that import was a third of ``kg query --store``'s
start-up. tests/test_rdf.py checks the standard ones against rdflib's.
"""

from __future__ import annotations

#: The root of kg's own IRIs.
BASE = "https://w3id.org/kg-ja/"

#: Prefix → namespace IRI, bound in every serialization and known to every query.
PREFIXES: dict[str, str] = {
    "kg": BASE + "ns#",  # the ontology's terms (kg.vocab.KG)
    "kgid": BASE + "id/",  # entity, article, statement, evidence, event and build IRIs of a build
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
