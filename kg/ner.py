"""kg's own named-entity head, on top of ja_ginza's tok2vec layer.

ja_ginza computes a 256-wide vector per token for its parser anyway (its
``tok2vec`` pipe writes it to ``doc.tensor``). Our head is a small spaCy
``ner`` model that reads that tensor, so it adds little to a parse; it is
trained by ``scripts/train_ner.py`` on open Japanese NER data (licence and
scores in ``kg/data/ner/``) for the labels PERSON, ORG, LOC, FAC, PRODUCT and
EVENT. Only the head's weights ship (about 1 MB); the vectors stay in ja_ginza.

The head writes its spans to ``doc.spans["kg_ner"]`` and leaves ``doc.ents``
to GiNZA's own ENE recognizer when that runs too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

#: The pipe's name in the loaded pipeline, and the span group it writes.
PIPE = "kg_ner"
SPANS_KEY = "kg_ner"
#: Width of ja_ginza's tok2vec output (its config: components.tok2vec.model.encode.width).
TENSOR_WIDTH = 256


def model_dir() -> Path:
    """Where the trained component lives (inside the installed package)."""
    return Path(str(resources.files("kg").joinpath("data", "ner")))


@lru_cache(maxsize=1)
def model_meta() -> dict[str, Any]:
    """The component's metadata: labels, training data and seed, dev scores."""
    path = model_dir() / "meta.json"
    if not path.is_file():
        raise ModelError("kg's NER component is missing (kg/data/ner/): reinstall kg, "
                         "or rebuild it with scripts/train_ner.py")
    return json.loads(path.read_text(encoding="utf-8"))


def register() -> None:
    """Register the architecture and the span-moving pipe with spaCy (idempotent)."""
    from spacy.language import Language
    from spacy.util import registry

    if "kg.DocTensor.v1" not in registry.architectures:
        registry.architectures.register("kg.DocTensor.v1", func=doc_tensor)
    if "kg.NerFeatures.v1" not in registry.architectures:
        registry.architectures.register("kg.NerFeatures.v1", func=ner_features)
    if not Language.has_factory("kg_ents_to_spans"):
        Language.factory("kg_ents_to_spans", func=_make_mover)


def doc_tensor(width: int):  # type: ignore[no-untyped-def]
    """A layer that hands on ``doc.tensor`` (ja_ginza's tok2vec output) and learns nothing.

    Frozen on purpose: the tok2vec belongs to ja_ginza and feeds its parser.
    """
    from thinc.api import Model

    def forward(model, docs, is_train):  # type: ignore[no-untyped-def]
        out = []
        for doc in docs:
            tensor = doc.tensor
            if tensor is None or getattr(tensor, "shape", (0,))[0] != len(doc) or tensor.ndim != 2:
                tensor = model.ops.alloc2f(len(doc), width)
            out.append(model.ops.asarray2f(tensor))
        return out, lambda d_out: []

    return Model("kg_doc_tensor", forward, dims={"nO": width})


def ner_features(tensor_width: int, width: int, depth: int, vectors: bool = True):  # type: ignore[no-untyped-def]
    """ja_ginza's tok2vec output, beside a small CNN of our own over word shapes and affixes.

    The frozen tensor carries what GiNZA learnt for parsing; the small CNN,
    trained with the head, learns what names look like (…株式会社, …大学,
    katakana runs, Sudachi's 固有名詞-人名 tags), which the parser's features
    need not keep. It reads ja_ginza's static vectors from the loaded vocab.
    """
    from spacy.ml.models.tok2vec import (
        MaxoutWindowEncoder,
        MultiHashEmbed,
        build_Tok2Vec_model,
    )
    from thinc.api import concatenate

    own = build_Tok2Vec_model(
        MultiHashEmbed(width=width, attrs=["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG"],
                       rows=[5000, 2500, 2500, 2500, 1000], include_static_vectors=vectors),
        MaxoutWindowEncoder(width=width, depth=depth, window_size=1, maxout_pieces=3))
    return concatenate(doc_tensor(tensor_width), own)


def ner_config(*, hidden_width: int, width: int = 96, depth: int = 2) -> dict[str, Any]:
    """The ``ner`` pipe's model config: spaCy's transition-based NER over our features."""
    return {"model": {
        "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
        "extra_state_tokens": False, "hidden_width": hidden_width, "maxout_pieces": 2,
        "use_upper": True, "nO": None,
        "tok2vec": {"@architectures": "kg.NerFeatures.v1", "tensor_width": TENSOR_WIDTH, "width": width,
                    "depth": depth}}}


class _Mover:
    """Moves the entities our head set from ``doc.ents`` to ``doc.spans[SPANS_KEY]``."""

    def __call__(self, doc):  # type: ignore[no-untyped-def]
        doc.spans[SPANS_KEY] = list(doc.ents)
        doc.ents = ()
        return doc


def _make_mover(nlp, name):  # type: ignore[no-untyped-def]
    return _Mover()


def add_to(nlp: Language) -> None:
    """Add the trained head to a loaded ja_ginza pipeline, right after its tok2vec.

    The head runs before GiNZA's own ``ner`` (if that is loaded) and its spans
    are moved to ``doc.spans``, so the two never constrain each other.
    """
    register()
    meta = model_meta()
    after = "tok2vec" if "tok2vec" in nlp.pipe_names else None
    pipe = nlp.add_pipe("ner", name=PIPE, after=after,
                        config=ner_config(hidden_width=meta["hidden_width"], width=meta["width"], depth=meta["depth"]))
    pipe.from_disk(model_dir() / "ner", exclude=["vocab"])
    nlp.add_pipe("kg_ents_to_spans", name=PIPE + "_spans", after=PIPE)
