from __future__ import annotations

from pathlib import Path

import pytest

from planqa.config import Config
from planqa.eval.pdfmaker import notice_pdf
from planqa.library import Library, bundled_corpus

CORPUS = bundled_corpus()
PROVINCE = CORPUS / "jiangxi-health-capacity-plan-2023.txt"
DISTRICT = CORPUS / "zhushan-health-capacity-plan-2023.txt"


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """A real library: the bundled e5 model and a fresh embedded Chroma per test."""
    return Library.from_config(Config(data_dir=tmp_path / "data"))


@pytest.fixture(scope="session")
def province_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "jiangxi-health-capacity-plan-2023.pdf"
    return notice_pdf(PROVINCE.read_text("utf-8"), out)
