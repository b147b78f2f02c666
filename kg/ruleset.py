"""The relation rules' data: trigger rules and the vocabularies the rule functions read.

A :class:`RuleSet` holds the trigger rules (``kg/data/relation_rules.json``
plus the user's file), the small vocabularies (light verbs, negation,
modality words…) and the registry of pattern rules, so that ``only`` can run
any rule alone. :mod:`kg.rules` assembles the default one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kg.digest import digest
from kg.errors import ConfigError
from kg.modality import Vocabulary
from kg.predicates import get_predicate
from kg.schema import validate

if TYPE_CHECKING:
    from kg.docview import DocView
    from kg.model import Candidate

#: A pattern rule: one document's view and the rule set in, candidates out.
PatternRule = Callable[["DocView", "RuleSet"], Iterator["Candidate"]]


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
    #: A mention glued right before the trigger (毎日オリオンズ入団) is its object.
    glued_object: bool = False
    #: A sentence that names no subject takes the article's topic person (…に移籍した).
    carry_subject: bool = False
    #: In the passive (逮捕された), these particles mark the subject and が/は the object.
    passive_agent: frozenset[str] = frozenset()
    #: The trigger must be the sentence's predicate (…社員となった), not describe a noun (…社員の田中).
    predicative_only: bool = False
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
    modality: Vocabulary
    compound_triggers: dict[str, str]
    #: Linking nouns between two names (X傘下のY → part_of), from ``genitive_links``.
    genitive_links: tuple[dict[str, Any], ...] = ()
    #: 同社, 同国, 同党…: the words and the kind of name they point back to, from ``anaphors``.
    anaphors: tuple[dict[str, Any], ...] = ()
    #: Titles that are positions, and those that are memberships (kg/data/titles.json).
    titles: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    #: Titles of a state's offices (大統領, 外相): at a party they mean membership.
    state_offices: frozenset[str] = frozenset()
    #: Posts in a sports team (監督, 主将): after a state they mean its national team.
    team_titles: frozenset[str] = frozenset()
    #: Offices of a state's head and government (首相, 外相…), and endings that make one (相, 大臣).
    cabinet_offices: frozenset[str] = frozenset()
    cabinet_suffixes: tuple[str, ...] = ()
    #: Words after a name that mark a person and carry nothing (氏, さん, 容疑者).
    honorifics: frozenset[str] = frozenset()
    #: A diplomat's titles (大使, 特使): a state glued before one is where he is sent.
    envoy_titles: frozenset[str] = frozenset()
    #: Nouns of a kind of actor that, glued after a trigger with its object before it, name a category
    #: (テロ|支援|国家): the compound is a label, not the event (``kind_heads``).
    kind_heads: frozenset[str] = frozenset()
    #: The pattern rules (name → function), run after the trigger rules.
    patterns: Mapping[str, PatternRule] = field(default_factory=dict)
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
        valid = set(self.patterns) | {r.name for r in self.triggers}
        unknown = sorted(wanted - valid)
        if unknown:
            raise ConfigError(f"unknown relation rule {', '.join(unknown)}; valid rules: {', '.join(sorted(valid))}")
        return replace(self, enabled=frozenset(wanted))

    @cached_property
    def person_words(self) -> frozenset[str]:
        """Words that stand for a person after a name: titles, roles and honorifics (氏, 容疑者, 選手)."""
        return self.titles | self.roles | self.honorifics

    def is_cabinet_office(self, title: str) -> bool:
        """首相, 外相, 国土交通大臣: an office of a state's head or government (kg/data/titles.json)."""
        return title in self.cabinet_offices or bool(title) and title.endswith(self.cabinet_suffixes)

    @cached_property
    def titles_longest_first(self) -> tuple[str, ...]:
        """The titles, longest first: the first that fits is the whole title (代表特別補佐 before 代表)."""
        return tuple(sorted(self.titles, key=len, reverse=True))

    @cached_property
    def trigger_index(self) -> dict[str, list[TriggerRule]]:
        """Trigger word → rules, so each token is checked against a few rules, not all."""
        index: dict[str, list[TriggerRule]] = {}
        for rule in self.triggers:
            for word in rule.triggers:
                index.setdefault(word, []).append(rule)
        return index

    def fingerprint(self) -> str:
        """A digest of the rules, their vocabularies and which are enabled (a cache key part)."""
        return digest(self)

    def is_enabled(self, name: str) -> bool:
        return not self.enabled or name in self.enabled



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
            glued_object=bool(data.get("glued_object", False)), carry_subject=bool(data.get("carry_subject", False)),
            passive_agent=frozenset(data.get("passive_agent", ())),
            predicative_only=bool(data.get("predicative_only", False)),
            subject_types=frozenset(data.get("subject_types", ["Person", "State", "Organization"])),
            object_types=frozenset(data.get("object_types", ["Person", "State", "Organization"])))
    except (KeyError, TypeError) as err:
        raise ConfigError(f"relation rule {data.get('name', data)!r}: missing or bad field {err}") from None

