"""Documents of any shape, generated: articles only, chapters of articles, articles with items, items
only, plain paragraphs, plans with 一、（一）. Any question over any of them (overview questions
above all, which group clauses by their parts) gets an answer or a one-line refusal, never a
traceback, and a refusal speaks of the document's own kind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planqa.assistant import Assistant
from planqa.config import Config

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

LONG = os.environ.get("PLANQA_LONG_TESTS") == "1"
CN = "一二三四五六七八九十"
SENTENCES = [
    "县级人民政府应当加强对乡镇企业的指导和服务",
    "从事河道采砂应当取得采砂许可证",
    "每年组织培训不少于2次",
    "到2027年，覆盖率达到90%以上",
    "申请人应当具备下列条件",
    "有关部门按照职责分工负责监督管理",
]
QUESTIONS = [
    "主要任务是什么？",
    "这个文件包括哪些方面的内容？",
    "申请需要满足哪些条件？",
    "第三条讲了什么？",
    "主要目标是什么？",
    "乡镇企业的主要任务是什么？",
    "由谁负责？",
    "什么时候开始施行？",
    "2030年的目标是多少？",
]


def _items(draw: st.DrawFn) -> str:
    count = draw(st.integers(0, 4))
    return "\n".join(f"（{CN[i]}）{draw(st.sampled_from(SENTENCES))}；" for i in range(count))


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """A title and a body of one of the shapes real documents have."""
    shape = draw(st.sampled_from(["articles", "chapters", "items", "paragraphs", "plan"]))
    kind = "管理办法" if shape in ("articles", "chapters") else draw(st.sampled_from(["实施方案", "意见", "条例"]))
    lines: list[str] = []
    count = draw(st.integers(1, 6))
    for i in range(count):
        sentence = draw(st.sampled_from(SENTENCES))
        if shape == "chapters" and i % 2 == 0:
            lines.append(f"第{CN[i // 2]}章　第{CN[i // 2]}部分")
        if shape in ("articles", "chapters"):
            lines.append(f"第{CN[i]}条　{sentence}：" if draw(st.booleans()) else f"第{CN[i]}条　{sentence}。")
            lines.append(_items(draw))
        elif shape == "items":
            lines.append(f"（{CN[i]}）{sentence}。")
        elif shape == "paragraphs":
            lines.append(f"{sentence}。")
        else:
            lines.append(f"{CN[i]}、第{CN[i]}项工作")
            lines.append(f"（一）{sentence}。")
            lines.append(_items(draw))
    return f"示例市乡镇企业{kind}", "\n\n".join(line for line in lines if line)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return Assistant.from_config(Config(data_dir=tmp_path_factory.mktemp("shapes") / "data"))


@settings(
    max_examples=60 if LONG else 12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=documents(), questions=st.lists(st.sampled_from(QUESTIONS), min_size=1, max_size=3))
def test_any_question_over_any_shape_is_answered_or_refused_in_one_line(
    assistant: Assistant, tmp_path: Path, document: tuple[str, str], questions: list[str]
) -> None:
    title, body = document
    path = tmp_path / "shape.txt"
    path.write_text(f"{title}\n\n{body}\n", "utf-8")
    report = assistant.library.ingest([path])
    assert not report.failed, report.failed
    doc_id = (report.added + report.replaced)[0].id
    try:
        for question in questions:
            answer = assistant.ask(question, scope=[doc_id])
            assert answer.text.strip() and answer.first_line.strip()
            assert "Traceback" not in answer.text
            if answer.abstained:
                assert "计划" not in answer.first_line or title.endswith("方案"), answer.first_line
    finally:
        assistant.library.remove(doc_id)


def test_a_refusal_names_the_documents_own_kind(assistant: Assistant, tmp_path: Path) -> None:
    path = tmp_path / "办法.txt"
    path.write_text("示例市河道采砂管理办法\n\n第一条　为了规范河道采砂，制定本办法。\n\n第二条　许可证有效期1年。\n")
    doc_id = assistant.library.ingest([path]).added[0].id
    try:
        answer = assistant.ask("河道里的鱼有多少种？", scope=[doc_id])
        assert answer.abstained and answer.first_line == "办法未涉及这一问题。"
    finally:
        assistant.library.remove(doc_id)


CHAPTERS = """示例市河道管理办法

第一章　总则

第一条　为了加强河道管理，制定本办法。

第二条　本办法适用于本市行政区域内的河道。

第二章　河道保护

第三条　禁止在河道管理范围内弃置垃圾。

第三章　附则

第四条　本办法自2025年1月1日起施行。
"""


def test_a_regulations_contents_are_its_chapters(assistant: Assistant, tmp_path: Path) -> None:
    path = tmp_path / "河道管理办法.txt"
    path.write_text(CHAPTERS, "utf-8")
    doc_id = assistant.library.ingest([path]).added[0].id
    try:
        for question in ("示例市河道管理办法主要包括哪些方面的内容？", "这个办法有几章？"):
            answer = assistant.ask(question, scope=[doc_id])
            assert answer.first_line == "共三章：第一章 总则；第二章 河道保护；第三章 附则", question
            assert "第一章 总则：第一条—第二条" in answer.text
        # A question about one topic in it is not a question about its contents.
        assert "共三章" not in assistant.ask("河道保护的主要内容是什么？", scope=[doc_id]).first_line
    finally:
        assistant.library.remove(doc_id)
