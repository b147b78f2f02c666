"""Character spans: the one lookup every stage needs, "which span holds this offset"."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

#: A URL as written in text: ``http(s)://`` or ``www.``, up to a space, a quote, a non-ASCII character or a
#: bracket it did not open (…/wiki/Kyiv_(city) keeps its brackets, "(https://e.org/1)" does not).
URL = re.compile(r"(?:https?://|www\.)(?:[!#-'*-;=?-~]|\([!#-'*-;=?-~]*\))+")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs: words inside a link (…/nagashima_22.html) are not mentions."""
    return [m.span() for m in URL.finditer(text)]


class SpanArray(Sequence[tuple[int, int]]):
    """Sorted ``(start, end)`` spans held as one flat ``array('i')``: a sequence of pairs at 8 bytes a span.

    A document record keeps its sentence spans for the whole build; as a tuple
    of tuples they took 9 MB of small objects on all of Wikinews (110 bytes a
    sentence), and once the records were dropped those objects left holes in
    Python's arenas that the process never gave back. One array per document is
    0.7 MB and returns to the system whole. It reads like the tuple it replaces
    (``len``, indexing, iteration, :func:`span_at`'s bisect) and compares equal to it.
    """

    __slots__ = ("_flat",)

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._flat = array("i", [offset for span in spans for offset in span])

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, index: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[int, int], ...]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, int] | tuple[tuple[int, int], ...]:
        if isinstance(index, slice):
            return tuple(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("span index out of range")
        return self._flat[2 * index], self._flat[2 * index + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        flat = self._flat
        return ((flat[k], flat[k + 1]) for k in range(0, len(flat), 2))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpanArray):
            return self._flat == other._flat
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SpanArray({list(self)!r})"


def span_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span of the sorted, non-overlapping ``spans`` that contains ``offset``, if any."""
    k = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if k >= 0 and spans[k][0] <= offset < spans[k][1]:
        return spans[k]
    return None


def overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, non-overlapping ``spans`` (a bisect, not a scan).

    A scan per mention made mention selection quadratic in the length of a
    document; run-on pages are long.
    """
    k = bisect.bisect_left(spans, (end, end))
    return k > 0 and spans[k - 1][1] > start and spans[k - 1][0] < end


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined, so :func:`overlaps` can search them."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
