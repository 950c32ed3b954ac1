"""A unit's tasks across many notices: listed notice by notice, the notices the search ranked first,
at most ``LISTED_DOCUMENTS`` of them, with the rest counted; on clauses written for these tests."""

from __future__ import annotations

from planqa.answering.units import LISTED_DOCUMENTS, tasks_listing
from planqa.catalog import Catalog
from planqa.types import Clause, DocumentInfo, Hit

UNIT = "省示例局"


def _notices(count: int) -> tuple[list[DocumentInfo], list[Clause]]:
    docs = [DocumentInfo(id=f"plan-{i}", title=f"示例省第{i}项行动方案") for i in range(count)]
    clauses = [
        Clause(
            doc_id=d.id,
            kind="task",
            section=("二、重点任务",),
            number=str(n),
            title=f"第{i}项方案的任务{n}",
            text=f"推进第{i}项方案的任务{n}。（责任单位：{UNIT}、省另一局）",
            units=(UNIT, "省另一局"),
            span=(n * 100, n * 100 + 50),
        )
        for i, d in enumerate(docs)
        for n in (1, 2)
    ]
    return docs, clauses


def test_the_catalog_finds_a_units_clauses_without_a_walk() -> None:
    docs, clauses = _notices(2)
    catalog = Catalog(docs, clauses)
    assert [c.key for c in catalog.by_unit[UNIT]] == [c.key for c in clauses]
    assert "省无此局" not in catalog.by_unit


def test_one_notice_lists_its_tasks_without_a_title() -> None:
    docs, clauses = _notices(1)
    first, listed = tasks_listing(UNIT, clauses, [], {d.id: d for d in docs}, english=False)
    assert first == f"{UNIT}负责或参与的任务：1. 第0项方案的任务1；2. 第0项方案的任务2"
    assert listed == clauses


def test_many_notices_list_the_ranked_ones_and_count_the_rest() -> None:
    docs, clauses = _notices(LISTED_DOCUMENTS + 2)
    by_id = {d.id: d for d in docs}
    # the search ranked the last notice first, then the second
    hits = [Hit(clauses[-1], 1.0), Hit(clauses[2], 0.9)]
    first, listed = tasks_listing(UNIT, clauses, hits, by_id, english=False)
    shown = [c.doc_id for c in listed]
    assert list(dict.fromkeys(shown)) == [docs[-1].id, docs[1].id, docs[0].id][:LISTED_DOCUMENTS]
    assert first.index(f"《{docs[-1].title}》") < first.index(f"《{docs[1].title}》")
    assert f"另有2份文件也列有{UNIT}的任务" in first
    assert docs[2].title not in first

    english, _ = tasks_listing(UNIT, clauses, hits, by_id, english=True)
    assert "2 more notices also give it tasks" in english and f"“{docs[-1].title}”" in english
