"""In a real browser: a PDF citation's page shown with the quote marked where it is printed, and a
correction (有误) that ``planqa feedback --to-gold`` turns into a gold item ``planqa eval`` runs."""

from __future__ import annotations

import io
import json
import os
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from planqa.eval.pdfmaker import notice_pdf
from planqa.ingest.pages import OUTLINE, SCALE
from tests.conftest import PROVINCE
from tests.servers import planqa, planqa_serve
from tests.test_ui import asker, chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _outline_box(png: bytes) -> tuple[int, int, int, int]:
    """The bounding box of the mark's outline colour in the rendered page (left, top, right, bottom)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    hits = [
        (x, y)
        for y in range(0, height, 2)
        for x in range(0, width, 2)
        if sum(abs(a - b) for a, b in zip(pixels[x, y], OUTLINE[:3], strict=True)) < 40
    ]
    assert hits, "no mark on the page"
    xs, ys = [x for x, _ in hits], [y for _, y in hits]
    return min(xs), min(ys), max(xs), max(ys)


def _printed_at(pdf: Path, page: int, quote: str) -> float:
    """Where pypdf (not the reader planqa marks with) places the line where the quote starts: its
    baseline, in pixels from the top of the rendered page."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    height = float(reader.pages[page - 1].mediabox.height)
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if quote[:5] in text.replace(" ", ""):
            found.append(tm[5])

    reader.pages[page - 1].extract_text(visitor_text=visit)
    assert found, quote
    return (height - found[0]) * SCALE


def test_the_cited_page_the_mark_and_a_correction_that_becomes_a_test(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    data = tmp_path / "data"
    pdf = notice_pdf(PROVINCE.read_text("utf-8"), tmp_path / "jiangxi-plan.pdf")
    assert planqa(data, "ingest", str(pdf)).returncode == 0
    with planqa_serve(data) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(url)
        asker(page)("省级临床重点专科2024年底的目标是多少？")
        quote = page.locator("#citations mark").first.inner_text()
        image = page.locator("#source-image img")
        expect(image).to_be_visible(timeout=30_000)
        where = page.locator("#source-where").inner_text()  # 第 3 / 10 页
        shown = int(where.split("/")[0].strip().removeprefix("第").strip())
        src = image.get_attribute("src") or ""
        png = urllib.request.urlopen(src if src.startswith("http") else url.rstrip("/") + src).read()
        left, top, right, bottom = _outline_box(png)
        baseline = _printed_at(pdf, shown, quote)
        assert top - 4 <= baseline <= bottom + 4, (top, bottom, baseline)  # the mark is on the printed line
        assert 72 * SCALE - 4 <= left < right  # within the text block, not the margin
        expect(page.locator("#source-download")).to_be_visible()
        shots = Path(os.environ.get("PLANQA_SCREENSHOTS") or tmp_path)  # the README's pictures come from here
        page.screenshot(path=str(shots / "source.png"), full_page=True)

        page.locator("#fb-wrong").click()
        expect(page.locator("#fb-what textarea")).to_be_visible()
        page.locator("#fb-what textarea").fill("想核对2024年底的数字")
        page.locator("#fb-correct textarea").fill("到2024年底建成100个以上")
        page.locator("#fb-submit").click()
        expect(page.locator("#fb-status")).to_contain_text("#1", timeout=15_000)

    gold = tmp_path / "from-feedback.jsonl"
    made = planqa(data, "feedback", "--to-gold", str(gold))
    assert made.returncode == 0, made.stderr
    items = [json.loads(line) for line in gold.read_text("utf-8").splitlines()]
    assert len(items) == 1 and items[0]["turns"] == ["省级临床重点专科2024年底的目标是多少？"]
    assert items[0]["must"] == ["2024", "100个"] or "100个" in items[0]["must"]
    ran = planqa(data, "eval", str(gold))
    assert ran.returncode == 0, ran.stderr
    assert "1/1" in ran.stdout or "1.000" in ran.stdout, ran.stdout
