"""PDF ingest must be as good as text ingest: same clauses, plus the pages they stand on."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.ingest.normalize import normalize_text
from tests.conftest import PROVINCE


def _shape(path: Path) -> list[tuple]:
    doc = parse(load(path), "doc")
    return [(c.kind, c.section, c.number, c.title, c.units, c.text, c.part) for c in doc.clauses]


def test_pdf_and_text_give_the_same_clauses(province_pdf: Path) -> None:
    assert len(pypdf.PdfReader(province_pdf).pages) > 5
    assert _shape(province_pdf) == _shape(PROVINCE)
    info = parse(load(province_pdf), "doc").info
    assert info.number == "赣府发〔2023〕1号"
    assert info.pages == len(pypdf.PdfReader(province_pdf).pages)


def _page_texts(pdf: Path) -> list[str]:
    """Each page's text without whitespace, the test's own running header or its page number."""
    out = []
    for page in pypdf.PdfReader(pdf).pages:
        text = re.sub(r"\s", "", normalize_text(page.extract_text()))
        out.append(re.sub(r"-\d+-", "", text.replace("政府公报内部资料", "")))
    return out


def _pages_holding(clause_text: str, pages: list[str]) -> tuple[int, ...]:
    """Independent check: find the whole clause in the pages laid end to end, then read off its pages."""
    body = re.sub(r"\s", "", clause_text)
    joined = "".join(pages)
    start = joined.index(body)
    ends = [sum(len(p) for p in pages[: i + 1]) for i in range(len(pages))]
    first = next(i for i, end in enumerate(ends, 1) if start < end)
    last = next(i for i, end in enumerate(ends, 1) if start + len(body) <= end)
    return tuple(range(first, last + 1))


def test_clauses_know_their_pages(province_pdf: Path) -> None:
    clauses = [c for c in parse(load(province_pdf), "doc").clauses if c.kind == "task" and c.parts == 1]
    pages = _page_texts(province_pdf)
    five = next(c for c in clauses if c.number == "5")
    assert five.pages == _pages_holding(five.text, pages)
    spanning = [c for c in clauses if len(c.pages) > 1]
    assert spanning, "the layout should break at least one clause across pages"
    for clause in spanning + clauses[:10]:
        assert clause.pages == _pages_holding(clause.text, pages), clause.section_path


def test_running_header_and_page_numbers_never_reach_clauses(province_pdf: Path) -> None:
    for clause in parse(load(province_pdf), "doc").clauses:
        assert "政府公报" not in clause.text
        assert not re.search(r"-\d+-", clause.text)
