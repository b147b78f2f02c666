"""Event cues, in the map step: the event word a relation was told with, and its date, place and order.

A relation candidate of a predicate that makes events (``event_kind`` in the
predicate table: met_with makes meetings) becomes an event only when its
sentence names the event with a word of that kind (会談, 首脳会談, 電話会談;
:mod:`kg.eventkinds`). Of those words, the one nearest the two participants in
the dependency tree is the relation's (プーチン大統領との会談後、…ゼレンスキー
大統領とも電話会談を行った: a meeting with one, a call with the other).

What the parse ties to that word is kept as character spans, because the
reduce has no tokens:

- the **date** expression that modifies the event: on the word itself
  (8月15日の会談, 15日に会談した), on the verb carrying it (会談を17日に行う),
  on a clause describing it (8月15日に…で持たれた会談), or before a clause
  chained to it (15日、会談し、…で合意した). A date on another verb is not the
  event's: in 「…は16日、…と会談すると述べた」 the 16th is the day of saying;
- the **place** phrase before で, にて, において, での in the same positions,
  when it names a place (Sudachi's 地名 tags, or an NER place label);
- an **ordinal** (第一回, 第二回目の, (2回目)), and a **tense** a clause on the
  word itself tells (行われた会談: held; 会談を中止: cancelled).

Pure functions over :class:`~kg.model.ParsedDoc` tokens; spaCy is not needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kg.eventkinds import EventVocabulary
from kg.model import Candidate, EventCue, Mention, ParsedDoc, Token
from kg.predicates import event_kinds_of_predicates
from kg.timex import DATE_KINDS, TimeExpr, find_dates

#: Dependencies by which a noun is an argument of the verb above it (会談を行う, 会談が開かれた).
_ARGUMENT_DEPS = frozenset({"obj", "nsubj", "obl", "iobj", "nsubj:pass"})
#: Dependencies of a clause chained to the next one (会談し、…合意した).
_CHAIN_DEPS = frozenset({"advcl", "conj"})
#: Steps up the tree before giving up (a broken parse can loop through other sentences).
_MAX_DEPTH = 40
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ORDINAL_BEFORE = re.compile(r"(?:第([0-9０-９〇一二三四五六七八九十]+)回目?|([0-9０-９〇一二三四五六七八九十]+)回目|(初))の?$")
_ORDINAL_AFTER = re.compile(r"^[(（]?(?:第)?([0-9０-９〇一二三四五六七八九十]+)回目")
#: Characters of an event phrase kept (a long compound is cut from the left).
_MAX_PHRASE = 24
#: Characters of a place phrase kept.
_MAX_PLACE = 30


def find_cues(parsed: ParsedDoc, text: str, candidates: Sequence[Candidate], *,
              vocabulary: EventVocabulary) -> tuple[EventCue, ...]:
    """One cue per candidate whose predicate makes events and whose sentence names the event."""
    kinds = event_kinds_of_predicates()
    if not any(c.predicate in kinds for c in candidates):
        return ()
    toks = parsed.tokens
    dates = [e for e in find_dates(text, anchor=None) if e.kind in DATE_KINDS]
    places = _place_tokens(parsed, vocabulary)
    cues = []
    for n, cand in enumerate(candidates):
        broad = kinds.get(cand.predicate)
        if broad is None:
            continue
        sentence = _sentence_tokens(toks, cand.sentence)
        words = [(k, kind) for k in sentence if (kind := trigger_kind(toks, k, text, vocabulary)) is not None
                 and vocabulary.within(kind, broad)]
        if not words:
            continue
        anchors = [_token_of(toks, sentence, m) for m in (cand.subject, cand.object)]
        k, kind = min(words, key=lambda w: (sum(tree_distance(toks, w[0], a) for a in anchors if a is not None),
                                            w[0]))
        cues.append(describe(toks, k, kind, text, n, sentence=sentence, dates=dates, places=places,
                             vocabulary=vocabulary))
    return tuple(cues)


def describe(toks: Sequence[Token], k: int, kind: str, text: str, candidate: int, *, sentence: range,
             dates: Sequence[TimeExpr], places: set[int], vocabulary: EventVocabulary) -> EventCue:
    """The cue of event word ``k``: its phrase, and the date, place, ordinal and tense tied to it."""
    first = phrase_start(toks, k)
    start = max(toks[first].start, toks[k].end - _MAX_PHRASE)
    where = targets(toks, k, sentence, vocabulary)
    date = attached_date(toks, dates, sentence, k, where, text=text, phrase=toks[first].start, vocabulary=vocabulary)
    place = attached_place(toks, k, sentence, where[0], places, text, vocabulary)
    tense = local_tense(toks, k, sentence, vocabulary)
    if not tense and (toks[k].pos == "VERB" or where[0] - {k} - _clauses(toks, k, sentence)):
        tense = "clause"  # 会談した, 会談を行った: the candidate's modality is the event's
    return EventCue(candidate=candidate, kind=kind, start=start, end=toks[k].end, text=text[start:toks[k].end],
                    date=date, place=place[:2] if place else None, place_text=place[2] if place else "",
                    place_core=place[3] if place else "", ordinal=ordinal(text, toks[first].start, toks[k].end),
                    tense=tense)


def _clauses(toks: Sequence[Token], k: int, sentence: range) -> set[int]:
    return {j for j in sentence if j != k and head(toks, j, sentence) == k and toks[j].pos == "VERB"}


# --- the event word ------------------------------------------------------------------------------

def trigger_kind(toks: Sequence[Token], k: int, text: str, vocabulary: EventVocabulary) -> str | None:
    """The event kind token ``k`` names, as the head of its phrase (電話+会談 → phone_call), or None.

    A token inside a compound whose head is an event word too (協議 of 協議会談) is
    not one of its own; in 会談後 it is. A verb is matched by its lemma (会っ → 会う).
    """
    tok = toks[k]
    if tok.dep == "compound" and tok.head != k and toks[tok.head].start == tok.end \
            and _ends_with_word(toks[tok.head].text, vocabulary):
        return None
    phrase = text[toks[phrase_start(toks, k)].start:tok.end]
    modifiers = [toks[j].lemma for j in _children(toks, k) if toks[j].dep in ("obl", "nmod", "compound")]
    for form in (phrase, tok.lemma):
        kind = vocabulary.kind_of(form, modifiers=modifiers) if _ends_with_word(form, vocabulary) else None
        if kind is not None:
            return kind
    return None


def _ends_with_word(form: str, vocabulary: EventVocabulary) -> bool:
    return any(form.endswith(w) for kind in vocabulary.kinds.values() for w in kind.words)


def phrase_start(toks: Sequence[Token], k: int) -> int:
    """The first token of the compound ending at ``k`` (第一回米露首脳会談 starts at 第)."""
    j = k
    while j > 0 and toks[j - 1].end == toks[j].start and toks[j - 1].dep in ("compound", "nummod") \
            and _descends(toks, j - 1, k):
        j -= 1
    return j


def _descends(toks: Sequence[Token], j: int, k: int) -> bool:
    """Whether token ``j`` hangs (within a few steps) from ``k``."""
    for _ in range(6):
        if j == k:
            return True
        if toks[j].head == j:
            return False
        j = toks[j].head
    return j == k


def ordinal(text: str, start: int, end: int) -> int:
    """The number of the event in its series: 第二回目の米露首脳会談 → 2, 電話会談(4回目) → 4, 初の会談 → 1."""
    inside = re.search(r"第([0-9０-９〇一二三四五六七八九十]+)回目?", text[start:end])
    m = inside or _ORDINAL_BEFORE.search(text[max(0, start - 8):start]) or _ORDINAL_AFTER.match(text[end:end + 8])
    if m is None:
        return 0
    if m.lastindex is not None and m.group(m.lastindex) == "初":
        return 1
    number = next(g for g in m.groups() if g)
    return _number(number)


def _number(s: str) -> int:
    """Arabic, full-width or kanji numerals up to 99 (十, 二十三)."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (_KANJI_DIGITS.get(ones, 0) if ones else 0)
    return _KANJI_DIGITS.get(s, 0)


# --- the tree -------------------------------------------------------------------------------------

def _sentence_tokens(toks: Sequence[Token], span: tuple[int, int]) -> range:
    """Indices of the tokens starting in the sentence ``span``."""
    first = next((t.i for t in toks if t.start >= span[0]), len(toks))
    last = first
    while last < len(toks) and toks[last].start < span[1]:
        last += 1
    return range(first, last)


def _token_of(toks: Sequence[Token], sentence: range, mention: Mention) -> int | None:
    """The token that heads a mention (its last token inside the span; 米 and 露 in 米露 share one)."""
    inside = [k for k in sentence if toks[k].start < mention.end and toks[k].end > mention.start]
    return inside[-1] if inside else None


def _ancestors(toks: Sequence[Token], k: int) -> list[int]:
    chain = [k]
    while toks[k].head != k and len(chain) < _MAX_DEPTH:
        k = toks[k].head
        chain.append(k)
    return chain


def tree_distance(toks: Sequence[Token], a: int, b: int) -> int:
    """Edges between two tokens in the dependency tree (a large number when they do not meet)."""
    up_a, up_b = _ancestors(toks, a), _ancestors(toks, b)
    where = {k: n for n, k in enumerate(up_b)}
    for n, k in enumerate(up_a):
        if k in where:
            return n + where[k]
    return 2 * _MAX_DEPTH


def _children(toks: Sequence[Token], k: int) -> list[int]:
    lo, hi = max(0, k - 30), min(len(toks), k + 30)
    return [j for j in range(lo, hi) if j != k and toks[j].head == k]


def head(toks: Sequence[Token], j: int, sentence: range) -> int:
    """Token ``j``'s head, repaired when the parse sends it out of the sentence.

    The parser and kg split sentences differently around site chrome (``B!``
    before a line): a token then hangs from a word of another sentence. A
    clause (…で持たれた) is taken to modify the next noun phrase's head, and
    anything else the next predicate, as Japanese puts heads after their
    dependents.
    """
    h = toks[j].head
    if h in sentence or h == j:
        return h
    later = range(j + 1, sentence.stop)
    if toks[j].pos == "VERB":
        nouns = [k for k in later if toks[k].pos in ("NOUN", "PROPN") and toks[k].dep not in _INNER_DEPS]
        return nouns[0] if nouns else j
    verbs = [k for k in later if toks[k].pos == "VERB" and toks[k].dep not in _INNER_DEPS]
    return verbs[0] if verbs else j


#: Dependencies inside a phrase: a token with one of these is not the head of its phrase.
_INNER_DEPS = frozenset({"compound", "case", "nummod", "punct", "aux", "fixed", "mark", "cop"})


def targets(toks: Sequence[Token], k: int, sentence: range,
            vocabulary: EventVocabulary) -> tuple[set[int], set[int], set[int]]:
    """The tokens a date or place of the event hangs from: near, chained, and beside.

    Near: the event word; the verb carrying it (会談を行った, 会談が開かれた),
    also past a noun the parse wrongly put between (会談が…提案で開催された);
    clauses on the word (…で持たれた会談); a date it is the topic of
    (会談は…15日午前11時半ごろから). Chained: the main verb a て-clause of the
    event leads to (15日、会談し、…で合意した). Beside: て-clauses on the event
    (19日午前、約1時間30分に渡って会談した; 15日に来日し、会談した).
    """
    near = {k}
    tok = toks[k]
    carrier = k
    up = head(toks, k, sentence)
    if up != k and tok.dep in _ARGUMENT_DEPS:
        above = toks[up]
        if above.lemma in vocabulary.holding_verbs:
            near.add(up)
            carrier = up
        elif above.pos in ("NOUN", "ADV") and above.dep == "ROOT":
            near.add(up)  # 会談は…16日午前4時半ごろから: a nominal predicate (a date, if any)
        elif above.pos == "NOUN" and (up2 := head(toks, up, sentence)) != up \
                and toks[up2].lemma in vocabulary.holding_verbs:
            near.add(up2)
            carrier = up2
    children = [j for j in sentence if j != k and head(toks, j, sentence) == k]
    near.update(j for j in children if toks[j].dep in ("acl", "dep") and toks[j].pos == "VERB")
    chained: set[int] = set()
    up = head(toks, carrier, sentence)
    if toks[carrier].dep in _CHAIN_DEPS and up != carrier and _continues(toks, carrier):
        chained.add(up)
    beside = {j for c in (k, carrier) for j in sentence
              if toks[j].dep == "advcl" and head(toks, j, sentence) == c and _continues(toks, j)}
    return near, chained, beside


def _continues(toks: Sequence[Token], k: int) -> bool:
    """会談し、 / 会談して: the clause chains on to the next verb."""
    after = [toks[j] for j in range(k + 1, min(len(toks), k + 4)) if toks[j].head == k]
    return any(t.text in ("し", "て", "で", "、") for t in after) or toks[k].text.endswith(("し", "て"))


# --- date, place, tense -----------------------------------------------------------------------------

def attached_date(toks: Sequence[Token], dates: Sequence[TimeExpr], sentence: range, k: int,
                  where: tuple[set[int], set[int], set[int]], *, text: str, phrase: int,
                  vocabulary: EventVocabulary) -> tuple[int, int] | None:
    """The span of the date expression that modifies the event, or None.

    An expression on a near token wins, then one before the event on the main
    verb it chains to, then one on a て-clause beside it; of two on one level, the
    nearer to the event word (``…は1日、来年10月ごろに合併することで合意``: the
    merger's date is 来年10月ごろ, the 1st the day it was agreed, whatever the parse
    hangs them on). A timeline
    item's heading (``6月4日:米ロ首脳電話会談``) is the event's. In a report
    (…と会談すると述べた), a date right after the reporter (``トランプ氏は16日、``)
    is the day of saying.
    """
    if not sentence:
        return None
    near, chained, beside = where
    lo, hi = toks[sentence.start].start, toks[sentence.stop - 1].end
    reported = _reported(toks, k, sentence, vocabulary)
    best: tuple[int, int, tuple[int, int]] | None = None
    word = (toks[k].start, toks[k].end)
    for expr in dates:
        if not lo <= expr.start < hi:
            continue
        if re.fullmatch(r"\s*[:：]\s*", text[expr.end:phrase]):
            return expr.start, expr.end  # 6月4日:米ロ首脳電話会談
        if reported and text[expr.start - 1:expr.start] == "は" and text[expr.end:expr.end + 1] == "、":
            continue  # トランプ米大統領は16日、…会談し、…と述べた
        h = _head_of_span(toks, sentence, expr.start, expr.end)
        if h is None:
            continue
        level = 0 if h in near else 1 if h in chained and expr.end <= phrase else \
            2 if h in beside or head(toks, h, sentence) in beside else None
        distance = max(phrase - expr.end, expr.start - word[1], 0)
        if level is not None and (best is None or (level, distance) < best[:2]):
            best = (level, distance, (expr.start, expr.end))
    return best[2] if best else None


def _reported(toks: Sequence[Token], k: int, sentence: range, vocabulary: EventVocabulary) -> bool:
    """Whether the event stands in what a reporting verb says (…会談し、…協議すると述べた)."""
    j = k
    for _ in range(10):
        up = head(toks, j, sentence)
        if up == j:
            return False
        if toks[up].lemma in vocabulary.reporting_verbs and toks[j].dep in ("ccomp", "advcl", "obj", "acl") \
                and any(toks[i].text in ("と", "という") for i in range(j + 1, up)):
            return True
        j = up
    return False


def _head_of_span(toks: Sequence[Token], sentence: range, start: int, end: int) -> int | None:
    """The token a span of text hangs from: the head of its last token that points outside it."""
    inside = [k for k in sentence if toks[k].start < end and toks[k].end > start]
    if not inside:
        return None
    heads = {k: head(toks, k, sentence) for k in inside}
    outside = [k for k in inside if heads[k] not in inside]
    last = outside[-1] if outside else inside[-1]
    return heads[last] if heads[last] != last else None


def _place_tokens(parsed: ParsedDoc, vocabulary: EventVocabulary) -> set[int]:
    """Tokens that name a place: Sudachi's 地名 tags, or inside an NER span with a place label."""
    spans = [(s.start, s.end) for s in (*parsed.spans, *parsed.ents) if s.label in vocabulary.place_labels]
    out = set()
    for tok in parsed.tokens:
        if "地名" in tok.tag or any(a <= tok.start and tok.end <= b for a, b in spans):
            out.add(tok.i)
    return out


def attached_place(toks: Sequence[Token], k: int, sentence: range, near: set[int], places: set[int],
                   text: str, vocabulary: EventVocabulary) -> tuple[int, int, str, str] | None:
    """(start, end, text, core) of the place phrase the event happened at, or None.

    A noun followed by で, にて, において (or での before the event word) that
    hangs from the event, in a phrase holding a place name: ハンガリーの首都・ブダペストで
    → 'ハンガリーの首都・ブダペスト', core 'ブダペスト'.
    """
    for j in sentence:
        tok = toks[j]
        if tok.pos not in ("NOUN", "PROPN") or head(toks, j, sentence) not in near or j == k:
            continue
        if not any(text.startswith(p, tok.end) for p in vocabulary.place_particles):
            continue
        first = _place_phrase_start(toks, j, sentence)
        named = [i for i in range(first, j + 1) if i in places]
        if not named:
            continue
        start = max(toks[first].start, tok.end - _MAX_PLACE)
        return start, tok.end, text[start:tok.end], toks[named[-1]].text
    return None


def _place_phrase_start(toks: Sequence[Token], j: int, sentence: range) -> int:
    """First token of the noun phrase ending at ``j``: nouns, の, ・ hanging from it (米国アラスカ州のアンカレッジ)."""
    first = j
    while first - 1 in sentence:
        prev = toks[first - 1]
        if prev.pos not in ("NOUN", "PROPN", "NUM", "ADP", "SYM") or prev.text in ("で", "に", "を", "が", "は", "と"):
            break
        if prev.pos == "ADP" and prev.text != "の":
            break
        if not _descends(toks, first - 1, j):
            break
        first -= 1
    while first < j and toks[first].pos in ("ADP", "SYM"):
        first += 1
    return first


def local_tense(toks: Sequence[Token], k: int, sentence: range, vocabulary: EventVocabulary) -> str:
    """What the words on the event itself say: cancelled (会談を中止, 中止された会談), held, planned, or "".

    "" also when the event word is a noun phrase with no verb of its own
    (第二回米露首脳会談の意義): naming an event does not say it took place.
    """
    up = head(toks, k, sentence)
    clauses = [j for j in sentence if j != k and head(toks, j, sentence) == k and toks[j].pos == "VERB"]
    if up != k and toks[up].lemma in vocabulary.cancel_words \
            or any(toks[j].lemma in vocabulary.cancel_words for j in clauses):
        return "cancelled"
    for j in clauses:
        if toks[j].lemma not in vocabulary.holding_verbs:
            continue
        tail = [toks[i] for i in range(j + 1, min(len(toks), j + 5)) if toks[i].head == j]
        if any(t.lemma == "た" and t.pos == "AUX" for t in tail):
            return "held"  # 8月15日に…で持たれた第一回米露首脳会談
        if toks[j].lemma == "予定" or any(t.lemma == "予定" for t in tail):
            return "planned"
    return ""


def cues_by_candidate(cues: Sequence[EventCue]) -> dict[int, EventCue]:
    """Cues by the index of their candidate."""
    return {c.candidate: c for c in cues}


def iter_sentence_words(parsed: ParsedDoc, text: str, vocabulary: EventVocabulary) -> Iterator[tuple[int, str]]:
    """Every event word of a document with its kind (for inspection and tests)."""
    for tok in parsed.tokens:
        kind = trigger_kind(parsed.tokens, tok.i, text, vocabulary)
        if kind is not None:
            yield tok.i, kind
