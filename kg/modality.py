"""Modality: whether a relation is stated as a fact, planned, possible, hypothetical, reported, or denied.

A relation read from a trigger word (会談, 買収, 逮捕) takes the modality of
the clause that carries the trigger:

- **negated** (会談しなかった, 会談を否定した, 統合は白紙に, 会談は中止となった): no relation at all (``None``);
- **hypothetical** (会談すれば, 会談した場合, もし…): a condition, not a fact;
- **possible** (会談する可能性, 会談したとみられる, 会談した模様): a guess;
- **planned** (会談する予定, 会談する方針, 会談へ; and an *event* told in the
  non-past: 会談すると発表した): it has not happened yet;
- **reported** (inside 「…」, after …によると, under …と報じた): a source says so;
- **asserted**: the text states it.

The words are data (``modality`` in ``kg/data/relation_rules.json``), read
into :class:`Vocabulary`; a user rule file can add to them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.model import Token

#: What a relation can be, most certain last. ``negated`` is never emitted.
MODALITIES = ("hypothetical", "possible", "planned", "reported", "past", "asserted")
#: Modalities that count as stated: a graph's "who met whom" reads these.
FACTUAL = frozenset({"asserted", "reported", "past"})


@dataclass(frozen=True)
class Vocabulary:
    """The words of each modality (lemmas or surface forms), from the rule data."""

    negation: frozenset[str]
    denial: frozenset[str]
    hypothetical: frozenset[str]
    possible: frozenset[str]
    planned: frozenset[str]
    reporting: frozenset[str]
    attribution: tuple[str, ...]
    headline_plan: frozenset[str]
    planning: frozenset[str]
    question: frozenset[str]
    prospect: frozenset[str]
    likelihood: frozenset[str]
    whether: frozenset[str]
    considering: frozenset[str]
    target: frozenset[str]
    preparing: frozenset[str]

    @classmethod
    def from_data(cls, data: Mapping[str, Iterable[str]]) -> Vocabulary:
        return cls(**{name: (tuple(data[name]) if name == "attribution" else frozenset(data[name]))
                      for name in cls.__dataclass_fields__})

    def extended(self, data: Mapping[str, Iterable[str]]) -> Vocabulary:
        """A copy with more words (a user rule file's ``modality`` section)."""
        merged = {name: (*getattr(self, name), *data.get(name, ())) for name in self.__dataclass_fields__}
        return Vocabulary.from_data(merged)


def strongest(modalities: Iterable[str]) -> str:
    """The most certain of some modalities (asserted over reported over planned…)."""
    return max(modalities, key=MODALITIES.index, default="asserted")


def clause_modality(toks: Sequence[Token], governors: set[int], *, event: bool, vocab: Vocabulary,
                    sentence: tuple[int, int], text: str) -> str | None:
    """The modality of the clause the trigger ``governors`` (trigger, light verb) stand in.

    ``event``: the predicate is something that happens, so the non-past
    (会談する, 会談すると発表した) means it is still to come. ``sentence``: its
    character bounds; a token's dependents are looked for there only, so the
    work per trigger is bounded by its sentence, not by the document.
    """
    verb = _clause_verb(toks, governors)
    lo = bisect_left(toks, sentence[0], key=lambda t: t.start)
    within = toks[lo:bisect_left(toks, sentence[1], lo=lo, key=lambda t: t.start)]
    tail = _tail(toks, verb)
    heads = _heads(toks, verb)
    # The verb a noun trigger is the argument of speaks for it too (買収を否定した, 統合は白紙に).
    own = [toks[verb]] if verb not in governors else []
    own += _become_complement(toks, within, verb)
    words = {t.lemma for t in (*own, *tail, *heads)} | {t.text for t in (*own, *tail, *heads)}
    if any(t.lemma in vocab.negation and t.pos == "AUX" for t in tail) or words & vocab.denial \
            or _denied_topic(toks, governors, vocab):
        return None
    before = text[sentence[0]:toks[min(governors)].start]
    named_as = _genitive_head(toks, governors)
    if words & vocab.hypothetical or any(w in before for w in ("もし", "仮に")) or _conditional(tail) \
            or _amounts_to(heads) or named_as in vocab.whether:
        return "hypothetical"
    if words & vocab.possible or _question(tail, heads, vocab) or named_as in vocab.likelihood:
        return "possible"
    if words & vocab.planned or _headline_plan(toks, verb, vocab) or named_as in vocab.prospect \
            or _considered(toks, governors, vocab) or _aimed_at(toks, within, verb, tail, vocab) \
            or _chained_to_plan(toks, within, verb, tail, vocab) \
            or _planned_clause(tail, heads, vocab) or event and _planned_object(toks, governors, verb, vocab):
        return "planned"
    if event and _non_past(toks, within, verb, tail, heads, vocab):
        return "planned"
    if event and _referred_event_to_come(toks, within, verb, vocab):
        return "planned"
    if _reported(toks, verb, heads, vocab) or any(a in before for a in vocab.attribution):
        return "reported"
    return "asserted"


def _genitive_head(toks: Sequence[Token], governors: set[int]) -> str:
    """The lemma of the noun a trigger noun is the genitive of, or "": 再開 in 米露首脳会談の再開は.

    That noun can say the event is not (yet) a fact: a prospect (会談の再開,
    協議の実現: planned), a likelihood (制裁の可能性, 衝突の懸念: possible), or a
    question still open (統合の是非, 合併の賛否: hypothetical). Only the head
    noun of the phrase the trigger's の qualifies counts: the same words as
    verbs tell that it happened (会談が実現した, 交渉を再開した), and further
    up the parse they are another event's (電車と乗用車衝突全線で運転再開).
    """
    k = max(governors)
    if toks[k].pos != "NOUN" or is_suru_noun(toks, k) or k + 1 >= len(toks) or toks[k + 1].text != "の":
        return ""
    head = toks[k].head
    for _ in range(3):  # 具体的なスケジュール|構想: up the compound to the phrase's head noun
        if toks[head].dep != "compound" or toks[head].head == head:
            break
        head = toks[head].head
    if head == k or toks[head].pos != "NOUN" or is_suru_noun(toks, head):
        return ""
    return toks[head].lemma


# What may stand between a trigger and the noun of what is considered (合併することも|視野に).
_BEFORE_CONSIDERING = frozenset({"する", "こと", "事", "を", "も", "は", "まで"})


def _considered(toks: Sequence[Token], governors: set[int], vocab: Vocabulary) -> bool:
    """合併も視野に入れている, 経営統合を視野に協議, 起訴することを念頭に置く: an option weighed, not done.

    Read on the words right after the trigger, not on the parse: the parser
    hangs 視野に and the trigger side by side on 入れる, or the trigger on the
    next verb when a headline drops it (選挙協力視野に連携確認).
    """
    j = max(governors) + 1
    while j < len(toks) and j - max(governors) <= 4 and toks[j].lemma in _BEFORE_CONSIDERING:
        j += 1
    return j + 1 < len(toks) and toks[j].lemma in vocab.considering and toks[j + 1].text == "に"


def _aimed_at(toks: Sequence[Token], within: Sequence[Token], verb: int, tail: Sequence[Token],
              vocab: Vocabulary) -> bool:
    """2月23日をメドに会談して, 2010年4月1日を目処に経営統合を行う: a target date, so still to come.

    A target noun with に hanging on the clause verb sets the date the event
    aims at; a past verb tells it was kept to (3月末までを目途に営業を自粛していた).
    """
    if _past(tail) or _continuative(tail) and _past(_tail(toks, toks[verb].head)):
        return False  # …自粛していた, …統合し、新会社を設立した: the clause it chains to is past
    return any(t.head == verb and t.i != verb and t.text in vocab.target and t.i + 1 < len(toks)
               and toks[t.i + 1].text == "に" for t in within)


def _chained_to_plan(toks: Sequence[Token], within: Sequence[Token], verb: int, tail: Sequence[Token],
                     vocab: Vocabulary) -> bool:
    """三井生命を買収して…最終調整を進めている: a clause chained to one whose object is a preparation (調整, 準備).

    What is being prepared or arranged has not happened, whatever the tense
    of 進めている; the chained clause is its content. Not any plan noun: in
    幹部と会談し、辞任の意向を示した the intention is another matter than the meeting.
    """
    head = toks[verb].head
    if not _continuative(tail) or head == verb or toks[head].pos != "VERB":
        return False
    return any(t.head == head and t.dep == "obj" and t.lemma in vocab.preparing for t in within)


def _become_complement(toks: Sequence[Token], within: Sequence[Token], verb: int) -> list[Token]:
    """中止 in 会談は中止となった, 予定 in 来月の予定になった: what the clause's なる says its subject becomes.

    The parse hangs the subject and its complement side by side on なる, so
    the complement, which tells the subject's fate, is not above the trigger.
    """
    if toks[verb].lemma != "なる":
        return []
    return [t for t in within if t.head == verb and t.dep == "obl" and t.i + 1 < len(toks)
            and toks[t.i + 1].text in ("と", "に") and toks[t.i + 1].head == t.i]


# Particles that make a noun what the next phrase says something about (統合は白紙に, 買収が頓挫).
_TOPIC = frozenset({"は", "が", "も"})


def _denied_topic(toks: Sequence[Token], governors: set[int], vocab: Vocabulary) -> bool:
    """統合は白紙に, 昇格は断念: a trigger noun marked は/が/も whose very next phrase is a denial.

    The phrase right after 「Xは」 is its predicate when it is a denial noun,
    whatever the parse says: in headlines run together (…事業統合は白紙に中国製冷凍餃子…)
    the parser hangs X on a noun of the next headline, so the denial is not above it.
    """
    last = max(governors)
    if toks[last].pos in ("VERB", "AUX") or last + 2 >= len(toks):
        return False
    particle, nxt = toks[last + 1], toks[last + 2]
    return particle.text in _TOPIC and particle.pos == "ADP" and nxt.bunsetu == "B" \
        and (nxt.lemma in vocab.denial or nxt.text in vocab.denial)


def _clause_verb(toks: Sequence[Token], governors: set[int]) -> int:
    """The token whose inflection tells the clause's tense: the light verb, the verb, or a noun's head verb."""
    last = max(governors)
    tok = toks[last]
    if tok.pos in ("VERB", "AUX", "ADJ") or is_suru_noun(toks, last):
        return last
    head = tok.head
    if head != last and toks[head].pos in ("VERB", "AUX") or is_suru_noun(toks, head):
        return head  # 会談で合意した: the noun's clause is 合意した's
    return last


def is_suru_noun(toks: Sequence[Token], k: int) -> bool:
    """会談 in 会談した: a verbal noun with する (or an auxiliary) right after it."""
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    return nxt is not None and nxt.head == k and (nxt.lemma == "する" or nxt.pos == "AUX")


def _tail(toks: Sequence[Token], verb: int) -> list[Token]:
    """Auxiliaries, particles and helper verbs that follow the clause verb in its phrase (した, ない, ば)."""
    out = []
    for j in range(verb + 1, min(len(toks), verb + 8)):
        tok = toks[j]
        if tok.bunsetu == "B" and not (tok.head == verb and tok.pos in ("AUX", "SCONJ", "PART", "VERB")) \
                or tok.text in ("」", "』"):
            break  # the next phrase, or the end of a quotation: what follows is the outer clause's
        out.append(tok)
    return out


# Nouns that make a clause the time of another (…した際に, …した時, …した後): the clause keeps its own tense.
_WHEN = frozenset({"際", "時", "とき", "後", "あと", "直後", "間", "最中"})


def _heads(toks: Sequence[Token], verb: int) -> list[Token]:
    """The words above the clause verb that can qualify it, with their tails: up to its first verb.

    予定だ, 方針を固めた, とみられる, と発表した; the main clause beyond
    (…子会社化に伴って…方針を固めた) is another statement.
    """
    if any(t.lemma in _WHEN for t in _tail(toks, verb)):
        return []  # 会談した際に (際 hangs on the verb as its case marker): the same
    out = []
    k = verb
    for _ in range(3):
        head = toks[k].head
        if head == k or toks[head].lemma in _WHEN:
            break  # 会談した際に…提案した: a time the clause marks, not what the verb above qualifies
        out.append(toks[head])
        out += _tail(toks, head)
        if toks[head].pos == "VERB":
            break
        k = head
    return out


def _non_past(toks: Sequence[Token], within: Sequence[Token], verb: int, tail: Sequence[Token],
              heads: Sequence[Token], vocab: Vocabulary) -> bool:
    """会談する (not 会談した, 会談している, 会談していた): told as still to come.

    A clause made a noun is still to come under a planning verb (経営統合する
    ことで合意した, 会談することになった) and otherwise says what it says
    (分断することに成功した, 協議するのは偶然ではない). A clause that chains
    on (再逮捕し、…送った) is not told as to come: it has no tense of its own.
    """
    if toks[verb].pos not in ("VERB", "AUX") and not is_suru_noun(toks, verb):
        return False  # a noun phrase (首脳会談, 首脳会談で): no tense of its own
    if _past(tail):
        return False
    if _continuative(tail):
        # 提携し、…会社を設立する: the chained clause takes the tense of the one it chains to
        head = toks[verb].head
        if head == verb or toks[verb].dep != "advcl" or toks[head].pos not in ("VERB", "AUX") \
                or any(t.head == head and t.dep == "nsubj" for t in within):
            return False  # 合意し、ゼレンスキー氏は…迫られかねない: another subject's clause, another time
        return _non_past(toks, within, head, _tail(toks, head), _heads(toks, head), vocab)
    nominalized = any(_nominalizer(t) for t in (*tail, *heads[:1]))
    if nominalized:
        return any(t.lemma in vocab.planning for t in heads)
    return True


def _continuative(tail: Sequence[Token]) -> bool:
    """再逮捕し, 会談して, 攻撃、: a form that chains to the next clause and takes its tense."""
    words = [t.text for t in tail if t.pos != "PUNCT"]
    if words:
        return words[-1] in ("し", "て", "で")  # not 行われるが、: a clause with its own tense
    return bool(tail) and tail[-1].text == "、"  # 攻撃、訪れ、: the bare stem chains on


def _planned_clause(tail: Sequence[Token], heads: Sequence[Token], vocab: Vocabulary) -> bool:
    """入団することが決まった, 経営統合することで合意した: a clause made a noun under a planning verb."""
    nominalized = any(_nominalizer(t) for t in (*tail, *heads[:1]))
    return nominalized and not _past(tail) and any(t.lemma in vocab.planning for t in heads)


# Nouns through which an event is what is held or made real (首脳会談の開催, 会談の実現).
_HOLDING = frozenset({"開催", "実施", "実現", "前"})


def _referred_event_to_come(toks: Sequence[Token], within: Sequence[Token], noun: int,
                            vocab: Vocabulary) -> bool:
    """An event named by a noun with no verb of its own, told as still to come by the clause around it.

    ブダペストで開催される米露首脳会談 (a non-past relative clause), 12月に予定している
    首脳会談 (a plan verb's, in any tense), 会談の前に協議が
    行われる, 首脳会談の開催で合意した (what an agreement is about) are to come;
    行われた首脳会談 and 首脳会談の結果を発表した are not. A noun under no verb
    at all (a headline's 第二回米露首脳会談の意義) keeps what it had.
    """
    if toks[noun].pos in ("VERB", "AUX") or is_suru_noun(toks, noun):
        return False
    for tok in within:  # the noun's sentence: its dependents are there
        if tok.head == noun and tok.dep == "acl" and tok.pos == "VERB":
            # 開催される|会談, 行われた|会談; 予定している|会談: planned whatever its tense
            return tok.lemma in vocab.planned or _tense_to_come(toks, tok.i)
    k, holding = noun, False
    for _ in range(4):
        head = toks[k].head
        if head == k:
            return False
        if toks[head].pos in ("VERB", "AUX") and not _made_a_noun(toks, head):
            return holding and toks[head].lemma in vocab.planning or _tense_to_come(toks, head)
        # 開催することは困難: a clause made a noun is passed over; only a noun 開催 holds the event
        holding = holding or toks[head].lemma in _HOLDING and toks[head].pos not in ("VERB", "AUX")
        k = head
    return False


def _made_a_noun(toks: Sequence[Token], verb: int) -> bool:
    """開催すること(は), 会談するの(は): the verb's clause is made a noun by こと or の."""
    tail = _tail(toks, verb)
    after = verb + len(tail) + 1
    return any(_nominalizer(t) for t in tail) or after < len(toks) and _nominalizer(toks[after])


def _tense_to_come(toks: Sequence[Token], verb: int) -> bool:
    """The verb's own clause is non-past: 行われる, 開催される (not 行われた, 示している, 行い、)."""
    tail = _tail(toks, verb)
    return not _past(tail) and not _continuative(tail) and not any(t.lemma in ("ば", "たら") for t in tail)


def _planned_object(toks: Sequence[Token], governors: set[int], verb: int, vocab: Vocabulary) -> bool:
    """買収を発表した, 会談の開催を決めた: an event that is the object of a planning verb is to come."""
    return toks[verb].lemma in vocab.planning and any(toks[g].dep == "obj" and toks[g].head == verb
                                                      for g in governors)


def _amounts_to(heads: Sequence[Token]) -> bool:
    """支援するということになる(から): what something would mean, not what happened."""
    lemmas = [t.lemma for t in heads]
    if not ("いう" in lemmas and "こと" in lemmas and "なる" in lemmas):
        return False
    return not _past(heads[lemmas.index("なる") + 1:])


def _conditional(tail: Sequence[Token]) -> bool:
    """会談すれば, 会談しなければ: a conditional ば on the clause's own verb (not によれば)."""
    return any(t.text in ("ば", "れば") and t.pos in ("SCONJ", "ADP") for t in tail)


def _question(tail: Sequence[Token], heads: Sequence[Token], vocab: Vocabulary) -> bool:
    """…支援していますか?, 会談するか: the clause ends as a question."""
    return bool(tail) and tail[-1].text in vocab.question or any(t.text in ("?", "？") for t in (*tail, *heads))


_NOMINALIZERS = frozenset({"こと", "の", "事"})


def _nominalizer(tok: Token) -> bool:
    """こと, 事, or the の that makes a clause a noun (会談するのは), not the genitive の (会談の結果)."""
    return tok.lemma in _NOMINALIZERS and not tok.tag.startswith("助詞-格助詞")


def _past(tokens: Sequence[Token]) -> bool:
    return any(t.lemma in ("た", "だ") and t.pos == "AUX" or t.lemma == "いる" for t in tokens)


def _headline_plan(toks: Sequence[Token], verb: int, vocab: Vocabulary) -> bool:
    """A headline's 会談へ: a noun trigger followed by へ and nothing else."""
    nxt = toks[verb + 1] if verb + 1 < len(toks) else None
    after = toks[verb + 2] if verb + 2 < len(toks) else None
    return nxt is not None and nxt.text in vocab.headline_plan and (after is None or after.start > nxt.end
                                                                    or after.pos == "PUNCT")


def _reported(toks: Sequence[Token], verb: int, heads: Sequence[Token], vocab: Vocabulary) -> bool:
    """…と報じた, …と伝えた: the clause is what a source reported."""
    quoted = any(t.text == "と" and t.pos == "ADP" for t in _tail(toks, verb))
    return quoted and any(t.lemma in vocab.reporting for t in heads)
