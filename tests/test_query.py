"""Question normalisation: the forms officials type meet the forms the notices use."""

from __future__ import annotations

import pytest

from planqa.retrieval.lexical import ChineseTokenizer
from planqa.retrieval.query import chinese_number, language_of, normalize_question, with_context


@pytest.mark.parametrize(
    ("question", "canonical"),
    [
        ("24年底的目标", "2024年底的目标"),
        ("到25年9月完成吗", "到2025年9月完成吗"),
        ("二〇二五年底", "2025年底"),
        ("二五年底", "2025年底"),
        ("用三年时间", "用三年时间"),  # a number of years is not a year
        ("2024年底", "2024年底"),
        ("（ 2024 年 底 ）", "（2024年底）"),
    ],
)
def test_years_are_written_in_full(question: str, canonical: str) -> None:
    assert normalize_question(question).text == canonical


def test_years_are_read_off_the_question() -> None:
    assert normalize_question("24年底和2025年底的目标").years == (2024, 2025)
    assert normalize_question("What is the 2024 target?").years == (2024,)


@pytest.mark.parametrize(("numeral", "value"), [("十一", 11), ("一百二十", 120), ("二〇二五", 2025), ("两千", 2000)])
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


def test_colloquial_terms_become_the_notices_wording() -> None:
    q = normalize_question("规培基地要建几个？")
    assert "住院医师规范化培训" in q.text and "规培" not in q.text
    assert "采血" in normalize_question("每个县献血点至少几个").text


def test_terms_the_notices_use_both_ways_are_only_expanded() -> None:
    q = normalize_question("区卫健委负责哪些任务")
    assert q.text == "区卫健委负责哪些任务" and "卫生健康委" in q.expansions


def test_english_questions_get_chinese_terms_for_keyword_search() -> None:
    q = normalize_question("What is the 2024 target for provincial key specialties?")
    assert q.language == "en"
    assert {"临床重点专科", "省级"} <= set(q.expansions)
    assert "全省" not in q.expansions  # "province" is a whole word; "provincial" is not it


def test_language() -> None:
    assert language_of("省级临床重点专科 target") == "zh"
    assert language_of("How many ambulances per 30,000 people?") == "en"


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (["省级临床重点专科2024年底的目标是多少？", "那2025年底呢？"], "省级临床重点专科的目标是多少，那2025年底呢？"),
        (["全省每千人口托位数要达到多少？", "珠山区呢？"], "每千人口托位数要达到多少，珠山区呢？"),
        (["定制药园的目标是多少个？", "这项任务由哪些单位负责？"], "定制药园的目标是多少个，这项任务由哪些单位负责？"),
        (["定制药园的目标是多少个？", "省财政厅负责哪些任务？"], "省财政厅负责哪些任务？"),
        (["托育机构每月补助多少？", "最长补几个月？"], "托育机构每月补助多少，最长补几个月？"),  # no subject of its own
        (["", "  "], ""),
    ],
)
def test_follow_ups_keep_the_subject(turns: list[str], expected: str) -> None:
    assert with_context(turns) == expected


def test_tokenizer_keeps_the_notices_terms_whole_and_drops_question_words() -> None:
    tokenizer = ChineseTokenizer(["临床重点专科", "省财政厅"])
    tokens = tokenizer.tokenize("省级临床重点专科2024年底的目标是多少？省财政厅")
    assert "临床重点专科" in tokens and "省财政厅" in tokens and "2024" in tokens
    assert not {"多少", "的", "目标", "？"} & set(tokens)
    assert "托位" in tokenizer.tokenize("每千人口托位数")  # bigrams reach inside unknown words


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("本办法从什么时候起施行？", "effect"),
        ("这个预案从什么时候起实施？", "effect"),
        ("这份意见是哪天发布的？", "published"),
        ("国务院是哪天批复的？", "signed"),
        ("When was the plan issued?", "signed"),
        ("这个通知的文号是什么？", "number"),
        ("制定这个办法的目的是什么？", "purpose"),
        ("这个预案由谁负责解释？", "interpreter"),
        ("托育服务什么时候实施？", ""),  # a task's timing, not the document's
        ("2025年底托位数要达到多少？", ""),
    ],
)
def test_questions_about_the_document_itself(question: str, facet: str) -> None:
    assert normalize_question(question).about_document == facet


def test_clause_numbers_named_in_a_question() -> None:
    from planqa.retrieval.query import clause_address

    assert normalize_question("第（十二）项措施是什么？").addresses == (("item", 12),)
    assert normalize_question("第5条怎么规定的？").addresses == (("article", 5),)
    assert normalize_question("第三项讲什么？").addresses == (("item", 3), ("digit", 3))
    assert normalize_question("托位数目标是多少？").addresses == ()
    assert [clause_address(n) for n in ("第五条", "（十二）", "3", "2.1.1")] == [
        ("article", 5),
        ("item", 12),
        ("digit", 3),
        None,
    ]


def test_spoken_village_and_township_read_as_a_notice_writes_them() -> None:
    assert normalize_question("村里卫生室啥时候能看上中医？").text.startswith("村卫生室")
    assert "镇卫生院" in normalize_question("镇里卫生院有几个医生？").text
