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
#: The longest run of text handed to the parser as one sentence. GiNZA's parse of
#: one sentence grows much faster than its length past about a thousand
#: characters (run-on text joined by 、: 4,000 characters 15 s, 8,000 characters
#: 149 s, against 3.9 s and 7.7 s for the same text in sentences; bench/runon.py),
#: so a longer sentence is cut at a comma or space near this length, and each
#: piece is parsed as a chunk of its own.
MAX_SENTENCE_CHARS = 1_000

# A sentence ends after 。！？!? (and any closing brackets/quotes right after).
_SENTENCE_END = re.compile(r"[。！？!?．]+[」』）)\]】〕》〉\"'”’]*")
_SOFT_BREAK = re.compile(r"[、，,\s]")
_ZWJ = "\u200d"
# Marks that attach to the character before them (nonspacing, enclosing, spacing combining).
_JOINING_CATEGORIES = frozenset({"Mn", "Me", "Mc"})


def chunk_spans(text: str, *, max_bytes: int = SUDACHI_MAX_BYTES, target_bytes: int | None = None,
                max_sentence: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """Return chunk spans that tile ``text``, each at most ``max_bytes`` of UTF-8.

    ``target_bytes`` (at most ``max_bytes``) is the size chunks are packed to:
    a paragraph over it is cut at sentence ends, but a sentence is cut only
    when it alone is over ``max_bytes`` or ``max_sentence`` characters; the
    pieces of a cut sentence are chunks of their own, so the parser never
    sees more than ``max_sentence`` characters without a sentence end.
    Smaller chunks spread a corpus more evenly over parser processes.
    """
    if max_bytes < 4:
        raise ValueError("max_bytes must be at least 4 (one UTF-8 character)")
    if max_sentence < 1:
        raise ValueError("max_sentence must be at least 1 character")
    target = min(target_bytes or max_bytes, max_bytes)
    if not text:
        return []
    pieces: list[tuple[int, int, bool]] = []  # (start, end, may join the next piece)
    for para in _split_after(text, 0, len(text), re.compile(r"\n+")):
        sentences = _split_after(text, *para, _SENTENCE_END)
        if _nbytes(text, *para) <= target and all(e - s <= max_sentence for s, e in sentences):
            pieces.append((*para, True))
            continue
        for sent in sentences:
            if _nbytes(text, *sent) <= max_bytes and sent[1] - sent[0] <= max_sentence:
                pieces.append((*sent, True))
            else:
                parts = _hard_split(text, *sent, max_bytes=max_bytes, max_chars=max_sentence)
                pieces.extend((s, e, False) for s, e in parts)  # never joined: the parser would see one sentence
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


def _hard_split(text: str, start: int, end: int, *, max_bytes: int,
                max_chars: int | None = None) -> list[tuple[int, int]]:
    """Split one over-long sentence, preferring a comma or space near the limit (linear in its length)."""
    spans = []
    while start < end:
        stop = _max_stop(text, start, min(end, start + max_chars) if max_chars else end, max_bytes)
        if stop < end:
            soft = _last_soft_break(text, start + (stop - start) // 2, stop)
            if soft is not None:
                stop = soft
            stop = _cluster_start(text, start, stop)
        spans.append((start, stop))
        start = stop
    return spans


def _last_soft_break(text: str, low: int, stop: int) -> int | None:
    """The offset just after the last comma or space in ``text[low:stop]``, if any (searched backwards)."""
    for pos in range(stop - 1, low, -1):
        if _SOFT_BREAK.match(text, pos):
            return pos + 1
    return None


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


def _pack(text: str, pieces: list[tuple[int, int, bool]], *, max_bytes: int) -> list[tuple[int, int]]:
    """Greedily join consecutive pieces while the chunk stays under the limit.

    A piece cut out of an over-long sentence joins neither its neighbours nor they it.
    """
    chunks: list[tuple[int, int]] = []
    size = 0
    open_end = False  # the last chunk may take the next piece
    for start, end, joins in pieces:
        n = _nbytes(text, start, end)
        if chunks and open_end and joins and size + n <= max_bytes:
            chunks[-1] = (chunks[-1][0], end)
            size += n
        else:
            chunks.append((start, end))
            size = n
        open_end = joins
    return chunks


def _nbytes(text: str, start: int, end: int) -> int:
    return len(text[start:end].encode("utf-8", "surrogatepass"))
