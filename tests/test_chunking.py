"""The chunker: under the byte limit, never inside a sentence below it, offsets exact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.chunking import MAX_SENTENCE_CHARS, SUDACHI_MAX_BYTES, chunk_spans

_JA = st.sampled_from(list("あいうえおカキクケコ日本語露米宇。、！？\n 「」ab1"))
texts = st.lists(_JA, max_size=400).map("".join)


def _nbytes(s: str) -> int:
    return len(s.encode("utf-8"))


@given(text=texts, limit=st.integers(min_value=4, max_value=120))
@settings(max_examples=300, deadline=None)
def test_chunks_tile_the_text_and_respect_the_limit(text: str, limit: int) -> None:
    spans = chunk_spans(text, max_bytes=limit)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s < e for s, e in spans)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    assert all(_nbytes(text[s:e]) <= limit for s, e in spans)


@given(sentences=st.lists(st.text(alphabet="あいう日本語カキ", min_size=1, max_size=12), min_size=1, max_size=40),
       limit=st.integers(min_value=40, max_value=200))
@settings(max_examples=200, deadline=None)
def test_no_cut_inside_a_sentence_that_fits(sentences: list[str], limit: int) -> None:
    text = "".join(s + "。" for s in sentences)
    ends = {i + 1 for i, ch in enumerate(text) if ch == "。"} | {0}
    for start, end in chunk_spans(text, max_bytes=limit):
        assert start in ends and end in ends


def test_seed_sized_document_is_split_under_sudachis_limit() -> None:
    paragraph = "ロシアのプーチン大統領は会談した。" * 200 + "\n"
    text = paragraph * 20
    spans = chunk_spans(text)
    assert len(spans) > 1
    assert all(_nbytes(text[s:e]) <= SUDACHI_MAX_BYTES for s, e in spans)
    assert all(text[e - 1] == "\n" for _, e in spans[:-1])  # cut at paragraph ends


def test_one_huge_line_without_punctuation_is_still_split() -> None:
    text = "あ" * 40_000
    spans = chunk_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(_nbytes(text[s:e]) <= SUDACHI_MAX_BYTES for s, e in spans)


# --- any text at all: surrogates, emoji, combining marks, CRLF --------------------------

_ODD = st.sampled_from(["\r\n", "\r", "\n", "👨\u200d👩\u200d👧", "🇯🇵", "❤\ufe0f", "👍🏽", "e\u0301",
                        "か\u3099", "\u0915\u094d\u0937", "\ud800", "\udfff", "\ufeff", "\u2028", "。", "、"])
any_text = st.lists(st.one_of(st.characters(exclude_categories=()), _ODD, _JA), max_size=300).map("".join)


@pytest.mark.slow
@given(text=any_text, limit=st.integers(min_value=4, max_value=80))
@settings(max_examples=400, deadline=None)
def test_any_text_is_tiled_exactly_under_the_limit(text: str, limit: int) -> None:
    spans = chunk_spans(text, max_bytes=limit)
    assert "".join(text[s:e] for s, e in spans) == text
    assert [s for s, _ in spans[1:]] == [e for _, e in spans[:-1]]
    assert all(s < e and len(text[s:e].encode("utf-8", "surrogatepass")) <= limit for s, e in spans)


# A user-perceived character: a base with 0–2 combining marks, or a joined emoji.
_CLUSTER = st.one_of(
    st.tuples(st.sampled_from(list("あ日aeカ") + ["\u0915"]),
              st.lists(st.sampled_from(["\u0301", "\u3099", "\u094d", "\u20dd"]), max_size=2))
    .map(lambda t: t[0] + "".join(t[1])),
    st.sampled_from(["👨\u200d👩\u200d👧", "🇯🇵", "🇯🇵", "🇺🇸", "❤\ufe0f", "👍🏽", "、", " "]),
)


@pytest.mark.slow
@given(clusters=st.lists(_CLUSTER, min_size=1, max_size=200), limit=st.integers(min_value=24, max_value=90))
@settings(max_examples=300, deadline=None)
def test_cuts_fall_between_user_perceived_characters(clusters: list[str], limit: int) -> None:
    text = "".join(clusters)
    bounds = {0}
    for cluster in clusters:
        bounds.add(max(bounds) + len(cluster))
    spans = chunk_spans(text, max_bytes=limit)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(s in bounds for s, _ in spans), [text[s:s + 2] for s, _ in spans if s not in bounds]


# --- through GiNZA: whatever the text, every offset maps back to its exact substring -----

_PARSEABLE = st.lists(st.one_of(
    st.sampled_from(["ロシアの", "プーチン大統領は", "東京で", "会談した", "。", "、", "「", "」", "\n", " ",
                     "👨\u200d👩\u200d👧", "🇯🇵", "e\u0301", "か\u3099", "\u3000", "\t", "ｶﾀｶﾅ", "１２", "\ufffd"]),
    st.characters(exclude_categories=("Cs",)),
), max_size=60).map("".join)


@pytest.mark.slow
@given(text=_PARSEABLE)
@settings(max_examples=60, deadline=None)
def test_ginza_offsets_map_back_to_the_exact_substring(nlp: object, text: str) -> None:
    from kg.corpus import normalize_newlines
    from kg.nlp import parse_text

    text = normalize_newlines(text)
    parsed = parse_text(text, doc_id="fuzz", nlp=nlp)  # type: ignore[arg-type]
    assert all(text[t.start:t.end] == t.text and t.text for t in parsed.tokens)
    assert [t.start for t in parsed.tokens] == sorted(t.start for t in parsed.tokens)
    assert all(0 <= s < e <= len(text) and text[s:e].strip() == text[s:e] for s, e in parsed.sentences)
    assert all(0 <= e.start < e.end <= len(text) for e in parsed.ents)
    assert [t.i for t in parsed.tokens] == list(range(len(parsed.tokens)))
    assert all(0 <= t.head < len(parsed.tokens) for t in parsed.tokens)  # never a dropped space token


@given(sentences=st.lists(st.text(alphabet="あいう日本語カキ", min_size=1, max_size=30), min_size=1, max_size=60),
       target=st.integers(min_value=20, max_value=200))
@settings(max_examples=200, deadline=None)
def test_target_size_packs_smaller_chunks_but_never_cuts_a_sentence(sentences: list[str], target: int) -> None:
    text = "".join(s + "。" for s in sentences)
    ends = {i + 1 for i, ch in enumerate(text) if ch == "。"} | {0}
    spans = chunk_spans(text, target_bytes=target)
    assert "".join(text[s:e] for s, e in spans) == text
    for start, end in spans:
        assert start in ends and end in ends  # every sentence is under Sudachi's limit: no cut inside
        sentence_count = text[start:end].count("。")
        assert _nbytes(text[start:end]) <= target or sentence_count == 1


# --- run-on text: no sentence handed to the parser is longer than the cap -------------------

_RUNON = st.sampled_from(list("あいう日本語カキ、、、 。\n「」"))


def _sentence_runs(text: str) -> list[str]:
    """The text between sentence ends (。 and the closing marks after it) and line breaks."""
    ends = sorted({0, len(text)} | {m.end() for m in re.finditer(r"[。！？!?．]+[」』）)\]】〕》〉\"'”’]*|\n+", text)})
    return [text[a:b] for a, b in zip(ends, ends[1:])]


@given(text=st.lists(_RUNON, max_size=600).map("".join), cap=st.integers(min_value=1, max_value=60),
       limit=st.integers(min_value=4, max_value=400))
@settings(max_examples=300, deadline=None)
def test_no_chunk_holds_a_sentence_longer_than_the_cap(text: str, cap: int, limit: int) -> None:
    spans = chunk_spans(text, max_bytes=limit, target_bytes=limit // 2 or None, max_sentence=cap)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    for s, e in spans:
        assert _nbytes(text[s:e]) <= limit
        assert all(len(run) <= cap for run in _sentence_runs(text[s:e])), text[s:e]


def test_run_on_clauses_are_cut_at_commas_under_the_cap() -> None:
    """16,000 characters of clauses joined by 、, no 。 and no line break (227 s in one parse before)."""
    clause = "ロシアのプーチン大統領は米国のトランプ大統領と電話で会談し"
    text = "、".join([clause] * 600)[:16_000]
    spans = chunk_spans(text, target_bytes=12_000)
    assert "".join(text[s:e] for s, e in spans) == text
    assert max(e - s for s, e in spans) <= MAX_SENTENCE_CHARS
    assert len(spans) == -(-len(text) // MAX_SENTENCE_CHARS) + 1  # each cut a little before the cap
    assert all(text[e - 1] == "、" for _, e in spans[:-1])  # at a comma, never inside a word


def test_text_in_sentences_is_packed_as_before() -> None:
    text = ("ロシアのプーチン大統領は会談した。" * 30 + "\n") * 40
    spans = chunk_spans(text, target_bytes=12_000)
    assert all(text[e - 1] == "\n" for _, e in spans[:-1])  # whole paragraphs, packed
    assert len(spans) == -(-len(text.encode()) // 12_000)
