"""Per-document records for ``kg extract``: date, mentions, entities, relations and events of each article."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict

from kg.events import event_dict
from kg.graph import KnowledgeGraph
from kg.timex import document_date_fields


def extract_records(graph: KnowledgeGraph) -> Iterator[dict[str, object]]:
    """One record per document, in corpus order, with offsets into its original text.

    ``date`` is the document's (with ``date_rule``, the rule that found it, and
    ``date_text``; ``null`` when none did); ``events`` the event nodes some
    sentence of it tells, each with only that document's evidence sentences.
    """
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    for mention, entity_id in graph.mentions:
        by_doc[mention.doc].append({"start": mention.start, "end": mention.end, "text": mention.text,
                                    "type": mention.type, "entity": entity_id})
    for doc in graph.documents:
        mentions = sorted(by_doc.get(doc.id, []), key=lambda m: (m["start"], m["end"]))
        ids = {m["entity"] for m in mentions}
        entities = [{"id": e.id, "label": e.label, "type": e.type, "aliases": list(e.aliases)}
                    for e in graph.entities if e.id in ids]
        relations = []
        for rel in graph.relations:
            evidence = [asdict(ev) for ev in rel.evidence if ev.doc == doc.id]
            if not evidence:
                continue
            record: dict[str, object] = {"subject": rel.subject, "predicate": rel.predicate,
                                         "object": rel.object, "modality": rel.modality, "evidence": evidence,
                                         "rule": rel.rule}
            if rel.position:
                record["position"] = rel.position
            relations.append(record)
        events = []
        for event in graph.events:
            told = [e for e in event.evidence if e.doc == doc.id]
            if told:
                item = event_dict(event)
                item["evidence"] = [asdict(e) for e in told]
                events.append(item)
        yield {"id": doc.id, **document_date_fields(graph.dates.get(doc.id)), "mentions": mentions,
               "entities": entities, "relations": relations, "events": events}
