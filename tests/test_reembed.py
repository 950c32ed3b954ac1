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
    vectors = library.store.known_vectors([c.index_text for c in library.clauses()])
    embedded = _count_embedded(library)
    monkeypatch.setattr(loaders, "ingest_fingerprint", lambda: "another-grammar")  # a new planqa version
    report = library.ingest([DISTRICT])
    assert [d.id for d in report.replaced] == ["zhushan-health-capacity-plan-2023"]  # re-parsed
    assert embedded == []
    after = library.store.known_vectors([c.index_text for c in library.clauses()])
    assert after.keys() == vectors.keys()
    assert all(np.allclose(after[k], vectors[k], atol=1e-6) for k in vectors)  # stored as float32


def test_every_module_the_parser_runs_is_in_the_ingest_version() -> None:
    """A module that shapes stored clauses must be fingerprinted; a derived one must not be loaded by
    the parser (else tuning it would change clauses without changing their version)."""
    code = "import sys, planqa.ingest.grammar; print(*(m for m in sys.modules if m.startswith('planqa.ingest.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    files = {m.rsplit(".", 1)[1] + ".py" for m in loaded}
    assert files and not files & set(loaders.DERIVED), files
