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

SUDACHI_MAX_BYTES = 49_149

# A sentence ends after 。！？!? (and any closing brackets/quotes right after).
_SENTENCE_END = re.compile(r"[。！？!?．]+[」』）)\]】〕》〉\"'”’]*")
_SOFT_BREAK = re.compile(r"[、，,\s]")


def chunk_spans(text: str, *, max_bytes: int = SUDACHI_MAX_BYTES) -> list[tuple[int, int]]:
    """Return chunk spans that tile ``text``, each at most ``max_bytes`` of UTF-8."""
    if max_bytes < 4:
        raise ValueError("max_bytes must be at least 4 (one UTF-8 character)")
    if not text:
        return []
    pieces: list[tuple[int, int]] = []
    for para in _split_after(text, 0, len(text), re.compile(r"\n+")):
        if _nbytes(text, *para) <= max_bytes:
            pieces.append(para)
            continue
        for sent in _split_after(text, *para, _SENTENCE_END):
            if _nbytes(text, *sent) <= max_bytes:
                pieces.append(sent)
            else:
                pieces.extend(_hard_split(text, *sent, max_bytes=max_bytes))
    return _pack(text, pieces, max_bytes=max_bytes)


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
        spans.append((start, stop))
        start = stop
    return spans


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
