#!/usr/bin/env python
"""Draw a reproducible sample of typed relations to grade by hand.

    .venv/bin/python scripts/sample_relations.py --articles 200 --relations 120 --out /tmp/sample.jsonl

Builds a random set of Wikinews articles (never the dev ones) and the seed
articles, then writes one JSON line per (relation, evidence sentence) drawn:
``{"doc", "start", "end", "sentence", "subject", "predicate", "object",
"modality", "rule", "correct": null, "cause": ""}``. A person then reads each
sentence and fills in ``correct`` (does the sentence say this relation?),
``modality`` (how the sentence tells it: asserted, planned, possible,
hypothetical, reported, past) and ``cause`` for a wrong one; ``kg eval
--graded`` scores later builds against the result.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIKINEWS = ROOT.parent / "shared" / "corpora" / "wikinews-ja"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200, help="Wikinews articles to build (default: 200)")
    parser.add_argument("--relations", type=int, default=120, help="Wikinews relations to draw (default: 120)")
    parser.add_argument("--seed-relations", type=int, default=40, help="seed-corpus relations to draw (default: 40)")
    parser.add_argument("--seed", type=int, default=13, help="random seed (default: 13)")
    parser.add_argument("--out", type=Path, required=True, help="where the sample goes (JSON Lines)")
    parser.add_argument("--articles-out", type=Path, default=None,
                        help="also write the drawn Wikinews articles here (JSON Lines), for the tests")
    parser.add_argument("--cache", default=".kg-cache", help="parse cache (default: .kg-cache)")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="leave out the articles of this JSON Lines file (an earlier sample's), repeatable")
    args = parser.parse_args(argv)

    import kg

    rng = random.Random(args.seed)
    dev = {p.stem for p in (WIKINEWS / "dev").glob("*.txt")}
    rows = [json.loads(line) for line in (WIKINEWS / "wikinews-ja.jsonl").open(encoding="utf-8")]
    seen = dev | {json.loads(line)["id"] for path in args.exclude for line in path.open(encoding="utf-8")}
    chosen = rng.sample([r for r in rows if r["id"] not in seen], args.articles)
    work = Path(args.out).with_suffix(".articles.jsonl") if args.articles_out is None else args.articles_out
    work.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    wiki, _ = kg.build([work], cache_dir=args.cache)
    out = _draw(wiki, args.relations, rng)
    if args.seed_relations:
        seeds, _ = kg.build([ROOT / "corpus"], cache_dir=args.cache)
        out += _draw(seeds, args.seed_relations, rng)
    args.out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in out), encoding="utf-8")
    print(f"{len(out)} relations from {len(chosen)} Wikinews articles and the seeds → {args.out}", file=sys.stderr)
    return 0


def _draw(graph, n: int, rng: random.Random) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """n (relation, evidence) pairs, one evidence per relation, typed relations only."""
    label = {e.id: e.label for e in graph.entities}
    typed = [r for r in graph.relations if r.predicate != "cooccurs_with"]
    picked = rng.sample(typed, min(n, len(typed)))
    items = []
    for rel in sorted(picked, key=lambda r: (r.evidence[0].doc, r.evidence[0].start, r.predicate)):
        ev = rng.choice(rel.evidence)
        items.append({"doc": ev.doc, "start": ev.start, "end": ev.end, "sentence": ev.sentence,
                      "subject": label[rel.subject], "predicate": rel.predicate, "object": label[rel.object],
                      "position": rel.position, "modality": ev.modality, "shown_modality": ev.modality,
                      "rule": rel.rule, "correct": None, "cause": ""})
    return items


if __name__ == "__main__":
    sys.exit(main())
