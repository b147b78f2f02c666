"""The Python API for notebooks: a Project extended step by step, and kg.load, with real GiNZA parses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import kg
from kg.errors import ConfigError, KgError
from kg.records import RecordCache

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

ARTICLE_ID = "extra_estonia.txt"
ARTICLE = """エストニア首相がキーウ訪問、ゼレンスキー氏を称賛

エストニアのクリステン・ミハル首相は20日、ウクライナの首都キーウを訪れ、ゼレンスキー大統領と会談した。
ミハル首相は記者会見で、ゼレンスキー大統領を称賛した。
ミハル首相は、エストニアは今後もウクライナを支援すると述べた。
"""
PRAISE = {"name": "praise", "predicate": "supports", "triggers": ["称賛"], "subject": ["が", "は"], "object": ["を"]}
GOVERNMENT = ["ウクライナ政権", "キエフ政権", "ゼレンスキー政権"]


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def project(seed_build: tuple[kg.KnowledgeGraph, kg.BuildReport], cache_dir: Path) -> kg.Project:
    """A project over the seed corpus whose cache already holds the five parses."""
    return kg.Project(CORPUS, cache=cache_dir, workers=1)


@pytest.mark.slow
def test_adding_an_article_parses_only_that_article(project: kg.Project, cache_dir: Path) -> None:
    graph = project.build()
    assert (project.report.documents, project.report.parsed, project.report.cached) == (5, 0, 5)
    assert graph.find("ミハル") is None
    corpus_before, cache_before = _files(CORPUS), _files(cache_dir)

    project.add_document(ARTICLE_ID, ARTICLE)
    graph = project.build()
    assert (project.report.documents, project.report.parsed, project.report.cached) == (6, 1, 5)
    michal = graph.find("ミハル")
    assert michal is not None and michal.label == "クリステン・ミハル" and michal.type == "Person"
    assert michal.docs == (ARTICLE_ID,) and michal.community >= 0 and michal.centrality > 0
    # an article written in the notebook leaves no trace on disk: not in corpus/, not in the cache folder
    assert _files(CORPUS) == corpus_before and _files(cache_dir) == cache_before
    rows = graph.sparql(f'SELECT ?name WHERE {{ ?a schema:identifier "{ARTICLE_ID}" ; schema:mentions ?e . '
                        '?e rdfs:label ?name }')
    assert "クリステン・ミハル" in {row["name"] for row in rows}

    graph = project.build()  # nothing new: every parse is in memory now
    assert (project.report.parsed, project.report.cached) == (0, 6)
    project.remove_document(ARTICLE_ID)
    assert project.graph.find("ミハル") is None and project.report.documents == 5


@pytest.mark.slow
def test_a_rebuild_reads_no_record_from_disk_and_gives_the_graph_a_fresh_build_gives(
        project: kg.Project, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project.build()
    read: list[str] = []
    real_get = RecordCache.get
    monkeypatch.setattr(RecordCache, "get", lambda self, key, *, doc_id: read.append(doc_id) or real_get(
        self, key, doc_id=doc_id))
    project.add_document(ARTICLE_ID, ARTICLE)
    graph = project.build()
    assert read == []  # the five corpus records were kept in memory, the new article mapped here
    fresh = kg.Project(CORPUS, cache=cache_dir, workers=1)
    fresh.add_document(ARTICLE_ID, ARTICLE)
    again = fresh.build()
    assert [(e.id, e.label, e.mentions, e.community) for e in graph.entities] \
        == [(e.id, e.label, e.mentions, e.community) for e in again.entities]
    assert [(r.subject, r.predicate, r.object, r.evidence) for r in graph.relations] \
        == [(r.subject, r.predicate, r.object, r.evidence) for r in again.relations]


@pytest.mark.slow
def test_graph_rebuilds_after_a_change_and_not_otherwise(project: kg.Project) -> None:
    first = project.graph
    assert project.graph is first
    project.add_document(ARTICLE_ID, ARTICLE)
    second = project.graph
    assert second is not first and second.find("ミハル") is not None


@pytest.mark.slow
def test_a_rule_takes_effect_on_the_cached_parses(project: kg.Project) -> None:
    project.add_document(ARTICLE_ID, ARTICLE)
    graph = project.build()
    michal, zelensky = graph.find("ミハル"), graph.find("ゼレンスキー")
    assert not [r for r in graph.relations if r.predicate == "supports" and r.subject == michal.id]

    rule = project.add_rule(PRAISE)
    assert rule.predicate == "supports" and rule.triggers == ("称賛",)
    graph = project.build()
    assert project.report.parsed == 0
    praise = [r for r in graph.relations if "praise" in r.rule.split(",")]
    ours = [r for r in praise if (r.subject, r.object) == (michal.id, zelensky.id)]
    assert [ev.sentence for r in ours for ev in r.evidence] == ["ミハル首相は記者会見で、ゼレンスキー大統領を称賛した。"]
    assert graph.sparql('ASK { ?m rdfs:label "クリステン・ミハル"@ja ; kg:supports ?z . '
                        '?z rdfs:label "ウォロディミル・ゼレンスキー"@ja }') is True


@pytest.mark.slow
def test_an_alias_merges_entities_and_type_fixes_and_ignores_apply(project: kg.Project) -> None:
    graph = project.build()
    before = [graph.find(name) for name in GOVERNMENT]
    assert len({e.id for e in before}) == 3
    assert graph.find("ララ・トランプ").type == "Person"

    project.add_alias(*GOVERNMENT)  # no type given: the graph's (Organization)
    project.set_type("ララ・トランプ", "Organization")  # a user's type fix wins, right or wrong
    project.ignore("リベラル")
    graph = project.build()
    merged = graph.find("キエフ政権")
    assert merged.type == "Organization" and merged.label == "ウクライナ政権"
    assert all(graph.find(name).id == merged.id for name in GOVERNMENT)
    assert merged.mentions == sum(e.mentions for e in before)
    assert set(GOVERNMENT) <= set(merged.aliases)
    assert graph.find("ララ・トランプ").type == "Organization"
    assert graph.find("リベラル") is None
    assert project.report.parsed == 0


@pytest.mark.slow
def test_removing_an_alias_undoes_it(project: kg.Project) -> None:
    graph = project.build()
    kiev = graph.find("キエフ政権")
    project.add_alias(*GOVERNMENT)
    assert project.graph.find("キエフ政権").label == "ウクライナ政権"
    project.remove_alias("ウクライナ政権", "キエフ政権")
    graph = project.graph
    again = graph.find("キエフ政権")  # the entity it was before the alias, id and all
    assert (again.id, again.label, again.aliases, again.mentions) == (kiev.id, kiev.label, kiev.aliases, kiev.mentions)
    rest = graph.find("ゼレンスキー政権")
    assert rest.label == "ウクライナ政権" and set(rest.aliases) == {"ウクライナ政権", "ゼレンスキー政権"}
    with pytest.raises(ConfigError, match=r"^ソ連: not an alias of ウクライナ政権 \(its names: "):
        project.remove_alias("ウクライナ政権", "ソ連")


@pytest.mark.slow
def test_splitting_wrong_merges_made_by_the_build_and_by_the_shipped_lexicon(project: kg.Project) -> None:
    graph = project.build()
    clinton, kremlin = graph.find("クリントン"), graph.find("大統領府")
    # the build joined the surname to the one full name ending with it; the lexicon lists 大統領府
    # (the presidential office) under the Kremlin, but a Ukrainian article means Kyiv's
    assert clinton.label == "ヒラリー・クリントン" and kremlin.id == "kremlin"
    project.split("ヒラリー・クリントン", "クリントン")
    project.remove_alias("ロシア大統領府", "大統領府")  # a shipped alias: split off the same way
    graph = project.graph
    alone, hillary = graph.find("クリントン"), graph.find("ヒラリー・クリントン")
    assert alone.id != hillary.id and alone.type == "Person" and alone.aliases == ("クリントン",)
    assert alone.mentions + hillary.mentions == clinton.mentions
    office, russian = graph.find("大統領府"), graph.find("ロシア大統領府")
    assert office.id != russian.id == "kremlin" and office.type == "Organization"
    assert office.mentions + russian.mentions == kremlin.mentions and russian.aliases == ("ロシア大統領府",)
    assert project.report.parsed == 0
    with pytest.raises(ConfigError, match="name the aliases to split off"):
        project.split("ヒラリー・クリントン")


@pytest.mark.slow
def test_removing_a_document_leaves_it_out_of_the_next_builds(project: kg.Project) -> None:
    graph = project.build()
    only_there = [e for e in graph.entities if e.docs == ("004_38bd187ad446b2d2.txt",)]
    assert only_there
    project.remove_document("004_38bd187ad446b2d2.txt")
    graph = project.graph
    assert project.report.documents == 4 and "004_38bd187ad446b2d2.txt" not in {d.id for d in graph.documents}
    assert not {e.id for e in only_there} & {e.id for e in graph.entities}
    assert (CORPUS / "004_38bd187ad446b2d2.txt").is_file()  # the file stays
    with pytest.raises(ConfigError, match=r"no document '004_38bd187ad446b2d2.txt' in the project; its documents: "
                                          r"000_ecf8bfe473375b45.txt, 001"):
        project.remove_document("004_38bd187ad446b2d2.txt")
    project.add_documents([CORPUS / "004_38bd187ad446b2d2.txt"])  # adding it again brings it back
    assert project.graph.find(only_there[0].label) is not None and project.report.documents == 5


@pytest.mark.slow
def test_session_changes_written_out_give_the_same_graph_from_the_cli_options(
        project: kg.Project, tmp_path: Path, cache_dir: Path) -> None:
    project.add_alias(*GOVERNMENT, type="Organization")  # not built yet: say the type
    project.ignore("リベラル")
    project.add_rule(PRAISE)
    project.remove_alias("ウクライナ政権", "キエフ政権")
    project.split("ロシア大統領府", "大統領府")
    lexicon, rules = project.write_lexicon(tmp_path / "lexicon.json"), project.write_rules(tmp_path / "rules.json")
    written = json.loads(lexicon.read_text(encoding="utf-8"))
    assert written == {"entities": [{"label": "ウクライナ政権", "aliases": ["ゼレンスキー政権"], "type": "Organization"},
                                    {"label": "大統領府", "aliases": [], "type": "Organization", "separate": True}],
                       "ignore": ["リベラル"]}
    graph, _ = kg.build([CORPUS], cache_dir=cache_dir, workers=1, lexicon=lexicon, rules=rules)
    assert graph.entities == project.graph.entities
    assert graph.relations == project.graph.relations
    # and a project started from those files writes them back unchanged
    again = kg.Project(CORPUS, cache=cache_dir, lexicon=lexicon, rules=rules)
    assert json.loads(again.write_lexicon(tmp_path / "again.json").read_text(encoding="utf-8")) \
        == json.loads(lexicon.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_save_true_writes_the_article_into_the_corpus_folder(tmp_path: Path, cache_dir: Path) -> None:
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(cache_dir, cache)  # the seed's parses, without touching the session's cache
    project = kg.Project(corpus, cache=cache, workers=1)
    project.add_document(ARTICLE_ID, ARTICLE)
    project.build()  # parsed, and kept in memory only
    assert (project.report.parsed, corpus / ARTICLE_ID in _files(corpus)) == (1, False)
    project.add_document(ARTICLE_ID, ARTICLE, save=True)
    assert (corpus / ARTICLE_ID).read_text(encoding="utf-8") == ARTICLE
    project.build()
    assert project.report.parsed == 0
    # a file now, so its parse went to the cache folder: a fresh project parses nothing
    fresh = kg.Project(corpus, cache=cache, workers=1)
    fresh.build()
    assert (fresh.report.documents, fresh.report.parsed) == (6, 0)


def test_bad_input_is_one_clear_error(project: kg.Project) -> None:
    with pytest.raises(ConfigError, match="unknown relation predicate 'praises'; known predicates: met_with"):
        project.add_rule({**PRAISE, "predicate": "praises"})
    with pytest.raises(ConfigError, match="relation rule 'no triggers': the field 'triggers' is missing"):
        project.add_rule({"name": "no triggers", "predicate": "supports"})
    with pytest.raises(ConfigError, match="not in the lexicon or the last build; give type="):
        project.add_alias("まだ誰も知らない名前", "別名")
    with pytest.raises(ConfigError, match="type 'Country' is not one of Person, State, Organization"):
        project.set_type("ロシア", "Country")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="give a file name"):
        project.add_document("a/b.txt", "本文")
    with pytest.raises(ConfigError, match="the text is empty"):
        project.add_document("empty.txt", "  \n")
    with pytest.raises(ConfigError, match="name it .txt or .md"):
        project.add_document("extra", ARTICLE, save=True)
    with pytest.raises(kg.CorpusError, match="no documents"):
        kg.Project(None, cache=None).build()


@pytest.mark.slow
def test_load_round_trip(project: kg.Project, tmp_path: Path) -> None:
    project.add_document(ARTICLE_ID, ARTICLE)
    graph = project.graph
    paths = project.save(tmp_path / "out")
    assert sorted(p.name for p in paths.values()) == ["graph.html", "graph.json", "graph.ttl"]
    loaded = kg.load(tmp_path / "out")  # the folder, or graph.json itself
    assert loaded.entities == graph.entities  # analytics included
    assert len(loaded.relations) == len(graph.relations)
    assert set(loaded.relations) == set(graph.relations)  # evidence included
    assert [(d.id, d.title, d.urls) for d in loaded.documents] == [(d.id, d.title, d.urls) for d in graph.documents]
    assert kg.load(tmp_path / "out" / "graph.json").find("ミハル") == graph.find("ミハル")
    query = "SELECT ?name ?c WHERE { ?e rdfs:label ?name ; kg:degreeCentrality ?c } ORDER BY DESC(?c) ?name LIMIT 5"
    assert loaded.sparql(query).tuples() == graph.sparql(query).tuples()


def test_load_refuses_what_is_not_a_graph(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no such file"):
        kg.load(tmp_path)
    (tmp_path / "graph.json").write_text('{"nodes": [{"id": "x"}], "edges": []}', encoding="utf-8")
    with pytest.raises(KgError, match="not a kg graph.json"):
        kg.load(tmp_path)
    (tmp_path / "graph.json").write_text("[1, 2", encoding="utf-8")
    with pytest.raises(KgError, match="not a graph.json file"):
        kg.load(tmp_path)
