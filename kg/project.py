"""A Project: the graph of a corpus, extended step by step from a notebook or a script.

:func:`kg.build` turns files into a graph in one call; a :class:`Project`
keeps what a notebook session adds to it — articles written in the notebook,
aliases, merges, type fixes, names to ignore, relation rules — and rebuilds
cheaply after each change::

    project = kg.Project("corpus", cache=".kg-cache")
    graph = project.build()                     # parses what the cache lacks
    project.add_document("extra.txt", "ロシアのプーチン大統領は…")
    project.add_alias("ウォロディミル・ゼレンスキー", "ゼレ氏")
    project.add_rule({"name": "praise", "predicate": "supports", "triggers": ["称賛"], "object": ["を"]})
    project.split("ロシア大統領府", "大統領府")  # undo a wrong merge; remove_alias, remove_document too
    graph = project.build()
    project.report.parsed                       # 1: only the new article went through GiNZA
    project.save("output/")

Rebuilding is cheap because the parse is the only expensive step and each
parse is cached by text: entity and relation rules run again over the cached
parses. :attr:`Project.report` (a :class:`~kg.pipeline.BuildReport`) shows
how many documents were parsed and how many came from the cache.

Articles added with :meth:`Project.add_document` live in memory: nothing is
written into the corpus folder unless ``save=True``, and their parses are
kept in memory for the session rather than in the cache folder, so a
notebook leaves no trace on disk. Files added with
:meth:`Project.add_documents` are cached like the corpus.

What a session added can be written out as the user lexicon and rule files
``kg build --lexicon … --rules …`` reads (:meth:`Project.write_lexicon`,
:meth:`Project.write_rules`), so the CLI builds the same graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cache import DEFAULT_CACHE_DIR, ParseCache, cache_key
from kg.corpus import (
    TEXT_SUFFIXES,
    Corpus,
    corpus_stamp,
    load_corpus,
    make_document,
    read_corpus,
)
from kg.errors import ConfigError, CorpusError, KgError
from kg.export import write_outputs
from kg.files import write_atomic
from kg.graph import KnowledgeGraph
from kg.lexicon import Lexicon, default_lexicon, load_lexicon
from kg.maptask import MemoryParses, Setup, make_task, map_task
from kg.model import ENTITY_TYPES, DocRecord, Document, EntityType
from kg.names import name_key
from kg.nlp import DEFAULT_MODEL, model_id
from kg.pipeline import BuildMemory, BuildReport, Stages, build_documents
from kg.records import extraction_key
from kg.rules import load_rules
from kg.ruleset import RuleSet, TriggerRule, check_rule, trigger_rule

if TYPE_CHECKING:
    from kg.sparql import Answer


class Project:
    """A corpus, the documents and rules a session added to it, and the graph they give.

    ``corpus`` is a folder or file (or several; ``None`` for none: only the
    documents you add). ``cache`` is the parse cache folder (``None``: keep
    parses in memory only). ``lexicon`` and ``rules`` are user files (or
    loaded :class:`~kg.lexicon.Lexicon` / :class:`~kg.rules.RuleSet`) as for
    ``kg build --lexicon/--rules``; the other options are :func:`kg.build`'s.

    Changes take effect at the next :meth:`build`; :attr:`graph` builds when
    anything changed since the last build, so it always shows the project as
    it stands.
    """

    def __init__(self, corpus: str | Path | Iterable[str | Path] | None = "corpus", *,
                 cache: str | Path | None = DEFAULT_CACHE_DIR,
                 lexicon: str | Path | Lexicon | None = None,
                 rules: str | Path | RuleSet | None = None,
                 workers: int | None = None, model: str = DEFAULT_MODEL,
                 window: str = "sentence", min_count: int = 1) -> None:
        if corpus is None:
            self.corpus: tuple[Path, ...] = ()
        elif isinstance(corpus, (str, Path)):
            self.corpus = (Path(corpus),)
        else:
            self.corpus = tuple(Path(p) for p in corpus)
        self._memory_docs: dict[str, Document] = {}
        self._file_docs: dict[str, Document] = {}
        self._removed_docs: set[str] = set()  # corpus documents left out of the next builds
        self._cache_dir = Path(cache) if cache is not None else None
        self._parses = MemoryParses()  # the parses of the documents mapped in this process
        self._read: tuple[object, Corpus] | None = None  # the corpus files' stamp and their last read
        self._memory = BuildMemory()  # records by record key, and what the reduce can reuse
        if isinstance(lexicon, (str, Path)):
            load_lexicon(lexicon)  # the loader's checks, its messages naming the file
        # The lexicon is always the base plus the items, so an item can be taken back.
        self._base_lexicon = lexicon if isinstance(lexicon, Lexicon) else default_lexicon()
        self._rules = rules if isinstance(rules, RuleSet) else load_rules(rules)
        self._lexicon_items: list[dict[str, Any]] = _user_file_items(lexicon, "entities")
        self._ignored: list[str] = [str(n) for n in _user_file_items(lexicon, "ignore")]
        self._lexicon = self._make_lexicon()
        self._rule_items: list[dict[str, Any]] = _user_file_items(rules, "rules")
        self._workers, self._model, self._window, self._min_count = workers, model, window, min_count
        self._graph: KnowledgeGraph | None = None
        self._report: BuildReport | None = None
        self._changed = True

    def __repr__(self) -> str:
        corpus = ", ".join(str(p) for p in self.corpus) or "no corpus"
        removed = f"{len(self._removed_docs)} removed, " if self._removed_docs else ""
        return (f"Project({corpus}; {len(self._memory_docs) + len(self._file_docs)} added documents, {removed}"
                f"{len(self._lexicon_items)} lexicon entries, {len(self._ignored)} ignored names, "
                f"{len(self._rule_items)} rules)")

    # ---------------------------------------------------------------- building

    def build(self) -> KnowledgeGraph:
        """Build the graph of the corpus and the added documents; keep it and its report.

        Only documents whose text no cache holds are parsed (see :attr:`report`).
        What the next build can reuse stays in memory (:class:`kg.pipeline.BuildMemory`):
        the records, the dates, the names found again, and the corpus as read, read
        again only when one of its files comes, goes or changes.
        """
        stages = Stages()
        with stages("read"):
            corpus = self._read_corpus()
            docs = self._with_added(corpus.documents)
            if not docs:
                raise CorpusError("no documents: give a corpus folder or add documents first")
        with stages("map"):  # the session's own articles (all of them without a cache folder), in this process
            local = [d for d in docs if d.id in self._memory_docs or self._cache_dir is None]
            mapped = [self._map_here(d) for d in local]
        graph, report = build_documents(docs, cache_dir=self._cache_dir, workers=self._workers, model=self._model,
                                        lexicon=self._lexicon, rules=self._rules, window=self._window,
                                        min_count=self._min_count, stages=stages, memory=self._memory,
                                        records={d.id: record for d, (record, _, _) in zip(local, mapped)})
        parsed_here = sum(parsed for _, parsed, _ in mapped)
        extracted_here = sum(extracted for _, _, extracted in mapped)
        self._graph = graph
        self._report = replace(report, parsed=report.parsed + parsed_here, extracted=report.extracted + extracted_here,
                               cached=report.cached - parsed_here, warnings=tuple(corpus.warnings),
                               notices=tuple(corpus.notices))
        self._changed = False
        return graph

    def _read_corpus(self) -> Corpus:
        """The corpus's documents: read again only when a file under it came, went or changed."""
        if not self.corpus:
            return Corpus()
        stamp = corpus_stamp(self.corpus)
        if self._read is None or self._read[0] != stamp:
            self._read = stamp, load_corpus(self.corpus)
        return self._read[1]

    def _map_here(self, doc: Document) -> tuple[DocRecord, bool, bool]:
        """The record of a document mapped in this process, its parse and record kept in memory.

        Returns the record, whether GiNZA parsed it now and whether it was extracted now.
        """
        task = make_task(doc, model_key=model_id(self._model), extraction=extraction_key(self._lexicon, self._rules))
        record = self._memory.records.get(task.record_key)
        if record is not None and record.doc_id == doc.id:
            return record, False, False
        setup = Setup(model=self._model, lexicon=self._lexicon, rules=self._rules, cache_dir=None)
        record, was_parsed = map_task(task, setup, parses=self._parses)
        self._memory.records[task.record_key] = record
        return record, was_parsed, True

    def _parse_key(self, doc: Document) -> str:
        return cache_key(doc.text, model=model_id(self._model))

    @property
    def graph(self) -> KnowledgeGraph:
        """The graph of the project as it stands (built now if anything changed)."""
        if self._graph is None or self._changed:
            return self.build()
        return self._graph

    @property
    def report(self) -> BuildReport | None:
        """What the last build did: documents, how many were parsed, how many cached, times."""
        return self._report

    def documents(self) -> list[Document]:
        """The corpus's documents, then the added ones (an added id replaces a corpus document)."""
        return self._with_added(self._read_corpus().documents)

    def _with_added(self, corpus: list[Document]) -> list[Document]:
        docs = {d.id: d for d in corpus if d.id not in self._removed_docs}
        docs.update(self._file_docs)
        docs.update(self._memory_docs)
        return list(docs.values())

    # ---------------------------------------------------------------- documents

    def add_document(self, doc_id: str, text: str, *, title: str | None = None, save: bool = False) -> Document:
        """Add one article (its id is its file name, e.g. ``extra.txt``), kept in memory.

        ``save=True`` also writes it into the (first) corpus folder, so later
        builds and the CLI read it as a file.
        """
        if not isinstance(doc_id, str) or not doc_id.strip() or "/" in doc_id or "\\" in doc_id:
            raise ConfigError(f"document id {doc_id!r}: give a file name such as 'extra.txt'")
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(f"document {doc_id}: the text is empty")
        doc = make_document(doc_id, text, title=title)
        self._removed_docs.discard(doc_id)
        if save:
            write_atomic(self._corpus_folder(doc_id) / doc_id, doc.text.encode("utf-8"))
            self._file_docs[doc_id] = doc
            self._memory_docs.pop(doc_id, None)
            parsed = self._parses.get(self._parse_key(doc), doc_id=doc_id)
            if parsed is not None and self._cache_dir is not None:  # parsed in this session: not again
                ParseCache(self._cache_dir).put(self._parse_key(doc), parsed)
        else:
            self._memory_docs[doc_id] = doc
            self._file_docs.pop(doc_id, None)
        self._changed = True
        return doc

    def add_documents(self, paths: Iterable[str | Path]) -> list[Document]:
        """Add the articles of more files or folders (read now; cached like the corpus)."""
        docs = read_corpus(paths)
        for doc in docs:
            self._removed_docs.discard(doc.id)
            self._file_docs[doc.id] = doc
            self._memory_docs.pop(doc.id, None)
        self._changed = True
        return docs

    def remove_document(self, doc_id: str) -> None:
        """Leave a document out of the next builds: an added one is forgotten, a corpus one skipped.

        Files are never deleted: a corpus document stays in its folder (remove
        the file too, for ``kg build`` to leave it out); adding a document of
        that id again brings it back.
        """
        if self._memory_docs.pop(doc_id, None) is not None or self._file_docs.pop(doc_id, None) is not None:
            self._changed = True
            return
        corpus_ids = {d.id for d in self._read_corpus().documents}
        if doc_id not in corpus_ids or doc_id in self._removed_docs:
            known = sorted(corpus_ids - self._removed_docs) + self.added_ids()
            shown = ", ".join(known[:10]) + (f" … ({len(known)} in all)" if len(known) > 10 else "")
            raise ConfigError(f"no document {doc_id!r} in the project; its documents: {shown or 'none'}")
        self._removed_docs.add(doc_id)
        self._changed = True

    def added_ids(self) -> list[str]:
        """Ids of the documents added in this session."""
        return [*self._file_docs, *self._memory_docs]

    def _corpus_folder(self, doc_id: str) -> Path:
        if Path(doc_id).suffix.lower() not in TEXT_SUFFIXES:
            raise ConfigError(f"document {doc_id}: to save it as a file, name it .txt or .md")
        folders = [p for p in self.corpus if p.is_dir()]
        if not folders:
            raise ConfigError("save=True needs a corpus folder to write into")
        return folders[0]

    # ---------------------------------------------------------------- lexicon

    def add_alias(self, label: str, *aliases: str, type: EntityType | None = None) -> None:
        """Make ``aliases`` names of the entity called ``label``; this also merges entities.

        When ``label`` or an alias is a known lexicon entry, the names join that
        entry; otherwise they become a new entry, and every entity found under
        any of these names becomes one. ``type`` fixes the entity's type; it
        defaults to the type the lexicon or the last build gives it.
        """
        item: dict[str, Any] = {"label": label, "aliases": list(aliases),
                                "type": type or self._known_type(label, *aliases)}
        self._add_lexicon_item(item)

    def set_type(self, name: str, type: EntityType) -> None:
        """Fix the type of the entity called ``name`` (Person, State or Organization)."""
        self._add_lexicon_item({"label": name, "aliases": [], "type": type})

    def ignore(self, *names: str) -> None:
        """Never take these names for entities (site names, bylines, slogans…)."""
        self._ignored.extend(names)
        self._lexicon = self._make_lexicon()
        self._changed = True

    def remove_alias(self, label: str, *aliases: str) -> None:
        """Undo an alias: ``aliases`` stop being names of the entity called ``label``.

        An alias this session (or the user lexicon file) gave is taken out of
        that entry again, so the name is what the build makes of it alone. A
        name the shipped lexicon or the build's own resolution joined to the
        entity (a surname to the full name, an apposition) is split off as an
        entity of its own, as :meth:`split` does, one per alias.
        """
        self._check_names_of(label, aliases)
        for alias in aliases:
            if not self._drop_name(alias):
                self.split(label, alias)
        self._lexicon = self._make_lexicon()
        self._changed = True

    def split(self, label: str, *names: str, type: EntityType | None = None) -> None:
        """Split a wrong merge: ``names``, now names of the entity called ``label``, become one entity of their own.

        Whoever merged them (the shipped lexicon, an alias of this session, the
        build's resolution), the names leave that entity: a lexicon entry marked
        ``"separate": true`` (written out by :meth:`write_lexicon`, so ``kg
        build --lexicon`` splits them too). ``type`` defaults to the entity's.
        """
        if not names:
            raise ConfigError(f"split({label!r}): name the aliases to split off, e.g. split({label!r}, 'alias')")
        self._check_names_of(label, names)
        kind = type or self._known_type(label)
        for name in names:
            self._drop_name(name)
        self._add_lexicon_item({"label": names[0], "aliases": list(names[1:]), "type": kind, "separate": True})

    def _check_names_of(self, label: str, names: tuple[str, ...]) -> None:
        """After a build, refuse names that are not the entity's (a typo would otherwise split nothing)."""
        if self._graph is None:
            return
        entity = self._graph.find(label)
        if entity is None:
            raise ConfigError(f"{label}: no entity of that name in the last build")
        own = {name_key(n) for n in (entity.label, *entity.aliases)}
        for name in names:
            if name_key(name) not in own:
                raise ConfigError(f"{name}: not an alias of {entity.label} (its names: "
                                  f"{', '.join(entity.aliases)})")

    def _drop_name(self, name: str) -> bool:
        """Take ``name`` out of the session's lexicon items; whether one had it."""
        key, found, kept = name_key(name), False, []
        for item in self._lexicon_items:
            names = [item["label"], *item.get("aliases", [])]
            rest = [n for n in names if name_key(n) != key]
            if len(rest) == len(names):
                kept.append(item)
                continue
            found = True
            if rest:
                kept.append({**item, "label": rest[0], "aliases": rest[1:]})
        self._lexicon_items = kept
        return found

    def _add_lexicon_item(self, item: dict[str, Any]) -> None:
        if item["type"] not in ENTITY_TYPES:
            raise ConfigError(f"type {item['type']!r} is not one of {', '.join(ENTITY_TYPES)}")
        self._lexicon = self._make_lexicon(extra=item)
        self._lexicon_items.append(item)
        self._changed = True

    def _make_lexicon(self, *, extra: dict[str, Any] | None = None) -> Lexicon:
        """The base lexicon with the items (and ``extra``) applied: taking an item back is rebuilding."""
        items = [*self._lexicon_items, *([extra] if extra else [])]
        return self._base_lexicon.with_entries(items, ignore=self._ignored)

    def _known_type(self, *names: str) -> EntityType:
        for name in names:
            entry = self._lexicon.lookup(name)
            if entry is not None:
                return entry.type
        if self._graph is not None:
            for name in names:
                entity = self._graph.find(name)
                if entity is not None:
                    return entity.type
        raise ConfigError(f"{names[0]}: not in the lexicon or the last build; give type= one of "
                          f"{', '.join(ENTITY_TYPES)}")

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon the next build uses."""
        return self._lexicon

    # ---------------------------------------------------------------- relation rules

    def add_rule(self, rule: Mapping[str, Any] | TriggerRule) -> TriggerRule:
        """Add a trigger rule (a rule with a known name replaces it); return it.

        As in a rule file: ``{"name", "predicate", "triggers", "subject",
        "object"}`` — the trigger lemmas, the particles that mark subject and
        object, and one of the predicates of the predicate table
        (:mod:`kg.predicates`), which also says whether it is symmetric.
        """
        parsed = rule if isinstance(rule, TriggerRule) else trigger_rule(check_rule(dict(rule)))
        self._rules = self._rules.with_rules([parsed])
        if not isinstance(rule, TriggerRule):
            self._rule_items = [r for r in self._rule_items if r.get("name") != parsed.name] + [dict(rule)]
        self._changed = True
        return parsed

    @property
    def rules(self) -> RuleSet:
        """The relation rules the next build uses."""
        return self._rules

    # ---------------------------------------------------------------- outputs

    def sparql(self, query: str) -> Answer:
        """Run a SPARQL query over the current graph (see :meth:`KnowledgeGraph.sparql`)."""
        return self.graph.sparql(query)

    def save(self, out_dir: str | Path, *, rdf_formats: Iterable[str] = ("ttl",)) -> dict[str, Path]:
        """Write graph.ttl (and the other ``rdf_formats``), graph.html and graph.json into ``out_dir``."""
        return write_outputs(self.graph, out_dir, rdf_formats=rdf_formats)

    def write_lexicon(self, path: str | Path) -> Path:
        """Write the session's lexicon additions as a user lexicon file (``kg build --lexicon``)."""
        data = {"entities": self._lexicon_items, "ignore": self._ignored}
        return _write_json(Path(path), data)

    def write_rules(self, path: str | Path) -> Path:
        """Write the session's relation rules as a user rule file (``kg build --rules``)."""
        return _write_json(Path(path), {"rules": self._rule_items})


def load(path: str | Path) -> KnowledgeGraph:
    """Load a saved graph: a build's ``graph.json`` (or the folder holding it).

    Entities (with their analytics), relations with their evidence sentences
    and the documents' ids, titles and URLs come back; the article texts and
    the mentions are not in graph.json, so a loaded graph cannot be rebuilt,
    only read, queried and exported.
    """
    from kg.export.json import from_node_link

    file = Path(path)
    if file.is_dir():
        file = file / "graph.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KgError(f"{file}: no such file: save a graph first (kg build, or Project.save)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KgError(f"{file}: not a graph.json file ({err})") from None
    return from_node_link(data, source=str(file))


def _user_file_items(source: object, key: str) -> list[Any]:
    """The ``key`` list of a user lexicon or rule file (already validated by its loader)."""
    if not isinstance(source, (str, Path)):
        return []
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    return list(data.get(key, []))


def _write_json(path: Path, data: object) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    write_atomic(path, (text + "\n").encode("utf-8"))
    return path
