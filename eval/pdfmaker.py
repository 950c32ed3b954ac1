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


def printed_pdf(text: str, out: Path, running_header: str = "人民政府文件") -> Path:
    """Lay a notice out as an office printer does, the shape that broke ingest once: lines wrapped at a
    fixed width with no first-line indent (space between paragraphs instead), sentences cut by page
    breaks, a table's row as one line of cells set apart by wide gaps with its header again on each new
    page, a running header and a ``— N —`` footer on every page."""
    width, height = A4
    size, leading, left, top, bottom = 12.0, 17.6, 72.0, height - 72, 72.0
    capacity = width - 2 * left
    pdf = canvas.Canvas(str(out), pagesize=A4)
    state = {"y": top, "page": 1, "table": ""}

    def decorate() -> None:
        pdf.setFont(FONT, 9)
        pdf.drawString(left, height - 40, running_header)
        pdf.drawCentredString(width / 2, 30, f"— {state['page']} —")

    def new_page() -> None:
        decorate()
        pdf.showPage()
        state["page"] += 1
        state["y"] = top
        if state["table"]:
            draw(state["table"])

    def draw(line: str) -> None:
        if state["y"] < bottom:
            new_page()
        pdf.setFont(FONT, size)
        pdf.drawString(left, state["y"], line)
        state["y"] -= leading

    def wrap(line: str, room: float) -> list[str]:
        out, current = [], ""
        for ch in line:
            if pdfmetrics.stringWidth(current + ch, FONT, size) > room:
                out.append(current)
                current = ""
            current += ch
        return [*out, current] if current else out

    for line in _table_rows(text.splitlines()):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            row = "  ".join(cells)
            if cells[0] == "序号":
                state["table"] = row
            for piece in wrap(row, capacity):
                draw(piece)
            continue
        state["table"] = ""
        if line.strip():
            for piece in wrap(line.strip(), capacity):
                draw(piece)
            state["y"] -= leading  # space, not an indent, sets paragraphs apart
    decorate()
    pdf.save()
    return out


def _table_rows(lines: list[str]) -> list[str]:
    """A table kept a cell per line (each line one tab, then the cell) as rows of tab-separated
    cells: the header's cells up to the first serial number, then a row from each serial number on."""
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        cells = [c.strip() for c in block]
        first = next((i for i, c in enumerate(cells) if c.isdigit()), None)
        if first is None or first == 0:
            out.extend(block)
        else:
            out.append("\t".join(cells[:first]))
            rows: list[list[str]] = []
            for cell in cells[first:]:
                if cell.isdigit() and (not rows or int(cell) == int(rows[-1][0]) + 1):
                    rows.append([cell])
                elif len(rows[-1]) < first:
                    rows[-1].append(cell)
                else:
                    rows[-1][-1] += cell
            out.extend("\t".join(row) for row in rows)
        block.clear()

    for index, line in enumerate(lines):
        cell_per_line = line.startswith("\t") and line.count("\t") == 1 and line.strip()
        if cell_per_line:
            block.append(line)
            continue
        if block and not line.strip():
            continue
        later = next((ln for ln in lines[index + 1 :] if ln.strip()), "")
        if block and "\t" not in line and later.startswith("\t"):
            block[-1] += line.strip()  # a cell that wrapped onto a line of its own
            continue
        if block:
            flush()
        out.append(line)
    if block:
        flush()
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
