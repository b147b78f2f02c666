"""The predicate table is the one declaration of each predicate: rules, vocabulary, ontology and shapes read it."""

from __future__ import annotations

import json

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import SDO, SH

from kg.errors import ConfigError
from kg.ontology import KGSH, ontology, shapes
from kg.predicates import COOCCURS, get_predicate, predicate_table, symmetric_predicates, typed_predicates
from kg.rules import load_rules, trigger_rule
from kg.vocab import ID, KG, RELATION_PROPERTIES, SYMMETRIC_PROPERTIES


def test_table_rows_are_complete_and_unique() -> None:
    table = predicate_table()
    assert COOCCURS in table and not table[COOCCURS].typed
    assert "met_with" in typed_predicates() and COOCCURS not in typed_predicates()
    assert len({p.property for p in table.values()}) == len(table)
    for p in table.values():
        assert p.label_ja and p.label_en and p.domain and p.range


def test_symmetry_comes_from_the_table_only() -> None:
    assert symmetric_predicates() == {"met_with", "negotiates_with", "allied_with", "fights", "merges_with",
                                      "partners_with", COOCCURS}
    assert SYMMETRIC_PROPERTIES == {KG[predicate_table()[n].property] for n in symmetric_predicates()}
    assert get_predicate("holds_position_in").allows("Person", "State")
    assert not get_predicate("holds_position_in").allows("State", "Person")


def test_unknown_predicate_is_refused_with_the_valid_names() -> None:
    with pytest.raises(ConfigError, match="unknown relation predicate 'meets'.*met_with"):
        get_predicate("meets")
    with pytest.raises(ConfigError, match="'visit'.*unknown relation predicate 'meets'"):
        trigger_rule({"name": "visit", "predicate": "meets", "triggers": ["訪問"], "object": ["を"]})


def test_a_rule_cannot_make_a_predicate_symmetric(tmp_path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [{"name": "x", "predicate": "supports", "symmetric": True,
                                           "triggers": ["援助"], "object": ["を"]}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="'symmetric' is not a rule field.*predicates.json"):
        load_rules(path)


def test_ontology_declares_each_predicate_with_labels_domain_and_range() -> None:
    onto = ontology()
    for name, term in RELATION_PROPERTIES.items():
        p = predicate_table()[name]
        assert (term, RDF.type, KG.RelationProperty) in onto
        assert Literal(p.label_ja, lang="ja") in set(onto.objects(term, RDFS.label))
        assert ((term, RDF.type, OWL.SymmetricProperty) in onto) == p.symmetric
    assert onto.value(KG.holdsPositionIn, RDFS.domain) == SDO.Person


def _failed_shapes(data: Graph) -> set[str]:
    """Names of the named shapes (kgsh:…Shape) the data violates."""
    from pyshacl import validate

    report = validate(data, shacl_graph=shapes(), advanced=True, inference="none")[1]
    failed = {str(s) for s in report.objects(None, SH.sourceShape)}
    return {s.rsplit("#", 1)[1] for s in failed if s.startswith(str(KGSH))}


def test_shapes_check_domain_and_range_from_the_table() -> None:
    person, state = ID["entity/p1"], ID["entity/s1"]
    data = Graph()
    data.add((person, RDF.type, SDO.Person))
    data.add((state, RDF.type, SDO.Country))
    data.add((person, KG.holdsPositionIn, state))
    assert "HoldsPositionInShape" not in _failed_shapes(data)
    data.add((state, KG.holdsPositionIn, person))  # a state cannot hold a position in a person
    assert "HoldsPositionInShape" in _failed_shapes(data)
