"""Relation rules over GiNZA's dependency parse: each yields candidates between mentions.

Two kinds of rule, both small named functions over one document:

- **trigger rules** are data (``kg/data/relation_rules.json``, plus the user's
  file): a trigger lemma, the particles that mark subject and object, the
  predicate. :func:`trigger_relations` applies them all.
- **pattern rules** read a fixed construction: a title's affiliation
  (ルビオ米国務長官), a genitive before a titled name (ロシアのラブロフ外相), an
  abbreviation compound before a trigger noun (米露首脳会談), member states
  (英仏独などNATO加盟諸国) and an accession bid (ウクライナのNATO加盟).

Candidates are plain records between mentions; :mod:`kg.relations` turns them
into relations between entities. A negated trigger (会談しなかった) or one
under a denial (会談を否定) yields nothing; a planned or possible one
(会談する予定) yields a candidate whose ``modality`` says so.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import accumulate, combinations
from pathlib import Path
from typing import Any

from kg.datafiles import read_json, read_user_json
from kg.errors import ConfigError
from kg.mentions import ABBREVIATION_PREFIXES
from kg.model import Mention, ParsedDoc, Token
from kg.predicates import get_predicate
from kg.schema import validate
from kg.spans import span_at


@dataclass(frozen=True)
class TriggerRule:
    """One data rule: trigger lemmas, role particles, the predicate it yields."""

    name: str
    predicate: str
    triggers: tuple[str, ...]
    subject: frozenset[str]
    object: frozenset[str]
    verbal_only: bool = False
    example: str = ""
    subject_types: frozenset[str] = frozenset({"Person", "State", "Organization"})
    object_types: frozenset[str] = frozenset({"Person", "State", "Organization"})

    def __post_init__(self) -> None:
        try:
            get_predicate(self.predicate)
        except ConfigError as err:
            raise ConfigError(f"relation rule {self.name!r}: {err}") from None

    @property
    def symmetric(self) -> bool:
        """Whether the rule's predicate holds both ways (the predicate table says)."""
        return get_predicate(self.predicate).symmetric


@dataclass(frozen=True)
class RuleSet:
    """The trigger rules and the small vocabularies the rule functions read."""

    triggers: tuple[TriggerRule, ...]
    light_verbs: frozenset[str]
    negation: frozenset[str]
    denial: frozenset[str]
    modality: dict[str, str]
    compound_triggers: dict[str, str]
    party_suffixes: tuple[str, ...]
    enabled: frozenset[str] = field(default_factory=frozenset)

    def with_rules(self, rules: Iterable[TriggerRule | dict[str, Any]]) -> RuleSet:
        """A copy with more trigger rules (a rule with a known name replaces that rule)."""
        extra = [r if isinstance(r, TriggerRule) else trigger_rule(check_rule(r)) for r in rules]
        names = {r.name for r in extra}
        kept = tuple(r for r in self.triggers if r.name not in names)
        return replace(self, triggers=(*kept, *extra))

    def only(self, names: Iterable[str]) -> RuleSet:
        """A copy that runs only the named rules; an unknown name raises, listing the valid ones."""
        wanted = set(names)
        valid = set(PATTERN_RULES) | {r.name for r in self.triggers}
        unknown = sorted(wanted - valid)
        if unknown:
            raise ConfigError(f"unknown relation rule {', '.join(unknown)}; valid rules: {', '.join(sorted(valid))}")
        return replace(self, enabled=frozenset(wanted))

    @cached_property
    def trigger_index(self) -> dict[str, list[TriggerRule]]:
        """Trigger word → rules, so each token is checked against a few rules, not all."""
        index: dict[str, list[TriggerRule]] = {}
        for rule in self.triggers:
            for word in rule.triggers:
                index.setdefault(word, []).append(rule)
        return index

    def is_enabled(self, name: str) -> bool:
        return not self.enabled or name in self.enabled


@dataclass(frozen=True)
class Candidate:
    """A relation between two mentions, read from one sentence by one rule."""

    subject: Mention
    predicate: str
    object: Mention
    rule: str
    sentence: tuple[int, int]
    position: str = ""
    modality: str = "asserted"


def check_rule(data: Any) -> dict[str, Any]:
    """A user's rule, checked against the rule schema (kg/data/schemas/rules.schema.json); else ConfigError."""
    name = data.get("name") if isinstance(data, dict) else None
    validate(data, "rule", source=f"relation rule {name!r}" if isinstance(name, str) else "relation rule")
    return data  # type: ignore[no-any-return]


def trigger_rule(data: dict[str, Any]) -> TriggerRule:
    """A TriggerRule from its JSON form, with a clear error for a malformed one."""
    if "symmetric" in data:
        raise ConfigError(f"relation rule {data.get('name', data)!r}: 'symmetric' is not a rule field; "
                          "whether a predicate holds both ways is declared in kg/data/predicates.json")
    try:
        return TriggerRule(
            name=str(data["name"]), predicate=str(data["predicate"]),
            triggers=tuple(data["triggers"]), subject=frozenset(data.get("subject", ["が", "は", "も"])),
            object=frozenset(data["object"]),
            verbal_only=bool(data.get("verbal_only", False)), example=str(data.get("example", "")),
            subject_types=frozenset(data.get("subject_types", ["Person", "State", "Organization"])),
            object_types=frozenset(data.get("object_types", ["Person", "State", "Organization"])))
    except (KeyError, TypeError) as err:
        raise ConfigError(f"relation rule {data.get('name', data)!r}: missing or bad field {err}") from None


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rules shipped with kg."""
    data = read_json("relation_rules.json")
    return RuleSet(
        triggers=tuple(trigger_rule(r) for r in data["rules"]),
        light_verbs=frozenset(data["light_verbs"]), negation=frozenset(data["negation"]),
        denial=frozenset(data["denial"]), modality=dict(data["modality"]),
        compound_triggers=dict(data["compound_triggers"]), party_suffixes=tuple(data["party_suffixes"]))


def load_rules(user_file: str | Path | None = None) -> RuleSet:
    """The shipped rules, plus the trigger rules of the user's file (``{"rules": [...]}``)."""
    rules = default_rules()
    if user_file is None:
        return rules
    path = Path(user_file)
    data = read_user_json(path, what="rule")
    validate(data, "rules", source=str(path))
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ConfigError(f'{path}: a rule file is a JSON object {{"rules": [...]}}')
    try:
        return rules.with_rules(data["rules"])
    except ConfigError as err:  # a predicate not in the table: say which file
        raise ConfigError(f"{path}: {err}") from None


# --- one document's view: tokens, mentions, particles ------------------------------------------

class DocView:
    """Index over one document's tokens and mentions that the rules share."""

    def __init__(self, parsed: ParsedDoc, text: str, mentions: Sequence[Mention]) -> None:
        self.parsed, self.text, self.toks = parsed, text, parsed.tokens
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self._starts = [t.start for t in self.toks]
        # Indexes, so each lookup costs the same however long the document (run-on text included).
        self._mention_starts = [m.start for m in self.mentions]
        self.by_start: dict[int, list[Mention]] = {}
        self.by_end: dict[int, list[Mention]] = {}
        for m in self.mentions:
            self.by_start.setdefault(m.start, []).append(m)
            self.by_end.setdefault(m.end, []).append(m)

    @cached_property
    def _quotes(self) -> list[int]:
        """Quotations opened minus closed before each offset (「『 count +1, 」』 count -1)."""
        steps = (1 if ch in "「『" else -1 if ch in "」』" else 0 for ch in self.text)
        return [0, *accumulate(steps)]

    def quote_depth(self, start: int, offset: int) -> int:
        """How many 「『 quotations are open at ``offset``, counted from ``start`` (a sentence start)."""
        return max(0, self._quotes[offset] - self._quotes[start])

    def token_at(self, offset: int) -> int:
        """Index of the token that contains character ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def sentence_of(self, offset: int) -> tuple[int, int] | None:
        return span_at(self.parsed.sentences, offset)

    def in_sentence(self, sentence: tuple[int, int]) -> list[Mention]:
        low = bisect.bisect_left(self._mention_starts, sentence[0])
        high = bisect.bisect_left(self._mention_starts, sentence[1])
        return self.mentions[low:high]

    def starting_within(self, start: int, end: int) -> list[Mention]:
        """Mentions that start in ``[start, end]``, in order."""
        return self.mentions[bisect.bisect_left(self._mention_starts, start):
                             bisect.bisect_right(self._mention_starts, end)]

    def covers(self, offset: int) -> bool:
        """Whether some mention spans character ``offset``."""
        k = bisect.bisect_right(self._mention_starts, offset)
        while k > 0 and self.mentions[k - 1].start > offset - self._longest:
            k -= 1
            if self.mentions[k].end > offset:
                return True
        return False

    @cached_property
    def _longest(self) -> int:
        return max((m.end - m.start for m in self.mentions), default=0)

    def mention_at(self, start: int, *, types: Iterable[str] = ("Person", "State", "Organization")) -> Mention | None:
        return next((m for m in self.by_start.get(start, ()) if m.type in types), None)

    def particle(self, mention: Mention) -> str:
        """The particle after a mention, past the title nouns glued to it (が, と, による, からの, 、)."""
        if mention.start > 0 and self.text[mention.start - 1] == "対" and mention.type == "State":
            return "対"  # 対米: toward the US
        k = self.token_at(mention.end - 1) + 1
        skipped = 0
        while k < len(self.toks) and skipped < 5 and self.toks[k].pos in ("NOUN", "PROPN", "SYM", "NUM") \
                and self.toks[k].dep not in ("case", "fixed") and self.toks[k].start == self.toks[k - 1].end:
            k += 1
            skipped += 1
        parts = []
        while k < len(self.toks) and (self.toks[k].dep in ("case", "fixed") or self.toks[k].pos == "ADP"):
            parts.append(self.toks[k].text)
            k += 1
        if not parts and k < len(self.toks) and self.toks[k].text == "、":
            # A bare name or a titled person before the comma (トランプ大統領、…), not any
            # noun phrase (ロシアのウクライナ侵攻後、…): only then is the comma a role marker.
            glued = self.text[mention.end:self.toks[k].start]
            return "、" if not glued or (mention.position and glued.endswith(mention.position)) else ""
        return "".join(parts)

    def path(self, mention: Mention, *, hops: int = 4) -> list[int]:
        """Token indices from the mention's last token up its dependency heads."""
        k = self.token_at(mention.end - 1)
        out = [k]
        while len(out) <= hops and self.toks[k].head != k:
            k = self.toks[k].head
            out.append(k)
        return out

    def bunsetu(self, k: int) -> range:
        """The token range of the bunsetu (phrase) holding token k."""
        start = k
        while start > 0 and self.toks[start].bunsetu != "B":
            start -= 1
        end = k + 1
        while end < len(self.toks) and self.toks[end].bunsetu != "B":
            end += 1
        return range(start, end)


# --- trigger rules ---------------------------------------------------------------------------

def _rules_for(tok: Token, index: dict[str, list[TriggerRule]]) -> list[TriggerRule]:
    """Rules whose trigger is the token's lemma or ends its text (電話会談 → 会談)."""
    found = list(index.get(tok.lemma, ()))
    for size in range(2, len(tok.text) + 1):
        found += [r for r in index.get(tok.text[-size:], ()) if r not in found]
    return found


def _is_trigger(tok: Token, rule: TriggerRule) -> bool:
    if rule.verbal_only and tok.pos != "VERB":
        return False
    return tok.lemma in rule.triggers or any(len(t) > 1 and tok.text.endswith(t) for t in rule.triggers)


def _governors(view: DocView, k: int, rules: RuleSet) -> set[int]:
    """The trigger token and the light verb that carries it (電話会談を行った → 会談, 行う)."""
    tok = view.toks[k]
    out = {k}
    head = view.toks[tok.head]
    if tok.head != k and head.lemma in rules.light_verbs:
        out.add(tok.head)
    if tok.dep == "advcl" and tok.head != k:
        out.add(tok.head)  # XがYを訪れ、Zと会談した: a て-clause shares the main clause's subject
    if tok.dep == "acl" and head.lemma in rules.modality:
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


def _reaches(view: DocView, mention: Mention, governors: set[int]) -> bool:
    """The mention depends on a governor, and not from inside a relative clause on the way."""
    for n, k in enumerate(view.path(mention)):
        if k in governors:
            return True
        if n > 0 and _relative_clause(view, k):
            return False  # …が提示する条件を受け入れ: the 提示 clause's subject is not 受け入れ's
    return False


def _relative_clause(view: DocView, k: int) -> bool:
    """An ``acl`` verb that really modifies a noun; 訪れ、… (a comma follows) chains clauses instead."""
    nxt = view.toks[k + 1] if k + 1 < len(view.toks) else None
    return view.toks[k].dep == "acl" and not (nxt is not None and nxt.text == "、" and nxt.head == k)


def _modality(view: DocView, governors: set[int], rules: RuleSet) -> str | None:
    """None when negated or denied; otherwise asserted, planned, possible…

    ``governors`` here are the trigger and its light verb (not a main clause's
    verb): 会談しなかった, 受け入れなければ are negated where they stand.
    """
    toks = view.toks
    last = max(governors)
    after = [toks[j] for j in range(last + 1, min(len(toks), last + 6)) if toks[j].head in governors or
             toks[j].bunsetu != "B" and j <= last + 3]
    if any(t.lemma in rules.negation and t.pos == "AUX" for t in after):
        return None
    heads = {toks[g].head for g in governors} - governors
    up = {toks[h].head for h in heads}
    if any(toks[h].lemma in rules.denial for h in heads | up):
        return None
    for t in [*after, *(toks[h] for h in heads)]:
        if t.lemma in rules.modality or t.text in rules.modality:
            return rules.modality.get(t.lemma) or rules.modality[t.text]
    return "asserted"


# Particles after which an entity modifies a noun; its role is that noun's (トランプ大統領からの提案を).
_GENITIVES = ("の", "からの", "との")


def _role(view: DocView, mention: Mention, rule: TriggerRule, governors: set[int]) -> str | None:
    """subject, object or None: by the mention's particle, or (after の) by the noun it modifies."""
    if any(p.type == "Person" for p in view.by_end.get(mention.start, ())):
        return None  # 米 in トランプ米大統領: the person's affiliation, not a participant
    particle = view.particle(mention)
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
        noun = Mention(doc=mention.doc, start=view.toks[modified].start, end=view.toks[modified].end,
                       text=view.toks[modified].text, type=mention.type)
        outer = view.particle(noun)
        if outer in rule.object:
            return "object"
        if outer in rule.subject:
            return "subject"
    return None


def trigger_relations(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """Every data rule's trigger with the mentions that depend on it.

    トランプ大統領はゼレンスキー大統領とも電話会談を行った。
    → (トランプ, met_with, ゼレンスキー), rule "meeting".
    """
    index = rules.trigger_index
    for k, tok in enumerate(view.toks):
        for rule in _rules_for(tok, index):
            if not rules.is_enabled(rule.name) or not _is_trigger(tok, rule):
                continue
            sentence = view.sentence_of(tok.start)
            if sentence is None:
                continue
            governors = _governors(view, k, rules)
            modality = _modality(view, {g for g in governors if g == k or toks_light(view, g, rules)}, rules)
            if modality is None:
                continue
            plan = view.toks[tok.head].lemma in rules.modality
            acl_head = view.bunsetu(tok.head) if _relative_clause(view, k) and not plan else range(0)
            roles: dict[Mention, str] = {}
            trigger_phrase = view.bunsetu(k)
            in_sentence = view.in_sentence(sentence)
            depth = view.quote_depth(sentence[0], tok.start)
            outside: dict[Mention, str] = {}
            for m in in_sentence:
                mk = view.token_at(m.end - 1)
                m_depth = view.quote_depth(sentence[0], m.start)
                if m_depth != depth:
                    if m_depth < depth and _reaches(view, m, governors):
                        role = _role(view, m, rule, governors)
                        if role == "subject":
                            outside[m] = role  # the speaker: the quotation's subject only if it names none
                    continue
                if mk in acl_head:
                    roles[m] = "subject"  # …を支援する英仏独: the noun a relative clause modifies
                elif mk == k or m.start >= tok.end or (mk in trigger_phrase and _compound_member(view, m)):
                    continue  # the trigger, a later mention, or 米露 in 米露首脳会談 (compound_trigger's)
                elif _reaches(view, m, governors):
                    role = _role(view, m, rule, governors)
                    if role:
                        roles[m] = role
            if outside and "subject" not in roles.values():
                roles.update(outside)  # 「…合意した」と明らかにした: the speaker agreed
            _coordinate(view, in_sentence, roles)
            allowed = {"subject": rule.subject_types, "object": rule.object_types}
            typed = [(m, r) for m, r in roles.items() if m.type in allowed[r] or rule.symmetric]
            yield from _pairs(typed, rule, sentence, modality)


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


def _coordinate(view: DocView, mentions: Sequence[Mention], roles: dict[Mention, str]) -> None:
    """AとBが…: A takes B's role when only a coordinator and A's title stand between them."""
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


def _pairs(roles: list[tuple[Mention, str]], rule: TriggerRule, sentence: tuple[int, int],
           modality: str) -> Iterator[Candidate]:
    if rule.symmetric:
        # AはBと会談: subject with object; AとBが会談: the coordinated subjects with each other.
        subjects = [m for m, r in roles if r == "subject"]
        objects = [m for m, r in roles if r == "object"]
        pairs = [(a, b) for a in subjects for b in objects] if subjects and objects \
            else list(combinations(subjects or objects, 2))
        for a, b in pairs:
            yield Candidate(a, rule.predicate, b, rule.name, sentence, modality=modality)
        return
    for a, ra in roles:
        for b, rb in roles:
            if ra == "subject" and rb == "object":
                yield Candidate(a, rule.predicate, b, rule.name, sentence, modality=modality)


# --- pattern rules ---------------------------------------------------------------------------

def title_affiliation(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A state or organization inside a person's title.

    ルビオ米国務長官が会った。 → (ルビオ, holds_position_in, アメリカ合衆国, 国務長官)
    """
    for m in view.mentions:
        if m.type != "Person" or not m.affiliation:
            continue
        host = next((o for o in view.starting_within(m.end, m.end + 4) if o.key == f"lex:{m.affiliation}"), None)
        sentence = view.sentence_of(m.start)
        if host and sentence:
            yield Candidate(m, _position_predicate(host, rules), host, "title_affiliation", sentence,
                            position=m.position)


def genitive_position(view: DocView, rules: RuleSet) -> Iterator[Candidate]:
    """A state or organization in the genitive right before a titled person.

    ロシアのラブロフ外相が語った。 → (ラブロフ, holds_position_in, ロシア, 外相);
    共和党のレーガン大統領 → (レーガン, member_of, 共和党).
    """
    for m in view.mentions:
        if m.type == "Person" or view.text[m.end:m.end + 1] != "の":
            continue
        person = view.mention_at(m.end + 1, types=("Person",))
        sentence = view.sentence_of(m.start)
        if person and sentence and (person.position or person.affiliation):
            yield Candidate(person, _position_predicate(m, rules), m, "genitive_position", sentence,
                            position=person.position)


def _position_predicate(host: Mention, rules: RuleSet) -> str:
    return "member_of" if host.type == "Organization" and host.text.endswith(rules.party_suffixes) \
        else "holds_position_in"


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
        predicate = next((p for word, p in sorted(rules.compound_triggers.items(), key=lambda x: -len(x[0]))
                          if following.startswith(word)), None)
        sentence = view.sentence_of(run[0].start)
        if predicate and sentence:
            for a, b in combinations(run, 2):
                yield Candidate(a, predicate, b, "compound_trigger", sentence)


_MEMBER_STATES = ("加盟諸国", "加盟国", "加盟各国")
_LIST_GLUE = ("など", "や", "、", "・", "と", "及び", "および")


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
    found = []
    pos = end
    while True:
        for glue in _LIST_GLUE:
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
        if rest.startswith("加盟") and not rest.startswith(_MEMBER_STATES) and sentence:
            yield Candidate(m, "seeks_membership", org, "accession_bid", sentence, modality="asserted")


PATTERN_RULES: dict[str, Callable[[DocView, RuleSet], Iterator[Candidate]]] = {
    "title_affiliation": title_affiliation,
    "genitive_position": genitive_position,
    "compound_trigger": compound_trigger,
    "member_states": member_states,
    "accession_bid": accession_bid,
}


def find_candidates(parsed: ParsedDoc, text: str, mentions: Sequence[Mention], *,
                    rules: RuleSet) -> list[Candidate]:
    """Every rule's candidates in one document."""
    view = DocView(parsed, text, mentions)
    out = list(trigger_relations(view, rules))
    for name, rule in PATTERN_RULES.items():
        if rules.is_enabled(name):
            out.extend(rule(view, rules))
    return out
