"""Modality cues (kg/modality.py, ``modality`` in relation_rules.json) on sentences of their own.

Each case runs one relation rule alone and asserts the exact triples with their
modality, as tests/test_rules.py does; a negated relation yields no triple.
A triple is (subject, predicate, object, position, modality), names as
written, the two names of a symmetric predicate sorted.
"""

from __future__ import annotations

import pytest

Triple = tuple[str, str, str, str, str]
MERGED = {("トヨタ自動車", "merges_with", "ホンダ", "", "asserted")}
MET = {("米", "met_with", "露", "", "asserted")}
MERGED_LATER = {("三菱自動車", "merges_with", "日産自動車", "", "planned")}

#: (why, rule, text, exact triples)
CASES: list[tuple[str, str, str, set[Triple]]] = [
    # the control: a noun headline with no cue states the merger
    ("no cue", "merger", "トヨタ自動車、ホンダ、日産自動車の部品事業統合", MERGED),
    ("no cue", "compound_trigger", "米露首脳会談は2年ぶりとなった。", MET),
    # a topic-marked trigger whose next phrase is a denial, whatever the parse hangs it on
    ("denied topic, headlines run together", "merger",
     "トヨタ自動車、ホンダ、日産自動車の部品事業統合は白紙に東京都で大雪", set()),
    ("denied topic", "compound_trigger", "米露首脳会談は白紙に戻った。", set()),
    # nominal forms of the denial verbs (見送る → 見送り)
    ("nominal denial", "merger", "トヨタ自動車、ホンダ、日産自動車の部品事業統合は見送りに", set()),
    ("nominal denial", "compound_trigger", "米露首脳会談は見送りとなった。", set()),
    # what なる says its subject becomes: the complement beside the subject
    ("complement of naru", "compound_trigger", "米露首脳会談は中止となった。", set()),
    ("complement of naru", "compound_trigger", "米露首脳会談は延期になった。", set()),
    ("complement of naru", "compound_trigger", "米露首脳会談は来月の予定となった。",
     {("米", "met_with", "露", "", "planned")}),
    # a trigger noun that is the genitive of a prospect noun (再開, 実現, 構想) is still to come
    ("prospect noun", "compound_trigger", "米露首脳会談の実現は困難だ。", {("米", "met_with", "露", "", "planned")}),
    ("prospect noun", "compound_trigger", "米露首脳会談の再開は両国の関係改善につながる。",
     {("米", "met_with", "露", "", "planned")}),
    ("prospect noun", "compound_trigger", "米露首脳会談の構想が浮上している。", {("米", "met_with", "露", "", "planned")}),
    ("prospect word as a verb: it happened", "compound_trigger", "米露首脳会談が実現した。", MET),
    # the genitive of a likelihood noun (懸念, 危険性, リスク) may happen; of an open question (是非, 賛否) may not
    ("likelihood noun", "compound_trigger", "米露首脳会談の懸念が広がっている。", {("米", "met_with", "露", "", "possible")}),
    ("likelihood noun", "sanction", "日本によるロシアへの制裁のリスクが高まった。",
     {("日本", "sanctions", "ロシア", "", "possible")}),
    ("open question", "compound_trigger", "米露首脳会談の是非が問われている。",
     {("米", "met_with", "露", "", "hypothetical")}),
    ("open question", "sanction", "日本によるロシアへの制裁の是非が議論されている。",
     {("日本", "sanctions", "ロシア", "", "hypothetical")}),
    # an option weighed (…も視野に入れる, …を念頭に, a headline's …視野に) or sought (模索) is still to come
    ("considering", "merger", "将来は日産自動車と三菱自動車との合併も視野に入れているという。", MERGED_LATER),
    ("considering", "merger", "将来は日産自動車と三菱自動車との合併も念頭に置いているという。", MERGED_LATER),
    ("considering, a clause made a noun", "merger", "日産自動車は三菱自動車と合併することも視野に入れている。",
     MERGED_LATER),
    ("considering, headline", "merger", "日産自動車、三菱自動車との経営統合視野に協議", MERGED_LATER),
    ("seeking", "merger", "日産自動車は三菱自動車との経営統合を模索している。", MERGED_LATER),
    ("done, then a sentence starting with 視野", "merger", "日産自動車は三菱自動車と合併した。視野に入れていた。",
     {("三菱自動車", "merges_with", "日産自動車", "", "asserted")}),
    # a target date (…をめどに) on the clause verb: still to come, unless the verb, or the one it chains to, is past
    ("target date", "merger", "日産自動車は来年4月をめどに三菱自動車と経営統合し、新会社を設立する。", MERGED_LATER),
    ("target date, chained to a past verb", "merger", "日産自動車は来年4月をめどに三菱自動車と経営統合し、新会社を設立した。",
     {("三菱自動車", "merges_with", "日産自動車", "", "asserted")}),
    ("target date, past", "merger", "日産自動車は昨年4月をめどに三菱自動車と経営統合した。",
     {("三菱自動車", "merges_with", "日産自動車", "", "asserted")}),
    # a clause chained to one that prepares it (…して、最終調整を進めている); not to one that states an intention
    ("chained to a preparation", "acquisition", "日産自動車が三菱自動車を買収して、最終調整を進めている。",
     {("日産自動車", "acquires", "三菱自動車", "", "planned")}),
    ("chained to a done deed", "acquisition", "日産自動車が三菱自動車を買収し、新会社を設立した。",
     {("日産自動車", "acquires", "三菱自動車", "", "asserted")}),
    ("chained to an intention, not a preparation", "meeting", "日産自動車の幹部は三菱自動車の幹部と会談し、辞任の意向を示した。",
     {("三菱自動車", "met_with", "日産自動車", "", "asserted")}),
    # a relative clause of a plan verb on the event noun: planned whatever its tense
    ("planned by a relative clause", "compound_trigger", "12月に予定している米露首脳会談の日程が変わった。",
     {("米", "met_with", "露", "", "planned")}),
    ("held, by a relative clause", "compound_trigger", "12月に行われた米露首脳会談の日程が変わった。", MET),
    # a headline's event noun under no verb takes what the article says of the same named event with verbs
    ("headline, event told as planned", "sanction", "米国によるロシアへの追加関税の行方\n米国はロシアに追加関税を課すと表明した。",
     {("米国", "sanctions", "ロシア", "", "planned")}),
    ("headline, event told as a condition", "sanction", "米国によるロシアへの追加関税の行方\nこの追加関税が発動されれば、物価は上がる。",
     {("米国", "sanctions", "ロシア", "", "hypothetical")}),
    ("headline, event told as done", "sanction", "米国によるロシアへの追加関税の行方\n米国はロシアに追加関税を課した。",
     {("米国", "sanctions", "ロシア", "", "asserted")}),
    ("headline, the bare trigger names no one event", "sanction", "米国によるロシアへの関税の行方\n米国はロシアに関税を課すと表明した。",
     {("米国", "sanctions", "ロシア", "", "asserted")}),
    ("a noun above the genitive's head is another matter", "sanction", "日本によるロシアへの制裁の効果に懸念を示した。",
     {("日本", "sanctions", "ロシア", "", "asserted")}),
]


@pytest.fixture(scope="module")
def triples(rule_triples):  # type: ignore[no-untyped-def]
    """Text → the exact set of triples the named rule alone yields from it (conftest.py)."""
    return lambda text, rule: rule_triples(text, [rule])


@pytest.mark.parametrize(("why", "rule", "text", "expected"), CASES, ids=[f"{i}: {c[0]}" for i, c in enumerate(CASES)])
def test_modality_cue(triples, why: str, rule: str, text: str,  # type: ignore[no-untyped-def]
                      expected: set[Triple]) -> None:
    assert triples(text, rule) == expected, why
