"""English questions read in Chinese: the dictionary's senses of each topic word, the one the notices
use, and the measure or bound an English question asks for."""

from __future__ import annotations

from planqa.answering.measures import asked_measure, bound_asked
from planqa.retrieval.coverage import Coverage
from planqa.retrieval.crosslingual import Term, choose, english_terms
from planqa.types import Clause


def _terms(question: str) -> dict[str, tuple[str, ...]]:
    return {t.english: t.candidates for t in english_terms(question)}


def test_topic_words_come_with_their_chinese_senses() -> None:
    terms = _terms("How long must taxpayers keep the documents?")
    assert "纳税人" in terms["taxpayers"] and "保存" in terms["keep"]
    assert not {"How", "long", "must", "the"} & set(terms)  # question words carry no topic


def test_a_phrase_is_read_before_its_words_and_keeps_them() -> None:
    (term,) = english_terms("poverty alleviation")
    assert "扶贫" in term.candidates and [p.english for p in term.parts] == ["poverty", "alleviation"]
    assert "设立" in _terms("set up a department")["set up"]  # a phrasal verb is one word


def test_derived_and_hyphenated_words_find_their_root() -> None:
    assert "扣除" in _terms("special deductions")["deductions"]
    assert "幼儿园" in _terms("residential-area kindergartens")["kindergartens"]


def test_chinese_in_an_english_question_stands_for_itself_and_the_glossary_comes_first() -> None:
    terms = _terms("income from remuneration (稿酬所得)")
    assert terms["稿酬所得"] == ("稿酬所得",)
    assert english_terms("key specialties", [("key specialt*", "临床重点专科")])[0].candidates == ("临床重点专科",)


def test_the_sense_a_notice_uses_is_chosen_from_what_was_retrieved() -> None:
    terms = [Term("public", ("公共", "公立")), Term("plant", ("植物", "工厂"))]
    texts = ["全省所有公立医疗机构均设立公共卫生科"]
    assert choose(terms, texts, known=lambda w: w == "工厂") == ["公共|公立", "工厂"]


def test_words_the_notices_never_use_count_only_when_they_are_most_of_the_question() -> None:
    known = {"补贴", "国庆"}.__contains__
    # holiday → 假日, where a notice says 放假: the dictionary's miss, left out
    assert choose([Term("National Day", ("国庆",)), Term("holiday", ("假日",))], [], known) == ["国庆"]
    # hotel stays: what the notices never name, kept in and unmatched
    hotel = [Term("subsidy", ("补贴",)), Term("hotel", ("宾馆",)), Term("stays", ("下榻",))]
    assert choose(hotel, [], known) == ["补贴", "宾馆", "下榻"]


def test_a_word_said_either_way_is_covered_by_the_way_a_text_says_it() -> None:
    clauses = [Clause("d", "task", (), str(i), "", text) for i, text in enumerate(["公立医院", "公共卫生", "其他"])]
    coverage = Coverage(clauses)
    assert coverage("公共|公立 医院", "公立医院") == 1.0
    assert 0 < coverage("公共|公立 医院", "公共场所") < 1.0


def test_the_measure_and_bound_an_english_question_asks() -> None:
    days = asked_measure("At most how many working days may a review take?")
    assert days is not None and days.search("最长不超过15个工作日") and not days.search("5%")
    assert bound_asked("At most how many working days may a review take?") == "ceiling"
    assert bound_asked("What is the minimum registered capital?") == "floor"
    money = asked_measure("How much funding does the plan allocate?")
    assert money is not None and money.search("500万元") and not money.search("3家")


def test_how_long_asks_a_length_of_time_not_a_date() -> None:
    for question in ("资料要留存多久？", "How long must documents be kept?"):
        duration = asked_measure(question)
        assert duration is not None
        assert duration.search("相关资料应当留存五年") and duration.search("30日内")
        assert not duration.search("2019年4月底前完成") and not duration.search("10月1日")
