"""Real PDFs laid out like printed notices, for the tests and the benchmark: reportlab's built-in
STSong-Light CID font, so no font file is needed."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK", firstLineIndent=22)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")


def notice_pdf(text: str, out: Path, running_header: str = "政府公报  内部资料") -> Path:
    """Lay a notice's text out as a multi-page PDF, as an office would print it.

    Paragraph lines become wrapped, indented paragraphs; tab-separated lines become a table whose
    header row repeats on every page; each page gets a running header and a ``- N -`` footer.
    """
    story: list = []
    rows: list[list[Paragraph]] = []

    def flush_table() -> None:
        if rows:
            width = max(len(r) for r in rows)
            padded = [r + [Paragraph("", CELL)] * (width - len(r)) for r in rows]
            # A narrow number column, the rest shared: reportlab's own sizing can leave a column no width.
            widths = [36, 130, 300] if width == 3 else [36] + [430 / (width - 1)] * (width - 1) if width > 1 else None
            table = Table(padded, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(table)
            rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            if cells[0].strip() == "序号" and rows:
                continue  # the table's own header repeats by itself
            rows.append([Paragraph(escape(c.strip()), CELL) for c in cells])
        elif line.strip():
            flush_table()
            story.append(Paragraph(escape(line.strip()), BODY))
    flush_table()

    def decorate(pdf: canvas.Canvas, doc: SimpleDocTemplate) -> None:
        pdf.setFont(FONT, 9)
        pdf.drawString(72, A4[1] - 40, running_header)
        pdf.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    SimpleDocTemplate(str(out), pagesize=A4, topMargin=60, bottomMargin=50).build(
        story, onFirstPage=decorate, onLaterPages=decorate
    )
    return out


def image_only_pdf(out: Path) -> Path:
    """A 'scanned' page: drawings, no text layer."""
    pdf = canvas.Canvas(str(out), pagesize=A4)
    pdf.rect(72, 500, 300, 200, fill=1)
    pdf.showPage()
    pdf.save()
    return out


def simple_pdf(lines: list[str], out: Path) -> Path:
    pdf = canvas.Canvas(str(out), pagesize=A4)
    pdf.setFont(FONT, 12)
    y = A4[1] - 72
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 20
    pdf.save()
    return out
