"""The retrieval fusion as a model: the weights of ``retrieval.hybrid.Weights`` fitted on questions of
many documents, and measured on documents they were not fitted on.

Each question's candidates (``HybridRetriever.candidates``: the best of the dense and keyword sides
with their features) are labelled by whether the clause holds its evidence; a logistic regression over
the features gives the weights. Every figure is k-fold **by document**: the questions of a document are
scored only by weights fitted without that document's questions. The hand-set weights are scored on
the same candidates beside it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from planqa.eval.legal import LegalItem, judge
from planqa.ingest.places import named_documents, places_of
from planqa.library import Library
from planqa.retrieval.corpus import Corpus
from planqa.retrieval.hybrid import HybridRetriever, Weights, rank_sources
from planqa.retrieval.query import normalize_question
from planqa.types import Hit

FOLDS = 5
SEED = 13
MAX_PAIRS = 200  # per question: a question with 3 positives among 80 candidates has 231 pairs


@dataclass(frozen=True)
class Question:
    """One question's candidates, ready to be ranked by any weights."""

    pool: str  # "legal", "real" or "public": where it comes from
    group: str  # the document it is about: the unit of the k-fold split
    evidence: tuple[str, ...]  # squeezed reference lines (legal) or evidence spans (gold)
    whole_lines: bool  # Legal-DC's measure (every line in the top k) rather than a span in one source
    features: np.ndarray  # candidates × Weights.FEATURES
    labels: np.ndarray  # 1 where the candidate clause holds (part of) the evidence
    scored: tuple  # (clause, sources) per candidate, in the order of ``features``
    group_of: dict  # clause id → source id (a task and its annex row are one source)
    places: list  # the places the question names, for comparisons


Item = tuple[str, str, tuple[str, ...]]  # (question, document group, squeezed evidence)


def collect(
    library: Library, pool: str, items: Sequence[tuple[str, str, tuple[str, ...]]], whole: bool
) -> list[Question]:
    """Candidates and labels for ``items`` of ``(question, group, evidence)`` searched in ``library``."""
    snap = library.snapshot().corpus
    retriever = library.retriever
    before, retriever.weights = retriever.weights, replace(retriever.weights, filter_named=False)
    try:
        group = dict(snap.group)  # one copy for every question (a mapping proxy does not pickle)
        return [q for item in items if (q := _question(retriever, snap, group, pool, item, whole))]
    finally:
        retriever.weights = before


def _question(
    retriever: HybridRetriever, snap: Corpus, group_of: dict[str, str], pool: str, item: Item, whole: bool
) -> Question | None:
    text, group, evidence = item
    query = normalize_question(text)
    named = named_documents(query.named_text, snap.docs)
    candidates = retriever.candidates(query, snap, None, named)
    if not candidates:
        return None
    matrix = np.asarray([[c.features[f] for f in Weights.FEATURES] for c in candidates], dtype=np.float64)
    labels = np.asarray([_holds(_compact(c.clause.text), evidence) for c in candidates], dtype=np.int8)
    scored = tuple((c.clause, {"dense": c.cosine, "lexical": c.bm25}) for c in candidates)
    places = list(places_of(named, snap.docs).values())
    return Question(pool, group, evidence, whole, matrix, labels, scored, group_of, places)


@functools.lru_cache(maxsize=200_000)
def _compact(text: str) -> str:
    """A clause's text (normalised at ingest already) in the form reference lines are compared in."""
    return "".join(text.split())


def _holds(text: str, evidence: Sequence[str]) -> bool:
    """A clause holds evidence when it contains a span, or is itself a part of a reference line (an
    article split into parts, or a line that runs over two clauses)."""
    return any(line in text or (len(text) >= 12 and text in line) for line in evidence)


def ranked(question: Question, weights: np.ndarray, k: int = 10) -> list[Hit]:
    scores = question.features @ weights
    order = np.argsort(-scores, kind="stable")
    scored = [(float(scores[i]), *question.scored[i]) for i in order]
    return rank_sources(scored, question.group_of, question.places, k)


def metrics(questions: Sequence[Question], weights_of: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Per pool: recall@1/5/10 and hit@1/5 as Legal-DC counts them, MRR. ``weights_of`` maps a group
    to the weights its questions are ranked with (the fold's weights, or one set for all)."""
    out: dict[str, dict[str, float]] = {}
    for pool in sorted({q.pool for q in questions}):
        qs = [q for q in questions if q.pool == pool]
        totals = dict.fromkeys(("recall@1", "recall@5", "recall@10", "hit@1", "hit@5", "MRR"), 0.0)
        for q in qs:
            hits = ranked(q, weights_of[q.group])
            passages = ["".join(_compact(c.text) for c in h.clauses) for h in hits]
            recall, hit, first = judge(LegalItem("", "", "", q.evidence), passages)
            for k in (1, 5, 10):
                totals[f"recall@{k}"] += recall[k]
            totals["hit@1"] += hit[1]
            totals["hit@5"] += hit[5]
            totals["MRR"] += 1 / first if first else 0.0
        out[pool] = {name: round(v / len(qs), 3) for name, v in totals.items()} | {"questions": len(qs)}
    return out


def fit(questions: Sequence[Question], c: float = 1.0) -> np.ndarray:
    """Pairwise logistic regression (a linear RankNet): for each question, each clause holding its
    evidence against each that does not, the difference of their features labelled by which should
    rank first. Each question weighs the same (its pairs share a weight of 1), and each pool the same,
    so the 2,201 laws' questions do not drown the notices'. Its coefficients are the fusion weights."""
    from sklearn.linear_model import LogisticRegression

    rows, signs, weights = [], [], []
    pools = {q.pool for q in questions}
    per_pool = {p: sum(1 for q in questions if q.pool == p and 0 < q.labels.sum() < len(q.labels)) for p in pools}
    rng = np.random.default_rng(SEED)
    for q in questions:
        pos, neg = np.flatnonzero(q.labels == 1), np.flatnonzero(q.labels == 0)
        if not len(pos) or not len(neg):
            continue
        pairs = [(i, j) for i in pos for j in neg]
        if len(pairs) > MAX_PAIRS:
            pairs = [pairs[k] for k in rng.choice(len(pairs), MAX_PAIRS, replace=False)]
        share = 1.0 / (len(pairs) * per_pool[q.pool])
        for n, (i, j) in enumerate(pairs):
            sign = 1 if n % 2 == 0 else -1  # both orders, so the model has two classes and no intercept
            rows.append(sign * (q.features[i] - q.features[j]))
            signs.append(sign)
            weights.append(share)
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(np.asarray(rows), np.asarray(signs), sample_weight=np.asarray(weights) * len(rows))
    return model.coef_[0]


def kfold(questions: Sequence[Question], c: float = 1.0) -> dict[str, np.ndarray]:
    """Weights for each document's questions, fitted on the other folds' documents only."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray([q.group for q in questions])
    weights_of: dict[str, np.ndarray] = {}
    for train, test in GroupKFold(n_splits=FOLDS).split(np.zeros(len(questions)), groups=groups):
        w = fit([questions[i] for i in train], c)
        weights_of.update({questions[i].group: w for i in test})
    return weights_of


# The hand-set weights search only the documents a question names; on candidates of every document a
# weight this large on ``named`` ranks the named documents' clauses first, as that filter does.
AS_FILTER = 100.0


def hand(questions: Sequence[Question]) -> dict[str, np.ndarray]:
    w = np.asarray([AS_FILTER if f == "named" else getattr(Weights(), f) for f in Weights.FEATURES])
    return {q.group: w for q in questions}


def save(path: Path, weights: np.ndarray, report: dict) -> None:  # type: ignore[type-arg]
    values = {f: round(float(v), 4) for f, v in zip(Weights.FEATURES, weights, strict=True)}
    data = {
        "command": "planqa train-fusion --every 4",
        "fit": "pairwise logistic regression, each question and each pool weighing the same",
        "split": f"GroupKFold({FOLDS}) by document over all pools together",
        "weights": values,
        "measured": report,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def learned(values: dict[str, float]) -> Weights:
    return replace(Weights(), filter_named=False, **values)
