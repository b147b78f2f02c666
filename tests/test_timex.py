"""kg.timex: a document's date and the date expressions of its sentences, pinned on real text.

Sentences marked ``Wikinews wnNNNN`` are copied from Japanese Wikinews (ja.wikinews.org),
© Wikinews contributors, CC BY 2.5, through ../shared/corpora/wikinews-ja; ``seed NNN`` marks
the project's seed corpus (corpus/). Pure Python: no GiNZA.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.datafiles import read_json
from kg.timex import DocDate, TimeExpr, document_date, find_dates, interval, parse_date, sentence_date

ROOT = Path(__file__).resolve().parent.parent


def found(text: str, anchor: date | None) -> list[tuple[str, str, str, bool]]:
    """(text, kind, value, resolved) of every expression, the shape the cases below pin."""
    return [(e.text, e.kind, e.value, e.resolved) for e in find_dates(text, anchor=anchor)]


# (sentence, document date, expected): real sentences, resolved against their article's date.
REAL = [
    # Wikinews wn0000: the lead date carries its year; 同日 is that day, not the document's.
    ("2011年4月7日午後11時32分頃(UTC+9)、日本の宮城県沖を震源とする大規模な地震があった。気象庁は同日23時36分(UTC+9)、"
     "震源の深さは約40キロと発表した。", date(2011, 4, 8),
     [("2011年4月7日午後11時32分頃", "date", "2011-04-07", True), ("同日23時36分", "date", "2011-04-07", True)]),
    # Wikinews wn0058: 昨年 + month, and 先週 as Monday to Sunday.
    ("同大学では昨年8月に警備員が射殺される事件があった他、先週には複数の爆破予告の脅迫があった。", date(2007, 4, 17),
     [("昨年8月", "month", "2006-08", True), ("先週", "range", "2007-04-09/2007-04-15", True)]),
    # Wikinews wn0050
    ("先月18日に行われた選挙の後、CDU・CSUとSPDは連立工作を進めていた。", date(2005, 10, 9),
     [("先月18日", "date", "2005-09-18", True)]),
    # Wikinews wn0427: 先月末 is the last third of last month.
    ("永岡議員は先月末に出身地の茨城県古河市に帰り、7月30日に同市内で開催された夏祭りにも顔を出していたという。", date(2005, 8, 1),
     [("先月末", "range", "2005-07-21/2005-07-31", True), ("7月30日", "date", "2005-07-30", True)]),
    # Wikinews wn0083: 前日 counts from the date just mentioned.
    ("香川県警坂出署は11月28日、前日に死体遺棄の疑いで逮捕した61歳の無職男を立会わせて坂出港近くを捜索した。", date(2007, 11, 29),
     [("11月28日", "date", "2007-11-28", True), ("前日", "date", "2007-11-27", True)]),
    # Wikinews wn0256: 試験の翌日 counts from an event with no date: unresolved, text kept.
    ("この問題漏えいは、試験の翌日に試験問題を公開するための事前準備に際して起きた。", date(2013, 2, 13),
     [("翌日", "date", "", False)]),
    # Wikinews wn0132: N日以内 runs from the document date.
    ("同議会はまた、45日以内にモンテネグロとの間で分割のための実務を行うように求めた。", date(2006, 6, 6),
     [("45日以内", "range", "2006-06-06/2006-07-21", True)]),
    # Wikinews wn0074: a range of days, ending with にかけて.
    ("今後、勢力をやや弱めながら17日から18日にかけて香港付近の中国大陸に上陸すると見られている。", date(2006, 5, 15),
     [("17日から18日にかけて", "range", "2006-05-17/2006-05-18", True)]),
    # Wikinews wn0154: the right end of a range takes its month from the left; 平成 and 末.
    ("去る7月19日から26日(UTC+9以下同)にかけて九州北部に被害をもたらした豪雨について、気象庁は7月27日「平成21年7月中国・九州北部豪雨」"
     "と命名したと発表した。", date(2009, 7, 28),
     [("7月19日から26日", "range", "2009-07-19/2009-07-26", True), ("7月27日", "date", "2009-07-27", True),
      ("平成21年7月", "month", "2009-07", True)]),
    ("洪水被害の命名は2008年8月の「平成20年8月末豪雨」以来のことである。", date(2009, 7, 28),
     [("2008年8月", "month", "2008-08", True), ("平成20年8月末", "range", "2008-08-21/2008-08-31", True)]),
    # Wikinews wn0068: 年度 is April to March.
    ("ワールドは3月13日(UTC+9)、ラグビー部を2008年度を最後として休部すると発表した。", date(2009, 3, 14),
     [("3月13日", "date", "2009-03-13", True), ("2008年度", "range", "2008-04/2009-03", True)]),
    # Wikinews wn0198: 9月期 is the business year ending in September.
    ("大阪書籍は1996年9月期に年売上高約64億6400万円であった。", date(2008, 4, 12),
     [("1996年9月期", "range", "1995-10/1996-09", True)]),
    # Wikinews wn1110: weekdays in parentheses, a range across them.
    ("「国際馬術掛川2014」が、2014年3月28日(金)から30日(日)にかけて静岡県掛川市にて開催された。", date(2014, 4, 2),
     [("2014年3月28日(金)から30日(日)にかけて", "range", "2014-03-28/2014-03-30", True)]),
    # Wikinews wn0025
    ("エリツィン前大統領は同国の初代大統領で、1991年から1999年まで在任していた。", date(2007, 4, 26),
     [("1991年から1999年まで", "range", "1991/1999", True)]),
    # Wikinews wn0193: decades.
    ("問題の報道は1980年代から1990年代に取り上げた、吉田清治氏の証言による報道。", date(2014, 8, 5),
     [("1980年代から1990年代", "range", "1980/1999", True)]),
    # Wikinews wn0012: 翌21日 is the 21st after the date just mentioned.
    ("佐賀県唐津市厳木町で20日、小学5年生の男児が夕方から一時行方不明となったが、翌21日未明に保護された。", date(2006, 5, 21),
     [("20日", "date", "2006-05-20", True), ("翌21日未明", "date", "2006-05-21", True)]),
    # Wikinews wn1635: a plan reported in the past: 7月 is the coming July, 25日 the day of the report.
    ("フィリップ・モリス・ジャパンは7月からのたばこ製品の価格改定に関して認可の再申請を行ったことを、25日に発表した。", date(2006, 5, 25),
     [("7月", "month", "2006-07", True), ("25日", "date", "2006-05-25", True)]),
    # Wikinews wn0346: 5月10、11日 is both days.
    ("5月10、11日の台風第1号の影響で、5月の降水量はかなり多かった。", date(2011, 6, 11),
     [("5月10、11日", "range", "2011-05-10/2011-05-11", True), ("5月", "month", "2011-05", True)]),
    # Wikinews wn0286: N年前 from the document date; durations stay durations.
    ("これは8年前に同じ内容で調査したときの3倍以上に増えているという。", date(2007, 12, 12), [("8年前", "year", "1999", True)]),
    ("Jリーグでは2002年から2006年の5年間契約で放映権を結んでいた。", date(2006, 8, 15),
     [("2002年から2006年", "range", "2002/2006", True), ("5年間", "duration", "P5Y", True)]),
    # Wikinews wn0575
    ("これは、先週金曜日ローマで逮捕されたフセイン・オスマンさんを指している。", date(2005, 8, 4),
     [("先週金曜日", "date", "2005-07-29", True)]),
    # seed 000: 2週間以内 (a range from the document date); 16日 in the document's month.
    ("トランプ米大統領は16日、プーチン大統領と2週間以内にも会談することになると述べた。", date(2025, 10, 17),
     [("16日", "date", "2025-10-16", True), ("2週間以内", "range", "2025-10-17/2025-10-31", True)]),
    # seed 000: a past sentence about a day after the document's: the month before.
    ("ロシア軍は(現地時間の)9日夜からウクライナのエネルギー施設を攻撃した。", date(2025, 10, 5),
     [("9日夜", "date", "2025-09-09", True)]),
    # seed 003: the year of 2月28日 comes from the date written earlier in the sentence.
    ("ところで、2022年2月24日にロシアがウクライナに軍事侵攻した4日後の2月28日に、ロシアとウクライナの交渉が始まった。",
     date(2025, 8, 4),
     [("2022年2月24日", "date", "2022-02-24", True), ("4日後", "date", "2022-02-28", True),
      ("2月28日", "date", "2022-02-28", True)]),
    # seed 003: 今年 + month and day; 30日間 is a duration, not the 30th.
    ("今年2月28日に、トランプ氏は米国が提案する30日間停戦案を示した。", date(2025, 8, 4),
     [("今年2月28日", "date", "2025-02-28", True), ("30日間", "duration", "P30D", True)]),
    # 同年 needs a year mentioned, 同日 a day: a bare year gives no day.
    ("2008年に設立された。同日に発表した。同年5月に上場した。", None,
     [("2008年", "year", "2008", True), ("同日", "date", "", False), ("同年5月", "month", "2008-05", True)]),
    # seed 004: a day with no document date keeps what it says.
    ("ゼレンスキー大統領は11日、英紙「ガーディアン」のインタビューに応じた。", None,
     [("11日", "date", "XXXX-XX-11", False)]),
]


@pytest.mark.parametrize(("text", "anchor", "expected"), REAL, ids=[r[0][:12] for r in REAL])
def test_real_sentences_resolve_exactly(text: str, anchor: date | None,
                                         expected: list[tuple[str, str, str, bool]]) -> None:
    assert found(text, anchor) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("二〇二五年八月十五日", "2025-08-15"),
    ("２０２５年１０月１６日", "2025-10-16"),
    ("令和7年10月16日", "2025-10-16"),
    ("令和元年5月1日", "2019-05-01"),
    ("平成二十三年三月十一日", "2011-03-11"),
    ("昭和64年1月7日", "1989-01-07"),
    ("2025/10/16", "2025-10-16"),
    ("2025-10-16T09:30:00+09:00", "2025-10-16"),
    ("2024.6.28", "2024-06-28"),
    ("1952年", "1952"),
    ("二千二十五年", "2025"),
])
def test_written_numbers_in_every_form(text: str, value: str) -> None:
    [expr] = find_dates(text, anchor=None)
    assert (expr.start, expr.end, expr.value, expr.resolved) == (0, len(text), value, True)


@pytest.mark.parametrize(("text", "anchor", "value"), [
    ("十五日", date(2025, 8, 20), "2025-08-15"),
    ("8月15日(金)", date(2026, 1, 10), "2025-08-15"),   # the weekday picks 2025 (a Friday) over 2026
    ("8月15日(土)", date(2026, 1, 10), "2026-08-15"),   # … and 2026 (a Saturday)
    ("15日(月)に会う。", date(2025, 10, 2), "2025-09-15"),  # 15 October 2025 is a Wednesday
    ("12月25日に発表した。", date(2025, 1, 10), "2024-12-25"),  # the nearest December
    ("3月1日に施行された。", date(2025, 10, 16), "2025-03-01"),  # past: before the anchor
    ("3月1日に施行される予定だ。", date(2025, 10, 16), "2026-03-01"),  # a plan: after it
    ("19日に開幕した。", date(2025, 10, 16), "2025-09-19"),  # past, day after the anchor's: last month
    ("19日に開幕する。", date(2025, 10, 16), "2025-10-19"),
    ("31日に発表した。", date(2025, 6, 10), "2025-05-31"),  # June has no 31st
    ("一昨日", date(2025, 3, 1), "2025-02-27"),
    ("来年4月", date(2025, 10, 16), "2026-04"),
    ("今年度", date(2025, 10, 16), "2025-04/2026-03"),
    ("来月上旬", date(2025, 12, 16), "2026-01-01/2026-01-10"),
    ("3か月後", date(2025, 11, 30), "2026-02"),
    ("過去2週間以内", date(2025, 10, 16), "2025-10-02/2025-10-16"),
    ("20世紀", date(2025, 10, 16), "1901/2000"),
    ("90年代", date(2025, 10, 16), "1990/1999"),
    ("'05年3月", date(2025, 10, 16), "2005-03"),
    ("12月から3月まで", date(2025, 10, 16), "2025-12/2026-03"),
    ("8月30日から9月2日にかけて", date(2025, 10, 16), "2025-08-30/2025-09-02"),
    ("2024年12月30日から1月2日まで", date(2025, 10, 16), "2024-12-30/2025-01-02"),
    ("1979年から81年", None, "1979/1981"),
    ("1998年から02年", None, "1998/2002"),
    ("2000年前の遺跡", date(2025, 10, 16), "0025"),  # two thousand years ago, not the year 2000
])
def test_resolution_rules(text: str, anchor: date | None, value: str) -> None:
    assert find_dates(text, anchor=anchor)[0].value == value


@pytest.mark.parametrize("text", [
    "四日市で会った", "1日あたり3回", "1日数回から数百回の無言電話", "3日目の朝", "30日間", "わずか1/2馬身差", "Kh-59/69を5発",
    "13月", "毎週金曜日に", "3日で終わる", "UTC+9日本時間",
])
def test_look_alikes_are_no_dates(text: str) -> None:
    assert [e for e in find_dates(text, anchor=date(2025, 10, 16)) if e.kind in ("date", "month", "year", "range")] == []


def test_clock_times_alone_are_kept_but_not_dated() -> None:
    assert found("また、午前11時5分に、噴火警戒レベルは引き上げられた。", date(2017, 10, 12)) == [
        ("午前11時5分", "time", "T11:05", False)]


def test_every_word_of_the_vocabulary_is_recognised_and_resolved() -> None:
    """The regex and kg/data/time_words.json agree: each relative word alone is one resolved expression."""
    words = read_json("time_words.json")
    for word in [*words["deictic"], *words["anaphoric"]]:
        exprs = find_dates(word, anchor=date(2025, 10, 16))
        assert [(e.start, e.end, e.resolved) for e in exprs] == [(0, len(word), True)], word


def test_the_examples_of_docs_time_md_run() -> None:
    import doctest

    result = doctest.testfile(str(ROOT / "docs" / "time.md"), module_relative=False)
    assert (result.failed, result.attempted >= 8) == (0, True)


@pytest.mark.parametrize("line", ["2025年10月16日 12:00 配信", "共同通信 2025/10/16", "公開日:2025年10月16日",
                                  "2025.10.16 (木)", "【2025年10月16日】", "令和7年10月16日(木)"])
def test_bylines_are_datelines(line: str) -> None:
    got = document_date("見出し\n" + line + "\n本文は15日に始まった。\n読売新聞、2025年10月1日。")
    assert got is not None and (got.rule, got.date) == ("header", date(2025, 10, 16))


# --------------------------------------------------------------------------- sentence_date


def test_sentence_date_prefers_the_most_specific_resolved_expression() -> None:
    text = "昨年12月に就任したA氏は15日、会見で方針を述べた。次の文。"
    exprs = find_dates(text, anchor=date(2025, 10, 16))
    best = sentence_date(exprs, (0, text.index("。") + 1))
    assert best is not None and (best.text, best.value) == ("15日", "2025-10-15")


def test_sentence_date_takes_the_first_of_equals_and_skips_durations() -> None:
    text = "2月14日午後(日本時間15日早朝)、3年間の捜査の末に逮捕された。"
    exprs = find_dates(text, anchor=date(2008, 2, 15))
    assert sentence_date(exprs, (0, len(text))).text == "2月14日午後"  # type: ignore[union-attr]
    assert sentence_date(find_dates("30日間の停戦。", anchor=date(2025, 3, 1)), (0, 7)) is None


def test_sentence_date_falls_back_to_an_unresolved_one_and_stays_in_its_sentence() -> None:
    text = "A氏は11日に述べた。B氏は2025年5月1日に来日した。"
    exprs = find_dates(text, anchor=None)
    first = sentence_date(exprs, (0, text.index("。") + 1))
    assert first is not None and (first.value, first.resolved) == ("XXXX-XX-11", False)
    second = sentence_date(exprs, (text.index("。") + 1, len(text)))
    assert second is not None and second.value == "2025-05-01"


def test_interval_of_each_value_shape() -> None:
    assert interval("2025-08-15") == (date(2025, 8, 15), date(2025, 8, 15))
    assert interval("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert interval("1979/1981") == (date(1979, 1, 1), date(1981, 12, 31))
    assert interval("2014-04/2015-03") == (date(2014, 4, 1), date(2015, 3, 31))
    assert [interval(v) for v in ("P2W", "T07:26", "XXXX-08-15", "", "2025-13")] == [None] * 5


# --------------------------------------------------------------------------- document_date

# The end of Wikinews wn2342 (its source citations).
CITED = ("甲子園球場、実はちょっと狭かった\n産経新聞によると、阪神甲子園球場のグラウンドが公称より狭かったことがわかった。\n"
         "MSN産経新聞ニュース『甲子園球場、実はちょっと狭かった』。\n産経新聞、2009年3月15日。\n"
         "毎日jp中里顕『甲子園球場:観戦しやすく改修センバツでお披露目』。\n毎日新聞、2009年3月14日。\n")


def test_metadata_wins_in_each_written_form() -> None:
    for value in ("2025-10-16", "2025/10/16", "20251016", "2025年10月16日", "令和7年10月16日",
                  "2025-10-16T08:00:00+09:00", "Thu, 16 Oct 2025 08:00:00 +0900", "2025-10-15T23:30:00Z"):
        assert document_date(CITED, given=value) == DocDate(date(2025, 10, 16), "metadata", "metadata", value,
                                                            None, None), value


def test_metadata_that_names_no_day_falls_back_to_the_text() -> None:
    assert parse_date("yesterday") is None and parse_date("2025-10") is None
    assert parse_date("9999-12-31T23:00:00-09:00") is None  # past the calendar's end in Japan time
    got = document_date(CITED, given="yesterday")
    assert got is not None and (got.rule, got.date) == ("citations", date(2009, 3, 15))


def test_citations_give_their_latest_date_with_offsets() -> None:
    got = document_date(CITED)
    assert got is not None and (got.source, got.rule, got.date, got.text) == (
        "text", "citations", date(2009, 3, 15), "2009年3月15日")
    assert CITED[got.start:got.end] == got.text  # type: ignore[misc]


def test_foreign_citations_and_wikipedia_revisions() -> None:
    # Wikinews wn3353 ends in English-language sources; wn1652-style 'の版' lines are revisions, not sources.
    text = ("訃報サイモン・ヴィーゼンタール氏\nヴィーゼンタール氏は1908年12月31日に生まれた。\n"
            "ウィキペディア日本語版、2006年1月29日(日)05:36の版。\n"
            "\"Obituary:SimonWiesenthal\".BBCNews,September 20,2005\"DerHeld\".DerSpiegel,Sept 20,2005。")
    got = document_date(text)
    assert got is not None and (got.rule, got.date, got.text) == ("citations", date(2005, 9, 20), "September 20,2005")


def test_a_dateline_beats_citations_and_a_headline_list_is_skipped() -> None:
    # Wikinews wn0260 (更新: is a dateline) and wn2499 (a list of other headlines glued to the text).
    updated = "新燃岳約6年ぶりに噴火\n更新:2017年10月20日新燃岳が2017年10月11日午前5時34分に噴火した。\n気象庁、2017年10月15日。"
    got = document_date(updated)
    assert got is not None and (got.rule, got.date) == ("header", date(2017, 10, 20))
    listed = ("台風13号、北海道北部に再上陸\n気象庁によると、台風13号は20日午前6時ごろ、石狩市付近に再上陸した。\n"
              "2016年8月16日(火):台風13号の影響で広島でも1人死亡『台風情報』。\n気象庁、2006年9月20日。")
    got = document_date(listed)
    assert got is not None and (got.rule, got.date) == ("citations", date(2006, 9, 20))


def test_a_headline_event_date_is_no_dateline() -> None:
    # Wikinews wn0195: the title names the day of a future event.
    text = "2002年のバリ爆弾事件犯人、8月22日に死刑執行か\nBBCによれば、インドネシアの当局が発表した。\nBBC、2008年8月12日。"
    got = document_date(text)
    assert got is not None and (got.rule, got.date) == ("citations", date(2008, 8, 12))


def test_month_day_dateline_takes_its_year_from_the_text() -> None:
    """seed 003: the title's '(8/4JBプレス 横山恭三)' dates the post; URLs in it say 2025."""
    text = (ROOT / "corpus" / "003_89363e7e5bbeb1cc.txt").read_text(encoding="utf-8")
    got = document_date(text)
    assert got is not None and (got.rule, got.date, got.text) == ("header", date(2025, 8, 4), "8/4")
    assert text[got.start:got.end] == "8/4"  # type: ignore[misc]


def test_lead_date_unless_it_is_history() -> None:
    # Wikinews wn0718 (no citations): the first full date; wn1917: 1979 is history in a text that writes 1995.
    lead = "日本で大規模なネットワーク障害が発生\n2017年8月25日正午すぎ(UTC+9)から、各地でインターネットに障害が発生した。"
    got = document_date(lead)
    assert got is not None and (got.rule, got.date, got.text) == ("lead", date(2017, 8, 25), "2017年8月25日正午")
    history = ("ANAのボーイング747 SRが退役へ\n747 SRの就航は1979年1月25日で、以来27年間に渡って使用され続けていた。\n"
               "トライスターは1995年11月30日に退いた。")
    assert document_date(history) is None


def test_urls_date_a_blog_that_cites_by_link() -> None:
    """seed 000 and 001 have no dateline and no citation lines; the links they cite carry days."""
    text = ("第二回目の米露首脳会談\nトマホークの供与(https://www.jiji.com/jc/article?k=2025101600772&g=int)を拒否。\n"
            "報道(https://jp.reuters.com/world/ukraine/XG3CBSP4NRP6FOGXG53U7ZHEBI-2025-10-17/)によると、"
            "会談は2時間半(https://www3.nhk.or.jp/news/html/20250816/k10014895001000.html)。")
    got = document_date(text)
    assert got is not None and (got.rule, got.date, got.text) == ("urls", date(2025, 10, 17), "2025-10-17")
    assert text[got.start:got.end] == "2025-10-17"  # type: ignore[misc]
    # a status number or a campaign code is no day; a day the calendar lacks neither
    assert document_date("https://twitter.com/i/status/1952177345420243283 ?utm_campaign=RR08042025DN") is None
    assert document_date("https://example.com/2025/02/30/x") is None
    seeds = {p.name[:3]: document_date(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").glob("*.txt"))}
    assert {k: v and (v.rule, v.date.isoformat()) for k, v in seeds.items()} == {
        "000": ("urls", "2025-10-17"), "001": ("urls", "2025-08-16"), "002": ("urls", "2025-03-19"),
        "003": ("header", "2025-08-04"), "004": None}


def test_no_date_at_all() -> None:
    # seed 002 starts with a day and no year, and names no year anywhere near it.
    assert document_date("トランプ大統領とプーチン大統領が米国東部時間の19日午前、会談した。") is None
    assert document_date("") is None


def test_wikinews_dev_articles_get_their_dates() -> None:
    """The dev articles of the shared Wikinews corpus (read there, not copied): dated by their
    citations, except wn2193, whose sources carry no date."""
    dev = ROOT.parent / "shared" / "corpora" / "wikinews-ja" / "dev"
    if not dev.is_dir():
        pytest.skip("shared corpus not present")
    got = {p.stem: document_date(p.read_text(encoding="utf-8")) for p in sorted(dev.glob("*.txt"))}
    assert {k: v and (v.rule, v.date.isoformat()) for k, v in got.items()} == {
        "wn0156": ("citations", "2010-08-11"), "wn0189": ("citations", "2009-09-18"),
        "wn1037": ("citations", "2013-03-23"), "wn1121": ("citations", "2009-02-05"),
        "wn1747": ("citations", "2006-08-03"), "wn2193": None,
        "wn2705": ("citations", "2014-12-12"), "wn3017": ("citations", "2015-10-13")}


# --------------------------------------------------------------------------- properties

_DATE_CHARS = list("0123456789０１２３年月日度代世紀前後以内間週か月ヶ今昨来先翌同本明一二三十〇元令和平成昭" "午時分半(金)曜から〜-/.、。\n 上旬末期')")
texts = st.lists(st.sampled_from(_DATE_CHARS + list("あのはに東京た")), max_size=120).map("".join)
anchors = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@pytest.mark.slow
@given(text=texts, anchor=anchors)
@settings(max_examples=600, deadline=None)
def test_offsets_slice_the_text_and_resolution_never_raises(text: str, anchor: date | None) -> None:
    exprs = find_dates(text, anchor=anchor)
    assert all(text[e.start:e.end] == e.text and e.start < e.end for e in exprs)
    assert all(a.end <= b.start for a, b in zip(exprs, exprs[1:]))
    assert all(e.resolved == (e.interval is not None) for e in exprs if e.kind in ("date", "month", "year", "range"))
    document_date(text)
    sentence_date(exprs, (0, len(text)))


@given(text=st.text(max_size=80), anchor=anchors)
@settings(max_examples=300, deadline=None)
def test_any_unicode_text_is_safe(text: str, anchor: date | None) -> None:
    exprs = find_dates(text, anchor=anchor)
    assert all(text[e.start:e.end] == e.text for e in exprs)
    document_date(text, given=text)


_KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    """Digit by digit (二〇二五) for years, with 十 for days and months (十五, 二十)."""
    tens, ones = divmod(n, 10)
    return ("" if tens < 2 else _KANJI[tens]) + ("十" if tens else "") + (_KANJI[ones] if ones else "")


@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)),
       form=st.sampled_from(["ja", "iso", "slash", "wide", "kanji"]), pad=st.sampled_from(["", "、", "に"]))
@settings(max_examples=400, deadline=None)
def test_dates_round_trip(day: date, form: str, pad: str) -> None:
    written = {
        "ja": f"{day.year}年{day.month}月{day.day}日",
        "iso": day.isoformat(),
        "slash": f"{day.year}/{day.month}/{day.day}",
        "wide": f"{day.year}年{day.month}月{day.day}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "kanji": "".join(_KANJI[int(c)] for c in str(day.year)) + f"年{_kanji(day.month)}月{_kanji(day.day)}日",
    }[form]
    text = "会見は" + written + pad + "行われた。"
    [expr] = find_dates(text, anchor=None)
    assert (expr.text, expr.value, expr.kind, expr.resolved) == (written, day.isoformat(), "date", True)
    assert parse_date(written) == day


@given(anchor=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), n=st.integers(1, 400))
@settings(max_examples=300, deadline=None)
def test_relative_days_count_from_the_anchor(anchor: date, n: int) -> None:
    before, after = find_dates(f"{n}日前。{n}日後。", anchor=anchor)
    assert (before.value, after.value) == ((anchor - timedelta(days=n)).isoformat(),
                                           (anchor + timedelta(days=n)).isoformat())


@given(anchor=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       shift=st.integers(-150, 150))
@settings(max_examples=300, deadline=None)
def test_month_and_day_take_the_nearest_year(anchor: date, shift: int) -> None:
    """Within five months of the anchor, 8月15日 without a year is read as the nearest one."""
    day = anchor + timedelta(days=shift)
    [expr] = find_dates(f"{day.month}月{day.day}日", anchor=anchor)
    assert expr.value == day.isoformat()


def test_time_expr_interval_property() -> None:
    expr = TimeExpr(0, 4, "昨年8月", "month", "2006-08", True)
    assert expr.interval == (date(2006, 8, 1), date(2006, 8, 31))
    assert TimeExpr(0, 4, "8月", "month", "XXXX-08", False).interval is None
