"""What a question asks for (its measure, its kind) and the sentence that can hold it, on questions and
sentences written for these tests."""

from __future__ import annotations

import pytest

from planqa.answering.evidence import sentences
from planqa.answering.measures import asked_attribute, asked_measure, bound_asked, bound_of, named_in, states
from planqa.answering.question import UNITS, read
from planqa.retrieval.query import normalize_question


@pytest.mark.parametrize(
    ("question", "answers", "not_answers"),
    [
        ("注册资本最低要多少万元？", "不低于500万元", "不少于5个"),
        ("每年考几次？", "每年举行2次", "5个"),
        ("要配备多少名专职人员？", "配备3名", "不少于5%"),
        ("一般不少于多少个工作日？", "5个工作日", "5个"),
        ("最长能扣多少个月？", "240个月", "240元"),
        ("绿地和水面要占多大比例？", "70%", "70个"),
        ("每月能扣多少钱？", "1000元", "1000人"),
    ],
)
def test_a_figure_answers_only_in_the_measure_asked(question: str, answers: str, not_answers: str) -> None:
    measure = asked_measure(question)
    assert measure is not None
    assert measure.search(answers) and not measure.search(not_answers)


@pytest.mark.parametrize("question", ["省级临床重点专科2024年底的目标是多少？", "要建几个中心？", "标准是什么？"])
def test_a_question_that_names_no_measure_takes_any_figure(question: str) -> None:
    assert asked_measure(question) is None


def test_a_figure_whose_unit_went_into_its_indicator_is_read_from_its_sentence() -> None:
    measure = asked_measure("审核时间不少于多少个工作日？")
    assert measure is not None
    sentence = "审核时间一般不少于5个工作日，最长不超过15个工作日"
    assert states(measure, "5个", sentence) and states(measure, "15个", sentence)
    assert not states(measure, "1个", sentence) and not states(measure, "5个", "审核时间不少于50个工作日")


def test_a_dates_day_is_no_count_of_days() -> None:
    measure = asked_measure("春节放几天假？")
    assert measure is not None
    assert measure.search("2月4日至10日放假调休，共7天") and measure.search("自受理之日起20日内作出决定")
    assert not measure.search("2018年12月4日印发")


def test_wei_counts_in_digits_not_in_set_phrases() -> None:
    measure = asked_measure("号牌有几位字符？")
    assert measure is not None
    assert measure.search("字符共8位") and measure.search("配备5名委员")
    assert not measure.search("形成三位一体的格局")


def test_a_rate_or_share_asked_is_answered_in_a_share() -> None:
    for question in ("担保费率原则上不超过多少？", "单户业务占比不得低于多少？", "覆盖率要达到多少？"):
        measure = asked_measure(question)
        assert measure is not None and measure.search("不超过1.5%") and not measure.search("500万元"), question


def test_a_figure_the_question_names_is_its_condition() -> None:
    question = "单户担保金额500万元及以下的业务占比不得低于多少？"
    assert named_in("500万元及以下", question)
    assert not named_in("50%", question) and not named_in("5万元", question)


def test_the_bound_asked_and_the_bound_a_figure_states() -> None:
    assert bound_asked("违反规定最多可以罚款多少？") == "ceiling" and bound_of("10万元以下") == "ceiling"
    assert bound_asked("每个机构至少要配备几名？") == "floor" and bound_of("不少于5名") == "floor"
    assert bound_asked("审核时间是多少？") == "" and bound_of("5个工作日") == ""


@pytest.mark.parametrize(
    ("question", "attribute"),
    [
        ("租房补贴的限额是多少？", "限额"),
        ("示范区的土地租金是多少？", "土地租金"),
        ("基金的注册资本是多少亿元？", "注册资本"),
        ("康复科的比例目标是多少？", "比例"),  # 目标 names no attribute of its own
        ("重点专科2024年底的目标是多少？", ""),
        ("全省和县里的目标各是多少？", ""),
        ("要建几个中心？", ""),
    ],
)
def test_the_attribute_a_question_names(question: str, attribute: str) -> None:
    assert asked_attribute(question) == attribute


def test_an_age_and_an_amount_of_money_are_measures_asked() -> None:
    age = asked_measure("就业见习补贴范围扩展到多大年龄的失业青年？")
    assert age is not None and age.search("扩展至16—24岁失业青年") and not age.search("3—12个月")
    money = asked_measure("地震重点监视防御区的建设资金是多少？")
    assert money is not None and money.search("安排资金500万元") and not money.search("抗御6级左右地震")
    fine = asked_measure("最多可以罚款多少？")
    assert fine is not None and fine.search("处10万元以下的罚款") and not fine.search("违法所得5倍以下")


def test_a_list_is_answered_whole_with_its_lead_in() -> None:
    items = "下列条件：（一）有固定的服务场所；（二）有护理人员；（三）有消防设施"
    text = f"第二条设立养老机构，应当具备{items}。其他事项另行规定。"
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == [f"第二条设立养老机构，应当具备{items}", "其他事项另行规定"]


def test_who_holds_a_post_is_not_asked_for_units() -> None:
    assert read(normalize_question("水源地划定工作由谁负责？")).kind == UNITS
    assert read(normalize_question("办公室主任由谁担任？")).kind != UNITS
