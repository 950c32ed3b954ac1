"""Hybrid retrieval over the bundled notices, with the real model, Chroma and BM25."""

from __future__ import annotations

import pytest

from planqa.library import Library
from planqa.retrieval.langchain import PlanRetriever
from tests.conftest import DISTRICT, PROVINCE

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

PROVINCE_ID, DISTRICT_ID = "jiangxi-health-capacity-plan-2023", "zhushan-health-capacity-plan-2023"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Library:
    from planqa.config import Config

    library = Library.from_config(Config(data_dir=tmp_path_factory.mktemp("data")))
    library.ingest([PROVINCE, DISTRICT])
    return library


def test_a_named_jurisdiction_limits_the_search(both: Library) -> None:
    hits = both.search("珠山区每千人口托位数的目标是多少？", 5)
    assert hits and {h.clause.doc_id for h in hits} == {DISTRICT_ID}
    assert "3.8" in hits[0].clause.text


def test_a_comparison_puts_each_named_jurisdiction_first(both: Library) -> None:
    hits = both.search("珠山区和全省的托位数目标有什么不同？", 5)
    assert {hits[0].clause.doc_id, hits[1].clause.doc_id} == {PROVINCE_ID, DISTRICT_ID}


def test_a_task_and_its_annex_row_are_one_source(both: Library) -> None:
    hits = both.search("省级临床重点专科2024年底的目标是多少？", 5)
    top = hits[0]
    assert top.clause.kind == "task" and top.clause.number == "5"
    assert any(c.kind == "annex_row" and "临床重点专科" in c.title for c in top.related)
    keys = [c.key for h in hits for c in h.clauses]
    assert len(keys) == len(set(keys))  # nothing appears twice in a result list


def test_english_questions_find_the_chinese_clause(both: Library) -> None:
    hits = both.search("How many childcare places per 1,000 people should Jiangxi reach?", 5)
    assert any("每千人口托位数达到4.5个" in c.text for c in hits[0].clauses)


def test_exact_terms_win_through_the_keyword_side(both: Library) -> None:
    hits = both.search("省国资委负责哪项任务？", 3)
    assert "省国资委" in hits[0].clause.units


def test_doc_filter_and_scores(both: Library) -> None:
    hits = both.search("救护车", 5, [PROVINCE_ID])
    assert hits and all(h.clause.doc_id == PROVINCE_ID for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert {"dense", "lexical"} <= set(hits[0].sources)


def test_plan_retriever_is_a_langchain_retriever(both: Library) -> None:
    docs = PlanRetriever(library=both, k=3).invoke("负压救护车占比")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert meta["doc"] in (PROVINCE_ID, DISTRICT_ID) and meta["clause"] and "score" in meta
    assert "负压救护车" in docs[0].page_content
