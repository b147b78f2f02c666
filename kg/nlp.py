"""The map step's expensive half: GiNZA parsing, with kg's NER head, into plain data.

Input: one document's text. Output: a :class:`~kg.model.ParsedDoc`, plain data
with offsets into the original text, parsed chunk by chunk (under Sudachi's
byte limit). The model is loaded once per process. :mod:`kg.mapstep` runs this
in worker processes, with the record extraction that follows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from sys import intern
from typing import TYPE_CHECKING

from kg.chunking import chunk_spans
from kg.errors import ModelError
from kg.model import NerSpan, ParsedDoc, Token
from kg.ner import SPANS_KEY

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "ja_ginza"
# Bump when ParsedDoc's content changes, so old cache entries are not reused.
PARSE_FORMAT = "6"  # 2: token indices are list positions; 3: chunks packed to WORK_CHUNK_BYTES;
#                     4: sentences end at line breaks; 5: no sentence over MAX_SENTENCE_CHARS;
#                     6: kg's NER head (ParsedDoc.spans)
# Pipes left out when the model is loaded. ja_ginza's compound_splitter only
# re-tokenizes when given a split mode (it has none by default), so leaving it
# out changes nothing we keep. GiNZA's own ``ner`` (Extended Named Entities,
# 189 labels) cost 43% of a parse and is replaced by kg's trained head
# (kg.ner), which reads ja_ginza's tok2vec output and finds persons and
# organizations better (docs/performance.md). Every other pipe is read:
# tok2vec feeds the parser and our head; parser gives dep, head and sentences;
# the morphologizer overwrites pos; bunsetu_recognizer gives the bunsetu labels.
EXCLUDED_PIPES: tuple[str, ...] = ("compound_splitter", "ner")
#: Chunks are packed to about this many bytes of UTF-8: small enough that the
#: chunks of a corpus spread evenly over the parser processes, large enough
#: that per-chunk overhead stays small. Cuts stay at paragraph or sentence ends.
WORK_CHUNK_BYTES = 12_000


def load_model(name: str = DEFAULT_MODEL, *, exclude: tuple[str, ...] = EXCLUDED_PIPES) -> Language:
    """Load a GiNZA model once per process, without the pipes no stage reads.

    ``load_model()`` and ``load_model("ja_ginza")`` are one model: the
    arguments are spelt out before the cache is asked, so a notebook that
    loaded the model does not pay for it again in its first build.
    """
    return _load_model(name, tuple(exclude))


@lru_cache(maxsize=4)
def _load_model(name: str, exclude: tuple[str, ...]) -> Language:
    import spacy

    from kg import ner

    try:
        nlp = spacy.load(name, exclude=list(exclude))
    except OSError:
        raise ModelError(
            f"the spaCy model {name!r} is not installed: pip install {name.replace('_', '-')}"
        ) from None
    ner.add_to(nlp)
    return nlp


def model_version(name: str = DEFAULT_MODEL) -> str:
    """The installed version of a model's package (``5.2.0``): the one place kg reads it.

    It comes from the package metadata, not from spaCy, so a build whose every
    document is cached never imports spaCy (about a second saved); importlib.metadata
    is imported here, not with the module, which every command loads for its defaults.
    """
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        raise ModelError(
            f"the spaCy model {name!r} is not installed: pip install {name.replace('_', '-')}"
        ) from None


def model_id(name: str = DEFAULT_MODEL) -> str:
    """Model name and version plus our parse format: the parse cache's namespace."""
    from kg.ner import model_meta

    return f"{name}=={model_version(name)};format={PARSE_FORMAT};kg_ner={model_meta()['trained']}"


def work_chunks(text: str) -> list[tuple[int, int]]:
    """The chunks a document is parsed in: under Sudachi's limit, packed to WORK_CHUNK_BYTES."""
    return chunk_spans(text, target_bytes=WORK_CHUNK_BYTES)


def parse_text(text: str, *, doc_id: str, nlp: Language) -> ParsedDoc:
    """Parse one document chunk by chunk and shift every offset back into ``text``."""
    parts = [parse_chunk(text[start:end], offset=start, nlp=nlp) for start, end in work_chunks(text)]
    return join_chunks(doc_id, parts)


def parse_chunk(chunk: str, *, offset: int, nlp: Language) -> ParsedDoc:
    """Parse one chunk; character offsets are shifted by ``offset``, tokens numbered from 0."""
    sentences: list[tuple[int, int]] = []
    tokens: list[Token] = []
    ents: list[NerSpan] = []
    spans: list[NerSpan] = []
    _collect(nlp(chunk), offset=offset, first_token=0, sentences=sentences, tokens=tokens, ents=ents, spans=spans)
    return ParsedDoc(doc_id="", sentences=tuple(sentences), tokens=tuple(tokens), ents=tuple(ents),
                     spans=tuple(spans))


def join_chunks(doc_id: str, parts: Sequence[ParsedDoc]) -> ParsedDoc:
    """One document's parse from its chunks' parses, in order: token numbers run on."""
    sentences: list[tuple[int, int]] = []
    tokens: list[Token] = []
    ents: list[NerSpan] = []
    spans: list[NerSpan] = []
    for part in parts:
        shift = len(tokens)
        sentences += part.sentences
        tokens += [Token(t.i + shift, t.start, t.end, t.text, t.lemma, t.pos, t.tag, t.dep, t.head + shift,
                         t.bunsetu) for t in part.tokens] if shift else part.tokens
        ents += part.ents
        spans += part.spans
    return ParsedDoc(doc_id=doc_id, sentences=tuple(sentences), tokens=tuple(tokens), ents=tuple(ents),
                     spans=tuple(spans))


def _collect(doc: Doc, *, offset: int, first_token: int, sentences: list[tuple[int, int]],
             tokens: list[Token], ents: list[NerSpan], spans: list[NerSpan]) -> None:
    from ginza import bunsetu_bi_label

    for sent in doc.sents:
        # A line break ends a sentence too: a headline has no 。 and GiNZA would join it
        # to the paragraph after it, letting relations cross from one to the other.
        for line in _LINES.finditer(sent.text):
            start, end = _strip_span(line.group(), sent.start_char + line.start(), sent.start_char + line.end())
            if end > start:
                sentences.append((offset + start, offset + end))
    # Space tokens are dropped, so a token's index is its position in ``tokens``
    # (not spaCy's, which counts spaces); a head that was a space token (GiNZA
    # can make a trailing newline the root) becomes the token's own index.
    index: dict[int, int] = {}
    for tok in doc:
        if not tok.is_space:
            index[tok.i] = first_token + len(index)
    for tok in doc:
        if tok.is_space:
            continue
        tokens.append(Token(
            i=index[tok.i], start=offset + tok.idx, end=offset + tok.idx + len(tok.text),
            text=intern(tok.text), lemma=intern(tok.lemma_), pos=intern(tok.pos_), tag=intern(tok.tag_),
            dep=intern(tok.dep_), head=index.get(tok.head.i, index[tok.i]),
            bunsetu=intern(bunsetu_bi_label(tok) or ""),
        ))
    for ent in doc.ents:
        ents.append(NerSpan(start=offset + ent.start_char, end=offset + ent.end_char, label=intern(ent.label_)))
    for span in doc.spans.get(SPANS_KEY, ()):
        spans.append(NerSpan(start=offset + span.start_char, end=offset + span.end_char, label=intern(span.label_)))


_LINES = re.compile(r"[^\n]+")


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it starts and ends on non-space characters."""
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    return start + lead, end - trail


def parse_in_worker(text: str, doc_id: str, model: str) -> ParsedDoc:
    """Parse one document with this process's copy of the model (loaded on first use)."""
    return parse_text(text, doc_id=doc_id, nlp=load_model(model))
