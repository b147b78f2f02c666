"""Bytes to text: which encoding a file is in, decided in a fixed, explainable order.

News files come as UTF-8 (with or without BOM), UTF-16, Shift_JIS, EUC-JP or
ISO-2022-JP. The result says which codec was used (a Python codec name), and
how many broken byte sequences were replaced, so the reader can report both.
Detection beyond the fixed rules is charset-normalizer's, not ours.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import CorpusError

if TYPE_CHECKING:  # imported where a file is not plain UTF-8: every kg command loads this module
    from charset_normalizer import CharsetMatch

# ISO-2022-JP switches character sets with escape sequences; its bytes are all
# ASCII, so it would otherwise pass as (garbled) UTF-8.
_ISO2022_ESCAPES = (b"\x1b$@", b"\x1b$B", b"\x1b$(D", b"\x1b(J", b"\x1b(I")
# charset-normalizer codec names (prefixes) of Japanese and of other East Asian encodings.
_JAPANESE_CODECS = ("cp932", "shift_jis", "euc_j", "iso2022_jp")
_OTHER_CJK_CODECS = ("cp949", "euc_kr", "johab", "big5", "cp950", "gb", "hz", "iso2022_kr")


@dataclass(frozen=True)
class Decoded:
    """A file's text and the codec it was read with (a Python codec name)."""

    text: str
    encoding: str
    replaced: int = 0



def decode_bytes(data: bytes, *, source: str) -> Decoded:
    """Decode a file's bytes, saying which encoding was used.

    Order: a BOM (UTF-8, UTF-16, UTF-32) decides; ISO-2022-JP escapes decide;
    bytes with NULs are binary unless charset-normalizer reads them as
    UTF-16/32; valid UTF-8 is UTF-8; UTF-8 with a few broken sequences is
    UTF-8 with those replaced by U+FFFD (counted in ``replaced``); anything
    else goes to charset-normalizer (Shift_JIS, EUC-JP, …). A result full of
    control characters is binary after all.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            if codec == "utf-8-sig":
                return _utf8(data, source=source, codec=codec)
            try:
                return _checked(Decoded(data.decode(codec), codec), source=source)
            except UnicodeDecodeError as err:
                raise CorpusError(f"{source}: starts with a {codec} byte-order mark but is not "
                                  f"valid {codec} ({err.reason} at byte {err.start})") from None
    if any(esc in data for esc in _ISO2022_ESCAPES):
        for codec in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004", "iso2022_jp_2"):
            try:
                return _checked(Decoded(data.decode(codec), codecs.lookup(codec).name), source=source)
            except UnicodeDecodeError:
                continue
    if b"\x00" in data:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        if match is None or not match.encoding.startswith(("utf_16", "utf_32")):
            raise CorpusError(f"{source}: looks like a binary file, not text")
        return _checked(Decoded(str(match), codecs.lookup(match.encoding).name), source=source)
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"), source=source)
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _utf8(data, source=source, codec="utf-8")
    japanese = _japanese_decode(data)
    if japanese is not None:
        return _checked(japanese, source=source)
    match = _best_match(data)
    if match is None:
        raise CorpusError(f"{source}: cannot tell the text encoding; save it as UTF-8")
    return _checked(Decoded(str(match), codecs.lookup(match.encoding).name), source=source)


def _japanese_decode(data: bytes) -> Decoded | None:
    """Shift_JIS or EUC-JP when the bytes decode strictly into plainly Japanese text.

    charset-normalizer needs a fair amount of text and gives up on short or
    repetitive Japanese (``ロシアロシア。``); a strict decode that yields
    nothing but kana, kanji and Japanese punctuation, with some kana among
    them (Korean or Chinese read as EUC-JP gives kanji, hardly any kana), is
    a safer answer for a reader of Japanese news.
    """
    best: tuple[float, Decoded] | None = None
    for codec in ("shift_jis", "cp932", "euc_jp", "euc_jis_2004"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        wide = [ch for ch in text if ord(ch) > 0x7F]
        kana = sum(1 for ch in wide if "\u3041" <= ch <= "\u30fa")
        fits = sum(1 for ch in wide if _is_japanese_char(ch))
        if wide and fits == len(wide) and kana >= max(1, len(wide) // 20):
            score = kana / len(wide)
            if best is None or score > best[0]:
                best = (score, Decoded(text, codecs.lookup(codec).name))
    return best[1] if best else None


def _is_japanese_char(ch: str) -> bool:
    """Kana, kanji, or the full-width punctuation, letters and digits of Japanese text."""
    return ("\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff01" <= ch <= "\uff5e"
            or ch in "々〆〇ー・…‥―‐“”‘’※〒")


def _best_match(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's best guess, but Japanese over other East Asian codecs.

    On a short text the byte patterns of EUC-JP and Shift_JIS are also valid
    Korean, Chinese or Big5, and the detector may rank those first; this is a
    reader of Japanese news, so when the best guess is another East Asian
    codec and a Japanese one decodes the bytes too, the Japanese one wins.
    """
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or not best.encoding.startswith(_OTHER_CJK_CODECS):
        return best
    japanese = [m for m in matches if m.encoding.startswith(_JAPANESE_CODECS)]
    return japanese[0] if japanese else best


def _utf8(data: bytes, *, source: str, codec: str) -> Decoded:
    text = data.decode(codec, errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    return _checked(Decoded(text, codec, replaced=max(replaced, 0)), source=source)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken sequences (a bad byte, a cut file), not another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good >= 20 * bad


def _checked(decoded: Decoded, *, source: str) -> Decoded:
    """Refuse text that is mostly control characters: a binary file that happened to decode."""
    text = decoded.text
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if text and controls > max(2, len(text) // 100):
        raise CorpusError(f"{source}: looks like a binary file, not text")
    return decoded
