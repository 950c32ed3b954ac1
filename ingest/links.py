"""Derived-from links: which clause of a higher-level plan a lower-level clause localises.

A district plan is usually written from its parent's plan: it keeps the task titles (``提升托育服务
能力``), sometimes with its own place words (``提升全区重大疫情救治能力``), and restates the targets with
local values (``每千人口托位数达到3.8`` for ``4.5个``). The notice may name the plan it follows
(``根据…《…行动计划》``), but often it names an intermediate one that is not indexed (the city's), so
documents are paired by their shared task titles, and clauses by title and wording.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from planqa.ingest.grams import bigrams, dice
from planqa.ingest.places import RE_LEVEL_IN_TITLE, jurisdiction_level
from planqa.types import Clause, DocumentInfo, Target

TITLE_MATCH = 0.8  # bigram Dice of two task titles (place words removed) above which they are the same task
WORDING_MATCH = 0.5  # share of a renamed clause's character bigrams found in its parent
DOC_SHARE = 0.3  # share of a plan's task titles found in another plan for it to count as derived
TARGET_MATCH = 0.5  # bigram Dice of two indicators above which they measure the same thing
# Higher-level plans a plan is matched against (besides those it cites), by shared task-title bigrams.
# The links of the public and real-notice indexes are the same at 4 as over every pair.
PARENT_CANDIDATES = 4


@dataclass(frozen=True)
class Link:
    """``child`` (a clause key in the lower-level plan) localises ``parent`` (a clause key above it)."""

    child: str
    parent: str
    score: float


@dataclass(frozen=True)
class TargetDiff:
    """How a localised target differs from its parent's: ``changes`` is empty when it is the same."""

    child: Target | None  # None: the parent's target was dropped
    parent: Target | None  # None: the child added a target of its own
    changes: tuple[str, ...]


def _title(clause: Clause, place: str) -> str:
    title = clause.title or clause.text.split("：", 1)[0][:40]
    if place:
        title = title.replace(place, "").replace(place[:-1], "")
    return RE_LEVEL_IN_TITLE.sub("", title)


@dataclass(frozen=True)
class _Titled:
    """One plan's titled clauses as binary bigram matrices (titles, wording), for matching in bulk."""

    clauses: tuple[Clause, ...]
    titles: tuple[str, ...]
    title_grams: sparse.csr_matrix  # clause × bigram: the bigrams of its title (place words removed)
    text_grams: sparse.csr_matrix  # clause × bigram: the bigrams of its text
    title_sizes: np.ndarray
    text_sizes: np.ndarray


class _Vocab:
    """Bigram → column, shared by the matrices that are multiplied together."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}

    def rows(self, sets: Sequence[frozenset[str]]) -> tuple[list[int], np.ndarray]:
        cols = [self.columns.setdefault(g, len(self.columns)) for s in sets for g in s]
        return cols, np.cumsum([0, *map(len, sets)])

    def matrix(self, rows: tuple[list[int], np.ndarray]) -> sparse.csr_matrix:
        cols, indptr = rows
        data = np.ones(len(cols), dtype=np.float64)
        return sparse.csr_matrix((data, cols, indptr), shape=(len(indptr) - 1, len(self.columns)))


def _titled(docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> dict[str, _Titled]:
    """Each plan's task, measure and annex-row clauses (first parts), with their bigram matrices."""
    by_doc: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.kind in ("task", "measure", "annex_row") and c.part == 0:
            by_doc.setdefault(c.doc_id, []).append(c)
    titles_v, text_v = _Vocab(), _Vocab()
    rows = {}
    for d in docs:
        if d.id in by_doc:
            titles = tuple(_title(c, d.jurisdiction) for c in by_doc[d.id])
            rows[d.id] = (
                titles,
                titles_v.rows([bigrams(t) for t in titles]),
                text_v.rows([bigrams(c.text) for c in by_doc[d.id]]),
            )
    out = {}
    for doc_id, (titles, t_rows, w_rows) in rows.items():
        t, w = titles_v.matrix(t_rows), text_v.matrix(w_rows)
        sizes = (np.asarray(t.sum(axis=1)).ravel(), np.asarray(w.sum(axis=1)).ravel())
        out[doc_id] = _Titled(tuple(by_doc[doc_id]), titles, t, w, *sizes)
    return out


def derive_links(docs: Sequence[DocumentInfo], clauses: Sequence[Clause]) -> list[Link]:
    """Every lower-level clause that localises a clause of a higher-level plan, best parent only.

    A plan is matched against the plans it cites and the ``PARENT_CANDIDATES`` higher-level plans
    that share most of its title bigrams, not against every plan: a province's library holds
    hundreds of county plans, and matching every pair grew with the square of the notices (121 s
    of a 15,300-clause snapshot build went to it).
    """
    titled = _titled(docs, clauses)
    links: list[Link] = []
    for child_doc, parent_ids in _candidates(docs, titled).items():
        child = titled[child_doc]
        for parent_id in parent_ids:
            pairs = _pairs(child, titled[parent_id])
            if len({child.titles[i] for i, _, _ in pairs}) / len(set(child.titles)) >= DOC_SHARE:
                parents = titled[parent_id].clauses
                links += [Link(child.clauses[i].key, parents[j].key, round(s, 3)) for i, j, s in pairs]
    best: dict[str, Link] = {}
    for link in links:  # a clause localises one parent: the best match over all candidate plans
        if link.child not in best or link.score > best[link.child].score:
            best[link.child] = link
    return list(best.values())


def _candidates(docs: Sequence[DocumentInfo], titled: dict[str, _Titled]) -> dict[str, list[str]]:
    """For each plan, the plans it may localise, in document order: those it cites, and of the
    higher-level plans the ``PARENT_CANDIDATES`` sharing most of its task-title bigrams."""
    plans = [d for d in docs if d.id in titled]
    level = {d.id: jurisdiction_level(d.jurisdiction) for d in plans}
    union = sparse.vstack([titled[d.id].title_grams.max(axis=0) for d in plans]).tocsr() if plans else None
    out: dict[str, list[str]] = {}
    for i, child in enumerate(plans):
        cited = {p.id for p in plans if child.cites and p.id != child.id and _cites(child, p)}
        higher = [j for j, p in enumerate(plans) if level[p.id] > level[child.id] and p.id not in cited]
        if len(higher) > PARENT_CANDIDATES and union is not None:
            shared = np.asarray((union[higher] @ union[i].T).todense()).ravel()
            higher = sorted(higher[k] for k in sorted(range(len(higher)), key=lambda k: -shared[k])[:PARENT_CANDIDATES])
        chosen = cited | {plans[j].id for j in higher}
        out[child.id] = [p.id for p in plans if p.id in chosen]
    return out


def _pairs(kids: _Titled, parents: _Titled) -> list[tuple[int, int, float]]:
    """Each child clause with its best parent clause (positions and score): title first, then the
    clause's own wording. Same title (bigram Dice ≥ ``TITLE_MATCH``), or a renamed title (加强托育服务
    保障 / 提升托育服务能力) whose wording is mostly the parent's; a task outranks an annex row that
    restates it, and of equal scores the first parent wins."""
    t_inter = (kids.title_grams @ parents.title_grams.T).toarray()
    t_size = kids.title_sizes[:, None] + parents.title_sizes[None, :]
    t = np.divide(2 * t_inter, t_size, out=np.zeros_like(t_inter), where=t_inter > 0)
    w_size = np.broadcast_to(kids.text_sizes[:, None], t.shape)
    w_inter = (kids.text_grams @ parents.text_grams.T).toarray()
    w = np.divide(w_inter, w_size, out=np.zeros_like(w_inter), where=w_size > 0)
    ok = (t >= TITLE_MATCH) | ((t + w >= 0.9) & (w >= WORDING_MATCH))
    task = np.array([0.01 if p.kind == "task" else 0.0 for p in parents.clauses])
    score = np.where(ok, t + w + task[None, :], -1.0)
    best = score.argmax(axis=1)
    return [(i, int(j), float(score[i, j]) / 2) for i, j in enumerate(best) if score[i, j] > 0]


def _cites(child: DocumentInfo, parent: DocumentInfo) -> bool:
    """The child names the parent plan; plans of one template differ only in the place, so it must match."""
    place = parent.jurisdiction
    return any(dice(title, parent.title) >= 0.8 and (not place or place in title) for title in child.cites)


def diff_targets(child: Sequence[Target], parent: Sequence[Target]) -> list[TargetDiff]:
    """Pair the targets of a localised clause with its parent's by indicator, and say what changed.

    Pairs are taken best first over all candidates, so a district's 2025 target meets the
    province's 2025 target even when its 2023 target is listed first.
    """
    scored = []
    for i, kid in enumerate(child):
        for j, p in enumerate(parent):
            if kid.condition and p.condition and dice(kid.condition, p.condition) < 0.5:
                continue
            same = dice(kid.indicator, p.indicator)
            kind, p_kind = kid.unit.split("/")[0], p.unit.split("/")[0]
            if kind and p_kind and kind != p_kind and same < 0.8:
                continue  # 30% of centres and 1 centre are different measures unless the words agree
            score = same + (0.2 if p.year == kid.year else 0.0)
            if score >= TARGET_MATCH:
                scored.append((score, i, j))
    paired: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in sorted(scored, key=lambda x: -x[0]):
        if i not in paired and j not in used:
            paired[i] = j
            used.add(j)
    diffs = [
        TargetDiff(kid, parent[paired[i]], _changes(kid, parent[paired[i]]))
        if i in paired
        else TargetDiff(kid, None, ("新增",))
        for i, kid in enumerate(child)
    ]
    return diffs + [TargetDiff(None, p, ("未纳入",)) for j, p in enumerate(parent) if j not in used]


def _changes(kid: Target, parent: Target) -> tuple[str, ...]:
    changes: list[str] = []
    if (kid.value, kid.value_max) != (parent.value, parent.value_max) or kid.unit.split("/")[0] != parent.unit.split(
        "/"
    )[0]:
        changes.append(f"数值 {parent.label} → {kid.label}")
    elif kid.unit != parent.unit:
        changes.append(f"单位 {parent.unit} → {kid.unit}")
    if kid.deadline != parent.deadline and not (
        kid.year == parent.year
        and {kid.deadline, parent.deadline}
        <= {
            f"{kid.year}年",
            f"{kid.year}年底",
        }
    ):  # 到2025年 and 到2025年底 set the same deadline
        changes.append(f"期限 {parent.deadline or '未定'} → {kid.deadline or '未定'}")
    return tuple(changes)
