"""The baseline: raw ``nlp.pipe`` over the corpus's chunks in one process, and each pipe's cost.

Run by bench/run.py in a fresh process. It reads the corpus and chunks it the
way kg does, loads the full ``ja_ginza`` pipeline (every pipe, as
``spacy.load`` gives it), then times:

- ``pipe``: ``nlp.pipe`` over every chunk, the throughput kg is held to;
- ``article``: ``nlp.pipe`` over the chunks of one extra article (the one
  bench/run.py adds to a built corpus);
- ``pipes``: a second pass, one component at a time over the same chunks,
  so each pipe's share of the parse is known (tokenizer = Sudachi).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from kg.chunking import chunk_spans
from kg.corpus import read_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--article", type=Path, required=True, help="the article added later")
    parser.add_argument("--no-pipes", action="store_true", help="skip the per-pipe pass")
    args = parser.parse_args()

    docs = read_corpus(args.paths)
    chunks = [d.text[s:e] for d in docs for s, e in chunk_spans(d.text)]
    article = [t[s:e] for t in [read_corpus([args.article])[0].text] for s, e in chunk_spans(t)]

    start = time.perf_counter()
    import spacy

    nlp = spacy.load("ja_ginza")
    result: dict[str, object] = {"load": time.perf_counter() - start}

    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(chunks):
        pass
    result["pipe"] = time.perf_counter() - start
    result["pipe_cpu"] = time.process_time() - cpu
    result["chars"] = sum(len(c) for c in chunks)
    result["documents"] = len(docs)
    result["chunks"] = len(chunks)

    start = time.perf_counter()
    for _ in nlp.pipe(article):
        pass
    result["article"] = time.perf_counter() - start
    result["article_chars"] = sum(len(c) for c in article)
    result["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    if not args.no_pipes:
        pipes: dict[str, float] = {}
        start = time.perf_counter()
        parsed = [nlp.make_doc(c) for c in chunks]
        pipes["tokenizer"] = time.perf_counter() - start
        for name, component in nlp.pipeline:
            start = time.perf_counter()
            if hasattr(component, "pipe"):
                parsed = list(component.pipe(parsed))
            else:
                parsed = [component(d) for d in parsed]
            pipes[name] = time.perf_counter() - start
        result["pipes"] = pipes
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
