"""The chunker: under the byte limit, never inside a sentence below it, offsets exact."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.chunking import SUDACHI_MAX_BYTES, chunk_spans

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
