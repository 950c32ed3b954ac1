"""Fit the reader (``planqa/answering/reader.py``) and measure it k-fold by document.

Four pools, each question with the candidate sentences a retriever would hand the reader:
- ``legaldc``: Legal-DC laws (``../shared/pools/legaldc-dev``), parsed by planqa's own ingest. The
  candidates are the sentences of the document's top ``CLAUSES`` clauses by rarity-weighted bigram
  overlap with the question, plus the clauses holding a reference line (ranked where their overlap puts
  them), as retrieval would hand them; a positive is a sentence inside a reference line (or holding one).
- ``cmrc``: CMRC 2018 paragraphs (``../shared/pools/cmrc2018``); every sentence of the paragraph is a
  candidate, the one holding the answer span is the positive.
- ``real``: ``eval/real_gold.jsonl`` on ``../shared/real-notices``; ``gold``: ``eval/gold.jsonl`` on the
  bundled notices. Candidates as for Legal-DC; a positive holds an ``evidence`` span. Unanswerable and
  English items are left out (the reader compares Chinese characters).

Every figure is GroupKFold (``FOLDS`` folds, the group is the document) over all pools together: a
question is scored by a model that saw no question of its document. The trivial reader beside it picks
the sentence sharing the most character bigrams with the question. The model chosen is refitted on all
pools and written with those figures to ``reader.json``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from planqa.answering.reader import Candidate, candidates, feature_names, features, overlap_scores
from planqa.eval.gold import default_gold, eval_notices, load_gold, real_gold
from planqa.ingest.grammar import parse
from planqa.ingest.loaders import load
from planqa.ingest.normalize import normalize_text
from planqa.types import Clause

log = logging.getLogger(__name__)

CLAUSES = 5  # clauses a retriever hands the reader (the answerer reads the top 5 hits)
FOLDS = 5
SEED = 0  # LogisticRegression is deterministic with lbfgs; kept for any shuffling solver
MATCH = 0.8  # share of the shorter text's bigrams that a sentence and a reference line must share
MIN_CHARS = 4  # a shorter sentence (a bare number, 第三条) is never a positive: it answers nothing alone
# The grid searched: inverse regularisation, and whether each pool weighs the same whatever its size.
GRID_C = (0.01, 0.1, 1.0, 10.0)
GRID_BALANCE = (False, True)
POOLS = ("legaldc", "cmrc", "real", "gold")


@dataclass(frozen=True)
class Example:
    """One question with its candidates and which of them answer it."""

    pool: str
    group: str  # the document: folds never split one
    question: str
    cands: tuple[Candidate, ...]
    labels: tuple[bool, ...]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalize_text(text))


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def _answers(sentence: str, evidence: Sequence[str]) -> bool:
    """Whether a sentence is (most of) a reference line or holds one."""
    s = _squeeze(sentence)
    if len(re.findall(r"[\u3400-\u9fff0-9A-Za-z]", s)) < MIN_CHARS:
        return False
    sb = _bigrams(s)
    for e in evidence:
        if s in e or e in s:
            return True
        eb = _bigrams(e)
        if sb and eb and len(sb & eb) / min(len(sb), len(eb)) >= MATCH:
            return True
    return False


def _candidates(clause: Clause, rank: int) -> list[Candidate]:
    return [replace(c, rank=rank) for c in candidates([clause])]


class _Retriever:
    """Rarity-weighted bigram overlap of a question with each clause of one document (a stand-in for
    planqa's retrieval that costs nothing: the reader is fitted on what such a ranking hands it)."""

    def __init__(self, clauses: Sequence[Clause]):
        self.clauses = list(clauses)
        self.grams = [_bigrams(_squeeze(c.index_text)) for c in self.clauses]
        df = Counter(g for grams in self.grams for g in grams)
        self.idf = {g: math.log((len(self.grams) + 1) / (d + 0.5)) for g, d in df.items()}

    def example(self, pool: str, group: str, question: str, evidence: Sequence[str]) -> Example | None:
        q = _bigrams(_squeeze(question))
        scores = [sum(self.idf[g] for g in q & grams) for grams in self.grams]
        order = sorted(range(len(self.clauses)), key=lambda i: -scores[i])
        holding = [
            i for i in order if any(e in _squeeze(self.clauses[i].text) or _near(self.clauses[i], e) for e in evidence)
        ]
        chosen = sorted(set(order[:CLAUSES]) | set(holding[:CLAUSES]), key=order.index)
        cands = [c for rank, i in enumerate(chosen) for c in _candidates(self.clauses[i], rank)]
        labels = tuple(_answers(c.text, evidence) for c in cands)
        if len(cands) < 2 or not any(labels):
            return None
        return Example(pool, group, normalize_text(question), tuple(cands), labels)


def _near(clause: Clause, evidence: str) -> bool:
    eb = _bigrams(evidence)
    return bool(eb) and len(eb & _bigrams(_squeeze(clause.text))) / len(eb) >= MATCH


def _parse(path: Path) -> list[Clause]:
    return list(parse(load(path), path.stem).clauses)


def legaldc(pool: Path) -> Iterator[Example]:
    """Legal-DC questions, each over its own law's clauses."""
    by_doc: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for line in (pool / "qa.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_doc.setdefault(row["doc"], []).append(row)
    for doc in sorted(by_doc):
        path = pool / "docs" / f"{doc}.docx"
        try:
            retriever = _Retriever(_parse(path))
        except Exception as err:  # a law planqa cannot read is skipped, as ingest skips it
            log.warning("skipping %s: %s", path.name, err)
            continue
        for row in by_doc[doc]:
            evidence = [e for e in (_squeeze(x) for x in row["evidence"]) if e]
            example = retriever.example("legaldc", f"legaldc:{doc}", row["question"], evidence)
            if example:
                yield example


def cmrc(pool: Path) -> Iterator[Example]:
    """CMRC 2018 questions over the sentences of their paragraph; the group is the article's title."""
    from planqa.answering.evidence import sentences

    for path in sorted(pool.glob("*.json")):
        for article in json.loads(path.read_text("utf-8"))["data"]:
            title = article.get("title", "")
            for paragraph in article["paragraphs"]:
                context = paragraph["context"]
                spans = [(s, e) for s, e in sentences(context) if context[s:e].strip()]
                texts = [normalize_text(context[s:e]) for s, e in spans]
                cands = tuple(Candidate(t, "", title, 0, i, len(spans)) for i, t in enumerate(texts))
                for qa in paragraph["qas"]:
                    answer = qa["answers"][0]
                    start = answer["answer_start"]
                    labels = tuple(s <= start < e for s, e in spans)
                    if len(cands) >= 2 and any(labels) and len(answer["text"]) < len(context):
                        yield Example("cmrc", f"cmrc:{title}", normalize_text(qa["question"]), cands, labels)


def gold(pool: str, gold_path: Path, docs: dict[str, Path]) -> Iterator[Example]:
    """A project gold set's answerable Chinese items, each over the notice that holds its evidence."""
    retrievers = {name: _Retriever(_parse(path)) for name, path in sorted(docs.items())}
    texts = {name: "".join(_squeeze(c.text) for c in r.clauses) for name, r in retrievers.items()}
    for item in load_gold(gold_path):
        evidence = [e for e in (_squeeze(x) for x in item.evidence) if e]
        question = item.standalone
        if not evidence or not re.search(r"[\u4e00-\u9fff]", question) or item.type == "english":
            continue
        name = item.doc or Path(item.notice).stem
        if name not in retrievers:  # a comparison names no notice: the one holding its first span
            name = next((n for n, t in texts.items() if evidence[0] in t), "")
        if name in retrievers:
            example = retrievers[name].example(pool, f"{pool}:{name}", question, evidence)
            if example:
                yield example


def examples(pools: Path, notices: Path) -> list[Example]:
    """Every pool's examples, in a fixed order."""
    bundled = {p.stem: p for p in sorted(Path(__file__).parent.parent.joinpath("corpus").glob("*.txt"))}
    bundled |= {p.stem: p for p in sorted(eval_notices().glob("*.txt"))}
    real = {p.stem: p for p in sorted(notices.glob("gov-cn-*.txt"))}
    out = list(legaldc(pools / "legaldc-dev"))
    out += cmrc(pools / "cmrc2018")
    out += gold("real", real_gold(), real)
    out += gold("gold", default_gold(), bundled)
    return out


@dataclass(frozen=True)
class Matrix:
    """All examples' feature rows stacked, with the slice of rows of each example."""

    x: np.ndarray
    y: np.ndarray
    bounds: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, data: Sequence[Example]) -> Matrix:
        rows = [features(e.question, e.cands) for e in data]
        bounds, start = [], 0
        for r in rows:
            bounds.append((start, start + len(r)))
            start += len(r)
        y = np.array([label for e in data for label in e.labels], dtype=int)
        return cls(np.vstack(rows), y, tuple(bounds))

    def rows(self, idx: Sequence[int]) -> np.ndarray:
        return np.concatenate([np.arange(*self.bounds[i]) for i in idx])


def _fit(m: Matrix, data: Sequence[Example], idx: Sequence[int], c: float, balance: bool) -> tuple[np.ndarray, float]:
    """Logistic weights on raw features (standardisation folded in) fitted on the examples ``idx``."""
    from sklearn.linear_model import LogisticRegression

    rows = m.rows(idx)
    x, y = m.x[rows], m.y[rows]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    weight = np.ones(len(rows))
    if balance:  # each pool weighs as much as any other, however many questions it has
        sizes = Counter(data[i].pool for i in idx)
        weight = np.concatenate([np.full(len(np.arange(*m.bounds[i])), 1000 / sizes[data[i].pool]) for i in idx])
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    model.fit((x - mean) / scale, y, sample_weight=weight)
    w = model.coef_[0] / scale
    return w, float(model.intercept_[0] - (w * mean).sum())


def _correct(m: Matrix, data: Sequence[Example], i: int, scores: np.ndarray) -> bool:
    return data[i].labels[int(np.argmax(scores))]


def crossval(m: Matrix, data: Sequence[Example], c: float, balance: bool) -> dict[str, float]:
    """Sentence-selection accuracy per pool, each question scored by a model fitted without its document."""
    from sklearn.model_selection import GroupKFold

    groups = [e.group for e in data]
    right: Counter[str] = Counter()
    for train, test in GroupKFold(n_splits=FOLDS).split(np.zeros(len(data)), groups=groups):
        w, b = _fit(m, data, train, c, balance)
        for i in test:
            right[data[i].pool] += _correct(m, data, i, m.x[slice(*m.bounds[i])] @ w + b)
    sizes = Counter(e.pool for e in data)
    return {p: round(right[p] / sizes[p], 4) for p in POOLS if sizes[p]}


def trivial(data: Sequence[Example]) -> dict[str, float]:
    """The trivial reader's accuracy per pool: the sentence sharing most character bigrams."""
    right: Counter[str] = Counter()
    for e in data:
        right[e.pool] += e.labels[int(np.argmax(overlap_scores(e.question, e.cands)))]
    sizes = Counter(e.pool for e in data)
    return {p: round(right[p] / sizes[p], 4) for p in POOLS if sizes[p]}


def _macro(scores: dict[str, float]) -> float:
    return round(sum(scores.values()) / len(scores), 4)


def train(pools: Path, notices: Path, out: Path, echo: Callable[[str], None] = print) -> dict[str, object]:
    """Build the pools, search the grid k-fold by document, refit the best on everything, write ``out``."""
    data = examples(pools, notices)
    sizes = Counter(e.pool for e in data)
    echo("questions: " + ", ".join(f"{p} {sizes[p]}" for p in POOLS) + f"; documents {len({e.group for e in data})}")
    m = Matrix.of(data)
    base = trivial(data)
    echo(f"trivial overlap reader: {base} (macro {_macro(base)})")
    grid = []
    for c in GRID_C:
        for balance in GRID_BALANCE:
            scores = crossval(m, data, c, balance)
            grid.append({"C": c, "balance_pools": balance, "kfold": scores, "macro": _macro(scores)})
            echo(f"C={c:<5} balance={balance!s:<5} k-fold by document: {scores} (macro {_macro(scores)})")
    best = max(grid, key=lambda g: g["macro"])
    w, b = _fit(m, data, range(len(data)), best["C"], best["balance_pools"])
    report = {
        "command": "planqa train-reader",
        "split": f"GroupKFold({FOLDS}) by document over all pools together",
        "questions": dict(sizes),
        "documents": len({e.group for e in data}),
        "chance": {
            p: round(float(np.mean([sum(e.labels) / len(e.labels) for e in data if e.pool == p])), 4) for p in sizes
        },
        "trivial_overlap": base,
        "chosen": best,
        "grid": grid,
    }
    body = {"features": list(feature_names()), "weights": [round(float(v), 6) for v in w], "intercept": round(b, 6)}
    out.write_text(json.dumps(body | {"report": report}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    echo(f"chosen C={best['C']} balance={best['balance_pools']}: {best['kfold']} → {out}")
    return report
