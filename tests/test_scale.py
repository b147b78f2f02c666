"""What the performance work must not change: the parse stages read, the cache keys, the outputs."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from spacy.util import get_package_version

import kg
from kg.ner import model_meta
from kg.nlp import DEFAULT_MODEL, EXCLUDED_PIPES, PARSE_FORMAT, load_model, model_id, parse_text
from kg.pipeline import Stages

from .conftest import CORPUS, ROOT


#: Parses with and without pipes, in fresh processes.
pytestmark = [pytest.mark.slow]


def test_leaving_out_pipes_keeps_every_field_the_stages_read(nlp) -> None:  # type: ignore[no-untyped-def]
    full = load_model(DEFAULT_MODEL, exclude=())
    assert set(EXCLUDED_PIPES) <= set(full.pipe_names)
    assert not set(EXCLUDED_PIPES) & set(nlp.pipe_names)
    text = (CORPUS / "002_0dcbf6ada95cb816.txt").read_text(encoding="utf-8")
    lean_doc = parse_text(text, doc_id="d", nlp=nlp)
    full_doc = parse_text(text, doc_id="d", nlp=full)
    assert len(lean_doc.tokens) > 1000 and lean_doc.spans and lean_doc.sentences
    assert not lean_doc.ents and full_doc.ents  # GiNZA's own NER is the one pipe left out: kg's head replaces it
    # GiNZA's bunsetu recognizer joins the phrases inside its own entities; without them a phrase
    # boundary may fall inside one (ハマスの|停戦協定). Everything else is the same.
    differ = [(a.start, a.end) for a, b in zip(lean_doc.tokens, full_doc.tokens) if a != b]
    assert all(any(e.start <= s and t <= e.end for e in full_doc.ents) for s, t in differ)
    bunsetu = tuple(replace(a, bunsetu=b.bunsetu) for a, b in zip(lean_doc.tokens, full_doc.tokens))
    assert replace(lean_doc, tokens=bunsetu) == replace(full_doc, ents=())


def test_model_id_is_the_one_spacy_reports(nlp) -> None:  # type: ignore[no-untyped-def]
    # The cache key must not change because the version is read without spaCy.
    version = get_package_version(DEFAULT_MODEL)
    assert model_id() == f"{DEFAULT_MODEL}=={version};format={PARSE_FORMAT};kg_ner={model_meta()['trained']}"
    assert nlp.meta["version"] == version


def test_a_build_from_the_cache_never_imports_spacy(seed_build, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    script = (
        "import sys, kg\n"
        f"graph, report = kg.build([{str(CORPUS)!r}], cache_dir={str(cache_dir)!r}, workers=2)\n"
        "print(report.cached, report.parsed, len(graph.entities), 'spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    graph, _ = seed_build
    assert out.stdout.split() == ["5", "0", str(len(graph.entities)), "False"]


def test_stages_time_every_stage_of_a_build(seed_build, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    stages = Stages()
    graph, report = kg.build([CORPUS], cache_dir=cache_dir, stages=stages)
    assert list(report.seconds) == ["read", "map", "time", "entities", "relations", "events", "graph"]
    assert report.seconds == stages.seconds
    assert graph.entities == seed_build[0].entities


def test_a_records_sentences_are_one_flat_array_read_like_a_tuple_of_spans() -> None:
    """Sentence spans are kept compact for the whole build, yet every reader sees the same pairs."""
    import pickle
    from array import array

    from kg.spans import SpanArray, span_at

    spans = SpanArray([(0, 12), (12, 30), (31, 40)])
    assert isinstance(spans._flat, array) and len(spans._flat) == 6
    assert len(spans) == 3 and list(spans) == [(0, 12), (12, 30), (31, 40)]
    assert spans[1] == (12, 30) and spans[-1] == (31, 40) and spans[1:] == ((12, 30), (31, 40))
    assert spans == ((0, 12), (12, 30), (31, 40)) and ((0, 12), (12, 30), (31, 40)) == spans
    assert hash(spans) == hash(((0, 12), (12, 30), (31, 40)))
    assert span_at(spans, 20) == (12, 30) and span_at(spans, 30) is None
    assert pickle.loads(pickle.dumps(spans)) == spans  # records cross from the workers pickled
    with pytest.raises(IndexError):
        spans[3]


def test_records_made_and_read_from_the_cache_keep_their_sentences_compact(seed_build, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from kg.corpus import load_corpus
    from kg.lexicon import load_lexicon
    from kg.mapstep import map_documents
    from kg.records import record_from_dict, record_to_dict
    from kg.rules import load_rules
    from kg.spans import SpanArray

    docs = load_corpus([CORPUS]).documents
    records, _ = map_documents(docs[:1], lexicon=load_lexicon(), rules=load_rules(), cache_dir=cache_dir, workers=1)
    record = records[0]
    assert isinstance(record.sentences, SpanArray) and len(record.sentences) > 5
    again = record_from_dict(record_to_dict(record), doc_id=record.doc_id)
    assert isinstance(again.sentences, SpanArray) and again.sentences == record.sentences
