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

from planqa.answering.reader import Candidate, Linear, Trees, candidates, feature_names, features, overlap_scores
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
POOLS = ("legaldc", "cmrc", "real", "gold")
LEARNING_RATE = 0.1  # the trees' shrinkage, scikit-learn's default; the rounds (``Spec.trees``) are searched
LEAVES = 15  # leaves per tree (scikit-learn's default 31 halved: 25 features, ~87,000 rows)


@dataclass(frozen=True)
class Spec:
    """One model tried: logistic (``trees == 0``, inverse regularisation ``c``) or boosted trees (``trees``
    rounds); ``balance`` weighs each pool alike however many questions it has."""

    c: float = 1.0
    trees: int = 0
    balance: bool = True

    def fit(self, m: Matrix, data: Sequence[Example], idx: Sequence[int]) -> Linear | Trees:
        return fit_trees(m, data, idx, self) if self.trees else fit_linear(m, data, idx, self)

    def name(self) -> str:
        model = f"trees={self.trees}" if self.trees else f"logistic C={self.c}"
        return f"{model} balance={self.balance}"


# The grid searched, smallest model first.
GRID = (
    *(Spec(c=c, balance=b) for c in (0.1, 1.0) for b in (False, True)),
    *(Spec(trees=n) for n in (50, 100, 200)),
    Spec(trees=100, balance=False),
)
# The model kept is the first of the grid whose macro accuracy is within this of the best: a smaller
# model on the plateau, not the top point (trees=100 and 200 differed by 0.005 in the first search).
PLATEAU = 0.005


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
        # fsum: a set's order follows the string hash seed, and a float sum in another order could
        # break a tie between two clauses the other way (the first runs differed by 0.001 on legaldc).
        scores = [math.fsum(self.idf[g] for g in q & grams) for grams in self.grams]
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


def _weights(m: Matrix, data: Sequence[Example], idx: Sequence[int], balance: bool) -> np.ndarray:
    """A weight per row: 1, or with ``balance`` each pool as heavy as any other whatever its size."""
    if not balance:
        return np.ones(len(m.rows(idx)))
    sizes = Counter(data[i].pool for i in idx)
    return np.concatenate([np.full(m.bounds[i][1] - m.bounds[i][0], 1000 / sizes[data[i].pool]) for i in idx])


def fit_linear(m: Matrix, data: Sequence[Example], idx: Sequence[int], spec: Spec) -> Linear:
    """Logistic weights on raw features (standardisation folded in) fitted on the examples ``idx``."""
    from sklearn.linear_model import LogisticRegression

    rows = m.rows(idx)
    x, y = m.x[rows], m.y[rows]
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=spec.c, max_iter=2000, random_state=SEED)
    model.fit((x - mean) / scale, y, sample_weight=_weights(m, data, idx, spec.balance))
    w = model.coef_[0] / scale
    return Linear(tuple(float(v) for v in w), float(model.intercept_[0] - (w * mean).sum()))


def fit_trees(m: Matrix, data: Sequence[Example], idx: Sequence[int], spec: Spec) -> Trees:
    """Boosted trees fitted on the examples ``idx``, exported to the numpy walker asking uses (so every
    k-fold figure is the exported model's own)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    rows = m.rows(idx)
    model = HistGradientBoostingClassifier(
        max_iter=spec.trees, learning_rate=LEARNING_RATE, max_leaf_nodes=LEAVES, early_stopping=False, random_state=SEED
    )
    # One thread: on a shared 2-core machine OpenMP's spinning threads made one fit 50x slower (110 s vs 2 s).
    with threadpool_limits(1):
        model.fit(m.x[rows], m.y[rows], sample_weight=_weights(m, data, idx, spec.balance))
    return Trees.from_json(export_trees(model), float(np.ravel(model._baseline_prediction)[0]))


def export_trees(model: object) -> dict[str, object]:
    """A fitted ``HistGradientBoostingClassifier``'s trees as flat node lists (``reader.Trees``)."""
    out: dict[str, list[float]] = {k: [] for k in ("roots", "feature", "threshold", "left", "right", "value", "leaf")}
    depth = 0
    for (predictor,) in model._predictors:  # type: ignore[attr-defined]  # one tree per round (binary)
        nodes, offset = predictor.nodes, len(out["feature"])
        out["roots"].append(offset)
        out["feature"] += nodes["feature_idx"].tolist()
        out["threshold"] += nodes["num_threshold"].tolist()  # exact: a rounded split moves rows across it
        out["left"] += (nodes["left"] + offset).tolist()
        out["right"] += (nodes["right"] + offset).tolist()
        out["value"] += [float(f"{v:.6g}") for v in nodes["value"]]
        out["leaf"] += nodes["is_leaf"].astype(int).tolist()
        depth = max(depth, int(nodes["depth"].max()))
    return {**out, "depth": depth}


def crossval(m: Matrix, data: Sequence[Example], spec: Spec) -> dict[str, float]:
    """Sentence-selection accuracy per pool, each question scored by a model fitted without its document."""
    from sklearn.model_selection import GroupKFold

    groups = [e.group for e in data]
    right: Counter[str] = Counter()
    for train, test in GroupKFold(n_splits=FOLDS).split(np.zeros(len(data)), groups=groups):
        model = spec.fit(m, data, train)
        for i in test:
            right[data[i].pool] += data[i].labels[int(np.argmax(model(m.x[slice(*m.bounds[i])])))]
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
    for spec in GRID:
        scores = crossval(m, data, spec)
        grid.append({"model": spec.name(), "kfold": scores, "macro": _macro(scores)})
        echo(f"{spec.name():<30} k-fold by document: {scores} (macro {_macro(scores)})")
    top = max(g["macro"] for g in grid)
    best = next(i for i, g in enumerate(grid) if g["macro"] >= top - PLATEAU)
    model = GRID[best].fit(m, data, range(len(data)))
    report = {
        "command": "planqa train-reader",
        "split": f"GroupKFold({FOLDS}) by document over all pools together",
        "questions": dict(sizes),
        "documents": len({e.group for e in data}),
        "chance": {
            p: round(float(np.mean([sum(e.labels) / len(e.labels) for e in data if e.pool == p])), 4) for p in sizes
        },
        "trivial_overlap": base,
        "chosen": grid[best],
        "rule": f"the first of the grid within {PLATEAU} macro accuracy of the best",
        "grid": grid,
    }
    body: dict[str, object] = {"features": list(feature_names())}
    if isinstance(model, Trees):
        body |= {"baseline": model.baseline, "trees": model.to_json()}
    else:
        body |= model.to_json()
    # The report first, then one line a key: the file reads as its figures, then its numbers.
    doc = {"report": report} | body
    lines = (
        f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, indent=1 if k == 'report' else None)}"
        for k, v in doc.items()
    )
    out.write_text("{\n" + ",\n".join(lines) + "\n}\n", "utf-8")
    echo(f"chosen {grid[best]['model']}: {grid[best]['kfold']} → {out}")
    return report
