"""The benchmark's synthetic notices: re-issued, distinct, still parsed like the originals."""

from __future__ import annotations

from pathlib import Path

from planqa.eval.pdfmaker import notice_pdf
from planqa.eval.synthetic import place_names, synthetic_corpus
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.library import doc_id_for
from tests.conftest import DISTRICT, PROVINCE


def test_copies_are_new_places_with_the_same_grammar(tmp_path: Path) -> None:
    names = place_names(120)
    assert len(set(names)) == 120 and "江西" not in names
    copies = synthetic_corpus([PROVINCE, DISTRICT], 2, tmp_path)
    original = parse(load(PROVINCE), doc_id_for(PROVINCE))
    copy = parse(load(copies[0]), doc_id_for(copies[0]))
    assert copy.info.jurisdiction == f"{names[0]}省" and copy.info.number == f"{names[0][0]}府发〔2023〕100号"
    assert len(copy.clauses) == len(original.clauses)
    assert [c.label for c in copy.clauses] == [c.label for c in original.clauses]
    assert sum(a.text != b.text for a, b in zip(copy.clauses, original.clauses, strict=True)) > 20  # figures moved
    district = parse(load(copies[1]), doc_id_for(copies[1]))
    assert district.info.jurisdiction == f"{names[0]}区"
    assert " ".join(district.info.cites).startswith(f"{names[0]}市卫生健康")  # its city's plan, renamed too


def test_the_district_notice_with_its_table_lays_out_as_a_pdf(tmp_path: Path) -> None:
    pdf = notice_pdf(DISTRICT.read_text("utf-8"), tmp_path / "zhushan.pdf")
    assert len(parse(load(pdf), "zhushan").clauses) == len(parse(load(DISTRICT), "zhushan").clauses)
