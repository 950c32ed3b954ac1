"""The Assistant on notices it was not built around: a provincial elderly-care plan (ingested from a
PDF) and a county plan derived from it, written for these tests in the style of real notices (page
numbers, a cover letter, 责任单位, 分别 series, population tiers). Nothing in planqa knows them: the
thresholds, the parser and the thesaurus were set on the bundled health plans, so these tests show
what carries over to a new topic, a new place and a new 文号."""

from __future__ import annotations

import pytest

from planqa.assistant import Assistant
from planqa.config import Config
from planqa.eval.answers import unsupported_numbers
from planqa.eval.gold import eval_notices
from planqa.eval.pdfmaker import notice_pdf
from planqa.types import Answer

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

UNSEEN = eval_notices()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("unseen")
    province = notice_pdf((UNSEEN / "nanchuan-elderly-care-plan-2024.txt").read_text("utf-8"), tmp / "nanchuan.pdf")
    a = Assistant.from_config(Config(data_dir=tmp / "data"))
    report = a.library.ingest([province, UNSEEN / "qingxi-elderly-care-plan-2024.txt"])
    assert not report.failed, report.failed
    return a


def _answered(answer: Answer) -> Answer:
    assert not answer.abstained, answer.text
    assert answer.citations and all(c.quote in c.text for c in answer.citations)
    assert unsupported_numbers(answer) == [], answer.text
    return answer


def test_a_series_by_year_and_its_follow_up(assistant: Assistant) -> None:
    first = _answered(assistant.ask("南川省街道综合养老服务中心2025年底覆盖率要达到多少？"))
    assert "80%" in first.first_line and "60%" not in first.first_line
    assert first.citations[0].clause == "1. 建设社区养老服务设施" and first.citations[0].pages
    then = _answered(assistant.ask("那2026年底呢？", ["南川省街道综合养老服务中心2025年底覆盖率要达到多少？"]))
    assert "100%" in then.first_line


def test_population_tiers_one_named_or_all(assistant: Assistant) -> None:
    one = _answered(assistant.ask("50万以上人口的县敬老院护理型床位占比要求是多少？"))
    assert "不低于60%" in one.first_line and "50%" not in one.first_line
    every = _answered(assistant.ask("敬老院护理型床位占比要求是多少？"))
    assert all(v in every.first_line for v in ("不低于50%", "不低于55%", "不低于60%"))


def test_dates_units_and_the_inverse(assistant: Assistant) -> None:
    assert "2025年底" in _answered(assistant.ask("养老服务信息平台什么时候建成？")).first_line
    assert "2025年6月底" in _answered(assistant.ask("老年食堂啥时候要建好？")).first_line  # colloquial
    units = _answered(assistant.ask("哪些单位负责培养养老护理员？")).first_line
    assert "省人力资源社会保障厅" in units and "省民政厅" in units
    tasks = _answered(assistant.ask("省消防救援总队负责哪些任务？")).first_line
    assert "加强养老机构安全管理" in tasks and "培养养老护理员" not in tasks


def test_the_county_against_the_province(assistant: Assistant) -> None:
    answer = _answered(assistant.ask("青溪县和全省的街道综合养老服务中心覆盖率目标有什么不同？"))
    assert "南川省" in answer.first_line and "青溪县" in answer.first_line
    county = next(c for c in answer.citations if c.doc_id.startswith("qingxi"))
    assert "建设社区养老服务设施" in county.parent  # the provincial clause it localises
    both = _answered(assistant.ask("每千名老年人养老床位数的目标是多少？"))  # no place named: both plans set it
    assert "35张以上" in both.first_line and "32张以上" in both.first_line


def test_what_the_plans_do_not_say(assistant: Assistant) -> None:
    later = assistant.ask("2027年底养老护理员培训要达到多少人次？")
    assert later.abstained and later.first_line.startswith("计划未规定2027年")
    assert "最接近的规定" in later.text  # the nearest provision, cited
    county = assistant.ask("青溪县每年新增家庭养老床位多少张？")  # the province sets it, the county does not
    assert county.abstained
    assert assistant.ask("养老护理员工资每月多少钱？").abstained


def test_document_facts_and_an_english_question(assistant: Assistant) -> None:
    issued = _answered(assistant.ask("南政发〔2024〕7号是什么时候印发的？"))
    assert "2024年3月18日" in issued.first_line
    english = _answered(assistant.ask("What is the 2025 target for the certification rate of care workers?"))
    assert "80%" in english.first_line and english.citations[0].doc_number == "南政发〔2024〕7号"


def test_overview_questions_from_the_plan_structure(assistant: Assistant) -> None:
    actions = _answered(assistant.ask("南川省的计划有哪些行动？")).first_line
    assert actions.startswith("共四项") and "智慧养老推进行动" in actions
    section = _answered(assistant.ask("机构养老服务提质行动包括哪些任务？")).first_line
    assert "共三项" in section and "推进医养结合" in section and "培养养老护理员" not in section
    due = _answered(assistant.ask("青溪县2025年要完成哪些任务？")).first_line
    assert "发展老年助餐服务" in due and "提升公办养老机构能力" in due and "培养养老护理员" not in due
    gap = _answered(assistant.ask("青溪县计划比南川省计划少了哪些任务？")).first_line
    assert "开展家庭养老床位建设" in gap and "建设社区养老服务设施" not in gap  # that one the county localises
    brief = _answered(assistant.ask("南川省“培养养老护理员”有哪些要求？"))
    assert "3万人次" in brief.first_line and "责任单位：省人力资源社会保障厅" in brief.text
