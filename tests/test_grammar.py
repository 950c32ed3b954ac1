"""The clause grammar on the bundled notices and on notices written for these tests."""

from __future__ import annotations

from pathlib import Path

from planqa.ingest.chunks import split_chunks
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.ingest.units import split_units, trailing_units
from planqa.types import Clause
from tests.conftest import DISTRICT, PROVINCE


def _clauses(path: Path) -> list[Clause]:
    return [c for c in parse(load(path), "doc").clauses if c.part == 0]


def test_province_header_facts() -> None:
    info = parse(load(PROVINCE), "jx").info
    assert info.number == "赣府发〔2023〕1号"
    assert info.title == "江西省卫生健康服务能力全面提升三年行动计划（2023—2025年）"
    assert info.issuer == "江西省人民政府"
    assert info.jurisdiction == "江西省"
    assert info.date == "2023-01-19"  # from the colophon's 印发 line


def test_district_header_facts() -> None:
    info = parse(load(DISTRICT), "zs").info
    assert info.number == ""  # it cites 景府发〔2023〕6号 but carries no number of its own
    assert info.title == "珠山区卫生健康服务能力全面提升三年行动计划（2023—2025年）"
    assert info.jurisdiction == "珠山区"
    assert info.date == "2023-08-17"
    assert any("景德镇市卫生健康服务能力全面提升三年行动计划" in t for t in info.cites)


def test_every_numbered_task_is_found_in_order() -> None:
    for path, count in ((PROVINCE, 28), (DISTRICT, 24)):
        tasks = [c for c in _clauses(path) if c.kind == "task"]
        assert [c.number for c in tasks] == [str(n) for n in range(1, count + 1)]
        assert all(c.title and c.section[0] == "二、重点任务" for c in tasks)


def test_every_annex_row_is_found_in_order() -> None:
    for path, count in ((PROVINCE, 58), (DISTRICT, 22)):
        rows = [c for c in _clauses(path) if c.kind == "annex_row"]
        assert [c.number for c in rows] == [str(n) for n in range(1, count + 1)]
        assert all(c.section[0].startswith("附件") for c in rows)


def test_clause_five_has_its_full_address() -> None:
    clause = next(c for c in _clauses(PROVINCE) if "分别达到50个以上、100个以上、150个以上" in c.text)
    assert clause.kind == "task"
    assert clause.number == "5"
    assert clause.section_path == "二、重点任务 > （二）医疗服务能力提升行动 > 5. 遴选培育临床重点专科"
    assert clause.units == ("省卫生健康委", "省财政厅", "各设区市人民政府", "赣江新区管委会")


def test_page_break_debris_is_repaired() -> None:
    clause = next(c for c in _clauses(PROVINCE) if c.number == "3" and c.kind == "task")
    assert "每个县（市、区）至少保证有1个独立的传染病专区" in clause.text
    assert "30万人口以下的县（市、区）不低于20张" in clause.text


def test_measures_carry_their_inline_titles() -> None:
    measures = [c for c in _clauses(PROVINCE) if c.kind == "measure"]
    assert [c.label for c in measures] == [
        "（一）强化组织领导",
        "（二）强化投入保障",
        "（三）强化统筹推进",
        "（四）强化督导考核",
    ]
    assert all(c.section == ("三、保障措施",) for c in measures)


def test_annex_rows_keep_wrapped_names_and_continuation_lines() -> None:
    district_rows = {c.number: c for c in _clauses(DISTRICT) if c.kind == "annex_row"}
    assert district_rows["7"].title == "加快精神卫生和社会心理服务体系建设"
    assert district_rows["16"].text.endswith("每千人口托位数达到3.8。")
    province_rows = {c.number: c for c in _clauses(PROVINCE) if c.kind == "annex_row"}
    assert province_rows["35"].text.endswith("设立心理咨询室或社会工作室等。")  # a continuation line of row 35


def test_bare_unit_lists_and_labelled_units() -> None:
    last = next(c for c in _clauses(DISTRICT) if c.kind == "task" and c.number == "24")
    assert last.units == ("区卫健委", "区医保局", "区市监局")
    assert split_units("省卫生健康委、省财政厅，各市、县〔区〕人民政府及赣江新区管委会") == (
        "省卫生健康委",
        "省财政厅",
        "各市、县〔区〕人民政府",
        "赣江新区管委会",
    )
    body, units = trailing_units("加快建设。（牵头单位：市发展改革委；配合单位：市财政局、市住建局）")
    assert body == "加快建设。"
    assert units == ("市发展改革委", "市财政局", "市住建局")
    assert trailing_units("到2025年底，床位数不低于20张（含可转换床位）")[1] == ()


def test_a_generic_notice_in_another_style(tmp_path: Path) -> None:
    """Not the bundled notices: 1、 numbering, 牵头单位, a title with no 通知 wrapper."""
    text = """某某县人民政府办公室
某县城乡供水一体化实施方案
为保障全县群众饮水安全，制定本方案。
一、工作目标
到2025年底，全县农村自来水普及率达到95%以上。
二、主要任务
（一）建设水源工程
1、新建水厂。2024年底前建成日供水5万吨水厂1座。（牵头单位：县水利局；配合单位：县财政局、县自然资源局）
2、改造管网。到2025年底，改造老旧管网120公里。（牵头单位：县住建局）
（二）强化管理
3、完善水价机制。推行阶梯水价。（牵头单位：县发展改革委）
三、保障措施
（一）加强领导。成立县城乡供水一体化工作领导小组。
"""
    path = tmp_path / "county-water.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse(load(path), "county")
    assert parsed.info.title == "某县城乡供水一体化实施方案"
    assert parsed.info.issuer == "某某县人民政府办公室"
    tasks = [c for c in parsed.clauses if c.kind == "task"]
    assert [(c.number, c.title) for c in tasks] == [("1", "新建水厂"), ("2", "改造管网"), ("3", "完善水价机制")]
    assert tasks[0].units == ("县水利局", "县财政局", "县自然资源局")
    assert tasks[2].section == ("二、主要任务", "（二）强化管理")
    goal = next(c for c in parsed.clauses if c.section == ("一、工作目标",))
    assert "95%以上" in goal.text
    measure = next(c for c in parsed.clauses if c.kind == "measure")
    assert measure.label == "（一）加强领导"


def test_long_clauses_split_into_addressed_parts() -> None:
    parts = [c for c in parse(load(PROVINCE), "jx").clauses if c.kind == "task" and c.number == "3"]
    assert len(parts) > 1
    assert {c.section_path for c in parts} == {parts[0].section_path}
    assert [c.part for c in parts] == list(range(len(parts)))
    assert all(c.units == parts[0].units for c in parts)
    assert not any(c.text.startswith("（责任单位") for c in parts)  # the units never stand alone


def test_split_chunks_keeps_every_character() -> None:
    text = "甲。" * 300 + "（责任单位：省财政厅）"
    assert "".join(split_chunks(text, limit=100)) == text
