"""Relation rules over GiNZA's dependency parse: the rule set and the one entry point.

Two kinds of rule, both small named functions over one document:

- **trigger rules** are data (``kg/data/relation_rules.json``, plus the user's
  file): a trigger lemma, the particles that mark subject and object, the
  predicate; :mod:`kg.triggers` applies them.
- **pattern rules** (:mod:`kg.patterns`) read a fixed construction: a title's
  affiliation (ルビオ米国務長官), a genitive before a titled name
  (ロシアのラブロフ外相), an abbreviation compound before a trigger noun
  (米露首脳会談), member states (英仏独などNATO加盟諸国) and an accession bid.

Candidates are plain records between mentions; :mod:`kg.relations` turns them
into relations between entities. Any rule runs alone with ``RuleSet.only``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kg.datafiles import read_json, read_user_json
from kg.docview import DocView
from kg.errors import ConfigError
from kg.modality import Vocabulary
from kg.model import Candidate, Mention, ParsedDoc
from kg.patterns import PATTERN_RULES
from kg.ruleset import RuleSet, TriggerRule, trigger_rule
from kg.schema import validate
from kg.triggers import trigger_relations

__all__ = ["Candidate", "DocView", "RuleSet", "TriggerRule", "default_rules", "find_candidates", "load_rules",
           "trigger_rule"]


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    """The rules shipped with kg."""
    data = read_json("relation_rules.json")
    titles = read_json("titles.json")
    return RuleSet(
        triggers=tuple(trigger_rule(r) for r in data["rules"]),
        light_verbs=frozenset(data["light_verbs"]),
        modality=Vocabulary.from_data({k: v for k, v in data["modality"].items() if not k.startswith("_")}),
        compound_triggers=dict(data["compound_triggers"]), genitive_links=tuple(data["genitive_links"]),
        anaphors=tuple(data["anaphors"]),
        titles=frozenset(titles["titles"]) | frozenset(titles["roles"]), roles=frozenset(titles["roles"]),
        state_offices=frozenset(titles["state_offices"]), team_titles=frozenset(titles["team_titles"]),
        cabinet_offices=frozenset(titles["cabinet_offices"]), cabinet_suffixes=tuple(titles["cabinet_suffixes"]),
        envoy_titles=frozenset(titles["envoy_titles"]), honorifics=frozenset(titles["honorifics"]),
        kind_heads=frozenset(data["kind_heads"]),
        patterns=PATTERN_RULES)


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




def find_candidates(parsed: ParsedDoc, text: str, mentions: Sequence[Mention], *,
                    rules: RuleSet) -> list[Candidate]:
    """Every rule's candidates in one document."""
    view = DocView(parsed, text, mentions)
    out = list(trigger_relations(view, rules))
    for name, rule in rules.patterns.items():
        if rules.is_enabled(name):
            out.extend(rule(view, rules))
    return out

