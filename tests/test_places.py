"""Places: which notices a question names, and what a comparison compares, on documents made up here."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from planqa.eval.synthetic import synthetic_corpus
from planqa.ingest.places import named_documents, places_of
from planqa.library import Library
from planqa.types import DocumentInfo
from tests.conftest import DISTRICT, PROVINCE


def _doc(doc_id: str, place: str, title: str = "示例计划") -> DocumentInfo:
    return DocumentInfo(id=doc_id, title=f"{place}{title}", jurisdiction=place)


def test_a_level_word_names_the_one_jurisdiction_of_its_level() -> None:
    docs = [_doc("p", "江西省"), _doc("d", "珠山区")]
    assert named_documents("全省的托位数目标", docs) == ["p"]
    assert named_documents("珠山区和全省有什么不同", docs) == ["p", "d"]
    assert named_documents("江西的目标", docs) == ["p"]


def test_a_level_word_with_several_jurisdictions_of_its_level_names_none() -> None:
    """In a province's library of city plans, 全市 does not say which city; the city's name does."""
    docs = [_doc("a", "东川市"), _doc("b", "南岭市"), _doc("p", "江西省")]
    assert named_documents("全市的托位数目标是多少", docs) == []
    assert named_documents("东川市和全省有什么不同", docs) == ["a", "p"]


def test_a_comparison_compares_places_however_many_plans_each_has() -> None:
    docs = [
        _doc("p1", "江西省"),
        _doc("p2", "江西省", "教育规划"),
        _doc("d", "珠山区"),
        DocumentInfo(id="law", title="示例条例"),
    ]
    assert places_of(["p1", "d", "p2", "law"], docs) == {"江西省": ["p1", "p2"], "珠山区": ["d"], "law": ["law"]}


def test_the_dense_side_returns_the_nearest_clauses_of_the_documents_searched(library: Library, tmp_path: Path) -> None:
    """Chroma's filtered index search returns fewer than asked when the filter is selective; the
    search of half the library must still return the true nearest ``k`` of that half."""
    files = synthetic_corpus([PROVINCE, DISTRICT], 5, tmp_path / "copies")
    library.ingest([PROVINCE, DISTRICT, *files])
    snap = library.snapshot()
    half = [d.id for d in snap.docs][::2]
    clauses = [c for c in snap.corpus.clauses if c.doc_id in half]
    stored = library.store.vectors(clauses, snap.corpus.versions)
    matrix = np.asarray([stored[c.id] for c in clauses], dtype=np.float32)
    for text in ("每千人口托位数", "省级临床重点专科建设", "负压救护车配置"):
        vector = np.asarray(library.embedder.embed_query(text), dtype=np.float32)
        exact = {clauses[i].id for i in np.argsort(-(matrix @ vector))[:40]}
        found = library.store.nearest(vector.tolist(), 40, half, snap.corpus.versions)
        assert len(found) == 40 and set(found) <= {c.id for c in clauses}
        assert len(set(found) & exact) >= 38  # HNSW is approximate; it must not be short
