"""Mentions of persons, states and organizations in one parsed document.

Candidates come from small rules, each a function over one document (the
same signature for all: a :class:`DocInput` in, :class:`~kg.model.Mention`
records with exact offsets out), registered in :data:`MENTION_RULES` in rank
order:

- ``lexicon``: known states and organizations (names and aliases);
- ``abbreviation``: one-character state abbreviations in compounds (米露,
  英仏独), prefixed forms (対米, 訪日) and before titles (米大統領);
- ``suffix``: a state plus an institution suffix is an organization
  (ロシア軍, 米軍, ロシア大統領府), a named place or person plus 政権 an
  administration (キエフ政権, トランプ政権);
- ``unit``, ``house``: a numbered military unit (歩兵第1旅団, 第11中隊第1小隊)
  and a family name before 家 (ハプスブルク家) or a person's before 派 (亀井派) are organizations;
- ``title``: a name before a title or honorific is a person, and the title
  its position (トランプ米大統領 → トランプ, 大統領, affiliation 米);
- ``model``: kg's trained NER head (:mod:`kg.ner`), persons and organizations;
- ``ner``: GiNZA's own ENE spans, when its NER runs, cleaned;
- ``latin``: an all-capitals Latin name used as a subject (DEEP STATEは).

Overlaps are settled by :func:`select` (longest span first, then rule rank),
and mentions inside site chrome are dropped. :func:`find_mentions` runs all
rules or ``only`` some, as relation rules can be run one by one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.chrome import chrome_spans, in_spans, is_attribution
from kg.datafiles import ene_type_map
from kg.errors import ConfigError
from kg.lexicon import LexEntry, Lexicon
from kg.model import Mention, ParsedDoc, Token
from kg.names import loose_key, name_key
from kg.spans import overlaps, url_spans

_KATAKANA_NAME = re.compile(r"^[ァ-ヺー・ヽヾ]{2,}$")
_LATIN_NAME = re.compile(r"^[A-Z][a-zA-Z'\-]+(?: [A-Z][a-zA-Z'\-]+)*$")
# Parts of a name that look like debris elsewhere: a regnal number (8世), an initial (・C・), Jr.
_NAME_PARTS = re.compile(r"(?<=[ァ-ヺー])[0-9０-９一二三四五六七八九十]+世$|(?<=・)[A-Z]\.?(?=・)|・Jr\.?$")
_NOT_IN_NAME = re.compile(r"[0-9０-９/\\._@:;#%&?=<>()\[\]「」『』【】〈〉《》\"'“”、。,\n]")
_ALL_CAPS = re.compile(r"^[A-Z][A-Z0-9&\-]+$")
_OPEN, _CLOSE = "(（「『[【", ")）」』]】"
_READING_GLOSS = re.compile(r"[(（][ぁ-ゖー]+[)）]")
# A bracketed kana reading right after a kanji name: 仰木彬(おおぎ・あきら), 中島梓(なかじまあずさ).
_READING_AFTER_NAME = re.compile(r"[一-龥々ヶ][(（][ぁ-ゖー・ 　]+[)）]")

_LONGEST_TITLE = 16  # characters; no title in titles.json is longer

# Prefixes that make a one-character abbreviation refer to its state (対米 = toward the US).
ABBREVIATION_PREFIXES = frozenset("対訪駐在親反渡来滞離知嫌脱")
# Nouns glued after an abbreviation that keep it a state mention (米紙 = a US newspaper).
ABBREVIATION_SUFFIXES = ("紙", "誌", "側", "間", "高官", "当局", "企業", "両国", "首脳", "関係", "政府")
# What may follow a stand-alone abbreviation for it to be a state (米、… / 米は… / 米の…).
ABBREVIATION_FOLLOWERS = frozenset({"、", "が", "は", "と", "も", "の", "・", "や"})


@dataclass(frozen=True)
class DocInput:
    """What every mention rule reads: one parsed document, its text, the lexicon.

    ``earlier`` holds the candidates of the rules registered before this one,
    for rules that build on them (``suffix`` reads the states found).
    """

    parsed: ParsedDoc
    text: str
    lexicon: Lexicon
    earlier: tuple[Mention, ...] = ()

    @property
    def doc(self) -> str:
        return self.parsed.doc_id

    @property
    def toks(self) -> tuple[Token, ...]:
        return self.parsed.tokens


MentionRule = Callable[[DocInput], Iterable[Mention]]
#: Every mention rule, in rank order: between candidates of the same length the earlier rule wins.
MENTION_RULES: dict[str, MentionRule] = {}


def mention_rule(name: str) -> Callable[[MentionRule], MentionRule]:
    """Register a mention rule under ``name`` (its ``Mention.source``), ranked after those before it."""
    def register(func: MentionRule) -> MentionRule:
        if name in MENTION_RULES:
            raise ValueError(f"mention rule {name!r} is registered twice")
        MENTION_RULES[name] = func
        return func
    return register


def rank(source: str) -> int:
    """A rule's rank (lower wins a tie); mentions from outside the rules rank last."""
    order = list(MENTION_RULES)
    return order.index(source) if source in MENTION_RULES else len(order)


def check_rule_names(names: Iterable[str]) -> tuple[str, ...]:
    """The names, checked: an unknown one raises, listing the valid ones."""
    names = tuple(names)
    unknown = sorted(set(names) - set(MENTION_RULES))
    if unknown:
        raise ConfigError(f"unknown mention rule {', '.join(unknown)}; valid rules: {', '.join(MENTION_RULES)}")
    return names


def find_mentions(parsed: ParsedDoc, text: str, *, lexicon: Lexicon,
                  only: Iterable[str] | None = None) -> list[Mention]:
    """All person, state and organization mentions of one document, outside site chrome.

    ``only`` runs just the named rules (in rank order), to see what one rule finds.
    """
    wanted = set(check_rule_names(only)) if only is not None else set(MENTION_RULES)
    candidates: list[Mention] = []
    for name, rule in MENTION_RULES.items():
        if name in wanted:
            candidates += rule(DocInput(parsed, text, lexicon, tuple(candidates)))
    outside = sorted(chrome_spans(text) + url_spans(text))
    kinds = _kind_words(lexicon)
    kept = [m for m in select(candidates)
            if (not in_spans(m.start, outside) or is_attribution(text, m.end))
            and name_key(m.text) not in lexicon.ignore and m.text not in kinds
            and not _counted(m, text) and not _of_the_same(m, text)]
    return link_appositions(kept, text)


def _kind_words(lexicon: Lexicon, *, groups: Iterable[str] | None = None) -> frozenset[str]:
    """Words for a kind of person or animal (ムスリム, サポーター, ポニー): ``kind_words``, all groups or the ones named."""
    kinds = lexicon.rules["kind_words"]
    return frozenset(w for group in (groups if groups is not None else kinds) for w in kinds[group])


_COUNT_BEFORE = re.compile(r"[0-9０-９一二三四五六七八九十百千]+(?:つ)?の$")


_SAME_AS_BEFORE = re.compile(r"同(?:社|大学|校|党|局|省|庁|協会|連盟|団体|グループ|球団|クラブ)$")


def _of_the_same(mention: Mention, text: str) -> bool:
    """同大学ラグビー部: a part of an organization named only as "the same one" (同大学) is no name."""
    return mention.type == "Organization" and not mention.key.startswith("lex:") \
        and bool(_SAME_AS_BEFORE.search(text, max(0, mention.start - 4), mention.start))


def _counted(mention: Mention, text: str) -> bool:
    """54のサッカー協会: a count of organizations of a kind, not one named organization."""
    return mention.type == "Organization" and not mention.key.startswith("lex:") \
        and bool(_COUNT_BEFORE.search(text, max(0, mention.start - 8), mention.start))


def group_key(mention: Mention) -> str:
    """The key resolution groups a mention under: lexicon id, state institution, or its name."""
    if mention.key.startswith(("lex:", "person:")) or "+" in mention.key:
        return mention.key  # a known entry, a state institution, a short name linked to its full name
    if mention.type == "Person":
        return "person:" + loose_key(mention.text)
    return "name:" + (mention.key or name_key(mention.text))  # an organization's bare name (リコー for 株式会社リコー)


# Between two mentions, what makes the second another name of the first.
_APPOSITION = {"(": ")", "（": "）", "=": "", "＝": ""}


def link_appositions(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """北大西洋条約機構(NATO), 国家親衛隊第1軍団=アゾフ軍団: link the second name to the first."""
    out = list(mentions)
    for n in range(len(out) - 1):
        a, b = out[n], out[n + 1]
        between = text[a.end:b.start]
        close = _APPOSITION.get(between)
        if a.type != b.type or a.type == "State" or close is None:
            continue
        if close and text[b.end:b.end + 1] != close:
            continue
        out[n + 1] = replace(b, link=group_key(a))
    return out


def select(candidates: Sequence[Mention]) -> list[Mention]:
    """Keep the longest candidates that do not overlap (rule rank breaks ties), in text order."""
    taken: list[tuple[int, int]] = []  # sorted and disjoint: one bisect per candidate
    chosen = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), rank(m.source), m.start)):
        if overlaps(taken, m.start, m.end):
            continue
        bisect.insort(taken, (m.start, m.end))
        chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


# --- token helpers -------------------------------------------------------------------------

def _contiguous(a: Token, b: Token) -> bool:
    return a.end == b.start


def _span_text(toks: Sequence[Token], i: int, j: int) -> str | None:
    """Text of tokens i..j-1 if they touch each other, else None."""
    if any(not _contiguous(toks[k], toks[k + 1]) for k in range(i, j - 1)):
        return None
    return "".join(t.text for t in toks[i:j])


def _is_name_token(tok: Token, lexicon: Lexicon) -> bool:
    """A token that can be part of a person's name: a 人名 tag, or katakana that names no state/org."""
    if lexicon.lookup(tok.text) is not None and lexicon.lookup(tok.text).type != "Person":  # type: ignore[union-attr]
        return False
    if tok.text in lexicon.rules["person_prefixes"]:
        return False  # エース田中将大さん: a role before the name, katakana but no name
    return "人名" in tok.tag or bool(_KATAKANA_NAME.match(tok.text))


def _mention(doc: str, start: int, end: int, text: str, kind: str, source: str, **extra: str) -> Mention:
    return Mention(doc=doc, start=start, end=end, text=text[start:end], type=kind,  # type: ignore[arg-type]
                   source=source, key=extra.pop("key", "") or name_key(text[start:end]), **extra)


# --- rules ----------------------------------------------------------------------------------

def lexicon_mentions(d: DocInput) -> Iterator[Mention]:
    """Known names at token boundaries: the longest run of up to 8 tokens that is a lexicon name.

    A state name must look like a proper noun here (a 固有名詞 tag, an NER span
    or several tokens), so ジャージー the garment is not Jersey; one followed by
    a place suffix (ジョージア州) is a subnational place, and one followed by
    時間 or 語 (日本時間, ロシア語) names a time zone or a language, not the state.
    A known organization glued to a title in one token (参議院議員) is found inside it.
    In a sports story a club's short name is the club (楽天の田中将大投手: the
    Eagles, not the company; :meth:`~kg.lexicon.Lexicon.sports_story`), unless
    a noun goes on after it (阪神大震災).
    """
    doc, toks, text, parsed, lexicon = d.doc, d.toks, d.text, d.parsed, d.lexicon
    place_suffixes = lexicon.rule_set("place_suffixes") | lexicon.rule_set("state_false_followers")
    ner_starts = {e.start for e in (*parsed.ents, *parsed.spans)}
    clubs = lexicon.sports if lexicon.sports and lexicon.sports_story(text) else {}
    keys = [name_key(t.text) for t in toks]
    i = 0
    while i < len(toks):
        best = None
        run = [keys[i]]  # name keys of the touching tokens from i on, as long as a name can be
        j = i + 1
        while j < len(toks) and j - i < 8 and _contiguous(toks[j - 1], toks[j]) \
                and sum(map(len, run)) + len(keys[j]) <= lexicon.longest_name:
            run.append(keys[j])
            j += 1
        for n in range(len(run), 0, -1):
            name = "".join(run[:n])
            entry_id = clubs[name] if name in clubs and _stands_alone(toks, i + n - 1, text) else None
            entry_id = entry_id or lexicon.names.get(name)
            if entry_id is not None:
                best = (i + n, lexicon.entries[entry_id])
                break
        if best is None:
            glued = _organization_before_title(toks[i].text, lexicon) if not _compound_goes_on(toks, i) else None
            if glued is not None:  # 参議院議員 as one token: the house is named in the title (not in 参議院議員選挙)
                size, entry = glued
                yield _mention(doc, toks[i].start, toks[i].start + size, text, entry.type, "lexicon",
                               key=f"lex:{entry.id}")
            i += 1
            continue
        j, entry = best
        if entry.type == "Organization" and _after_name_prefix(toks, i, lexicon):
            yield _mention(doc, toks[i - 1].start, toks[j - 1].end, text, "Organization", "lexicon")  # 国際|陸連
            i = j
            continue
        follows = toks[j].text if j < len(toks) and _contiguous(toks[j - 1], toks[j]) else ""
        proper = any("固有名詞" in t.tag for t in toks[i:j]) or toks[i].start in ner_starts or j - i > 1
        if entry.type != "State" or (proper and follows not in place_suffixes):
            end = toks[j - 1].end
            if entry.type == "Organization" and text.startswith("社", end) \
                    and not re.match(r"[一-龥々]", text[end + 1:end + 2]):
                end += 1  # エアバス社 is the company's name with its ending (not エアバス社長, 社員)
            yield _mention(doc, toks[i].start, end, text, entry.type, "lexicon", key=f"lex:{entry.id}")
        i = j


def _after_name_prefix(toks: Sequence[Token], i: int, lexicon: Lexicon) -> bool:
    """Whether token i follows, in the same phrase, a word that begins another body's name (国際|陸連, ``name_prefixes``)."""
    return i > 0 and toks[i - 1].text in lexicon.rules["name_prefixes"] and _contiguous(toks[i - 1], toks[i]) \
        and toks[i].bunsetu != "B"


def _organization_before_title(word: str, lexicon: Lexicon) -> tuple[int, LexEntry] | None:
    """参議院議員 → (3, the entry of 参議院): a known organization glued to a title in one token."""
    for size in range(len(word) - 2, 1, -1):
        entry = lexicon.lookup(word[:size])
        if entry is not None and entry.type == "Organization" and word[size:] in lexicon.title_set:
            return size, entry
    return None


def _split_abbreviation(word: str, lexicon: Lexicon) -> tuple[str, str, str] | None:
    """``対米`` → ("対", "米", ""); ``米紙`` → ("", "米", "紙"); None if no abbreviation core."""
    known = lexicon.abbreviation_chars
    if not any(ch in known for ch in word[:2]):
        return None  # most tokens: no abbreviation where one could start
    prefix = word[0] if len(word) > 1 and word[0] in ABBREVIATION_PREFIXES else ""
    rest = word[len(prefix):]
    suffixes = (*ABBREVIATION_SUFFIXES, *lexicon.rules["state_org_suffixes"])
    suffix = next((s for s in sorted(suffixes, key=len, reverse=True)
                   if rest.endswith(s) and len(rest) > len(s)), "")
    core = rest[: len(rest) - len(suffix)]
    if core and all(ch in known for ch in core):
        return prefix, core, suffix
    return None


def abbreviation_mentions(d: DocInput) -> Iterator[Mention]:
    """One State mention per abbreviation character where the context says it is one.

    Compounds (米露, 英仏+独) always count; a single character counts with a
    prefix (対米), before a title (米+大統領, 独+首相), glued to a suffix or
    followed by a particle when it is a common stand-alone abbreviation (米紙,
    米、…), or when Sudachi tags it a country. False friends (暴露, 宇宙,
    独自, 中東, 英語) are single tokens whose other characters are no
    abbreviations, so they never match.
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    parts = [_split_abbreviation(t.text, lexicon) for t in toks]
    ambiguous = lexicon.rules.get("ambiguous_compounds", {})
    for i, tok in enumerate(toks):
        if tok.text[:1] in lexicon.abbreviations and tok.text[1:] in lexicon.title_set:
            yield _mention(doc, tok.start, tok.start + 1, text, "State", "abbreviation",  # 米大統領 as one token
                           key=f"lex:{lexicon.abbreviations[tok.text[0]]}")
            continue
        split = parts[i]
        if split is None:
            continue
        prefix, core, suffix = split
        pure = not prefix and not suffix
        neighbour = any(
            0 <= k < len(toks) and parts[k] is not None and not parts[k][0] and not parts[k][2]  # type: ignore[index]
            and _contiguous(toks[min(i, k)], toks[max(i, k)])
            for k in (i - 1, i + 1)) and pure
        nxt = toks[i + 1] if i + 1 < len(toks) and _contiguous(tok, toks[i + 1]) else None
        if len(core) >= 2 or neighbour:
            if tok.text in ambiguous and not (nxt and nxt.text in ambiguous[tok.text]):
                continue
            ok = True
        elif prefix:
            ok = True
        elif suffix:
            ok = core in lexicon.standalone or suffix in lexicon.rules["state_org_suffixes"]
        else:
            before_title = nxt is not None and _title_at(toks, i + 1, lexicon)[0] is not None
            followed = (i + 1 < len(toks) and toks[i + 1].text in ABBREVIATION_FOLLOWERS
                        and core in lexicon.standalone)
            ok = before_title or followed or "地名" in tok.tag
        if not ok:
            continue
        if suffix in lexicon.rules["state_org_suffixes"] and len(core) == 1 and core in lexicon.abbreviations:
            state = lexicon.abbreviations[core]
            yield _mention(doc, tok.start, tok.end, text, "Organization", "suffix", key=f"{state}+{suffix}")
            continue
        for offset, ch in enumerate(core, start=tok.start + len(prefix)):
            if ch in lexicon.abbreviations:
                yield _mention(doc, offset, offset + 1, text, "State", "abbreviation",
                               key=f"lex:{lexicon.abbreviations[ch]}")


def _title_at(toks: Sequence[Token], i: int, lexicon: Lexicon) -> tuple[str | None, int]:
    """The longest title or honorific starting at token i (over up to 4 touching tokens)."""
    if i >= len(toks) or toks[i].text not in lexicon.title_prefixes:
        return None, i
    for j in range(min(len(toks), i + 4), i, -1):
        surface = _span_text(toks, i, j)
        if surface and (surface in lexicon.titles or surface in lexicon.honorifics):
            return surface, j
    return None, i


def _name_before(toks: Sequence[Token], j: int, lexicon: Lexicon) -> int:
    """Index of the first token of the name that ends at token j (j + 1 if none)."""
    k = j
    while k >= 0 and j - k < 5:
        tok = toks[k]
        if k < j and not _contiguous(tok, toks[k + 1]):
            break
        if tok.text == "・" and k > 0 and _is_name_token(toks[k - 1], lexicon):
            k -= 1
            continue
        if not _is_name_token(tok, lexicon):
            break
        k -= 1
    return k + 1


def _valid_name(name: str, lexicon: Lexicon) -> bool:
    """A plausible person name: no digits or symbols, not a known state/org, not ignored.

    A reading glossed inside it (寒川(かんがわ)進) is not held against it.
    """
    name = _READING_GLOSS.sub("", name)
    # ヘンリー8世, ウィリアム・C・デュラント, ダウニー・Jr, ジャン=ジャック: parts of names, not debris
    plain = _NAME_PARTS.sub("", name.replace("=", "・").replace("＝", "・"))
    if len(name) < 2 or _NOT_IN_NAME.search(plain) or name.startswith("・") or name.endswith("・"):
        return False
    if re.search(r"[A-Za-z]", plain) and not _LATIN_NAME.match(plain):
        return False
    if re.search(r"[A-Za-z]", plain) and not re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+", plain):
        return False  # Latin script: only "Given Family" (not GCLUYQ, not a headline's word)
    if any(name.endswith(h) for h in lexicon.rules["event_heads"]):
        return False  # ソチオリンピック: an event
    if all(ch in lexicon.abbreviation_chars for ch in name):
        return False  # 欧宇, 米中: state abbreviations
    entry = lexicon.lookup(name)
    return (entry is None or entry.type == "Person") and name_key(name) not in lexicon.ignore


def titled_persons(d: DocInput) -> Iterator[Mention]:
    """A name right before a title or honorific is a person; the title is its position.

    トランプ米大統領 → トランプ (position 大統領, affiliation usa); ペスコフ報道官;
    ゼレンスキー氏; 石破茂首相. A title after a state (ロシア大統領) or a
    pronoun (同大統領, 両首脳) names nobody and yields nothing.
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    by_start = {t.start: k for k, t in enumerate(toks)}
    not_persons = [(s.start, s.end) for s in d.parsed.spans  # the NER head's organizations, but not オジェック監督
                   if s.label == "ORG" and not _ends_with_title(text[s.start:s.end], lexicon)]
    persons = [(s.start, s.end) for s in (*d.parsed.spans, *d.parsed.ents) if s.label in ("PERSON", "Person")]
    person_names = {text[s:e] for s, e in persons}
    clubs = _standalone_orgs(d.parsed, text)
    inside_title = 0  # tokens before this index belong to a title already read (フライト|ディレクター)
    for i, tok in enumerate(toks):
        title, after = _title_at(toks, i, lexicon) if i >= inside_title else (None, i)
        state_in_title = ""
        if title is None and tok.text[:1] in lexicon.abbreviations and tok.text[1:] in lexicon.title_set:
            title, after, state_in_title = tok.text[1:], i + 1, lexicon.abbreviations[tok.text[0]]  # 前|米大統領
        if title is None:
            if i >= inside_title:
                yield from _glued_title(doc, tok, text, lexicon)
            continue
        inside_title = after
        j = i - 1
        if j > 0 and toks[j].text == "担当" and _contiguous(toks[j - 1], toks[j]):
            j -= 2  # ウィトコフ中東担当特使: a descriptor of the title
            title = text[toks[j + 1].start:tok.start] + title
        former = False
        while j >= 0 and toks[j].text in lexicon.modifiers and _contiguous(toks[j], toks[j + 1]):
            former = former or toks[j].text in _FORMER
            j -= 1
        affiliation = state_in_title
        if j >= 0 and _contiguous(toks[j], toks[j + 1]) and not affiliation:
            split = _split_abbreviation(toks[j].text, lexicon)
            entry = lexicon.lookup(toks[j].text)
            if split and not split[0] and not split[2] and len(split[1]) == 1 and split[1] in lexicon.abbreviations:
                affiliation = lexicon.abbreviations[split[1]]
                j -= 1
            elif entry is not None and entry.type != "Person" and j > 0 and _is_name_token(toks[j - 1], lexicon):
                affiliation = entry.id
                j -= 1
        if j < 0 or not _contiguous(toks[j], toks[j + 1]):
            continue
        start = _name_before(toks, j, lexicon)
        if start > j:
            continue
        start = by_start[_past_words_before_name(toks[start].start, toks[j].end, toks, by_start)]  # ドラフト|菊池雄星
        end = _name_before_words(toks[start].start, toks[j].end, toks, by_start)  # 秋山幸二|チーフ (コーチ)
        name_start = _past_descriptor(toks[start].start, end, text)  # メダリスト・寒川進さん
        name_start = _past_club(name_start, end, text, lexicon, clubs)  # ヤクルト・リオス選手
        while start <= j and toks[start].start < name_start:
            start += 1
        if start > j:
            continue
        cut, glued = _glued_state(text[toks[start].start:end], lexicon)
        end -= cut
        name = text[toks[start].start:end]
        if not affiliation and title not in lexicon.rules["state_offices"] \
                and any(s <= toks[start].start and end <= e for s, e in not_persons):
            continue  # ロッテオリオンズ監督: the NER head reads the name as a team (トランプ米大統領 keeps its state)
        if start == j and _KATAKANA_NAME.match(toks[j].text) and "人名" not in toks[j].tag \
                and (title in lexicon.roles or title in lexicon.honorifics or _dictionary_word(toks[j])) \
                and not any(s <= toks[j].start and toks[j].end <= e for s, e in persons):
            continue  # フリーソフトウェア作家: one katakana word before a role, and no name by Sudachi or the NER head
        if start == j and "地名" in toks[j].tag and not any(n.endswith(toks[j].text) for n in person_names):
            continue  # ルイジアナ州知事, アジア代表: a place before the title is its land or side (not ピーター・エレバン's)
        if title in _TEAM_TITLES and affiliation:
            continue  # サッカー日本代表: a state's team, not a person's title
        if _valid_name(name, lexicon):
            yield _titled(doc, toks[start].start, end, text, title, lexicon, affiliation=affiliation or glued,
                          former=former)


# Titles that, after a state, name its team or delegation (日本代表), not a person's post.
_TEAM_TITLES = frozenset({"代表"})
# Modifiers that make a title a former one.
_FORMER = frozenset({"元", "前", "旧"})


def _dictionary_word(tok: Token) -> bool:
    """スカウト, サッカー: a katakana word Sudachi's dictionary knows as a common noun of a kind names are not."""
    return any(kind in tok.tag for kind in ("サ変", "形状詞", "副詞可能", "助数詞"))


def _titled(doc: str, start: int, end: int, text: str, title: str, lexicon: Lexicon, *,
            affiliation: str = "", former: bool = False) -> Mention:
    """A person mention with its title sorted: a position (大統領), a role (選手), or an honorific (氏)."""
    base = title[title.rfind("担当") + 2:] if "担当" in title else title
    if base in lexicon.roles:
        return replace(_mention(doc, start, end, text, "Person", "title", affiliation=affiliation),
                       role=title, former=former)
    position = title if base in lexicon.title_set else ""
    return replace(_mention(doc, start, end, text, "Person", "title", position=position, affiliation=affiliation),
                   former=former)


def _glued_title(doc: str, tok: Token, text: str, lexicon: Lexicon) -> Iterator[Mention]:
    """A title inside one token (Sudachi keeps トランプ大統領 whole): split it off."""
    for size in range(min(len(tok.text) - 2, _LONGEST_TITLE), 0, -1):
        title, name = tok.text[-size:], tok.text[:-size]
        if title in lexicon.roles and "普通名詞" in tok.tag:
            return  # スポーツキャスター: a dictionary word for an occupation, no name in it
        if title in lexicon.title_set and _KATAKANA_NAME.match(name) and _valid_name(name, lexicon):
            yield _titled(doc, tok.start, tok.start + len(name), text, title, lexicon)
            return


def ner_mentions(d: DocInput) -> Iterator[Mention]:
    """GiNZA's Person and organization spans, cleaned; its Country spans are left to the lexicon."""
    doc, toks, text, parsed, lexicon = d.doc, d.toks, d.text, d.parsed, d.lexicon
    types = ene_type_map()
    by_start = {t.start: k for k, t in enumerate(toks)}
    for ent in parsed.ents:
        kind = types.get(ent.label)
        if kind == "Person" and _part_of_a_thing(ent.start, ent.end, text, lexicon):
            continue  # サイクロン「エマ」, 秋田魁|新報, ノーベル|文学賞
        if kind == "Person":
            span = _clean_person(ent.start, ent.end, toks, by_start, text, lexicon)
            if span:
                yield _mention(doc, span[0], span[1], text, "Person", "ner")
        elif kind == "Organization":
            dotted = _dotted_org(ent.start, ent.end, text, toks, by_start, lexicon)
            if dotted is None:
                continue
            start, end = dotted
            if _keep_org(org_name(text[start:end], lexicon), ent.label, lexicon) \
                    and not _all_place(start, end, toks, by_start):
                yield _mention(doc, start, end, text, "Organization", "ner", ene=ent.label,
                               key=_organ_key(d, start, end) or org_key(text[start:end], lexicon))


def model_mentions(d: DocInput) -> Iterator[Mention]:
    """kg's trained NER head (:mod:`kg.ner`): its persons and organizations, cleaned.

    A PERSON span loses a glued title (亀田興毅選手 → 亀田興毅) and must look
    like a name; an ORG span is kept unless it is generic (同社, 両政府), a
    known state's government (日本政府 is the state) or not one phrase.
    """
    doc, toks, text, parsed, lexicon = d.doc, d.toks, d.text, d.parsed, d.lexicon
    by_start = {t.start: k for k, t in enumerate(toks)}
    others = {s.end: s.label for s in parsed.spans if s.label not in ("PERSON", "ORG")}
    places = _places_of(parsed, text, lexicon)
    clubs = _standalone_orgs(parsed, text)
    for span in parsed.spans:
        label = span.label
        if text[span.start - 1:span.start] in ("(", "（") and others.get(span.start - 1) is not None:
            continue  # 国際宇宙ステーション(ISS): another name of a facility, product or place
        if label == "ORG" and (_ends_with_title(text[span.start:span.end], lexicon)
                               or _title_follows(span.end, toks, by_start, text, lexicon)):
            # エベン・モグレン弁護士, トランプ米|大統領: a titled person, not an organization;
            # 国際情勢ジャーナリスト: no name before the title, nobody at all
            label = "PERSON" if _name_sign(span.start, span.end, toks, by_start) else "none"
        if label == "ORG" and _INITIAL_AND_NAME.fullmatch(text, span.start, span.end):
            # F.アロンソ: an initial and a surname, a driver in a race report; the initial stays (M. and R.シューマッハ)
            yield _mention(doc, span.start, span.end, text, "Person", "model")
            continue
        if label == "ORG" and _IN_A_TITLE.match(text, span.end) and re.fullmatch(r"[一-龥]{2,4}", text[span.start:span.end]) \
                and lexicon.lookup(text[span.start:span.end]) is None:
            continue  # 厚生|大臣, 元厚生|事務次官: a ministry's short name inside an office's title
        if label == "PERSON" and _company_shaped(text[span.start:span.end], lexicon):
            label = "ORG"  # ダイムラー・ベンツ社, 宮崎放送: a name with a company's ending is the company
        if label == "PERSON" and text[span.start:span.end] in places:
            continue  # ポクロウシク方面, ルガンスク、ドネツク州: the article uses the name as a place
        if label in ("PERSON", "ORG") and _reading_of_name(span.start, span.end, text):
            continue  # 仰木彬(おおぎ・あきら): the reading of the name before it, no second person or organization
        if label == "PERSON" and _part_of_a_thing(span.start, span.end, text, lexicon):
            continue  # サイクロン「エマ」, 秋田魁|新報, ノーベル|文学賞: a storm's, a paper's, a prize's name
        if label == "PERSON":
            start = _past_descriptor(span.start, span.end, text)
            start = _past_club(start, span.end, text, lexicon, clubs)  # 千葉ロッテ・ベニー
            end = _before_versus(start, span.end, toks, by_start)  # ジェフ千葉|対
            end, post = _name_before_post(start, end, toks, by_start, text, lexicon)  # ロドリゲス・スポーツ相
            cleaned = _clean_person(start, end, toks, by_start, text, lexicon, require_sign=False)
            if cleaned and not _one_common_word(*cleaned, toks, by_start):
                # not ドローン, 共同 (of 共同記者): one common word, no sign of a name; titles find the real ones
                found = _mention(doc, cleaned[0], cleaned[1], text, "Person", "model")
                yield replace(found, position=post) if post and cleaned[1] == end else found
        elif label == "ORG" and _storm_name(span.start, span.end, text, lexicon):
            continue  # ハリケーン・リタ: a storm
        elif label == "ORG":
            start = _past_open_quote(span.start, span.end, text)
            start, end, alias = _split_gloss(start, _before_versus(start, span.end, toks, by_start), text)  # 香港|対
            if any(text.startswith(s, end) for s in lexicon.rules["place_suffixes"]) \
                    or _PLACE_LIST.match(text, end):
                continue  # ドネツク州; ドネツク、ザポリージャ、ヘルソン州: places
            if _citation_author(start, end, text, lexicon):
                continue  # JohnGress"Fivewomenkilled…"。: who wrote a cited English story
            end = _military_unit(text, end, lexicon)  # 国家親衛隊第1軍団
            if _quoted_thing(start, end, text, lexicon):
                continue  # 無人宇宙輸送機「HTV」: a product named in quotes
            end = _known_prefix(start, end, d.earlier, toks, by_start, text)  # ジヤトコ経営|企画部 → ジヤトコ
            start = _past_former(start, end, text, lexicon)  # 旧UFJ → UFJ, named so elsewhere
            dotted = _dotted_org(start, end, text, toks, by_start, lexicon)  # 朝日新聞・読売新聞: two names
            if dotted is None:
                continue
            start, end = dotted
            if _cut_inside_compound(start, end, toks, by_start, lexicon):
                continue  # 国際緊急|援助活動: common words cut out of a longer compound
            proper = _one_proper_noun(start, end, toks, by_start)
            if _keep_org(org_name(text[start:end], lexicon), "", lexicon, trusted=True, proper=proper) \
                    and not _all_place(start, end, toks, by_start) \
                    and not _place_and_known_org(start, end, toks, by_start, text, lexicon):
                yield _mention(doc, start, end, text, "Organization", "model", ene="ORG",
                               key=_organ_key(d, start, end) or org_key(text[start:end], lexicon))
                if alias:  # 川島紡績(カワボウ): the name in brackets is another name of it (see link_appositions)
                    yield _mention(doc, alias[0], alias[1], text, "Organization", "model", ene="ORG")


def _reading_of_name(start: int, end: int, text: str) -> bool:
    """Whether a span is all of a kana reading in brackets right after a kanji name.

    仰木彬(おおぎ・あきら)さん: the NER head reads おおぎ・あきら as a person
    of its own; it is how 仰木彬 is read, and the title rule finds him.
    """
    return start >= 2 and bool(_READING_AFTER_NAME.fullmatch(text, start - 2, end + 1))


# A Latin name opening a line, right before a quoted title: the author slot of a cited story.
_CITATION_AUTHOR = re.compile(r"(?:(?<=\n)|^)[A-Za-z][A-Za-z0-9.,&'/ -]*(?=[\"“])")


def _citation_author(start: int, end: int, text: str, lexicon: Lexicon) -> bool:
    """Whether a span is the author of an English story cited at the end of an article.

    Wikinews cites ``Author"Title"。`` then ``Publisher、date。``, with the spaces
    lost: JohnGress"FivewomenkilledinChicago-areastoreshooting"。 The author is
    a person (JohnGress, StacySt.ClairandDeborahHoran), not an organization;
    an agency written there (AssociatedPress, BBCNEWS) is kept by its word
    (``citation_publisher_words`` in entity_rules.json).
    """
    match = _CITATION_AUTHOR.match(text, start)
    if match is None or match.end() != end:
        return False
    lower = text[start:end].lower()
    return not any(w in lower for w in lexicon.rules["citation_publisher_words"])


# An initial and a katakana surname (F.アロンソ, M.シューマッハ): a person's name in a results list.
_INITIAL_AND_NAME = re.compile(r"[A-Z][.．][ァ-ヺー]{2,}")
# The end of an office's title right after a ministry's short name (厚生|大臣, 厚生|事務次官).
_IN_A_TITLE = re.compile(r"(?:大臣|事務次官|政務官|副大臣)")
# A prize after a name: ノーベル|文学賞, 芥川|賞 (not 受賞, 入賞: the person won it).
_PRIZE = re.compile(r"([一-龥]{0,4})賞")


def _part_of_a_thing(start: int, end: int, text: str, lexicon: Lexicon) -> bool:
    """A span that looks like a person's name but is part of a storm's, a newspaper's or a prize's name.

    サイクロン「エマ」, ハリケーン・リタ (``storm_words`` before it), 秋田魁|新報
    (``press_endings`` right after it), ノーベル|文学賞 (a prize right after it).
    """
    if _storm_name(start, end, text, lexicon):
        return True
    if text.startswith(tuple(lexicon.rules["press_endings"]), end):
        return True
    prize = _PRIZE.match(text, end)
    return prize is not None and not prize.group(1).endswith(("受", "授", "入", "褒"))


def _organ_key(d: DocInput, start: int, end: int) -> str:
    """The key of an organ named by its kind alone (下院, 陸軍): the last named state's, else this article's.

    米国の…。下院は法案を可決した → ``usa+下院``, one node with 米下院; with no
    state named before it, and for an organization's organ (理事会), ``doc:下院``:
    an organ of this article, merged with no other article's. "" for any other name.
    """
    surface = d.text[start:end]
    rules = d.lexicon.rules
    organs = (*rules["bare_organs"]["of_a_state"], *rules["state_org_suffixes"])
    if surface in rules["bare_organs"]["of_an_organization"]:
        return f"{d.doc}:{surface}"  # 理事会: some organization's board, this article's
    for cut in range(len(surface) - 1, 0, -1):  # 米|下院, one token the suffix rule cannot split
        state = d.lexicon.lookup(surface[:cut])
        state_id = state.id if state is not None and state.type == "State" else d.lexicon.abbreviations.get(surface[:cut])
        if state_id and surface[cut:] in organs:
            return f"{state_id}+{surface[cut:]}"
    if surface not in organs:
        return ""
    glued = d.lexicon.abbreviations.get(d.text[start - 1:start]) if start > 0 else None
    if glued:
        return f"{glued}+{surface}"  # 米|下院 as two tokens: the abbreviation rule runs after this one
    states = [m for m in d.earlier if m.type == "State" and m.end <= start and m.key.startswith("lex:")]
    return f"{max(states, key=lambda m: m.start).key[4:]}+{surface}" if states else f"{d.doc}:{surface}"


def _storm_name(start: int, end: int, text: str, lexicon: Lexicon) -> bool:
    """サイクロン「エマ」, ハリケーン・リタ: a storm's name, after or with a storm word."""
    storms = tuple(lexicon.rules["storm_words"])
    return text[max(0, start - 8):start].rstrip("「『“・ ").endswith(storms) or text.startswith(storms, start)


_QUOTES = {"“": "”", "「": "」", "『": "』", "〝": "〟"}


def _past_open_quote(start: int, end: int, text: str) -> int:
    """社会福祉法人“視覚障害者文化振興協会”: a quote opened inside a span and closed after it starts the name."""
    for n in range(end - 1, start - 1, -1):
        close = _QUOTES.get(text[n])
        if close is not None:
            return n + 1 if close not in text[n:end] and text.startswith(close, end) else start
    return start


def _company_shaped(surface: str, lexicon: Lexicon) -> bool:
    """Whether a span ends like an organization's name (…社, …放送, …製作所), past a name of two characters or more.

    One-character endings other than 社 and 党 (省, 局, 軍) end given names too.
    """
    endings = [e for e in (*lexicon.rules["org_suffixes"], *lexicon.rules["company_heads"]) if len(e) > 1 or e in "社党"]
    return any(surface.endswith(e) and len(surface) >= len(e) + 2 for e in endings)


def _span_tokens(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> list[Token]:
    k = by_start.get(start)
    inside = []
    while k is not None and k < len(toks) and toks[k].start < end:
        inside.append(toks[k])
        k += 1
    return inside


def _one_proper_noun(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> bool:
    """Whether a span is one token that Sudachi knows as a proper noun (日本たばこ産業)."""
    inside = _span_tokens(start, end, toks, by_start)
    return len(inside) == 1 and inside[0].end == end and "固有名詞" in inside[0].tag


def _one_common_word(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> bool:
    """A single kanji or hiragana token that Sudachi knows as a common noun (共同, 根本).

    Katakana is left to the NER head: Sudachi calls every foreign name it does
    not know (ポールセン, メレンドルフ) a common noun too.
    """
    inside = _span_tokens(start, end, toks, by_start)
    return len(inside) == 1 and "普通名詞" in inside[0].tag and not _KATAKANA_NAME.match(inside[0].text)



# A list of names whose last one ends in a place suffix: ルガンスク、ドネツク、ヘルソン州 are all places.
_PLACE_LIST = re.compile(r"(?:[、・][^、。\s「」()（）ぁ-ゖ]{1,12}){1,6}?(?:州|県|省|地方|地域)(?![ぁ-ゖ]?[^、。\s]*(?:大学|会社|銀行))")
def _places_of(parsed: ParsedDoc, text: str, lexicon: Lexicon) -> set[str]:
    """Names the article uses as places: tagged a place by the NER head, or followed by a place suffix or cue.

    One sense per article: ポクロウシク方面 makes every ポクロウシク of it a place,
    マラカイで開催 (``place_cues``) and 首都マブート (``place_cues_before``) every マラカイ, マブート.
    """
    places = set()
    suffixes = (*lexicon.rules["place_suffixes"], *lexicon.rules["place_cues"])
    seats = tuple(lexicon.rules["place_cues_before"])
    for span in parsed.spans:
        name = text[span.start:span.end]
        if span.label == "LOC" or text.startswith(suffixes, span.end) or _PLACE_LIST.match(text, span.end) \
                or text.endswith(seats, 0, span.start) \
                or _COUNTED.match(text, span.end):
            places.add(name)
    return places


# A number of organizations: 野党3党, 大手2社, 54のサッカー協会.
_COUNTED_GROUP = re.compile(r"[0-9０-９一二三四五六七八九十]+(?:党|社|国|団体|者|行|局)$|^[0-9０-９]+の")
# A count right after a name: ドローン381機 is a thing.
_COUNTED = re.compile(r"[0-9０-９]+[機台発隻両基個本枚]")
# Heads that end organization names whatever comes before them.
_ORG_HEADS = ("基金", "協会", "財団", "機構", "委員会", "連盟", "大学", "銀行", "会社", "研究所")


def _military_unit(text: str, end: int, lexicon: Lexicon) -> int:
    """国家親衛隊 + 第1軍団: a numbered unit right after an organization is part of its name."""
    unit = _unit_pattern(tuple(lexicon.rules["military_units"]["units"])).match(text, end)
    return unit.end() if unit else end


@lru_cache(maxsize=4)
def _unit_pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    """第35狙撃軍団, 第11中隊第1小隊: 第, a number, up to four kanji of the kind of troops, a unit word; repeated."""
    word = _either(units)
    number = "第[0-9０-９一二三四五六七八九十百千]+"
    return re.compile(rf"{number}(?P<kind>[一-龥]{{0,4}}?)(?:{word})(?:{number}[一-龥]{{0,4}}?(?:{word}))*")


def _quoted_thing(start: int, end: int, text: str, lexicon: Lexicon) -> bool:
    """A name in quotes after a product or work descriptor (輸送機「HTV」, 番組「…」)."""
    if text[start - 1:start] not in ("「", "『") or text[end:end + 1] not in ("」", "』"):
        return False
    before = text[max(0, start - 8):start - 1]
    return any(before.endswith(w) for w in lexicon.rules["quoted_names"]["not_org_descriptors"])


def _past_former(start: int, end: int, text: str, lexicon: Lexicon) -> int:
    """旧UFJ, 旧・ミノルタ: 旧 (former) before a name the lexicon knows or the article uses alone is not part of it.

    The organization is the one the name names, as it was; 旧ユーゴスラビア国際戦犯法廷,
    a name with 旧 in it and never used without, keeps it.
    """
    if not text.startswith("旧", start):
        return start
    rest = start + 1 + text.startswith("・", start + 1)
    name = text[rest:end]
    if lexicon.lookup(name) is not None or len(name) >= 3 and text.count(name) > text.count("旧" + name) \
            + text.count("旧・" + name):
        return rest
    return start


def _known_prefix(start: int, end: int, earlier: Sequence[Mention], toks: Sequence[Token],
                  by_start: dict[int, int], text: str) -> int:
    """ジヤトコ経営 where ジヤトコ is already an organization of this article: cut the common words after it."""
    names = {m.text for m in earlier if m.type == "Organization"}
    surface = text[start:end]
    if any(surface.endswith(s) for s in _ORG_HEADS):
        return end  # 国際連合児童基金: the words after 国際連合 make a name of their own
    for name in sorted(names, key=len, reverse=True):
        rest = surface[len(name):]
        if surface.startswith(name) and rest:
            tail = _span_tokens(start + len(name), end, toks, by_start)
            if tail and all("普通名詞" in t.tag for t in tail):
                return start + len(name)
    return end


def _place_and_known_org(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int], text: str,
                         lexicon: Lexicon) -> bool:
    """欧州NATO: a region before a known organization; the lexicon's mention of it is the one to keep.

    A country before one names the country's own (ドイツ社会民主党 is not 社民党),
    and so does a town or region before a name in Japanese script: 十勝毎日新聞,
    土浦日大, ロンドン警視庁, 大阪維新の会 are bodies of their own, not 毎日新聞,
    日大, 警視庁, 維新の会. Only a Latin name (NATO, NHK: a region before it
    narrows its scope, 福地NHK会長 has a person before it) or an address before
    the name (東京都目黒区|朝日新聞, ``place_suffixes``) leaves the known one.
    """
    inside = _span_tokens(start, end, toks, by_start)
    suffixes = tuple(lexicon.rules["place_suffixes"])
    for n in range(1, len(inside)):
        if all("地名" in t.tag and "地名-国" not in t.tag for t in inside[:n]):
            name = text[inside[n].start:end]
            rest = lexicon.lookup(name)
            if rest is not None and rest.type == "Organization" \
                    and (re.search(r"[A-Za-z]", name) or text[start:inside[n].start].endswith(suffixes)):
                return True
    return False


def _name_sign(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> bool:
    """A token of the span that looks like a name: Sudachi's 人名 tag, or katakana."""
    return any("人名" in t.tag or _KATAKANA_NAME.match(t.text) for t in _span_tokens(start, end, toks, by_start))


def _title_follows(end: int, toks: Sequence[Token], by_start: dict[int, int], text: str, lexicon: Lexicon) -> bool:
    """Whether a title (not a role: ロッテオリオンズ|監督 is a team's) starts right at ``end``, after a state letter."""
    if text[end - 1:end] in lexicon.abbreviations and not _KATAKANA_NAME.match(text[end - 1:end]):
        k = by_start.get(end)
        title = _title_at(toks, k, lexicon)[0] if k is not None else None
        return title is not None and title not in lexicon.roles
    return False


def _ends_with_title(surface: str, lexicon: Lexicon) -> bool:
    """Whether a span ends with a title or honorific after something that could be a name (not 日本代表)."""
    for t in (*lexicon.titles, *lexicon.honorifics):
        if len(t) >= 2 and surface.endswith(t) and len(surface) > len(t) + 1:
            before = surface[: -len(t)]
            return lexicon.lookup(before) is None and not any(  # チリ政府スポークスマン: a post, not a name
                lexicon.lookup(before[:n]) is not None for n in range(2, len(before)))
    return False


def _standalone_orgs(parsed: ParsedDoc, text: str) -> set[str]:
    """Names the NER head reads as an organization standing alone (マーリンズが), never as a person, in the article."""
    orgs = {text[s.start:s.end] for s in parsed.spans if s.label == "ORG" and not text.startswith("・", s.end)}
    return orgs - {text[s.start:s.end] for s in parsed.spans if s.label == "PERSON"}


def _past_club(start: int, end: int, text: str, lexicon: Lexicon, orgs: set[str]) -> int:
    """千葉ロッテ・ベニー, ヤクルト・リオス: a person span that starts with an organization and ・ starts after the ・.

    Sports reports write a player's club, a dot, then the player. The part
    before the first dot is the club when the lexicon knows it as an
    organization or the NER head reads it as one standing alone elsewhere in
    the article, and never as a person (``orgs``: マーリンズが, not the
    エンドン of エンドン・マームード); what is left is two characters or more.
    """
    head, dot, rest = text[start:end].partition("・")
    if not dot or len(rest) < 2:
        return start
    entry = lexicon.lookup(head)
    if head in orgs or entry is not None and entry.type == "Organization":
        return start + len(head) + 1
    return start


def _past_descriptor(start: int, end: int, text: str) -> int:
    """メダリスト・寒川進, 清水寺・森清範: a kanji name after a word and ・ starts after the ・."""
    surface = text[start:end]
    if "・" not in surface:
        return start
    head, _, last = surface.rpartition("・")
    if _KANJI_PERSON.fullmatch(last) and not _KANJI_PERSON.fullmatch(head.replace("・", "")):
        return start + len(head) + 1
    return start


_KANJI_PERSON = re.compile(r"[一-龥々ヶ]{2,6}(?:[(（][ぁ-ゖー]+[)）][一-龥々]{1,3})?")
_GLOSS = re.compile(r"^(.+?)[(（]([^()（）]+)[)）]$")


def _split_gloss(start: int, end: int, text: str) -> tuple[int, int, tuple[int, int] | None]:
    """川島紡績(カワボウ) → the name, and the bracketed other name (not a hiragana reading: 寒川(かんがわ))."""
    match = _GLOSS.match(text[start:end])
    if match is None:
        return start, end, None
    inner = match.group(2)
    alias = None if re.fullmatch(r"[ぁ-ゖー・\s]+", inner) else (start + match.start(2), start + match.end(2))
    return start, start + match.end(1), alias


def _glued_state(name: str, lexicon: Lexicon) -> tuple[int, str]:
    """ブレーケルマンスオランダ → (4, "nld"): a state name glued after a katakana name."""
    for cut in range(3, len(name) - 1):  # not タイ, チャド: short state names end names too (サティラタイ)
        entry = lexicon.lookup(name[-cut:])
        if entry is not None and entry.type == "State" and _KATAKANA_NAME.match(name[:-cut]):
            return cut, entry.id
    return 0, ""


def _all_place(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> bool:
    """Whether Sudachi tags every token of a span as a place name (オデッサ as an "organization")."""
    k = by_start.get(start)
    inside = []
    while k is not None and k < len(toks) and toks[k].start < end:
        inside.append(toks[k])
        k += 1
    return bool(inside) and all("地名" in t.tag for t in inside)


def _dotted_org(start: int, end: int, text: str, toks: Sequence[Token], by_start: dict[int, int],
                lexicon: Lexicon) -> tuple[int, int] | None:
    """An organization span with a ・ in it, as the one name it holds, or ``None`` when it holds none.

    The NER head reads 朝日新聞・読売新聞 (a list of sources) and 南アフリカ・マンデラ
    (a state, then a person) as one organization. A span whose parts are each
    a known name is that list: ``None``, the lexicon finds each part. A dot at
    either end is cut off (山口県警・), and the span goes when what is left is
    no known name and no proper noun (サッカー・, 旧・). After a known state and a dot, the
    rest is the organization when it ends like a name of its own (アメリカ・タワーレコード社;
    ``state_prefixed_endings`` in ``entity_rules.json``), and there is none
    when the rest is a person's or a place's name, as Sudachi tags it
    (スペイン・バルセロナ) or GiNZA calls a proper noun Sudachi does not know (ウルグアイ・スアレス).
    """
    whole = start, end
    while start < end and text[start] == "・":
        start += 1
    while end > start and text[end - 1] == "・":
        end -= 1
    if (start, end) != whole and lexicon.lookup(text[start:end]) is None \
            and not any(t.pos == "PROPN" for t in _span_tokens(start, end, toks, by_start)):
        return None  # サッカー・|J1リーグ, 旧・: a word before a name, not a name
    parts = text[start:end].split("・")
    if len(parts) < 2 or not all(parts):
        return (start, end) if start < end else None
    if all(lexicon.lookup(part) is not None for part in parts):
        return None
    first = lexicon.lookup(parts[0])
    if first is None or first.type != "State":
        return start, end
    rest = start + len(parts[0]) + 1
    if any(text[rest:end].endswith(e) for e in lexicon.rules["state_prefixed_endings"]):
        return rest, end
    inside = _span_tokens(rest, end, toks, by_start)
    if inside and all("人名" in t.tag or "地名" in t.tag or (t.pos == "PROPN" and "普通名詞" in t.tag)
                      for t in inside):
        return None
    return start, end


def _name_before_post(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int], text: str,
                      lexicon: Lexicon) -> tuple[int, str]:
    """Where the name ends in a person span that runs on into the words of a post, and the post if the span holds it.

    The NER head reads a foreign name and what follows it as one person:
    ジョン・スノー|米国 (財務長官), エドムンド・ライエス|下院 (議員),
    マーディ・ダクラッラー|情報相, ロドリゲス・|スポーツ相. The name is a
    katakana name with a ・ in it or a token Sudachi tags as a name; the rest
    holds no name token, holds a kanji, starts glued to a full name or after a
    ・, and is a post: it ends in a title or in 相 (a minister), or a title
    follows the span. Names with kanji parts (ラモス瑠偉, テリー伊藤) keep them:
    Sudachi tags those parts as names.
    """
    inside = _span_tokens(start, end, toks, by_start)
    for c in range(len(inside) - 1, 0, -1):  # the longest name first: ハンス・ブリックス|前 (事務局長), not ハンス
        head, tail = inside[:c], inside[c:]
        dotted = head[-1].text == "・"
        name = head[:-1] if dotted else head
        if not name or "地名" in name[-1].tag or any("人名" in t.tag for t in tail) \
                or not re.search(r"[一-龥]", text[tail[0].start:end]):
            continue  # …・ブランデンブルグ|州: a place ends no name
        name_text = text[name[0].start:name[-1].end]
        if tail[0].text in lexicon.rules["place_suffixes"]:
            return end, ""  # プラツェク|州首相: cut here, the name would read as a place (see _clean_person)
        if dotted:  # the word after the dot a kanji, a place or a dictionary word, not a surname Sudachi lacks
            ok = _KATAKANA_NAME.match(name_text) and (
                "・" in name_text or any("人名" in t.tag for t in name)) and (
                re.match(r"[一-龥]", tail[0].text) or "地名" in tail[0].tag or _dictionary_word(tail[0]))
        else:  # glued: ヒラリー・ベン|イギリス国際開発相
            ok = _KATAKANA_NAME.match(name_text) and "・" in name_text \
                and (re.match(r"[一-龥]", tail[0].text) or "地名" in tail[0].tag) and "接尾辞" not in tail[0].tag
        if not ok or any(len(part) < 2 for part in name_text.split("・")):
            continue  # セ・パ統一: single letters, no name
        rest = text[tail[0].start:end]
        post = rest if rest.endswith("相") or any(rest.endswith(t) for t in lexicon.titles) else ""
        nxt = by_start.get(end)
        if post or (nxt is not None and _title_at(toks, nxt, lexicon)[0] is not None):
            return name[-1].end, post
        return end, ""
    return end, ""


#: Sections of an office, glued before 長 (公園課長, 総務部長): never the end of a name.
_UNITS = frozenset("課部局室係班")


def _clean_person(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int], text: str,
                  lexicon: Lexicon, *, require_sign: bool = True) -> tuple[int, int] | None:
    """Trim a glued title or a role before the name (エース|金田), add a following given name (塩入 + 清香), check the name."""
    k = by_start.get(start)
    while k is not None and k + 1 < len(toks) and toks[k].text in lexicon.rules["person_prefixes"] \
            and toks[k + 1].end <= end and (toks[k + 1].text == "・" or "人名" in toks[k + 1].tag):
        k += 1 + (toks[k + 1].text == "・")  # エース・ボビー・ジェンクス: the dot goes with the role
        start = toks[k].start
    surface = text[start:end]
    for title in (*lexicon.titles, *lexicon.honorifics):
        if surface.endswith(title) and len(surface) > len(title):
            end -= len(title)
            surface = surface[: -len(title)]
            break
    if surface[-1:] in lexicon.modifiers and len(surface) > 2 \
            and _title_at(toks, by_start.get(end, len(toks)), lexicon)[0] is not None:
        end -= 1  # 岡田新|監督 → 岡田
        surface = surface[:-1]
    if surface and surface[-1] in lexicon.abbreviations and len(surface) > 2 \
            and _title_at(toks, by_start.get(end, len(toks)), lexicon)[0] is not None:
        end -= 1  # トランプ米|大統領 → トランプ (not 金正日, not マルセロ)
        surface = surface[:-1]
    k = by_start.get(start)
    inside = []
    while k is not None and k < len(toks) and toks[k].start < end:
        inside.append(toks[k])
        k += 1
    while len(inside) > 1 and "地名" in inside[-1].tag and "地名" not in inside[-2].tag and text.startswith("担当", end):
        end = inside.pop().start  # ウィトコフ中東|担当特使: the region is the post's (ファイティング原田|選手 keeps 原田)
        surface = text[start:end]
    if text.startswith("長", end) and surface[-1:] in _UNITS:
        while len(inside) > 1 and "人名" not in inside[-1].tag:
            end = inside.pop().start  # 城田峰生|公園課|長: the section heads the title, not the name
        surface = text[start:end]
    last = inside[-1] if inside else None
    nxt = toks[last.i + 1] if last and last.i + 1 < len(toks) else None
    if last and nxt and "人名-姓" in last.tag and "人名-名" in nxt.tag and _contiguous(last, nxt):
        end = nxt.start + len(nxt.text.split("(")[0].split("（")[0])
        surface = text[start:end]
    elif last and nxt and _contiguous(last, nxt) and _KATAKANA_NAME.match(last.text) \
            and _is_name_token(nxt, lexicon) and _KATAKANA_NAME.match(nxt.text) and last.end == end:
        end = nxt.end  # ジョン・ラット|クリフ: GiNZA stopped inside the surname
        surface = text[start:end]
    cut, _ = _glued_state(surface, lexicon)
    end -= cut
    surface = surface[: len(surface) - cut]
    if inside and all("地名" in t.tag for t in inside):
        return None  # クリミア, tagged a place name by Sudachi
    if require_sign and not any("人名" in t.tag for t in inside) \
            and not (_KATAKANA_NAME.match(surface) and "・" in surface):
        return None  # no sign of a name: GiNZA's guess alone (参院選, リベラル, 政治家・外交官) is too weak
    after = text[end:end + 2]
    if any(after.startswith(s) for s in lexicon.rules["place_suffixes"]):
        return None
    start = _past_words_before_name(start, end, toks, by_start)  # 千葉ロッテ|荻野貴司
    k = by_start.get(end)
    if k is not None and _title_at(toks, k, lexicon)[0] is not None:
        end = _name_before_words(start, end, toks, by_start)  # 小野剛|技術 (委員長)
    return (start, end) if _valid_name(text[start:end], lexicon) else None


def _name_before_words(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> int:
    """Where a full name ends in a person span that runs on, before a title, into the words of the post.

    小野剛|技術 (委員長), 春口広|ラグビー部 (監督), 秋山幸二|チーフ (コーチ),
    堀江貴文|ライブドア (社長): the span holds a kanji surname of two characters
    or more and a given name (Sudachi's 人名-姓, 人名-名), then words none of
    which is tagged a name; the caller has seen a title right after the span.
    A single character after the given name is Sudachi splitting a name it does
    not know (掛端亮|冶, 多田恕|明), and the name stays whole.
    """
    inside = _span_tokens(start, end, toks, by_start)
    if not inside or inside[-1].end != end:
        return end
    for a in range(len(inside) - 2):
        surname, given, rest = inside[a], inside[a + 1], inside[a + 2:]
        if "人名-姓" in surname.tag and "人名-名" in given.tag and _contiguous(surname, given) \
                and re.fullmatch(r"[一-龥々ヶ]{2,}", surname.text) and len(rest[0].text) >= 2 \
                and not any("人名" in t.tag for t in rest):
            return given.end
    return end


def _past_words_before_name(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> int:
    """Where a full name starts in a person span that takes in words glued before it.

    A player list or a headline glues the team or the event to the name:
    千葉ロッテ|荻野貴司, ドラフト|菊池雄星. When the span ends in a surname and a
    given name (Sudachi's 人名-姓 and 人名-名) and nothing before them is
    tagged a name, the words before are no part of it; the club is found as
    an organization on its own. A name with other name parts (テリー伊藤,
    アントニオ猪木: no given name after the surname) is left whole, and so is
    one whose surname is a single character or not kanji: that is Sudachi
    splitting a name it does not know (東郷|護|靖, 馬|永|成元, フタバ|スズキ|リュウ).
    """
    inside = _span_tokens(start, end, toks, by_start)
    if len(inside) < 3 or inside[-1].end != end:
        return start
    surname, given = inside[-2], inside[-1]
    if "人名-姓" in surname.tag and "人名-名" in given.tag and _contiguous(surname, given) \
            and re.fullmatch(r"[一-龥々ヶ]{2,}", surname.text) \
            and not any("人名" in t.tag for t in inside[:-2]):
        return surname.start
    return start


def _kind_of_business(surface: str, lexicon: Lexicon) -> bool:
    """広告会社, 外資系保険会社: only words for kinds of business, then 会社 or 企業 (entity_rules.json)."""
    head = next((h for h in lexicon.rules["business_heads"] if surface.endswith(h)), None)
    if head is None:
        return False
    rest = surface[: -len(head)]
    while rest:
        kind = next((k for k in lexicon.business_kinds if rest.startswith(k)), None)
        if kind is None:
            return False
        rest = rest[len(kind):]
    return True


def _keep_org(surface: str, label: str, lexicon: Lexicon, *, trusted: bool = False, proper: bool = False) -> bool:
    """An NER organization span is kept if it is a named institution, not a generic phrase.

    GiNZA's ENE spans must also end in an institution suffix or look like a
    name (katakana, an acronym); the ``trusted`` spans of kg's own head, trained
    for exactly this, need not. A ``proper`` span, one word Sudachi knows as a
    proper noun, may end in a head that ends companies as well as industries
    (日本たばこ産業, not 自動車産業).
    """
    rules = lexicon.rules
    if lexicon.lookup(surface) is not None or name_key(surface) in lexicon.ignore:
        return False  # the lexicon rule covers it
    if surface in lexicon.title_set or _COUNTED_GROUP.search(surface) or re.fullmatch(r"[0-9０-９]+[一-龥]", surface):
        return False  # 国務相: a title; 野党3党, 2社: a count of organizations; 2軍, 1部: a squad, no name
    if "\n" in surface or sum(surface.count(c) for c in _OPEN) != sum(surface.count(c) for c in _CLOSE):
        return False
    if surface in rules["generic_referents"]:
        return False  # 政府, 委員会: a word for any of them, not a name
    prefix = next((p for p in rules["generic_prefixes"] if surface.startswith(p)), None)
    if prefix and (not trusted or surface[len(prefix):] in rules["generic_referents"]):
        return False  # 同社, 両政府; names may start so too (全日本空輸, 同志社大学, 自由党)
    generic = [h for h in (*rules["generic_heads"], *_kind_words(lexicon, groups=("adherents", "followers")))
               if not (proper and h in rules["company_heads"])]  # 浦和サポーター: a group of followers, no body
    if any(surface.endswith(h) for h in (*generic, *rules["event_heads"], *rules["facility_heads"])):
        return False
    if _kind_of_business(surface, lexicon):
        return False  # 広告会社, 大手証券会社: what kind of company, not which
    for suffix in rules["state_as_government_suffixes"]:
        if surface.endswith(suffix) and lexicon.lookup(surface[: -len(suffix)]) is not None:
            return False  # 日本政府 is read as the state 日本
    if _state_side(surface, lexicon) or _tournament_group(surface, lexicon):
        return False  # 日本チーム, ドイツチーム: the state's side; A組, リーグF組: a group of a tournament
    if trusted and all(ch in lexicon.abbreviation_chars for ch in _strip_compound_word(surface, lexicon)):
        return False  # 英仏独, 中露同盟: state abbreviations, read one by one by the abbreviation rule
    if trusted and (":" in surface or "：" in surface or surface.endswith(("=", "＝"))
                    or len(re.findall(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", surface)) >= 3):
        return False  # "Integrated Air and Missile Defense : I AMD", "U n i f i e d": not one name
    if trusted:
        latin = re.match(r"[A-Za-z][A-Za-z0-9&-]*", surface)  # R&B, J-POP whole
        return not re.fullmatch(r"[\W\d_]+", surface) and not (latin and latin.group() in rules["latin_stopwords"])
    if any(surface.endswith(s) and len(surface) > len(s) for s in rules["org_suffixes"]):
        return True
    if label not in rules["org_ner_labels"]:
        return False
    if re.fullmatch(r"[A-Z]{2,6}", surface):
        return surface not in rules["latin_stopwords"]  # an acronym (ANN); not ESS-like URL debris, see url_spans
    return bool(_KATAKANA_NAME.match(surface))


def _state_side(surface: str, lexicon: Lexicon) -> bool:
    """日本チームは米国チームを3-1で倒し: a known state and a word for its side (``state_side_suffixes``).

    The side is no organization of its own; the state is found by the lexicon.
    Named teams keep their names (日本代表チーム is not a state and a suffix).
    """
    for suffix in lexicon.rules["state_side_suffixes"]:
        if surface.endswith(suffix) and len(surface) > len(suffix):
            entry = lexicon.lookup(surface[: -len(suffix)])
            if entry is not None and entry.type == "State":
                return True
    return False


def _tournament_group(surface: str, lexicon: Lexicon) -> bool:
    """1次リーグA組, 予選リーグF組: one Latin letter and a word for a group is a group of a tournament, not a body."""
    words = _either(lexicon.rules["tournament_group_words"])
    return re.search(rf"(?<![A-Za-zＡ-Ｚａ-ｚ])[A-ZＡ-Ｚ](?:{words})$", surface) is not None


def _cut_inside_compound(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int],
                         lexicon: Lexicon) -> bool:
    """Whether a span of kanji common nouns stops, on a verbal or adjectival noun, inside a longer compound.

    陸上自衛隊が国際緊急|援助活動等を行う: the NER head cut 国際緊急 out of
    国際緊急援助活動, a kind of work, not a body (so 米艦隊機移駐|容認, 旧武装|勢力).
    The span is two words or more, all kanji common nouns, and its last word
    is one Sudachi knows as a verbal or adjectival noun (移駐, 緊急), not the
    ending of an institution (``org_suffixes``, ``institution_heads``,
    ``company_heads``); a kanji common noun follows, glued, and is no title
    (日本代表|監督 stays). Words that end names of bodies (同盟, 会議, 学部)
    are no verbal nouns, so a body cut off before a word (常任幹部会|委員) stays too.
    """
    inside = _span_tokens(start, end, toks, by_start)
    k = by_start.get(end)
    if len(inside) < 2 or inside[-1].end != end or k is None or not _contiguous(inside[-1], toks[k]):
        return False
    rules = lexicon.rules
    heads = (*rules["org_suffixes"], *rules["institution_heads"], *rules["company_heads"])
    last, nxt = inside[-1], toks[k]
    if any("固有名詞" in t.tag or "普通名詞" not in t.tag or not re.fullmatch(r"[一-龥々]+", t.text) for t in inside) \
            or not ("サ変可能" in last.tag or "形状詞可能" in last.tag) or any(last.text.endswith(h) for h in heads):
        return False
    if nxt.text == "対" or _title_at(toks, k, lexicon)[0] is not None:
        return False  # 日本代表|対, 日本代表|監督: a body before a match or a title is the body
    return "普通名詞" in nxt.tag and re.fullmatch(r"[一-龥々]+", nxt.text) is not None


def _before_versus(start: int, end: int, toks: Sequence[Token], by_start: dict[int, int]) -> int:
    """香港対オランダ, 鹿島対川崎F戦: a span that takes in 対 (versus) ends before it; the other side follows."""
    inside = _span_tokens(start, end, toks, by_start)
    if len(inside) > 1 and inside[-1].text == "対" and inside[-1].end == end:
        return inside[-1].start
    return end


def _strip_compound_word(surface: str, lexicon: Lexicon) -> str:
    """英仏独 → 英仏独, 中露同盟 → 中露: what is left of a compound before its trigger noun."""
    for word in sorted(lexicon.rules["compound_words"], key=len, reverse=True):
        if surface.endswith(word) and len(surface) > len(word):
            return surface[: -len(word)]
    return surface


def suffix_mentions(d: DocInput) -> Iterator[Mention]:
    """Institutions named by a state, place or person and a suffix.

    ロシア + 軍 → Organization ロシア軍 (key russia+軍, so 露軍 and ロシア軍 are one);
    キエフ + 政権, トランプ + 政権 → an administration, an Organization of its own.
    """
    doc, toks, text, candidates, lexicon = d.doc, d.toks, d.text, d.earlier, d.lexicon
    by_end = {t.end: k for k, t in enumerate(toks)}
    suffixes = lexicon.rules["state_org_suffixes"]
    ending_at: dict[int, list[Mention]] = {}  # candidates by end offset: a lookup, not a scan per mention
    for c in candidates:
        ending_at.setdefault(c.end, []).append(c)
    for m in candidates:
        if m.type != "State" or not m.key.startswith("lex:") or m.end not in by_end:
            continue
        if m.source == "abbreviation" and m.start > 0 and text[m.start - 1] in ABBREVIATION_PREFIXES:
            continue  # 親露政権 is a pro-Russian government, not Russia's
        k = by_end[m.end] + 1
        for j in range(min(len(toks), k + 3), k, -1):
            surface = _span_text(toks, k, j)
            if surface in suffixes and _contiguous(toks[k - 1], toks[k]):
                state = m.key[4:]
                start = _host_state_start(m, ending_at.get(m.start, []), text)
                yield _mention(doc, start, toks[j - 1].end, text, "Organization", "suffix",
                               key=f"{state}+{surface}" if start == m.start else "")
                break
    for i, tok in enumerate(toks):
        glued = next((s for s in lexicon.rules["administration_suffixes"]
                      if tok.text.endswith(s) and len(tok.text) > len(s)), None)
        if glued and _KATAKANA_NAME.match(tok.text[: -len(glued)]) and _valid_name(tok.text[: -len(glued)], lexicon):
            yield _mention(doc, tok.start, tok.end, text, "Organization", "suffix")  # トランプ政権, one token
            continue
        if tok.text not in lexicon.rules["administration_suffixes"] or i == 0:
            continue
        j = i - 1
        k = j
        while k >= 0 and j - k < 4 and ("固有名詞" in toks[k].tag or _KATAKANA_NAME.match(toks[k].text)
                                        or (toks[k].text == "・" and k > 0)):
            if k < j and not _contiguous(toks[k], toks[k + 1]):
                break
            k -= 1
        if k + 1 > j or not _contiguous(toks[j], tok):
            continue
        head = text[toks[k + 1].start:toks[j].end]
        entry = lexicon.lookup(head)
        if entry is not None and entry.type == "State":
            continue  # ウクライナ政権: handled above as a state institution
        if _valid_name(head, lexicon) or "地名" in toks[j].tag:
            yield _mention(doc, toks[k + 1].start, tok.end, text, "Organization", "suffix")


def affiliated_institutions(d: DocInput) -> Iterator[Mention]:
    """An organization, 付属 or 附属, then a school or hospital: the affiliated institution, one organization.

    駒澤大学付属苫小牧高等学校, 大阪大学医学部附属病院, 日本医科大学付属病院:
    the school is not the university, and not 苫小牧高等学校 either (data:
    ``affiliated`` in entity_rules.json: the linking words, the heads an
    affiliated institution ends in, how long its own name may be). 附属 and 付属
    are one word to :func:`~kg.names.name_key`.
    """
    doc, toks, text, rules = d.doc, d.toks, d.text, d.lexicon.rules["affiliated"]
    pattern = _affiliated_pattern(tuple(rules["links"]), tuple(rules["heads"]), rules["max_name"])
    ends = {t.end for t in toks}
    for owner in d.earlier:
        if owner.type != "Organization":
            continue
        match = pattern.match(text, owner.end)
        if match is not None and match.end() in ends:
            yield _mention(doc, owner.start, match.end(), text, "Organization", "affiliated")


@lru_cache(maxsize=4)
def _affiliated_pattern(links: tuple[str, ...], heads: tuple[str, ...], max_name: int) -> re.Pattern[str]:
    """(a faculty, 医学部) a link word (付属), up to ``max_name`` characters of name (苫小牧), a head (高等学校)."""
    return re.compile(rf"(?:[一-龥]{{1,4}}部)?(?:{_either(links)})[一-龥々ァ-ヺーヶ]{{0,{max_name}}}?(?:{_either(heads)})")


def _either(words: Iterable[str]) -> str:
    """A regular expression alternation of the words, the longest first (高等学校 before 学校)."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def place_institutions(d: DocInput) -> Iterator[Mention]:
    """A place name glued to an institution suffix is an organization (data: ``place_institutions``).

    京都地裁 → Organization, keyed 京都+地方裁判所 so 京都地方裁判所 is the same one;
    茨城県警, 札幌地検, 南丹市役所; 広島|県議会議員 (one token with the title) → 広島県議会.
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    table: dict[str, str] = lexicon.rules["place_institutions"]["suffixes"]
    longest = max(map(len, table))
    for i in range(1, len(toks)):
        glued = next((s for s in table if toks[i].text.startswith(s) and toks[i].text[len(s):] in lexicon.title_set), None)
        if glued is not None and _contiguous(toks[i - 1], toks[i]) and not _compound_goes_on(toks, i):
            start = _place_before(toks, i - 1)  # 広島|県議会議員: the assembly inside its member's title
            if start is not None:
                place = name_key(text[toks[start].start:toks[i].start])
                yield _mention(doc, toks[start].start, toks[i].start + len(glued), text, "Organization", "institution",
                               key=f"{place}+{table[glued]}")
            continue
        for j in range(min(len(toks), i + 3), i, -1):
            suffix = _span_text(toks, i, j)
            if suffix is None or suffix not in table or not _contiguous(toks[i - 1], toks[i]):
                continue
            if _compound_goes_on(toks, j - 1):
                break  # 東京都大学|リーグ: the league, not the university
            start = _place_before(toks, i - 1)
            if start is not None:
                place = name_key(text[toks[start].start:toks[i].start])
                yield _mention(doc, toks[start].start, toks[j - 1].end, text, "Organization", "institution",
                               key=f"{place}+{table[suffix]}")
            break
        else:
            tok = toks[i]  # 茨城県警 as one token: the suffix inside it
            if _compound_goes_on(toks, i):
                continue
            for size in range(min(longest, len(tok.text) - 1), 1, -1):
                suffix, place = tok.text[-size:], tok.text[:-size]
                if suffix in table and "地名" in tok.tag or suffix in table and place.endswith(_PLACE_ENDS):
                    yield _mention(doc, tok.start, tok.end, text, "Organization", "institution",
                                   key=f"{name_key(place)}+{table[suffix]}")
                    break


def _stands_alone(toks: Sequence[Token], j: int, text: str) -> bool:
    """A club's short name ending at token j names the club: no noun goes on (阪神|大震災), no source follows.

    中日によると cites the newspaper 中日 stands for, not the Dragons.
    """
    return not _compound_goes_on(toks, j) and not text.startswith(("によると", "によれば"), toks[j].end)


def _compound_goes_on(toks: Sequence[Token], j: int) -> bool:
    """Whether the noun compound ending at token j continues in the same phrase (東京都大学|リーグ)."""
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return nxt is not None and nxt.bunsetu != "B" and nxt.pos in ("NOUN", "PROPN") and _contiguous(toks[j], nxt) \
        and "接尾" not in nxt.tag


# Endings of a place name in Japanese (茨城県, 京都市, 西京区).
_PLACE_ENDS = ("都", "道", "府", "県", "市", "区", "町", "村", "郡")


def _place_before(toks: Sequence[Token], j: int) -> int | None:
    """The first token of the place name ending at token j (京都, 茨城県, 京都市西京), if it is one."""
    k = j
    while k >= 0 and j - k < 4 and ("地名" in toks[k].tag or toks[k].text in _PLACE_ENDS and k < j) \
            and (k == j or _contiguous(toks[k], toks[k + 1])):
        k -= 1
    return k + 1 if k < j and "地名" in toks[k + 1].tag else None


def compound_institutions(d: DocInput) -> Iterator[Mention]:
    """A compound noun that starts with a proper noun and ends in an institution or trade word.

    Data: ``institution_heads`` (協会, 大学) and ``company_heads`` (紡績,
    製作所: after a family or place name, not a state: ドイツ自動車 is an
    industry). 日本漢字能力検定協会, 愛知県立起工業高等学校, 川島紡績: the proper noun
    (a place, a name) makes it one institution, where 漢字能力検定協会 alone
    could be any. The compound is one phrase of touching nouns; a lexicon
    entry is the lexicon rule's. One token Sudachi knows as a proper noun and
    that ends in an institution word is a name of its own (民主党, 日本|民主党公認).
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    heads = tuple(lexicon.rules["institution_heads"])
    trades = tuple(lexicon.rules["company_heads"])
    for j, tok in enumerate(toks):
        core = re.split(r"[(（]", tok.text)[0]  # 紡績(カワボウ): one token with its reading
        last_two = (_span_text(toks, max(0, j - 1), j) or "") + core  # 高等|学校
        if tok.pos not in ("NOUN", "PROPN") or not last_two.endswith(heads + trades):
            continue
        if "固有名詞" in tok.tag and core.endswith(heads) and not any(core == h for h in heads):
            yield from _named_institution(d, j, len(core))  # 民主党, 日本|民主党公認: Sudachi knows the name
            continue
        if _compound_goes_on(toks, j):
            continue  # 日本銀行券: the compound's end is not here
        k = j
        while k > 0 and toks[k].bunsetu != "B" and toks[k - 1].pos in ("NOUN", "PROPN") \
                and _contiguous(toks[k - 1], toks[k]):
            k -= 1
        while k < j and "固有名詞" not in toks[k].tag:
            k += 1  # 公財・|日本…: the name starts at its first proper noun
        if k == j:
            continue  # 漢字能力検定協会, 東京大学 in one token: no proper noun before the institution word
        end = tok.start + len(core)
        surface = text[toks[k].start:end]
        first = lexicon.lookup(toks[k].text)
        if not last_two.endswith(heads) and (first is not None and first.type == "State" or "人名-名" in toks[k].tag):
            continue  # ドイツ自動車: a country's industry, not a company (川島紡績 is one)
        if lexicon.lookup(surface) is None:
            yield _mention(doc, toks[k].start, end, text, "Organization", "compound")


def _named_institution(d: DocInput, j: int, size: int) -> Iterator[Mention]:
    """A proper-noun token ending in an institution word, with the proper nouns glued before it (日本|民主党)."""
    toks, text, lexicon = d.toks, d.text, d.lexicon
    k = j
    while k > 0 and toks[k].bunsetu != "B" and "固有名詞" in toks[k - 1].tag and _contiguous(toks[k - 1], toks[k]):
        k -= 1
    if _after_name_prefix(toks, k, lexicon):
        k -= 1  # 国際|陸上競技連盟, キリスト教|民主党: another body than the name without the word
    start, end = toks[k].start, toks[j].start + size
    if any(s.label == "ORG" and s.start <= start and end < s.end for s in d.parsed.spans):
        return  # 駿河台大学|法学研究科: the NER head reads a longer name, its rule keeps it whole
    if lexicon.lookup(text[start:end]) is None and name_key(text[start:end]) not in lexicon.ignore:
        yield _mention(d.doc, start, end, text, "Organization", "compound")


def military_units(d: DocInput) -> Iterator[Mention]:
    """A numbered military unit is an organization (data: ``military_units``).

    第57狙撃師団, 第11中隊第1小隊, 歩兵第1旅団 (a branch before 第 is part of the
    name); 陸上自衛隊第1師団, after an organization an earlier rule found, is
    that organization's unit. A title glued to the unit (旅団長) is left out;
    第2次, 第3回 (a counter after the number) make no unit.
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    data = lexicon.rules["military_units"]
    pattern = _unit_pattern(tuple(data["units"]))
    by_start = {t.start: k for k, t in enumerate(toks)}
    org_starts = {m.end: m.start for m in d.earlier if m.type == "Organization"}
    for k, tok in enumerate(toks):
        match = pattern.match(text, tok.start) if tok.text.startswith("第") else None
        if match is None or not _unit_words(match, toks, by_start, lexicon):
            continue
        start = tok.start
        if k > 0 and _contiguous(toks[k - 1], tok) and toks[k - 1].text in data["branches"]:
            start = toks[k - 1].start  # 歩兵|第1旅団
        elif tok.start in org_starts:
            start = org_starts[tok.start]  # 陸上自衛隊|第1師団
        yield _mention(doc, start, match.end(), text, "Organization", "unit")


def _unit_words(match: re.Match[str], toks: Sequence[Token], by_start: dict[int, int], lexicon: Lexicon) -> bool:
    """Whether a unit match keeps to words: its kind is common nouns (狙撃, not 次 of 第2次), its end a word's end or a title's start (旅団|長)."""
    kind_start, kind_end = match.span("kind")
    if kind_start < kind_end:
        if kind_start not in by_start:
            return False
        inside = _span_tokens(kind_start, kind_end, toks, by_start)
        if any("普通名詞" not in t.tag or "助数詞" in t.tag for t in inside):
            return False
    last = next((t for t in toks[by_start.get(match.start(), 0):] if t.end >= match.end()), None)
    if last is None:
        return False
    rest = last.text[len(last.text) - (last.end - match.end()):] if last.end > match.end() else ""
    return not rest or rest == "長" or rest in lexicon.title_set


def family_houses(d: DocInput) -> Iterator[Mention]:
    """A family name before 家, a token of its own, is a house, an organization (data: ``house_suffixes``).

    ハプスブルク家, 垂水家 (a surname), 伊達家 (a family named for its seat,
    tagged a place); not 作家 or 専門家 (one word), not 徳川家康 (家 inside
    the given name). A person's name before 派 is a faction (福田派; data:
    ``faction_suffixes``), not シーア派 or 保守派.
    """
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    suffixes = lexicon.rules["house_suffixes"]["suffixes"]
    factions = lexicon.rules["faction_suffixes"]["suffixes"]
    for k in range(1, len(toks)):
        tok, before = toks[k], toks[k - 1]
        if tok.text not in (*suffixes, *factions) or not _contiguous(before, tok):
            continue
        if tok.text in factions and "人名" not in before.tag:
            continue  # シーア派, 改革派: a faction is named for a person
        start = _name_before(toks, k - 1, lexicon)
        if start > k - 1 and "地名" in before.tag and "地名-国" not in before.tag:
            start = k - 1  # 伊達|家: a house named for its seat
        if start > k - 1 or start == k - 1 and "固有名詞" not in before.tag and _dictionary_word(before):
            continue
        if tok.text in factions and start > 0 and "接頭辞" in toks[start - 1].tag:
            continue  # 反カダフィ派: those against him, not his faction
        if _valid_name(text[toks[start].start:before.end], lexicon):
            yield _mention(doc, toks[start].start, tok.end, text, "Organization", "house")


def quoted_names(d: DocInput) -> Iterator[Mention]:
    """A quoted name that the words around it call an organization (data: ``quoted_names``).

    「二代目北大RG選抜」チーム, 自動車部品メーカー・『ジヤトコ』 → Organization.
    """
    doc, text, lexicon = d.doc, d.text, d.lexicon
    rules = lexicon.rules["quoted_names"]
    for match in _QUOTED.finditer(text):
        inner_start, inner_end = match.start(2), match.end(2)
        before = text[max(0, match.start() - 12):match.start()].rstrip("・")
        after = text[match.end():match.end() + 6]
        if any(after.startswith(h) for h in rules["heads"]) or any(before.endswith(w) for w in rules["descriptors"]):
            name = text[inner_start:inner_end]
            if not _NOT_IN_ORG.search(name) and lexicon.lookup(name) is None:
                yield _mention(doc, inner_start, inner_end, text, "Organization", "quoted")


_QUOTED = re.compile(r"([「『])([^「」『』\n]{2,30})[」』]")
_NOT_IN_ORG = re.compile(r"[、。!?！？\n]|^[0-9０-９\W]+$")


def org_name(surface: str, lexicon: Lexicon) -> str:
    """The bare name of an organization: 株式会社リコー, リコー株式会社 → リコー; エアバス社 → エアバス.

    Resolution keys and entity labels use it; the mention keeps the words as written.
    A 社 is dropped only after katakana or Latin letters or in 新聞社 and 通信社:
    講談社, 神社 are names.
    """
    start, end = strip_legal_form(0, len(surface), surface, lexicon)
    bare = surface[start:end]
    if len(bare) > 3 and (bare.endswith(("新聞社", "通信社")) or bare.endswith("社") and re.match(r"[ァ-ヺーA-Za-z]", bare[-2])):
        bare = bare[:-1]
    return bare


def org_key(surface: str, lexicon: Lexicon) -> str:
    """The key an organization mention is resolved by: its lexicon entry's, else its bare name's."""
    bare = org_name(surface, lexicon)
    entry = lexicon.lookup(bare)
    if entry is not None and entry.type == "Organization":
        return f"lex:{entry.id}"
    return name_key(bare)


def strip_legal_form(start: int, end: int, text: str, lexicon: Lexicon) -> tuple[int, int]:
    """株式会社トヨタ自動車 → トヨタ自動車, 公財・日本漢字能力検定協会 → 日本漢字能力検定協会."""
    forms = lexicon.rules["legal_forms"]
    surface = text[start:end]
    for prefix in sorted(forms["prefixes"], key=len, reverse=True):
        if surface.startswith(prefix) and len(surface) > len(prefix) + 1:
            start += len(prefix)
            surface = surface[len(prefix):]
            break
    for suffix in forms["suffixes"]:
        if surface.endswith(suffix) and len(surface) > len(suffix) + 1:
            end -= len(suffix)
            break
    return start, end


def _host_state_start(m: Mention, candidates: Sequence[Mention], text: str) -> int:
    """在ロシア米国大使館: an institution abroad starts at 在 + the host state."""
    for host in candidates:
        if host.type == "State" and host.end == m.start and text[host.start - 1:host.start] == "在":
            return host.start - 1
    return m.start


def latin_mentions(d: DocInput) -> Iterator[Mention]:
    """All-capitals Latin names used as a subject (DEEP STATEは…) are organizations."""
    doc, toks, text, lexicon = d.doc, d.toks, d.text, d.lexicon
    stop = lexicon.rule_set("latin_stopwords")
    particles = lexicon.rule_set("subject_particles")
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and _ALL_CAPS.match(toks[j].text) and (
                j == i or toks[j].start - toks[j - 1].end <= 1):
            j += 1
        if j == i:
            i += 1
            continue
        words = [t.text for t in toks[i:j]]
        surface_start, surface_end = toks[i].start, toks[j - 1].end
        k = j
        if k < len(toks) and toks[k].text in _OPEN and toks[k].start == surface_end:
            while k < len(toks) and toks[k].text not in _CLOSE and toks[k].start - surface_end < 40:
                k += 1  # DEEP STATE(注:軍事ブログ)は: skip the note
            k += 1
        follows = toks[k].text if k < len(toks) and (k == j and toks[k].start == surface_end or k > j) else ""
        if (follows in particles and not set(words) <= stop
                and (len(words) > 1 or len(words[0]) >= 3) and lexicon.lookup(" ".join(words)) is None):
            yield _mention(doc, surface_start, surface_end, text, "Organization", "latin")
        i = j


MENTION_RULES.update({
    "lexicon": lexicon_mentions,
    "abbreviation": abbreviation_mentions,
    "suffix": suffix_mentions,
    "institution": place_institutions,
    "compound": compound_institutions,
    "affiliated": affiliated_institutions,
    "unit": military_units,
    "house": family_houses,
    "quoted": quoted_names,
    "title": titled_persons,
    "model": model_mentions,
    "ner": ner_mentions,
    "latin": latin_mentions,
})
