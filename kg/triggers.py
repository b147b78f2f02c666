"""Trigger rules: a trigger word and the mentions whose dependency path reaches it.

The rules are data (:class:`~kg.ruleset.TriggerRule`); this module applies
them all to one document. A mention's role is read from its particle (が, は:
subject; the rule's object particles: object), or, after a genitive, from the
noun it modifies; a negated or denied trigger yields nothing, a planned or
possible one keeps that modality.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import combinations, pairwise

from kg.docview import DocView
from kg.mentions import ABBREVIATION_PREFIXES
from kg.modality import FACTUAL, clause_modality, is_suru_noun, strongest
from kg.model import Candidate, Mention, Token
from kg.predicates import get_predicate
from kg.ruleset import RuleSet, TriggerRule


def _rules_for(tok: Token, index: dict[str, list[TriggerRule]], prev: Token | None = None) -> list[TriggerRule]:
    """Rules whose trigger is the token's lemma, ends its text (電話会談 → 会談), or joins the token before (相手+取る)."""
    found = list(index.get(tok.lemma, ()))
    if prev is not None and prev.end == tok.start:
        found += [r for r in index.get(prev.text + tok.lemma, ()) if r not in found]
    for size in range(2, len(tok.text) + 1):
        found += [r for r in index.get(tok.text[-size:], ()) if r not in found]
    return found


def _is_trigger(tok: Token, rule: TriggerRule, prev: Token | None = None) -> bool:
    if rule.verbal_only and tok.pos != "VERB":
        return False
    joined = prev is not None and prev.end == tok.start and prev.text + tok.lemma in rule.triggers
    return tok.lemma in rule.triggers or joined or any(len(t) > 1 and tok.text.endswith(t) for t in rule.triggers)


def _governors(view: DocView, k: int, rules: RuleSet) -> set[int]:
    """The trigger token and the light verb that carries it (電話会談を行った → 会談, 行う)."""
    tok = view.toks[k]
    out = {k}
    head = view.toks[tok.head]
    if tok.dep == "compound" and tok.head != k:
        out.add(tok.head)  # 同盟|関係にある: the compound's head noun and the verb that carries it
        k, tok = tok.head, head
        head = view.toks[tok.head]
        if tok.head != k and head.lemma in _CARRIERS:
            out.add(tok.head)
    if tok.head != k and head.lemma in rules.light_verbs:
        out.add(tok.head)
    if tok.dep == "advcl" and tok.head != k:
        out.add(tok.head)  # XがYを訪れ、Zと会談した: a て-clause shares the main clause's subject
    if tok.dep == "obj" and head.lemma in rules.modality.planning:
        out.add(tok.head)  # XはYの買収を発表した: who announces the acquisition makes it
    if tok.dep == "acl" and head.lemma in rules.modality.planned | rules.modality.possible:
        out.add(tok.head)  # XはYと会談する予定だ: the plan noun carries the subject
    if tok.dep == "acl" and head.lemma in _FORMAL_NOUNS:
        # XはYに合意したことを明らかにした: the clause under こと shares the main verb's subject
        k2 = tok.head
        for _ in range(2):
            k2 = view.toks[k2].head
            out.add(k2)
    return out


_FORMAL_NOUNS = frozenset({"こと", "旨", "事"})


def toks_light(view: DocView, k: int, rules: RuleSet) -> bool:
    """Whether token k is a light verb (する, 行う) that carries a noun trigger."""
    return view.toks[k].lemma in rules.light_verbs


def carriers(view: DocView, k: int, governors: set[int], rules: RuleSet) -> set[int]:
    """The trigger and the light verb whose inflection is the trigger's (会談を|行った, 同盟|関係に|ある).

    A light verb the noun only modifies as an adverbial clause is not its
    carrier: in 買収であれば、…としている the 買収 clause is conditional,
    whatever the main verb する says.
    """
    noun = view.toks[k].head if view.toks[k].dep == "compound" and view.toks[k].head != k else k
    if view.toks[noun].dep == "advcl":
        return {k}
    return {g for g in governors if g == k or toks_light(view, g, rules)}


def _reaches(view: DocView, mention: Mention, governors: set[int]) -> bool:
    """The mention depends on a governor, and not from inside a relative clause on the way."""
    for n, k in enumerate(view.path(mention)):
        if k in governors:
            return True
        if n > 0 and _relative_clause(view, k):
            return False  # …が提示する条件を受け入れ: the 提示 clause's subject is not 受け入れ's
    return False


def _relative_clause(view: DocView, k: int) -> bool:
    """An ``acl`` verb that really modifies a noun; 訪れ、…, 川島紡績を経て… chain clauses instead."""
    nxt = view.toks[k + 1] if k + 1 < len(view.toks) else None
    comma = nxt is not None and nxt.text == "、" and nxt.head == k
    return view.toks[k].dep == "acl" and not comma and not _continuative(view, k)


def _modified_phrase(view: DocView, k: int, governors: set[int], rules: RuleSet) -> range:
    """The phrase of the noun the trigger's clause modifies, or an empty range.

    …を支援する英仏独: the trigger's own relative clause; …と会談し帰国した特使:
    the relative clause of the verb its て-clause chains to. A clause under a
    plan noun (会談する予定) is the plan's content, not a description.
    """
    for g in sorted(governors, key=lambda j: j != k):  # the trigger first
        head = view.toks[g].head
        if _relative_clause(view, g) and view.toks[head].lemma not in rules.modality.planned:
            return view.bunsetu(head)
    return range(0)


# Verbs that carry a relation noun without adding meaning (同盟関係にある, 提携関係になる).
_CARRIERS = frozenset({"ある", "なる"})
# After a name given as an example or a centre, not a participant: WFPを中心に, 米国をはじめ.
_EXAMPLE = re.compile(r"を(?:中心に|中心と|はじめ|始め|筆頭に)")
# Particles that mark a clause's subject or topic.
_TOPIC_PARTICLES = frozenset({"が", "は", "も", "、"})
# Auxiliaries of the passive voice (逮捕される, 逮捕された).
_PASSIVE = frozenset({"れる", "られる"})
# Heads a predicative noun trigger may hang from on its way to the sentence's root (社員となった).
_PREDICATIVE_HEADS = frozenset({"なる", "する", "だ", "です", "ある"})
# Dependencies of a noun that is an argument of a verb (FBI職員が…), unless the verb is なる/だ.
_ARGUMENT_DEPS = frozenset({"nsubj", "obj", "iobj", "nmod", "obl", "csubj"})
# Dependencies of a word that describes a noun rather than predicating.
_MODIFIER_DEPS = frozenset({"acl", "nmod", "amod", "det"})

# Nouns a state or organization in the genitive does not act through (スリランカの経済界).
_NOT_PROXIES = frozenset({"経済界", "財界", "市民", "国民", "住民", "人々", "世論", "市場", "企業", "業界", "学界",
                          "専門家", "関係者", "ファン", "支持者", "野党", "メディア", "マスコミ", "若者", "社会",
                          # what someone said or decided, not who: 1審の判決を支持, TPPの反対を訴えた
                          "判決", "判断", "決定", "反対", "賛成", "必要性", "重要性", "廃止", "撤回", "見直し", "実現",
                          "推進", "是非", "意見", "主張",
                          # a part of it, not all of it: 三洋電機の携帯電話事業を買収
                          "事業", "部門"})
# Particles after which an entity modifies a noun; its role is that noun's (トランプ大統領からの提案を).
_GENITIVES = ("の", "からの", "との")


def _role(view: DocView, mention: Mention, rule: TriggerRule, governors: set[int], *,
          passive: bool = False) -> str | None:
    """subject, object or None: by the mention's particle, or (after の) by the noun it modifies.

    In the passive (逮捕された), the rule's ``passive_agent`` particles mark the
    subject and が/は the object.
    """
    if any(p.type == "Person" for p in view.by_end.get(mention.start, ())):
        return None  # 米 in トランプ米大統領: the person's affiliation, not a participant
    particle = view.particle(mention)
    if passive:
        if particle in rule.passive_agent:
            return "subject"
        return "object" if particle in _TOPIC_PARTICLES else None
    if particle != "の" or _genitive_on(view, mention, governors):  # Xの買収: の marks the trigger's own argument
        if particle in rule.subject and particle not in rule.object:
            return "subject"
        if particle in rule.object:
            return "object" if particle not in rule.subject or rule.symmetric else "subject"
    if particle in _GENITIVES:
        if _modifies_a_participant(view, mention.end + len(particle)):
            return None  # ハンガリーのオルバン首相: the genitive modifies a participant, it is not one
        path = view.path(mention)
        modified = next((k for k in path[1:] if view.toks[k].start >= mention.end), None)
        if modified is None or modified in governors:
            return "subject" if "の" in rule.subject else None
        covered = view.covers(view.toks[modified].start)
        if covered:
            return None  # ロシアのプーチン大統領: the genitive modifies a participant, it is not one
        if view.toks[modified].lemma in _NOT_PROXIES:
            return None  # スリランカの経済界は…を支持: the business community, not the state
        noun = Mention(doc=mention.doc, start=view.toks[modified].start, end=view.toks[modified].end,
                       text=view.toks[modified].text, type=mention.type)
        outer = view.particle(noun)
        if outer in _GENITIVES:
            return None  # 大和証券系列の投資会社: a genitive on a genitive names another party
        if outer in rule.object:
            return "object"
        if outer in rule.subject:
            return "subject"
    return None


def _genitive_on(view: DocView, mention: Mention, governors: set[int]) -> bool:
    """Whether the phrase Xの modifies the trigger itself (Googleの買収), not another noun (大和証券系列の投資会社)."""
    own = view.bunsetu(view.token_at(mention.end - 1))
    outside = next((k for k in view.path(mention)[1:] if k not in own), None)
    return outside is None or outside in governors


def trigger_relations(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """Every data rule's trigger with the mentions that depend on it.

    トランプ大統領はゼレンスキー大統領とも電話会談を行った。
    → (トランプ, met_with, ゼレンスキー), rule "meeting".
    """
    index = rules.trigger_index
    for k, tok in enumerate(view.toks):
        prev = view.toks[k - 1] if k else None
        for rule in _rules_for(tok, index, prev):
            if not rules.is_enabled(rule.name) or not _is_trigger(tok, rule, prev):
                continue
            if _names_a_kind(view, k, rules):
                continue  # テロ支援国家: a kind of state, not a support
            sentence = view.sentence_of(tok.start)
            if sentence is None or rule.predicative_only and not _predicative(view, k, sentence):
                continue
            governors = _governors(view, k, rules)
            carried = carriers(view, k, governors, rules)
            modality = clause_modality(view.toks, carried, event=get_predicate(rule.predicate).event,
                                       vocab=rules.modality, sentence=sentence, text=view.text)
            if modality is None:
                continue
            if modality == "asserted":
                modality = _told_elsewhere(view, k, rule, rules) or modality
            if modality == "asserted" and view.quote_depth(sentence[0], tok.start) > 0:
                modality = "reported"  # 「…と会談した」: the speaker says so
            acl_head = _modified_phrase(view, k, governors, rules)
            # は never stands inside a relative clause: a topic the parse hung there is the main clause's
            # (ロイター通信は…会談し帰国した特使が…と報じた); the noun the clause modifies is its subject
            in_sentence = view.in_sentence(sentence)
            topic_outside = any(view.token_at(m.end - 1) in acl_head and m.type in rule.subject_types
                                for m in in_sentence)
            roles: dict[Mention, str] = {}
            trigger_phrase = view.bunsetu(k)
            depth = view.quote_depth(sentence[0], tok.start)
            passive = bool(rule.passive_agent) and _is_passive(view, carried)
            outside: dict[Mention, str] = {}
            for m in in_sentence:
                mk = view.token_at(m.end - 1)
                if view.is_cited(m) or _reporter(view, m, governors, rules) \
                        or _EXAMPLE.match(view.text, m.end):
                    continue  # …によると; ロイター通信は…と報じた: a source; WFPを中心に: an example, no participant
                if rule.glued_object and m.end == tok.start and m.type in rule.object_types:
                    roles[m] = "object"  # 毎日オリオンズ入団: the mention glued to the trigger
                    continue
                m_depth = view.quote_depth(sentence[0], m.start)
                if m_depth != depth:
                    if m_depth < depth and _reaches(view, m, governors):
                        role = _role(view, m, rule, governors)
                        if role == "subject":
                            outside[m] = role  # the speaker: the quotation's subject only if it names none
                    continue
                if mk in acl_head:
                    roles[m] = "subject"  # …を支援する英仏独: the noun a relative clause modifies
                elif topic_outside and view.particle(m) == "は":
                    continue
                elif mk == k or m.start >= tok.end or (mk in trigger_phrase and _compound_member(view, m)):
                    continue  # the trigger, a later mention, or 米露 in 米露首脳会談 (compound_trigger's)
                elif _reaches(view, m, governors):
                    role = _role(view, m, rule, governors, passive=passive)
                    if role == "object" and _through_another_verb(view, m, governors):
                        continue  # 共同通信を退社し、…に就任する: 共同通信 is what 退社 left, not what 就任 took
                    if role:
                        roles[m] = role
            if outside and "subject" not in roles.values():
                roles.update(outside)  # 「…合意した」と明らかにした: the speaker agreed
            subject = any(r == "subject" and m.type in rule.subject_types for m, r in roles.items())
            if rule.carry_subject and not subject and "object" in roles.values() \
                    and _predicative(view, k, sentence) and not _named_subject(view, governors, sentence, rules):
                topic = view.topic_before(sentence[0])
                if topic is not None:
                    roles[topic] = "subject"  # …山内さんは愛知県出身。…阪神タイガースに移籍した: the topic moved
            links = _coordinate(view, in_sentence, roles)
            if rule.symmetric and "subject" not in roles.values():
                links += _two_sides(view, k, governors, in_sentence, roles)
            allowed = {"subject": rule.subject_types, "object": rule.object_types}
            either = (*rule.subject_types, *rule.object_types)
            typed = [(m, r) for m, r in roles.items() if m.type in allowed[r] or rule.symmetric and m.type in either]
            if _causative(view, carried):
                # 香港政府はAとBを合併させる: who makes it happen is no party; A and B are
                typed = [(m, "subject") for m, r in typed if r == "object"] if rule.symmetric else []
            yield from (c for c in _pairs(typed, rule, sentence, modality, links)
                        if not (rule.symmetric and _same_side(view.text, sentence, c.subject, c.object)))


def _names_a_kind(view: DocView, k: int, rules: RuleSet) -> bool:
    """テロ|支援|国家, 難民|支援|団体: a trigger noun inside a compound that names a kind of actor.

    Its object is the common noun glued before it and the compound's last
    word is a kind of actor (data: ``kind_heads``), so the compound is a
    label (北朝鮮に対するテロ支援国家指定), not the event between the names
    around it. A name glued before it (ウクライナ支援国) is a party, and a
    trigger first in the compound (同盟国) still relates.
    """
    toks = view.toks
    if k == 0 or k + 1 >= len(toks) or toks[k].pos != "NOUN":
        return False
    prev, nxt = toks[k - 1], toks[k + 1]
    return prev.end == toks[k].start and prev.pos == "NOUN" and not view.covers(prev.start) \
        and nxt.start == toks[k].end and nxt.lemma in rules.kind_heads


def _told_elsewhere(view: DocView, k: int, rule: TriggerRule, rules: RuleSet) -> str | None:
    """A noun under no verb (a headline, a quoted title) takes what the article says of the same event with verbs.

    『…トランプ2次関税の破壊力…』 names the secondary tariffs without telling
    whether they were imposed; where the article tells it (…を課すと表明した,
    …が実施されれば), they are only threatened, so the title's relation is
    planned. The event is the same when named by the same compound (2次関税,
    not just 関税, the names in it left out); it is a fact if any verb tells it
    as one. Nothing, if it is never told with a verb.
    """
    toks = view.toks
    sentence = view.sentence_of(toks[k].start)
    if toks[k].pos != "NOUN" or sentence is None or is_suru_noun(toks, k) or not _under_no_verb(toks, k, sentence):
        return None
    first = k
    while first > 0 and toks[first - 1].end == toks[first].start and toks[first - 1].dep == "compound" \
            and toks[first - 1].head == k and not view.covers(toks[first - 1].start):
        first -= 1
    if first == k:
        return None  # 関税 alone: any tariff, not this one
    name = view.text[toks[first].start:toks[k].end]
    told = []
    for found in re.finditer(re.escape(name), view.text):
        j = view.token_at(found.end() - 1)
        there = view.sentence_of(found.start())
        if j == k or there is None or toks[j].end != found.end() or not _is_trigger(toks[j], rule):
            continue
        governors = _governors(view, j, rules)
        carried = carriers(view, j, governors, rules)
        if max(carried) == j and not is_suru_noun(toks, j) and toks[toks[j].head].pos not in ("VERB", "AUX"):
            continue  # named again, not told: 「2次関税」の対象国
        told.append(clause_modality(toks, carried, event=get_predicate(rule.predicate).event,
                                    vocab=rules.modality, sentence=there, text=view.text))
    said = [m for m in told if m is not None]
    if not said or any(m in FACTUAL for m in said):
        return None
    return strongest(said)


def _under_no_verb(toks: Sequence[Token], k: int, sentence: tuple[int, int]) -> bool:
    """A headline's or a title's noun: no verb, auxiliary or adjective on its way to its sentence's root."""
    for _ in range(12):
        head = toks[k].head
        if head == k or not sentence[0] <= toks[head].start < sentence[1]:
            return True  # the root, or a head the parse found beyond the sentence (a title run into the next)
        if toks[head].pos in ("VERB", "AUX", "ADJ"):
            return False
        k = head
    return False


_SIDE = re.compile(r"側(?:から|では|は|も|の)")


def _same_side(text: str, sentence: tuple[int, int], a: Mention, b: Mention) -> bool:
    """米国側からはルビオ国務長官とウィトコフ特使、ロシア側からは…: A and B are one delegation, not two parties."""
    def side(m: Mention) -> int:
        marks = [x.end() for x in _SIDE.finditer(text, sentence[0], m.start)]
        return marks[-1] if marks else -1
    return side(a) >= 0 and side(a) == side(b)


def _named_subject(view: DocView, governors: set[int], sentence: tuple[int, int], rules: RuleSet) -> bool:
    """The clause names a subject of its own, found as a mention or not: a name or a person's title.

    茂木・中野両容疑者は…勤務しており, 大黒選手は…所属, 富士通は…昇格: not the
    article's topic. 戦後は, 卒業後は are subjects only to the parser.
    """
    first, last = view.token_at(sentence[0]), view.token_at(sentence[1] - 1)
    return any(t.dep == "nsubj" and (t.pos == "PROPN" or t.text in rules.person_words)
               and _chained_to(view, t.head, governors) for t in view.toks[first:last + 1])


def _chained_to(view: DocView, k: int, governors: set[int]) -> bool:
    """``k`` is a governor, or a clause chained to one (富士通は創設され、…昇格: the subject is shared)."""
    for _ in range(4):
        if k in governors:
            return True
        tok = view.toks[k]
        if tok.head == k or not _continuative(view, k) or _conjunction_ends(view, k):
            return False
        k = tok.head
    return False


def _conjunction_ends(view: DocView, k: int) -> bool:
    """辞任すると、, 来たが、: a clause closed by a conjunction has a subject of its own; 経て、, 創設され、 share one."""
    phrase = [j for j in view.bunsetu(k) if view.toks[j].text != "、"]
    last = view.toks[phrase[-1]]
    return last.pos == "SCONJ" and last.text not in ("て", "で")


def _causative(view: DocView, carriers: set[int]) -> bool:
    """合併させる, 会談させた: the clause makes others do it (せる, させる after the verb)."""
    last = max(carriers)
    return any(t.lemma in ("せる", "させる") for t in view.toks[last + 1:last + 4] if t.head == last)


def _reporter(view: DocView, mention: Mention, governors: set[int], rules: RuleSet) -> bool:
    """ロイター通信は…会談し…と報じた: the mention is the subject of a reporting verb above the trigger."""
    for k in view.path(mention)[1:]:
        if k in governors:
            return False
        if view.toks[k].pos == "VERB":
            return view.toks[k].lemma in rules.modality.reporting
    return False


def _joined(a: Mention, b: Mention, links: Sequence[tuple[Mention, Mention]]) -> bool:
    """Whether a chain of coordinations joins two mentions."""
    group = {a}
    for _ in range(len(links)):
        group |= {y for x, y in links if x in group} | {x for x, y in links if y in group}
    return b in group


def _through_another_verb(view: DocView, mention: Mention, governors: set[int]) -> bool:
    """The mention hangs from a verb of its own on the way to the trigger (…を退社し、…就任).

    Subjects are shared down a chain of clauses; objects belong to their own verb.
    """
    for k in view.path(mention)[1:]:
        if k in governors:
            return False
        if view.toks[k].pos == "VERB":
            return True
    return False


def _is_passive(view: DocView, carriers: set[int]) -> bool:
    """逮捕された, 逮捕される: a passive auxiliary follows the trigger or its light verb."""
    last = max(carriers)
    return any(view.toks[j].lemma in _PASSIVE and view.toks[j].pos == "AUX"
               for j in range(last + 1, min(len(view.toks), last + 4)))


def _predicative(view: DocView, k: int, sentence: tuple[int, int]) -> bool:
    """The trigger is the sentence's predicate (移籍した。, 社員となった。), not a modifier of a noun.

    Only then may a sentence without a subject take the article's topic: in
    トヨタ社員の田中さん the trigger describes 田中, whoever the topic is.
    """
    toks = view.toks
    if toks[k].dep in _ARGUMENT_DEPS and toks[toks[k].head].lemma not in _PREDICATIVE_HEADS \
            or toks[k].dep in ("nsubj", "csubj"):
        return False  # FBI職員が…した, …選手は評価をし: the trigger noun is an argument, not the predicate
    if toks[k].head == k and toks[k].pos == "NOUN" and "サ変" not in toks[k].tag:
        return False  # 巨人軍選手 (a headline, no verb): a noun names, it does not predicate
    j = k
    for _ in range(6):
        tok = toks[j]
        if tok.head == j or not sentence[0] <= toks[tok.head].start < sentence[1]:
            return True  # the root
        if tok.dep in _MODIFIER_DEPS and not _continuative(view, j):
            return False
        if tok.dep == "advcl" and _continuative(view, j):
            return True  # …を経て、…に入った: a clause chained to the predicate, wherever the parser hung it
        head = toks[tok.head]
        if head.head == tok.head:
            return True  # …移籍し、現役を引退。: the root, a verb or a noun that ends the sentence
        if head.pos not in ("VERB", "AUX") and head.lemma not in _PREDICATIVE_HEADS:
            return False
        j = tok.head
    return False


def _continuative(view: DocView, k: int) -> bool:
    """移籍し…, 訪れ、…: the phrase ends in a form that chains clauses, so it modifies no noun."""
    phrase = view.bunsetu(k)
    last = view.toks[phrase[-1]]
    nxt = view.toks[phrase[-1] + 1] if phrase[-1] + 1 < len(view.toks) else None
    comma = last.text == "、" and phrase[-1] != k  # 加盟し、: the phrase holds its comma
    return comma or last.text in ("し", "て", "で") or (nxt is not None and nxt.text == "、")


_INITIALS = re.compile(r"[A-Z][A-Z.・]*")


def _modifies_a_participant(view: DocView, offset: int) -> bool:
    """A mention starts at ``offset``, perhaps after Latin initials (米国のJ.D.バンス副大統領)."""
    initials = _INITIALS.match(view.text, offset)
    start = initials.end() if initials else offset
    return view.mention_at(offset) is not None or view.mention_at(start) is not None


def _compound_member(view: DocView, mention: Mention) -> bool:
    """An abbreviation of a compound (米 of 米露), not a prefixed one (対米: an argument of its own)."""
    return mention.source == "abbreviation" and view.text[mention.start - 1:mention.start] not in ABBREVIATION_PREFIXES


_COORDINATORS = ("と", "や", "、", "及び", "および")


def _coordinate(view: DocView, mentions: Sequence[Mention],
                roles: dict[Mention, str]) -> list[tuple[Mention, Mention]]:
    """AとBが…: A takes B's role when only a coordinator and A's title stand between them.

    Returns the coordinated pairs, so that subjects are paired with each other
    only where the text joins them (両首脳 A、Bが会談), not because two clauses
    each have one (RKB毎日は…石神大和社長が会見し). A list with や before the
    other side's particle (阪神タイガース球団や日本高等学校野球連盟等との協議) names
    the parties someone else talks with: they share the role but are no pair.
    """
    links = []
    for n in range(len(mentions) - 2, -1, -1):
        a = mentions[n]
        b = next((m for m in mentions[n + 1:] if m.type == a.type), None)
        particle = view.particle(a)
        # A comma before another name is a list (プーチン大統領、ゼレンスキー大統領と), not a
        # headline's subject (トランプ大統領、…と会談): the list's role wins.
        if b is None or b not in roles or (a in roles and particle != "、") or particle not in _COORDINATORS:
            continue
        k = view.token_at(a.end - 1) + 1
        while k < len(view.toks) and view.toks[k].start < b.start and view.toks[k].text != particle[:1]:
            k += 1  # past the title nouns
        if k >= len(view.toks):
            continue
        between = view.text[view.toks[k].end + len(particle) - 1:b.start]
        genitive = next((m for m in mentions if m.start == view.toks[k].end + len(particle) - 1), None)
        if between == "" or (genitive is not None and between == genitive.text + "の"):
            roles[a] = roles[b]  # …、ウクライナのゼレンスキー大統領と: one genitive may stand between
            if not (particle == "や" and roles[b] == "object"):
                links.append((a, b))  # AやBとの協議: both are the other side, of someone else; not of each other
    return links


_TITLE_THEN_TO = re.compile(r"[^\s、。「」()（）はがをにでのとも]{0,8}と")


def _two_sides(view: DocView, k: int, governors: set[int], mentions: Sequence[Mention],
               roles: dict[Mention, str]) -> list[tuple[Mention, Mention]]:
    """AとBの会談が行われた, AとBとの首脳会談が開かれた: the event is its clause's subject, A and B its two sides.

    Nobody else acts in such a clause, so A and B, joined by と and hung on
    the trigger by の or との, met (negotiated, …) each other. Where the
    trigger is carried by a verb, its subject may be unsaid (…AとBとの会談を行った:
    someone met both), so this reads only a trigger that is the subject.
    """
    if view.toks[k].dep != "nsubj":
        return []
    links = []
    for a, b in pairwise(mentions):
        if _TITLE_THEN_TO.fullmatch(view.text, a.end, b.start) and view.particle(b) in ("の", "との") \
                and _genitive_on(view, b, governors):
            roles[a] = roles[b] = "object"
            links.append((a, b))
    return links


def _pairs(roles: list[tuple[Mention, str]], rule: TriggerRule, sentence: tuple[int, int],
           modality: str, links: Sequence[tuple[Mention, Mention]] = ()) -> Iterator[Candidate]:
    if rule.symmetric:
        # AはBと会談: subject with object; AとBが会談, A、Bが会談: the coordinated subjects with each other.
        subjects = [m for m, r in roles if r == "subject"]
        objects = [m for m, r in roles if r == "object"]
        if subjects and objects:
            pairs = [(a, b) for a in subjects for b in objects]
        else:
            group = subjects or objects
            pairs = [(a, b) for a, b in combinations(group, 2) if _joined(a, b, links)]
        for a, b in pairs:
            yield Candidate(a, rule.predicate, b, rule.name, sentence, modality=modality)
        return
    for a, ra in roles:
        for b, rb in roles:
            if ra == "subject" and rb == "object":
                yield Candidate(a, rule.predicate, b, rule.name, sentence, modality=modality)


