"""Answers on notices built as real ones are, each on a short text written for the test: when a
document takes effect, the 文号 of a 批复 without a covering notice, the 目标 part asked for as a
whole, a part named by its heading (基本原则), a holiday notice's days, a rule for a kind of place
(直辖市), and a figure asked in a measure the notice never gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from planqa.answering.evidence import sentences
from planqa.assistant import Assistant
from planqa.config import Config

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

RULES = """示例省住房租金补贴办法

第一条　为了规范住房租金补贴，制定本办法。

第二条　直辖市、省会城市的补贴标准为每月1500元；其他城市为每月800元。

第三条　申请补贴应当提交租赁合同，申请材料保存三年。补贴工作由各市住房保障部门负责，受理窗口设在各市政务服务中心。

第四条　本办法自2025年1月1日起施行。
"""

REPLY = """示例省人民政府关于同意设立青溪湖湿地公园的批复

示政函〔2024〕12号

示例市人民政府：

你市《关于设立青溪湖湿地公园的请示》收悉。现批复如下：

一、同意设立青溪湖湿地公园，规划面积12平方公里。

二、请你市加强组织实施。

示例省人民政府

2024年3月5日
"""

OPINION = """示例市关于推进垃圾分类工作的意见

一、总体要求

（一）基本原则

坚持政府推动。发挥政府在垃圾分类中的引导作用。

坚持全民参与。动员社会各界参与垃圾分类。

二、主要目标

到2026年底，城区生活垃圾分类覆盖率达到90%。

到2028年底，全市基本建成生活垃圾分类处理系统。

三、主要任务

（一）完善分类设施。各区要配齐分类收集容器。
"""

HOLIDAYS = """示例省人民政府办公厅关于2031年部分节假日安排的通知

各市、县人民政府：

现将2031年元旦、春节、劳动节和国庆节放假调休日期的具体安排通知如下。

一、元旦：1月1日放假，共1天。

二、春节：1月22日至28日放假调休，共7天。1月19日（星期日）上班。

三、劳动节：5月1日至5日放假调休，共5天。

四、国庆节：10月1日至7日放假调休，共7天。

示例省人民政府办公厅

2030年12月1日
"""

MEASURES = """示例省支持开发区改革创新若干措施的通知

一、投资环境

（一）在开发区设立商标受理窗口，方便企业办理商标业务。（负责部门：省知识产权局）

（二）进一步放宽对代理机构股东的条件限制，新设立的代理机构可由具备条件的人员担任股东，具体条件由省级部门另行规定。（负责部门：省知识产权局、省司法厅）

（三）优化建设工程审批流程。（负责部门：省住房城乡建设厅）
"""

PLAN = """示例县农村供水三年行动方案

一、总体要求

以保障农村饮水安全为目标，加快农村供水工程建设。到2027年，农村自来水普及率达到95%。

二、重点任务

1.建设规模化水厂。新建水厂3座。
"""


ZONE = """示例省关于促进保税区发展的若干意见

一、主要任务

1.拓展市场。在保税区推广一般纳税人资格试点。（税务局、财政厅负责，排在第一位的部门为牵头部门，下同）

2.支持设备研发。区内企业进口的医疗器械用于研发的，可不办理注册手续。（药监局、海关负责）

3.建设创新高地。支持研发机构在保税区发展。（科技厅负责）
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    folder = tmp_path_factory.mktemp("notices")
    notices = {
        "补贴办法": RULES,
        "批复": REPLY,
        "意见": OPINION,
        "方案": PLAN,
        "节假日": HOLIDAYS,
        "措施": MEASURES,
        "保税区": ZONE,
    }
    for name, text in notices.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    a = Assistant.from_config(Config(data_dir=tmp_path_factory.mktemp("data")))
    assert not a.library.ingest([folder]).failed
    return a


def test_when_a_document_takes_effect(assistant: Assistant) -> None:
    answer = assistant.ask("示例省住房租金补贴办法从什么时候开始施行？")
    assert answer.first_line == "施行日期：2025年1月1日"
    assert "本办法自2025年1月1日起施行" in answer.citations[0].quote


def test_the_number_of_a_reply_without_a_covering_notice(assistant: Assistant) -> None:
    answer = assistant.ask("青溪湖湿地公园批复的文号是多少？")
    assert answer.first_line == "文号：示政函〔2024〕12号"
    assert answer.citations and "示政函〔2024〕12号" in answer.citations[0].quote


def test_the_goals_part_is_answered_whole(assistant: Assistant) -> None:
    answer = assistant.ask("垃圾分类工作的主要目标是什么？")
    assert "2026年底" in answer.first_line and "2028年底" in answer.first_line, answer.text
    # A plan without a 目标 heading states its goals as the dated sentences of its 总体要求.
    plan = assistant.ask("农村供水三年行动方案的总体目标是什么？")
    assert "到2027年，农村自来水普及率达到95%" in plan.first_line, plan.text


def test_a_part_named_by_its_heading_is_listed_by_its_paragraphs(assistant: Assistant) -> None:
    answer = assistant.ask("垃圾分类工作的基本原则有哪些？")
    assert answer.first_line == "坚持政府推动；坚持全民参与", answer.text
    assert len(answer.citations) == 2


def test_days_counts_and_arrangements_of_a_dated_notice(assistant: Assistant) -> None:
    """The year a notice's title names (2031年部分节假日安排) dates all its rules: a count without a
    deadline of its own is of that year, and the year marks none of its sentences over another."""
    assert "7天" in assistant.ask("2031年春节放几天假？").first_line
    assert "5月1日至5日" in assistant.ask("2031年劳动节怎么放假？").first_line
    assert "10月1日至7日" in assistant.ask("2031年国庆节是哪天放假？").first_line
    # A later sentence of an item is under the item's heading too: 春节 names the item, 上班 the sentence.
    assert "1月19日" in assistant.ask("2031年春节哪几天调休上班？").first_line
    # Another year: the notice is about 2031 and says nothing of 2032.
    assert assistant.ask("2032年春节放假安排是怎样的？").abstained


def test_where_something_is_set_is_the_sentence_that_says_so(assistant: Assistant) -> None:
    answer = assistant.ask("住房租金补贴的受理窗口设在哪里？")
    assert "各市政务服务中心" in answer.first_line, answer.text


def test_the_measures_of_a_department_each_named(assistant: Assistant) -> None:
    answer = assistant.ask("省知识产权局负责哪些措施？")
    assert answer.kind == "tasks_of_unit", answer.text
    assert "（一）在开发区设立商标受理窗口" in answer.first_line and "（二）进一步放宽" in answer.first_line
    assert "优化建设工程审批流程" not in answer.first_line


def test_a_kind_of_place_is_not_an_unindexed_plan(assistant: Assistant) -> None:
    answer = assistant.ask("直辖市和省会城市的住房租金补贴每月多少钱？")
    assert not answer.abstained and "1500元" in answer.first_line, answer.text


def test_a_figure_the_document_does_not_state_is_refused(assistant: Assistant, tmp_path: Path) -> None:
    """Asked for money, a count of times or a number of people the notice never gives, planqa says
    so; a neighbouring figure in another measure (a share, a count of items) is not the answer."""
    path = tmp_path / "代理机构办法.txt"
    path.write_text(
        "示例市代理机构管理办法\n\n第一条　代理机构应当有5名以上代理师。\n\n"
        "第二条　代理机构中不具有资格的股东不超过20%。\n\n第三条　代理师资格考试每年举行2次。\n",
        "utf-8",
    )
    doc_id = assistant.library.ingest([path]).added[0].id
    try:
        refused = assistant.ask("代理机构的注册资本最低要多少万元？", scope=[doc_id])
        assert refused.abstained, refused.text
        answered = assistant.ask("代理师资格考试每年考几次？", scope=[doc_id])
        assert not answered.abstained and "2次" in answered.first_line, answered.text
    finally:
        assistant.library.remove(doc_id)


def test_a_sentence_that_announces_a_list_keeps_its_items() -> None:
    """对有下列表现的…给予奖励。 then （1）（2）: the list is the announcing sentence's, full stop or not."""
    text = "给予补助。对有下列表现的单位给予奖励。（1）出色完成任务的；（2）提出重要建议的。处5万元以下罚款。"
    spans = [text[a:b] for a, b in sentences(text)]
    assert "对有下列表现的单位给予奖励。（1）出色完成任务的；（2）提出重要建议的" in spans
    assert "处5万元以下罚款" in spans


def test_a_list_without_markers_runs_to_its_full_stop() -> None:
    text = "防止走过场，严格审核以下内容：主体是否合法；是否超越职权；是否违反法律。审核后出具意见。"
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == ["防止走过场，严格审核以下内容：主体是否合法；是否超越职权；是否违反法律", "审核后出具意见"]


def test_english_questions_on_a_notice_no_glossary_was_written_for(assistant: Assistant) -> None:
    """The topic words of an English question are read in Chinese through the dictionary, so a rule
    on rent subsidies answers in English what it answers in Chinese, and a topic it never names
    (hotel stays) is refused."""
    kept = assistant.ask("How long are application materials kept?")
    assert not kept.abstained and "保存三年" in kept.first_line, kept.text
    window = assistant.ask("Where is the application window for the rent subsidy?")
    assert "受理窗口设在各市政务服务中心" in window.first_line, window.text
    effect = assistant.ask("When does the housing rent subsidy regulation take effect?")
    assert effect.first_line.startswith("Takes effect 1 January 2025"), effect.text
    assert "10月1日至7日" in assistant.ask("When is the 2031 National Day holiday?").first_line
    assert assistant.ask("What is the subsidy for hotel stays?").abstained


def test_how_long_and_when_within_a_named_year(assistant: Assistant) -> None:
    """多久 asks a length of time (三年), not a deadline; 2031年…什么时候 asks when within 2031, which the
    year alone does not say."""
    assert "保存三年" in assistant.ask("申请材料要保存多久？").first_line
    assert "10月1日至7日" in assistant.ask("2031年国庆节什么时候放假？").first_line


def test_units_notes_that_name_their_lead_once_for_all(assistant: Assistant) -> None:
    """排在第一位的部门为牵头部门，下同: the first unit of this note and of every later one leads; a
    question about who is responsible gets them all, whatever its other words (supporting…)."""
    assert assistant.ask("一般纳税人资格试点由谁牵头？").first_line == "牵头单位：税务局"
    answer = assistant.ask("Which departments are responsible for supporting the taxpayer pilot in bonded zones?")
    assert answer.first_line == "Responsible units: 税务局、财政厅", answer.text


def test_how_many_is_answered_by_a_figure_or_not_at_all(assistant: Assistant) -> None:
    """A 多少 question with no parsed target and no sentence stating a figure is refused, not answered
    with the nearest sentence; so is an amount of money (租金) the notice never gives."""
    assert assistant.ask("到2030年保税区要建成多少个研发机构？").abstained
    assert assistant.ask("保税区每年的土地租金是多少？").abstained


def test_a_clause_asked_by_its_number_is_answered_with_it(assistant: Assistant) -> None:
    answer = assistant.ask("第（二）项措施讲的是什么？")
    assert not answer.abstained and "进一步放宽对代理机构股东的条件限制" in answer.first_line, answer.text
