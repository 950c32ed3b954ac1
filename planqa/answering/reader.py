"""The reader: which sentence of the retrieved clauses answers a question, scored by a fitted model.

After retrieval the candidates are the sentences (a list kept whole with its lead-in, as
``evidence.sentences`` cuts them) of the top clauses, each with its clause's heading path, document
title and retrieval rank. Each candidate gets general features, meaningful on any document: the
question's character bigrams and trigrams it covers weighted by their rarity among the candidates, what
its heading and title add, years and numbers shared with the question, the measure asked (多少, 何时,
哪些…; ``reader_cues.json``) against the forms that answer it, its place in its clause and its clause's
rank. A fitted model over them (``reader.json``: logistic weights or boosted trees, whichever scored
better k-fold by document on Legal-DC, CMRC 2018 and the project's gold sets; ``planqa train-reader``)
turns them into one score; run time needs only numpy.

Not yet wired into the answerer. Tried in ``Extractive.sentence`` (questions in Chinese with no pattern
the sentence must match), it changed 8 first lines of the real-notice gold: 3 newly right, 4 newly
wrong (accuracy 0.901 -> 0.896; a preamble listing every holiday chosen over ``四、劳动节：…``), and
on the public gold it kept accuracy at 0.969 but quoted annex rows over the tasks they restate
(citation accuracy 0.989 -> 0.977).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from planqa.answering.evidence import sentences
from planqa.types import Clause, Hit

_RE_RUN = re.compile(r"[\u3400-\u9fff0-9A-Za-z%]+")
_RE_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?=年)")
_RE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Candidate:
    """One sentence a reader may choose, with what stands around it in its document."""

    text: str  # the sentence, or a list with its lead-in
    heading: str = ""  # the clause's heading path and title ("第二章 总则 > 第十条 …"), "" when none
    doc_title: str = ""
    rank: int = 0  # the clause's retrieval rank, 0 = best
    position: int = 0  # the sentence's index in its clause, 0-based
    count: int = 1  # sentences in the clause


def candidates(clauses: Sequence[Clause]) -> list[Candidate]:
    """The candidate sentences of retrieved clauses, in retrieval order then reading order."""
    out: list[Candidate] = []
    for rank, clause in enumerate(clauses):
        spans = [clause.text[s:e].strip() for s, e in sentences(clause.text)]
        spans = [s for s in spans if s]
        heading = " > ".join(x for x in (*clause.section, clause.title) if x)
        out += [Candidate(s, heading, clause.doc_title, rank, i, len(spans)) for i, s in enumerate(spans)]
    return out


def hit_candidates(hits: Sequence[Hit]) -> list[tuple[Clause, Candidate]]:
    """The candidate sentences of retrieved hits, each with its clause; a hit's clauses share its rank."""
    out = []
    for rank, hit in enumerate(hits):
        out += [(clause, replace(c, rank=rank)) for clause in hit.clauses for c in candidates([clause])]
    return out


def _grams(text: str, n: int) -> frozenset[str]:
    """Character n-grams of a text's runs (CJK, digits, Latin, ``%``); punctuation ends a run."""
    return frozenset(run[i : i + n] for run in _RE_RUN.findall(text) for i in range(len(run) - n + 1))


@cache
def _cues() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    data = json.loads(resources.files(__package__).joinpath("reader_cues.json").read_text("utf-8"))
    return tuple((k, re.compile(v["ask"]), re.compile(v["cue"])) for k, v in data["kinds"].items())


def feature_names() -> tuple[str, ...]:
    """The columns of ``features``, in order (the fitted weights in ``reader.json`` follow them)."""
    base = ("cov", "cov_gap", "cov_plain", "tri", "tri_gap", "head_gain", "head_gap", "title_gain", "precision")
    place = ("log_len", "first", "rel_position", "rank_inv", "year_match", "year_clash", "number_match")
    return base + place + tuple(f"asks_{k}" for k, _, _ in _cues())


class _Weighted:
    """Rarity-weighted coverage of a question's n-grams, the weights counted over one candidate pool.

    Only the question's n-grams that some candidate holds count: a question word no candidate states
    (``多少``) divides every candidate's score alike, and leaving it out keeps scores comparable
    between questions.
    """

    def __init__(self, question: frozenset[str], pool: Sequence[frozenset[str]]):
        df = Counter(g for grams in pool for g in grams & question)
        n = len(pool)
        self.idf = {g: math.log((n + 1) / (d + 0.5)) for g, d in df.items()}
        self.total = math.fsum(self.idf.values())  # fsum: the same whatever order the sets iterate in

    def __call__(self, grams: frozenset[str]) -> float:
        if not self.total:
            return 0.0
        return math.fsum(w for g, w in self.idf.items() if g in grams) / self.total


def features(question: str, cands: Sequence[Candidate]) -> np.ndarray:
    """One row per candidate, the columns of ``feature_names()``."""
    if not cands:
        return np.zeros((0, len(feature_names())))
    q2, q3 = _grams(question, 2), _grams(question, 3)
    s2 = [_grams(c.text, 2) for c in cands]
    s3 = [_grams(c.text, 3) for c in cands]
    h2 = [_grams(c.heading, 2) for c in cands]
    t2 = [_grams(c.doc_title, 2) for c in cands]
    w2 = _Weighted(q2, [s | h for s, h in zip(s2, h2, strict=True)])
    w3 = _Weighted(q3, s3)
    cov = np.array([w2(s) for s in s2])
    tri = np.array([w3(s) for s in s3])
    headed = np.array([w2(s | h) for s, h in zip(s2, h2, strict=True)])
    titled = np.array([w2(s | h | t) for s, h, t in zip(s2, h2, t2, strict=True)])
    years = set(_RE_YEAR.findall(question))
    numbers = {n for n in _RE_NUMBER.findall(question) if n not in years}
    asked = [(ask.search(question) is not None, cue) for _, ask, cue in _cues()]
    rows = []
    for i, c in enumerate(cands):
        their_years = set(_RE_YEAR.findall(c.text))
        shared = len(q2 & s2[i])
        rows.append(
            [
                cov[i],
                cov[i] - cov.max(),
                shared / len(q2) if q2 else 0.0,
                tri[i],
                tri[i] - tri.max(),
                headed[i] - cov[i],
                headed[i] - headed.max(),
                titled[i] - headed[i],
                shared / len(s2[i]) if s2[i] else 0.0,
                math.log1p(len(c.text)),
                float(c.position == 0),
                c.position / (c.count - 1) if c.count > 1 else 0.0,
                1.0 / (1 + c.rank),
                float(bool(years & their_years)),
                float(bool(years) and bool(their_years) and not years & their_years),
                float(any(n in c.text for n in numbers)),
                *(float(a and cue.search(c.text) is not None) for a, cue in asked),
            ]
        )
    # Rounded: a gap of 0 computed as -1.1e-16 is still the best candidate, and a tree's split must not
    # tell the two apart (the first exported model split on exactly that, and disagreed with sklearn).
    return np.round(np.array(rows, dtype=float), 6)


def overlap_scores(question: str, cands: Sequence[Candidate]) -> list[float]:
    """The trivial reader the fitted one is measured against: shared character bigrams with the question."""
    q2 = _grams(question, 2)
    return [float(len(q2 & _grams(c.text, 2))) for c in cands]


def default_path() -> Path:
    """Where the fitted reader ships: ``reader.json`` beside this module."""
    return Path(str(resources.files(__package__).joinpath("reader.json")))


@dataclass(frozen=True)
class Linear:
    """Logistic weights on raw features (the training standardisation folded in)."""

    weights: tuple[float, ...]
    intercept: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return x @ np.asarray(self.weights) + self.intercept

    def to_json(self) -> dict[str, object]:
        return {"weights": [round(w, 6) for w in self.weights], "intercept": round(self.intercept, 6)}


@dataclass(frozen=True, eq=False)
class Trees:
    """Gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``), all trees' nodes in
    flat arrays: node ``i`` sends a row left when ``x[feature[i]] <= threshold[i]``; a leaf's ``value``
    adds to the logit. Walked level by level for all rows and trees at once, so asking needs numpy only."""

    baseline: float
    roots: np.ndarray  # the first node of each tree
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray  # absolute node indices
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray
    depth: int  # the deepest leaf's depth: steps walked

    def __call__(self, x: np.ndarray) -> np.ndarray:
        node = np.tile(self.roots, (len(x), 1))
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            left = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(self.leaf[node], node, np.where(left, self.left[node], self.right[node]))
        return self.value[node].sum(axis=1) + self.baseline

    def to_json(self) -> dict[str, object]:
        names = ("roots", "feature", "threshold", "left", "right", "value")
        return {k: getattr(self, k).tolist() for k in names} | {
            "leaf": self.leaf.astype(int).tolist(),
            "depth": self.depth,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], baseline: float) -> Trees:
        ints = {k: np.asarray(data[k], dtype=np.int64) for k in ("roots", "feature", "left", "right")}
        leaf = np.asarray(data["leaf"], dtype=bool)
        return cls(
            baseline,
            ints["roots"],
            ints["feature"],
            np.asarray(data["threshold"], dtype=float),
            ints["left"],
            ints["right"],
            np.asarray(data["value"], dtype=float),
            leaf,
            int(data["depth"]),
        )


@dataclass(frozen=True)
class Reader:
    """A fitted scorer over ``features`` (a ``Linear`` or ``Trees`` model, as ``reader.json`` holds).

    ``report`` carries the k-fold figures that chose the model, as ``planqa train-reader`` wrote them.
    """

    names: tuple[str, ...]
    model: Linear | Trees
    report: dict[str, object] | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Reader:
        """The reader in ``reader.json`` (or ``path``). Raises ``ValueError`` when its features are not
        this module's: the file was fitted on another version of ``features``; run ``planqa train-reader``."""
        data = json.loads((path or default_path()).read_text("utf-8"))
        names = tuple(data["features"])
        if names != feature_names():
            raise ValueError(f"{path or 'reader.json'} was fitted on other features; run `planqa train-reader`")
        if "trees" in data:
            model: Linear | Trees = Trees.from_json(data["trees"], float(data["baseline"]))
        else:
            model = Linear(tuple(float(w) for w in data["weights"]), float(data["intercept"]))
        return cls(names, model, data.get("report"))

    def rank(self, question: str, cands: Sequence[Candidate]) -> list[float]:
        """A score per candidate, higher is better (a logit: comparable within one question)."""
        if not cands:
            return []
        return [float(v) for v in self.model(features(question, cands))]

    def best(self, question: str, cands: Sequence[Candidate]) -> int | None:
        """The index of the best candidate (the first of equals, so retrieval order breaks ties)."""
        scores = self.rank(question, cands)
        return int(np.argmax(scores)) if scores else None
