"""The target parser on sentences written for these tests, and its reviewed table for the bundled notices."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planqa.catalog import Catalog
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.ingest.targets import extract_targets
from planqa.types import Clause, DocumentInfo, Target
from tests.conftest import DISTRICT, PROVINCE

GOLDEN = Path(__file__).parent / "data" / "targets_bundled.tsv"


def _targets(text: str) -> list[Target]:
    clause = Clause("doc", "task", ("二、重点任务",), "3", "测试条款", text)
    return extract_targets(clause, "某省")


def _row(t: Target) -> tuple:
    return (t.indicator, t.figure, t.unit, t.comparator, t.deadline, t.condition)


def test_year_series_pairs_each_year_with_its_value() -> None:
    rows = _targets("到2024年底、2025年底、2026年底，省级示范病房分别达到30个以上、60个以上、90个以上。")
    assert [_row(t) for t in rows] == [
        ("省级示范病房", "30", "个", "以上", "2024年底", ""),
        ("省级示范病房", "60", "个", "以上", "2025年底", ""),
        ("省级示范病房", "90", "个", "以上", "2026年底", ""),
    ]


def test_two_indicators_keep_their_own_series() -> None:
    text = "到2024年底、2025年底，县级应急队伍分别达到20支、40支，乡级应急队伍分别达到100支、200支。"
    rows = [(t.indicator, t.figure, t.deadline) for t in _targets(text)]
    assert rows == [
        ("县级应急队伍", "20", "2024年底"),
        ("县级应急队伍", "40", "2025年底"),
        ("乡级应急队伍", "100", "2024年底"),
        ("乡级应急队伍", "200", "2025年底"),
    ]


def test_category_series_and_its_carry_over() -> None:
    text = "到2026年底，一类和二类口岸检测能力平均等级分别达到2级和3级，信息化平均等级达到1级和2级。"
    rows = [(t.indicator, t.condition, t.figure, t.unit) for t in _targets(text)]
    assert rows == [
        ("口岸检测能力平均等级", "一类", "2", "级"),
        ("口岸检测能力平均等级", "二类", "3", "级"),
        ("信息化平均等级", "一类", "1", "级"),
        ("信息化平均等级", "二类", "2", "级"),
    ]


def test_ranges_comparators_and_chinese_numerals() -> None:
    rows = _targets("每年遴选1-2家医院开展试点，到2026年底建成至少一个培训中心，培养护理骨干500名左右。")
    assert [(t.figure, t.unit, t.comparator, t.deadline) for t in rows] == [
        ("1—2", "家", "", "每年"),
        ("1", "个", "至少", "2026年底"),
        ("500", "名", "左右", "2026年底"),
    ]
    assert rows[0].value_max == 2


def test_population_tiers_become_conditions_not_values() -> None:
    text = "病床数原则上20万人口以下的县不低于10张，20—40万人口的县不低于30张，40万以上人口的县不低于60张。"
    rows = [(t.indicator, t.condition, t.figure, t.comparator) for t in _targets(text)]
    assert rows == [
        ("病床数", "20万人口以下的县", "10", "不低于"),
        ("病床数", "20—40万人口的县", "30", "不低于"),
        ("病床数", "40万以上人口的县", "60", "不低于"),
    ]


def test_per_capita_ratios() -> None:
    rows = _targets("到2026年底，按城市地区每5万人口、农村地区每2万人口配置1辆巡回医疗车。")
    assert [(t.condition, t.unit, t.figure) for t in rows] == [
        ("城市地区", "辆/5万人口", "1"),
        ("农村地区", "辆/2万人口", "1"),
    ]
    (ratio,) = _targets("到2026年，每千人口养老床位数达到6.5张。")
    assert (ratio.indicator, ratio.unit, ratio.value) == ("每千人口养老床位数", "张/千人口", 6.5)
    assert ratio.deadline == "2026年"


def test_percentage_of_a_base_and_share_of_a_population() -> None:
    (base,) = _targets("社区卫生人员不低于编制总额的65%。")
    assert (base.indicator, base.base, base.value, base.unit, base.comparator) == (
        "社区卫生人员",
        "编制总额",
        65.0,
        "%",
        "不低于",
    )
    shares = _targets("到2026年底，70%以上的乡镇卫生院和50%的村卫生室提供康复服务。")
    assert [(t.indicator, t.figure, t.comparator) for t in shares] == [
        ("乡镇卫生院提供康复服务", "70", "以上"),
        ("村卫生室提供康复服务", "50", ""),
    ]


def test_full_coverage_without_a_number_is_flagged() -> None:
    (row,) = _targets("到2025年底，实现县域急救网络全覆盖。")
    assert row.value == 100 and row.unit == "%" and "coverage" in row.flags
    assert row.label == "全覆盖" and row.deadline == "2025年底"


def test_a_deadline_governs_past_a_semicolon_but_not_a_full_stop() -> None:
    rows = _targets("到2026年底，培养骨干医师200名；培养护理骨干300名。培养药师50名。")
    assert [(t.figure, t.deadline) for t in rows] == [("200", "2026年底"), ("300", "2026年底"), ("50", "")]


def test_in_a_goals_part_a_deadline_governs_until_the_next() -> None:
    from planqa.ingest.targets import extract_targets
    from planqa.types import Clause

    text = "到2027年，全市托位数不少于8000个。城区、乡镇托育覆盖率分别达到100%和90%。到2030年，托位数不少于1万个。"
    goals = Clause(doc_id="d", kind="paragraph", section=("二、主要目标",), number="", title="", text=text)
    assert [(t.figure, t.deadline) for t in extract_targets(goals)] == [
        ("8000", "2027年"),
        ("100", "2027年"),
        ("90", "2027年"),
        ("1", "2030年"),
    ]


def test_verbs_that_state_a_value_are_not_part_of_the_indicator() -> None:
    rows = _targets("到2026年，每千人口托位数稳定在4.5个以上，婴幼儿死亡率降至3‰以下，公共充电桩超过5万个。")
    assert [(t.indicator, t.figure, t.unit) for t in rows] == [
        ("每千人口托位数", "4.5", "个/千人口"),
        ("婴幼儿死亡率", "3", "‰"),
        ("公共充电桩", "5", "万个"),
    ]
    assert rows[2].comparator == "超过"


def test_aspiration_is_flagged() -> None:
    (row,) = _targets("力争到2026年底建成3个区域医疗中心。")
    assert "aspirational" in row.flags and row.value == 3


@pytest.mark.parametrize(
    "text",
    [
        "加强组织领导，确保按时保质完成各项任务。",
        "2023年开展职业病防治技术支撑机构质量控制。",
        "完善省、市、县三级疾控网络，建设一批示范社区，建强二级医院。",
        "依托120急救中心做好转运，落实第十二批人才服务团工作。",
        "本计划自2024年1月1日起施行。",
    ],
)
def test_text_without_a_target_yields_nothing(text: str) -> None:
    assert _targets(text) == []


def _bundled() -> list[Target]:
    rows: list[Target] = []
    for path in (PROVINCE, DISTRICT):
        doc = parse(load(path), path.stem)
        rows += [t for c in doc.clauses for t in extract_targets(c, doc.info.jurisdiction)]
    return rows


def _tsv(t: Target) -> str:
    fields = (t.scope, t.address.split(" > ")[-1], t.indicator, t.figure, t.unit, t.comparator, t.deadline,
              t.condition, t.base, ",".join(t.flags), t.value_text)  # fmt: skip
    return "\t".join(fields)


def test_bundled_notices_yield_the_reviewed_table() -> None:
    """The table in tests/data was read row by row; a parser change that alters it must be reviewed."""
    expected = GOLDEN.read_text("utf-8").splitlines()
    assert [_tsv(t) for t in _bundled()] == expected


def test_every_row_traces_to_its_clause() -> None:
    for t in _bundled():
        assert t.source_text and t.value_text in t.source_text
        assert re.sub(r"\D", "", t.figure.replace("—", "")) in re.sub(r"\D", "", t.source_text) or (
            t.value_text in t.source_text
        )


def test_comparison_pairs_district_targets_with_the_province() -> None:
    docs, clauses = [], []
    for path in (PROVINCE, DISTRICT):
        doc = parse(load(path), path.stem)
        docs.append(doc.info)
        clauses += doc.clauses
    catalog = Catalog(docs, clauses)
    rows = {r.indicator: r for r in catalog.compare(docs[0].id, docs[1].id) if r.left and r.right}
    assert (rows["每千人口托位数"].left.value, rows["每千人口托位数"].right.value) == (4.5, 3.8)
    assert (rows["城市社区托育服务机构覆盖率"].left.value, rows["城市社区托育服务机构覆盖率"].right.value) == (50, 28)
    hot = rows["灸养结合的基层热敏灸综合服务区"]
    assert (hot.left.value, hot.right.value) == (20, 1) and hot.changes == ("数值 20个以上 → 1个以上",)
    district_task = next(c for c in clauses if c.doc_id == docs[1].id and c.title == "加强托育服务保障")
    assert catalog.parent_of(district_task).title == "提升托育服务能力"


_NUMBERS = st.integers(1, 999).map(str) | st.decimals(0, 99, places=1).map(str)
_UNIT = st.sampled_from(["个", "%", "名", "张", "家", "万亩"])
_TAIL = st.sampled_from(["以上", "左右", ""])


@settings(max_examples=150, deadline=None)
@given(
    years=st.lists(st.integers(2023, 2035), min_size=1, max_size=3, unique=True),
    values=st.lists(st.tuples(_NUMBERS, _UNIT, _TAIL), min_size=1, max_size=3),
    noun=st.sampled_from(["示范基地", "专科联盟", "家庭医生团队", "托育机构"]),
)
def test_every_value_occurs_in_its_source_span(years: list[int], values: list, noun: str) -> None:
    text = (
        "到" + "、".join(f"{y}年底" for y in years) + f"，{noun}数量分别达到"
        + "、".join(f"{n}{u}{t}" for n, u, t in values) + "。"
    )  # fmt: skip
    for t in _targets(text):
        assert t.value_text in t.source_text
        assert re.match(r"\d+(?:\.\d+)?", t.value_text).group(0) in t.source_text
        assert float(re.match(r"\d+(?:\.\d+)?", t.value_text).group(0)) == t.value


def test_comparison_table_keeps_the_indicator_when_one_side_has_no_targets() -> None:
    from planqa.catalog import ComparisonRow
    from planqa.cli.targets import _comparison_table

    (only,) = _targets("到2026年底，示范病房达到30个。")
    table = _comparison_table([ComparisonRow(only.indicator, "", None, only, ("新增",))], ("某省", "某区"))
    assert table[0] == ["指标", "条件", "某区 2026年底", "差异"]
    assert table[1][0] == "示范病房" and table[1][2].startswith("30个")


def test_jun_is_one_target_that_names_everything_it_binds() -> None:
    """``A和B均达到X``: A and B each reach X. One row whose indicator names both, so a question about
    either finds it, and the value is not split or doubled."""
    rows = [_row(t) for t in _targets("到2027年，城区和乡镇的充电服务覆盖率均达到90%，县级和乡级站点均不少于20个。")]
    assert rows == [
        ("城区和乡镇的充电服务覆盖率", "90", "%", "达到", "2027年", ""),
        ("县级和乡级站点", "20", "个", "不少于", "2027年", ""),
    ]


def test_months_and_ages_are_units_of_their_own() -> None:
    """3—12个月 is a length in months (not 3—12个 of something called 月的就业见习), 16—24岁 an age."""
    rows = [_row(t)[1:3] for t in _targets("组织失业青年参加3—12个月的就业见习，年龄16—24岁。")]
    assert ("3—12", "个月") in rows and ("16—24", "岁") in rows


def test_a_citation_names_a_few_plans_even_where_their_place_is_unreadable() -> None:
    """Copies of one template whose place could not be read all match a citation of that template;
    it names one notice, so at most ``CITED_CANDIDATES`` of them are matched (at 1,000× each county
    copy was matched against 600)."""
    from planqa.ingest.parents import CITED_CANDIDATES, Parents

    def plan(doc_id: str, title: str, place: str, cites: tuple[str, ...] = ()) -> tuple[DocumentInfo, Clause]:
        info = DocumentInfo(id=doc_id, title=title, jurisdiction=place, cites=cites)
        return info, Clause(doc_id, "task", ("二、重点任务",), "1", "提升托育服务能力", "到2025年建成托育机构10家。")

    made = [plan(f"copy{i}", "卫生健康服务能力全面提升三年行动计划", "") for i in range(10)]
    made.append(
        plan(
            "district",
            "示例区卫生健康服务能力全面提升三年行动计划",
            "示例区",
            ("示例市卫生健康服务能力全面提升三年行动计划",),
        )
    )
    docs, clauses = [d for d, _ in made], [c for _, c in made]
    parents = Parents()
    named = {
        child.doc.id: [p.doc.id for p in ps] for child, ps in parents._candidates(parents._plan_all(docs, clauses))
    }
    assert len(named["district"]) == CITED_CANDIDATES
