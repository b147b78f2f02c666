"""The one way kg compares names: the lexicon, resolution, eval, ``graph.find`` and projects use it.

Two strings name the same thing when their :func:`name_key` is equal: ＤＥＥＰ
ＳＴＡＴＥ, "deep state" and "DEEP STATE" are one name. :func:`loose_key` goes
further for persons, folding the spelling variants of katakana transcriptions
(ウィットコフ = ウィトコフ), which is why resolution, not lookup, uses it.

This module imports nothing from kg, so every stage can use it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")

# A reading in hiragana glossed inside a name: 寒川(かんがわ)進.
_READING = re.compile(r"\([ぁ-ゖー]+\)")

# Spelling variants of katakana transcriptions, folded for comparison only.
_LOOSE = [("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"), ("ウォ", "ボ"),
          ("ッ", ""), ("ー", ""), ("・", ""), ("ァ", "ア"), ("ィ", "イ"), ("ゥ", "ウ"), ("ェ", "エ"), ("ォ", "オ")]


# Words official names spell two ways, folded to one (駒澤大学附属… = 駒澤大学付属…).
_SPELLINGS = (("附属", "付属"), ("附設", "付設"))


@lru_cache(maxsize=1 << 17)
def name_key(text: str) -> str:
    """The form names are compared in: NFKC, Latin case folded, no spaces, one kind of dot, no reading glosses,
    one spelling of 付属.

    Cached: the reduce asks for the key of every known person's name once per
    article (:func:`kg.entities.propagate`), millions of calls on a few
    thousand names at the scale of Wikinews; the cache makes each a lookup.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _READING.sub("", _SPACES.sub("", text)).replace("･", "・").replace("=", "・")
    for variant, usual in _SPELLINGS:
        text = text.replace(variant, usual)
    return text.casefold()


@lru_cache(maxsize=1 << 17)
def loose_key(name: str) -> str:
    """A key that folds common katakana spelling variants (ウィットコフ = ウィトコフ).

    Cached like :func:`name_key`: resolution keys every person mention by it, every build.
    """
    key = name_key(name)
    for old, new in _LOOSE:
        key = key.replace(old, new)
    return key
