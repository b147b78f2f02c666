"""A scaled corpus for the growth curve: the seeds' paragraphs shuffled into distinct documents.

Deterministic (a fixed seed): the same ``scale`` always gives the same files,
so figures from two runs compare. Every document has about ``doc_chars``
characters (so the largest document stays the same size while the corpus
grows) and a numbered first line, so no two documents share their text.

    python bench/scaled.py OUT_DIR --scale 4
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"
#: One unit of scale: this many characters of text, in documents of DOC_CHARS.
UNIT_CHARS = 12_000
DOC_CHARS = 3_000


def seed_paragraphs(seeds: Path = SEEDS) -> list[str]:
    """Every non-empty line of the seed articles, in file order."""
    paragraphs = []
    for path in sorted(seeds.glob("*.txt")):
        paragraphs.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                          if line.strip())
    return paragraphs


def scaled_documents(scale: float, *, unit_chars: int = UNIT_CHARS, doc_chars: int = DOC_CHARS,
                     seed: int = 8) -> list[str]:
    """Texts of about ``scale * unit_chars`` characters, each document about ``doc_chars``."""
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    pool: list[str] = []
    docs: list[str] = []
    total = 0
    target = int(scale * unit_chars)
    while total < target:
        lines = [f"合成記事 第{len(docs) + 1}号"]
        size = 0
        while size < doc_chars:
            if not pool:
                pool = paragraphs[:]
                rng.shuffle(pool)
            para = pool.pop()
            lines.append(para)
            size += len(para)
        text = "\n".join(lines) + "\n"
        docs.append(text)
        total += len(text)
    return docs


def write_scaled_corpus(out: Path, scale: float, **options: int) -> list[Path]:
    """Write the scaled corpus into ``out`` (created), one ``.txt`` file a document."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, text in enumerate(scaled_documents(scale, **options)):
        path = out / f"scaled_{number:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the documents into")
    parser.add_argument("--scale", type=float, default=1.0, help=f"units of {UNIT_CHARS} characters")
    args = parser.parse_args()
    paths = write_scaled_corpus(args.out, args.scale)
    print(f"{len(paths)} documents, {sum(len(p.read_text(encoding='utf-8')) for p in paths)} characters")


if __name__ == "__main__":
    main()
