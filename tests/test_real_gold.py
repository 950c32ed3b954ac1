"""The real-notice gold set is well formed: enough items of every kind, and each evidence span is
verbatim in the notice it names (checked against ``../shared/real-notices`` when it is there)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from planqa.eval.gold import load_gold, real_gold
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real-notices"


def test_the_real_gold_set_covers_many_notices_and_kinds() -> None:
    items = load_gold(real_gold())
    assert len(items) >= 150 and len({i.id for i in items}) == len(items)
    assert len({i.notice for i in items}) >= 15 and all(i.notice for i in items)
    kinds = Counter(i.type for i in items)
    assert kinds["unanswerable"] >= 15
    for kind in ("target", "date", "list", "units", "units_reverse", "doc_fact", "paraphrase", "english", "followup"):
        assert kinds[kind] >= 2, kind
    assert all(i.must for i in items if i.answerable)
    assert all(len(i.turns) > 1 for i in items if i.type == "followup")


def test_every_evidence_span_is_verbatim_in_its_notice() -> None:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} is not here: the spans are checked where the shared notices are")
    texts: dict[str, str] = {}
    for item in load_gold(real_gold()):
        if item.notice not in texts:
            path = REAL / item.notice
            texts[item.notice] = parse(load(path), path.stem).text  # normalised as ingest reads it
        for span in item.evidence:
            assert span in texts[item.notice], f"{item.id}: {span!r} is not in {item.notice}"
