"""Event precision on a hand-graded sample of Japanese Wikinews (tests/data/events-graded.jsonl).

The sample holds every event node the build made from its articles (the eight dev articles and
untuned ones drawn by ``scripts/sample_events.py``), each read against its sentences and graded
(tests/data/README.md). The test builds those articles again and grades what comes out by the
sample: an event matches a graded one by kind, participants, date, place, modality and documents;
an event no one graded counts as wrong, so a change that makes new events, or changes a right
one, fails here until the sample is graded again.
"""

from __future__ import annotations

import json

import pytest

import kg

from .conftest import ROOT

DATA = ROOT / "tests" / "data"
#: Parses of the sample's articles, kept between sessions (gitignored; CI starts without it).
EVENT_PARSES = ROOT / ".kg-cache" / "tests-events"

Key = tuple[str, tuple[str, ...], str, str, str, tuple[str, ...]]


def key_of(kind: str, participants: list[str] | tuple[str, ...], date: str, place: str, modality: str,
           docs: list[str] | set[str]) -> Key:
    return kind, tuple(sorted(participants)), date, place, modality, tuple(sorted(docs))


def graded() -> dict[Key, dict[str, object]]:
    rows = [json.loads(line) for line in (DATA / "events-graded.jsonl").open(encoding="utf-8")
            if line.strip() and not line.startswith("//")]
    return {key_of(r["kind"], r["participants"], r["date"], r["place"], r["modality"],
                   {v["doc"] for v in r["evidence"]}): r for r in rows}


@pytest.fixture(scope="module")
def sample_graph() -> kg.KnowledgeGraph:
    EVENT_PARSES.mkdir(parents=True, exist_ok=True)
    graph, _ = kg.build([DATA / "events-articles.jsonl"], cache_dir=EVENT_PARSES, workers=2)
    return graph


def test_the_graded_sample_is_graded() -> None:
    rows = graded().values()
    assert rows and all(isinstance(r["correct"], bool) for r in rows)
    assert all(r["cause"] for r in rows if not r["correct"]), "a wrong event says why"


def test_event_nodes_of_the_wikinews_sample_are_precise(sample_graph: kg.KnowledgeGraph) -> None:
    sample = graded()
    label = {e.id: e.label for e in sample_graph.entities}
    right, wrong = 0, []
    for e in sample_graph.events:
        key = key_of(e.kind, [label[p] for p in e.participants], e.date, e.place, e.modality,
                     {v.doc for v in e.evidence})
        row = sample.get(key)
        if row is not None and row["correct"]:
            right += 1
        else:
            wrong.append(f"{key}: " + ("not graded" if row is None else str(row["cause"])))
    found = right + len(wrong)
    assert found, "no events built from the sample's articles"
    assert right / found >= 0.9, f"precision {right}/{found}:\n" + "\n".join(wrong)
    # and the build still finds most of the right ones (a build with no events is not precise)
    correct = sum(1 for r in sample.values() if r["correct"])
    assert right >= 0.8 * correct, f"only {right} of the {correct} right events still built"
