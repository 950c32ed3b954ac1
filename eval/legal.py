"""Retrieval on the Legal-DC development pool (``../shared/pools/legaldc-dev``): laws and regulations
that nothing in planqa was written for, with questions and reference lines written by other people.

Legal-DC's own measure is used as it defines it: a question counts as found at k when every reference
line stands inside the concatenated text of the top k passages (recall@k). Beside it, hit@k (some
reference line stands inside one of the top k passages) and MRR (of the first such passage, within
10). Both systems are scored on the same questions over the same documents, in one index of all the
chosen laws: planqa (its passages are its sources, the clauses each hit carries) and the textbook
LangChain pipeline (``eval/baseline.py``: 500-character chunks, overlap 50, the same e5 model).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planqa.ingest.normalize import normalize_text
from planqa.retrieval.embedders import Embedder

Search = Callable[[str], list[str]]  # question → passages, best first
DEPTH = 10  # passages read per question: recall@10 is the deepest figure reported


@dataclass(frozen=True)
class LegalItem:
    id: str
    doc: str  # the law's title; its file is docs/<doc>.docx
    question: str
    evidence: tuple[str, ...]  # reference lines, normalised and without whitespace
    kind: str = ""  # Legal-DC's class: 概括归纳型, 逻辑推理型, 概念解释型, 其他


def squeeze(text: str) -> str:
    """The form passages and reference lines are compared in: normalised, no whitespace."""
    return re.sub(r"\s+", "", normalize_text(text))


def load_items(pool: Path) -> list[LegalItem]:
    items = []
    for line in (pool / "qa.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            evidence = tuple(e for e in (squeeze(x) for x in row["evidence"]) if e)
            items.append(LegalItem(row["id"], row["doc"], row["question"], evidence, row.get("class", "")))
    return items


def choose_docs(pool: Path, every: int = 1) -> list[Path]:
    """Every ``every``-th law of the pool in name order: a fixed subset chosen before any output is seen
    (the whole pool takes about 45 minutes to embed on a 2-core machine, a quarter of it about 12)."""
    return sorted((pool / "docs").glob("*.docx"))[::every]


@dataclass
class LegalScore:
    name: str
    items: int = 0
    recall: dict[int, float] | None = None  # k → share of questions with every reference line found
    hit: dict[int, float] | None = None  # k → share with some reference line found
    mrr: float = 0.0

    def row(self) -> str:
        r, h = self.recall or {}, self.hit or {}
        return (
            f"| {self.name} | {self.items} | {r.get(1, 0):.3f} | {r.get(5, 0):.3f} | {r.get(10, 0):.3f} "
            f"| {h.get(1, 0):.3f} | {h.get(5, 0):.3f} | {self.mrr:.3f} |"
        )


HEADER = (
    "| system | questions | recall@1 | recall@5 | recall@10 | hit@1 | hit@5 | MRR |\n|---|---|---|---|---|---|---|---|"
)


def judge(item: LegalItem, passages: Sequence[str]) -> tuple[dict[int, bool], dict[int, bool], int | None]:
    """recall@k and hit@k of one question over its passages (squeezed), and the rank of the first hit."""
    recall, hit = {}, {}
    for k in (1, 5, 10):
        joined = "".join(passages[:k])
        recall[k] = all(line in joined for line in item.evidence)
        hit[k] = any(line in p for p in passages[:k] for line in item.evidence)
    first = next((r for r, p in enumerate(passages[:DEPTH], 1) if any(line in p for line in item.evidence)), None)
    return recall, hit, first


def score(name: str, items: Sequence[LegalItem], search: Search) -> LegalScore:
    result = LegalScore(name, recall={1: 0, 5: 0, 10: 0}, hit={1: 0, 5: 0, 10: 0})
    for item in items:
        recall, hit, first = judge(item, [squeeze(p) for p in search(item.question)])
        for k in (1, 5, 10):
            result.recall[k] += recall[k]  # type: ignore[index]
            result.hit[k] += hit[k]  # type: ignore[index]
        result.mrr += 1 / first if first else 0.0
    n = len(items) or 1
    result.items = len(items)
    result.recall = {k: v / n for k, v in result.recall.items()}  # type: ignore[union-attr]
    result.hit = {k: v / n for k, v in result.hit.items()}  # type: ignore[union-attr]
    result.mrr /= n
    return result


class CachedEmbedder:
    """An embedder whose passage vectors are kept in a SQLite file by text hash: the peer's chunks of the
    same laws are embedded once, not on every run (they take minutes on two cores)."""

    def __init__(self, embedder: Embedder, path: Path):
        self.embedder, self.model_id, self.dim = embedder, embedder.model_id, embedder.dim
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, vec BLOB)")

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        keys = [hashlib.sha1(f"{self.model_id}|{t}".encode()).hexdigest() for t in texts]
        known: dict[str, list[float]] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            rows = self.db.execute(f"SELECT k, vec FROM v WHERE k IN ({','.join('?' * len(part))})", part)
            known.update({k: np.frombuffer(b, dtype=np.float32).tolist() for k, b in rows})
        missing = [i for i, k in enumerate(keys) if k not in known]
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            vectors = self.embedder.embed_documents([texts[i] for i in batch])
            for i, vec in zip(batch, vectors, strict=True):
                known[keys[i]] = vec
                self.db.execute(
                    "INSERT OR REPLACE INTO v VALUES (?, ?)", (keys[i], np.asarray(vec, np.float32).tobytes())
                )
            self.db.commit()
        return [known[k] for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
