"""The Assistant end to end on the bundled notices: real model, real Chroma, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from planqa.assistant import Assistant
from planqa.config import Config
from planqa.eval.answers import judge, score_answers, unsupported_numbers
from planqa.eval.gold import load_gold
from planqa.retrieval.coverage import contradicts

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    a = Assistant.from_config(Config(data_dir=tmp_path_factory.mktemp("data")))
    a.library.ensure_corpus()
    return a


def test_year_target_with_its_clause(assistant: Assistant) -> None:
    answer = assistant.ask("省级临床重点专科2024年底的目标是多少？")
    assert not answer.abstained
    assert "100个以上" in answer.first_line and "150" not in answer.first_line
    cite = answer.citations[0]
    assert cite.clause == "5. 遴选培育临床重点专科" and cite.doc_number == "赣府发〔2023〕1号"
    assert cite.quote in cite.text and "100个以上" in cite.quote
    assert unsupported_numbers(answer) == []


def test_follow_up_keeps_the_subject(assistant: Assistant) -> None:
    answer = assistant.ask("那2025年底呢？", ["省级临床重点专科2024年底的目标是多少？"])
    assert "150个以上" in answer.first_line


def test_a_follow_up_of_a_follow_up_keeps_the_first_subject(assistant: Assistant) -> None:
    history = ["每千人口托位数的目标是多少？", "珠山区呢？"]
    answer = assistant.ask("那2023年底呢？", history)
    assert "3.8" in answer.first_line and answer.citations[0].doc_id == "zhushan-health-capacity-plan-2023"


def test_another_grade_of_the_asked_thing_is_not_an_answer() -> None:
    assert contradicts("三级甲等医院", "90%达到二级甲等中医医院水平")  # 三甲 is not 二甲
    assert contradicts("市级临床重点专科", "县级医院")
    assert not contradicts("省级临床重点专科", "省级临床重点专科50个以上，市级临床重点专科100个以上")
    assert not contradicts("托位数", "二级以上综合医院")  # no grade asked, none contradicted


def test_which_tasks_a_department_has_in_english(assistant: Assistant) -> None:
    answer = assistant.ask("Which tasks is the provincial science and technology department responsible for?")
    assert answer.first_line.startswith("“省科技厅” is responsible for")
    assert "25. 加强医学创新能力建设" in answer.first_line
    nobody = assistant.ask("Which tasks is the provincial public security department responsible for?")
    assert nobody.abstained  # no plan gives 省公安厅 a task: said plainly, not another task's units


def test_comparison_answers_both_documents(assistant: Assistant) -> None:
    answer = assistant.ask("珠山区和全省的每千人口托位数目标分别是多少？")
    assert "3.8" in answer.first_line and "4.5" in answer.first_line
    assert {c.doc_id for c in answer.citations} == {
        "jiangxi-health-capacity-plan-2023",
        "zhushan-health-capacity-plan-2023",
    }
    district = next(c for c in answer.citations if c.doc_id.startswith("zhushan"))
    assert "提升托育服务能力" in district.parent  # the provincial clause it localises


def test_a_year_the_plan_does_not_give_is_an_abstention(assistant: Assistant) -> None:
    answer = assistant.ask("2027年底省级临床重点专科要建成多少个？")
    assert answer.abstained and answer.first_line.startswith("计划未规定2027年")
    assert "150个以上" not in answer.first_line  # the nearest provision follows, below the plain no


@pytest.mark.parametrize("question", ["", "   ", "\x00\x07", "？？？", "问" * 50_000])
def test_bad_questions_get_a_short_reply(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and answer.kind == "refusal" and len(answer.text) < 200


def test_a_place_with_no_indexed_plan(assistant: Assistant) -> None:
    answer = assistant.ask("九江市的托位数目标是多少？")
    assert answer.abstained and "九江市" in answer.first_line


def test_english_question_is_answered_in_english(assistant: Assistant) -> None:
    answer = assistant.ask("What is the 2024 target for provincial key clinical specialties?")
    assert answer.first_line == "“省级临床重点专科建成数量”: 100个 or more by the end of 2024"
    assert "\nSource: 《江西省" in answer.text and "依据" not in answer.text
    compared = assistant.ask("Compare the childcare places per 1,000 people targets of Zhushan and Jiangxi")
    first = compared.first_line  # English word order, the notice's terms quoted, no Chinese labels
    assert first.startswith("“每千人口托位数” — ") and "江西省: aiming for 4.5个" in first and "by 2025" in first
    assert "珠山区: 3.8" in first and "by the end of 2023" in first and "——" not in first and "：" not in first
    issued = assistant.ask("When will the new campus of Nanchang Medical College be completed?")
    assert issued.first_line.startswith("By September 2024: ")


def test_eval_runner_scores_and_explains(assistant: Assistant, tmp_path: Path) -> None:
    items = [i for i in load_gold() if i.id in {"ty-01", "na-01", "fu-01"}]
    score = score_answers(items, assistant.ask)
    assert score.items == 3 and score.correct == 3
    row = score.rows[0]
    assert set(row) >= {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_ms", "ok", "why"}
    assert len(row["retrieved"]) >= 5 and set(row["citations"][0]) >= {
        "doc",
        "section",
        "clause",
        "pages",
        "quote",
        "text",
    }
    wrong = assistant.ask("省级临床重点专科2025年底的目标是多少？")
    assert judge(items[0], wrong) == (False, "first line lacks 100个")
