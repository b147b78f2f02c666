#!/usr/bin/env python
"""Draw a reproducible sample of event nodes from Japanese Wikinews to grade by hand.

    .venv/bin/python scripts/sample_events.py --dev --articles 16 --events 0 --out /tmp/events.jsonl \
        --articles-out /tmp/events-articles.jsonl

Picks random Wikinews articles (never the dev ones, nor those of an earlier graded sample
given with --exclude) that write at least one word of the event vocabulary
(kg/data/events.json: 会談, 首脳会談, 攻撃, 制裁, 合意…), with --dev the eight dev articles
too, builds them, and writes one JSON line per event node drawn (--events 0: every event of
those articles, so that a test can count an event no one graded as a wrong one):
``{"kind", "participants", "date", "date_text", "place", "modality", "ordinal",
"evidence": [{"doc", "start", "end", "sentence"}], "correct": null, "cause": ""}``.
A person then reads the sentences and fills in ``correct`` (is this an event of
that kind, between exactly these participants, on that date, at that place, with
that modality?) and ``cause`` for a wrong one; ``tests/test_events_graded.py``
scores later builds against the result (see tests/data/README.md).
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
    parser.add_argument("--articles", type=int, default=400, help="Wikinews articles to build (default: 400)")
    parser.add_argument("--events", type=int, default=45, help="event nodes to draw, 0 for all (default: 45)")
    parser.add_argument("--dev", action="store_true", help="also build the eight Wikinews dev articles")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="JSON Lines of articles already used (an earlier sample's articles): never drawn")
    parser.add_argument("--seed", type=int, default=17, help="random seed (default: 17)")
    parser.add_argument("--out", type=Path, required=True, help="where the sample goes (JSON Lines)")
    parser.add_argument("--articles-out", type=Path, default=None,
                        help="also write the Wikinews articles the drawn events come from (JSON Lines), for the tests")
    parser.add_argument("--cache", default=".kg-cache", help="parse cache (default: .kg-cache)")
    args = parser.parse_args(argv)

    import kg
    from kg.eventkinds import default_vocabulary

    rng = random.Random(args.seed)
    words = sorted({w for k in default_vocabulary().kinds.values() for w in k.words})
    dev = {p.stem for p in (WIKINEWS / "dev").glob("*.txt")}
    rows = [json.loads(line) for line in (WIKINEWS / "wikinews-ja.jsonl").open(encoding="utf-8")]
    used = {json.loads(line)["id"] for path in args.exclude for line in path.open(encoding="utf-8") if line.strip()}
    pool = [r for r in rows if r["id"] not in dev | used and any(w in r["text"] for w in words)]
    chosen = rng.sample(pool, min(args.articles, len(pool)))
    if args.dev:
        chosen = [r for r in rows if r["id"] in dev] + chosen
    work = Path(args.out).with_suffix(".built.jsonl")
    work.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8")
    graph, report = kg.build([work], cache_dir=args.cache)
    label = {e.id: e.label for e in graph.entities}
    events = list(graph.events)
    picked = rng.sample(events, min(args.events, len(events))) if args.events else events
    items = [{"id": e.id, "kind": e.kind, "participants": sorted(label[p] for p in e.participants), "date": e.date,
              "date_text": e.date_text, "place": e.place, "modality": e.modality, "ordinal": e.ordinal,
              "evidence": [{"doc": v.doc, "start": v.start, "end": v.end, "sentence": v.sentence} for v in e.evidence],
              "correct": None, "cause": ""}
             for e in sorted(picked, key=lambda e: (e.evidence[0].doc, e.evidence[0].start))]
    args.out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    if args.articles_out is not None:
        docs = {v["doc"] for i in items for v in i["evidence"]}
        args.articles_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen
                                             if r["id"] in docs), encoding="utf-8")
    print(f"{len(items)} of {len(graph.events)} events from {len(chosen)} Wikinews articles "
          f"({len(pool)} write an event word; dated: {report.dates}) → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
