"""What a new user hit (issue 19), each as the behaviour that now holds: text cells stay text, the
documented settings are read, uploads go when their notice goes, a removed place is named, logins
slow down, and ``planqa bench`` runs on a fresh install."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from planqa.assistant import TOP_K, Assistant
from planqa.config import Config
from planqa.errors import BadConfig
from planqa.library import Library
from planqa.outline import briefing_xlsx
from planqa.ui import uploads
from planqa.ui.login import FREE_FAILURES, MAX_DELAY, Login
from planqa.workbook import append_rows
from tests.notices import county_plan
from tests.servers import planqa


def test_workbook_cells_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    book = Workbook()
    append_rows(book.active, [["=SUM(1,2)", "+86 791", "-县民政局", "@all", "普通", 3]])
    book.save(tmp_path / "t.xlsx")
    cells = list(load_workbook(tmp_path / "t.xlsx").active[1])
    assert [c.value for c in cells] == ["=SUM(1,2)", "+86 791", "-县民政局", "@all", "普通", 3]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "s", "n"]
    assert all(c.quotePrefix for c in cells[:4]) and not cells[4].quotePrefix


def test_the_briefing_workbook_writes_a_formula_like_clause_as_text(library: Library, tmp_path: Path) -> None:
    plan = county_plan(tmp_path / "a", "庚县", "庚", 3, 55)
    plan.write_text(
        plan.read_text("utf-8").replace("为提升全县养老服务能力", "=HYPERLINK(1)为提升全县养老服务能力"), "utf-8"
    )
    doc = library.ingest([plan]).added[0].id
    out = briefing_xlsx(library.catalog(), doc, tmp_path / "brief.xlsx")
    texts = [c for row in load_workbook(out)["条款"].iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert texts and all(c.data_type == "s" and c.value.startswith("=HYPERLINK") for c in texts)


def test_planqa_top_k_is_read_and_checked(tmp_path: Path) -> None:
    assert Config.from_env({"PLANQA_DATA_DIR": str(tmp_path)}).top_k == TOP_K
    assert Config.from_env({"PLANQA_DATA_DIR": str(tmp_path), "PLANQA_TOP_K": "3"}).top_k == 3
    with pytest.raises(BadConfig, match="PLANQA_TOP_K"):
        Config.from_env({"PLANQA_DATA_DIR": str(tmp_path), "PLANQA_TOP_K": "many"})
    done = planqa(tmp_path / "data", "ask", "--json", "省级临床重点专科2024年底的目标是多少？", PLANQA_TOP_K="2")
    assert done.returncode == 0 and len(json.loads(done.stdout)["retrieved"]) == 2
    bad = planqa(tmp_path / "data", "docs", PLANQA_TOP_K="0")
    assert bad.returncode == 1 and "PLANQA_TOP_K" in bad.stderr and "Traceback" not in bad.stderr


def test_a_question_about_a_removed_place_names_it(library: Library, tmp_path: Path) -> None:
    library.ingest([county_plan(tmp_path / "a", "庚县", "庚", 3, 55), county_plan(tmp_path / "b", "辛县", "辛", 8, 60)])
    library.remove("庚政发〔2024〕3号")
    assistant = Assistant(library)
    for question in ("庚县养老机构护理型床位占比到2025年底要达到多少？", "庚县的老年助餐点目标是多少？"):
        answer = assistant.ask(question)
        assert answer.abstained and "没有庚县的计划" in answer.first_line and "60" not in answer.first_line
    english = assistant.ask("What share of nursing beds must 庚县 reach by 2025?")
    assert english.abstained and english.first_line.startswith("No indexed plan covers 庚县")
    kept = assistant.ask("县级养老服务指导中心要建几个？")  # 县级 opens a word, not a place
    assert not kept.abstained and "8个" in kept.first_line


def test_uploads_of_one_name_are_kept_apart_and_pruned_with_their_notice(library: Library, tmp_path: Path) -> None:
    temp, kept = tmp_path / "gradio-tmp", tmp_path / "uploads"
    geng = county_plan(temp / "x1", "庚县", "庚", 3, 55)
    xin = county_plan(temp / "x2", "辛县", "辛", 8, 60)
    staged = [uploads.stage(p, kept, temp) for p in (geng, xin)]
    assert staged[0] != staged[1] and all(p.name == "实施方案.txt" and p.exists() for p in staged)
    assert not geng.exists() and not geng.parent.exists()  # the web server's copy is gone
    library.ingest(staged)
    assert uploads.prune(kept, library.documents()) == []
    library.remove("庚政发〔2024〕3号")
    assert uploads.prune(kept, library.documents()) == [staged[0].parent]
    assert not staged[0].exists() and staged[1].exists()


def test_logins_slow_down_after_a_few_failures_and_are_logged(caplog: pytest.LogCaptureFixture) -> None:
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    login = Login([("admin", "secret")], sleep=sleep)

    async def attempts() -> list[bool]:
        results = [await login.check("admin", f"guess{i}") for i in range(30)]
        return [*results, await login.check("admin", "secret"), await login.check("admin", "secret")]

    results = asyncio.run(attempts())
    assert results[:30] == [False] * 30 and results[30:] == [True, True]
    # Attempts 4–30 wait, and so do both right ones: the 30 failures of the last minutes count for every name.
    assert len(waited) == 30 - FREE_FAILURES + 2
    assert waited[:3] == [1.0, 2.0, 4.0] and max(waited) == MAX_DELAY and sum(waited) > 300
    assert "login failed for 'admin'" in caplog.text


@pytest.mark.slow
def test_planqa_bench_runs_at_its_smallest_size(tmp_path: Path) -> None:
    out, plot = tmp_path / "bench.json", tmp_path / "latency.png"
    done = planqa(tmp_path / "data", "bench", "--scale", "1", "--json", str(out), "--plot", str(plot), timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text("utf-8"))
    assert plot.stat().st_size > 0 and "warm ask p50 / p95" in done.stdout
    assert result["scale"][0]["hit5_scoped"] == 1.0
