"""The original page beside the answer: a PDF page rendered, the quote marked where it stands."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from planqa.errors import CorpusError
from planqa.eval.pdfmaker import FONT, simple_pdf
from planqa.ingest.pages import SCALE, render
from planqa.library import Library

LINES = [
    "第一条 为了规范示例工作，制定本办法。",
    "第二条 到2025年底，示例站点达到120个以上。",
    "第三条 本办法自印发之日起施行。",
]


def _baseline_of(pdf: Path, page: int, needle: str) -> float:
    """Where pypdf (another reader than pdfium) says the line holding ``needle`` sits: its baseline y."""
    from pypdf import PdfReader

    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if needle in text:
            found.append(tm[5])

    PdfReader(pdf).pages[page - 1].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


def test_the_mark_sits_where_the_quote_is_printed(tmp_path: Path) -> None:
    pdf = simple_pdf(LINES, tmp_path / "notice.pdf")
    view = render(pdf, 1, "示例站点达到120个以上")
    assert view.pages == 1 and view.has_text and len(view.boxes) == 1
    box = view.boxes[0]
    height = Image.open(io.BytesIO(view.png)).height / SCALE  # page height in points
    baseline = _baseline_of(pdf, 1, "示例站点")
    top, bottom = height - box.top / SCALE, height - box.bottom / SCALE  # back to PDF points
    assert bottom - 3 <= baseline <= top  # the printed line's baseline lies inside the marked box
    assert box.left / SCALE > 72  # the mark starts after 第二条 到2025年底，, not at the margin
    assert render(pdf, 1, "示例站点达到120个以上") is view  # cached
    plain = render(pdf, 1)
    assert plain.boxes == () and plain.png != view.png


def test_a_quote_not_on_the_page_marks_nothing_and_a_bad_page_is_one_line(tmp_path: Path) -> None:
    pdf = simple_pdf(LINES, tmp_path / "notice.pdf")
    assert render(pdf, 1, "完全不在这一页上的句子").boxes == ()
    with pytest.raises(CorpusError, match="pages 1–1"):
        render(pdf, 2)
    with pytest.raises(CorpusError, match="not there"):
        render(tmp_path / "gone.pdf", 1)


def _half_scanned(out: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(out), pagesize=A4)
    pdf.setFont(FONT, 12)
    for i, line in enumerate(["示例县数字化实施方案", *LINES]):
        pdf.drawString(72, A4[1] - 72 - 20 * i, line)
    pdf.showPage()
    pdf.rect(72, 400, 400, 300, fill=1)  # the scanned page: an image, no text
    pdf.showPage()
    pdf.save()
    return out


def test_scanned_pages_are_named_at_ingest_and_still_shown(library: Library, tmp_path: Path) -> None:
    pdf = _half_scanned(tmp_path / "half-scanned.pdf")
    report = library.ingest([pdf])
    assert report.added and len(report.warnings) == 1
    name, note = report.warnings[0]
    assert name == "half-scanned.pdf" and "pages 2 " in note and "text layer" in note
    original = library.original(report.added[0])
    assert original is not None and original.read_bytes() == pdf.read_bytes()
    view = render(original, 2)
    assert not view.has_text and view.boxes == ()
    pdf.unlink()  # the page view reads the copy kept at ingest, not the file the user had
    out = tmp_path / "p2.png"
    done = subprocess.run(
        [sys.executable, "-m", "planqa.cli", "--data-dir", str(library.data_dir), "--embed-model", "hashing",
         "page", report.added[0].id, "2", "--png", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "no text layer" in done.stdout and Image.open(out).size == (view.width, view.height)
    library.remove(report.added[0].id)
    assert not original.exists()  # removed with its notice


def test_a_text_notice_shows_the_clause_among_its_neighbours(library: Library) -> None:
    from planqa.assistant import Assistant
    from planqa.ui.source import show
    from tests.conftest import DISTRICT

    library.ingest([DISTRICT])
    answer = Assistant(library).ask("每千人口托位数的目标是多少？")
    assert answer.citations and not answer.abstained
    *_, image, context, download, state = show(library, [answer], 0, 0, 0, "zh")
    assert image["visible"] is False and download["visible"] is False  # no page: a text file
    assert context.count('class="pq-near"') >= 2 and "<mark>" in context  # neighbours, and the quote marked
    assert answer.citations[0].quote in context and state == (0, 0, 0)
