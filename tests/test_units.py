"""A unit's tasks across many notices: listed notice by notice, the notices the search ranked first,
at most ``LISTED_DOCUMENTS`` of them, with the rest counted; on clauses written for these tests."""

from __future__ import annotations

from dataclasses import replace

from planqa.answering.question import TASKS_OF_UNIT, Reading
from planqa.answering.units import LISTED_DOCUMENTS, tasks_listing
from planqa.catalog import Catalog
from planqa.types import Clause, DocumentInfo, Hit

UNIT = "省示例局"


def _asked(text: str, english: bool = False) -> Reading:
    return Reading(TASKS_OF_UNIT, text, UNIT, (), False, english)


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


def test_the_catalog_finds_a_units_and_a_documents_clauses_without_a_walk() -> None:
    docs, clauses = _notices(2)
    catalog = Catalog(docs, clauses)
    assert [c.key for c in catalog.by_unit[UNIT]] == [c.key for c in clauses]
    assert "省无此局" not in catalog.by_unit
    assert [c.doc_id for c in catalog.of_doc("plan-1")] == ["plan-1", "plan-1"] and catalog.of_doc("none") == []


def test_one_notice_lists_its_tasks_without_a_title() -> None:
    docs, clauses = _notices(1)
    first, listed = tasks_listing(UNIT, clauses, [], {d.id: d for d in docs}, _asked(f"{UNIT}负责哪些任务？"))
    assert first == f"{UNIT}负责或参与的任务：1. 第0项方案的任务1；2. 第0项方案的任务2"
    assert listed == clauses


def test_many_notices_list_the_ranked_ones_and_count_the_rest() -> None:
    docs, clauses = _notices(LISTED_DOCUMENTS + 2)
    by_id = {d.id: d for d in docs}
    # the search ranked the last notice first, then the second
    hits = [Hit(clauses[-1], 1.0), Hit(clauses[2], 0.9)]
    first, listed = tasks_listing(UNIT, clauses, hits, by_id, _asked(f"{UNIT}负责哪些任务？"))
    shown = [c.doc_id for c in listed]
    assert list(dict.fromkeys(shown)) == [docs[-1].id, docs[1].id, docs[0].id][:LISTED_DOCUMENTS]
    assert first.index(f"《{docs[-1].title}》") < first.index(f"《{docs[1].title}》")
    assert f"另有2份文件也列有{UNIT}的任务" in first
    assert docs[2].title not in first

    english, _ = tasks_listing(UNIT, clauses, hits, by_id, _asked("What tasks is it given?", english=True))
    assert "2 more notices also give it tasks" in english and f"“{docs[-1].title}”" in english


def test_asked_what_it_leads_the_led_tasks_or_a_line_that_the_notice_does_not_say() -> None:
    docs, clauses = _notices(1)
    by_id = {d.id: d for d in docs}
    first, listed = tasks_listing(UNIT, clauses, [], by_id, _asked(f"{UNIT}牵头哪些任务？"))
    assert listed == clauses and f"文件未标明{UNIT}牵头哪些任务" in first

    marked = [replace(clauses[0], lead=(UNIT,)), replace(clauses[1], lead=("省另一局",))]
    first, listed = tasks_listing(UNIT, marked, [], by_id, _asked(f"{UNIT}牵头哪些任务？"))
    assert first == f"{UNIT}牵头的任务：1. 第0项方案的任务1" and listed == marked[:1]
    # 牵头或参与 asks for all of them
    first, listed = tasks_listing(UNIT, marked, [], by_id, _asked(f"{UNIT}牵头或参与哪些任务？"))
    assert listed == marked and "未标明" not in first
