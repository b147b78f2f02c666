"""Reading SPARQL text: SERVICE found in every spelling and only there, plain literals, one-line errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kg
from kg.sparql import prefixes
from kg.sparql_text import explain_syntax_error, find_service, plain_literals, tag_plain_literals

from .smallgraph import small_graph


@pytest.mark.parametrize("query, where", [
    ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", (1, 18)),
    ("select * where {\n  service silent <http://x/> {} }", (2, 3)),
    ("SELECT * WHERE { ?a ?b ?c }.SERVICE <x> {}", (1, 28)),
    ("SELECT * WHERE { \\u0053ERVICE <http://x/> {} }", (1, 18)),
    ("SELECT * WHERE { BIND(<u:x> AS ?u) SERVICE ?u {} }", (1, 36)),
])
def test_service_is_found_in_any_spelling(query: str, where: tuple[int, int]) -> None:
    assert find_service(query) == where


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ex:service 'SERVICE' }",
    'SELECT * WHERE { ?s ?p """a\nSERVICE <http://x/> {}""" }',
    "SELECT * WHERE { <urn:SERVICE> ?p ?o } # SERVICE <http://x/> {}",
    "PREFIX service: <urn:s#> SELECT * WHERE { ?s service:x _:service }",
    'SELECT * WHERE { ?s ?p "x"@service }',
])
def test_service_is_not_found_where_it_is_only_text(query: str) -> None:
    assert find_service(query) is None


_WORDS = st.sampled_from(["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", ".", "kg:x", "<http://a/b>",
                          '"文字列"@ja', "'x'", "# note\n", "OPTIONAL", "FILTER(?s != ?o)", "\n", "  "])


@given(before=st.lists(_WORDS, max_size=12), after=st.lists(_WORDS, max_size=12),
       keyword=st.sampled_from(["SERVICE", "service", "Service", "sErViCe"]))
def test_a_bare_service_keyword_is_always_found(before: list[str], after: list[str], keyword: str) -> None:
    query = " ".join([*before, keyword, "<http://127.0.0.1:1/>", "{ }", *after])
    assert find_service(query) is not None


@given(text=st.text(alphabet=st.characters(blacklist_characters="\"\\\n\r", blacklist_categories=("Cs",))))
def test_service_inside_a_string_is_text(text: str) -> None:
    query = 'SELECT * WHERE { ?s ?p "' + text + ' SERVICE <http://x/> {}" }'
    assert find_service(query) is None


def test_plain_literals_get_the_language_tag() -> None:
    query = "SELECT * { ?e rdfs:label \"プーチン\" ; ?p \"x\"@en, \"1\"^^xsd:int , 'y' }"
    assert [t.text for t in plain_literals(query)] == ['"プーチン"', "'y'"]
    assert tag_plain_literals(query) == "SELECT * { ?e rdfs:label \"プーチン\"@ja ; ?p \"x\"@en, \"1\"^^xsd:int , 'y'@ja }"


def test_a_group_concat_separator_is_not_a_plain_literal() -> None:
    """SEPARATOR takes a plain string only: tagged, the hint's retry was a syntax error that failed kg query."""
    query = 'SELECT (GROUP_CONCAT(?n; separator="、") AS ?all) (GROUP_CONCAT(?m ; SEPARATOR = ", ") AS ?b) { ?e ?p "x" }'
    assert [t.text for t in plain_literals(query)] == ['"x"']
    assert tag_plain_literals(query) == query.replace('"x"', '"x"@ja')


@pytest.mark.parametrize("query, message", [
    ("SELECT ?x WHERE { ?x a schema:Person",
     "the query ends too early at 1:37: a { is not closed (add })"),
    ("SELECT ?x WHERE { ?x a foo:Person }",
     "unknown prefix foo: at 1:34: declare it with PREFIX foo: <…> or use a predeclared one "
     "(kg, kgid, owl, prov, rdf, rdfs, schema, skos, xsd)"),
    ("SELECT ?x WHERE { ?x ?y \"abc }", "the query ends too early at 1:31: a string opened with \" is not closed"),
    ("SELECT ?x\nWHERE { ?x a <http://x y> }",
     "invalid IRI at 2:26: an IRI is written <http://…> with no spaces or quotes inside"),
    ("SELEC ?x WHERE { ?x ?y ?z }",
     "a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE lines), not 'SELEC'"),
    ("SELECT * WHERE { ?x ?y ?z } LIMIT -1", "unexpected '-1' at 1:35; expected HAVING, OFFSET, OPTIONAL, VALUES"),
    ("SELECT (COUNT(?x) AS ?n) ?y WHERE { ?x ?y ?z }",
     "at 1:47: a SELECT with an aggregate (COUNT, SUM…) must GROUP BY every other variable it selects"),
])
def test_syntax_errors_are_one_line_with_where_and_a_hint(query: str, message: str) -> None:
    with pytest.raises(kg.KgError) as err:
        small_graph().sparql(query)
    assert str(err.value) == "SPARQL syntax error: " + message


def test_an_unknown_message_passes_through_on_one_line() -> None:
    assert explain_syntax_error("something\nodd", "ASK {}", prefixes=prefixes()) == "something odd"
