"""Printed notices: the layout an office printer gives a signed plan (running header, ``— N —`` footer,
lines wrapped at the page width with no indent, a table's row as one line of cells set apart by wide
gaps, its header again on each page). That shape sent the annex and body readers into each other
without end; it must give the clauses its text gives, and a parser failure must stay one file's.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from planqa.cli import cli
from planqa.eval.pdfmaker import printed_pdf
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from tests.conftest import DISTRICT, PROVINCE

REPRO = Path(__file__).resolve().parents[2] / "shared" / "repro" / "jiangxi-plan-printed.pdf"


def _shape(path: Path) -> list[tuple]:
    doc = parse(load(path), "doc")
    return [(c.kind, c.section, c.number, c.title, c.units, c.text, c.part) for c in doc.clauses]


@pytest.mark.parametrize("text", [PROVINCE, DISTRICT], ids=["province", "county"])
def test_a_printed_plan_gives_the_clauses_of_its_text(text: Path, tmp_path: Path) -> None:
    pdf = printed_pdf(text.read_text("utf-8"), tmp_path / f"{text.stem}.pdf")
    assert len(pypdf.PdfReader(pdf).pages) > 3
    assert _shape(pdf) == _shape(text)


@pytest.mark.skipif(not REPRO.exists(), reason="../shared/repro is not beside this checkout")
def test_the_printed_reproducer_gives_the_clauses_of_its_text() -> None:
    """The PDF that broke ingest, as a user brought it: same clauses as the bundled text, each on the
    pages it stands on."""
    assert _shape(REPRO) == _shape(PROVINCE)
    doc = parse(load(REPRO), "doc")
    pages = len(pypdf.PdfReader(REPRO).pages)
    assert doc.info.number == "赣府发〔2023〕1号" and doc.info.pages == pages
    assert all(1 <= p <= pages for c in doc.clauses for p in c.pages)
    rows = [c for c in doc.clauses if c.kind == "annex_row"]
    # The table and the colophon run to the last printed page; the page after it holds only its header.
    assert rows[0].number == "1" and rows[-1].pages[-1] == doc.clauses[-1].pages[-1] == pages - 1


def test_a_parser_failure_is_that_files_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that makes the parser raise: one line naming it, the other files go in, exit 3."""
    import planqa.library

    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a-province.txt").write_text(PROVINCE.read_text("utf-8"), "utf-8")
    (folder / "b-breaks-the-parser.txt").write_text("一、总体要求\n" + "这一份通知让解析器出错。" * 20 + "\n", "utf-8")
    (folder / "c-county.txt").write_text(DISTRICT.read_text("utf-8"), "utf-8")
    real = planqa.library.parse

    def parse_or_fail(raw, doc_id):  # type: ignore[no-untyped-def]
        if raw.source.name.startswith("b-"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(raw, doc_id)

    monkeypatch.setattr(planqa.library, "parse", parse_or_fail)
    monkeypatch.setenv("PLANQA_EMBED_MODEL", "hashing")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "ingest", "-q", str(folder)])
    assert result.exit_code == 3, result.output
    failed = [line for line in result.stderr.splitlines() if line.startswith("失败")]
    assert len(failed) == 1 and "b-breaks-the-parser.txt" in failed[0] and "无法识别文件结构" in failed[0]
    assert "Traceback" not in result.output and "2 documents indexed" in result.stdout
    listed = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "docs", "--json"])
    assert {"a-province.txt", "c-county.txt"} <= set(listed.stdout.replace('"', " ").split())
