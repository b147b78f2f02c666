"""Run-on text against the same text in sentences: parse and every stage after it.

Builds two documents from the seed articles' sentences: one with every 。 and
line break replaced by 、 (one "sentence" of the whole length, as scraped
pages and transcripts sometimes are), one as written. Both are parsed with
the real model (chunked as kg chunks them) and reduced; the stage times show
whether run-on text costs about what the same text in sentences costs.

    .venv/bin/python bench/runon.py --chars 30000
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.chunking import MAX_SENTENCE_CHARS  # noqa: E402
from kg.corpus import load_corpus, make_document  # noqa: E402
from kg.nlp import load_model, parse_text, work_chunks  # noqa: E402
from kg.pipeline import Stages, graph_from_parses  # noqa: E402


def texts(chars: int) -> tuple[str, str]:
    """(run-on, in sentences): the same clauses, as many as make ``chars`` characters."""
    sentences = [s for d in load_corpus([ROOT / "corpus"]).documents
                 for s in re.findall(r"[^。\n]+。", d.text)]
    out, n = [], 0
    while n < chars:
        for s in sentences:
            out.append(s)
            n += len(s)
            if n >= chars:
                break
    in_sentences = "".join(out)
    return in_sentences.replace("。", "、"), in_sentences


def measure(name: str, text: str) -> dict[str, float]:
    nlp = load_model()
    doc = make_document(f"{name}.txt", text)
    started = time.perf_counter()
    parsed = parse_text(doc.text, doc_id=doc.id, nlp=nlp)
    parse = time.perf_counter() - started
    stages = Stages()
    graph_from_parses([doc], [parsed], stages=stages)
    longest = max(e - s for s, e in parsed.sentences)
    chunks = work_chunks(doc.text)
    return {"parse": parse, **stages.seconds, "chunks": len(chunks), "longest sentence": longest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=30_000, help="length of each text (default: 30,000)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (for bench/run.py)")
    args = parser.parse_args()
    run_on, in_sentences = texts(args.chars)
    load_model()
    rows = {"run-on (、 only)": measure("runon", run_on), "in sentences": measure("sentences", in_sentences)}
    if args.json:
        print(json.dumps({"chars": args.chars, "cap": MAX_SENTENCE_CHARS, "rows": rows}))
        return
    print(format_table(args.chars, rows))


def format_table(chars: int, rows: dict[str, dict[str, float]]) -> str:
    """The two rows side by side: parse and each stage after it, chunks, the longest sentence."""
    keys = list(next(iter(rows.values())))
    lines = [f"run-on text, {chars:,} characters; sentences cut at {MAX_SENTENCE_CHARS:,} characters",
             f"{'':18}" + "".join(f"{k:>18}" for k in keys)]
    for name, row in rows.items():
        lines.append(f"{name:18}" + "".join(f"{row[k]:>18.2f}" if isinstance(row[k], float) else f"{row[k]:>18}"
                                            for k in keys))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
