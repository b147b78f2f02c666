"""Site chrome: the lines of a web page's text that are not the article.

Navigation, share buttons, comment counters and related-article lists survive
when an article is copied from a news site. Entities seen only there (a
celebrity in a "recommended" list) are not part of the story, so the entity
stage drops mentions inside these lines. The markers are data
(``kg/data/chrome.json``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.datafiles import read_json
from kg.spans import span_at

# A heading's block ends at the first line that reads like article prose.
_PROSE = re.compile(r"^\S.{29,}[。」]$")


@dataclass(frozen=True)
class _Markers:
    line: re.Pattern[str]
    block: re.Pattern[str]
    list_line: re.Pattern[str]
    trailing: re.Pattern[str]
    leading: re.Pattern[str]
    attribution: re.Pattern[str]


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def _patterns() -> _Markers:
    data = read_json("chrome.json")
    glued = data["glued_lists"]
    return _Markers(line=_any(data["line_patterns"] + data["citation_lines"]), block=_any(data["block_headings"]),
                    list_line=re.compile(data["list_line"]), trailing=_any([re.escape(m) for m in glued["trailing"]]),
                    leading=_any([re.escape(m) for m in glued["leading"]]),
                    attribution=re.compile(data["attribution"]))


def chrome_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that are site chrome: whole lines, or glued lists inside a line."""
    markers = _patterns()
    line_re, block_re, list_re = markers.line, markers.block, markers.list_line
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
        else:
            spans += _glued(line, start, markers)
    return spans


def _glued(line: str, start: int, markers: _Markers) -> list[tuple[int, int]]:
    """A list glued into a line: 最近の記事… to the line's end; …関連ニュース… to the first attribution."""
    trailing = markers.trailing.search(line)
    if trailing:
        return [(start + trailing.start(), start + len(line))]
    leading = markers.leading.search(line)
    if leading:
        body = markers.attribution.search(line, leading.end())
        return [(start, start + (body.start() if body else len(line)))]
    return []


def is_attribution(text: str, end: int) -> bool:
    """Whether the words ending at ``end`` are a source the text cites (…によると, …によれば)."""
    return text.startswith(("によると", "によれば"), end)


def in_spans(start: int, spans: list[tuple[int, int]]) -> bool:
    """Whether offset ``start`` lies in one of the sorted ``spans``."""
    return span_at(spans, start) is not None
