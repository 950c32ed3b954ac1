"""The optional LLM path against a real OpenAI-compatible HTTP server on loopback with scripted
replies: a faithful answer is kept; an invented number, a made-up citation, a time-out all give
the extractive answer back, marked, and logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from planqa.answering import llm as llm_module
from planqa.answering.guard import check, normalise
from planqa.answering.llm import LLMUnavailable, LLMWriter, chat_model, load_prompt
from planqa.assistant import Assistant
from planqa.config import Config
from planqa.library import Library
from tests.openai_stub import StubLLM

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning

QUESTION = "省级临床重点专科2024年底的目标是多少？"
UNUSED = Path("unused")  # an LLM writer needs no data dir


@pytest.fixture(scope="module")
def stub() -> Iterator[StubLLM]:
    with StubLLM() as server:
        yield server


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library.from_config(Config(data_dir=tmp_path_factory.mktemp("llm") / "data"))
    lib.ensure_corpus()
    return lib


@pytest.fixture
def assistant(library: Library, stub: StubLLM) -> Assistant:
    config = Config(UNUSED, llm="openai-compatible", llm_base_url=stub.url, llm_model="stub", llm_timeout=1.0)
    stub.delay, stub.reply = 0.0, ""
    return Assistant(library, LLMWriter.from_config(config))


def test_a_faithful_answer_is_kept_with_its_numbered_sources(assistant: Assistant, stub: StubLLM) -> None:
    stub.reply = "省级临床重点专科到2024年底要建成 100 个以上 [1]。\n这是三年分步目标的第二步 [1]。"
    answer = assistant.ask(QUESTION)
    assert answer.generator == "llm" and not answer.abstained
    assert answer.first_line.startswith("省级临床重点专科到2024年底要建成 100 个以上 [1]")
    assert answer.citations[0].clause == "5. 遴选培育临床重点专科" and "依据 [1]" in answer.text
    prompt = stub.prompt()
    assert "[1] 《江西省卫生健康服务能力全面提升三年行动计划" in prompt and QUESTION in prompt  # numbered clauses


def test_an_invented_number_is_rejected_and_logged(
    assistant: Assistant, stub: StubLLM, caplog: pytest.LogCaptureFixture
) -> None:
    stub.reply = "省级临床重点专科到2024年底要建成120个以上[1]。"
    with caplog.at_level(logging.WARNING, logger="planqa.llm"):
        answer = assistant.ask(QUESTION)
    assert answer.generator == "extractive-fallback"
    assert "100个以上" in answer.first_line and "120" not in answer.first_line
    assert answer.notes == ("rejected",) and "未采用模型改写的答案" in answer.text
    assert "120" not in answer.text  # the rejected figure is for the log, not the reader
    assert "rejected by the guard" in caplog.text and "120个" in caplog.text
    assert assistant.writer is not None and assistant.writer.events["rejected"] >= 1


def test_made_up_citations_are_dropped(assistant: Assistant, stub: StubLLM) -> None:
    stub.reply = "到2024年底达到100个以上[1][9]。"
    answer = assistant.ask(QUESTION)
    assert answer.generator == "llm" and "[9]" not in answer.text and len(answer.citations) == 1
    stub.reply = "到2024年底达到100个以上[9]。"  # nothing it cites was retrieved: not an answer
    answer = assistant.ask(QUESTION)
    assert answer.generator == "extractive-fallback" and "100个以上" in answer.first_line


def test_a_slow_model_times_out_and_the_app_keeps_answering(
    assistant: Assistant, stub: StubLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm_module, "COOLDOWN", 60.0)
    stub.delay, stub.reply = 5.0, "到2024年底达到100个以上[1]。"
    started = time.perf_counter()
    answer = assistant.ask(QUESTION)
    assert answer.generator == "extractive-fallback" and "100个以上" in answer.first_line
    assert answer.notes == ("unreachable",) and "模型暂时无法连接" in answer.text
    assert time.perf_counter() - started < 10  # two 1-second attempts with backoff, not the model's 5 s × n
    calls = len(stub.requests)
    again = assistant.ask("那2025年底呢？", [QUESTION])
    assert "150个以上" in again.first_line and len(stub.requests) == calls  # cooling down: no new call


def test_the_model_never_decides_that_the_plans_are_silent(assistant: Assistant, stub: StubLLM) -> None:
    stub.reply = "到2026年底达到200个[1]。"
    calls = len(stub.requests)
    answer = assistant.ask("2026年底省级临床重点专科要建成多少个？")
    assert answer.abstained and answer.generator == "extractive" and len(stub.requests) == calls


def test_without_an_llm_nothing_changes(library: Library) -> None:
    plain = Assistant(library)
    answer = plain.ask(QUESTION)
    assert answer.generator == "extractive" and answer.notes == () and "100个以上" in answer.first_line
    assert LLMWriter.from_config(Config(UNUSED)) is None
    with pytest.raises(LLMUnavailable):
        chat_model(Config(UNUSED, llm="gpt-by-carrier-pigeon"))


def test_prompts_are_package_data_in_both_languages() -> None:
    for english, word in ((False, "条款"), (True, "clauses")):
        messages = load_prompt(english).format_messages(clauses="[1] 甲", question="问")
        assert [m.type for m in messages] == ["system", "human"] and word in messages[0].content


def test_the_guard_reads_numbers_with_their_units() -> None:
    source = ["到2025年底，覆盖率达到40%，建成100个以上，投入150万元。（责任单位：省卫生健康委）"]
    assert normalise("百分之四十，100 个，１５０万元") == "40%,100个,150万元"  # NFKC: full-width punctuation too
    assert check("覆盖率百分之四十，建成 100 个以上 [1]。", source).ok
    assert not check("建成150个。", source).ok  # 150万元 is not 150个
    assert not check("覆盖率达到45%。", source).ok
    assert not check("到2026年底建成100个。", source).ok  # a year the clause does not give
    assert not check("建成100个。", source, asked_years=[2024]).ok  # the question's year is not the clause's
    assert check("由省卫生健康委负责。", source).ok
    assert not check("由省发展改革委负责。", source).ok  # an institution the clause does not name


def test_the_guard_on_every_gold_answer_and_a_tampered_copy(library: Library) -> None:
    """Faithful answers (the extractive ones) must all pass; the same answers with one figure changed
    must almost all fail (a changed figure that the clause states for another year or place passes:
    the guard checks a bag of quantities, not their roles)."""
    import re

    from planqa.eval.gold import load_gold

    plain = Assistant(library)
    passed = tampered = caught = 0
    for item in load_gold(None):
        if item.corpus or item.type == "overview":
            continue  # a list's 共三项 is planqa's count, which the guard rightly refuses from a model
        answer = plain.ask(item.question, item.turns[:-1])
        if answer.abstained or not answer.citations:
            continue
        cited = [c.text for c in answer.citations]
        assert check(answer.first_line, cited).ok, answer.first_line
        passed += 1
        figures = [m for m in re.finditer(r"\d+(?:\.\d+)?", answer.first_line) if not re.fullmatch(r"20\d\d", m[0])]
        if figures:
            m = figures[0]
            changed = f"{answer.first_line[: m.start()]}{int(float(m[0]) * 2 + 1)}{answer.first_line[m.end() :]}"
            tampered += 1
            caught += not check(changed, cited).ok
    assert passed >= 140 and caught >= 0.95 * tampered
