"""Character spans: the one lookup every stage needs, "which span holds this offset"."""

from __future__ import annotations

import bisect
from collections.abc import Sequence


def span_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span of the sorted, non-overlapping ``spans`` that contains ``offset``, if any."""
    k = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    if k >= 0 and spans[k][0] <= offset < spans[k][1]:
        return spans[k]
    return None
