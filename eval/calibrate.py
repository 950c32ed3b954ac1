"""Fit the abstention thresholds on gold sets, and report them leave-one-notice-out.

Each gold item is asked once with abstention by coverage turned off (``abstention.NEVER``), which gives
its answer, whether that answer is right, and the two coverage signals. Any thresholds can then be
scored without asking again: an item the thresholds let through is right when its answer is; one they
stop is right when the plans do not cover it. Items refused for another reason (a place not indexed,
no draft at all) count as they were judged.

Leave-one-notice-out: for each notice, the thresholds are fitted on the items of every other notice
and score that notice's items. The accuracy over all items so scored is what a user's own notice sees,
with thresholds that never saw it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from planqa.answering.abstention import DEFAULT_ABSTENTION, Abstention
from planqa.eval.answers import Ask, judge
from planqa.eval.gold import GoldItem

# The grid searched: every pair of shares from 0.10 to 0.70 in steps of 0.05 (low ≤ min), and an
# absolute matched weight from 0 to 12 in steps of 2: 637 threshold sets, each scored in microseconds.
_SHARES = [round(0.1 + 0.05 * i, 2) for i in range(13)]
_MATCHED = [float(w) for w in range(0, 13, 2)]
GRID = [Abstention(hi, lo, m) for hi in _SHARES for lo in _SHARES if lo <= hi for m in _MATCHED]


@dataclass(frozen=True)
class Signal:
    """One gold item as the thresholds see it."""

    id: str
    group: str  # the notice (or bundled document) it is about: the unit left out
    answerable: bool
    right_if_answered: bool  # its answer, not abstained, is right
    forced: bool  # abstained whatever the thresholds
    right_if_forced: bool
    score: float
    matched: float

    def right(self, abstention: Abstention) -> bool:
        if self.forced:
            return self.right_if_forced
        if abstention.covers(self.score, self.matched):
            return self.right_if_answered
        return not self.answerable


def signals(items: Sequence[GoldItem], ask: Ask, elsewhere: Mapping[str, Ask] | None = None) -> list[Signal]:
    """Each item through ``ask`` (an Assistant built with ``abstention.NEVER``)."""
    out: list[Signal] = []
    for item in items:
        answer = (elsewhere or {}).get(item.corpus, ask)(item.question, list(item.turns[:-1]))
        ok, _ = judge(item, answer)
        group = item.notice or f"{item.corpus or 'bundled'}:{item.doc or item.id.split('-')[0]}"
        out.append(Signal(item.id, group, item.answerable, ok and not answer.abstained, answer.forced, ok,
                          answer.confidence, answer.matched))  # fmt: skip
    return out


def accuracy(items: Iterable[Signal], abstention: Abstention) -> float:
    scored = [s.right(abstention) for s in items]
    return sum(scored) / len(scored) if scored else 0.0


def fit(items: Sequence[Signal], grid: Sequence[Abstention] = GRID) -> Abstention:
    """The thresholds of ``grid`` with the best accuracy on ``items``; of equals, the nearest to the
    defaults, so that a flat stretch does not move them."""

    def distance(a: Abstention) -> float:
        d = DEFAULT_ABSTENTION
        return (
            abs(a.min_coverage - d.min_coverage)
            + abs(a.low_coverage - d.low_coverage)
            + (abs(a.min_matched - d.min_matched) / 20)
        )

    return max(grid, key=lambda a: (round(accuracy(items, a), 9), -distance(a)))


@dataclass(frozen=True)
class Calibration:
    fitted: Abstention  # on every item
    in_sample: float  # the fitted thresholds' accuracy on every item
    default: float  # the defaults' accuracy on every item
    loo: float  # leave-one-notice-out accuracy over every item
    loo_by_group: dict[str, tuple[float, int]]  # group → (accuracy, items), each with thresholds fitted without it


def calibrate(items: Sequence[Signal], fitter: Callable[[Sequence[Signal]], Abstention] = fit) -> Calibration:
    groups = sorted({s.group for s in items})
    by_group: dict[str, tuple[float, int]] = {}
    right = 0
    for group in groups:
        held = [s for s in items if s.group == group]
        thresholds = fitter([s for s in items if s.group != group])
        hits = sum(s.right(thresholds) for s in held)
        right += hits
        by_group[group] = (hits / len(held), len(held))
    fitted = fitter(items)
    return Calibration(
        fitted,
        accuracy(items, fitted),
        accuracy(items, DEFAULT_ABSTENTION),
        right / len(items) if items else 0.0,
        by_group,
    )
