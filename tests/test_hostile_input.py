"""Hostile and broken input: user files checked against their schemas, one line per problem, never a
traceback; cache files of the wrong shape are misses; ids never break an IRI; nothing a file holds
reaches the terminal as an escape sequence; a document called ``__proto__`` is a document."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.cache import ParseCache, cache_key, parsed_to_dict
from kg.corpus import load_corpus
from kg.errors import ConfigError, CorpusError, printable
from kg.rdf import entity_iri, serialize
from kg.graph import KnowledgeGraph
from kg.lexicon import load_lexicon
from kg.model import ParsedDoc, Token
from kg.nlp import model_id
from kg.rules import load_rules

from .conftest import ROOT
from .smallgraph import small_graph
from .test_view import CHROMIUM

HUGE = b"1" * 4301


def write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ---------------------------------------------------------------- lexicon and rule files

@pytest.mark.parametrize("content, reason", [
    ('{"ignore": "abc"}', 'ignore: must be a list, not a string ("abc")'),
    ('{"entities": [{"label": "X", "aliases": "Y"}]}', 'entities[0].aliases: must be a list, not a string ("Y")'),
    ('{"entities": [{"label": "X", "alias": ["Y"]}]}',
     "entities[0]: unknown field 'alias' (known: label, type, aliases, id, wikidata, sports_names, separate)"),
    ('{"entities": [{"label": "X", "id": "x>y"}]}',
     'entities[0].id: "x>y" is not an id: letters, digits, _ . - (it becomes part of the entity\'s IRI)'),
    ('{"entities": [{"label": "X", "wikidata": "Q1> <x"}]}',
     'entities[0].wikidata: "Q1> <x" is not a Wikidata item id such as Q159'),
    ('{"entities": [{"label": 7}]}', "entities[0].label: must be a string, not an integer (7)"),
    ('{"entities": [{"label": "X", "type": "Country"}]}',
     'entities[0].type: "Country" is not one of Person, State, Organization'),
    ('[]', "must be an object, not a list (a list)"),
    (b"[" * 100_000, "not valid JSON (nested too deeply)"),
    (b'{"entities": [{"label": ' + HUGE + b"}]}", "not valid JSON (a number of more than 4,300 digits)"),
    (b'{"ignore": ["\xff"]}', "not UTF-8 text (byte 13): save the lexicon file as UTF-8"),
])
def test_a_bad_lexicon_is_one_line_naming_file_and_field(tmp_path: Path, content: bytes | str, reason: str) -> None:
    path = write(tmp_path, "lexicon.json", content)
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    assert str(err.value) == f"{path}: {reason}"


@pytest.mark.parametrize("rule, reason", [
    ({"triggers": "訪問"}, 'rules[0].triggers: must be a list, not a string ("訪問")'),
    ({"symmetric": "no"}, "rules[0].symmetric: 'symmetric' is not a rule field: whether a predicate holds both ways is declared "
                          "in kg/data/predicates.json"),
    ({"predicate": "visits"}, "relation rule 'visit': unknown relation predicate 'visits'; known predicates: "),
    ({"subject_types": ["Country"]}, 'rules[0].subject_types[0]: "Country" is not one of Person, State'),
    ({"triggers": []}, "rules[0].triggers: must not be empty"),
    ({"object": None}, "rules[0].object: must be a list, not null (null)"),
])
def test_a_bad_rule_file_is_one_line_naming_file_and_field(tmp_path: Path, rule: dict, reason: str) -> None:  # type: ignore[type-arg]
    good = {"name": "visit", "predicate": "met_with", "triggers": ["訪問"], "subject": ["が"], "object": ["を"]}
    path = write(tmp_path, "rules.json", json.dumps({"rules": [{**good, **rule}]}, ensure_ascii=False))
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert str(err.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(err.value)


def test_a_bom_is_fine_and_wrong_types_are_never_guessed(tmp_path: Path) -> None:
    rules = {"rules": [{"name": "visit", "predicate": "met_with", "triggers": ["訪問"], "object": ["を"]}]}
    loaded = load_rules(write(tmp_path, "rules.json", b"\xef\xbb\xbf" + json.dumps(rules).encode()))
    assert next(r for r in loaded.triggers if r.name == "visit").triggers == ("訪問",)
    lexicon = load_lexicon(write(tmp_path, "lexicon.json", b'\xef\xbb\xbf{"ignore": ["abc"]}'))
    assert "abc" in lexicon.ignore and "a" not in lexicon.ignore


@pytest.mark.slow
def test_cli_bad_rule_file_is_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rules.json", '{"rules": [{"name": "v", "predicate": "met_with", "triggers": "訪問", '
                                         '"object": ["を"]}]}')
    result = subprocess.run([sys.executable, "-m", "kg", "extract", "--rules", str(path), str(ROOT / "corpus")],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=300)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f'kg: error: {path}: rules[0].triggers: must be a list, not a string ("訪問")\n'


# ---------------------------------------------------------------- .jsonl


def test_a_jsonl_line_with_a_4301_digit_integer_is_one_line_even_when_skipping(tmp_path: Path) -> None:
    path = write(tmp_path, "news.jsonl", b'{"id": ' + HUGE + b', "text": "x"}\n' + '{"id": "b", "text": "記事"}\n'.encode())
    with pytest.raises(CorpusError) as err:
        load_corpus([path])
    assert str(err.value) == (f"{path}:1: not valid JSON (a number of more than 4,300 digits) "
                              "(use --on-error skip to skip it)")
    corpus = load_corpus([path], on_error="skip")
    assert [d.id for d in corpus.documents] == ["b"]
    assert corpus.warnings == [f"{path}:1: not valid JSON (a number of more than 4,300 digits); skipped"]


# ---------------------------------------------------------------- fuzz: generated files

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                  max_size=4), max_leaves=20)
_LEX_KEYS = st.sampled_from(["label", "type", "aliases", "id", "wikidata", "_note", "alias"])
_RULE_KEYS = st.sampled_from(["name", "predicate", "triggers", "subject", "object", "symmetric", "subject_types"])
_VALUES = st.one_of(_JSON, st.sampled_from(["Person", "met_with", "訪問", ["が"], ["Person"], "x>y", "Q1", True]))
_LEXICONS = st.one_of(_JSON, st.fixed_dictionaries({}, optional={
    "entities": st.one_of(_JSON, st.lists(st.dictionaries(_LEX_KEYS, _VALUES, max_size=5), max_size=3)),
    "ignore": st.one_of(_JSON, st.lists(st.text(max_size=6), max_size=3))}))
_RULES = st.one_of(_JSON, st.fixed_dictionaries({"rules": st.one_of(
    _JSON, st.lists(st.dictionaries(_RULE_KEYS, _VALUES, max_size=7), max_size=3))}))


def _mangle(data: object, how: str) -> bytes:
    text = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return {"plain": text, "bom": b"\xef\xbb\xbf" + text, "cut": text[: len(text) // 2],
            "latin1": text.decode("utf-8").encode("utf-8") + b"\xff", "nul": text + b"\x00"}[how]


_HOW = st.sampled_from(["plain", "plain", "plain", "bom", "cut", "latin1", "nul"])
_FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _one_line_or_fine(load: object, path: Path) -> None:
    try:
        load(path)  # type: ignore[operator]
    except (ConfigError, CorpusError) as err:
        message = str(err)
        assert message.startswith(str(path)) and "\n" not in message and len(message) < 400, message


@pytest.mark.slow
@given(data=_LEXICONS, how=_HOW)
@_FUZZ
def test_fuzz_lexicon_files_give_one_line_errors(tmp_path: Path, data: object, how: str) -> None:
    _one_line_or_fine(load_lexicon, write(tmp_path, "lexicon.json", _mangle(data, how)))


@pytest.mark.slow
@given(data=_RULES, how=_HOW)
@_FUZZ
def test_fuzz_rule_files_give_one_line_errors(tmp_path: Path, data: object, how: str) -> None:
    _one_line_or_fine(load_rules, write(tmp_path, "rules.json", _mangle(data, how)))


_RECORDS = st.one_of(_JSON, st.dictionaries(st.sampled_from(["id", "text", "title", "date", "url"]),
                                            st.one_of(_VALUES, st.text(max_size=10)), max_size=5))


@pytest.mark.slow
@given(lines=st.lists(st.tuples(_RECORDS, _HOW), min_size=1, max_size=4), skip=st.booleans())
@_FUZZ
def test_fuzz_jsonl_files_give_one_line_errors(tmp_path: Path, lines: list, skip: bool) -> None:  # type: ignore[type-arg]
    path = write(tmp_path, "news.jsonl", b"\n".join(_mangle(data, how) for data, how in lines))
    try:
        corpus = load_corpus([path], on_error="skip" if skip else "stop")
    except CorpusError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
        return
    for line in corpus.warnings + corpus.notices:
        assert line.startswith(str(path)) and "\n" not in line


# ---------------------------------------------------------------- cache files of the wrong shape

_GOOD = parsed_to_dict(ParsedDoc(doc_id="a", sentences=((0, 2),), ents=(),
                                 tokens=(Token(0, 0, 2, "記事", "記事", "NOUN", "名詞", "ROOT", 0, "B"),)))
WRONG_SHAPES = {
    "a list": [],
    "a string": "parse",
    "no tokens": {"sentences": [], "ents": []},
    "tokens not a list": {**_GOOD, "tokens": {"0": 1}},
    "a short token row": {**_GOOD, "tokens": [[0, 0, 2, "記事"]]},
    "a token field of the wrong type": {**_GOOD, "tokens": [[0, 0, 2, "記事", "記事", "NOUN", "名詞", "ROOT", "0", "B"]]},
    "a head out of range": {**_GOOD, "tokens": [[0, 0, 2, "記事", "記事", "NOUN", "名詞", "ROOT", 5, "B"]]},
    "a sentence of three numbers": {**_GOOD, "sentences": [[0, 1, 2]]},
    "an entity without a label": {**_GOOD, "ents": [[0, 2]]},
    "a boolean for an offset": {**_GOOD, "sentences": [[False, True]]},
}


@pytest.mark.parametrize("shape", WRONG_SHAPES)
def test_a_cache_file_of_the_wrong_shape_is_a_miss(tmp_path: Path, shape: str) -> None:
    cache = ParseCache(tmp_path)
    key = cache_key("記事", model=model_id())
    path = tmp_path / key[:2] / f"{key}.json.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(json.dumps(WRONG_SHAPES[shape], ensure_ascii=False).encode()))
    assert cache.get(key, doc_id="a") is None
    path.write_bytes(gzip.compress(json.dumps(_GOOD, ensure_ascii=False).encode()))
    assert cache.get(key, doc_id="a") is not None  # the check passes a real parse


@pytest.mark.slow
def test_a_build_over_a_broken_cache_entry_parses_again_and_mends_it(tmp_path: Path, nlp: object) -> None:
    import kg

    corpus = write(tmp_path, "a.txt", "ロシアのプーチン大統領は会談した。\n")
    cache = tmp_path / "cache"
    key = cache_key(corpus.read_text(encoding="utf-8"), model=model_id())
    entry = cache / key[:2] / f"{key}.json.gz"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(gzip.compress(b'{"sentences": [], "tokens": [["x"]], "ents": []}'))
    _, report = kg.build([corpus], cache_dir=cache, workers=1)
    assert (report.parsed, report.cached) == (1, 0)
    _, report = kg.build([corpus], cache_dir=cache, workers=1)
    assert (report.parsed, report.cached) == (0, 1)


# ---------------------------------------------------------------- IRIs


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt", "trig"])
def test_no_entity_id_breaks_the_rdf(fmt: str) -> None:
    graph = small_graph()
    odd = ("user_a|b", "x>y <z", 'q"uote', "sp ace", "ロシア{}")
    entities = tuple(replace(e, id=odd[n]) for n, e in enumerate(graph.entities))
    renamed = {old.id: new.id for old, new in zip(graph.entities, entities)}
    relations = tuple(replace(r, subject=renamed[r.subject], object=renamed[r.object]) for r in graph.relations)
    weird = KnowledgeGraph(documents=graph.documents, entities=entities, relations=relations)
    data = serialize(weird, fmt)
    parsed = Graph().parse(data=data, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "trig": "trig"}[fmt])
    for entity in entities:
        assert any(parsed.triples((entity_iri(entity.id), None, None))), entity.id
    assert str(entity_iri("user_a|b")).endswith("/entity/user_a%7Cb")
    assert str(entity_iri("usa")).endswith("/entity/usa")  # kg's own ids are unchanged


def test_a_lexicon_label_with_a_bar_builds_valid_turtle(tmp_path: Path) -> None:
    path = write(tmp_path, "lexicon.json", '{"entities": [{"label": "A|B党", "type": "Organization"}]}')
    entry = load_lexicon(path).lookup("A|B党")
    assert entry is not None
    Graph().parse(data=f"<{entity_iri(entry.id)}> <urn:p> 1 .", format="turtle")


# ---------------------------------------------------------------- what reaches the terminal


@pytest.mark.slow
def test_escape_sequences_in_file_names_and_text_are_shown_not_run(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "evil\x1b[2J\x1b]0;owned\x07.txt").write_bytes(b"")
    (corpus / "ok.txt").write_text("ロシアの記事。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "extract", str(corpus), "--on-error", "skip"],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=300)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "evil\\x1b[2J\\x1b]0;owned\\x07.txt: empty file; skipped" in result.stderr
    assert printable("表\u202eの\n行") == "表\\u202eの\\n行"


def test_escape_sequences_in_labels_are_shown_not_run_in_query_tables() -> None:
    graph = small_graph()
    entities = tuple(replace(e, label="\x1b[31m赤\x1b[0m") if n == 0 else e
                     for n, e in enumerate(graph.entities))
    table = KnowledgeGraph(documents=graph.documents, entities=entities, relations=graph.relations) \
        .sparql("SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l").to_table()  # type: ignore[union-attr]
    assert "\x1b" not in table and "\\x1b[31m赤\\x1b[0m" in table


def _in_chromium(tmp_path: Path, script: str) -> str:
    """What ``script`` writes into the page's body, run by the real headless Chromium."""
    page = tmp_path / "page.html"
    page.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body><script>{script}</script></body>", encoding="utf-8")
    result = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                            capture_output=True, text=True, check=False, timeout=120)
    return result.stdout.split("<body>", 1)[1].split("</body>", 1)[0].strip()


@pytest.mark.slow
@pytest.mark.browser
def test_a_document_called_proto_is_a_document_in_the_page(tmp_path: Path) -> None:
    from kg.export.html import _script_json

    meta = _script_json({"docs": {"__proto__": "見出し", "a.txt": "別の記事"}})
    shown = _in_chromium(tmp_path, f"const META = {meta}; document.body.textContent = "
                                   "[META.docs['__proto__'], META.docs['a.txt']].join('|');")
    assert shown == "見出し|別の記事"
    # the literal form this replaced: the key set the prototype, and the title was lost
    literal = json.dumps({"docs": {"__proto__": "見出し"}}, ensure_ascii=False)
    shown = _in_chromium(tmp_path, f"const META = {literal}; document.body.textContent = String(META.docs['__proto__']);")
    assert shown == "[object Object]"
