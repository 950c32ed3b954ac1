"""A new version of the library is built from the last one: only what changed is read and tokenised,
and the result equals a build from nothing (the keyword index, the targets and links, coverage)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planqa.library import Library, Snapshot
from planqa.retrieval.lexical import ChineseTokenizer
from tests.conftest import DISTRICT, PROVINCE

QUERIES = ["托位数", "省级临床重点专科 2025", "珠山区 负压救护车", "省财政厅 责任单位", "天气"]


def _fresh(library: Library) -> Snapshot:
    """The same version built from nothing: no earlier snapshot, no saved token counts."""
    return Library(library.store, library.embedder, None).snapshot()


def _same(a: Snapshot, b: Snapshot) -> None:
    assert a.version == b.version and [c.id for c in a.corpus.clauses] == [c.id for c in b.corpus.clauses]
    assert a.corpus.lexical.ids == b.corpus.lexical.ids
    for q in QUERIES:
        terms = a.corpus.lexical.tokenizer.tokenize(q)
        assert terms == b.corpus.lexical.tokenizer.tokenize(q)
        np.testing.assert_allclose(a.corpus.lexical.scores(terms), b.corpus.lexical.scores(terms), rtol=1e-5)
    for field in ("group", "facts", "headings", "addresses"):
        assert dict(getattr(a.corpus, field)) == dict(getattr(b.corpus, field)), field
    assert a.coverage.df == b.coverage.df and a.coverage.n == b.coverage.n
    assert a.catalog.targets == b.catalog.targets and a.catalog.parents == b.catalog.parents


def _count_cuts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    cuts = [0]
    cut = ChineseTokenizer.tokenize

    def counted(self: ChineseTokenizer, text: str) -> list[str]:
        cuts[0] += 1
        return cut(self, text)

    monkeypatch.setattr(ChineseTokenizer, "tokenize", counted)
    return cuts


def test_adding_and_removing_a_notice_equals_a_build_from_nothing(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.ingest([PROVINCE])
    province = len(library.clauses())
    cuts = _count_cuts(monkeypatch)
    library.ingest([DISTRICT])  # its terms (珠山区 units) re-cut only the province clauses that hold them
    district = len(library.clauses()) - province
    assert district <= cuts[0] < district + province // 4
    _same(library.snapshot(), _fresh(library))
    library.remove(DISTRICT.stem)
    _same(library.snapshot(), _fresh(library))


def test_a_second_process_reads_saved_token_counts(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    library.ingest([PROVINCE, DISTRICT])
    folder = library.retriever.folder
    assert folder is not None and len(list((folder / "docs").glob("*.npz"))) == 2
    cuts = _count_cuts(monkeypatch)
    other = Library(library.store, library.embedder, folder.parent).snapshot()
    assert cuts[0] == 0  # every clause's counts came from disk
    _same(other, _fresh(library))


def test_a_damaged_token_file_is_cut_again(library: Library) -> None:
    library.ingest([PROVINCE])
    folder = library.retriever.folder
    assert folder is not None
    for path in (folder / "docs").glob("*.npz"):
        path.write_bytes(b"not an npz file")
    other = Library(library.store, library.embedder, folder.parent)
    assert other.search("托位数", 3)
    _same(other.snapshot(), _fresh(library))


def test_the_keyword_index_follows_the_registry(library: Library, tmp_path: Path) -> None:
    library.ingest([DISTRICT])
    assert library.search("托位数", 5)
    library.remove(DISTRICT.stem)
    assert library.search("托位数", 5) == []
