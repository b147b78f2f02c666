"""Site chrome: the lines of a web page's text that are not the article.

Navigation, share buttons, comment counters and related-article lists survive
when an article is copied from a news site. Entities seen only there (a
celebrity in a "recommended" list) are not part of the story, so the entity
stage drops mentions inside these lines. The markers are data
(``kg/data/chrome.json``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.datafiles import read_json
from kg.spans import span_at

# A heading's block ends at the first line that reads like article prose.
_PROSE = re.compile(r"^\S.{29,}[。」]$")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = read_json("chrome.json")
    line = re.compile("|".join(f"(?:{p})" for p in data["line_patterns"]))
    block = re.compile("|".join(f"(?:{p})" for p in data["block_headings"]))
    return line, block, re.compile(data["list_line"])


def chrome_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the lines of ``text`` that are site chrome."""
    line_re, block_re, list_re = _patterns()
    spans = []
    in_block = False
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if block_re.search(stripped):
            in_block = True
        elif in_block and _PROSE.match(line):
            in_block = False
        if in_block or line_re.search(stripped) or list_re.match(line):
            spans.append((start, end))
    return spans


def in_spans(start: int, spans: list[tuple[int, int]]) -> bool:
    """Whether offset ``start`` lies in one of the sorted ``spans``."""
    return span_at(spans, start) is not None
