"""Bad input, case by case: real files in tmp_path, the real CLI for exit codes and stderr.

Each input case of issue #9 has its expected outcome here (the README table
"What happens with bad input" lists the same cases). Cases that stop the build
fail in the read stage, before GiNZA is loaded, so they are quick; the cases
that are skipped or handled are built together once, into one messy corpus.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg.corpus import decode_bytes, extract_html, load_corpus
from kg.errors import CorpusError
from kg.nlp import parse_text

from .conftest import ROOT

ARTICLE = ("ロシアのプーチン大統領と米国のトランプ大統領は16日、フィンランドの首都ヘルシンキで会談した。"
           "両首脳は核軍縮について協議した。\n会談は約2時間に及んだ。\n")

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>首脳会談 | 例のニュース</title>
<meta property="og:title" content="米露首脳会談、ヘルシンキで">
<link rel="canonical" href="https://example.jp/news/123">
<script>document.title = "スクリプトの中身";</script></head>
<body><nav>ホーム | 政治 | 経済 | 国際</nav>
<article><h1>米露首脳会談</h1>
<p>ロシアのプーチン大統領と米国のトランプ大統領は16日、フィンランドの首都ヘルシンキで会談した。両首脳は核軍縮について協議した。</p>
<p>会談は約2時間に及んだ。プーチン大統領は記者会見で「建設的だった」と述べた。&lt;b&gt;は文字のままです。</p>
</article><footer>著作権表示</footer></body></html>
"""


def run_kg(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False, timeout=600)


def assert_one_error_line(result: subprocess.CompletedProcess[str], *parts: str) -> str:
    """Exit 1, and stderr is exactly one ``kg: error:`` line holding every part (no traceback)."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    for part in parts:
        assert part in lines[0]
    return lines[0]


# --- cases that stop the build (default --on-error stop) --------------------------------

def test_missing_path_stops_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_kg("build", tmp_path / "a.txt", tmp_path / "nope", "--out", tmp_path / "out")
    assert_one_error_line(result, f"{tmp_path / 'nope'}: no such file or folder")
    assert not (tmp_path / "out").exists()


def test_unsupported_file_given_by_name_stops(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n")
    result = run_kg("build", tmp_path / "a.pdf", "--out", tmp_path / "out")
    assert_one_error_line(result, "a.pdf: unsupported file type '.pdf'", ".html", ".jsonl")


def test_binary_file_stops_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 8)
    result = run_kg("build", tmp_path, "--out", tmp_path / "out")
    assert_one_error_line(result, f"{tmp_path / 'b.txt'}: looks like a binary file", "--on-error skip")


def test_malformed_jsonl_line_stops_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "n1", "text": "米国の話。"}\n\n{"id": "n2", "text": 3}\n{oops\n', encoding="utf-8")
    result = run_kg("build", path, "--out", tmp_path / "out")
    assert_one_error_line(result, f"{path}:3: a record needs a string field 'text'")
    path.write_text('{"id": "n1", "text": "米国の話。"}\n{oops\n', encoding="utf-8")
    assert_one_error_line(run_kg("build", path, "--out", tmp_path / "out"), f"{path}:2: not valid JSON")


@pytest.mark.slow
def test_corpus_of_only_empty_files_stops_listing_them(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text(" \r\n\t\n", encoding="utf-8")
    result = run_kg("build", tmp_path, "--out", tmp_path / "out")
    assert_one_error_line(result, "no documents left", "empty.txt: empty file", "blank.md: only whitespace")


def test_duplicate_ids_in_jsonl_stop(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "x", "text": "一つ目。"}\n{"id": "x", "text": "二つ目。"}\n', encoding="utf-8")
    result = run_kg("build", path, "--out", tmp_path / "out")
    assert_one_error_line(result, f"{path}:2: another document already has the id 'x'")


def test_output_folder_that_is_a_file_is_one_line(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = run_kg("build", tmp_path / "a.txt", "--out", tmp_path / "out", "--cache", cache_dir, "--quiet")
    assert_one_error_line(result, str(tmp_path / "out"))
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


# --- the messy corpus: everything that is skipped or handled, built once ----------------

def _write_messy_corpus(root: Path) -> None:
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\u3000\n\t", encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "crlf.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    (root / "bom.txt").write_bytes("BOM付きの記事\n".encode("utf-8-sig") + ARTICLE.encode("utf-8"))
    (root / "sjis.txt").write_bytes(("Shift_JISの記事\n" + ARTICLE).encode("shift_jis"))
    (root / "eucjp.txt").write_bytes(("EUC-JPの記事\n" + ARTICLE).encode("euc_jp"))
    (root / "jis.txt").write_bytes(("ISO-2022-JPの記事\n" + ARTICLE).encode("iso2022_jp"))
    (root / "utf16.txt").write_bytes(("UTF-16の記事\n" + ARTICLE).encode("utf-16"))
    bad = ("壊れたUTF-8の記事\n" + ARTICLE).encode("utf-8")
    (root / "badutf8.txt").write_bytes(bad[:30] + b"\xff" + bad[30:])
    (root / "english.txt").write_text("The prime minister met the president in Tokyo on Monday.\n",
                                      encoding="utf-8")
    (root / "copy-a.txt").write_text("同じ内容の記事。" + ARTICLE, encoding="utf-8")
    (root / "copy-b.txt").write_text("同じ内容の記事。" + ARTICLE, encoding="utf-8")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "no-text.htm").write_text("<html><head><title>空</title></head><body><script>var a = 1;</script></body></html>",
                                       encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # not a supported suffix: ignored
    rows = [json.dumps({"id": "j1", "text": "JSONLの記事\u2028改行文字入り。" + ARTICLE}, ensure_ascii=False),
            "{oops",
            json.dumps({"id": "j2", "text": ""}),
            json.dumps({"id": "j3", "text": "サロゲート\ud800入り。" + ARTICLE}),
            json.dumps(["not", "an", "object"])]
    (root / "news.jsonl").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> dict[str, object]:
    """``kg build --on-error skip`` of the messy corpus: the result, its warnings, notices and JSON."""
    root = tmp_path_factory.mktemp("messy")
    corpus = root / "corpus"
    _write_messy_corpus(corpus)
    result = run_kg("build", corpus, "--out", root / "out", "--cache", cache_dir, "--workers", "1",
                    "--on-error", "skip")
    lines = result.stderr.strip().splitlines()
    return {
        "corpus": corpus, "out": root / "out", "result": result,
        "warnings": [ln.removeprefix("kg: warning: ") for ln in lines if ln.startswith("kg: warning: ")],
        "notices": [ln.removeprefix("kg: notice: ") for ln in lines if ln.startswith("kg: notice: ")],
        "other": [ln for ln in lines if not ln.startswith(("kg: warning: ", "kg: notice: "))],
        "json": json.loads((root / "out" / "graph.json").read_text(encoding="utf-8"))
        if (root / "out" / "graph.json").exists() else {},
    }


def _lines_about(lines: object, corpus: Path, name: str) -> list[str]:
    prefix = f"{corpus / name}"
    return [ln.removeprefix(prefix) for ln in lines if ln.startswith(prefix)]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_messy_corpus_builds_and_says_nothing_but_warnings_and_notices(messy: dict) -> None:
    result = messy["result"]
    assert result.returncode == 0, result.stderr
    assert messy["other"] == []  # no traceback, no stray log lines
    assert "wrote:" in result.stdout
    ids = sorted(d["id"] for d in messy["json"]["graph"]["documents"])
    assert ids == sorted(["crlf.txt", "bom.txt", "sjis.txt", "eucjp.txt", "jis.txt", "utf16.txt",
                          "badutf8.txt", "english.txt", "copy-a.txt", "page.html", "j1", "j3"])


@pytest.mark.parametrize(("name", "warning"), [
    ("empty.txt", ": empty file; skipped"),
    ("blank.txt", ": only whitespace; skipped"),
    ("binary.txt", ": looks like a binary file, not text; skipped"),
    ("no-text.htm", ": no article text found in the page; skipped"),
    ("news.jsonl:2", ": not valid JSON (Expecting property name enclosed in double quotes at column 2); skipped"),
    ("news.jsonl:3", ": empty 'text'; skipped"),
    ("news.jsonl:4", ": 1 lone surrogate escape(s) replaced with U+FFFD"),
    ("news.jsonl:5", ": a record needs a string field 'text'; skipped"),
    ("badutf8.txt", ": 1 invalid utf-8 byte sequence(s) replaced with U+FFFD"),
])
def test_skipped_or_changed_input_is_a_warning_naming_file_and_reason(messy: dict, name: str,
                                                                     warning: str) -> None:
    assert _lines_about(messy["warnings"], messy["corpus"], name) == [warning]


@pytest.mark.parametrize(("name", "encoding"), [
    ("bom.txt", "utf-8-sig"), ("sjis.txt", "shift_jis"), ("eucjp.txt", "euc_jp"),
    ("jis.txt", "iso2022_jp"), ("utf16.txt", "utf-16"),
])
def test_detected_encoding_is_a_notice(messy: dict, name: str, encoding: str) -> None:
    assert _lines_about(messy["notices"], messy["corpus"], name) == [f": read as {encoding}"]


def test_plain_utf8_and_crlf_get_no_notice(messy: dict) -> None:
    assert _lines_about(messy["notices"], messy["corpus"], "crlf.txt") == []
    assert _lines_about(messy["warnings"], messy["corpus"], "crlf.txt") == []


def test_non_japanese_text_is_built_with_a_notice(messy: dict) -> None:
    (line,) = _lines_about(messy["notices"], messy["corpus"], "english.txt")
    assert line.startswith(": little Japanese text (0% of letters are kana or kanji)")


def test_duplicate_content_is_one_document_with_a_notice(messy: dict) -> None:
    assert _lines_about(messy["notices"], messy["corpus"], "copy-b.txt") == [
        ": same text as copy-a.txt; kept as one document under both names"]
    docs = load_corpus([messy["corpus"] / "copy-a.txt", messy["corpus"] / "copy-b.txt"]).documents
    assert [(d.id, d.meta["duplicates"]) for d in docs] == [("copy-a.txt", "copy-b.txt")]


def test_unsupported_files_inside_a_folder_are_ignored(messy: dict) -> None:
    assert not any("image.png" in ln for ln in messy["warnings"] + messy["notices"])


def test_html_page_keeps_title_url_and_article_text(messy: dict) -> None:
    (page,) = [d for d in messy["json"]["graph"]["documents"] if d["id"] == "page.html"]
    assert page["title"] == "米露首脳会談、ヘルシンキで"
    assert page["urls"][0] == "https://example.jp/news/123"
    labels = {n["label"] for n in messy["json"]["nodes"]}
    assert "プーチン" in labels and any(label.startswith("トランプ") for label in labels)


def test_every_decoded_document_has_the_original_text(messy: dict) -> None:
    docs = {d.id: d for d in load_corpus([messy["corpus"]], on_error="skip").documents}
    for name, head in [("sjis.txt", "Shift_JIS"), ("eucjp.txt", "EUC-JP"), ("jis.txt", "ISO-2022-JP"),
                       ("utf16.txt", "UTF-16"), ("bom.txt", "BOM付き")]:
        assert docs[name].text.startswith(head) and docs[name].text.endswith(ARTICLE), name
        assert docs[name].title.startswith(head)
    assert docs["crlf.txt"].text == ARTICLE and docs["crlf.txt"].meta["encoding"] == "utf-8"
    assert docs["badutf8.txt"].text.count("\ufffd") == 1
    assert "\u2028改行文字入り" in docs["j1"].text  # a U+2028 inside a JSON line is not a line end
    assert "サロゲート\ufffd入り" in docs["j3"].text


def test_evidence_offsets_point_into_the_normalised_text(messy: dict) -> None:
    docs = {d.id: d.text for d in load_corpus([messy["corpus"]], on_error="skip").documents}
    evidence = [ev for edge in messy["json"]["edges"] for ev in edge["evidence"]]
    assert any(ev["doc"] == "crlf.txt" for ev in evidence)
    for ev in evidence:
        assert docs[ev["doc"]][ev["start"]:ev["end"]] == ev["sentence"]


# --- readers, directly -------------------------------------------------------------------

def test_html_extraction_drops_markup_scripts_and_navigation() -> None:
    page = extract_html(PAGE)
    assert page.title == "米露首脳会談、ヘルシンキで"
    assert page.url == "https://example.jp/news/123"
    assert "プーチン大統領は記者会見で「建設的だった」と述べた。<b>は文字のままです。" in page.text
    assert "スクリプトの中身" not in page.text and "ホーム" not in page.text and "<p>" not in page.text


def test_html_without_og_title_takes_the_title_element(tmp_path: Path) -> None:
    html = PAGE.replace('<meta property="og:title" content="米露首脳会談、ヘルシンキで">', "")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (doc,) = load_corpus([tmp_path]).documents
    assert doc.title == "首脳会談 | 例のニュース"
    assert doc.meta == {"encoding": "utf-8", "url": "https://example.jp/news/123"}


def test_html_in_shift_jis_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(PAGE.replace("utf-8", "shift_jis").encode("shift_jis"))
    corpus = load_corpus([tmp_path])
    (doc,) = corpus.documents
    assert "ヘルシンキで会談した" in doc.text and doc.meta["encoding"] in {"cp932", "shift_jis"}
    assert corpus.notices == [f"{tmp_path / 'a.html'}: read as {doc.meta['encoding']}"]


def test_short_euc_jp_is_read_as_japanese_not_korean() -> None:
    decoded = decode_bytes("日本語の短い文。".encode("euc_jp"), source="s")
    assert decoded.text == "日本語の短い文。"


def test_utf16_without_bom_is_text_not_binary() -> None:
    decoded = decode_bytes(("記事の本文です。" * 20).encode("utf-16-le"), source="s")
    assert decoded.text == "記事の本文です。" * 20


@pytest.mark.parametrize("data", [b"\x7fELF\x02\x01\x01" + bytes(200), bytes(range(1, 32)) * 20,
                                  b"PK\x03\x04" + bytes(range(256)) * 4])
def test_binary_content_is_refused(data: bytes) -> None:
    with pytest.raises(CorpusError, match="looks like a binary file"):
        decode_bytes(data, source="f.txt")


def test_jsonl_skip_keeps_the_good_records(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "a", "text": "一つ目。"}\n{"id": 1, "text": "二つ目。", "title": ["x"]}\n'
                    '{"id": "c", "text": "三つ目。"}\n', encoding="utf-8")
    corpus = load_corpus([path], on_error="skip")
    assert [d.id for d in corpus.documents] == ["a", "c"]
    assert corpus.warnings == [f"{path}:2: field 'title' must be a string, not list; skipped"]
    with pytest.raises(CorpusError, match=r"news.jsonl:2: field 'title'"):
        load_corpus([path])


def test_unknown_on_error_value_lists_the_choices(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="stop, skip"):
        load_corpus([tmp_path], on_error="ignore")  # type: ignore[arg-type]
    result = run_kg("build", tmp_path, "--on-error", "ignore")
    assert result.returncode == 2 and "invalid choice: 'ignore'" in result.stderr


# --- a single line of several hundred kilobytes, through GiNZA ---------------------------

@pytest.mark.slow
def test_one_line_of_several_hundred_kilobytes_parses_with_exact_offsets(tmp_path: Path, nlp: object) -> None:
    sentences = "ロシアのプーチン大統領と米国のトランプ大統領は16日、ヘルシンキで会談した。" * 1700
    no_stop = "あいうえおかきくけこ" * 2500  # 75 kB with no punctuation at all: must be cut anyway
    line = sentences + no_stop + sentences[:3000]
    (tmp_path / "long.txt").write_text(line, encoding="utf-8")  # no newline anywhere
    (doc,) = load_corpus([tmp_path]).documents
    assert "\n" not in doc.text and len(doc.text.encode("utf-8")) > 250_000
    parsed = parse_text(doc.text, doc_id=doc.id, nlp=nlp)  # type: ignore[arg-type]
    assert all(doc.text[t.start:t.end] == t.text for t in parsed.tokens)
    assert parsed.spans and all(doc.text[e.start:e.end] for e in parsed.spans)  # kg's NER head
    assert parsed.tokens[-1].end == len(doc.text)
    assert [t.i for t in parsed.tokens] == list(range(len(parsed.tokens)))  # one index space over chunks
    names = {doc.text[e.start:e.end] for e in parsed.spans}
    assert "プーチン" in names and any(name.startswith("トランプ") for name in names)


# --- outputs ------------------------------------------------------------------------------

def test_extract_writes_its_file_whole(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = run_kg("extract", tmp_path / "a.txt", "-o", out, "--cache", cache_dir)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["id"] == "a.txt" and any(m["text"] == "プーチン" for m in record["mentions"])
    assert not list(tmp_path.glob(".*.tmp"))


def test_messy_outputs_parse(messy: dict) -> None:
    ttl = Graph().parse(messy["out"] / "graph.ttl")
    assert len(ttl) > 50
    page = (messy["out"] / "graph.html").read_text(encoding="utf-8")
    assert "<b>は文字のままです" not in page  # article text never lands in the page as markup


def test_bytes_no_decoder_makes_sense_of_stop_or_skip(tmp_path: Path) -> None:
    noise = bytes((n * 7919 + 13) % 255 + 1 for n in range(4000))  # no NUL, no encoding
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    result = run_kg("build", tmp_path, "--out", tmp_path / "out")
    assert_one_error_line(result, f"{tmp_path / 'noise.txt'}: cannot tell the text encoding; save it as UTF-8")
    corpus = load_corpus([tmp_path], on_error="skip")
    assert [d.id for d in corpus.documents] == ["ok.txt"]
    assert corpus.warnings == [f"{tmp_path / 'noise.txt'}: cannot tell the text encoding; save it as UTF-8; "
                               "skipped"]


@pytest.mark.slow
def test_quiet_keeps_warnings_and_drops_notices_and_the_output_folder_is_not_input(
        tmp_path: Path, cache_dir: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "sjis.txt").write_bytes(ARTICLE.encode("shift_jis"))
    for _ in range(2):  # the second build finds out/graph.html inside the corpus folder, and leaves it
        result = run_kg("build", corpus, "--out", corpus / "out", "--cache", cache_dir, "--quiet")
        assert result.returncode == 0, result.stderr
        assert result.stdout == ""
        assert result.stderr.splitlines() == [f"kg: warning: {corpus / 'empty.txt'}: empty file; skipped"]
    extract = run_kg("extract", corpus / "empty.txt", corpus / "sjis.txt", "--cache", cache_dir)
    assert extract.returncode == 0
    assert extract.stderr.splitlines() == [f"kg: warning: {corpus / 'empty.txt'}: empty file; skipped",
                                           f"kg: notice: {corpus / 'sjis.txt'}: read as shift_jis"]
    assert json.loads(extract.stdout)["id"] == "sjis.txt"


def test_surrogates_in_names_and_fields_never_reach_the_outputs(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "a\ud800", "title": "\udfff題", "url": "https://e.org/\ud800",
                                "text": "本文。"}) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("記事。", encoding="utf-8")
    odd = tmp_path / os.fsdecode(b"c\xff.txt")  # a file name that is not valid UTF-8
    odd.write_text("別の記事。", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    docs = {d.id: d for d in corpus.documents}
    assert set(docs) == {"a\ufffd", "b.txt", "c\ufffd.txt"}
    assert docs["a\ufffd"].title == "\ufffd題" and docs["a\ufffd"].meta["url"] == "https://e.org/\ufffd"
    for doc in corpus.documents:
        (doc.id + doc.title + doc.text + "".join(doc.urls)).encode("utf-8")  # no surrogate left
    assert f"{path}:1: 3 lone surrogate escape(s) replaced with U+FFFD" in corpus.warnings
