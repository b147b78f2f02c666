"""Dates in Japanese news: each document's date, and the date expressions in its text.

Two questions, two functions. :func:`document_date` says when an article was written
(from its metadata, its dateline, the dates of the sources it cites, or its first full
date). :func:`find_dates` finds every date expression in a text (``2025年8月15日``,
``8月15日(金)``, ``15日``, ``昨年12月``, ``先月``, ``翌日``, ``2週間以内``,
``1979年から81年``, ``令和7年``, ``2014年度``) with its character offsets and resolves
it against that date to an ISO 8601 value or interval, keeping the original text.
:func:`sentence_date` picks the expression that dates a sentence's event.

Pure Python and table-driven: the vocabulary (eras, relative words, counters,
qualifiers) is ``kg/data/time_words.json``; one regular expression finds candidates,
small functions resolve them. Full-width digits and kanji numerals (``十五日``,
``二〇二五年``) are read; offsets are always into the text as given. See docs/time.md.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Literal

from kg.datafiles import read_json
from kg.spans import URL

Kind = Literal["date", "month", "year", "range", "duration", "time"]
#: Kinds that place an event in time (``sentence_date`` chooses among these).
DATE_KINDS = frozenset({"date", "month", "year", "range"})


@dataclass(frozen=True, slots=True)  # slots: the reduce holds every article's expressions at once
class TimeExpr:
    """A time expression found in a text.

    ``value`` is ISO 8601: ``2025-08-15`` (kind ``date``), ``2025-08`` (``month``),
    ``2025`` (``year``), an interval ``2025-08-15/2025-08-17`` (``range``: explicit
    ranges, weeks, 上旬, fiscal years, decades, 以内), a duration ``P2W`` (``duration``)
    or a time of day ``T07:26`` (``time``, a clock time with no day). An expression that
    cannot be anchored keeps what it says with ``X`` for the unknown digits
    (``XXXX-08-15``) or ``""`` (``先月`` with no document date) and ``resolved=False``.
    """

    start: int
    end: int
    text: str
    kind: Kind
    value: str
    resolved: bool

    @property
    def interval(self) -> tuple[date, date] | None:
        """First and last day the expression covers, or None (durations, times, unresolved)."""
        return interval(self.value) if self.resolved else None


@dataclass(frozen=True, slots=True)
class DocDate:
    """When a document was written, and where that came from.

    ``source`` is ``"metadata"`` (the input's ``date`` field) or ``"text"``; ``rule`` says
    which rule found it (``metadata``, ``header``, ``citations``, ``lead``, ``urls``), for the build
    report. ``text``/``start``/``end`` are the expression and its offsets in the document
    (for metadata, the field's value and ``None``).
    """

    date: date
    source: Literal["metadata", "text"]
    rule: Literal["metadata", "header", "citations", "lead", "urls"]
    text: str
    start: int | None
    end: int | None


# --------------------------------------------------------------------------- vocabulary

# Full-width digits and punctuation → ASCII, one character for one, so offsets survive.
_FULLWIDTH = str.maketrans("０１２３４５６７８９（）／：－．，～", "0123456789()/:-.,~")
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
_KN = "〇零一二三四五六七八九十"  # kanji numerals of a month or a day
_NOT_AFTER_NUMBER = r"(?<![\d.,〇零一二三四五六七八九十百千万])"
_MD = rf"(?:\d{{1,2}}|[{_KN}]{{1,3}})"  # a month or day number
_YEAR4 = r"(?:\d{4}|[〇零一二三四五六七八九]{4}|[一二]千[〇一二三四五六七八九十百]{0,5})"
_TOP_CHARS, _TOP_LINES = 400, 5  # "the top of an article"
_SLACK = timedelta(days=1)  # time zones: a US event on "the 19th" may be the 20th in Japan


@dataclass(frozen=True)
class _Vocab:
    master: re.Pattern[str]
    suffix_day: re.Pattern[str]
    suffix_month: re.Pattern[str]
    suffix_year: re.Pattern[str]
    connector: re.Pattern[str]
    closer: re.Pattern[str]
    eras: dict[str, int]
    words: dict[str, tuple[str, str, int]]  # word → (base "doc"|"ref", unit, offset)
    units: dict[str, str]
    weekdays: str
    month_parts: dict[str, tuple[int, int]]
    year_parts: dict[str, tuple[int, int]]
    header: re.Pattern[str]
    future: re.Pattern[str]


def _alt(words: object) -> str:
    """A regex alternation of literal words, longest first (so 一昨年 wins over 昨年)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = read_json("time_words.json")
    words = {w: ("doc", u, o) for w, (u, o) in data["deictic"].items()}
    words |= {w: ("ref", u, o) for w, (u, o) in data["anaphoric"].items()}
    wd = data["weekdays"]
    # Parts of the day; 朝 not in 朝日/朝鮮, 夜 not in 夜間.
    parts = "|".join(re.escape(p) + {"朝": "(?![日鮮])", "夜": "(?!間)", "昼": "(?!間)", "晩": "(?!年)"}.get(p, "")
                     for p in sorted(data["parts_of_day"], key=len, reverse=True))
    clock = r"(?:午前|午後)?\d{1,2}時(?!間)(?:\d{1,2}分|半)?(?:\d{1,2}秒)?|\d{1,2}:\d{2}(?::\d{2})?"
    weekday_suffix = rf"\s?\((?P<wdp>[{wd}])(?:曜日?)?(?:・?祝)?\)|(?P<wdw>[{wd}])曜日?"
    units = _alt(u for u in data["units"] if u not in ("日", "年"))  # 17日, 2025年 alone are dates
    branches = [
        # 令和7年10月16日, 平成23年度, 昭和56年
        rf"(?P<era>(?P<era_n>{_alt(data['eras'])})(?P<era_y>元|\d{{1,2}}|[{_KN}]{{1,3}})年(?P<era_fy>度)?"
        rf"(?:の?(?P<era_m>{_MD})月(?:(?P<era_d>{_MD})日)?)?)",
        # 2025-10-16, 2025/10/16, 2025.10.16 (with an optional clock time)
        r"(?P<iso>(?<![\d./-])(?P<iso_y>\d{4})(?P<iso_s>[-/.])(?P<iso_m>\d{1,2})(?P=iso_s)(?P<iso_d>\d{1,2})(?![\d.])"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)",
        # 2025年, 2025年8月, 2025年の8月15日, 2014年度, 1990年代, 2025年3月期 (not 2000年前/間/ぶり)
        rf"(?P<ymd>{_NOT_AFTER_NUMBER}(?P<ymd_y>{_YEAR4})年(?!間|前(?!半)|後(?!半)|ぶり|以内|以上)"
        rf"(?:(?P<ymd_dec>代)|(?P<ymd_fy>度)|の?(?P<ymd_m>{_MD})月(?:(?P<ymd_fye>期)|(?P<ymd_d>{_MD})日)?)?)",
        # '05年3月, 05年3月15日, 90年代: a two-digit year needs a month or 代 to be a year
        r"(?P<yy>(?<![\d.,])['’]?(?P<yy_y>\d{2})年(?:(?P<yy_dec>代)|(?P<yy_m>\d{1,2})月(?:(?P<yy_fye>期)|(?P<yy_d>\d{1,2})日)?))",
        # 20世紀, 二十一世紀
        rf"(?P<cent>{_NOT_AFTER_NUMBER}(?P<cent_n>\d{{1,2}}|[{_KN}]{{1,3}})世紀)",
        # 3日前, 2週間以内, 6年ぶり, 30日間, 3か月: a count of units (日 and 年 need a suffix)
        rf"(?P<cnt>{_NOT_AFTER_NUMBER}(?P<cnt_n>\d{{1,4}}|[{_KN}百]{{1,4}})"
        rf"(?:(?P<cnt_u1>日|年)(?P<cnt_s1>前(?![後半])|後(?!半)|以内|間|ぶり)"
        rf"|(?P<cnt_u2>{units})(?P<cnt_s2>前(?![後半])|後(?!半)|以内|間|ぶり)?))",
        # 昨年12月, 先月15日, 今日, 翌日, 先週金曜日, 同年5月
        rf"(?P<rw>(?P<rw_w>{_alt(words)})(?!(?<=あす)か|(?<=きょう)だい)"
        rf"(?:の?(?P<rw_m>{_MD})月(?:(?P<rw_md>{_MD})日)?|の?(?P<rw_d>{_MD})日|の?(?P<rw_wd>[{wd}])曜日?)?)",
        # 8月15日, 8月, 3月期
        rf"(?P<md>{_NOT_AFTER_NUMBER}(?P<md_m>{_MD})月(?!間)(?:(?P<md_fye>期)"
        rf"|(?:(?P<md_d0>{_MD})[、・,])?(?P<md_d>{_MD})(?(md_d0)両?)日)?)",
        # 8/4 (a header style: month/day, not in a number, a code like Kh-59/69 or わずか1/2馬身)
        r"(?P<sl>(?<![0-9A-Za-z./\-\u3041-\u30ff\u4e00-\u9fff])(?P<sl_m>\d{1,2})/(?P<sl_d>\d{1,2})(?![\d/]))",
        # 15日, 十五日 (not 15日間, 3日目, 四日市, 1日あたり)
        rf"(?P<day>(?P<day_nx>翌)?{_NOT_AFTER_NUMBER}(?<![+±−])(?P<day_d>\d{{1,2}}|[{_KN}]{{2,3}})日"
        r"(?![間目市町村数]|あたり|当たり|平均|中|おき|ごと|分の|以上|程度|\d+回))",
        # 金曜日, 月曜 (not 毎週金曜日)
        rf"(?P<wk>(?<!毎週)(?<!毎)(?P<wk_d>[{wd}])曜日?)",
        # 午前7時26分, 23時36分 (a clock time with no day)
        r"(?P<clk>(?<![\d.])(?:(?:午前|午後)\d{1,2}時(?!間)(?:\d{1,2}分|半)?|\d{1,2}時(?:\d{1,2}分|半)))",
    ]
    # Every branch starts with one of these; the lookahead lets the engine skip other characters
    # fast (ten times faster on news text than trying each branch at each position).
    first = set("0123456789'’百午" + _KN + wd) | {w[0] for w in words} | {e[0] for e in data["eras"]}
    return _Vocab(
        master=re.compile(f"(?=[{re.escape(''.join(sorted(first)))}])(?:{'|'.join(branches)})"),
        suffix_day=re.compile(rf"(?:{weekday_suffix})?(?:の?(?:{clock}|{parts}))*(?:頃|ごろ|過ぎ)?"),
        suffix_month=re.compile(rf"(?P<part>{_alt(data['month_parts'])})|(?:頃|ごろ)"),
        suffix_year=re.compile(rf"(?P<part>{_alt(data['year_parts'])})|(?:頃|ごろ)"),
        connector=re.compile(_alt(data["range_connectors"])),
        closer=re.compile(_alt(data["range_closers"])),
        eras=data["eras"], words=words, units=data["units"], weekdays=wd,
        month_parts={k: tuple(v) for k, v in data["month_parts"].items()},
        year_parts={k: tuple(v) for k, v in data["year_parts"].items()},
        header=re.compile(rf"(?:{_alt(data['header_keywords'])})\s*[:：]?\s*$", re.IGNORECASE),
        future=re.compile(_alt(data["future_markers"])),
    )


def _int(s: str) -> int:
    """A number written in ASCII digits or kanji (十五 → 15, 二〇二五 → 2025, 元 → 1)."""
    if s.isascii():
        return int(s)
    if s == "元":
        return 1
    if not any(c in _KANJI_UNITS for c in s):
        return int("".join(str(_KANJI_DIGITS[c]) for c in s))
    total = digit = 0
    for c in s:
        if c in _KANJI_UNITS:
            total += (digit or 1) * _KANJI_UNITS[c]
            digit = 0
        else:
            digit = _KANJI_DIGITS[c]
    return total + digit


# --------------------------------------------------------------------------- raw matches

# A field of a calendar expression: a number, a relative step ("doc"|"ref", offset) from the
# document date or the date last mentioned, ("yy", n) for a two-digit year, or None.
Field = int | tuple[str, int] | None


@dataclass
class _Raw:
    """A matched expression before resolution (internal)."""

    start: int
    end: int
    form: str  # cal, week, count, clock, range
    y: Field = None
    m: Field = None
    d: Field = None
    weekday: int | None = None
    part: tuple[str, int, int] | None = None  # ("month", first day, last day) | ("year", first month, last month)
    special: str = ""  # fiscal, fy_end, decade, century
    n: int = 0
    unit: str = ""
    suffix: str = ""
    clock: str = ""
    week: tuple[str, int] | None = None
    parts: tuple[_Raw, _Raw] | None = None
    sure_year: bool = False  # the year is written out


def _build(m: re.Match[str], v: _Vocab) -> _Raw | None:
    """One master-regex match → a raw expression, or None when the numbers are no date."""
    g, kind, s, e = m.group, m.lastgroup, m.start(), m.end()
    if kind == "era":
        y = v.eras[g("era_n")] + _int(g("era_y"))
        return _cal(s, e, y, g("era_m"), g("era_d"), fiscal=bool(g("era_fy")))
    if kind == "iso":
        return _cal(s, e, int(g("iso_y")), g("iso_m"), g("iso_d"))
    if kind == "ymd":
        y = _int(g("ymd_y"))
        if not 1000 <= y <= 2999:
            return None
        if g("ymd_dec"):
            return _Raw(s, e, "cal", y=y - y % 10, special="decade", sure_year=True)
        if g("ymd_fye"):
            return _cal(s, e, y, g("ymd_m"), None, special="fy_end")
        return _cal(s, e, y, g("ymd_m"), g("ymd_d"), fiscal=bool(g("ymd_fy")))
    if kind == "yy":
        yy = ("yy", int(g("yy_y")))
        if g("yy_dec"):
            return _Raw(s, e, "cal", y=yy, special="decade") if int(g("yy_y")) % 10 == 0 else None
        return _cal(s, e, yy, g("yy_m"), g("yy_d"), special="fy_end" if g("yy_fye") else "")
    if kind == "cent":
        n = _int(g("cent_n"))
        return _Raw(s, e, "cal", y=(n - 1) * 100 + 1, special="century", sure_year=True) if 1 <= n <= 30 else None
    if kind == "cnt":
        unit = v.units[g("cnt_u1") or g("cnt_u2")]
        return _Raw(s, e, "count", n=_int(g("cnt_n")), unit=unit, suffix=g("cnt_s1") or g("cnt_s2") or "")
    if kind == "rw":
        return _relative_word(m, v)
    if kind == "md":
        if g("md_d0"):  # 5月10、11日, 4月9・10両日: the days as a range
            first = _cal(s, m.start("md_d0"), None, g("md_m"), g("md_d0"))
            last = _cal(m.start("md_d"), e, None, None, g("md_d"))
            return _Raw(s, e, "range", parts=(first, last)) if first and last else None
        return _cal(s, e, None, g("md_m"), g("md_d"), special="fy_end" if g("md_fye") else "")
    if kind == "sl":
        return _cal(s, e, None, g("sl_m"), g("sl_d"))
    if kind == "day":
        text = m.string
        if text.startswith("で", e) and not text.startswith(("では", "でも"), e) and _int(g("day_d")) < 10:
            return None  # 3日で終わる: a count of days, not the 3rd
        return _cal(s, e, None, None, g("day_d"), special="next_day" if g("day_nx") else "")
    if kind == "wk":
        return _Raw(s, e, "cal", weekday=v.weekdays.index(g("wk_d")))
    return _Raw(s, e, "clock", clock=m.group())


def _cal(s: int, e: int, y: Field, month: str | None, day: str | None, *,
         fiscal: bool = False, special: str = "") -> _Raw | None:
    """A calendar expression with written numbers, checked for range (13月 is no month)."""
    mo = _int(month) if month else None
    d = _int(day) if day else None
    if (mo is not None and not 1 <= mo <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    if isinstance(y, int) and not 1 <= y <= 9999:
        return None
    if isinstance(y, int) and mo and d and d > calendar.monthrange(y, mo)[1]:
        return None
    return _Raw(s, e, "cal", y=y, m=mo, d=d, special="fiscal" if fiscal else special, sure_year=isinstance(y, int))


def _relative_word(m: re.Match[str], v: _Vocab) -> _Raw | None:
    """今年, 昨年12月, 先月15日, 今日, 翌日, 先週金曜日: a word counted from a date, and what follows it."""
    base, unit, off = v.words[m.group("rw_w")]
    s, word_end = m.start(), m.end("rw_w")
    step = (base, off)
    if unit == "week":
        wd = m.group("rw_wd")
        end = m.end() if wd else word_end
        return _Raw(s, end, "week", week=step, weekday=v.weekdays.index(wd) if wd else None)
    if unit == "year" and m.group("rw_m"):
        raw = _cal(s, m.end(), step, m.group("rw_m"), m.group("rw_md"))
        if raw:
            return raw
    if unit == "month" and m.group("rw_d"):
        raw = _cal(s, m.end(), None, None, m.group("rw_d"))
        if raw:
            raw.m = step
            return raw
    if unit == "day":
        return _Raw(s, word_end, "cal", d=step)
    if unit == "month":
        return _Raw(s, word_end, "cal", m=step)
    return _Raw(s, word_end, "cal", y=step, special="fiscal" if unit == "fiscal_year" else "")


def _granularity(raw: _Raw) -> str:
    """The finest field a calendar expression names: day, month or year."""
    if raw.d is not None or (raw.weekday is not None and raw.m is None and raw.y is None):
        return "day"
    return "month" if raw.m is not None else "year"


def _with_suffixes(raw: _Raw, text: str, v: _Vocab) -> _Raw:
    """Take in what follows a date: (金), 午前7時26分, 頃; 上旬, 末; 前半, 後半."""
    if raw.form != "cal" or raw.special in ("decade", "century", "fy_end"):
        return raw
    gran = _granularity(raw)
    if gran == "day":
        m = v.suffix_day.match(text, raw.end)
        if m and m.end() > raw.end:
            wd = m.group("wdp") or m.group("wdw")
            raw.end = m.end()
            if wd and raw.weekday is None:
                raw.weekday = v.weekdays.index(wd)
        return raw
    if raw.special == "fiscal":
        return raw
    m = (v.suffix_month if gran == "month" else v.suffix_year).match(text, raw.end)
    if m:
        raw.end = m.end()
        if m.group("part"):
            table = v.month_parts if gran == "month" else v.year_parts
            raw.part = (gran, *table[m.group("part")])
    return raw


_SHORT_YEAR = re.compile(r"['’]?(\d{2})年(?!代|度|間|前|後|ぶり|以内)")  # the 81年 of 1979年から81年


def _with_range(raw: _Raw, text: str, v: _Vocab) -> _Raw:
    """Join 'A から B (まで)' into one range: 8月15日から17日まで, 1979年から81年, 昨年から今年."""
    if raw.form != "cal" or raw.special in ("fiscal", "fy_end"):
        return raw
    conn = v.connector.match(text, raw.end)
    if not conn:
        return raw
    pos = conn.end()
    right: _Raw | None = None
    if _granularity(raw) == "year" and raw.sure_year and not raw.special:
        m = _SHORT_YEAR.match(text, pos)
        if m:  # 1979年から81年: the century comes from the left year
            right = _Raw(pos, m.end(), "cal", y=("after", int(m.group(1))))
    if right is None:
        m = v.master.match(text, pos)
        if not m or m.lastgroup in ("cnt", "clk", "wk", "sl"):
            return raw
        right = _build(m, v)
        if right is None or right.form != "cal" or right.special in ("fiscal", "fy_end"):
            return raw
        right = _with_suffixes(right, text, v)
    end = right.end
    close = v.closer.match(text, end)
    if close:
        end = close.end()
    return _Raw(raw.start, end, "range", parts=(raw, right))


def _scan(text: str) -> list[_Raw]:
    """Every date expression in ``text`` (already width-normalised), left to right, not overlapping."""
    v = _vocab()
    out: list[_Raw] = []
    pos = 0
    search = v.master.search
    while (m := search(text, pos)) is not None:
        raw = _build(m, v)
        if raw is None:
            pos = m.start() + 1
            continue
        raw = _with_range(_with_suffixes(raw, text, v), text, v)
        out.append(raw)
        pos = raw.end
    return out


# --------------------------------------------------------------------------- resolution

Parts = tuple[int | None, ...]  # (y,), (y, m) or (y, m, d); None where unknown
_Prev = tuple[Parts, bool]  # an earlier expression of the sentence, and whether it wrote its year


@dataclass
class _Context:
    """What resolution carries from one expression to the next (internal)."""

    text: str
    anchor: date | None
    # The last day, month and year mentioned ("day", "month", "year" → its first day), for 同日,
    # 翌月, 前年: a year alone (2008年) gives 同年 but no 同日.
    ref: dict[str, date] = field(default_factory=dict)
    sentence_prev: _Prev | None = None  # the last calendar expression in this sentence
    prev_end: int = 0


# A reporting verb ends the clause a date belongs to: in 「25日に行われると発表した」 the
# event (行われる) is ahead even though the report (発表した) is past.
_REPORTING = re.compile(r"と(?:発表|述べ|明らか|報じ|伝え|語|話し|説明|強調|指摘|表明|示し|みられ|見られ|し(?:た|て))|という")
_PAST_END = re.compile(r"(?:た|だった)(?:模様|ようだ|とのこと)?$")


def _tense(text: str, pos: int) -> int:
    """-1 if the clause after ``pos`` is past (…た), +1 if it is a plan (予定, 方針, …へ), else 0.

    The clause runs to the sentence's end or to a reporting verb (と発表した, という), whichever
    comes first. Coarse, but it reads only the characters after the date, so it is cheap.
    """
    stop = len(text)
    for ch in "。\n":
        i = text.find(ch, pos, pos + 300)
        if i != -1:
            stop = min(stop, i)
    clause = text[pos:min(stop, pos + 300)]
    report = _REPORTING.search(clause)
    if report and report.start() > 0:
        clause = clause[:report.start()]
    tail = clause[-16:].rstrip("」』）)”\"").rstrip()
    if _vocab().future.search(tail):
        return 1
    return -1 if _PAST_END.search(tail) else 0


def _month_add(y: int, m: int, k: int) -> tuple[int, int]:
    q, r = divmod(m - 1 + k, 12)
    return y + q, r + 1


def _distance(c: tuple[date, date], anchor: date, tense: int) -> int:
    """Days from ``anchor`` to a reading; a reading on the wrong side of the clause's tense
    (after the anchor in a past clause, before it in a plan) counts double."""
    after, before = (c[0] - anchor).days, (anchor - c[1]).days
    if after > 0:
        return after * (2 if tense < 0 else 1)
    return max(before, 0) * (2 if tense > 0 else 1)


def _nearest(cands: list[tuple[date, date]], anchor: date, tense: int,
             weekday: int | None) -> tuple[date, date] | None:
    """The year of 8月15日 or 12月: the reading nearest the anchor (a written weekday decides first).

    Nearness, not tense, leads: news reports the past in past clauses, but 「7月から値上げ
    すると発表した」 reports a plan, and the nearest July is next July.
    """
    if weekday is not None:
        cands = [c for c in cands if c[0].weekday() == weekday] or cands
    return min(cands, key=lambda c: (_distance(c, anchor, tense), c[0]), default=None)


def _day_in_month(cands: list[tuple[date, date]], this: tuple[date, date] | None, anchor: date,
                  tense: int, weekday: int | None) -> tuple[date, date] | None:
    """The month of 15日: the anchor's, unless a past clause puts the day after the anchor's
    (then the month before) or a plan puts it before (then the month after). A day the month
    lacks (31日 in June), or a weekday that does not fit, moves to the nearest reading that fits."""
    if weekday is not None:
        fits = [c for c in cands if c[0].weekday() == weekday]
        if fits:
            return _nearest(fits, anchor, tense, None)
    if this is not None:
        if tense < 0 and this[0] > anchor + _SLACK:
            return max((c for c in cands if c[0] <= anchor + _SLACK), default=this)
        if tense > 0 and this[1] < anchor - _SLACK:
            return min((c for c in cands if c[1] >= anchor - _SLACK), default=this)
        return this
    return _nearest(cands, anchor, tense, None)


def _bounds(y: int, m: int | None = None, d: int | None = None) -> tuple[date, date] | None:
    """First and last day of a year, month or day; None if it does not exist."""
    try:
        if m is None:
            return date(y, 1, 1), date(y, 12, 31)
        if d is None:
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        return date(y, m, d), date(y, m, d)
    except ValueError:
        return None


def _two_digit_year(n: int, anchor: date | None) -> int | None:
    """'05 → 2005, '81 → 1981: the latest year ending in those digits not after next year."""
    if anchor is None:
        return None
    y = anchor.year // 100 * 100 + n
    return y if y <= anchor.year + 1 else y - 100


def _resolve_cal(raw: _Raw, ctx: _Context, inherit: _Prev | None) -> Parts | None:
    """Year, month and day of a calendar expression, as far as they can be known."""
    anchor = ctx.anchor
    y, mo, d = raw.y, raw.m, raw.d

    def base(step: tuple[str, int], unit: str) -> date | None:
        return ctx.ref.get(unit, anchor) if step[0] == "ref" else anchor

    if isinstance(d, tuple):  # 今日, 昨日, 翌日
        b = base(d, "day")
        if b is None:
            return None
        day = b + timedelta(days=d[1])
        return day.year, day.month, day.day
    if isinstance(mo, tuple):  # 先月, 先月15日
        b = base(mo, "month")
        if b is None:
            return None
        yy, mm = _month_add(b.year, b.month, mo[1])
        return (yy, mm, d) if d is None or _bounds(yy, mm, d) else None
    if isinstance(y, tuple):  # 昨年, 昨年12月, '05年3月
        if y[0] == "yy":
            year = _two_digit_year(y[1], anchor)
        else:
            b = base(y, "year")
            year = b.year + y[1] if b else None
        if year is None:
            return (None, mo, d) if mo else None
        return (year, mo, d) if mo is None or _bounds(year, mo, d) else None
    if isinstance(y, int):
        return (y, mo, d) if mo is not None else (y,)
    return _underspecified(raw, ctx, inherit)


def _underspecified(raw: _Raw, ctx: _Context, inherit: _Prev | None) -> Parts | None:
    """8月15日, 8月, 15日, 金曜日: the year (and month) from this sentence or the document date."""
    mo, d, anchor = raw.m, raw.d, ctx.anchor
    assert not isinstance(mo, tuple) and not isinstance(d, tuple)
    after = ctx.ref.get("day", anchor)
    if raw.special == "next_day" and d is not None and after is not None:
        return _next_day_numbered(after, d)
    if mo is None and d is None:  # a weekday alone
        if anchor is None or raw.weekday is None:
            return None
        cands = [_bounds(*(anchor + timedelta(days=k)).timetuple()[:3]) for k in range(-6, 7)]
        got = _nearest([c for c in cands if c], anchor, _tense(ctx.text, raw.end), raw.weekday)
        return (got[0].year, got[0].month, got[0].day) if got else None
    got_from_sentence = _from_sentence(mo, d, inherit)
    if got_from_sentence is not None:
        return got_from_sentence
    if anchor is None:
        return (None, mo, d) if d is not None else (None, mo)
    tense = _tense(ctx.text, raw.end)
    if mo is not None:  # 8月15日, 8月: which year
        cands = {k: _bounds(anchor.year + k, mo, d) for k in (-1, 0, 1)}
    else:  # 15日: which month
        cands = {k: _bounds(*_month_add(anchor.year, anchor.month, k), d) for k in (-1, 0, 1)}
    readings = [c for c in cands.values() if c]
    got = (_nearest(readings, anchor, tense, raw.weekday) if mo is not None
           else _day_in_month(readings, cands[0], anchor, tense, raw.weekday))
    if got is None:
        return None
    lo = got[0]
    return (lo.year, lo.month, lo.day) if d is not None else (lo.year, lo.month)


def _next_day_numbered(after: date, d: int) -> Parts | None:
    """翌18日: the first day numbered ``d`` from the date last mentioned on (on: that date is
    sometimes the other time zone's, 同日午後11時半(日本時間10日午前6時半)…翌10日)."""
    for k in range(3):
        y, m = _month_add(after.year, after.month, k)
        got = _bounds(y, m, d)
        if got and got[0] >= after:
            return y, m, d
    return None


def _from_sentence(mo: int | None, d: int | None, inherit: _Prev | None) -> Parts | None:
    """Year (and month) from an earlier date of the same sentence.

    8月15日 or 8月 takes the year of a day that wrote it (2022年2月24日に侵攻した4日後の2月28日);
    15日 takes year and month from an earlier day (11月7日と8日). A year or month alone is
    background more often than not (2005年12月に起きた事件で、6月3日に逮捕), and a date whose
    year was itself guessed gives nothing.
    """
    if inherit is None:
        return None
    prev, written = inherit
    if mo is not None and written and len(prev) == 3 and prev[0] is not None:
        return ((prev[0], mo, d) if d is not None else (prev[0], mo)) if _bounds(prev[0], mo, d) else None
    if mo is None and d is not None and len(prev) == 3 and prev[1] is not None:
        if prev[0] is None:
            return None, prev[1], d
        return (prev[0], prev[1], d) if _bounds(prev[0], prev[1], d) else None
    return None


def _fmt(p: Parts) -> str:
    """(2025, 8, 15) → '2025-08-15'; unknown parts as X (XXXX-08-15)."""
    widths = (4, 2, 2)
    return "-".join("X" * widths[i] if v is None else f"{v:0{widths[i]}d}" for i, v in enumerate(p) if i < 3)


def _span_value(lo: Parts, hi: Parts) -> str:
    """An ISO value for a span: one part if both ends are equal, else 'lo/hi'."""
    return _fmt(lo) if lo == hi else f"{_fmt(lo)}/{_fmt(hi)}"


def _cal_value(raw: _Raw, p: Parts) -> tuple[Kind, str, Parts, Parts]:
    """Kind, value and the two ends of a resolved calendar expression (decades, 上旬, 年度 widen it)."""
    y = p[0]
    if raw.special == "decade" and y is not None:
        return "range", f"{y:04d}/{y + 9:04d}", (y,), (y + 9,)
    if raw.special == "century" and y is not None:
        return "range", f"{y:04d}/{y + 99:04d}", (y,), (y + 99,)
    if raw.special == "fiscal" and y is not None:
        lo, hi = (y, 4), (y + 1, 3)
        return "range", _span_value(lo, hi), lo, hi
    if raw.special == "fy_end" and y is not None and len(p) > 1 and p[1] is not None:
        lo, hi = _month_add(y, p[1], -11), (y, p[1])
        return "range", _span_value(lo, hi), lo, hi
    if raw.part and y is not None:
        gran, a, b = raw.part
        if gran == "month" and len(p) > 1 and p[1] is not None:
            b = min(b, calendar.monthrange(y, p[1])[1])
            lo, hi = (y, p[1], a), (y, p[1], b)
        else:
            lo, hi = (y, a), (y, b)
        return ("range" if lo != hi else "month"), _span_value(lo, hi), lo, hi
    while len(p) > 1 and p[-1] is None:  # (2025, 8, None) → (2025, 8)
        p = p[:-1]
    kind: Kind = ("year", "month", "date")[len(p) - 1]
    return kind, _fmt(p), p, p


def _resolve(raw: _Raw, ctx: _Context) -> TimeExpr:
    """Resolve one raw expression in its context, and move the context on."""
    text = ctx.text
    new_sentence = re.search(r"[。\n]", text[ctx.prev_end:raw.start]) is not None
    inherit = None if new_sentence else ctx.sentence_prev
    after_event = _after_event(text, raw.start, ctx.prev_end)
    ctx.prev_end = raw.end
    if new_sentence:
        ctx.sentence_prev = None
    surface = text[raw.start:raw.end]
    if raw.form == "clock":
        return TimeExpr(raw.start, raw.end, surface, "time", "T" + _clock(raw.clock), False)
    if raw.form == "count":
        return _resolve_count(raw, ctx, inherit, surface, after_event=after_event)
    if raw.form == "week":
        return _resolve_week(raw, ctx, surface)
    if raw.form == "range":
        return _resolve_range(raw, ctx, inherit, surface)
    p = None if after_event and _anaphoric(raw) else _resolve_cal(raw, ctx, inherit)
    if p is None:
        return TimeExpr(raw.start, raw.end, surface, "date", "", False)
    kind, value, lo, hi = _cal_value(raw, p)
    resolved = None not in lo and None not in hi
    if raw.special in ("decade", "century", "fiscal"):
        ctx.sentence_prev = None  # 1990年代 gives no year to a later 8月 in the sentence
    else:
        _remember(ctx, lo if raw.part else p, resolved, written=raw.sure_year)
    return TimeExpr(raw.start, raw.end, surface, kind, value, resolved)


def _anaphoric(raw: _Raw) -> bool:
    """同日, 翌日, 前年: counted from the date last mentioned."""
    return any(isinstance(f, tuple) and f[0] == "ref" for f in (raw.y, raw.m, raw.d))


# A verb or adjective ending: 始まる13日前, 流出する2日前 count from that event.
_VERB_END = set("るたすくうつむぶぐいだ")


def _after_event(text: str, start: int, prev_end: int) -> bool:
    """True if a relative expression counts from an event, not a date: 試験の翌日, 発売前日,
    本場所が始まる13日前. Not after a date (7月6日の前日), a particle (は同日) or その (その翌日)."""
    if start == 0 or prev_end in (start, start - 1) or text[max(0, start - 2):start] in ("その", "この"):
        return False
    c = text[start - 1]
    return c == "の" or c in _VERB_END or "\u4e00" <= c <= "\u9fff" or "\u30a1" <= c <= "\u30fa"


def _remember(ctx: _Context, p: Parts, resolved: bool, *, written: bool = False) -> None:
    """Keep a calendar expression as this sentence's context and, if resolved, as the last date."""
    while len(p) > 1 and p[-1] is None:
        p = p[:-1]
    ctx.sentence_prev = (p, written)
    if resolved:
        for unit, n in (("year", 1), ("month", 2), ("day", 3))[:len(p)]:
            ctx.ref[unit] = date(*p[:n], *(1,) * (3 - n))  # type: ignore[misc]


def _clock(s: str) -> str:
    """'午後11時32分' → '23:32'."""
    m = re.search(r"(\d{1,2})(?:時|:)(\d{1,2})?(分|半)?", s)
    if not m:
        return ""
    h = int(m.group(1)) + (12 if s.startswith("午後") and int(m.group(1)) < 12 else 0)
    mins = 30 if m.group(3) == "半" else int(m.group(2) or 0)
    return f"{h:02d}:{mins:02d}"


def _resolve_count(raw: _Raw, ctx: _Context, inherit: _Prev | None, surface: str, *,
                   after_event: bool) -> TimeExpr:
    """3日前, 2週間以内, 6年ぶり, 30日間: a step from a date, a range from it, or a duration.

    前/後 count from a date earlier in the sentence (侵攻した4日後の), from the date last
    mentioned after その, else from the document date; after an event with no date
    (始まる13日前) they stay unresolved."""
    n, unit, suffix = raw.n, raw.unit, raw.suffix
    duration = f"P{n}{unit}"
    if suffix not in ("前", "後", "以内"):
        return TimeExpr(raw.start, raw.end, surface, "duration", duration, True)
    base, written = ctx.anchor, False
    if suffix != "以内" and inherit and None not in inherit[0] and len(inherit[0]) == 3:
        base, written = date(*inherit[0]), inherit[1]  # type: ignore[arg-type]
    elif suffix != "以内" and "day" in ctx.ref and ctx.text[max(0, raw.start - 2):raw.start] in ("その", "この"):
        base = ctx.ref["day"]  # その6日前: six days before the date last mentioned
    elif suffix != "以内" and after_event:
        base = None
    if base is None:
        return TimeExpr(raw.start, raw.end, surface, "range" if suffix == "以内" else "date", "", False)
    sign = -1 if suffix == "前" or (suffix == "以内" and ctx.text[max(0, raw.start - 2):raw.start] == "過去") else 1
    moved = _step(base, unit, sign * n)
    if moved is None:
        return TimeExpr(raw.start, raw.end, surface, "date", "", False)
    if suffix == "以内":
        lo, hi = sorted((base, moved))
        return TimeExpr(raw.start, raw.end, surface, "range", f"{lo.isoformat()}/{hi.isoformat()}", True)
    p: Parts = {"Y": (moved.year,), "M": (moved.year, moved.month)}.get(unit, (moved.year, moved.month, moved.day))
    _remember(ctx, p, True, written=written)
    kind: Kind = ("year", "month", "date")[len(p) - 1]
    return TimeExpr(raw.start, raw.end, surface, kind, _fmt(p), True)


def _step(d: date, unit: str, k: int) -> date | None:
    """``d`` moved by ``k`` days, weeks, months or years (the day clipped to the month's end)."""
    try:
        if unit == "D":
            return d + timedelta(days=k)
        if unit == "W":
            return d + timedelta(weeks=k)
        y, m = _month_add(d.year, d.month, k * (12 if unit == "Y" else 1))
        return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    except (ValueError, OverflowError):
        return None


def _resolve_week(raw: _Raw, ctx: _Context, surface: str) -> TimeExpr:
    """先週 → Monday to Sunday of last week; 先週金曜日 → that Friday."""
    assert raw.week is not None
    base = ctx.ref.get("day", ctx.anchor) if raw.week[0] == "ref" else ctx.anchor
    if base is None:
        return TimeExpr(raw.start, raw.end, surface, "range", "", False)
    monday = base - timedelta(days=base.weekday()) + timedelta(weeks=raw.week[1])
    if raw.weekday is not None:
        day = monday + timedelta(days=raw.weekday)
        _remember(ctx, (day.year, day.month, day.day), True)
        return TimeExpr(raw.start, raw.end, surface, "date", day.isoformat(), True)
    sunday = monday + timedelta(days=6)
    return TimeExpr(raw.start, raw.end, surface, "range", f"{monday.isoformat()}/{sunday.isoformat()}", True)


def _resolve_range(raw: _Raw, ctx: _Context, inherit: _Prev | None, surface: str) -> TimeExpr:
    """A から B: B takes the year and month it leaves out from A, and rolls over if it comes first."""
    assert raw.parts is not None
    left, right = raw.parts
    lp = _resolve_cal(left, ctx, inherit)
    if lp is None:
        return TimeExpr(raw.start, raw.end, surface, "range", "", False)
    _, _, lo, lhi = _cal_value(left, lp)
    if isinstance(right.y, tuple) and right.y[0] == "after":  # 1979年から81年
        ly = lp[0] if lp[0] is not None else 0
        yy = ly // 100 * 100 + right.y[1]
        rp: Parts | None = (yy if yy >= ly else yy + 100,)
    else:
        rp = _resolve_cal(right, ctx, (lhi, True))
    if rp is None:
        return TimeExpr(raw.start, raw.end, surface, "range", "", False)
    _, _, _, hi = _cal_value(right, rp)
    hi = _roll_over(lo, hi, right)
    if len(lo) != len(hi):  # different granularities: compare days
        lo, hi = _first_day(lo), _last_day(hi)
    resolved = None not in lo and None not in hi
    _remember(ctx, lo, resolved, written=left.sure_year)
    return TimeExpr(raw.start, raw.end, surface, "range", _span_value(lo, hi), resolved)


def _roll_over(lo: Parts, hi: Parts, right: _Raw) -> Parts:
    """8月30日から2日 → 9月2日; 12月から3月 → next year's March."""
    if None in lo or None in hi or len(lo) != len(hi) or hi >= lo:
        return hi
    if right.d is not None and right.m is None and len(hi) == 3:
        y, m = _month_add(hi[0], hi[1], 1)  # type: ignore[arg-type]
        return (y, m, hi[2]) if _bounds(y, m, hi[2]) else hi
    if right.y is None and hi[0] is not None:
        return (hi[0] + 1, *hi[1:])
    return hi


def _first_day(p: Parts) -> Parts:
    return (p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1)


def _last_day(p: Parts) -> Parts:
    y = p[0]
    m = p[1] if len(p) > 1 else 12
    if len(p) > 2:
        return p
    last = calendar.monthrange(y, m)[1] if y is not None and m is not None else 31
    return (y, m, last)


# --------------------------------------------------------------------------- public API


def find_dates(text: str, *, anchor: date | None) -> list[TimeExpr]:
    """Every time expression in ``text``, left to right, resolved against ``anchor``.

    ``anchor`` is the document date (:func:`document_date`), or None when there is none:
    then only expressions that carry their year resolve.

    How each kind resolves (the rules a news reader applies; docs/time.md has examples):

    - written years (2025年8月15日, 令和7年, 2025/10/16) are taken as written;
    - a month and day without a year (8月15日) take the year of a day written out earlier in
      the sentence, else the reading nearest the anchor: a weekday written with it (8月15日(金))
      decides first, and a reading on the wrong side of the clause's tense (after the anchor in
      a past clause, before it in a plan) counts double (:func:`_nearest`);
    - a day alone (15日) takes the month of a day earlier in the sentence, else the anchor's
      month, or the month before when a past clause puts it after the anchor's day (the month
      after when a plan puts it before) (:func:`_day_in_month`);
    - 今日, 昨年, 先月, 先週 count from the anchor; 同日, 翌日, 前年, 同月 from the day, month or
      year last mentioned (else the anchor); N日前/後 from a day earlier in the sentence
      (侵攻した4日後の) or after その, else the anchor; from an event with no date (試験の翌日,
      始まる13日前) they stay unresolved; N日以内 runs from the anchor (過去N日以内: back to it);
    - ranges (8月15日から17日まで, 1979年から81年) fill the right end from the left;
      年度 is April to March; 上旬/中旬/下旬, 前半/後半, 年代 and 世紀 are ranges.
    """
    norm = text.translate(_FULLWIDTH)  # one character for one: the offsets hold for ``text``
    ctx = _Context(norm, anchor)
    return [replace(expr, text=text[expr.start:expr.end]) for expr in (_resolve(raw, ctx) for raw in _scan(norm))]


def sentence_date(exprs: Sequence[TimeExpr], sentence_span: tuple[int, int]) -> TimeExpr | None:
    """The expression that dates the event of the sentence at ``sentence_span`` (start, end).

    Among the date-like expressions (dates, months, years, ranges; not durations or clock
    times) that start inside the sentence, a resolved one beats an unresolved one; among
    resolved ones the most specific (the shortest interval) wins, then the first. So in
    「昨年12月に就任したA氏は15日、…と述べた。」 the day (15日) dates the statement, not the
    month of the appointment; in 「1979年から81年まで務めた」 the range is the date.
    """
    start, end = sentence_span
    inside = [e for e in exprs if start <= e.start < end and e.kind in DATE_KINDS and e.value]
    resolved = [e for e in inside if e.resolved]
    if resolved:
        return min(resolved, key=lambda e: (_days(e), e.start))
    return inside[0] if inside else None


def _days(expr: TimeExpr) -> int:
    """How many days a resolved expression spans, less one (0 for a day)."""
    first, last = expr.interval or (date.min, date.max)
    return (last - first).days


def day_span(value: str) -> tuple[str, str]:
    """The first and last day a date covers as ISO strings ('2025-08' → '2025-08-01', '2025-08-31'); "" if none."""
    span = interval(value) if value else None
    return (span[0].isoformat(), span[1].isoformat()) if span else ("", "")


def document_date_fields(dated: DocDate | None) -> dict[str, object]:
    """``{"date": "2025-10-17", "date_rule": "urls", "date_text": "2025-10-17", "date_start": 1732,
    "date_end": 1742}`` (offsets of the text it was read from; None for metadata), or ``{"date": None}``."""
    if dated is None:
        return {"date": None}
    return {"date": dated.date.isoformat(), "date_rule": dated.rule, "date_text": dated.text,
            "date_start": dated.start, "date_end": dated.end}


@lru_cache(maxsize=1 << 14)
def interval(value: str) -> tuple[date, date] | None:
    """First and last day of an ISO value from :class:`TimeExpr` ('2025-08' → Aug 1 to 31).

    Cached: a corpus writes a few thousand distinct dates, and every evidence
    sentence of the reduce compares the intervals of its dates.
    """
    ends = value.split("/")
    if not value or len(ends) > 2 or "X" in value or value.startswith(("P", "T")):
        return None
    try:
        parts = [tuple(int(x) for x in e.split("-")) for e in ends]
        lo, hi = _bounds(*parts[0]), _bounds(*parts[-1])
    except (ValueError, TypeError):
        return None
    return (lo[0], hi[1]) if lo and hi else None


def parse_date(value: str) -> date | None:
    """A date from a metadata string: ISO 8601 (with time and zone), 2025/10/16, 20251016,
    2025年10月16日, 令和7年10月16日, or an RFC 2822 date; None if it names no single day.

    A time with a zone is converted to Japan time (UTC+9) first, since the articles' own
    relative dates (昨日, 15日) are counted in Japan time.
    """
    s = value.strip().translate(_FULLWIDTH)
    if re.fullmatch(r"\d{8}", s):
        s = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    try:
        stamp = datetime.fromisoformat(s[:-1] + "+00:00" if s.endswith("Z") else s)
    except ValueError:
        stamp = None
    if stamp is None:
        try:
            stamp = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            stamp = None
    if stamp is not None:
        if stamp.tzinfo is not None:
            try:
                stamp = stamp.astimezone(timezone(timedelta(hours=9)))
            except OverflowError:  # 0001-01-01T00:00-09:00 has no Japan time
                return None
        return stamp.date()
    for expr in find_dates(s, anchor=None):
        if expr.kind == "date" and expr.resolved and len(s) - len(expr.text) <= 12:
            return date.fromisoformat(expr.value)
    return None


# --------------------------------------------------------------------------- document date

_NUMERIC_DATE = re.compile(r"\d[-/.．／－]\d")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/?(\d{2})/?(\d{2})?(?=[/\d])")
# After a citation's date: a time zone, 朝刊, 閲覧 or 更新, and the full stop.
_AFTER_CITATION = re.compile(r"\s*(?:[(（][^()（）]{0,20}[)）])?[^。「」『』、]{0,8}。?$")
_APART = set(" \t\u3000()（）[]【】「」『』|｜/-－–—‐:：・")
# Foreign sources cited in Japanese Wikinews: 'BBCNews,September 20,2005', 'Reuters,Sept 25,2005',
# 'TorontoStar,20 April 2006', 'n-tv、15.09.2005', 'Russland-Aktuell、19/09/2005', 'CNN,2005年7月22日'.
_MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
        r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_MONTH_NUMBER = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                              "nov", "dec"), 1)}
_FOREIGN_CITATION = re.compile(
    rf"[,，、]\s?(?:(?P<a_m>{_MON})\s?(?P<a_d>\d{{1,2}}),\s?(?P<a_y>\d{{4}})"
    rf"|(?P<b_d>\d{{1,2}})\s(?P<b_m>{_MON})\s(?P<b_y>\d{{4}})"
    r"|(?P<c_1>\d{1,2})(?P<c_s>[./])(?P<c_2>\d{1,2})(?P=c_s)(?P<c_y>\d{4})"
    r"|(?<=[,，])(?P<d_y>\d{4})年(?P<d_m>\d{1,2})月(?P<d_d>\d{1,2})日)(?!\d)")


def _foreign_day(m: re.Match[str]) -> tuple[date, date] | None:
    """The day of a foreign-style citation date (day first when both numbers could be a month)."""
    g = m.group
    if g("a_m"):
        return _bounds(int(g("a_y")), _MONTH_NUMBER[g("a_m")[:3].lower()], int(g("a_d")))
    if g("b_m"):
        return _bounds(int(g("b_y")), _MONTH_NUMBER[g("b_m")[:3].lower()], int(g("b_d")))
    if g("c_1"):
        first, second = int(g("c_1")), int(g("c_2"))
        month_first = g("c_s") == "/" and second > 12 and first <= 12
        return _bounds(int(g("c_y")), first if month_first else second, second if month_first else first)
    return _bounds(int(g("d_y")), int(g("d_m")), int(g("d_d")))


def document_date(text: str, *, given: str | None = None) -> DocDate | None:
    """The date a document was written, or None; ``rule`` says which of these found it.

    The first rule that finds a day wins:

    1. ``metadata``: ``given`` (the input's ``date`` field) when :func:`parse_date` reads it.
       A field that names no day is ignored (the caller can report it with ``parse_date``).
    2. ``header``: a dateline in the top of the article (its first 5 lines, at most 400
       characters): a date written as numbers (2025-10-16, 2025/10/16, 8/4), after a word like
       更新, 配信 or 公開, or alone on a short line. This is the page saying when it was written.
       A month and day without a year (8/4) take the year of the latest date the text writes in
       full or in a URL (``/2025/08/``); with none, the dateline is skipped.
    3. ``citations``: the latest date among the source citations (``読売新聞、2009年9月18日。``),
       Japanese Wikinews' way of ending an article. An article is written on or after the day of
       its sources, and the latest of them is the nearest to that day.
    4. ``lead``: the first full date (with its year) in the top of the article. This is the
       event's day (2011年4月7日午後11時32分頃…地震があった), usually the day before or of the
       writing, but sometimes a background date years old, so citations come first.
    5. ``urls``: the latest day written in a URL the article cites
       (``https://jp.reuters.com/…-2025-10-16/``, ``…/html/20250816/…``, ``?k=2025101600772``).
       Blogs cite their sources by link, not by a citation line; like citations, the article is
       written on or after them. Last, because a URL's date is a source's, not the article's.

    A date in a list of other headlines (``2016年8月16日(火):台風…``) is never the document's.
    """
    if given is not None and given.strip():
        day = parse_date(given)
        if day is not None:
            return DocDate(day, "metadata", "metadata", given, None, None)
    top = text[:_top_end(text)]
    exprs = [e for e in find_dates(top, anchor=None) if e.kind == "date" and not _listed(text, e)]
    for expr in exprs:
        if _dateline(text, expr):
            day = _header_day(expr, text)
            if day is not None:
                return DocDate(day, "text", "header", expr.text, expr.start, expr.end)
    cited = _citation_date(text)
    if cited is not None:
        return cited
    lead = next((e for e in exprs if e.resolved), None)
    if lead is not None and not _background(lead, text):
        return DocDate(date.fromisoformat(lead.value), "text", "lead", lead.text, lead.start, lead.end)
    return _url_date(text)


# A day in a URL: 2025-10-16, 2025/10/16, 20250816 (eight digits may run on: jiji's k=2025101600772).
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:([-/_.])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?!\d)"
                      r"|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01]))")


def _url_date(text: str) -> DocDate | None:
    """The latest day written in a URL of the text (rule ``urls``), with its offsets."""
    best: DocDate | None = None
    for url in URL.finditer(text):
        for m in _URL_DAY.finditer(url.group()):
            month, day = (m.group(3), m.group(4)) if m.group(2) else (m.group(5), m.group(6))
            got = _bounds(int(m.group(1)), int(month), int(day))
            if got and (best is None or got[0] > best.date):
                start = url.start() + m.start()
                best = DocDate(got[0], "text", "urls", m.group(), start, url.start() + m.end())
    return best


def _background(lead: TimeExpr, text: str) -> bool:
    """True if the text writes a year more than one year after ``lead``'s: then the first date
    is history (the 1979 debut in a 2006 article, 1905 in a centenary), not the article's day."""
    latest = max((e.interval[1].year for e in find_dates(text, anchor=None) if e.interval), default=0)
    return latest > int(lead.value[:4]) + 1


def _top_end(text: str) -> int:
    """End of the article's top: its first 5 non-empty lines, at most 400 characters."""
    pos = lines = 0
    while pos < min(len(text), _TOP_CHARS) and lines < _TOP_LINES:
        nl = text.find("\n", pos)
        nl = len(text) if nl == -1 else nl
        lines += bool(text[pos:nl].strip())
        pos = nl + 1
    return min(pos, _TOP_CHARS, len(text))


def _listed(text: str, expr: TimeExpr) -> bool:
    """'2016年8月16日(火):台風…': a date heading an item of a list of headlines."""
    return re.match(r"\s*[:：]", text[expr.end:expr.end + 3]) is not None


def _dateline(text: str, expr: TimeExpr) -> bool:
    """A date written as a dateline: in numbers, after 更新/配信/公開, or set apart on a short line.

    'Set apart' means nothing is glued to it on either side (a space, a bracket or a dash
    between), so a headline's event date (…、8月22日に死刑執行か) is no dateline.
    """
    if _NUMERIC_DATE.search(expr.text):
        return True
    line_start = text.rfind("\n", 0, expr.start) + 1
    if _vocab().header.search(text[max(line_start, expr.start - 12):expr.start]):
        return True
    line_end = text.find("\n", expr.end)
    before = text[line_start:expr.start]
    after = text[expr.end:len(text) if line_end == -1 else line_end]
    return (len(before.strip()) + len(after.strip()) <= 25 and "。" not in before + after
            and (not before.strip() or before[-1] in _APART) and (not after.strip() or after[0] in _APART))


def _header_day(expr: TimeExpr, text: str) -> date | None:
    """The day of a dateline; a month/day without year gets the year of the text's latest date."""
    if expr.resolved:
        return date.fromisoformat(expr.value)
    m = re.fullmatch(r"XXXX-(\d\d)-(\d\d)", expr.value)
    if not m:
        return None
    evidence = [date.fromisoformat(e.value) for e in find_dates(text, anchor=None) if e.kind == "date" and e.resolved]
    for u in _URL_DATE.finditer(text):
        day = _bounds(int(u.group(1)), int(u.group(2)), int(u.group(3)) if u.group(3) else 1)
        if day:
            evidence.append(day[0])
    if not evidence:
        return None
    latest = max(evidence)
    cands = [b for k in (-1, 0, 1) if (b := _bounds(latest.year + k, int(m.group(1)), int(m.group(2))))]
    got = _nearest(cands, latest, 0, None)
    return got[0] if got else None


def _citation_date(text: str) -> DocDate | None:
    """The latest date of lines 'Publisher、2009年9月18日。' (not Wikipedia's 'の版' revisions)."""
    best: DocDate | None = None
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        comma = line.rfind("、")
        if comma <= 0 or comma > 80 or "年" not in line[comma:] or len(line) - comma > 40 or "の版" in line:
            continue
        if "ウィキペディア" in line[:comma] or "wikipedia" in line[:comma].lower():
            continue
        rest = line[comma + 1:]
        found = find_dates(rest, anchor=None)
        if not found or found[0].start != 0 or found[0].kind != "date" or not found[0].resolved:
            continue
        if not _AFTER_CITATION.match(rest, found[0].end):
            continue
        day = date.fromisoformat(found[0].value)
        if best is None or day > best.date:
            start = line_start + comma + 1
            best = DocDate(day, "text", "citations", found[0].text, start, start + found[0].end - found[0].start)
    for m in _FOREIGN_CITATION.finditer(text):
        got = _foreign_day(m)
        if got and (best is None or got[0] > best.date):
            start = m.start() + 1 + (m.group()[1:2].isspace())
            best = DocDate(got[0], "text", "citations", text[start:m.end()], start, m.end())
    return best
