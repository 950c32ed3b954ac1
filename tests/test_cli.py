"""The planqa command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planqa.cli import cli
from planqa.library import bundled_corpus

pytestmark = pytest.mark.slow  # answers and searches that need the real model's meaning


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_ingest_corpus_then_clauses_and_search(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, "ingest", str(bundled_corpus()))
    assert code == 0, out + err
    assert "2 documents indexed" in out
    assert "__init__.py" not in err  # package files are not documents and not worth a warning
    code, out, _ = _run(tmp_path, "targets", "--compare", "江西", "珠山", "--json", str(tmp_path / "c.json"),
                        "--xlsx", str(tmp_path / "c.xlsx"))  # fmt: skip
    assert code == 0 and "每千人口托位数" in out and "4.5个/千人口" in out and "未规定" in out
    assert (tmp_path / "c.xlsx").stat().st_size > 0
    code, out, _ = _run(tmp_path, "targets", "--doc", "江西", "--year", "2024", "--json", str(tmp_path / "t.json"))
    rows = json.loads((tmp_path / "t.json").read_text("utf-8"))
    keys = {"doc", "clause", "indicator", "value", "unit", "comparator", "deadline", "condition", "units"}
    assert rows and all(r["year"] == 2024 for r in rows) and keys | {"source_text", "pages"} <= set(rows[0])
    code, out, _ = _run(tmp_path, "clauses", "江西")
    assert code == 0
    assert "5. 遴选培育临床重点专科" in out and "（二）医疗服务能力提升行动" in out
    assert "58. 推进“三位一体”智慧医院建设" in out
    code, out, _ = _run(tmp_path, "search", "省级临床重点专科2024年底的目标", "--json", "-k", "3")
    rows = json.loads(out)
    assert set(rows[0]) == {
        "id",  # the clause id (get_clause of planqa mcp takes it)
        "doc",
        "doc_title",
        "doc_number",
        "section",
        "clause",
        "title",
        "units",
        "pages",
        "text",
        "score",
        "sources",
        "related",
    }
    assert rows[0]["clause"] == "5" and rows[0]["doc_number"] == "赣府发〔2023〕1号"


def test_docs_and_remove(tmp_path: Path) -> None:
    _run(tmp_path, "ingest", str(bundled_corpus()))
    code, out, _ = _run(tmp_path, "docs")
    assert "赣府发〔2023〕1号" in out and "珠山区" in out
    code, out, _ = _run(tmp_path, "remove", "赣府发〔2023〕1号")
    assert code == 0 and "removed" in out
    code, out, err = _run(tmp_path, "remove", "no-such-doc")
    assert code == 1 and "no indexed document" in err


def test_a_bad_file_gets_one_line_and_a_meaningful_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    code, out, err = _run(tmp_path, "ingest", str(bad))
    assert code == 1
    assert "broken.pdf" in err and "Traceback" not in out + err
    code, _, _ = _run(tmp_path, "ingest", str(bad), str(bundled_corpus()))
    assert code == 3  # some went in, some did not


def test_search_with_an_empty_index_ingests_the_bundled_notices_first(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "search", "每千人口托位数")
    assert code == 0 and "托位数" in out


def test_blank_query_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "search", "   ")
    assert code == 1 and "empty" in err


def test_help_teaches_in_chinese_first() -> None:
    out = subprocess.run([sys.executable, "-m", "planqa.cli", "--help"], capture_output=True, text=True).stdout
    assert "planqa ask 省级临床重点专科2024年底的目标是多少？" in out and "条款" in out


def test_ask_prints_the_answer_first_and_json_for_scripts(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "ask", "省级临床重点专科2024年底的目标是多少？")
    assert code == 0 and "100个以上" in out.splitlines()[0] and "5. 遴选培育临床重点专科" in out
    code, out, _ = _run(tmp_path, "ask", "--json", "--doc", "珠山", "每千人口托位数的目标是多少？")
    data = json.loads(out)
    assert code == 0 and not data["abstained"] and "3.8" in data["first_line"]
    assert {c["doc"] for c in data["citations"]} == {"zhushan-health-capacity-plan-2023"}
    assert {"quote", "text", "section", "pages", "doc_number"} <= set(data["citations"][0])
    code, out, _ = _run(tmp_path, "ask", "2027年底省级临床重点专科要建成多少个？")
    assert code == 2 and out.startswith("计划未规定2027年")  # abstention: its own exit status


def test_chat_keeps_the_subject_across_turns(tmp_path: Path) -> None:
    turns = "省级临床重点专科2023年底的目标是多少？\n那2025年底呢？\n/new\n那2025年底呢？\n/quit\n"
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "chat"], input=turns)
    assert result.exit_code == 0, result.output
    answers = [line for line in result.stdout.splitlines() if line.startswith("问 >")]
    assert "50个以上" in answers[0] and "150个以上" in answers[1]
    assert "150个以上" not in answers[3]  # after /new the follow-up has no subject to borrow


def test_serve_login_setting_is_read_or_refused(tmp_path: Path) -> None:
    from planqa.cli.serve import BadAuth, read_auth

    assert read_auth("admin:s3cret:x") == [("admin", "s3cret:x")]
    users = tmp_path / "users.txt"
    users.write_text("# officials\nwang:pw1\n\nli:pw2\n", "utf-8")
    assert read_auth(str(users)) == [("wang", "pw1"), ("li", "pw2")]
    for bad in ("admin", ":pw", "admin:"):
        try:
            read_auth(bad)
        except BadAuth:
            continue
        raise AssertionError(f"{bad!r} was accepted")
    code, out, err = _run(tmp_path, "serve", "--auth", "nobody")
    assert code == 1 and "user:password" in (out + err) and "Traceback" not in (out + err)


def test_outline_and_deadlines_for_new_staff(tmp_path: Path) -> None:
    code, out, _ = _run(tmp_path, "outline", "珠山", "--xlsx", str(tmp_path / "brief.xlsx"))
    assert code == 0 and "（一）公共卫生能力提升行动" in out and "◆ 每千人口托位数：2023年底达到3.8" in out
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "brief.xlsx")
    assert book.sheetnames == ["条款", "指标", "时间表"] and book["指标"].max_row > 10
    code, out, _ = _run(tmp_path, "deadlines", "--year", "2024", "--doc", "江西")
    assert code == 0 and out.startswith("2024年") and "2025年" not in out.splitlines()[0]
    assert "24. 推进医学教育创新发展" in out and "2024年9月" in out
