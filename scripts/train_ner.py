#!/usr/bin/env python
"""Train kg's named-entity head on the open Japanese NER data, reproducibly.

The head is a spaCy ``ner`` component (a small transition-based model) that
listens to ja_ginza's own tok2vec layer: GiNZA already computes that layer for
its parser, so our head adds little to a parse, and its weights (about 1 MB)
are all that ships. ja_ginza's tok2vec (and its static vectors) stay frozen.

Data: ``../shared/data/ner/`` (see its README): Stockmark's Wikipedia NER
sentences (CC BY-SA 3.0) and UD Japanese GSD with Megagon's NE layer
(CC BY-SA 4.0). Labels are mapped to PERSON, ORG, LOC, FAC, PRODUCT and EVENT
(the last four teach the head what is *not* a person or an organization;
states come from the lexicon, since both data sets tag countries as places).
A fixed share of Stockmark's articles (grouped by Wikipedia page, so no page
is on both sides) is held out as our dev split, with GSD's own dev file.

    .venv/bin/python scripts/train_ner.py            # about 15 min on 2 cores
    .venv/bin/python scripts/train_ner.py --epochs 2 --out /tmp/ner   # a quick check

Writes ``kg/data/ner/`` (the component, ``meta.json`` with the data, seed and
dev scores, and the licence notice). CI never runs this; it loads the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ner"
TARGET = ROOT / "kg" / "data" / "ner"
#: The held-out sentences (Stockmark dev pages + GSD dev), kept in the repo for the tests.
DEV_FILE = ROOT / "tests" / "data" / "ner-dev.jsonl"
SEED = 20251129
#: Width and depth of the head's own small CNN (beside ja_ginza's frozen tok2vec output).
WIDTH, DEPTH = 128, 3
#: Share of Stockmark's pages held out as the dev split.
DEV_SHARE = 0.15

#: Source label → our label; labels not listed are left unannotated (O).
LABELS = {
    "人名": "PERSON", "法人名": "ORG", "政治的組織名": "ORG", "その他の組織名": "ORG",
    "地名": "LOC", "施設名": "FAC", "製品名": "PRODUCT", "イベント名": "EVENT",
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "FAC",
    "PRODUCT": "PRODUCT", "EVENT": "EVENT",
}

def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def page_of(record_id: str) -> str:
    """``stockmark-2415078-1`` → ``2415078``: sentences of one page stay on one side of the split."""
    parts = record_id.split("-")
    return parts[1] if len(parts) > 2 else record_id


def split_stockmark(records: list[dict], *, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, dev): a fixed random share of the pages goes to dev."""
    pages = sorted({page_of(r["id"]) for r in records})
    random.Random(seed).shuffle(pages)
    dev_pages = set(pages[: round(len(pages) * DEV_SHARE)])
    train = [r for r in records if page_of(r["id"]) not in dev_pages]
    dev = [r for r in records if page_of(r["id"]) in dev_pages]
    return train, dev


def write_dev_split(records: list[dict], path: Path) -> None:
    """The held-out sentences, as given, for ``kg eval --ner`` and the tests' floor."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def to_doc(nlp, record: dict):  # type: ignore[no-untyped-def]
    """A Doc with our labels; an entity that does not fall on token boundaries is left missing."""
    doc = nlp.make_doc(record["text"])
    spans, missing = [], []
    for ent in sorted(record["entities"], key=lambda e: (e["start"], -e["end"])):
        label = LABELS.get(ent["label"])
        span = doc.char_span(ent["start"], ent["end"], label=label or "", alignment_mode="strict")
        if span is None:
            loose = doc.char_span(ent["start"], ent["end"], alignment_mode="expand")
            if loose is not None and label:
                missing.append(loose)
            continue
        if label:
            spans.append(span)
    spans = _no_overlap(spans)
    missing = [m for m in _no_overlap(missing) if not any(m.start < s.end and s.start < m.end for s in spans)]
    doc.set_ents(spans, missing=missing, default="outside")
    return doc


def _no_overlap(spans):  # type: ignore[no-untyped-def]
    kept = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def score(nlp, records: list[dict]) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    """Per-label precision, recall and F1 of exact spans (our labels), over ``records``."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    texts = [r["text"] for r in records]
    for record, doc in zip(records, nlp.pipe(texts, batch_size=64)):
        gold = {(e["start"], e["end"], LABELS[e["label"]]) for e in record["entities"] if e["label"] in LABELS}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        for item in pred & gold:
            tp[item[2]] += 1
        for item in pred - gold:
            fp[item[2]] += 1
        for item in gold - pred:
            fn[item[2]] += 1
    out = {}
    for label in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "n": tp[label] + fn[label]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the NER data files")
    parser.add_argument("--epochs", type=int, default=14, help="training epochs (default: 14)")
    parser.add_argument("--hidden", type=int, default=128, help="hidden width of the NER head (default: 128)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default: {SEED})")
    parser.add_argument("--out", type=Path, default=TARGET, help="where the component goes (default: kg/data/ner)")
    parser.add_argument("--work", type=Path, default=Path(".kg-cache") / "ner-training",
                        help="where the tok2vec output of the data is kept between runs "
                             "(default: .kg-cache/ner-training)")
    args = parser.parse_args(argv)

    stockmark = read_jsonl(args.data / "stockmark-train.jsonl")
    gsd_train = read_jsonl(args.data / "gsd-train.jsonl")
    gsd_dev = read_jsonl(args.data / "gsd-dev.jsonl")
    sm_train, sm_dev = split_stockmark(stockmark, seed=args.seed)
    write_dev_split(sm_dev + gsd_dev, DEV_FILE)
    print(f"stockmark: {len(sm_train)} train / {len(sm_dev)} dev sentences; gsd: {len(gsd_train)} / {len(gsd_dev)}")
    sizes = {"stockmark_train": len(sm_train), "stockmark_dev": len(sm_dev), "gsd_train": len(gsd_train),
             "gsd_dev": len(gsd_dev)}
    hashes = {p.name: _sha1(p) for p in sorted(args.data.glob("*.jsonl"))}

    def checkpoint(nlp, epoch: int) -> None:  # type: ignore[no-untyped-def]
        install(nlp, args, {"best_epoch_so_far": epoch}, data_hashes=hashes, sizes=sizes)

    nlp, best = train(sm_train + gsd_train, sm_dev + gsd_dev, epochs=args.epochs, hidden=args.hidden,
                      seed=args.seed, work=args.work, checkpoint=checkpoint)
    scores = {"stockmark-dev": score(nlp, sm_dev), "gsd-dev": score(nlp, gsd_dev), "best_epoch": best}
    print(json.dumps(scores, indent=1))
    install(nlp, args, scores, data_hashes=hashes, sizes=sizes)
    return 0


def train(train_records: list[dict], dev_records: list[dict], *, epochs: int, hidden: int,  # type: ignore[no-untyped-def]
          seed: int, work: Path, checkpoint=None):  # type: ignore[no-untyped-def]
    """Train the head; return the ja_ginza pipeline holding it (best dev epoch) and that epoch.

    ja_ginza's tok2vec is frozen, so its output is computed once per sentence
    and kept on the docs; each epoch then costs only the head.
    """
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    from kg import ner

    fix_random_seed(seed)
    ner.register()
    nlp = spacy.load("ja_ginza", exclude=["parser", "ner", "morphologizer", "compound_splitter",
                                          "bunsetu_recognizer", "attribute_ruler"])
    pipe = nlp.add_pipe("ner", name=ner.PIPE, config=ner.ner_config(hidden_width=hidden, width=WIDTH, depth=DEPTH))

    def examples(records: list[dict]) -> list:  # type: ignore[type-arg]
        gold = [to_doc(nlp, r) for r in records]
        return [Example(p, g) for p, g in zip(_tensor_docs(nlp, records, work=work), gold)]

    train_examples, dev_examples = examples(train_records), examples(dev_records)
    rng = random.Random(seed)
    pipe.initialize(lambda: train_examples, nlp=nlp)  # the head only: ja_ginza's tok2vec keeps its weights
    optimizer = Adam(learn_rate=0.001, L2=1e-6, grad_clip=1.0, use_averages=True)
    with nlp.select_pipes(enable=[ner.PIPE]):
        best, best_f, best_bytes = 0, -1.0, b""
        started = time.perf_counter()
        for epoch in range(1, epochs + 1):
            rng.shuffle(train_examples)
            losses: dict[str, float] = {}
            for batch in minibatch(train_examples, size=32):
                nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
            with pipe.model.use_params(optimizer.averages):
                f = _dev_f(pipe, dev_examples)
                if f > best_f:
                    best, best_f, best_bytes = epoch, f, pipe.to_bytes(exclude=["vocab"])
                    if checkpoint is not None:
                        checkpoint(nlp, epoch)
            print(f"epoch {epoch}: loss {losses.get(ner.PIPE, 0):.1f}, dev PERSON+ORG F1 {f:.4f} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    pipe.from_bytes(best_bytes, exclude=["vocab"])
    return nlp, best


def _tensor_docs(nlp, records: list[dict], *, work: Path) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The records parsed up to ja_ginza's tok2vec (``doc.tensor`` set), cached in ``work``.

    That is most of the cost of a run and it never changes between runs with
    the same data and ja_ginza, so it is kept by content hash.
    """
    from spacy.tokens import Doc

    from kg import ner

    key = hashlib.sha1(json.dumps([r["text"] for r in records], ensure_ascii=False).encode()).hexdigest()[:16]
    path = work / f"tensors-{nlp.meta.get('version', '')}-{key}.pickle"
    if path.exists():
        with path.open("rb") as f:
            return [Doc(nlp.vocab).from_bytes(b) for b in pickle.load(f)]
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=64, disable=[ner.PIPE]))
    work.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump([d.to_bytes() for d in docs], f)
    return docs


def _dev_f(pipe, dev_examples) -> float:  # type: ignore[no-untyped-def]
    """Micro F1 of PERSON and ORG spans on the dev examples (what selects the best epoch)."""
    tp = fp = fn = 0
    for eg, doc in zip(dev_examples, pipe.pipe(ex.predicted.copy() for ex in dev_examples)):
        gold = {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents if e.label_ in ("PERSON", "ORG")}
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("PERSON", "ORG")}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def install(nlp, args: argparse.Namespace, scores: dict, *, data_hashes: dict,  # type: ignore[no-untyped-def]
            sizes: dict) -> None:
    """Write the head alone (no tok2vec, no vectors) into ``args.out`` with its metadata and licence."""
    from kg import ner

    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    pipe = nlp.get_pipe(ner.PIPE)
    out.mkdir(parents=True)
    pipe.to_disk(out / "ner", exclude=["vocab"])
    meta = {
        "trained": _sha1(out / "ner" / "model")[:12],
        "_source": "Trained by scripts/train_ner.py from ../shared/data/ner (Stockmark Wikipedia NER v2.0, "
                   "four fifths, CC BY-SA 3.0; UD Japanese GSD NE, CC BY-SA 4.0). See LICENSE.md.",
        "component": "spaCy ner (TransitionBasedParser.v2) over ja_ginza's tok2vec output (doc.tensor, width 256)",
        "labels": list(pipe.labels),
        "hidden_width": args.hidden,
        "width": WIDTH,
        "depth": DEPTH,
        "epochs": args.epochs,
        "seed": args.seed,
        "dev_share_of_stockmark_pages": DEV_SHARE,
        "data_sha1": data_hashes,
        "sentences": sizes,
        "spacy": __import__("spacy").__version__,
        "ja_ginza": __import__("importlib.metadata").metadata.version("ja_ginza"),
        "scores": scores,
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "LICENSE.md").write_text(LICENSE, encoding="utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {out} ({size / 1e6:.1f} MB)", file=sys.stderr)


LICENSE = """# Licence of the trained NER component

The files in this folder (`ner/`, `meta.json`) are a model trained by
`scripts/train_ner.py` on:

- **Stockmark's Wikipedia NER data set v2.0** (stockmarkteam/ner-wikipedia-dataset),
  built from Japanese Wikipedia: CC BY-SA 3.0
  (https://creativecommons.org/licenses/by-sa/3.0/). Four fifths of it were used.
- **UD Japanese GSD** with Megagon Labs' named-entity layer (megagonlabs/UD_Japanese-GSD):
  CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/).

As a derivative work of those data sets, this model is distributed under
**CC BY-SA 4.0** (compatible with both: CC BY-SA 3.0 material may be adapted under a
later version). Attribution: Stockmark Inc. and the Japanese Wikipedia contributors;
Megagon Labs, the UD Japanese GSD team and Google (the GSD source text).

It runs on top of ja_ginza (MIT licence; its tok2vec layer and vectors are not
copied here and are loaded from the installed ja_ginza package).
"""


if __name__ == "__main__":
    sys.exit(main())
