"""Which target answers "how much": the one of the indicator asked, not one whose tier the question's
scope words happen to name; when the question names no place, each plan's target of it, whatever
year each plan sets it for; and the figure the notice calls by the attribute asked (的限额). Texts
written for the test: a province's plan, a county's that localises it, and a 办法 of articles."""

from __future__ import annotations

import pytest

from planqa.assistant import Assistant
from planqa.config import Config

pytestmark = pytest.mark.slow  # answers that need the real model's meaning

PROVINCE = """示例省养老服务能力提升三年行动计划（2024—2026年）

示政发〔2024〕3号

一、总体要求

到2026年底，全省养老服务能力明显提升。

二、重点任务

1.推进智慧养老。到2025年底，全省二级和三级公立医院老年患者预约诊疗率分别达到50%和70%。（责任单位：省卫生健康委）

2.提升县域康复能力。支持县级医院建设康复中心、护理中心，到2026年底基本实现县域全覆盖。（责任单位：省卫生健康委）

3.增加养老床位。到2026年底，全省每千名老年人养老床位数达到35张。（责任单位：省民政厅）
"""

COUNTY = """示例县养老服务能力提升三年行动方案（2024—2026年）

根据《示例省养老服务能力提升三年行动计划（2024—2026年）》，结合我县实际，制定本方案。

一、重点任务

1.增加养老床位。到2024年底，全县每千名老年人养老床位数达到30张。（责任单位：县民政局）

2.推进医养结合。县医院开设老年病科。（责任单位：县卫健委）
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("notices")
    (folder / "省计划.txt").write_text(PROVINCE, "utf-8")
    (folder / "县方案.txt").write_text(COUNTY, "utf-8")
    a = Assistant.from_config(Config(data_dir=tmp_path_factory.mktemp("data")))
    assert not a.library.ingest([folder]).failed
    return a


def test_scope_words_that_name_another_indicators_tier_do_not_pick_it(assistant: Assistant) -> None:
    """二级以上 names the 二级 tier of 预约诊疗率, but the question asks about 康复中心: the clause on
    康复中心 answers or, as the plan names 县级医院 rather than the hospitals asked, is the nearest
    clause of a refusal; the 二级 figure of another indicator is no answer."""
    answer = assistant.ask("全省二级以上公立医院康复中心建设目标是多少？")
    assert "50%" not in answer.first_line, answer.text
    assert "支持县级医院建设康复中心" in answer.text


def test_a_tier_named_still_picks_that_tier_of_the_indicator_asked(assistant: Assistant) -> None:
    answer = assistant.ask("三级公立医院老年患者预约诊疗率要达到多少？")
    assert "70%" in answer.first_line and "50%" not in answer.first_line, answer.text


def test_a_placeless_question_gets_each_plans_target_in_its_own_year(assistant: Assistant) -> None:
    """The county sets the indicator for 2024, the province for 2026: asked with no place and no
    year, both answer; asked for a year, only the plan that sets it for that year."""
    answer = assistant.ask("每千名老年人养老床位数要达到多少？")
    assert "35张" in answer.first_line and "30张" in answer.first_line, answer.text
    dated = assistant.ask("2026年每千名老年人养老床位数要达到多少？")
    assert "35张" in dated.first_line and "30张" not in dated.first_line, dated.text


RULES = """示例市人才住房补贴办法

第一章　总则

第一条　本办法所称人才住房补贴，是指租房补贴、购房补贴、安家补贴等3项人才住房补贴。

第二章　购房补贴

第二条　引进人才首次购房的，按购房款的10%发放人才住房补贴中的购房补贴，在30000元限额内据实发放。

第三条　购房补贴由各区住房保障部门审核。
"""


def test_the_attribute_asked_picks_the_figure_it_names(tmp_path_factory: pytest.TempPathFactory) -> None:
    """的限额 asks the 30000元 the notice calls a 限额: not the count of kinds of 补贴 in the definition
    article, nor the 10% the same sentence gives for another thing."""
    folder = tmp_path_factory.mktemp("rules")
    (folder / "补贴办法.txt").write_text(RULES, "utf-8")
    a = Assistant.from_config(Config(data_dir=tmp_path_factory.mktemp("rules-data")))
    assert not a.library.ingest([folder]).failed
    answer = a.ask("购房人才住房补贴的限额是多少？")
    assert "30000元" in answer.first_line, answer.text
