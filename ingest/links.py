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

from planqa.ingest.grams import dice
from planqa.types import Target

TITLE_MATCH = 0.8  # bigram Dice of two task titles (place words removed) above which they are the same task
WORDING_MATCH = 0.5  # share of a renamed clause's character bigrams found in its parent
DOC_SHARE = 0.3  # share of a plan's task titles found in another plan for it to count as derived
TARGET_MATCH = 0.5  # bigram Dice of two indicators above which they measure the same thing


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
