from __future__ import annotations

from pathlib import Path

import pytest

from planqa.config import Config
from planqa.eval.pdfmaker import notice_pdf
from planqa.library import Library, bundled_corpus
from planqa.retrieval.embedders import DEFAULT_MODEL

CORPUS = bundled_corpus()
PROVINCE = CORPUS / "jiangxi-health-capacity-plan-2023.txt"
DISTRICT = CORPUS / "zhushan-health-capacity-plan-2023.txt"


def embed_model(request: pytest.FixtureRequest) -> str:
    """The bundled e5 model for a test marked ``slow`` (it checks what meaning finds), the hashing
    embedder for the rest: plumbing (ingest, identity, the index, files) needs vectors, not meaning,
    and so runs in the fast loop, ``pytest -m "not slow"``."""
    return DEFAULT_MODEL if request.node.get_closest_marker("slow") else "hashing"


@pytest.fixture
def library(tmp_path: Path, request: pytest.FixtureRequest) -> Library:
    """A real library, on a fresh embedded Chroma per test (the embedder: ``embed_model``)."""
    return Library.from_config(Config(data_dir=tmp_path / "data", embed_model=embed_model(request)))


@pytest.fixture(scope="session")
def province_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "jiangxi-health-capacity-plan-2023.pdf"
    return notice_pdf(PROVINCE.read_text("utf-8"), out)
