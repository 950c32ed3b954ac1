"""The public gold set is well formed: every evidence span is in a clause of the bundled notices."""

from __future__ import annotations

from collections import Counter

import pytest

from planqa.eval.gold import eval_notices, load_gold
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.library import doc_id_for
from tests.conftest import DISTRICT, PROVINCE


@pytest.fixture(scope="module")
def clause_texts() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {}
    for path in (PROVINCE, DISTRICT, *sorted(eval_notices().glob("*.txt"))):
        parsed = parse(load(path), doc_id_for(path))
        texts[parsed.info.id] = [c.text for c in parsed.clauses]
    return texts


def test_gold_covers_what_officials_ask() -> None:
    items = load_gold()
    assert len(items) >= 100
    assert len({i.id for i in items}) == len(items)
    kinds = Counter(i.type for i in items)
    assert kinds["unanswerable"] >= 15
    for kind in (
        "target_year",
        "target",
        "date",
        "list",
        "units",
        "units_reverse",
        "doc_fact",
        "compare",
        "followup",
        "paraphrase",
        "english",
        "overview",
    ):
        assert kinds[kind] >= 3, kind
    assert all(i.must for i in items if i.answerable)
    assert all(len(i.turns) > 1 for i in items if i.type == "followup")
    assert sum(i.corpus == "unseen" for i in items) >= 10  # overview items on notices nothing was tuned on


def test_every_evidence_span_is_in_a_clause(clause_texts: dict[str, list[str]]) -> None:
    for item in load_gold():
        pool = clause_texts[item.doc] if item.doc else [t for ts in clause_texts.values() for t in ts]
        for span in item.evidence:
            assert any(span in text for text in pool), f"{item.id}: {span!r} is in no clause"


def test_a_number_written_with_a_leading_zero_is_the_same_number() -> None:
    """发布日期：2019年2月15日 is faithful to an info box that writes 2019年02月15日."""
    from planqa.eval.answers import _value

    assert _value("02") == _value("2") and _value("0.5") == "0.5" and _value("0") == "0"
