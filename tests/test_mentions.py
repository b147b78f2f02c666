"""The entity stage on real sentences through real GiNZA: compounds, titles, names, chrome."""

from __future__ import annotations

import pytest

from kg.entities import FoundNames, propagate, resolve, token_bounds
from kg.lexicon import load_lexicon
from kg.mentions import find_mentions
from kg.model import Mention
from kg.nlp import parse_text

LEX = load_lexicon()


@pytest.fixture(scope="module")
def mentions_of(nlp):  # type: ignore[no-untyped-def]
    def run(text: str, *, only: list[str] | None = None) -> list[Mention]:
        parsed = parse_text(text, doc_id="t", nlp=nlp)
        found = find_mentions(parsed, text, lexicon=LEX, only=only)
        for m in found:
            assert text[m.start:m.end] == m.text  # offsets are exact
        return found
    return run


def states(found: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.key) for m in found if m.type == "State"]


@pytest.mark.parametrize(("sentence", "compound", "expected"), [
    ("米露首脳会談が開かれた。", "米露", ["usa", "russia"]),
    ("英仏独はウクライナを支援した。", "英仏独", ["uk", "fra", "deu"]),
    ("中露同盟は強固だ。", "中露", ["china", "russia"]),
    ("米宇の協議が続いた。", "米宇", ["usa", "ukraine"]),
    ("日米同盟を強化する。", "日米", ["japan", "usa"]),
    ("米ロ首脳会談が行われた。", "米ロ", ["usa", "russia"]),
])
def test_compounds_yield_one_state_per_member(mentions_of, sentence, compound, expected) -> None:  # type: ignore[no-untyped-def]
    start = sentence.index(compound)
    found = [m for m in mentions_of(sentence) if m.type == "State" and start <= m.start < start + len(compound)]
    assert [m.key for m in found] == [f"lex:{e}" for e in expected]
    assert [m.start for m in found] == list(range(start, start + len(compound)))


@pytest.mark.parametrize("sentence", [
    "機密が暴露された。", "宇宙開発が進む。", "独自の判断だ。", "独裁を批判した。",
    "中東情勢が緊迫した。", "英語で話した。", "南北米州の国々。", "日本時間の16日に始まった。",
])
def test_false_friends_yield_no_state(mentions_of, sentence) -> None:  # type: ignore[no-untyped-def]
    assert states(mentions_of(sentence)) == []


def test_prefixed_and_standalone_abbreviations(mentions_of) -> None:  # type: ignore[no-untyped-def]
    assert states(mentions_of("対米関税を引き上げた。")) == [("米", "lex:usa")]
    assert states(mentions_of("米、ウクライナのNATO加盟に反対表明")) == [("米", "lex:usa"), ("ウクライナ", "lex:ukraine")]
    assert states(mentions_of("15日に会談した。")) == []  # 日 the day is not Japan


@pytest.mark.parametrize(("sentence", "name", "position", "affiliation"), [
    ("トランプ大統領は述べた。", "トランプ", "大統領", ""),
    ("トランプ米大統領は述べた。", "トランプ", "大統領", "usa"),
    ("ロシアのラブロフ外相が語った。", "ラブロフ", "外相", ""),
    ("ルビオ米国務長官が会った。", "ルビオ", "国務長官", "usa"),
    ("ゼレンスキー氏は反発した。", "ゼレンスキー", "", ""),
    ("ロシア大統領府のドミトリー・ペスコフ報道官が確認した。", "ドミトリー・ペスコフ", "報道官", ""),
    ("スティーブ・ウィトコフ中東担当特使が進言した。", "スティーブ・ウィトコフ", "中東担当特使", ""),  # the region is the post's
    ("ファイティング原田選手が続いた。", "ファイティング原田", "", ""),  # 原田 is a place name too; 選手 is a role
    ("東京都建設局の城田峰生公園課長は述べた。", "城田峰生", "", ""),  # the section (公園課) heads the title
])
def test_titles_leave_the_name_and_become_a_position(mentions_of, sentence, name, position, affiliation) -> None:  # type: ignore[no-untyped-def]
    persons = [m for m in mentions_of(sentence) if m.type == "Person"]
    assert [m.text for m in persons] == [name]
    assert (persons[0].position, persons[0].affiliation) == (position, affiliation)


def test_a_title_after_a_state_names_nobody(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("ロシア大統領は同大統領と両首脳の会談に触れた。")
    assert [m for m in found if m.type == "Person"] == []


def test_state_institutions_and_administrations_are_organizations(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("ロシア軍とウクライナ軍が交戦し、トランプ政権とプーチン政権が協議した。米軍も動いた。")
    orgs = {m.text: m.key for m in found if m.type == "Organization"}
    assert orgs == {"ロシア軍": "russia+軍", "ウクライナ軍": "ukraine+軍", "トランプ政権": "トランプ政権",
                    "プーチン政権": "プーチン政権", "米軍": "usa+軍"}
    assert [m for m in found if m.type == "Person"] == []  # the administration is not the person


def _resolve(mentions_of, *texts: str):  # type: ignore[no-untyped-def]
    mentions = [m for t in texts for m in mentions_of(t)]
    entities, _ = resolve(mentions, lexicon=LEX)
    return entities


def test_surname_joins_the_full_name_and_spelling_variants_merge(mentions_of) -> None:  # type: ignore[no-untyped-def]
    entities = _resolve(mentions_of, "ドナルド・トランプ大統領が演説した。", "トランプ大統領は笑った。",
                        "ウィトコフ特使が訪問した。", "ウィットコフ特使は語った。",
                        "ボロディミル・ゼレンスキー大統領が会見した。", "ウォロディミル・ゼレンスキー大統領が訴えた。")
    persons = {e.label: set(e.aliases) for e in entities if e.type == "Person"}
    assert persons["ドナルド・トランプ"] == {"ドナルド・トランプ", "トランプ"}
    assert len([p for p in persons if "ウィ" in p]) == 1
    assert len([p for p in persons if "ゼレンスキー" in p]) == 1


def test_one_name_takes_one_type_within_an_article() -> None:
    """unify_types: the most trusted rule's type wins in its article, not in another; lexicon entries keep theirs."""
    from kg.entities import unify_types

    found = [Mention("a", 0, 4, "ジヤトコ", "Organization", source="quoted"),
             Mention("a", 10, 14, "ジヤトコ", "Person", source="model", position="社長"),
             Mention("a", 20, 24, "ジヤトコ", "Person", source="ner"),
             Mention("b", 0, 4, "ジヤトコ", "Person", source="ner"),
             Mention("a", 30, 33, "ロシア", "State", source="lexicon", key="lex:russia"),
             Mention("a", 40, 43, "ロシア", "Person", source="ner")]
    assert [(m.doc, m.type, m.position) for m in unify_types(found)] == [
        ("a", "Organization", ""), ("a", "Organization", ""), ("a", "Organization", ""),
        ("b", "Person", ""), ("a", "State", ""), ("a", "Person", "")]


def test_apposition_and_width_variants_are_one_entity(mentions_of) -> None:  # type: ignore[no-untyped-def]
    entities = _resolve(mentions_of, "北大西洋条約機構(NATO)の首脳が集まった。", "ＮＡＴＯは声明を出した。")
    nato = [e for e in entities if e.id == "nato"]
    assert len(nato) == 1 and nato[0].mentions == 3 and nato[0].wikidata == "Q7184"


def test_a_name_found_once_is_found_everywhere(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = {"a": "ゼレンスキー大統領が演説した。", "b": "ゼレンスキーは反発した。"}
    parsed = [parse_text(t, doc_id=d, nlp=nlp) for d, t in texts.items()]
    found = [m for p in parsed for m in find_mentions(p, texts[p.doc_id], lexicon=LEX)]
    found = propagate(found, {p.doc_id: token_bounds(p) for p in parsed}, texts, lexicon=LEX)
    assert {(m.doc, m.text) for m in found if m.type == "Person"} == {("a", "ゼレンスキー"), ("b", "ゼレンスキー")}


@pytest.mark.parametrize(("text", "name"), [
    ("指名された中で、駒澤大学附属苫小牧高等学校の田中投手は4球団が競合した。", "駒澤大学附属苫小牧高等学校"),
    ("男性は大阪大学医学部付属病院に搬送された。", "大阪大学医学部付属病院"),
])
def test_an_affiliated_school_or_hospital_is_one_organization(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                              name: str) -> None:
    orgs = [(m.text, m.key, m.source) for m in mentions_of(text) if m.type == "Organization"]
    assert orgs == [(name, name.replace("附属", "付属"), "affiliated")]  # one spelling of 付属 in the key


@pytest.mark.parametrize(("text", "name"), [
    ("準優勝校のエース田中将大さんは13日にプロ志望を表明した。", "田中将大"),  # the title rule's name
    ("エース・ボビー・ジェンクスが登板した。", "ボビー・ジェンクス"),  # the NER head's span
])
def test_a_role_before_a_name_is_not_part_of_it(mentions_of, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert [m.text for m in mentions_of(text) if m.type == "Person"] == [name]


@pytest.mark.parametrize(("text", "found"), [
    ("朝日新聞・読売新聞によると、会談は中止された。", [("朝日新聞", "Organization"), ("読売新聞", "Organization")]),
    ("アメリカ・タワーレコード社は経営破綻した。", [("アメリカ", "State"), ("タワーレコード社", "Organization")]),
    ("スペイン・バルセロナで会合があった。", [("スペイン", "State")]),  # a state, then a place: no organization
    ("南アフリカ・マンデラ元大統領が死去した。", [("南アフリカ", "State")]),  # a state, then a person
    ("スウェーデン・アカデミーは賞を発表した。", [("スウェーデン・アカデミー", "Organization")]),  # the state is in its name
])
def test_a_dotted_organization_span_is_the_one_name_it_holds(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                             found: list[tuple[str, str]]) -> None:
    assert [(m.text, m.type) for m in mentions_of(text)] == found


@pytest.mark.parametrize(("text", "found"), [
    ("トロピカルサイクロン「エマ」がオーストラリア西海岸に上陸した。", [("オーストラリア", "State")]),  # a storm
    ("ハリケーン・リタが上陸した。", []),
    ("2007年のノーベル文学賞をドリス・レッシング氏に授与した。", [("ドリス・レッシング", "Person")]),  # a prize
    ("山田太郎が受賞した。", [("山田太郎", "Person")]),  # who won it is a person
    ("パ・リーグからは松中信彦が選ばれた。", [("パ・リーグ", "Organization"), ("松中信彦", "Person")]),
])
def test_a_storms_a_prizes_or_a_papers_name_is_no_person(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                          found: list[tuple[str, str]]) -> None:
    assert [(m.text, m.type) for m in mentions_of(text)] == found


@pytest.mark.parametrize(("text", "keys"), [
    ("米国では、下院が法案を可決し、上院は否決した。", {"下院": "usa+下院", "上院": "usa+上院"}),  # the last state named
    ("米下院が可決した。", {"米下院": "usa+下院"}),  # one node with the 下院 of a US story
    ("理事会は声明を出した。", {"理事会": "t:理事会"}),  # some organization's board: this article's own
])
def test_an_organ_named_by_its_kind_alone_is_the_last_named_states_or_the_articles(  # type: ignore[no-untyped-def]
        mentions_of, text: str, keys: dict[str, str]) -> None:
    assert {m.text: m.key for m in mentions_of(text) if m.type == "Organization"} == keys


@pytest.mark.parametrize(("text", "found"), [
    ("トップのF.アロンソと2ポイント差まで縮めた。", [("F.アロンソ", "Person")]),  # an initial and a surname
    ("橋本内閣では再び厚生大臣を務めた。", [("橋本内閣", "Organization")]),  # 厚生 of 厚生大臣: part of a title
    ("ローマ教皇ベネディクト16世が退位した。", [("ベネディクト16世", "Person")]),  # ローマ教皇 is a title
    ("旧ソ連の崩壊後、独立した。", [("ソ連", "State")]),  # 旧 (former) before a known name
    ("旧ユーゴスラヴィア国際戦犯法廷が判決を出した。", [("旧ユーゴスラヴィア国際戦犯法廷", "Organization")]),  # its name
])
def test_initials_titles_and_offices_read_as_written(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                     found: list[tuple[str, str]]) -> None:
    assert [(m.text, m.type) for m in mentions_of(text)] == found


SPORTS = "試合は4対1で楽天が勝ち、先発の田中将大投手が完投した。日本ハムは打線が振るわず、監督は「選手はよく戦った」と話した。"


@pytest.mark.parametrize(("text", "name", "key"), [
    (SPORTS, "楽天", "lex:eagles"),  # a sports story: the club
    (SPORTS, "日本ハム", "lex:fighters"),  # a club's short name the lexicon has only as a sports name
    ("楽天は13日、東京放送の株式を取得したと発表した。", "楽天", "lex:rakuten"),  # elsewhere: the company
    ("阪神大震災の被災地で試合があり、選手と監督、投手が黙祷した。", "阪神", None),  # a noun goes on: no club
    ("中日によると、試合は雨で中止となり、選手と監督、投手は帰った。", "中日", None),  # a source, not the Dragons
])
def test_a_clubs_short_name_is_the_club_in_a_sports_story_only(  # type: ignore[no-untyped-def]
        mentions_of, text: str, name: str, key: str | None) -> None:
    found = [m.key for m in mentions_of(text, only=["lexicon"]) if m.text == name]
    assert found == ([key] if key else [])


def test_names_found_last_build_are_kept_until_a_new_name_occurs_in_the_article(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = {"a": "ゼレンスキー大統領が演説した。", "b": "ゼレンスキーは反発し、マクロンも同調した。",
             "c": "マクロン大統領が来日した。"}
    parsed = {p.doc_id: p for p in (parse_text(t, doc_id=d, nlp=nlp) for d, t in texts.items())}
    given = {d: find_mentions(p, texts[d], lexicon=LEX) for d, p in parsed.items()}

    def found(docs: str, memo: FoundNames | None) -> list[tuple[str, str, str, str]]:
        mentions = [m for d in docs for m in given[d]]
        out = propagate(mentions, {d: token_bounds(parsed[d]) for d in docs}, texts, lexicon=LEX, memo=memo)
        return [(m.doc, m.text, m.type, m.source) for m in out]

    memo = FoundNames()
    assert found("ab", memo) == found("ab", None)
    assert set(memo.by_doc) == {"a", "b"} and memo.persons == {"ゼレンスキー"}
    # c brings マクロン, which occurs in b: b is looked at again, a keeps what it had
    assert memo.stale(frozenset({"ゼレンスキー", "マクロン"}), texts) == {"b", "c"}
    assert found("abc", memo) == found("abc", None)
    assert ("b", "マクロン", "Person", "propagated") in found("abc", memo)
    # c removed again: its name goes from b, and c from the memo
    assert found("ab", memo) == found("ab", None) and set(memo.by_doc) == {"a", "b"}
    assert ("b", "マクロン", "Person", "propagated") not in found("ab", memo)


def test_mentions_in_site_chrome_are_dropped(mentions_of) -> None:  # type: ignore[no-untyped-def]
    text = ("プーチン大統領が会談した。\n\nこんな記事も読まれています\n\n"
            "  • 今のテスラが中国EVを手本にしていた?\n  • 歌手キム・ホジュン、復帰説を否定\n")
    found = mentions_of(text)
    assert {m.text for m in found} == {"プーチン"}


def test_seed_graph_keeps_boilerplate_people_out(seed_graph) -> None:  # type: ignore[no-untyped-def]
    names = {a for e in seed_graph.entities for a in e.aliases}
    assert not names & {"キム・ホジュン", "ジミー・ライ", "テスラ", "マスタング", "イ・イギョン"}
    azov = seed_graph.find("アゾフ軍団")
    assert azov is not None and "国家親衛隊第1軍団" in azov.aliases  # X=Y apposition
    trump = seed_graph.find("トランプ")
    assert trump is not None and trump.label == "ドナルド・トランプ" and trump.type == "Person"
    admin = seed_graph.find("トランプ政権")
    assert admin is not None and admin.type == "Organization" and admin.id != trump.id


@pytest.mark.parametrize("sentence", [
    "加盟している54のサッカー協会が会長を支持した。",  # a count of organizations of a kind
    "大量破壊兵器の国際査察団を率いた。",  # a group described by common nouns alone
    "新型インフルエンザの感染が拡大した。",  # a disease (generic_heads: インフルエンザ)
    "米国のトロピカルサイクロンの情報によると、勢力を強めた。",  # a kind of storm, not an agency
    "熊本地震の被災地を訪れ、名古屋場所で太平洋高気圧の影響を受けた。",  # an earthquake, a sumo tournament, weather
])
def test_descriptions_of_organizations_are_not_names(mentions_of, sentence) -> None:  # type: ignore[no-untyped-def]
    assert [m.text for m in mentions_of(sentence) if m.type == "Organization"] == []


def test_named_groups_stay(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = {m.text for m in mentions_of("宝塚歌劇団と陸上自衛隊が公演に協力した。") if m.type == "Organization"}
    assert found == {"宝塚歌劇団", "陸上自衛隊"}


def test_names_with_a_trade_word_are_companies(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # the NER head calls the two katakana ones persons; their endings (company_heads) make them companies
    found = mentions_of("命名権募集に穴吹興産と日清食品が応募し、フロンティアエアラインズとヨーマティフェリーが参加した。")
    assert [(m.text, m.type) for m in found] == [
        ("穴吹興産", "Organization"), ("日清食品", "Organization"),
        ("フロンティアエアラインズ", "Organization"), ("ヨーマティフェリー", "Organization")]


def test_numbered_military_units_are_organizations(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("日露戦争に歩兵第1旅団長として出征し、第35狙撃軍団は第11中隊第1小隊を送った。", only=["unit"])
    assert [(m.text, m.type) for m in found] == [
        ("歩兵第1旅団", "Organization"), ("第35狙撃軍団", "Organization"), ("第11中隊第1小隊", "Organization")]
    assert mentions_of("第2次世界大戦の第3回会合が開かれた。", only=["unit"]) == []  # counters, no unit
    # after an organization the unit is its own, and the longer name wins
    found = mentions_of("陸上自衛隊第1師団が出動した。", only=["lexicon", "unit"])
    assert [(m.text, m.source) for m in found] == [("陸上自衛隊第1師団", "unit")]


def test_family_houses_are_organizations(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("ハプスブルク家と伊達家が争い、作家と専門家が徳川家康を論じた。", only=["house"])
    assert [(m.text, m.type) for m in found] == [("ハプスブルク家", "Organization"), ("伊達家", "Organization")]


def test_a_known_house_inside_a_members_title_is_found(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # 衆議院議員 is one token; 参議院議員選挙 is an election, its house no mention
    found = mentions_of("元衆議院議員の山田太郎氏が参議院議員選挙に出た。", only=["lexicon"])
    assert [(m.text, m.type, m.key) for m in found] == [("衆議院", "Organization", "lex:jp_house_of_representatives")]


def test_a_proper_noun_may_end_in_an_industry_word(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("昭和60年の日本たばこ産業発足まで続いた。", only=["model"])
    assert [(m.text, m.type) for m in found] == [("日本たばこ産業", "Organization")]
    assert mentions_of("日本の自動車産業は強い。", only=["model"]) == []  # an industry


def test_a_proper_noun_ending_in_an_institution_word_is_one(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # one token Sudachi knows as a proper noun, with a state glued before it, even inside 公認, 推薦
    found = mentions_of("秋田1区から日本民主党公認で立候補し、民主党・社会民主党推薦で出馬した。", only=["compound"])
    assert [(m.text, m.type) for m in found] == [
        ("日本民主党", "Organization"), ("民主党", "Organization"), ("社会民主党", "Organization")]
    # where the NER head reads a longer name, that one is kept whole
    found = mentions_of("河上和雄駿河台大学法学研究科教授は語った。")
    assert [(m.text, m.type) for m in found] == [("河上和雄", "Person"), ("駿河台大学法学研究科", "Organization")]


def test_a_persons_faction_is_an_organization(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # not those against him (反カダフィ派), not a sect or a leaning (シーア派, 保守派)
    found = mentions_of("亀井派と山崎派が会合を開き、反カダフィ派とシーア派が衝突し、保守派も加わった。", only=["house"])
    assert [(m.text, m.type) for m in found] == [("亀井派", "Organization")]


def test_a_name_opened_by_a_quote_starts_after_it(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # the NER head's span takes the legal form and the quote in; the name is what the quotes hold
    found = mentions_of("放送は社会福祉法人“視覚障害者文化振興協会”が運営する。", only=["model"])
    assert [(m.text, m.type) for m in found] == [("視覚障害者文化振興協会", "Organization")]


def test_a_place_assembly_inside_its_members_title_is_found(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # 県議会議員 is one token; in 広島県議会議員選挙 the title names an election
    found = mentions_of("元広島県議会議員の山田氏と宮城県議会議員が広島県議会議員選挙に出た。", only=["institution"])
    assert [(m.text, m.key) for m in found] == [("広島県議会", "広島+県議会"), ("宮城県議会", "宮城+県議会")]


@pytest.mark.parametrize(("surface", "generic"), [
    ("広告会社", True), ("大手証券会社", True), ("外資系保険会社", True), ("地元の建設会社", False),
    ("トライバルキックス", False), ("東京電力", False), ("日本航空", False), ("三井物産株式会社", False),
])
def test_a_kind_of_business_is_no_organization(surface: str, generic: bool) -> None:
    """広告会社代表・木村隆容疑者: the kind of company he heads, not a name (the trained head read one)."""
    from kg.lexicon import load_lexicon
    from kg.mentions import _keep_org, _kind_of_business

    lexicon = load_lexicon()
    assert _kind_of_business(surface, lexicon) is generic
    if generic:
        assert not _keep_org(surface, "Company", lexicon, trusted=True)


def test_the_trained_head_s_kind_of_business_is_dropped(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("大阪地検特捜部は同社監査役と広告会社代表・木村隆容疑者を逮捕した。")
    assert [m.text for m in found if m.type == "Organization"] == ["大阪地検特捜部"]
    assert [m.text for m in found if m.type == "Person"] == ["木村隆"]


@pytest.mark.parametrize(("text", "persons"), [
    ("監督を務めた仰木彬(おおぎ・あきら)さんが15日死去した。", ["仰木彬"]),
    ("女性評論家中島梓(なかじまあずさ)としても活躍した。", ["中島梓"]),
])
def test_a_reading_in_brackets_is_no_second_person(mentions_of, text: str, persons: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [m.text for m in mentions_of(text) if m.type == "Person"] == persons


def test_a_reading_in_brackets_is_no_organization_either(mentions_of) -> None:  # type: ignore[no-untyped-def]
    found = mentions_of("高相祐一(たかあい・ゆういち)容疑者が逮捕された。")  # the NER head's organization
    assert [(m.text, m.type) for m in found] == [("高相祐一", "Person")]


CITATIONS = ('読売新聞によると、事件が起きた。\n'
             'JohnGress"FivewomenkilledinChicago-areastoreshooting"。\nTheReuters、Feb 2,2008。\n'
             'StacySt.ClairandDeborahHoran"5 womenslaininstore"。\nChicagoTribune、2008年2月3日。\n'
             'AssociatedPress"ActressDies"。')


def test_the_author_of_a_cited_english_story_is_no_organization(mentions_of) -> None:  # type: ignore[no-untyped-def]
    # the authors go; an agency written in the author's place stays
    assert [(m.text, m.type) for m in mentions_of(CITATIONS, only=["model"])] == [("AssociatedPress", "Organization")]


@pytest.mark.parametrize(("text", "name", "position"), [
    ("事件の翌14日に、ベネズエラのロドリゲス・スポーツ相は発表した。", "ロドリゲス", "スポーツ相"),  # post after a dot
    ("シリアのマーディ・ダクラッラー情報相は報告した。", "マーディ・ダクラッラー", "情報相"),  # glued post
    ("国際査察団をハンス・ブリックス前事務局長とともに率いた。", "ハンス・ブリックス", ""),  # 前 goes, the name stays whole
    ("ケリー・ニューヨーク市警察本部長によると、犯罪は減った。", "ケリー", "ニューヨーク市警察本部長"),
])
def test_a_post_after_a_foreign_name_is_not_part_of_it(mentions_of, text: str, name: str,  # type: ignore[no-untyped-def]
                                                        position: str) -> None:
    assert [(m.text, m.position) for m in mentions_of(text, only=["model"]) if m.type == "Person"] == [(name, position)]


@pytest.mark.parametrize(("text", "found"), [
    ("決勝・イタリア対フランスがベルリンで行われた。", [("イタリア", "State"), ("フランス", "State")]),  # 対: versus
    ("決勝戦がジェフ千葉対ガンバ大阪によって行われた。", [("ジェフ千葉", "Organization"), ("ガンバ大阪", "Organization")]),
    ("1次リーグA組で香港とオランダとが対戦していた。", [("オランダ", "State")]),  # a group of the draw
    ("日本チームは米国チームを3-1で倒し、金メダルを獲得した。", [("日本", "State"), ("米国", "State")]),  # the states' sides
    ("山口組と大林組が会見した。", [("山口組", "Organization"), ("大林組", "Organization")]),  # no letter before 組
])
def test_sides_and_groups_of_a_match_are_no_organizations(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                          found: list[tuple[str, str]]) -> None:
    assert [(m.text, m.type) for m in mentions_of(text)] == found


@pytest.mark.parametrize(("text", "orgs"), [
    ("防衛庁は、陸上自衛隊が、パキスタンで国際緊急援助活動等を行うことを決めた。", ["防衛庁", "陸上自衛隊"]),
    ("岩国では米艦隊機移駐容認の福田氏が当選した。", []),
    ("選挙管理委員会が、12日、旧武装勢力との関係などを理由に候補者を失格とした。", ["選挙管理委員会"]),
    ("第1回中央委員会総会で常任幹部会委員に留まる事が決定した。", ["常任幹部会"]),  # 会 is no verbal noun: a body
])
def test_common_words_cut_out_of_a_longer_compound_are_no_organization(  # type: ignore[no-untyped-def]
        mentions_of, text: str, orgs: list[str]) -> None:
    assert [m.text for m in mentions_of(text) if m.type == "Organization"] == orgs


def test_a_states_organ_named_alone_is_labelled_with_its_state_and_one_node_across_articles() -> None:
    """下院 of a US story and 米下院 of another are one node, アメリカ合衆国下院; the British 下院 another."""
    def m(doc: str, text: str, key: str) -> Mention:
        return Mention(doc=doc, start=0, end=len(text), text=text, type="Organization", source="model", key=key)

    entities, _ = resolve([m("a", "下院", "usa+下院"), m("b", "下院", "usa+下院"), m("c", "英国下院", "uk+下院")],
                          lexicon=LEX)
    assert sorted((e.label, e.docs) for e in entities) == [("アメリカ合衆国下院", ("a", "b")), ("英国下院", ("c",))]


@pytest.mark.parametrize(("text", "rule", "persons"), [
    ("中日ドラゴンズ浅尾拓也(日本福祉大学投手)千葉ロッテ大嶺祐太(八重山商工高校投手)", "model",
     ["浅尾拓也", "大嶺祐太"]),  # a club glued before each player of a list
    ("ドラフト田中将大投手の交渉権は楽天が獲得した。", "title", ["田中将大"]),  # the event glued before the name
    ("タレント・青木さやかさんが結婚した。", "title", ["青木さやか"]),  # an occupation and a dot
    ("同社社員・東郷護靖容疑者が逮捕された。", "model", ["東郷護靖"]),  # a one-character surname: Sudachi's split
])
def test_words_glued_before_a_full_name_are_not_part_of_it(mentions_of, text: str, rule: str,  # type: ignore[no-untyped-def]
                                                          persons: list[str]) -> None:
    assert [m.text for m in mentions_of(text, only=[rule]) if m.type == "Person"] == persons


@pytest.mark.parametrize(("text", "orgs"), [
    ("十勝毎日新聞によると、帯広で初雪が観測された。", [("十勝毎日新聞", "")]),  # a town's paper, not 毎日新聞
    ("初戦で土浦日大が敗れた。", [("土浦日大", "")]),  # a school, not 日本大学
    ("爆発の後、ロンドン警視庁は捜査を始めた。", [("ロンドン警視庁", "")]),  # not Tokyo's 警視庁
    ("欧州NATOの首脳は反対した。", [("NATO", "lex:nato")]),  # a region before a Latin name narrows it
])
def test_a_place_before_a_known_name_makes_a_body_of_its_own(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                            orgs: list[tuple[str, str]]) -> None:
    found = mentions_of(text, only=["lexicon", "model"])
    assert [(m.text, m.key if m.key.startswith("lex:") else "") for m in found if m.type == "Organization"] == orgs


@pytest.mark.parametrize(("text", "persons"), [
    ("ハリケーンの接近で、ルイジアナ州知事は非常事態を宣言した。", []),  # the state's governor, unnamed
    ("決勝でアジア代表のチームが敗れた。", []),  # a continent's side
    ("監視団のピーター・エレバン団長が語った。エレバン団長は投票を見守った。",
     ["ピーター・エレバン", "エレバン"]),  # a place's name, but the article's person by the NER head
])
def test_a_place_before_a_title_is_no_person(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                             persons: list[str]) -> None:
    assert [m.text for m in mentions_of(text, only=["title"]) if m.type == "Person"] == persons


def test_a_name_the_article_holds_an_event_in_is_a_place(mentions_of) -> None:  # type: ignore[no-untyped-def]
    text = "1次リーグは西部のマラカイで開催される。日本はマラカイに滞在中で、初戦に勝った。"
    assert [m.text for m in mentions_of(text, only=["model"]) if m.type == "Person"] == []


@pytest.mark.parametrize("text", [
    "選挙で3人のムスリム議員が誕生した。",  # a faith's adherents before a title
    "試合後、一部の川崎サポーターが騒いだ。",  # a club's followers
    "牧場からポニーとカンガルーが逃げ出した。",  # animals
    "逮捕されたハッカーの本名が公表された。",  # people named by what they do
])
def test_a_word_for_a_kind_of_person_or_animal_names_nobody(mentions_of, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [m.text for m in mentions_of(text) if m.type in ("Person", "Organization")] == []


@pytest.mark.parametrize(("text", "orgs"), [
    ("国際陸連は新たな規則を発表した。", [("国際陸連", "")]),  # World Athletics, not 日本陸連
    ("国際陸上競技連盟が調査した。", [("国際陸上競技連盟", "")]),
    ("彼はキリスト教民主党の党首だった。", [("キリスト教民主党", "")]),  # no 民主党
    ("日本陸連は代表を発表した。", [("日本陸連", "lex:jaaf")]),
])
def test_a_word_of_scope_or_creed_begins_another_bodys_name(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                            orgs: list[tuple[str, str]]) -> None:
    found = mentions_of(text, only=["lexicon", "compound"])
    assert [(m.text, m.key if m.key.startswith("lex:") else "") for m in found if m.type == "Organization"] == orgs


@pytest.mark.parametrize(("text", "persons"), [
    ("運営は当面、小野剛技術委員長を初めとする委員会に任せる。", ["小野剛"]),  # a field of the post
    ("新監督には秋山幸二チーフコーチが昇格した。", ["秋山幸二"]),  # a grade of the post
    ("検察は堀江貴文ライブドア社長を逮捕した。", ["堀江貴文"]),  # the company the post is in
    ("先発は掛端亮冶選手だった。", ["掛端亮冶"]),  # one character after the given name: Sudachi's split
])
def test_the_words_of_a_post_after_a_full_name_are_not_part_of_it(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                                  persons: list[str]) -> None:
    assert [m.text for m in mentions_of(text, only=["title", "model"]) if m.type == "Person"] == persons


def test_a_name_after_the_word_for_a_capital_is_a_place(mentions_of) -> None:  # type: ignore[no-untyped-def]
    text = "震源はモザンビークの首都マブートの北530 kmだった。"
    assert [m.text for m in mentions_of(text, only=["model"]) if m.type == "Person"] == []


@pytest.mark.parametrize(("text", "persons"), [
    ("最優秀選手には千葉ロッテ・サブロー外野手が選ばれた。", ["サブロー"]),  # a known club, a dot, the player
    ("首相の妻、ハリマ・ヤコブさんが死去した。", ["ハリマ・ヤコブ"]),  # a given name and a surname
])
def test_a_club_and_a_dot_before_a_player_are_not_part_of_the_name(mentions_of, text: str,  # type: ignore[no-untyped-def]
                                                                   persons: list[str]) -> None:
    assert [m.text for m in mentions_of(text, only=["title", "model"]) if m.type == "Person"] == persons
