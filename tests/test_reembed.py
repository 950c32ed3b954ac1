"""Re-ingest embeds only what changed: vectors are keyed by the text embedded, and the derived facts
(targets, links) are not part of the ingest version, so tuning them re-embeds nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from planqa.ingest import loaders
from planqa.library import Library
from tests.conftest import DISTRICT


def _count_embedded(library: Library) -> list[str]:
    embedded: list[str] = []
    embed = library.embedder.embed_documents

    def counted(texts: list[str]) -> list[list[float]]:
        embedded.extend(texts)
        return embed(texts)

    library.embedder.embed_documents = counted  # type: ignore[method-assign]
    return embedded


def test_a_new_version_embeds_only_the_clauses_whose_text_changed(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    shutil.copy(DISTRICT, path)
    library.ingest([path])
    before = {c.index_text for c in library.clauses()}
    embedded = _count_embedded(library)
    path.write_text(DISTRICT.read_text("utf-8").replace("每千人口托位数达到 3.8", "每千人口托位数达到 4.6"), "utf-8")
    report = library.ingest([path])
    assert [d.id for d in report.replaced] == ["plan"]
    changed = [c.index_text for c in library.clauses() if c.index_text not in before]
    assert changed and sorted(embedded) == sorted(changed)  # one clause's text changed: only it is embedded
    assert any("4.6" in t for t in embedded)


def test_a_reparse_after_an_upgrade_embeds_nothing_unchanged(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.ingest([DISTRICT])
    vectors = library.store.known_vectors([c.index_text for c in library.clauses()]).vectors
    embedded = _count_embedded(library)
    monkeypatch.setattr(loaders, "ingest_fingerprint", lambda: "another-grammar")  # a new planqa version
    report = library.ingest([DISTRICT])
    assert [d.id for d in report.replaced] == ["zhushan-health-capacity-plan-2023"]  # re-parsed
    assert embedded == []
    after = library.store.known_vectors([c.index_text for c in library.clauses()]).vectors
    assert after.keys() == vectors.keys()
    assert all(np.allclose(after[k], vectors[k], atol=1e-6) for k in vectors)  # stored as float32
    assert _marked(library, library.clauses()[0].index_text) == ["zhushan-health-capacity-plan-2023"]  # kept


def test_every_module_the_parser_runs_is_in_the_ingest_version() -> None:
    """A module that shapes stored clauses must be fingerprinted; a derived one must not be loaded by
    the parser (else tuning it would change clauses without changing their version)."""
    code = "import sys, planqa.ingest.grammar; print(*(m for m in sys.modules if m.startswith('planqa.ingest.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    files = {m.rsplit(".", 1)[1] + ".py" for m in loaded}
    assert files and not files & set(loaders.DERIVED), files


def _notice(folder: Path, name: str, place: str) -> Path:
    """A small notice of ``place``; its 保障措施 clause is word for word the same in every place."""
    path = folder / f"{name}.txt"
    path.write_text(
        f"{place}养老服务提升方案\n一、主要目标\n到2025年底，{place}养老床位达到{len(place) * 100}张。\n"
        "二、保障措施\n各部门要加强组织领导，明确责任分工，确保各项任务落到实处。\n",
        "utf-8",
    )
    return path


def _marked(library: Library, text: str) -> list[str]:
    from planqa.retrieval.store import CANONICAL, text_key

    got = library.store._clauses.get(where={"$and": [{"text_key": text_key(text)}, {CANONICAL: True}]})
    return [str(m["doc_id"]) for m in got["metadatas"] or []]


def test_a_text_many_notices_share_is_read_from_one_marked_row(library: Library, tmp_path: Path) -> None:
    """A shared clause is embedded once and read from one row however many notices carry it; when
    that row's notice leaves, the next notice with the text reads another row and is marked instead."""
    first, second, third = (_notice(tmp_path, n, p) for n, p in (("a", "东川市"), ("b", "南岭县"), ("c", "西湖新区")))
    library.ingest([first])
    shared = next(c.index_text for c in library.clauses() if "加强组织领导" in c.text)
    embedded = _count_embedded(library)
    library.ingest([second])
    assert shared not in embedded and embedded  # its own target clause is new; the shared one is reused
    assert _marked(library, shared) == ["a"]
    path = tmp_path / "b.txt"
    path.write_text(path.read_text("utf-8").replace("600张", "650张"), "utf-8")
    library.ingest([path])  # a new version of b keeps a's row as the one read
    assert _marked(library, shared) == ["a"]
    library.remove("a")
    embedded.clear()
    library.ingest([third])
    assert shared not in embedded  # found unmarked on b's row
    assert _marked(library, shared) == ["c"]
    library.ingest([first])  # back again: reads c's row
    assert shared not in embedded and _marked(library, shared) == ["c"]
