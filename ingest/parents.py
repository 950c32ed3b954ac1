"""Which higher-level plan, and which of its clauses, each plan localises (``links.Link``), in bulk.

A plan is matched against the plans it cites and the ``PARENT_CANDIDATES`` higher-level plans that
share most of its task-title bigrams, not against every plan: a province's library holds hundreds of
county plans, and matching every pair, clause by clause, grew with the square of the notices (199 s
of a 15,300-clause snapshot build). Each plan's titled clauses are binary bigram matrices, so a pair
of plans is two sparse products; ``Parents`` keeps the matrices and each pair's result for the next
version of the library, which then matches only the pairs that are new. The clauses' text
matrices are made only for the pairs that are matched and dropped after: kept for every plan, they
held 11 million entries at 1,000x (about 90 MB of ``planqa serve``), read only when a notice arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from planqa.ingest.grams import bigram_set
from planqa.ingest.links import DOC_SHARE, TITLE_MATCH, WORDING_MATCH, Link
from planqa.ingest.places import RE_LEVEL_IN_TITLE, jurisdiction_level
from planqa.types import Clause, DocumentInfo

# Higher-level plans a plan is matched against besides those it cites. The links of the public and
# real-notice indexes are the same at 4 as over every pair of plans.
PARENT_CANDIDATES = 4
CITE_MATCH = 0.8  # bigram Dice of a cited title and an indexed plan's title for the citation to name it
# A citation names one notice: of the plans whose titles match it, this many best are matched. Plans
# of one template differ only in their place, and where a place could not be read, every copy
# matched: at 1,000x each county copy was matched against 600 province copies (602,897 pairs,
# 30 million clause comparisons, 14 GB of links in the snapshot build).
CITED_CANDIDATES = 4


def _title(clause: Clause, place: str) -> str:
    title = clause.title or clause.text.split("：", 1)[0][:40]
    if place:
        title = title.replace(place, "").replace(place[:-1], "")
    return RE_LEVEL_IN_TITLE.sub("", title)


class _Vocab:
    """Bigram → column, append-only, shared by every matrix that is multiplied with another."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}

    def matrix(self, sets: Sequence[frozenset[str]]) -> sparse.csr_matrix:
        cols = [self.columns.setdefault(g, len(self.columns)) for s in sets for g in sorted(s)]
        indptr = np.cumsum([0, *map(len, sets)])
        data = np.ones(len(cols), dtype=np.float32)  # counts of shared bigrams: exact in float32
        return sparse.csr_matrix((data, cols, indptr), shape=(len(sets), len(self.columns)))


def _wide(m: sparse.csr_matrix, width: int) -> sparse.csr_matrix:
    """The same rows over a vocabulary that has grown since (no copy)."""
    return m if m.shape[1] == width else sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width))


def _shared(a: sparse.csr_matrix, b: sparse.csr_matrix) -> np.ndarray:
    """The bigrams each row of ``a`` shares with each row of ``b``, dense and in float64: the
    matrices hold their 0/1 entries in float32 (half the memory), the overlaps are divided in float64."""
    return (a @ b.T).toarray().astype(np.float64)


def _sizes(m: sparse.csr_matrix) -> np.ndarray:
    """The bigrams of each row, in float64."""
    return np.asarray(m.sum(axis=1), np.float64).ravel()


@dataclass(frozen=True)
class _Plan:
    """One plan version's titled clauses (tasks, measures, annex rows; first parts) as matrices."""

    doc: DocumentInfo
    clauses: tuple[Clause, ...]
    titles: tuple[str, ...]
    title_grams: sparse.csr_matrix  # clause × bigram of its title, place words removed
    title_sizes: np.ndarray


class _Texts:
    """The clause × text-bigram matrices of the plans one ``Parents.links`` call matches, made on first
    use over one vocabulary and dropped with it."""

    def __init__(self) -> None:
        self._vocab = _Vocab()
        self._made: dict[tuple[str, str], tuple[sparse.csr_matrix, np.ndarray]] = {}

    def of(self, plan: _Plan) -> tuple[sparse.csr_matrix, np.ndarray]:
        key = (plan.doc.id, plan.doc.version)
        if key not in self._made:
            m = self._vocab.matrix([bigram_set(c.text) for c in plan.clauses])
            self._made[key] = m, _sizes(m)
        m, sizes = self._made[key]
        return _wide(m, len(self._vocab.columns)), sizes


class Parents:
    """Derives the links of one library version, keeping what the next version can reuse."""

    def __init__(self) -> None:
        self._titles, self._names = _Vocab(), _Vocab()
        self._plans: dict[tuple[str, str], _Plan] = {}
        self._pairs: dict[tuple[str, str, str, str], list[Link]] = {}
        self._lock = threading.Lock()

    def links(self, docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> list[Link]:
        """Every lower-level clause that localises a clause of a higher-level plan, best parent only."""
        with self._lock:
            plans = self._plan_all(docs, clauses)
            found: list[Link] = []
            texts = _Texts()
            for child, parents in self._candidates(plans):
                for parent in parents:
                    key = (child.doc.id, child.doc.version, parent.doc.id, parent.doc.version)
                    if key not in self._pairs:
                        self._pairs[key] = self._match(child, parent, texts)
                    found += self._pairs[key]
            live = {(p.doc.id, p.doc.version) for p in plans}
            self._plans = {k: v for k, v in self._plans.items() if k in live}
            self._pairs = {k: v for k, v in self._pairs.items() if k[:2] in live and k[2:] in live}
        best: dict[str, Link] = {}
        for link in found:  # a clause localises one parent: the best match over all candidate plans
            if link.child not in best or link.score > best[link.child].score:
                best[link.child] = link
        return list(best.values())

    def _plan_all(self, docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> list[_Plan]:
        held = {d.id for d in docs if (d.id, d.version) in self._plans}
        by_doc: dict[str, list[Clause]] = {}
        for c in clauses:
            if c.doc_id not in held and c.kind in ("task", "measure", "annex_row") and c.part == 0:
                by_doc.setdefault(c.doc_id, []).append(c)
        for d in docs:
            if d.id in by_doc:
                titles = tuple(_title(c, d.jurisdiction) for c in by_doc[d.id])
                t = self._titles.matrix([bigram_set(x) for x in titles])
                self._plans[(d.id, d.version)] = _Plan(d, tuple(by_doc[d.id]), titles, t, _sizes(t))
        return [self._plans[(d.id, d.version)] for d in docs if (d.id, d.version) in self._plans]

    def _candidates(self, plans: list[_Plan]) -> list[tuple[_Plan, list[_Plan]]]:
        """For each plan, the plans it may localise, in document order: those it cites, and of the
        higher-level plans the ``PARENT_CANDIDATES`` sharing most of its task-title bigrams."""
        if not plans:
            return []
        width = len(self._titles.columns)
        union = sparse.vstack([_wide(p.title_grams, width).max(axis=0) for p in plans]).tocsr()
        level = np.array([jurisdiction_level(p.doc.jurisdiction) for p in plans])
        cited = self._cited(plans)
        out: list[tuple[_Plan, list[_Plan]]] = []
        for start in range(0, len(plans), 256):  # shared bigrams of every pair, 256 plans at a time
            shared = _shared(union[start : start + 256], union)
            for i in range(start, min(start + 256, len(plans))):
                named = cited.get(i, set())
                higher = np.array([j for j in np.flatnonzero(level > level[i]) if j not in named], dtype=np.int64)
                if len(higher) > PARENT_CANDIDATES:
                    order = np.argsort(-shared[i - start, higher], kind="stable")[:PARENT_CANDIDATES]
                    higher = higher[order]
                out.append((plans[i], [plans[j] for j in sorted({*higher.tolist(), *named})]))
        return out

    def _cited(self, plans: list[_Plan]) -> dict[int, set[int]]:
        """Plan → the plans it names (``根据《…》``): title Dice ≥ ``CITE_MATCH`` and the place in it.
        Plans of one template differ only in the place, so the place must match; a plan whose place
        could not be read may still be named, but each citation names at most ``CITED_CANDIDATES``."""
        cites = [(i, t) for i, p in enumerate(plans) for t in p.doc.cites]
        if not cites:
            return {}
        names = self._names.matrix([bigram_set(p.doc.title) for p in plans])
        asked = self._names.matrix([bigram_set(t) for _, t in cites])
        names = _wide(names, asked.shape[1])
        inter = _shared(asked, names)
        sizes = _sizes(asked)[:, None] + _sizes(names)[None, :]
        dice = np.divide(2 * inter, sizes, out=np.zeros_like(inter), where=inter > 0)
        out: dict[int, set[int]] = {}
        for row, (i, title) in enumerate(cites):
            named = []
            for j in np.flatnonzero(dice[row] >= CITE_MATCH):
                place = plans[j].doc.jurisdiction
                if j != i and (not place or place in title):
                    named.append((0 if place else 1, -float(dice[row, j]), int(j)))  # a place read and found first
            if named:
                out.setdefault(i, set()).update(j for *_, j in sorted(named)[:CITED_CANDIDATES])
        return out

    def _match(self, kids: _Plan, parents: _Plan, texts: _Texts) -> list[Link]:
        """Each child clause with its best parent clause, when enough of the child's titles find one:
        same title (bigram Dice ≥ ``TITLE_MATCH``), or a renamed title (加强托育服务保障 / 提升托育服务能力)
        whose wording is mostly the parent's; a task outranks an annex row that restates it, and of
        equal scores the first parent wins."""
        t_width = len(self._titles.columns)
        t_inter = _shared(_wide(kids.title_grams, t_width), _wide(parents.title_grams, t_width))
        t_size = kids.title_sizes[:, None] + parents.title_sizes[None, :]
        t = np.divide(2 * t_inter, t_size, out=np.zeros_like(t_inter), where=t_inter > 0)
        (kid_text, kid_sizes), (parent_text, _) = texts.of(kids), texts.of(parents)
        w_inter = _shared(_wide(kid_text, parent_text.shape[1]), parent_text)
        w_size = np.broadcast_to(kid_sizes[:, None], t.shape)
        w = np.divide(w_inter, w_size, out=np.zeros_like(w_inter), where=w_size > 0)
        ok = (t >= TITLE_MATCH) | ((t + w >= 0.9) & (w >= WORDING_MATCH))
        task = np.array([0.01 if p.kind == "task" else 0.0 for p in parents.clauses])
        score = np.where(ok, t + w + task[None, :], -1.0)
        best = score.argmax(axis=1)
        pairs = [(i, int(j), float(score[i, j]) / 2) for i, j in enumerate(best) if score[i, j] > 0]
        if len({kids.titles[i] for i, _, _ in pairs}) / len(set(kids.titles)) < DOC_SHARE:
            return []
        return [Link(kids.clauses[i].key, parents.clauses[j].key, round(s, 3)) for i, j, s in pairs]


def derive_links(docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> list[Link]:
    """The links of one library version, computed afresh (``Parents`` keeps them between versions)."""
    return Parents().links(docs, clauses)
