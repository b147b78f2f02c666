"""Pattern rules: fixed constructions that say a relation without a trigger word.

Each is a small named function over one document's :class:`~kg.docview.DocView`
that yields :class:`~kg.docview.Candidate` records; :data:`PATTERN_RULES`
registers them by name, so a rule can run alone (``RuleSet.only``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

from kg.docview import DocView
from kg.modality import clause_modality
from kg.model import Candidate, Mention
from kg.predicates import get_predicate
from kg.ruleset import PatternRule, RuleSet


def title_affiliation(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A state or organization inside a person's title.

    ルビオ米国務長官が会った。 → (ルビオ, holds_position_in, アメリカ合衆国, 国務長官)
    """
    for m in view.mentions:
        if m.type != "Person" or not m.affiliation:
            continue
        host = next((o for o in view.starting_within(m.end, m.end + 4) if o.key == f"lex:{m.affiliation}"), None)
        if host is not None and (_posted_to(view, host) or host.type == "Organization" and m.position.endswith("大使")):
            continue  # 駐日大使, 国連大使: where the ambassador is sent, not whom he serves
        sentence = view.sentence_of(m.start)
        predicate = _position_predicate(host, position=m.position, role=m.role) if host else None
        if host and sentence and predicate:
            yield Candidate(m, predicate, host, "title_affiliation", sentence, position=m.position,
                            modality=_tense(m))


def genitive_position(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A state or organization in the genitive before a person: their position or membership.

    ロシアのラブロフ外相が語った。 → (ラブロフ, holds_position_in, ロシア, 外相);
    自民党の高市早苗総裁 → (高市早苗, holds_position_in, 自由民主党, 総裁);
    IBMのボブ・スーター、クレイグ・クック氏 → (ボブ・スーター, member_of, IBM), (クレイグ・クック, …);
    FSF職員のデーブ・ターナー氏, ウィキニュースのリポーターであるブランドン・スタフォード氏 → member_of;
    トヨタ自動車社長の豊田章男氏 → (豊田章男, holds_position_in, トヨタ自動車, 社長);
    日本共産党不破哲三議長 → (不破哲三, holds_position_in, 日本共産党, 議長): の dropped before a titled name.
    """
    for host in view.mentions:
        if host.type == "Person" or _in_compound(view, host):
            continue  # 米露首脳のトランプ大統領: 露 is half of a compound, not Trump's state
        glued = _glued_titled_person(view, host)  # 日本共産党不破哲三議長, 巨人杉内俊哉投手: no の at all
        link = None if glued else _GENITIVE.match(view.text, _past_parenthetical(view.text, host.end))
        sentence = view.sentence_of(host.start)
        if (link is None and not glued) or sentence is None or view.is_cited(host) or _posted_to(view, host):
            continue  # 読売新聞・秋田魁新報によると: sources; 駐米大使: the state he is sent to
        title = (link.group("before") or link.group("after") or "") if link else ""
        title = "" if title in _BELONGS else title  # 横浜ベイスターズ所属の佐々木投手: a member, as with の
        former = title[:1] in _FORMER and title[1:] in rules.titles
        title = title[1:] if former or title[:1] in _MODIFIERS and title[1:] in rules.titles else title
        if title and not _is_title(title, rules):
            continue  # ベネズエラの同級1位、…: not a title
        for person in _listed_persons(view, link.end() if link else host.end):
            position, role = person.position, person.role
            if title and (title not in rules.roles or not position):
                # FSF職員のデーブ・ターナー氏, CDU党首のメルケル次期首相: the title before の is the post there,
                # unless it only says he belongs (ライブドア幹部の宮内亮治取締役)
                position, role = ("", title) if title in rules.roles else (title, "")
            held = _held_office(host, person, position, role, rules)
            if held:
                yield Candidate(person, held[0], host, "genitive_position", sentence, position=held[1],
                                modality="past" if former else _tense(person))  # 阪神タイガース前監督の岡田彰布氏


def _held_office(host: Mention, person: Mention, position: str, role: str,
                 rules: RuleSet) -> tuple[str, str] | None:
    """What a person named after a state or organization is there: (predicate, position), or nothing."""
    if host.type == "Organization" and host.text.endswith(_PARTY) and position in rules.state_offices:
        position = ""  # 共和党のレーガン大統領: president of the state, member of the party
    elif host.type == "Organization" and rules.is_cabinet_office(position) and not host.text.endswith(_GOVERNMENT):
        return None  # SPDのシュレーダー首相: a party kg does not know as one, or a body he only spoke to
    if host.type == "State" and (_team_title(position or role, rules)
                                 or _team_title(person.position or person.role, rules)):
        return None  # 日本の長谷部誠主将: the captain of Japan's national team, not an officer of the state
    predicate = _position_predicate(host, position=position, role=role)
    return (predicate, position) if predicate else None


def anaphoric_genitive(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """同国のオバマ大統領, 同大学の鷲田清一学長: 同 and a kind of organization stand for the last one named.

    The person holds the post in (or belongs to) the organization or state
    the anaphor points back to: the nearest earlier mention of its type whose
    name ends as the anaphor says (``anaphors`` in ``relation_rules.json``),
    leaving out sources the article cites (朝日新聞によると、同大学の…).
    同社 asks more (``most_named``, ``titled``): the company the article has
    named most, and a person named with a post there (同社の八木誠社長).
    """
    for anaphor in rules.anaphors:
        for word in anaphor["words"]:
            for found in re.finditer(re.escape(word) + "(?:の|・)", view.text):
                persons = _listed_persons(view, found.end())
                sentence = view.sentence_of(found.start())
                host = _antecedent(view, found.start(), anaphor) if persons and sentence else None
                if host is None or sentence is None:
                    continue
                for person in persons:
                    position = person.position or _title_after(view, person, rules)
                    if anaphor.get("titled") and not (position or person.role):
                        continue  # 同社のキャラクター・ペコちゃん: a company's officers are named with their post
                    held = _held_office(host, person, position, person.role, rules)
                    if held:
                        yield Candidate(person, held[0], host, "anaphoric_genitive", sentence, position=held[1],
                                        modality=_tense(person))


def _title_after(view: DocView, person: Mention, rules: RuleSet) -> str:
    """A title written right after a name the mention did not take in (松井達政|社長, 平野雅大・執行役員)."""
    start = person.end + (view.text.startswith("・", person.end))
    return next((view.text[start:start + n] for n in range(6, 0, -1) if view.text[start:start + n] in rules.titles
                 and view.text[start:start + n] not in rules.roles), "")


def _antecedent(view: DocView, before: int, anaphor: dict[str, Any]) -> Mention | None:
    """The last mention before ``before`` of the anaphor's type and endings, not a cited source.

    With ``most_named`` (同社), the last mention of the name the article has
    named most so far, at least that many times: 同社 stands for the company
    the article is about, not one it named in passing (江崎グリコの看板).
    """
    endings = tuple(anaphor.get("endings", ()))
    not_endings = tuple(anaphor.get("not_endings", ()))
    fitting = [m for m in view.mentions if m.end <= before and m.type == anaphor["type"] and not view.is_cited(m)
               and not (endings and not m.text.endswith(endings)) and not (not_endings and m.text.endswith(not_endings))]
    if "most_named" in anaphor:
        fitting = _most_named(fitting, least=anaphor["most_named"])
    return max(fitting, key=lambda m: m.start) if fitting else None


def _most_named(mentions: Sequence[Mention], *, least: int) -> list[Mention]:
    """The mentions of the name said most often (by key), if said ``least`` times; the latest named on a tie."""
    named: dict[str, list[Mention]] = {}
    for m in mentions:
        named.setdefault(m.key or m.text, []).append(m)
    best = max(named.values(), key=lambda ms: (len(ms), max(m.start for m in ms)), default=[])
    return best if len(best) >= least else []


def _glued_titled_person(view: DocView, host: Mention) -> bool:
    """An organization written right before a person with a title or role (民主党長妻昭衆院議員, 巨人内海哲也投手).

    Headlines and lists drop the の; the title says the name is a person of
    that organization, not a list of two names.
    """
    person = view.mention_at(host.end, types=("Person",))
    return host.type == "Organization" and person is not None and bool(person.position or person.role)


# How a government's or a ministry's name ends: its head and ministers do hold their office in it
# (イラク暫定政府のアラウィ首相, 厚生労働省の舛添要一大臣).
_GOVERNMENT = ("政府", "内閣", "政権", "省", "庁", "府")
# Words between an organization and の that say its person belongs to it.
_BELONGS = ("所属", "在籍")
# After a state or organization: の, or a title then の (職員の, 社長の), or の + title + である.
# Modifiers before a title: 元, 前 make it a former one (阪神タイガース前監督の岡田彰布氏).
_FORMER = ("元", "前")
_MODIFIERS = ("元", "前", "新", "現", "次期")
# How a party's name ends: a state office held by its member makes him a member, not its officer.
_PARTY = ("党", "会派")
# A name then its person joined by ・ says the same (阪神電鉄・坂井信也社長, 読売ジャイアンツ終身名誉監督・長嶋茂雄氏).
_GENITIVE = re.compile(r"(?P<before>[^\s、。「」()（）の・]{1,12}?)?"
                       r"(?:の(?:(?P<after>[^\s、。「」()（）]{1,12}?)である)?|・)")
# Kanji before a title that qualify it (終身名誉監督, 代表取締役社長): the title is still the person's.
_QUALIFIED = re.compile(r"[一-龥]{1,6}")


def _team_title(title: str, rules: RuleSet) -> bool:
    """監督, 女子選手, 代表選手: a post in a national team, which a state does not hold."""
    return any(title.endswith(t) for t in rules.team_titles)


def _posted_to(view: DocView, host: Mention) -> bool:
    """駐米, 駐日: the state a diplomat is sent to, not the one he serves."""
    return view.text[host.start - 1:host.start] == "駐"


def _is_title(words: str, rules: RuleSet) -> bool:
    """A title, or a title after kanji that qualify it (終身名誉|監督)."""
    return words in rules.titles or any(
        words.endswith(t) and _QUALIFIED.fullmatch(words[: -len(t)]) for t in rules.titles if len(t) > 1)
# Between two persons of one list: their title or honorific, then 、 or と.
_LIST_GAP = re.compile(r"^(?P<title>[^\s、。「」]{0,8}?)(、|と|や|及び|および)$")


def _in_compound(view: DocView, mention: Mention) -> bool:
    """米 or 露 of 米露: an abbreviation glued to another one."""
    return mention.source == "abbreviation" and (
        any(m.source == "abbreviation" for m in view.by_end.get(mention.start, ()))
        or any(m.source == "abbreviation" for m in view.by_start.get(mention.end, ())))


def _past_parenthetical(text: str, end: int) -> int:
    """Skip an apposition in brackets after a name: 宇宙航空研究開発機構(JAXA)の → after ')'."""
    if text[end:end + 1] in ("(", "（"):
        close = text.find(")" if text[end] == "(" else "）", end, end + 30)
        if close != -1:
            return close + 1
    return end


def _listed_persons(view: DocView, offset: int) -> list[Mention]:
    """The person starting at ``offset`` (after Latin initials too), and those listed after it."""
    first = view.mention_at(offset, types=("Person",)) or _after_initials(view, offset)
    found = [first] if first else []
    while found:
        last = found[-1]
        nxt = next((m for m in view.starting_within(last.end + 1, last.end + 10) if m.type == "Person"), None)
        gap = _LIST_GAP.match(view.text[last.end:nxt.start]) if nxt else None
        if gap is None or gap.group("title") not in ("", *_HONORIFICS):
            break  # ゼレンスキー大統領は17日、…; 長谷川一雄事務局長とゴンザレス選手: not one list under the genitive
        found.append(nxt)
    return found


# What may follow a listed name before the next one (ボブ・スーター氏、…).
_HONORIFICS = ("氏", "さん", "様", "君", "ちゃん", "容疑者", "被告", "選手")


def _after_initials(view: DocView, offset: int) -> Mention | None:
    initials = _INITIALS.match(view.text, offset)
    return view.mention_at(initials.end(), types=("Person",)) if initials else None


_INITIALS = re.compile(r"[A-Z][A-Z.・]*")


def person_org_title(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A person, then an organization and a title: the person holds the title there.

    デイヴィッド・ポーリソンFEMA長官 → (デイヴィッド・ポーリソン, holds_position_in, FEMA, 長官);
    松原聡・東洋大学教授 → (松原聡, holds_position_in, 東洋大学, 教授); シェリング氏はメリーランド大学教授。
    → the same, when the sentence says it of its topic (…教授。, …教授で、, …教授を務めた).
    """
    for person in view.mentions:
        if person.type != "Person" or person.position:
            continue  # ルビオ米国務長官: the title is glued to the name (title_affiliation)
        gap = _BEFORE_ORG.match(view.text, person.end)
        org = view.mention_at(gap.end(), types=("Organization",)) if gap else None
        sentence = view.sentence_of(person.start)
        if org is None or sentence is None or len(org.text) < 3:
            continue  # 外務|報道官: two characters glued to a title are part of the title
        title = next((t for t in rules.titles_longest_first if view.text.startswith(t, org.end)), None)
        if title is None or gap.group("topic") and not _COPULA.match(view.text, org.end + len(title)):
            continue  # 佐藤氏は東洋大学教授の山田氏と…: the title is the next person's
        more = _QUALIFIED.match(view.text, org.end + len(title))
        title += more.group() if more else ""  # 代表|特別補佐: the title goes on
        position, role = ("", title) if title in rules.roles else (title, "")
        held = _held_office(org, person, position, role, rules)  # 西村真悟民主党衆院議員: a party's member
        if held:
            yield Candidate(person, held[0], org, "person_org_title", sentence, position=held[1])


# Between the person and the organization: nothing, ・, or an honorific and the topic particle.
_BEFORE_ORG = re.compile(r"(?P<topic>(?:氏|さん)?(?:は|も)、?)|・?")
# After "X は Org title": the sentence says it of X (。, だ, である, で、, を務め, として).
_COPULA = re.compile(r"(?:。|だ|です|である|であり|で、|を務め|として|\n)")


def bracketed_affiliation(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """An organization in brackets after a person's name: the person's club, party or company, and post there.

    藤川(阪神) → (藤川, member_of, 阪神タイガース); 中迫俊明(鹿児島工業監督) → (…, holds_position_in,
    鹿児島工業, 監督); 清原和博(前・巨人) → member_of, past. Each part between 、 is read alone
    and must be the organization and nothing else but 前/元 before it and a title after it:
    林文子氏(63、民主党推薦) names who backs her, 池田芳蔵氏(三井物産出身) where he came from,
    高相祐一(たかあい・ゆういち) how the name reads.
    """
    for person in view.mentions:
        if person.type != "Person":
            continue
        bracket = _BRACKET_AFTER.match(view.text, person.end)
        sentence = view.sentence_of(person.start)
        if bracket is None or sentence is None or _BACKING.search(bracket.group("inside")):
            continue  # 舛添要一氏(自民党東京都連、公明党東京都本部推薦): who backs him, every part of it
        start = bracket.start("inside")
        for part in bracket.group("inside").split("、"):
            found = _bracketed_host(view, start, start + len(part), rules)
            start += len(part) + 1
            if found is None:
                continue
            host, title, former = found
            position, role = ("", title) if title in rules.roles else (title, "")
            held = _held_office(host, person, position, role, rules)  # (自民党衆院議員): the party's member
            if held:
                yield Candidate(person, held[0], host, "bracketed_affiliation", sentence, position=held[1],
                                modality="past" if former else "asserted")


# After a name: an honorific, then a bracket of at most 40 characters.
_BRACKET_AFTER = re.compile(r"(?:氏|さん|選手|監督|容疑者)?[(（](?P<inside>[^()（）]{1,40})[)）]")
# Words that make a bracket say who backs the person, not where he belongs.
_BACKING = re.compile(r"推薦|支持|支援|公認")
# A name's reading, in kana (たかあい・ゆういち) or in Latin letters (VickiRoycroft).
_READING = re.compile(r"[ぁ-ゖー・\s]+|[A-Za-z][a-z]+(?:[ .=・]?[A-Z][a-z]+)+")
# Before the organization in a bracket: 前・巨人, 元近鉄 (a former one), 現・楽天.
_BRACKET_PREFIX = re.compile(r"(?P<former>[前元])?(?:現)?・?")


def _bracketed_host(view: DocView, start: int, end: int, rules: RuleSet) -> tuple[Mention, str, bool] | None:
    """The organization that one part of a bracket is, its title there, and whether it is a former one."""
    prefix = _BRACKET_PREFIX.match(view.text, start, end)
    host = view.mention_at(prefix.end(), types=("Organization",))
    if host is None or host.end > end or _READING.fullmatch(host.text):
        return None  # 高相祐一(たかあい・ゆういち): how the name reads, whatever the NER head says
    rest = view.text[host.end:end]
    title = rest.removeprefix("・")  # 名電高等学校・内野手
    if title and not _is_title(title, rules):
        return None  # 民主党推薦, 三井物産出身, J1リーグ・神戸: not a post
    return host, title, prefix.group("former") is not None


def serves_as(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A title served in an organization: …の社長を務めた, …で政治部長を務め, …の記者として.

    田中一郎氏はトヨタ自動車の社長を務めている。 → (田中一郎, holds_position_in, トヨタ自動車, 社長);
    後藤氏は共同通信で政治部長を務めていた。 → (後藤, holds_position_in, 共同通信, 政治部長).
    The person is the sentence's subject (は, が), or the article's topic when it names none.
    """
    for served in _SERVED.finditer(view.text):
        sentence = view.sentence_of(served.start())
        if sentence is None:
            continue
        before = view.text[sentence[0]:served.start()]
        title = next((t for t in rules.titles_longest_first if before.endswith(t)), None)
        if title is None:
            continue
        title_start = served.start() - len(title)
        ahead = view.text[sentence[0]:title_start]
        qualifiers = re.search(r"[一-龥]{0,6}$", ahead).group()  # 終身名誉|監督
        if re.search(r"[0-9０-９][一-龥]{1,6}$", ahead):
            qualifiers = ""  # 1年間|監督: a count, not a qualifier
        starts = [title_start - n for n in range(len(qualifiers) + 1)]
        start, host = next(((s, h) for s in starts if (h := _host_before(view, s, sentence))), (starts[-1], None))
        position = view.text[start:served.start()]
        described = _described_host(view, served.end(), sentence) if host is None else None
        host = host or described  # …会長を務めていたカリブ海サッカー連合: the organization the clause describes
        if host is None:  # 政治部長: a department glued to the title; the host is the sentence's Xで
            host = _host_at_de(view, sentence, start)
        if host is not None and host.type == "State" and host.end == start and title in rules.envoy_titles:
            host = _host_before(view, host.start, sentence)  # 米国のインド大使: India is where he was sent
        # In a relative clause the person is its own subject, right before the title (村田元次長が社長を勤める…)
        person = _clause_subject(view, sentence, start) if described else _subject_of(view, sentence, before=start)
        if host is None or person is None or person.start > host.start \
                or host.type == "State" and _team_title(title, rules) or _posted_to(view, host):
            continue  # 日本の女子選手として: a nationality, no post
        position, role = ("", position) if title in rules.roles and position == title else (position, "")
        predicate = _position_predicate(host, position=position, role=role)
        verb = view.token_at(served.start() + len(served.group("particle")))
        modality = clause_modality(view.toks, {verb}, event=False, vocab=rules.modality,
                                   sentence=sentence, text=view.text)
        if predicate and modality is not None:
            yield Candidate(person, predicate, host, "serves_as", sentence, position=position, modality=modality)


# After a title: を務め(る), に就き/就いた, として (the person acts in it).
_SERVED = re.compile(r"(?P<particle>を|に|と)(?:務め|勤め|就い|就き|就く|し(?=て))")


def _host_before(view: DocView, start: int, sentence: tuple[int, int]) -> Mention | None:
    """The organization or state right before the title, glued or with の (トヨタ自動車の社長, 日本銀行総裁)."""
    ends = (start, start - 1) if view.text[start - 1:start] == "の" else (start,)
    hosts = (m for end in ends for m in view.by_end.get(end, ()) if m.type in ("Organization", "State"))
    return next((m for m in hosts if m.start >= sentence[0]), None)


def _host_at_de(view: DocView, sentence: tuple[int, int], before: int) -> Mention | None:
    """An organization followed by で earlier in the sentence (共同通信で…政治部長を務め)."""
    hosts = [m for m in view.in_sentence(sentence)
             if m.type == "Organization" and m.end < before and view.text.startswith("で", m.end)
             and not view.text.startswith("では", m.end)]
    return hosts[-1] if hosts else None


def _clause_subject(view: DocView, sentence: tuple[int, int], title_start: int) -> Mention | None:
    """The person marked が or の closest before a title (ブット氏は…自身が総裁を務める…: the clause's own)."""
    persons = [m for m in view.in_sentence_persons(sentence) if m.end <= title_start
               and view.particle(m) in ("が", "の")]
    return persons[-1] if persons else _subject_of(view, sentence, before=title_start)


# The rest of a verb after 務め: its endings up to the noun a relative clause describes (務めていた|…).
_VERB_ENDING = re.compile(r"(?:てい|てき)?(?:た|る)(?=[^\s、。])")


def _described_host(view: DocView, verb_end: int, sentence: tuple[int, int]) -> Mention | None:
    """The organization right after …を務めていた, …を務める: the noun the clause describes is where he served."""
    ending = _VERB_ENDING.match(view.text, verb_end)
    host = view.mention_at(ending.end(), types=("Organization",)) if ending else None
    return host if host is not None and host.end <= sentence[1] else None


# Words that point back to the article's person (同氏は…): the topic, not someone new.
_PRONOUNS = frozenset({"同氏", "氏", "彼", "彼女", "本人"})


def _subject_of(view: DocView, sentence: tuple[int, int], *, before: int) -> Mention | None:
    """The person the sentence is about: the first one marked by は or が, else the article's topic."""
    persons = [m for m in view.in_sentence_persons(sentence) if m.start < before]
    marked = [m for m in persons if view.particle(m) in ("は", "が", "も")]
    if marked:
        return marked[0]
    subjects = [t for t in view.toks[view.token_at(sentence[0]):view.token_at(before)]
                if t.dep == "nsubj" and not view.covers(t.start) and t.text not in _PRONOUNS]
    return None if persons or subjects else view.topic_before(sentence[0])  # 秋田選手も…: someone unnamed


def dismissal(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """An organization dismisses its person: the person held the post there (past once done).

    横浜FCは、足達勇輔監督を解任した。 → (足達勇輔, holds_position_in, 横浜FC, 監督; past);
    オリックスは前川勝彦投手を解雇すると発表した。 → (前川勝彦, member_of, オリックス) still.
    """
    for k, tok in enumerate(view.toks):
        if tok.lemma not in _DISMISS:
            continue
        sentence = view.sentence_of(tok.start)
        if sentence is None:
            continue
        dismissed = [m for m in view.in_sentence_persons(sentence)
                     if m.end <= tok.start and (m.position or m.role) and _TAKEN.match(view.text, m.end)]
        hosts = sorted((m for m in view.in_sentence(sentence) if m.type == "Organization" and m.end <= tok.start
                        and view.particle(m) in ("は", "が", "も", "、") and not view.is_cited(m)),
                       key=lambda m: view.particle(m) == "、")  # 横浜FCは before a headline's オリックス、
        modality = clause_modality(view.toks, {k}, event=True, vocab=rules.modality,
                                   sentence=sentence, text=view.text)
        if not dismissed or not hosts or modality is None:
            continue
        person, host = dismissed[-1], hosts[0]
        predicate = _position_predicate(host, position=person.position, role=person.role)
        if predicate and host.start < person.start:
            yield Candidate(person, predicate, host, "dismissal", sentence, position=person.position,
                            modality="past" if modality in ("asserted", "reported", "past") else "asserted")


# Verbs of dismissal, and what sits between the dismissed person's title and the verb.
_DISMISS = frozenset({"解任", "解雇", "更迭", "罷免", "除名"})
_TAKEN = re.compile(r"(?:[^\s、。]{0,8}?)(?:氏|さん)?を")


def side_title(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """X側は + a titled person: the person speaks for X in a position.

    ロシア側はメジンスキー大統領補佐官が出席した。 → (メジンスキー, holds_position_in, ロシア, 大統領補佐官)
    """
    for host in view.mentions:
        if host.type == "Person" or not _SIDE.match(view.text, host.end):
            continue
        gap = _SIDE.match(view.text, host.end)
        person = view.mention_at(gap.end(), types=("Person",)) if gap else None
        sentence = view.sentence_of(host.start)
        if person and sentence and person.position:
            yield Candidate(person, "holds_position_in", host, "side_title", sentence, position=person.position,
                            modality=_tense(person))


_SIDE = re.compile(r"側(?:は|も|が|からは|では)、?")


def genitive_link(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """Two names joined by a linking noun (data: ``genitive_links``).

    ソフトバンク傘下のヤフー → (ヤフー, part_of, ソフトバンク); ロシアの友好国ベラルーシ →
    (ロシア, allied_with, ベラルーシ).
    """
    for a in view.mentions:
        if a.type == "Person":
            continue
        for link in rules.genitive_links:
            for between in link["between"]:
                if not view.text.startswith(between, a.end):
                    continue
                b = view.mention_at(a.end + len(between), types=("State", "Organization"))
                sentence = view.sentence_of(a.start)
                if b is None or sentence is None:
                    continue
                subject, obj = (b, a) if link["subject"] == "second" else (a, b)
                if get_predicate(link["predicate"]).allows(subject.type, obj.type):
                    yield Candidate(subject, link["predicate"], obj, "genitive_link", sentence)


def title_era(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """An organization, perhaps a title, then 時代: the article's topic person was there once.

    (山内さんは…) ロッテオリオンズ監督時代には… → (山内, holds_position_in, ロッテオリオンズ, 監督; past);
    毎日・大毎オリオンズ時代の… → (山内, member_of, 大毎オリオンズ; past). Only in a sentence
    that names no person, so the era is the topic's.
    """
    for host in view.mentions:
        if host.type != "Organization":
            continue
        era = _ERA.match(view.text, host.end)
        sentence = view.sentence_of(host.start)
        title = era.group(1) if era else ""
        if era is None or sentence is None or title and title not in rules.titles \
                or not title and host.text.endswith(_REGIMES):
            continue  # スハルト政権時代: a political era, not a membership
        person = view.topic_before(sentence[0]) if not view.in_sentence_persons(sentence) else None
        if person is not None:
            position = "" if title in rules.roles else title
            predicate = "holds_position_in" if position else "member_of"
            yield Candidate(person, predicate, host, "title_era", sentence, position=position, modality="past")


# Organizations whose era is a period of history, not a membership (スハルト政権時代).
_REGIMES = ("政権", "王朝", "幕府", "内閣")
_ERA = re.compile(r"([^\s、。の・]{0,8}?)時代")


def _position_predicate(host: Mention, *, position: str, role: str) -> str | None:
    """holds_position_in with a position (大統領, 総裁, 社長); member_of of an organization otherwise."""
    if position:
        return "holds_position_in"
    return "member_of" if host.type == "Organization" else None


def _tense(person: Mention) -> str:
    """past for a former title (元大統領, 前首相), else asserted."""
    return "past" if person.former else "asserted"


def compound_trigger(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """An abbreviation compound right before a trigger noun relates its members.

    米露首脳会談が開かれた。 → (アメリカ合衆国, met_with, ロシア); 中露同盟 → allied_with.
    """
    groups: dict[int, list[Mention]] = {}
    for m in view.mentions:
        if m.source == "abbreviation":
            groups.setdefault(view.token_at(m.start), []).append(m)
    for k, members in groups.items():
        run = [*members]
        nxt = k + 1
        while nxt in groups and view.toks[nxt].start == view.toks[nxt - 1].end:
            run += groups[nxt]  # 英仏 + 独
            nxt += 1
        if len(run) < 2 or k - 1 in groups and view.toks[k].start == view.toks[k - 1].end:
            continue
        following = "".join(t.text for t in view.toks[nxt:nxt + 2])
        word, predicate = next(((w, p) for w, p in sorted(rules.compound_triggers.items(), key=lambda x: -len(x[0]))
                                if following.startswith(w)), ("", None))
        sentence = view.sentence_of(run[0].start)
        if predicate is None or sentence is None or nxt >= len(view.toks):
            continue
        modality = trigger_modality(view, _last_token_of(view, nxt, word), rules, predicate, sentence)
        if modality is not None:
            for a, b in combinations(run, 2):
                yield Candidate(a, predicate, b, "compound_trigger", sentence, modality=modality)


def _last_token_of(view: DocView, first: int, word: str) -> int:
    """The token where ``word``, starting at token ``first``, ends (首脳|会談 → 会談)."""
    k, length = first, len(view.toks[first].text)
    while length < len(word) and k + 1 < len(view.toks):
        k += 1
        length += len(view.toks[k].text)
    return k


def trigger_modality(view: DocView, k: int, rules: RuleSet, predicate: str,
                     sentence: tuple[int, int]) -> str | None:
    """The modality of a trigger noun at token k, carried by its light verb if it has one (会談を行う)."""
    head = view.toks[k].head
    carriers = {k, head} if head != k and view.toks[head].lemma in rules.light_verbs else {k}
    return clause_modality(view.toks, carriers, event=get_predicate(predicate).event, vocab=rules.modality,
                           sentence=sentence, text=view.text)


_MEMBER_STATES = ("加盟諸国", "加盟国", "加盟各国")
_LIST_GLUE = ("など", "や", "、", "・", "と", "及び", "および")
_LAST_GLUE = ("など", "等")


def member_states(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """States listed before an organization's 加盟国 are its members.

    英仏独など北大西洋条約機構(NATO)加盟諸国 → (イギリス, member_of, 北大西洋条約機構), …
    """
    for m in view.mentions:
        if m.type != "Organization":
            continue
        rest = view.text[m.end:m.end + 12]
        if rest.startswith(("(", "（")):
            rest = rest[rest.find(")" if rest[0] == "(" else "）") + 1:]
        if not rest.startswith(_MEMBER_STATES):
            continue
        sentence = view.sentence_of(m.start)
        for state in _listed_before(view, m.start):
            if sentence:
                yield Candidate(state, "member_of", m, "member_states", sentence)


def _listed_before(view: DocView, end: int) -> list[Mention]:
    """The chain of State mentions ending at ``end`` (glued by など, や, 、 …)."""
    found: list[Mention] = []
    pos = end
    while True:
        # Right before the organization only など (or nothing): 米国や欧州連合加盟国 lists the US beside the members.
        for glue in (_LIST_GLUE if found else _LAST_GLUE):
            if view.text[max(0, pos - len(glue)):pos] == glue:
                pos -= len(glue)
                break
        state = next((s for s in view.by_end.get(pos, ()) if s.type == "State"), None)
        if state is None:
            return found
        found.append(state)
        pos = state.start


def accession_bid(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A state's accession to an organization, as a noun, is a bid to join it.

    米、ウクライナのNATO加盟に反対表明 → (ウクライナ, seeks_membership, 北大西洋条約機構)
    """
    for m in view.mentions:
        if m.type != "State" or view.text[m.end:m.end + 1] != "の":
            continue
        org = view.mention_at(m.end + 1, types=("Organization",))
        if org is None:
            continue
        rest = view.text[org.end:org.end + 6]
        sentence = view.sentence_of(m.start)
        adjective = re.match(r"加盟[一-龥ァ-ヺ]", rest)  # 英独仏のNATO加盟リベラル政権: members already
        if rest.startswith("加盟") and not rest.startswith(_MEMBER_STATES) and not adjective and sentence:
            yield Candidate(m, "seeks_membership", org, "accession_bid", sentence, modality="asserted")


PATTERN_RULES: dict[str, PatternRule] = {
    "title_affiliation": title_affiliation,
    "genitive_position": genitive_position,
    "anaphoric_genitive": anaphoric_genitive,
    "person_org_title": person_org_title,
    "bracketed_affiliation": bracketed_affiliation,
    "serves_as": serves_as,
    "dismissal": dismissal,
    "side_title": side_title,
    "genitive_link": genitive_link,
    "title_era": title_era,
    "compound_trigger": compound_trigger,
    "member_states": member_states,
    "accession_bid": accession_bid,
}

