"""Run-on text: everything after the parse does work in proportion to the text, however long a sentence.

GiNZA runs for real once, on 2,000 characters of seed clauses joined by 、;
its parse is then repeated to make one sentence of 1× and 4× that length
(what a page with no 。 and no line break gave before sentences were capped),
and the reduce's work is counted as the lines of kg's code it executes: a
bound on work, not a timing, so a loaded machine cannot make it flaky. The
relations stage took 174 s on 300 KB of such text when it re-counted quotes
from the sentence start for every mention and trigger.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from kg.chunking import MAX_SENTENCE_CHARS
from kg.corpus import make_document
from kg.model import NerSpan, ParsedDoc, Token
from kg.nlp import parse_text
from kg.pipeline import graph_from_parses

from .conftest import CORPUS

#: Run-on input, hundreds of kilobytes.
pytestmark = [pytest.mark.slow]


KG_DIR = str(Path(__file__).resolve().parent.parent / "kg")


def run_on_text(chars: int) -> str:
    text = (CORPUS / "001_f1a76085ec700616.txt").read_text(encoding="utf-8")
    return re.sub(r"[。\n]+", "、", text)[:chars]


def repeated(parsed: ParsedDoc, text: str, times: int) -> tuple[str, ParsedDoc]:
    """The text ``times`` over (still without a 。 or a line break) and its parse shifted to match."""
    n, size = len(parsed.tokens), len(text)
    sentences = tuple((s + j * size, e + j * size) for j in range(times) for s, e in parsed.sentences)
    tokens = tuple(Token(t.i + j * n, t.start + j * size, t.end + j * size, t.text, t.lemma, t.pos, t.tag, t.dep,
                         t.head + j * n, t.bunsetu) for j in range(times) for t in parsed.tokens)
    ents = tuple(NerSpan(e.start + j * size, e.end + j * size, e.label) for j in range(times) for e in parsed.ents)
    return text * times, ParsedDoc(doc_id=parsed.doc_id, sentences=sentences, tokens=tokens, ents=ents)


def lines_run(function: Any, *args: Any) -> int:
    """How many lines of kg's own code ``function(*args)`` executes."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename.startswith(KG_DIR) else None

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def test_the_reduce_is_linear_in_a_run_on_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = run_on_text(2_000)
    parsed = parse_text(text, doc_id="runon.txt", nlp=nlp)
    assert "。" not in text and max(e - s for s, e in parsed.sentences) <= MAX_SENTENCE_CHARS
    work = {}
    for times in (1, 4):
        long_text, long_parse = repeated(parsed, text, times)
        doc = make_document("runon.txt", long_text)
        work[times] = lines_run(graph_from_parses, [doc], [long_parse])
    assert work[1] > 10_000  # the rules really ran
    assert work[4] / work[1] < 4.4, work  # linear: 4; a scan per mention or trigger: up to 16
