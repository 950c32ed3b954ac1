"""A notice is what it says it is (文号, title), not what its file is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from planqa.assistant import Assistant
from planqa.errors import UnknownDocument
from planqa.library import Library
from tests.notices import county_plan


def test_two_notices_with_one_file_name_are_both_kept(library: Library, tmp_path: Path) -> None:
    geng = county_plan(tmp_path / "a", "庚县", "庚", 3, 55)
    xin = county_plan(tmp_path / "b", "辛县", "辛", 8, 60)
    first, second = library.ingest([geng]), library.ingest([xin])
    assert [d.number for d in first.added] == ["庚政发〔2024〕3号"]
    assert [d.number for d in second.added] == ["辛政发〔2024〕8号"] and not second.replaced
    docs = {d.number: d for d in library.documents()}
    assert set(docs) == {"庚政发〔2024〕3号", "辛政发〔2024〕8号"}
    assert docs["庚政发〔2024〕3号"].id != docs["辛政发〔2024〕8号"].id
    answer = Assistant(library).ask("庚县养老机构护理型床位占比到2025年底要达到多少？")
    assert not answer.abstained and "55%" in answer.first_line and "60%" not in answer.first_line
    assert answer.citations[0].doc_number == "庚政发〔2024〕3号"
    with pytest.raises(UnknownDocument, match="several"):  # the shared file name alone is ambiguous
        library.resolve("实施方案.txt")
    assert library.resolve("辛政发〔2024〕8号").source == "实施方案.txt"


def test_the_same_file_again_is_unchanged(library: Library, tmp_path: Path) -> None:
    geng = county_plan(tmp_path / "a", "庚县", "庚", 3, 55)
    library.ingest([geng])
    copy = county_plan(tmp_path / "copy", "庚县", "庚", 3, 55, name="庚县方案.txt")  # same bytes, other name
    again = library.ingest([geng, copy])
    assert not again.added and not again.replaced and len(again.unchanged) == 2
    assert len(library.documents()) == 1


def test_a_new_version_of_a_notice_replaces_it_and_says_so(library: Library, tmp_path: Path) -> None:
    library.ingest([county_plan(tmp_path / "a", "庚县", "庚", 3, 55)])
    before = library.documents()[0]
    newer = county_plan(tmp_path / "b", "庚县", "庚", 3, 58, name="庚县实施方案（修订）.txt")  # same 文号
    report = library.ingest([newer])
    assert [d.id for d in report.replaced] == [before.id] and not report.added
    assert report.superseded[before.id].source == "实施方案.txt"
    texts = " ".join(c.text for c in library.clauses())
    assert "达到58%" in texts and "达到55%" not in texts and len(library.documents()) == 1


def test_without_number_or_title_the_content_is_the_identity(library: Library, tmp_path: Path) -> None:
    body = "一、重点任务\n1.建设养老服务中心。到2025年底建成{n}个养老服务中心。（责任单位：县民政局）\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "通知.txt").write_text(body.format(n=3), "utf-8")
    (tmp_path / "b" / "通知.txt").write_text(body.format(n=5), "utf-8")
    library.ingest([tmp_path / "a" / "通知.txt"])
    report = library.ingest([tmp_path / "b" / "通知.txt"])
    assert len(report.added) == 1 and len(library.documents()) == 2


def test_the_cli_adds_beside_and_says_what_it_replaced(tmp_path: Path) -> None:
    from tests.servers import planqa

    data = tmp_path / "data"
    first = planqa(data, "ingest", "-q", str(county_plan(tmp_path / "a", "庚县", "庚", 3, 55)))
    second = planqa(data, "ingest", "-q", str(county_plan(tmp_path / "b", "辛县", "辛", 8, 60)))
    assert "新增 added" in first.stdout and "新增 added" in second.stdout and "辛政发〔2024〕8号" in second.stdout
    revised = planqa(data, "ingest", "-q", str(county_plan(tmp_path / "c", "庚县", "庚", 3, 58)))
    assert "更新 replaced" in revised.stdout and "替换了 replaced 庚县养老服务提升实施方案" in revised.stdout
    listed = planqa(data, "docs")
    assert listed.stdout.count("实施方案.txt") == 2
