"""Character spans: the one lookup every stage needs, "which span holds this offset"."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

#: A URL as written in text: ``http(s)://`` or ``www.``, up to a space, a quote, a non-ASCII character or a
#: bracket it did not open (…/wiki/Kyiv_(city) keeps its brackets, "(https://e.org/1)" does not).
URL = re.compile(r"(?:https?://|www\.)(?:[!#-'*-;=?-~]|\([!#-'*-;=?-~]*\))+")


def url_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs: words inside a link (…/nagashima_22.html) are not mentions."""
    return [m.span() for m in URL.finditer(text)]


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
