"""A PDF page as the signed notice shows it, with the quoted sentence marked where it stands.

Officials trust a figure when they see it on the page. The page is rendered by pdfium (the
``pypdfium2`` wheel) and the quote is found in the page's own text layer, character by character,
so the mark sits on the glyphs whatever the normaliser did to the indexed text: widths and spaces
are folded on both sides (NFKC, whitespace dropped) before matching. A quote that runs onto the next
page is marked as far as this page holds it. A page without a text layer (a scan) still renders;
it just has nothing to mark. Rendering is cached per file version, page, quote and scale.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planqa.errors import CorpusError

SCALE = 1.5  # pixels per PDF point: an A4 page is 893 × 1263 px, legible beside the chat
MIN_MATCH = 6  # characters of a quote that must match for a partial mark (a quote split over pages)
HIGHLIGHT = (255, 214, 0, 96)  # translucent yellow over the glyphs
OUTLINE = (230, 120, 0, 255)


@dataclass(frozen=True)
class Box:
    """A marked area in pixels of the rendered image, top-left origin (one per line of the quote)."""

    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class PageView:
    """One rendered page: the PNG, where the quote is marked, and whether the page has text at all."""

    png: bytes
    page: int  # 1-based
    pages: int
    width: int
    height: int
    boxes: tuple[Box, ...]
    has_text: bool


def _fold(text: str) -> tuple[str, list[int]]:
    """Text with widths folded and whitespace dropped, and for each kept character its index."""
    kept, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                kept.append(c)
                where.append(i)
    return "".join(kept), where


def _find(page: str, quote: str) -> tuple[int, int] | None:
    """Where the quote (or the longest head or tail of it this page holds) stands, in folded text."""
    if not quote:
        return None
    at = page.find(quote)
    if at >= 0:
        return at, at + len(quote)
    for n in range(len(quote) - 1, MIN_MATCH - 1, -1):
        head, tail = quote[:n], quote[-n:]
        if (at := page.find(head)) >= 0 and at + n == len(page.rstrip()):
            return at, at + n  # the quote goes on over the page break
        if page.startswith(tail):
            return 0, n  # the quote began on the page before
    for n in range(len(quote) - 1, MIN_MATCH - 1, -1):
        if (at := page.find(quote[:n])) >= 0:
            return at, at + n
    return None


def _line_boxes(textpage: object, indices: range, height: float, scale: float) -> list[Box]:
    """One box per line over the characters ``indices`` (PDF points → image pixels)."""
    lines: list[list[float]] = []
    for i in indices:
        left, bottom, right, top = textpage.get_charbox(i)  # type: ignore[attr-defined]
        if right <= left:
            continue
        last = lines[-1] if lines else None
        if last and min(top, last[3]) - max(bottom, last[1]) > 0.5 * (top - bottom):  # same line
            last[:] = [min(last[0], left), min(last[1], bottom), max(last[2], right), max(last[3], top)]
        else:
            lines.append([left, bottom, right, top])
    return [Box(x0 * scale, (height - y1) * scale, x1 * scale, (height - y0) * scale) for x0, y0, x1, y1 in lines]


def _chars(textpage: object) -> str:
    """The page's characters by index (one per pdfium char index, so positions line up)."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()  # type: ignore[attr-defined]
    return "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(max(count, 0)))  # type: ignore[attr-defined]


def render(path: Path, page: int, highlight: str = "", scale: float = SCALE) -> PageView:
    """Page ``page`` (1-based) of the PDF at ``path`` as PNG, with ``highlight`` marked where it stands."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as err:
        raise CorpusError(f"{path.name}: the original file is not there ({err.strerror or err})") from err
    return _render(path, stamp, page, highlight, scale)


@lru_cache(maxsize=64)
def _render(path: Path, stamp: int, page: int, highlight: str, scale: float) -> PageView:
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as err:
        raise CorpusError(f"{path.name}: cannot open the PDF to show its page ({err})") from err
    try:
        if not 1 <= page <= len(pdf):
            raise CorpusError(f"{path.name} has pages 1–{len(pdf)}, not {page}")
        pdf_page = pdf[page - 1]
        height = pdf_page.get_height()
        image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
        textpage = pdf_page.get_textpage()
        text = _chars(textpage)
        boxes: list[Box] = []
        if highlight and text:
            folded, where = _fold(text)
            span = _find(folded, _fold(highlight)[0])
            if span:
                boxes = _line_boxes(textpage, range(where[span[0]], where[span[1] - 1] + 1), height, scale)
        if boxes:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            for b in boxes:
                area = (b.left - 2, b.top - 2, b.right + 2, b.bottom + 2)
                draw.rectangle(area, fill=HIGHLIGHT, outline=OUTLINE, width=2)
            image = Image.alpha_composite(image, overlay)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=False)
        has_text = bool(text.strip())
        return PageView(out.getvalue(), page, len(pdf), image.width, image.height, tuple(boxes), has_text)
    finally:
        pdf.close()


def pages_without_text(path: Path) -> list[int]:
    """The 1-based pages of a PDF whose text layer is empty (scanned pages)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [i + 1 for i in range(len(pdf)) if not pdf[i].get_textpage().get_text_range().strip()]
    finally:
        pdf.close()
