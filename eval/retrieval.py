"""Retrieval quality on the gold set: hit@1, hit@5 and MRR of the evidence clause, and latency.

A source counts as a hit when any of its clauses (a task and the annex row restating it are one
source) contains an evidence span. ``compare_retrievers`` scores BM25 alone, dense alone and the fusion
on the same items, so the choice of fusion weights is visible.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from planqa.eval.gold import GoldItem
from planqa.types import Hit

Search = Callable[[str], list[Hit]]


@dataclass
class RetrievalScore:
    name: str
    items: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type → (hits@5, items)
    misses: list[tuple[str, int | None]] = field(default_factory=list)  # (item id, rank or None) where rank ≠ 1
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def p95_ms(self) -> float:
        if len(self.latencies_ms) < 2:
            return self.p50_ms
        return statistics.quantiles(self.latencies_ms, n=20)[-1]


def evidence_rank(item: GoldItem, hits: Sequence[Hit]) -> int | None:
    """1-based rank of the first source holding the item's evidence, None when none does."""
    for rank, hit in enumerate(hits, 1):
        if any(span in clause.text for clause in hit.clauses for span in item.evidence):
            return rank
    return None


def score_retrieval(name: str, items: Sequence[GoldItem], search: Search, k: int = 5) -> RetrievalScore:
    result = RetrievalScore(name)
    ranks: list[int | None] = []
    # Overview items are answered from the clause tree, and other corpora are not in this index.
    for item in (i for i in items if i.answerable and i.type != "overview" and not i.corpus):
        started = time.perf_counter()
        hits = search(item.standalone)[:k]
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        rank = evidence_rank(item, hits)
        ranks.append(rank)
        found, total = result.by_type.get(item.type, (0, 0))
        result.by_type[item.type] = (found + bool(rank), total + 1)
        if rank != 1:
            result.misses.append((item.id, rank))
    n = len(ranks) or 1
    result.items = len(ranks)
    result.hit1 = sum(r == 1 for r in ranks) / n
    result.hit5 = sum(r is not None for r in ranks) / n
    result.mrr = sum(1 / r for r in ranks if r) / n
    return result


def compare_retrievers(items: Sequence[GoldItem], library, k: int = 5) -> list[RetrievalScore]:  # type: ignore[no-untyped-def]
    """BM25 alone, dense alone and the tuned fusion, each over the same items."""
    retriever = library.retriever
    tuned = retriever.weights
    variants = {
        "BM25 (jieba + bigrams)": replace(tuned, dense=0.0, lexical=1.0, lexical_en=1.0, year=0.0, parent=0.0),
        "dense (e5-small)": replace(tuned, lexical=0.0, lexical_en=0.0, year=0.0, parent=0.0),
        "planqa fusion": tuned,
    }
    scores = []
    try:
        for name, weights in variants.items():
            retriever.weights = weights
            scores.append(score_retrieval(name, items, lambda q: library.search(q, k), k))
    finally:
        retriever.weights = tuned
    return scores


def format_table(scores: Sequence[RetrievalScore]) -> str:
    """A markdown table: one row per retriever."""
    lines = [
        "| retriever | items | hit@1 | hit@5 | MRR | English hit@5 | p50 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        en_found, en_total = s.by_type.get("english", (0, 0))
        english = f"{en_found}/{en_total}" if en_total else "–"
        lines.append(
            f"| {s.name} | {s.items} | {s.hit1:.3f} | {s.hit5:.3f} | {s.mrr:.3f} | {english} | {s.p50_ms:.1f} |"
        )
    return "\n".join(lines)
