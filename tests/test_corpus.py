"""Readers: ids, titles, URLs, formats, encodings and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.corpus import read_corpus
from kg.errors import CorpusError

from .conftest import CORPUS


def test_seed_corpus_reads_five_documents_named_by_file() -> None:
    docs = read_corpus([CORPUS])
    assert [d.id for d in docs] == sorted(p.name for p in CORPUS.glob("*.txt"))
    first = docs[0]
    assert first.title.startswith("第二回目の米露首脳会談")
    assert all(d.text for d in docs)


def test_urls_are_found_and_stop_at_japanese_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("題名\n出典:https://example.com/news/1?x=1です。\n", encoding="utf-8")
    (doc,) = read_corpus([tmp_path])
    assert doc.urls == ("https://example.com/news/1?x=1",)
    assert doc.title == "題名"


def test_jsonl_reads_one_document_per_line(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    rows = [{"id": "n1", "text": "米国の話。", "title": "T", "url": "https://e.org/1"},
            {"id": "n2", "text": "ロシアの話。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    docs = read_corpus([path])
    assert [(d.id, d.title) for d in docs] == [("n1", "T"), ("n2", "ロシアの話。")]
    assert docs[0].urls == ("https://e.org/1",)


def test_jsonl_bad_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: not valid JSON"):
        read_corpus([path])


def test_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file or folder"):
        read_corpus([tmp_path / "nope"])


def test_shift_jis_and_crlf_are_decoded(tmp_path: Path) -> None:
    text = "ロシアのプーチン大統領とウクライナのゼレンスキー大統領が会談した。\r\n二行目です。\r\n" * 3
    (tmp_path / "sjis.txt").write_bytes(text.encode("shift_jis"))
    (doc,) = read_corpus([tmp_path])
    assert doc.text == text.replace("\r\n", "\n")


def test_duplicate_content_is_one_document_with_both_names(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("同じ記事。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("同じ記事。", encoding="utf-8")
    (doc,) = read_corpus([tmp_path])
    assert doc.id == "a.txt" and doc.meta["duplicates"] == "b.txt"
