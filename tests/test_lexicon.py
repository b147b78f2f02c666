"""The lexicon data files and the user's lexicon file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import ConfigError
from kg.lexicon import default_lexicon, load_lexicon

from .conftest import ROOT


def test_every_state_has_its_japanese_names() -> None:
    lex = default_lexicon()
    states = [e for e in lex.entries.values() if e.type == "State"]
    assert len(states) > 190
    assert lex.lookup("米国").id == lex.lookup("アメリカ").id == "usa"  # type: ignore[union-attr]
    assert lex.lookup("ロシア連邦").id == "russia"  # type: ignore[union-attr]
    assert lex.abbreviations["露"] == lex.abbreviations["ロ"] == "russia"
    assert lex.lookup("ソ連").type == "State"  # type: ignore[union-attr]  # historical states too
    assert lex.lookup("ＮＡＴＯ").id == "nato"  # type: ignore[union-attr]  # width variants


def test_user_file_adds_aliases_types_and_ignores(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({
        "entities": [{"label": "DeepState", "type": "Organization", "aliases": ["DEEP STATE"]},
                     {"label": "北大西洋条約機構", "aliases": ["北大西洋同盟"]}],
        "ignore": ["オールドメディア"]}, ensure_ascii=False), encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.lookup("deep state").label == "DeepState"  # type: ignore[union-attr]
    assert lex.lookup("北大西洋同盟").id == "nato"  # type: ignore[union-attr]  # extends the known entry
    assert "オールドメディア" in lex.ignore


def test_a_user_entry_can_name_its_club_in_sports_stories(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps({"entities": [{"label": "サンフレッチェ広島", "sports_names": ["広島"]}]},
                               ensure_ascii=False), encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.sports["広島"] == "user_サンフレッチェ広島" and lex.lookup("広島") is None
    assert lex.sports["楽天"] == "eagles" and lex.lookup("楽天").id == "rakuten"  # type: ignore[union-attr]
    assert lex.sports_story("先発投手が好投し、試合は3対1で勝利した。") and not lex.sports_story("試合が中止になった。")


def test_a_separate_entry_takes_its_names_from_the_entries_that_had_them() -> None:
    lex = default_lexicon().with_entries([{"label": "大統領府", "type": "Organization", "separate": True},
                                          {"label": "北大西洋条約機構", "type": "Organization", "separate": True}])
    assert lex.lookup("大統領府").id == "user_大統領府"  # type: ignore[union-attr]
    kremlin = lex.entries["kremlin"]
    assert "大統領府" not in kremlin.aliases and lex.lookup(kremlin.label).id == "kremlin"  # type: ignore[union-attr]
    # an entry that loses its label is relabelled with a name it keeps
    assert lex.lookup("北大西洋条約機構").id == "user_北大西洋条約機構"  # type: ignore[union-attr]
    assert lex.entries["nato"].label == "NATO" and lex.lookup("NATO").id == "nato"  # type: ignore[union-attr]
    without = default_lexicon().with_entries([{"label": "大統領府", "type": "Organization"}])
    assert without.lookup("大統領府").id == "kremlin"  # type: ignore[union-attr]  # not separate: it joins


@pytest.mark.parametrize(("content", "message"), [
    ("{oops", "not valid JSON"),
    ('{"entities": [{"label": "X", "type": "Country"}]}',
     'entities\\[0\\].type: "Country" is not one of Person, State, Organization'),
    ('{"entities": [{"aliases": []}]}', "entities\\[0\\]: the field 'label' is missing"),
    ('{"entities": [{"label": "X", "separate": "yes"}]}', "entities\\[0\\].separate: "),
])
def test_bad_user_file_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_lexicon(path)


@pytest.mark.slow
def test_cli_reports_a_bad_lexicon_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.json"
    path.write_text("{oops", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kg", "build", "--lexicon", str(path), "corpus"],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("kg: error: ") and len(result.stderr.strip().splitlines()) == 1
