"""The benchmark's synthetic notices: re-issued, distinct, still parsed like the originals."""

from __future__ import annotations

from pathlib import Path

from planqa.eval.pdfmaker import notice_pdf
from planqa.eval.synthetic import place_names, synthetic_corpus
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.ingest.places import jurisdiction_of
from planqa.library import doc_id_for
from tests.conftest import DISTRICT, PROVINCE


def test_copies_are_new_places_with_the_same_grammar(tmp_path: Path) -> None:
    names = place_names(120)
    assert len(set(names)) == 120 and "江西" not in names
    many = place_names(1000)  # a 1,000× library's places read as places, as real ones do
    assert len(set(many)) == 1000 and all(jurisdiction_of(f"{n}省人民政府", "") == f"{n}省" for n in many)
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


def test_copies_vectors_are_derived_from_the_originals(tmp_path: Path) -> None:
    """The 1,000× bench derives a copy's vectors: the original's, a little noise, the rest embedded."""
    import numpy as np

    from planqa.eval.synthetic import DerivedEmbedder
    from planqa.retrieval.embedders import get_embedder

    model = get_embedder("hashing", tmp_path)
    derived = DerivedEmbedder(model, 2)
    original = parse(load(PROVINCE), doc_id_for(PROVINCE))
    texts = [c.index_text for c in original.clauses[:20]]
    assert np.allclose(derived.embed_documents(texts), model.embed_documents(texts))  # the originals: true vectors
    derived.learning = False
    copy = parse(load(synthetic_corpus([PROVINCE], 1, tmp_path)[0]), "copy")
    moved = [(a.index_text, b.index_text) for a, b in zip(original.clauses[:20], copy.clauses, strict=False)]
    moved = [(a, b) for a, b in moved if a != b]
    assert moved
    got = np.asarray(derived.embed_documents([b for _, b in moved]))
    base = np.asarray(model.embed_documents([a for a, _ in moved]))
    cosines = (got * base).sum(axis=1) / np.linalg.norm(got, axis=1) / np.linalg.norm(base, axis=1)
    # Most copies differ from their original in place names and figures only: derived; the others
    # (a city name the copy kept, a 文号 prefix) are embedded, and counted.
    assert derived.derived + derived.embedded - len(texts) == len(moved) and derived.derived >= len(moved) // 2
    assert 0.95 < np.median(cosines) < 0.999  # near the original, not the original
    before = derived.embedded
    derived.embed_documents(["一段原件里没有的文字"])
    assert derived.embedded == before + 1  # no original: embedded by the model
