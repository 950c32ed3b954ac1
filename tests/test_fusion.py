"""The retrieval fusion as a fitted model, and the Legal-DC measure it is chosen by."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from planqa.eval.fusion import Question, fit, ranked
from planqa.eval.legal import CachedEmbedder, LegalItem, judge, squeeze
from planqa.retrieval.hybrid import Weights, _title_cover
from planqa.types import Clause


def test_the_hand_set_weights_score_as_their_formula() -> None:
    w = Weights()
    features = dict.fromkeys(Weights.FEATURES, 0.0) | {"dense": 0.5, "lexical": 1.0, "year": 1.0, "document": 1.0}
    assert w.score(features) == w.dense * 0.5 + w.lexical + w.year + w.document
    assert w.filter_named  # hand-set: a named document filters


def test_the_fitted_weights_weigh_a_named_document_instead_of_filtering() -> None:
    fitted = Weights.fitted()
    assert not fitted.filter_named
    assert fitted.named > 0 and fitted.dense > 0 and fitted.lexical > 0


def test_title_cover_is_the_share_of_the_title_the_question_repeats() -> None:
    from planqa.ingest.grams import bigrams

    title = "专利代理条例"
    assert _title_cover(bigrams("专利代理条例第几条规定了执业许可？"), title) == 1.0
    assert 0 < _title_cover(bigrams("专利代理机构怎么设立？"), title) < 1
    assert _title_cover(bigrams("托位数目标是多少？"), title) == 0.0


def _clause(text: str, n: int) -> Clause:
    return Clause(doc_id="d", kind="task", section=(), number=str(n), title="", text=text, span=(n, n))


def test_a_pairwise_fit_learns_which_feature_finds_the_evidence() -> None:
    """Candidates whose second feature marks the evidence and whose first is noise: the fitted weight
    of the second is the larger, and ranking by it puts the evidence first in every question."""
    rng = np.random.default_rng(0)
    questions = []
    for q in range(40):
        features = np.zeros((10, len(Weights.FEATURES)))
        features[:, 0] = rng.random(10)
        labels = np.zeros(10, dtype=np.int8)
        labels[q % 10] = 1
        features[:, 1] = rng.random(10) * 0.5 + labels * 0.6
        scored = tuple((_clause(f"条款{i}", i), {}) for i in range(10))
        questions.append(Question("p", f"doc{q % 5}", ("条款",), False, features, labels, scored, {}, []))
    weights = fit(questions)
    assert weights[1] > abs(weights[0])
    assert all(ranked(q, weights)[0].clause.text == f"条款{i % 10}" for i, q in enumerate(questions))


def test_recall_needs_every_reference_line_and_hit_needs_one() -> None:
    item = LegalItem("1", "法", "问", (squeeze("第一条 甲。"), squeeze("第二条 乙。")))
    recall, hit, first = judge(item, ["无关", "第一条甲。", "第二条乙。"])
    assert not recall[1] and recall[5] and hit[5] and not hit[1] and first == 2


def test_the_peers_vectors_are_embedded_once(tmp_path: Path) -> None:
    class Counting:
        model_id, dim, calls = "m", 2, 0

        def embed_documents(self, texts):  # type: ignore[no-untyped-def]
            Counting.calls += len(texts)
            return [[float(len(t)), 1.0] for t in texts]

        def embed_query(self, text):  # type: ignore[no-untyped-def]
            return [1.0, 0.0]

    cached = CachedEmbedder(Counting(), tmp_path / "v.sqlite")  # type: ignore[arg-type]
    assert cached.embed_documents(["甲乙", "丙"]) == [[2.0, 1.0], [1.0, 1.0]]
    again = CachedEmbedder(Counting(), tmp_path / "v.sqlite")  # type: ignore[arg-type]
    assert again.embed_documents(["丙", "甲乙"]) == [[1.0, 1.0], [2.0, 1.0]] and Counting.calls == 2


def test_learned_weights_are_a_weights_object() -> None:
    from planqa.eval.fusion import learned

    w = learned({"dense": 2.0, "named": 1.5})
    assert w == replace(Weights(), dense=2.0, named=1.5, filter_named=False)
