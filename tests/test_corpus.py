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


def test_titles_are_the_headlines_not_site_chrome() -> None:
    titles = {d.id: d.title for d in read_corpus([CORPUS])}
    # the page's menu comes first in this one: the headline is the first line that is not chrome
    assert titles["004_38bd187ad446b2d2.txt"] == ("トランプ氏が描く「ウクライナ戦争終結」の条件とは?"
                                                  "米露首脳会談で浮上した「資源アクセス」という打開策")
    # no headline at all: the opening paragraph's first sentence stands in
    assert titles["002_0dcbf6ada95cb816.txt"] == "トランプ大統領とプーチン大統領が米国東部時間の19日午前、約1時間30分に渡って会談した。"


@pytest.mark.parametrize(("text", "title"), [
    ("B!\n\nシェア\n  ・関連記事\n見出し\n本文。", "見出し"),
    ("\n\n見出し  の\t空白 \n本文", "見出し の 空白"),
    ("長い段落の最初の文。" + "あ" * 120, "長い段落の最初の文。"),
    ("切れ目のない" + "あ" * 200, "切れ目のない" + "あ" * 93 + "…"),
])
def test_headline_skips_chrome_and_cuts_a_paragraph(tmp_path: Path, text: str, title: str) -> None:
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (doc,) = read_corpus([tmp_path])
    assert doc.title == title and len(doc.title) <= 100


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


# --- property-based: decoding and newline normalisation keep the text --------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.corpus import decode_bytes, normalize_newlines  # noqa: E402

_PRINTABLE = st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))
_ANY_TEXT = st.lists(st.one_of(_PRINTABLE, st.sampled_from(["\n", "\r\n", "\t", "日本", "🇯🇵", "e\u0301"])),
                     min_size=1, max_size=200).map("".join)
# Words in JIS X 0208, so Shift_JIS, EUC-JP and ISO-2022-JP can all encode them.
_WORDS = st.sampled_from(["ロシア", "の", "プーチン", "大統領", "は", "東京", "で", "会談", "した", "。", "、",
                          "米国", "首相", "が", "記者会見", "を", "行った", "「", "」", "外務省", "によると",
                          "２０１８年", "7月", "16日", "NATO", " ", "\n", "\r\n", "経済", "制裁"])
_JAPANESE = st.lists(_WORDS, min_size=8, max_size=120).map("".join).filter(
    lambda t: sum("\u3040" <= c <= "\u30ff" for c in t) >= 4)


@pytest.mark.slow
@given(text=_ANY_TEXT, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
@settings(max_examples=300, deadline=None)
def test_unicode_encodings_round_trip(text: str, codec: str) -> None:
    decoded = decode_bytes(text.encode(codec), source="f")
    assert decoded.text.removeprefix("\ufeff") == text.removeprefix("\ufeff")
    assert decoded.replaced == 0


@pytest.mark.slow
@given(text=_JAPANESE, codec=st.sampled_from(["shift_jis", "cp932", "euc_jp", "iso2022_jp", "utf-8"]))
@settings(max_examples=300, deadline=None)
def test_japanese_encodings_round_trip_and_are_named(text: str, codec: str) -> None:
    decoded = decode_bytes(text.encode(codec), source="f")
    assert decoded.text == text
    family = {"shift_jis": ("cp932", "shift_jis"), "cp932": ("cp932", "shift_jis"),
              "euc_jp": ("euc_jp", "euc_jis"), "iso2022_jp": ("iso2022_jp",), "utf-8": ("utf-8",)}[codec]
    assert decoded.encoding.startswith(family)


@given(text=st.lists(st.sampled_from(list("あ日a \t") + ["\r", "\n", "\r\n", "\ufeff", "\u2028"])).map("".join))
@settings(max_examples=300, deadline=None)
def test_newline_normalisation_keeps_every_line(text: str) -> None:
    normal = normalize_newlines(text)
    assert "\r" not in normal
    body = text.removeprefix("\ufeff")
    assert normal.split("\n") == body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert normal.replace("\n", "") == body.replace("\r", "").replace("\n", "")
    assert normalize_newlines(normal) == normal.removeprefix("\ufeff")


@given(text=_JAPANESE)
@settings(max_examples=50, deadline=None)
def test_a_crlf_file_reads_as_its_lf_text(tmp_path_factory, text: str) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("crlf")
    (folder / "a.txt").write_bytes(text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
    docs = read_corpus([folder], on_error="skip")
    if text.strip():
        assert docs[0].text == text.replace("\r\n", "\n")


# --- links, ids, special files, the output folder ---------------------------------------------

def _tree(root: Path) -> Path:
    """corpus/ with a subfolder, a link out of it (to a 'secret'), a link inside it and a link to a folder outside."""
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text("root:$6$secret-hash\n", encoding="utf-8")
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("ロシアの記事。\n", encoding="utf-8")
    (corpus / "sub" / "a.txt").write_text("米国の記事。\n", encoding="utf-8")
    (corpus / "x.md").symlink_to(root / "outside" / "secret.txt")
    (corpus / "linked").symlink_to(root / "outside")
    (corpus / "same.txt").symlink_to(corpus / "a.txt")
    return corpus


def test_links_out_of_the_corpus_are_skipped_and_named(tmp_path: Path) -> None:
    from kg.corpus import load_corpus

    corpus = load_corpus([_tree(tmp_path)])
    assert [(d.id, d.text) for d in corpus.documents] == [("a.txt", "ロシアの記事。\n"), ("sub/a.txt", "米国の記事。\n")]
    assert "secret" not in " ".join(d.text + d.title for d in corpus.documents)
    root = tmp_path.resolve()
    assert corpus.warnings == [
        f"{tmp_path}/corpus/linked: a symbolic link out of the folders given (to {root}/outside); "
        "skipped (--follow-symlinks reads it)",
        f"{tmp_path}/corpus/x.md: a symbolic link out of the folders given (to {root}/outside/secret.txt); "
        "skipped (--follow-symlinks reads it)"]
    followed = load_corpus([tmp_path / "corpus"], follow_symlinks=True)
    assert "linked/secret.txt" in [d.id for d in followed.documents] and followed.warnings == []


@pytest.mark.slow
def test_cli_build_publishes_nothing_a_link_points_to(tmp_path: Path, cache_dir: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    corpus, out = _tree(tmp_path), tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--cache",
                             str(cache_dir), "--workers", "1", "--quiet"], cwd=ROOT, capture_output=True,
                            text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("kg: warning: ") == 2 and "x.md: a symbolic link out of" in result.stderr
    for output in out.iterdir():
        assert "secret" not in output.read_text(encoding="utf-8"), output.name


def test_files_of_the_same_name_in_different_folders_are_two_documents(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / "c" / folder).mkdir(parents=True)
        (tmp_path / "c" / folder / "a.txt").write_text(f"{folder}の記事。\n", encoding="utf-8")
    assert [d.id for d in read_corpus([tmp_path / "c"])] == ["x/a.txt", "y/a.txt"]
    # given one by one: known by the path as given, since the names collide
    docs = read_corpus([tmp_path / "c" / "x" / "a.txt", tmp_path / "c" / "y" / "a.txt"])
    assert [d.id for d in docs] == [(tmp_path / "c" / f / "a.txt").as_posix() for f in ("x", "y")]


def test_a_fifo_named_on_the_command_line_is_refused_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="news.txt: not a regular file"):
        read_corpus([fifo])
    (tmp_path / "a.txt").write_text("記事。\n", encoding="utf-8")
    assert [d.id for d in read_corpus([tmp_path])] == ["a.txt"]  # in a folder: passed over


@pytest.mark.slow
def test_build_into_the_current_folder_reads_the_corpus(tmp_path: Path, cache_dir: Path) -> None:
    """`kg build corpus --out .` read nothing: the output folder held the corpus."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(CORPUS, tmp_path / "corpus")
    args = [sys.executable, "-m", "kg", "build", "corpus", "--out", ".", "--cache", str(cache_dir), "--workers", "1"]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("documents: 5 ")
    # and `kg build . --out out` never reads last time's page as an article
    (tmp_path / "corpus" / "graph.html").write_text("<html><body><p>古いページ</p></body></html>", encoding="utf-8")
    from kg.corpus import load_corpus

    docs = load_corpus([tmp_path / "corpus"], exclude=[tmp_path / "corpus"]).documents
    assert "graph.html" not in [d.id for d in docs] and len(docs) == 5


def test_an_output_or_cache_folder_that_cannot_be_written_fails_before_the_parse(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    if os.geteuid() == 0:  # root writes anywhere: a file where the folder should be stands in
        locked = tmp_path / "locked"
        locked.write_text("a file, not a folder", encoding="utf-8")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "new.txt").write_text("まだ解析されていない記事です。\n", encoding="utf-8")
    for option in ("--out", "--cache"):
        other = "--cache" if option == "--out" else "--out"
        result = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), option, str(locked), other,
                                 str(tmp_path / "ok" / option.strip("-"))], cwd=ROOT, capture_output=True,
                                text=True, check=False, timeout=120)
        assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith(f"kg: error: {locked}: the ")
        assert "parsed" not in result.stdout and not list((tmp_path / "ok").rglob("*.json.gz"))  # nothing parsed
