"""One snapshot per answer: the registry is read once, and an answer never mixes two index versions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planqa.assistant import Assistant
from planqa.library import Library
from planqa.retrieval.corpus import StaleCorpus
from tests.conftest import DISTRICT, PROVINCE


def _count_registry_reads(library: Library, what: str = "documents") -> list[int]:
    """Count calls of ``library.store.<what>``: ``documents`` (the whole registry) or ``stamp``."""
    reads = [0]
    read = getattr(library.store, what)

    def counted() -> object:
        reads[0] += 1
        return read()

    setattr(library.store, what, counted)
    return reads


@pytest.mark.parametrize(
    "question",
    [
        "省级临床重点专科2024年底的目标是多少？",  # one notice's target
        "珠山区和全省的托位数目标有什么不同？",  # a comparison: one search per named notice
        "What is the 2024 target for provincial key specialties?",
    ],
)
def test_an_answer_reads_the_registry_stamp_once(library: Library, question: str) -> None:
    library.ingest([PROVINCE, DISTRICT])
    assistant = Assistant(library)
    assistant.ask("预热")  # the snapshot of this version is built here
    reads, stamps = _count_registry_reads(library), _count_registry_reads(library, "stamp")
    assistant.ask(question)
    assert (stamps[0], reads[0]) == (1, 0)  # nothing committed since: the registry is not read
    assistant.ask(question, scope=["zhushan-health-capacity-plan-2023"])
    assert (stamps[0], reads[0]) == (2, 0)


def test_a_commit_by_another_process_is_seen_at_the_next_answer(library: Library, tmp_path: Path) -> None:
    library.ingest([PROVINCE])
    first = library.snapshot()
    other = Library(library.store, library.embedder, tmp_path / "other")  # another process's view
    other.ingest([DISTRICT])  # a new stamp: the next snapshot reads the registry again
    assert len(library.snapshot().docs) == len(first.docs) + 1
    other.remove(DISTRICT.stem)
    assert library.snapshot().version == first.version


def test_a_version_is_built_once_and_a_new_one_replaces_it(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(DISTRICT, path)
    library.ingest([path])
    first = library.snapshot()
    assert library.snapshot() is first  # the same version: the same value, nothing rebuilt
    path.write_text(DISTRICT.read_text("utf-8").replace("每千人口托位数达到 3.8", "每千人口托位数达到 4.6"), "utf-8")
    library.ingest([path])
    second = library.snapshot()
    assert second.version != first.version
    assert 4.6 in {t.value for t in second.catalog.targets} and 4.6 not in {t.value for t in first.catalog.targets}
    assert "4.6" in " ".join(c.text for c in second.corpus.clauses)
    assert "4.6" not in " ".join(c.text for c in first.corpus.clauses)  # the old value is unchanged


def test_a_search_on_a_version_an_ingest_replaced_is_retried_on_the_new_one(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(DISTRICT, path)
    library.ingest([path])
    old = library.snapshot()
    path.write_text(DISTRICT.read_text("utf-8").replace("每千人口托位数达到 3.8", "每千人口托位数达到 4.6"), "utf-8")
    library.ingest([path])  # commits the new version and deletes the old version's clauses
    with pytest.raises(StaleCorpus):
        library.retriever.search("每千人口托位数的目标是多少？", old.corpus)
    hits = library.consistent(lambda snap: library.retriever.search("每千人口托位数的目标是多少？", snap.corpus))
    assert hits and all(h.clause.doc_id == "plan" for h in hits)
    assert "4.6" in " ".join(c.text for h in hits for c in h.clauses)
