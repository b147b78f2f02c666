"""Split long documents under Sudachi's input limit, keeping offsets.

SudachiPy refuses any input over 49,149 bytes of UTF-8. A chunk is a
``(start, end)`` pair of character offsets into the original text, and the
chunks of a text tile it exactly, so every offset GiNZA gives inside a chunk
maps back by adding ``start``. We cut at paragraph ends first, then at
sentence ends, and inside a sentence only when that sentence alone is over
the limit.
"""

from __future__ import annotations

import re
import unicodedata

SUDACHI_MAX_BYTES = 49_149

# A sentence ends after 。！？!? (and any closing brackets/quotes right after).
_SENTENCE_END = re.compile(r"[。！？!?．]+[」』）)\]】〕》〉\"'”’]*")
_SOFT_BREAK = re.compile(r"[、，,\s]")
_ZWJ = "\u200d"
# Marks that attach to the character before them (nonspacing, enclosing, spacing combining).
_JOINING_CATEGORIES = frozenset({"Mn", "Me", "Mc"})


def chunk_spans(text: str, *, max_bytes: int = SUDACHI_MAX_BYTES,
                target_bytes: int | None = None) -> list[tuple[int, int]]:
    """Return chunk spans that tile ``text``, each at most ``max_bytes`` of UTF-8.

    ``target_bytes`` (at most ``max_bytes``) is the size chunks are packed to:
    a paragraph over it is cut at sentence ends, but a sentence is cut only
    when it alone is over ``max_bytes``. Smaller chunks spread a corpus more
    evenly over parser processes.
    """
    if max_bytes < 4:
        raise ValueError("max_bytes must be at least 4 (one UTF-8 character)")
    target = min(target_bytes or max_bytes, max_bytes)
    if not text:
        return []
    pieces: list[tuple[int, int]] = []
    for para in _split_after(text, 0, len(text), re.compile(r"\n+")):
        if _nbytes(text, *para) <= target:
            pieces.append(para)
            continue
        for sent in _split_after(text, *para, _SENTENCE_END):
            if _nbytes(text, *sent) <= max_bytes:
                pieces.append(sent)
            else:
                pieces.extend(_hard_split(text, *sent, max_bytes=max_bytes))
    return _pack(text, pieces, max_bytes=target)


def _split_after(text: str, start: int, end: int, boundary: re.Pattern[str]) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` right after each match of ``boundary``."""
    spans = []
    cut = start
    for match in boundary.finditer(text, start, end):
        if match.end() > cut:
            spans.append((cut, match.end()))
            cut = match.end()
    if cut < end:
        spans.append((cut, end))
    return spans


def _hard_split(text: str, start: int, end: int, *, max_bytes: int) -> list[tuple[int, int]]:
    """Split one over-long sentence, preferring a comma or space near the limit."""
    spans = []
    while start < end:
        stop = _max_stop(text, start, end, max_bytes)
        if stop < end:
            soft = [m.end() for m in _SOFT_BREAK.finditer(text, start, stop)]
            if soft and soft[-1] > start + (stop - start) // 2:
                stop = soft[-1]
            stop = _cluster_start(text, start, stop)
        spans.append((start, stop))
        start = stop
    return spans


def _cluster_start(text: str, start: int, stop: int) -> int:
    """Move a cut back off a combining mark, variation selector or emoji join.

    Cutting there would hand GiNZA an accent or half an emoji on its own; only
    a run of joined characters longer than the whole chunk is cut inside.
    """
    cut = stop
    while cut > start + 1 and _joins_previous(text, cut):
        cut -= 1
    return stop if _joins_previous(text, cut) else cut


def _joins_previous(text: str, pos: int) -> bool:
    """Whether ``text[pos]`` belongs to the same user-perceived character as ``text[pos - 1]``."""
    ch, before = text[pos], text[pos - 1]
    return (unicodedata.category(ch) in _JOINING_CATEGORIES
            or "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"
            or ch == _ZWJ or before == _ZWJ
            or (_is_flag_half(ch) and _flag_halves_before(text, pos) % 2 == 1)
            or ("\ud800" <= before <= "\udbff" and "\udc00" <= ch <= "\udfff"))


def _is_flag_half(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"  # regional indicators: two make a flag


def _flag_halves_before(text: str, pos: int) -> int:
    count = 0
    while pos - count > 0 and _is_flag_half(text[pos - count - 1]):
        count += 1
    return count


def _max_stop(text: str, start: int, end: int, max_bytes: int) -> int:
    """The furthest offset ≤ end such that ``text[start:stop]`` fits in ``max_bytes``."""
    used = 0
    for pos in range(start, end):
        used += len(text[pos].encode("utf-8", "surrogatepass"))
        if used > max_bytes:
            return max(pos, start + 1)
    return end


def _pack(text: str, pieces: list[tuple[int, int]], *, max_bytes: int) -> list[tuple[int, int]]:
    """Greedily join consecutive pieces while the chunk stays under the limit."""
    chunks: list[tuple[int, int]] = []
    size = 0
    for start, end in pieces:
        n = _nbytes(text, start, end)
        if chunks and size + n <= max_bytes:
            chunks[-1] = (chunks[-1][0], end)
            size += n
        else:
            chunks.append((start, end))
            size = n
    return chunks


def _nbytes(text: str, start: int, end: int) -> int:
    return len(text[start:end].encode("utf-8", "surrogatepass"))
