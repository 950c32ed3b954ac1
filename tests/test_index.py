"""The clause index: idempotent, per-document atomic, and never mixing embedding models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planqa.library import Library
from planqa.retrieval.store import ChromaStore
from tests.conftest import DISTRICT, PROVINCE


def _snapshot(library: Library) -> list[tuple[str, str, str]]:
    return [(c.doc_id, c.section_path, c.text) for c in library.clauses()]


def test_reingesting_the_same_file_changes_nothing(library: Library, tmp_path: Path) -> None:
    first = library.ingest([DISTRICT])
    assert [d.id for d in first.added] == ["zhushan-health-capacity-plan-2023"]
    before, count = _snapshot(library), library.store.count()
    again = library.ingest([DISTRICT])
    assert not again.added and [d.id for d in again.unchanged] == ["zhushan-health-capacity-plan-2023"]
    assert _snapshot(library) == before and library.store.count() == count


def test_a_changed_file_replaces_its_old_clauses(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(DISTRICT, path)
    library.ingest([path])
    old_count = library.store.count()
    path.write_text(DISTRICT.read_text("utf-8").replace("每千人口托位数达到 3.8", "每千人口托位数达到 4.0"), "utf-8")
    report = library.ingest([path])
    assert [d.id for d in report.replaced] == ["plan"]
    texts = " ".join(c.text for c in library.clauses())
    assert "每千人口托位数达到4.0" in texts and "每千人口托位数达到3.8" not in texts
    assert library.store.count() == old_count  # old version's clauses are gone, not hidden


def test_bad_files_are_reported_and_leave_the_index_as_it_was(library: Library, tmp_path: Path) -> None:
    library.ingest([DISTRICT])
    before = _snapshot(library)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF garbage")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "notes.csv").write_text("a,b")
    report = library.ingest([inbox])
    assert {name for name, _ in report.failed} == {"broken.pdf", "empty.txt"}
    assert [name for name, _ in report.ignored] == ["notes.csv"]
    assert _snapshot(library) == before


def test_a_crash_mid_write_leaves_the_old_version_whole(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(DISTRICT, path)
    library.ingest([path])
    before = _snapshot(library)
    path.write_text(DISTRICT.read_text("utf-8").replace("珠山区人民医院", "珠山区第一人民医院"), "utf-8")

    store = library.store
    real_upsert = store._docs.upsert

    def crash(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # the process dies after the clauses, before the registry commit

    store._docs.upsert = crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        library.ingest([path])
    store._docs.upsert = real_upsert  # type: ignore[method-assign]
    assert _snapshot(library) == before  # readers still see the old version, whole
    assert store.collect_garbage() > 0  # the half-written new version is cleaned up
    library.ingest([path])
    assert "珠山区第一人民医院" in " ".join(c.text for c in library.clauses())


def test_remove_drops_a_document_and_only_it(library: Library) -> None:
    library.ingest([DISTRICT, PROVINCE])
    removed = library.remove("珠山区")
    assert removed.id == "zhushan-health-capacity-plan-2023"
    assert [d.id for d in library.documents()] == ["jiangxi-health-capacity-plan-2023"]
    assert {c.doc_id for c in library.clauses()} == {"jiangxi-health-capacity-plan-2023"}


def test_each_model_gets_its_own_collection(tmp_path: Path, library: Library) -> None:
    library.ingest([DISTRICT])
    other = ChromaStore.open("some-other-model", 8, data_dir=tmp_path / "data")
    assert other.documents() == [] and other.count() == 0
    assert library.store.model_id == library.embedder.model_id


def test_first_run_ingests_the_bundled_corpus(library: Library) -> None:
    report = library.ensure_corpus()
    assert report is not None and len(report.added) == 2 and not report.failed
    assert library.ensure_corpus() is None  # only when empty


@pytest.mark.slow  # English finds Chinese clauses through the multilingual model
def test_search_finds_the_clause_in_chinese_and_english(library: Library) -> None:
    library.ensure_corpus()
    hits = library.search("省级临床重点专科2024年底的目标是多少？", k=5)
    assert "分别达到50个以上、100个以上、150个以上" in hits[0].clause.text
    english = library.search("What is the 2024 target for provincial key clinical specialties?", k=5)
    assert any("省级临床重点专科" in h.clause.text for h in english)
    scoped = library.search("托位数", k=3, doc_ids=["zhushan-health-capacity-plan-2023"])
    assert {h.clause.doc_id for h in scoped} == {"zhushan-health-capacity-plan-2023"}


def test_the_hashing_embedder_is_deterministic_and_unit_length() -> None:
    """The fast loop's embedder: the same text, the same vector; texts that share words lie closer."""
    from planqa.retrieval.embedders import get_embedder

    embedder = get_embedder("hashing")
    a, b = embedder.embed_documents(["托育服务机构建设", "托育服务机构建设"])
    near, far = embedder.embed_query("托育服务"), embedder.embed_query("负压救护车")
    assert a == b and abs(sum(x * x for x in a) - 1.0) < 1e-9 and len(a) == embedder.dim
    assert sum(x * y for x, y in zip(a, near, strict=True)) > sum(x * y for x, y in zip(a, far, strict=True))


def test_clauses_are_read_a_page_at_a_time_whole_and_in_order(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite binds one variable per row Chroma returns: a 1,000× library (152,000 rows) could not be
    read in one call. Pages of 7 rows and one notice per filter give the same clauses, in order."""
    from planqa.retrieval import store

    library.ingest([DISTRICT, PROVINCE])
    whole = library.store.clauses()
    monkeypatch.setattr(store, "READ_DOCS", 1)
    monkeypatch.setattr(store, "READ_ROWS", 7)
    assert len(whole) > 100 and library.store.clauses() == whole
