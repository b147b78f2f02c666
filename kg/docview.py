"""One document as the relation rules see it: tokens, mentions, particles, dependency paths.

:class:`DocView` indexes a parsed document and its mentions once, so every
rule asks the same questions cheaply ("which particle follows this mention",
"which tokens does it depend on"); a rule yields :class:`~kg.model.Candidate` records.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import accumulate

from kg.model import Mention, ParsedDoc
from kg.spans import span_at

_LIST_ENDS = frozenset({"など", "等", "ら", "たち"})
_OPENING_BRACKETS = frozenset({"(", "（"})
_CLOSING_BRACKETS = frozenset({")", "）"})
_CLOSING_QUOTES = frozenset({"」", "』"})
_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")


class DocView:
    """Index over one document's tokens and mentions that the rules share."""

    def __init__(self, parsed: ParsedDoc, text: str, mentions: Sequence[Mention]) -> None:
        self.parsed, self.text, self.toks = parsed, text, parsed.tokens
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self._starts = [t.start for t in self.toks]
        # Indexes, so each lookup costs the same however long the document (run-on text included).
        self._mention_starts = [m.start for m in self.mentions]
        self.by_start: dict[int, list[Mention]] = {}
        self.by_end: dict[int, list[Mention]] = {}
        for m in self.mentions:
            self.by_start.setdefault(m.start, []).append(m)
            self.by_end.setdefault(m.end, []).append(m)

    @cached_property
    def _quotes(self) -> list[int]:
        """Quotations opened minus closed before each offset (「『 count +1, 」』 count -1)."""
        steps = (1 if ch in "「『" else -1 if ch in "」』" else 0 for ch in self.text)
        return [0, *accumulate(steps)]

    def quote_depth(self, start: int, offset: int) -> int:
        """How many 「『 quotations are open at ``offset``, counted from ``start`` (a sentence start)."""
        return max(0, self._quotes[offset] - self._quotes[start])

    def token_at(self, offset: int) -> int:
        """Index of the token that contains character ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def sentence_of(self, offset: int) -> tuple[int, int] | None:
        return span_at(self.parsed.sentences, offset)

    def in_sentence(self, sentence: tuple[int, int]) -> list[Mention]:
        low = bisect.bisect_left(self._mention_starts, sentence[0])
        high = bisect.bisect_left(self._mention_starts, sentence[1])
        return self.mentions[low:high]

    def starting_within(self, start: int, end: int) -> list[Mention]:
        """Mentions that start in ``[start, end]``, in order."""
        return self.mentions[bisect.bisect_left(self._mention_starts, start):
                             bisect.bisect_right(self._mention_starts, end)]

    def covers(self, offset: int) -> bool:
        """Whether some mention spans character ``offset``."""
        k = bisect.bisect_right(self._mention_starts, offset)
        while k > 0 and self.mentions[k - 1].start > offset - self._longest:
            k -= 1
            if self.mentions[k].end > offset:
                return True
        return False

    @cached_property
    def _longest(self) -> int:
        return max((m.end - m.start for m in self.mentions), default=0)

    def in_sentence_persons(self, sentence: tuple[int, int]) -> list[Mention]:
        return [m for m in self.in_sentence(sentence) if m.type == "Person"]

    def is_cited(self, mention: Mention) -> bool:
        """Whether the mention is a source the sentence cites (共同通信、朝日新聞によると), no participant."""
        return bool(_CITED.match(self.text, mention.end))

    def mention_at(self, start: int, *, types: Iterable[str] = ("Person", "State", "Organization")) -> Mention | None:
        return next((m for m in self.by_start.get(start, ()) if m.type in types), None)

    def particle(self, mention: Mention) -> str:
        """The particle after a mention, past the title nouns glued to it (が, と, による, からの, 、)."""
        if mention.start > 0 and self.text[mention.start - 1] == "対" and mention.type == "State":
            return "対"  # 対米: toward the US
        k = self.token_at(mention.end - 1) + 1
        for _ in range(3):  # 寒川進さん(41歳、…)が, 『ジヤトコ』(静岡県富士市)を: titles, quotes, brackets
            k = self._past_title(k)
            if k < len(self.toks) and self.toks[k].text in _CLOSING_QUOTES:
                k += 1
            k = self._past_brackets(k)
        while k < len(self.toks) and self.toks[k].text in _LIST_ENDS:
            k += 1  # マラウイ、モザンビークなどへ: the case particle after など
        parts = []
        while k < len(self.toks) and (self.toks[k].dep in ("case", "fixed") or self.toks[k].pos == "ADP"):
            parts.append(self.toks[k].text)
            k += 1
        if not parts and k < len(self.toks) and self.toks[k].text == "、":
            # A bare name or a titled person before the comma (トランプ大統領、…), not any
            # noun phrase (ロシアのウクライナ侵攻後、…): only then is the comma a role marker.
            glued = _BRACKETS.sub("", self.text[mention.end:self.toks[k].start])
            titled = mention.position or mention.role
            return "、" if not glued or (titled and glued.endswith(titled)) else ""
        return "".join(parts)

    def _past_title(self, k: int) -> int:
        """Past the nouns glued after a name (its title: 大統領, 代表, さん)."""
        skipped = 0
        while k < len(self.toks) and skipped < 5 and self.toks[k].pos in ("NOUN", "PROPN", "SYM", "NUM") \
                and self.toks[k].dep not in ("case", "fixed") and self.toks[k].start == self.toks[k - 1].end \
                and self.toks[k].text not in _OPENING_BRACKETS:
            k += 1
            skipped += 1
        return k

    def _past_brackets(self, k: int) -> int:
        """Past a bracketed aside (41歳、京都市在住), at most a dozen tokens long."""
        if k >= len(self.toks) or self.toks[k].text not in _OPENING_BRACKETS:
            return k
        for j in range(k + 1, min(len(self.toks), k + 14)):
            if self.toks[j].text in _CLOSING_BRACKETS:
                return j + 1
        return k

    def path(self, mention: Mention, *, hops: int = 4) -> list[int]:
        """Token indices from the mention's last token up its dependency heads."""
        k = self.token_at(mention.end - 1)
        out = [k]
        while len(out) <= hops and self.toks[k].head != k:
            k = self.toks[k].head
            out.append(k)
        return out

    def topic_before(self, offset: int) -> Mention | None:
        """The article's topic person at ``offset``: the last person a sentence before made its subject (は, が).

        Japanese drops a subject the reader knows; news keeps talking about the
        person it introduced with 山内さんは… until another takes the stage.
        """
        for m in reversed(self.mentions):
            if m.end <= offset and m.type == "Person" and self.particle(m) in ("は", "が", "も"):
                sentence = self.sentence_of(m.start)
                if sentence is not None and sentence[1] <= offset:
                    return m
        return None

    def bunsetu(self, k: int) -> range:
        """The token range of the bunsetu (phrase) holding token k."""
        start = k
        while start > 0 and self.toks[start].bunsetu != "B":
            start -= 1
        end = k + 1
        while end < len(self.toks) and self.toks[end].bunsetu != "B":
            end += 1
        return range(start, end)


# After a source a sentence cites: 共同通信、朝日新聞によると.
_CITED = re.compile(r"(?:[、・と][^、。\s]{1,20}?)*(?:によると|によれば)")
